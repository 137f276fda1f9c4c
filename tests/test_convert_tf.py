"""`kokoro convert export --to tf`: a TensorFlow SavedModel of a tiny random-weight model, through nobuco.

Two layers. Without TensorFlow: the twin nobuco converts (Albert's embeddings made from the ids)
computes what the LiteRT stages compute, and the CLI refuses what does not apply. With the converter
environment (``.venv-tf``, made by scripts/test.sh): the CLI writes the SavedModel and checks it
against torch, and TensorFlow runs it at lengths it was not traced at, with the durations torch gives.

The real model's figures are in benchmarks/conversion.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import torch
from test_convert_litert import LONG, SHORT, reference, style_row
from tiny_models import tiny_home, tiny_kokoro, torch_on_one_thread
from typer.testing import CliRunner

from kokoro_tui.assets.model_store import tf_export_path
from kokoro_tui.cli.main import app
from kokoro_tui.convert.bucket_graph import AcousticStage, TextStage, bucket_twin
from kokoro_tui.convert.tf_export import ShapeFreeEmbeddings, tf_twin
from kokoro_tui.home import DataHome
from kokoro_tui.model.albert import AlbertEmbeddings
from kokoro_tui.model.kokoro import KokoroModel

ROOT = Path(__file__).resolve().parent.parent
# The converter environment's Python (scripts/setup_tf_converter.sh); its tests skip without it.
CONVERTER = Path(os.environ.get("KOKORO_TF_PYTHON", ROOT / ".venv-tf" / "bin" / "python"))


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread() -> Iterator[None]:
    yield from torch_on_one_thread()


@pytest.fixture(scope="module")
def model() -> KokoroModel:
    return tiny_kokoro()


def test_the_twin_computes_what_the_litert_stages_compute(model: KokoroModel) -> None:
    twin, litert = tf_twin(model), bucket_twin(model)
    assert any(isinstance(m, ShapeFreeEmbeddings) for m in twin.modules())
    assert not any(isinstance(m, AlbertEmbeddings) for m in twin.modules())
    for tokens, length in ((9, 9), (40, 31), (130, 130)):
        ids = torch.randint(1, model.config.n_token, (1, tokens), dtype=torch.int32)
        ids[0, 0] = ids[0, length - 1] = 0
        ids[0, length:] = 0
        with torch.no_grad():
            ours = TextStage(twin)(ids, torch.tensor([length], dtype=torch.int32))
            theirs = TextStage(litert)(ids, torch.tensor([length], dtype=torch.int32))
        for a, b in zip(ours, theirs, strict=True):
            torch.testing.assert_close(a, b, rtol=0, atol=0)
    prosody = torch.randn(1, model.config.hidden_dim, 50)
    inputs = (prosody, torch.randn_like(prosody), torch.tensor([44], dtype=torch.int32),
              0.3 * torch.randn(1, model.config.style_size))  # fmt: skip
    with torch.no_grad():
        for a, b in zip(AcousticStage(twin)(*inputs), AcousticStage(litert)(*inputs), strict=True):
            torch.testing.assert_close(a, b, rtol=0, atol=0)


def test_the_cli_refuses_what_does_not_apply_and_names_the_missing_converter(
    tmp_path: Path, model: KokoroModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tiny_home(tmp_path / "home", model)
    monkeypatch.setenv("KOKORO_HOME", str(home.root))
    runner = CliRunner()
    for args in (["--quantize", "int8"], ["--opset", "17"], ["--frame-buckets", "96"]):
        result = runner.invoke(app, ["convert", "export", "--to", "tf", *args])
        assert result.exit_code == 2 and "do not apply to --to tf" in result.output, (args, result.output)
    try:
        import tensorflow  # noqa: F401
    except ImportError:  # the speaking environment: the converter lives in its own
        result = runner.invoke(app, ["convert", "export", "--to", "savedmodel"])
        assert result.exit_code == 2 and "needs TensorFlow 2.15" in result.output
        assert "setup_tf_converter.sh" in result.output


def test_the_converter_environment_also_reads_onnx() -> None:
    """A home with only the public int8 ONNX gets its torch weights from it first (onnx, beside TensorFlow 2.15)."""
    if not CONVERTER.is_file():
        pytest.skip(f"no converter environment at {CONVERTER} (bash scripts/setup_tf_converter.sh)")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    done = subprocess.run([str(CONVERTER), "-c", "import onnx.helper, onnxruntime, tensorflow"], capture_output=True,
                          text=True, env=env, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]


# Run in the converter environment on an export: TFKokoro speaks the ids given, the results saved as .npz.
_SPEAK = """
import sys, numpy as np
from kokoro_tui.backends.tf_runtime import TFKokoro
runner, cases = TFKokoro(sys.argv[1]), np.load(sys.argv[2])
results = {}
for n in range(len(cases.files) // 3):
    audio, durations, stages = runner.synthesize_stages(cases[f"ids{n}"], cases[f"style{n}"], float(cases[f"speed{n}"]))
    results.update({f"audio{n}": audio, f"durations{n}": durations, f"f0{n}": stages["f0"]})
np.savez(sys.argv[3], **results)
"""


@pytest.fixture(scope="module")
def exported(model: KokoroModel, tmp_path_factory: pytest.TempPathFactory) -> DataHome:
    """A tiny home with its TensorFlow export, written and checked by the CLI in the converter environment."""
    if not CONVERTER.is_file():
        pytest.skip(f"no converter environment at {CONVERTER} (bash scripts/setup_tf_converter.sh)")
    home = tiny_home(tmp_path_factory.mktemp("tf") / "home", model)
    command = [str(CONVERTER), "-m", "kokoro_tui", "convert", "export", "--to", "tf", "--check"]
    env = {**os.environ, "KOKORO_HOME": str(home.root), "OMP_NUM_THREADS": "2", "TF_CPP_MIN_LOG_LEVEL": "2"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout == ""  # nobuco's trace of every op is not the user's
    assert "durations identical in every case" in done.stderr, done.stderr[-3000:]
    return home


def test_tensorflow_speaks_the_export_like_torch_at_any_length(
    model: KokoroModel, exported: DataHome, tmp_path: Path
) -> None:
    folder = tf_export_path(exported)
    assert json.loads((folder / "export.json").read_text())["format"] == "kokoro-tui tf 1"
    cases = [(SHORT, 1.0), (LONG, 0.8), ((LONG * 5)[:120], 1.2)]  # none of these lengths is the traced one
    arrays: dict[str, np.ndarray] = {}
    for n, (ids, speed) in enumerate(cases):
        arrays.update({f"ids{n}": np.array(ids), f"style{n}": style_row(n, model), f"speed{n}": np.array(speed)})
    np.savez(tmp_path / "cases.npz", **arrays)
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    command = [str(CONVERTER), "-c", _SPEAK, str(folder), str(tmp_path / "cases.npz"), str(tmp_path / "spoken.npz")]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    spoken = np.load(tmp_path / "spoken.npz")
    for n, (ids, speed) in enumerate(cases):
        expected_audio, expected_durations, expected_f0, *_ = reference(model, ids, arrays[f"style{n}"], speed)
        np.testing.assert_array_equal(spoken[f"durations{n}"], expected_durations)
        assert spoken[f"audio{n}"].shape == expected_audio.shape
        assert np.corrcoef(spoken[f"audio{n}"], expected_audio)[0, 1] > 0.999
        assert np.corrcoef(spoken[f"f0{n}"], expected_f0)[0, 1] > 0.9999
    parity = json.loads((folder / "parity.json").read_text())
    assert parity["dtype"] == "tf" and len(parity["cases"]) == 3
    for case in parity["cases"]:
        assert set(case["stages"]) == {"f0", "energy", "features"}, case
        assert all(stage["correlation"] > 0.999 for stage in case["stages"].values()), case


def test_say_speaks_through_the_tf_backend(exported: DataHome, tmp_path: Path) -> None:
    out = tmp_path / "tf.wav"
    env = {**os.environ, "KOKORO_HOME": str(exported.root), "TF_CPP_MIN_LOG_LEVEL": "2"}
    done = subprocess.run([str(CONVERTER), "-m", "kokoro_tui", "say", "Hello there.", "--backend", "tf",
                           "-o", str(out)], capture_output=True, text=True, env=env, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    audio, rate = sf.read(out)
    assert rate == 24_000 and len(audio) > 2_400 and np.abs(audio).max() > 0.01


def test_the_tf_backend_without_tensorflow_is_one_line(exported: DataHome, tmp_path: Path) -> None:
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("TensorFlow is installed here")
    env = {**os.environ, "KOKORO_HOME": str(exported.root)}
    done = subprocess.run([sys.executable, "-m", "kokoro_tui", "say", "Hi.", "--backend", "tf", "-o",
                           str(tmp_path / "x.wav")], capture_output=True, text=True, env=env, timeout=300)  # fmt: skip
    assert done.returncode != 0 and "needs TensorFlow" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.wav").exists()
