"""`kokoro convert export --to litert` and `--backend litert` on a tiny random-weight model.

Two layers. Without any converter: the bucketed torch stages plus the numpy host part speak like
our model on the same inputs at any padding (that is the design the LiteRT file carries). With
litert-torch (in the converter environment, ``.venv-litert``, made by scripts/test.sh): the CLI
writes the export folder, and the LiteRT interpreter in this environment runs it like torch,
through `kokoro say --backend litert` too.

The real model's figures are in benchmarks/conversion.md (benchmarks/litert_export.py).
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
from tiny_models import tiny_home, tiny_kokoro, torch_on_one_thread
from typer.testing import CliRunner

from kokoro_tui.assets.model_store import litert_export_path, model_dir
from kokoro_tui.atomic import atomic_directory
from kokoro_tui.backends.litert_host import HostKokoro
from kokoro_tui.cli.main import app
from kokoro_tui.convert.bucket_graph import AcousticStage, DepthwiseUpsample, TextStage, bucket_twin
from kokoro_tui.convert.litert_export import host_weights
from kokoro_tui.convert.litert_io import bucket_for, buckets_of
from kokoro_tui.convert.onnx_graph import ExportedKokoro
from kokoro_tui.errors import KokoroError
from kokoro_tui.home import DataHome
from kokoro_tui.model.kokoro import KokoroModel
from kokoro_tui.model.weight_norm import WNConvTranspose1d

ROOT = Path(__file__).resolve().parent.parent
# The converter environment's Python (scripts/setup_litert_converter.sh); its tests skip without it.
CONVERTER = Path(os.environ.get("KOKORO_LITERT_PYTHON", ROOT / ".venv-litert" / "bin" / "python"))
SHORT = [50, 83, 54, 57, 16, 65]
LONG = [43, 61, 62, 16, 156, 69, 46, 123, 16, 47, 54, 55, 16, 58, 102, 56, 16, 131, 83, 62, 3, 16, 65, 72, 56, 4]
# What the CLI test exports: buckets that hold SHORT, LONG and the sentences of `--check`, and the model's 512.
TOKEN_BUCKETS, FRAME_BUCKETS = "32,512", "512"


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread() -> Iterator[None]:
    yield from torch_on_one_thread()


@pytest.fixture(scope="module")
def model() -> KokoroModel:
    return tiny_kokoro()


def style_row(seed: int, model: KokoroModel) -> np.ndarray:
    return (0.3 * np.random.default_rng(seed).standard_normal(model.config.style_size)).astype(np.float32)


def reference(model: KokoroModel, ids: list[int], style: np.ndarray, speed: float) -> tuple[np.ndarray, ...]:
    """The ONNX twin: our model without source noise, its STFT as convolutions (what the stages use);
    audio, durations, then the stages (f0, energy, decoder features)."""
    with torch.no_grad():
        outputs = ExportedKokoro(model)(torch.tensor([[0, *ids, 0]]), torch.from_numpy(style)[None],
                                        torch.tensor([speed]))  # fmt: skip
    return tuple(output.numpy() for output in outputs)


def staged(model: KokoroModel, ids: list[int], style: np.ndarray, speed: float, token_bucket: int,
           spare_frames: int) -> tuple[np.ndarray, ...]:  # fmt: skip
    """The LiteRT export's computation in torch: the bucketed stages around the numpy host; audio,
    durations, then the stages cut to the valid frames."""
    twin = bucket_twin(model)
    host = HostKokoro(host_weights(model), model.config.style_dim)
    tokens = len(ids) + 2
    padded = torch.zeros(1, token_bucket, dtype=torch.int32)
    padded[0, 1 : tokens - 1] = torch.tensor(ids)
    with torch.no_grad():
        d_en, convolved = TextStage(twin)(padded, torch.tensor([tokens], dtype=torch.int32))
    d = host.duration_features(d_en[0, :tokens].numpy(), style[model.config.style_dim :])
    durations = host.durations(d, speed)
    t_en = host.text_features(convolved[0, :, :tokens].numpy().T)
    frames = int(durations.sum())
    prosody = np.zeros((1, host.prosody_width, frames + spare_frames), np.float32)
    prosody[0, :, :frames] = host.prosody(np.repeat(d, durations, axis=0)).T
    asr = np.zeros((1, t_en.shape[1], frames + spare_frames), np.float32)
    asr[0, :, :frames] = np.repeat(t_en, durations, axis=0).T
    with torch.no_grad():
        audio, *stages = AcousticStage(twin)(torch.from_numpy(prosody), torch.from_numpy(asr),
                                             torch.tensor([frames], dtype=torch.int32), torch.from_numpy(style)[None])  # fmt: skip
    return audio[0, : frames * 600].numpy(), durations, *(stage[..., : 2 * frames].numpy() for stage in stages)


@pytest.mark.parametrize(("ids", "token_bucket", "spare_frames", "speed"),
                         [(SHORT, len(SHORT) + 2, 0, 1.0), (SHORT, 32, 37, 1.0), (LONG, 64, 5, 1.3)])  # fmt: skip
def test_padded_stages_with_the_host_speak_like_the_model(
    model: KokoroModel, ids: list[int], token_bucket: int, spare_frames: int, speed: float
) -> None:
    style = style_row(len(ids), model)
    audio, durations, *stages = staged(model, ids, style, speed, token_bucket, spare_frames)
    expected_audio, expected_durations, *expected_stages = reference(model, ids, style, speed)
    np.testing.assert_array_equal(durations, expected_durations)
    assert audio.shape == expected_audio.shape
    assert np.corrcoef(audio, expected_audio)[0, 1] > 0.9999
    for stage, expected in zip(stages, expected_stages, strict=True):  # f0, energy, decoder features
        assert stage.shape == expected.shape
        np.testing.assert_allclose(stage, expected, rtol=1e-3, atol=1e-3 * np.abs(expected).max())


def test_host_lstm_is_torchs_bidirectional_lstm() -> None:
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(12, 5, batch_first=True, bidirectional=True)
    x = torch.randn(1, 9, 12)
    weights = {f"lstm.{name}": value.detach().numpy() for name, value in lstm.state_dict().items()}
    host = HostKokoro(weights, style_dim=0)
    np.testing.assert_allclose(host.bilstm("lstm.", x[0].numpy()), lstm(x)[0][0].detach().numpy(), atol=1e-6)


def test_depthwise_upsample_is_the_transposed_convolution() -> None:
    torch.manual_seed(1)
    pool = WNConvTranspose1d(6, 6, 3, stride=2, padding=1, output_padding=1, groups=6)
    x = torch.randn(1, 6, 11)
    with torch.no_grad():
        np.testing.assert_allclose(DepthwiseUpsample(pool)(x).numpy(), pool(x).numpy(), atol=1e-6)
    with pytest.raises(ValueError, match="depthwise"):
        DepthwiseUpsample(WNConvTranspose1d(6, 6, 4, stride=2, padding=1, groups=6))


def test_buckets_are_read_from_signature_names() -> None:
    found = buckets_of(["text_512", "acoustic_96", "text_32", "acoustic_64", "other"])
    assert found == {"text": (32, 512), "acoustic": (64, 96)}
    assert bucket_for(33, found["text"]) == 512 and bucket_for(32, found["text"]) == 32
    assert bucket_for(97, found["acoustic"]) is None


def test_atomic_directory_replaces_a_folder_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "export"
    with atomic_directory(target) as folder:
        (folder / "a").write_text("1")
    with pytest.raises(RuntimeError), atomic_directory(target) as folder:
        (folder / "b").write_text("2")
        raise RuntimeError("interrupted")
    assert sorted(path.name for path in target.iterdir()) == ["a"]
    with atomic_directory(target) as folder:
        (folder / "c").write_text("3")
    assert sorted(path.name for path in target.iterdir()) == ["c"]
    assert [path.name for path in tmp_path.iterdir()] == ["export"]  # no temp folder left


def test_cli_refuses_mixed_options_and_a_missing_converter(tmp_path: Path, model: KokoroModel,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    home = tiny_home(tmp_path / "home", model)
    monkeypatch.setenv("KOKORO_HOME", str(home.root))
    runner = CliRunner()
    for args, message in (
        (["--to", "onnx", "--quantize", "int8"], "--quantize and the bucket options apply to --to litert"),
        (["--to", "litert", "--dtype", "fp16"], "--dtype and --opset apply to --to onnx"),
        (["--to", "litert", "--quantize", "int4"], "unknown quantization 'int4'"),
        (["--to", "litert", "--token-buckets", "32,64"], "the largest token bucket must hold 512 tokens"),
        (["--to", "litert", "--frame-buckets", "a,b"], "--frame-buckets takes comma-separated lengths"),
    ):
        result = runner.invoke(app, ["convert", "export", *args])
        assert result.exit_code == 2 and message in result.output, (args, result.output)
    try:
        import litert_torch  # noqa: F401
    except ImportError:  # the speaking environment: the converter lives in its own
        result = runner.invoke(app, ["convert", "export", "--to", "litert"])
        assert result.exit_code == 2 and "needs litert-torch" in result.output
        assert "setup_litert_converter.sh" in result.output


@pytest.fixture(scope="module")
def exported(model: KokoroModel, tmp_path_factory: pytest.TempPathFactory) -> DataHome:
    """A tiny home with its LiteRT export, written by the CLI in the converter environment."""
    if not CONVERTER.is_file():
        pytest.skip(f"no converter environment at {CONVERTER} (bash scripts/setup_litert_converter.sh)")
    home = tiny_home(tmp_path_factory.mktemp("litert") / "home", model)
    command = [str(CONVERTER), "-m", "kokoro_tui", "convert", "export", "--to", "litert",
               "--token-buckets", TOKEN_BUCKETS, "--frame-buckets", FRAME_BUCKETS, "--check"]  # fmt: skip
    env = {**os.environ, "KOKORO_HOME": str(home.root), "OMP_NUM_THREADS": "2"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "durations identical in every case" in done.stderr, done.stderr[-3000:]
    return home


def test_the_export_runs_in_the_interpreter_like_torch(model: KokoroModel, exported: DataHome) -> None:
    from kokoro_tui.backends.litert_runtime import LiteRTKokoro

    folder = litert_export_path(exported, "none")
    description = json.loads((folder / "export.json").read_text())
    assert description["token_buckets"] == [32, 512] and description["frame_buckets"] == [512]
    runner = LiteRTKokoro(folder)
    for ids, speed in ((SHORT, 1.0), (LONG, 0.9)):
        style = style_row(len(ids) + 10, model)
        audio, durations = runner.synthesize(ids, style, speed)
        expected_audio, expected_durations, *_ = reference(model, ids, style, speed)
        np.testing.assert_array_equal(durations, expected_durations)
        assert np.corrcoef(audio, expected_audio)[0, 1] > 0.999
    parity = json.loads((folder / "parity.json").read_text())
    assert parity["dtype"] == "litert none" and len(parity["cases"]) == 3
    for case in parity["cases"]:  # stage by stage: the curves and the decoder's features, not only the audio
        assert set(case["stages"]) == {"f0", "energy", "features"}, case
        assert all(stage["correlation"] > 0.999 for stage in case["stages"].values()), case
    with pytest.raises(KokoroError, match="largest bucket is 512 frames"):
        runner.synthesize((LONG * 19)[:494], style_row(0, model), 0.25)  # about 1,100 frames


def test_say_speaks_through_the_litert_backend(exported: DataHome, tmp_path: Path) -> None:
    out = tmp_path / "litert.wav"
    env = {**os.environ, "KOKORO_HOME": str(exported.root)}
    done = subprocess.run([sys.executable, "-m", "kokoro_tui", "say", "Hello there.", "--backend", "litert",
                           "-o", str(out)], capture_output=True, text=True, env=env, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    audio, rate = sf.read(out)
    assert rate == 24_000 and len(audio) > 2_400 and np.abs(audio).max() > 0.01
    missing = subprocess.run([sys.executable, "-m", "kokoro_tui", "say", "Hi.", "--backend",
                              f"litert:{model_dir(exported) / 'nowhere'}", "-o", str(out)],
                             capture_output=True, text=True, env=env, timeout=300)  # fmt: skip
    assert missing.returncode != 0 and "model file not found" in missing.stderr
