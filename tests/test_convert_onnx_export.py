"""`kokoro convert export --to onnx` on a tiny random-weight model: one file speaks every length like
torch does, in fp32, fp16 and int8, from the library, the CLI and `kokoro say --backend onnx --model`.

The real model's figures are in benchmarks/conversion.md (benchmarks/onnx_export.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import onnx
import pytest
import soundfile as sf
import torch
from tiny_models import SPECTRAL, tiny_home, tiny_kokoro, torch_on_one_thread
from typer.testing import CliRunner

from kokoro_tui.assets.manifest import ONNX_NAME
from kokoro_tui.assets.model_store import model_dir, onnx_export_path, onnx_model
from kokoro_tui.cli.main import app
from kokoro_tui.convert.onnx_export import export_onnx
from kokoro_tui.convert.onnx_io import EXPORT_MARK
from kokoro_tui.convert.parity import ParityCase, check_parity, open_export
from kokoro_tui.convert.stft_convs import ConvISTFT, ConvSTFT, phase_of
from kokoro_tui.evaluation.spectral import mel_agreement
from kokoro_tui.home import DataHome
from kokoro_tui.model.kokoro import KokoroModel

SHORT = [50, 83, 54, 57, 16, 65]
LONG = [43, 61, 62, 16, 156, 69, 46, 123, 16, 47, 54, 55, 16, 58, 102, 56, 16, 131, 83, 62, 3, 16, 65, 72, 56, 4]


def style_row(seed: int, model: KokoroModel) -> np.ndarray:
    return (0.3 * np.random.default_rng(seed).standard_normal(model.config.style_size)).astype(np.float32)


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread() -> Iterator[None]:
    yield from torch_on_one_thread()


@pytest.fixture(scope="module")
def model() -> KokoroModel:
    return tiny_kokoro()


@pytest.fixture(scope="module")
def fp32_file(model: KokoroModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_onnx(model, tmp_path_factory.mktemp("export") / "kokoro-fp32.onnx", "fp32").path


def test_one_fp32_file_speaks_two_lengths_like_torch(model: KokoroModel, fp32_file: Path) -> None:
    cases = [ParityCase("short", SHORT, style_row(1, model)), ParityCase("long", LONG, style_row(2, model), 1.2)]
    report = check_parity(model, fp32_file, cases, mel_agreement)
    assert report.dtype == "fp32" and report.durations_identical
    for case in report.cases:
        assert case.audio_correlation is not None and case.audio_correlation >= 0.999, case
        assert 0.99 < case.level_ratio < 1.01, case  # torch's level, not the public export's 1.5x
        assert set(case.stages) == {"f0", "energy", "features"}, case  # stage by stage, not only the audio
        assert all(stage is not None and stage.correlation > 0.9999 and stage.relative_error < 1e-3
                   for stage in case.stages.values()), case  # fmt: skip
    assert [case.tokens for case in report.cases] == [len(SHORT) + 2, len(LONG) + 2]
    assert "lowest features correlation" in report.lines()[-1]
    inputs = {tensor.name: tensor for tensor in onnx.load(str(fp32_file), load_external_data=False).graph.input}
    assert inputs["input_ids"].type.tensor_type.shape.dim[1].dim_param == "tokens"


@pytest.mark.parametrize("dtype", ["fp16", "int8"])
def test_fp16_and_int8_run_and_keep_the_durations(model: KokoroModel, tmp_path: Path, dtype: str) -> None:
    """The duration path stays float32 in every dtype, so the timing is torch's exactly."""
    path = export_onnx(model, tmp_path / f"kokoro-{dtype}.onnx", dtype).path
    session = open_export(path)
    assert session.get_modelmeta().custom_metadata_map[EXPORT_MARK] == dtype
    report = check_parity(model, path, [ParityCase("long", LONG, style_row(3, model))], mel_agreement)
    case = report.cases[0]
    assert case.durations_identical and case.audio_correlation is not None
    assert case.spectral_correlation > 0.9, case


def test_the_convolution_stft_and_istft_are_torchs() -> None:
    """The export's transforms against ``torch.stft``/``torch.istft`` (the level included: no 1.5x)."""
    window = torch.hann_window(20, periodic=True)
    signal = torch.randn(1, 3000, generator=torch.Generator().manual_seed(0))
    spectrum = torch.stft(signal[0], 20, 5, 20, window=window, center=True, pad_mode="reflect", return_complex=True)
    ours = ConvSTFT(20, 5, window)(signal)[0]
    assert torch.allclose(ours[:SPECTRAL], spectrum.abs(), atol=1e-5)
    wrapped = torch.remainder(ours[SPECTRAL:] - spectrum.angle() + torch.pi, 2 * torch.pi) - torch.pi
    assert wrapped.abs().max() < 1e-3
    post = torch.randn(1, 22, 601, generator=torch.Generator().manual_seed(1))
    expected = torch.istft(torch.polar(torch.exp(post[0, :SPECTRAL]), torch.sin(post[0, SPECTRAL:])), 20, 5, 20,
                           window=window, center=True, length=3000)  # fmt: skip
    assert torch.allclose(ConvISTFT(20, 5, window)(post)[0], expected, atol=1e-5)


def test_the_phase_is_torchs_on_the_axes_and_at_the_origin() -> None:
    real = torch.tensor([0.0, 0.0, 0.0, 1.0, -1.0, -1.0, 2.0, -2.0])
    imag = torch.tensor([0.0, 1.0, -1.0, 0.0, 0.0, 1.0, -3.0, -3.0])
    assert torch.allclose(phase_of(real, imag), torch.complex(real, imag).angle(), atol=1e-6)




def kokoro(home: DataHome, *args: str):
    return CliRunner().invoke(app, ["--home", str(home.root), *args])


def test_the_cli_exports_checks_and_say_speaks_the_export(model: KokoroModel, tmp_path: Path, fp32_file: Path) -> None:
    home = tiny_home(tmp_path / "home", model)
    assert onnx_model(home) == model_dir(home) / ONNX_NAME  # no export yet: the public one
    result = kokoro(home, "convert", "export", "--to", "onnx", "--dtype", "int8", "--check")
    assert result.exit_code == 0, result.output
    written = onnx_export_path(home, "int8")
    report = json.loads(written.with_name("kokoro-int8.parity.json").read_text())
    assert report["dtype"] == "int8" and len(report["cases"]) == 3
    assert all(case["durations_identical"] for case in report["cases"])
    assert f"wrote {written}" in result.stderr and "spectral correlation" in result.stderr
    assert onnx_model(home) == written  # say --backend onnx now runs the home's export

    again = kokoro(home, "convert", "export", "--to", "onnx", "--dtype", "int8")
    assert again.exit_code == 2 and "already exists" in again.stderr

    out = tmp_path / "hello.wav"
    said = kokoro(home, "say", "Hello there.", "--voice", "af_heart", "--backend", "onnx", "--model", str(fp32_file),
                  "-o", str(out))  # fmt: skip
    assert said.exit_code == 0, said.output
    audio, rate = sf.read(out)
    assert rate == 24_000 and len(audio) % 600 == 0 and np.abs(audio).max() > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "onnx", "--dtype", "int4"], "error: unknown dtype 'int4' (choose fp32, fp16, int8)"),
        (["--to", "pytorch-mobile"], "error: cannot export to 'pytorch-mobile' (choose onnx, litert, tf)"),
        (["--to", "tensorflow", "--dtype", "fp16"], "error: --dtype, --opset, --quantize and the bucket options do not"),
        (["--to", "tflite", "--dtype", "fp16"], "error: --dtype and --opset apply to --to onnx"),  # tflite is litert
        (["--to", "onnx", "--opset", "11"], "error: opset 11 is not supported"),
        (["--to", "onnx", "-o", "{tmp}/a-file/x.onnx"], "error: cannot write {tmp}/a-file/x.onnx: Not a directory"),
    ],
)
@pytest.mark.parametrize("command", [["convert", "export"], ["convert"]])  # `convert --to X` is `convert export --to X`
def test_bad_export_options_are_one_line(
    tmp_home: DataHome, tmp_path: Path, args: list[str], message: str, command: list[str]
) -> None:
    (tmp_path / "a-file").write_text("")
    args = [arg.format(tmp=tmp_path) for arg in args]
    result = kokoro(tmp_home, *command, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message.format(tmp=tmp_path)) and result.stderr.count("\n") == 1, result.stderr


def test_say_refuses_a_missing_or_damaged_model_file(model: KokoroModel, tmp_path: Path) -> None:
    home = tiny_home(tmp_path / "home", model)
    for backend in ("onnx", "torch"):
        missing = kokoro(home, "say", "Hi.", "--backend", backend, "--model", str(tmp_path / "none.onnx"), "-o", "x.wav")
        assert missing.exit_code == 2 and missing.stderr == f"error: model file not found: {tmp_path / 'none.onnx'}\n"
    damaged = tmp_path / "model.safetensors"
    damaged.write_bytes(b"not a model")
    result = kokoro(home, "say", "Hi.", "--model", str(damaged), "-o", "x.wav")
    assert result.exit_code != 0 and result.stderr.startswith(f"error: cannot read weights {damaged}")
    assert result.stderr.count("\n") <= 2 and not (tmp_path / "x.wav").exists(), result.stderr
