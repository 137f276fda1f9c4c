"""`kokoro convert onnx-to-torch` and `torch-to-pth` refuse what they cannot or should not write before the slow work."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kokoro_tui.assets.manifest import SAFETENSORS_NAME
from kokoro_tui.cli.main import app

runner = CliRunner()


def kokoro(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dequantisation and the weights' loading, replaced by a one-line error that says they were reached."""
    from kokoro_tui.assets import model_store
    from kokoro_tui.convert import onnx_to_torch
    from kokoro_tui.errors import KokoroError

    def reached(*args, **kwargs):
        raise KokoroError("the work began")

    monkeypatch.setattr(onnx_to_torch, "onnx_to_safetensors", reached)
    monkeypatch.setattr(model_store, "ensure_torch_weights", reached)


@pytest.fixture
def onnx_file(tmp_path: Path) -> Path:
    path = tmp_path / "model.onnx"
    path.write_bytes(b"stands in for the int8 export")
    return path


def test_onnx_to_torch_keeps_existing_weights_unless_forced(tmp_home, tmp_path, onnx_file, no_work, assert_user_error):
    out = tmp_path / "out"
    out.mkdir()
    (out / SAFETENSORS_NAME).write_bytes(b"the user's weights")
    args = ("convert", "onnx-to-torch", "--onnx", str(onnx_file), "--out", str(out))
    assert_user_error(kokoro(*args), f"{out / SAFETENSORS_NAME} already exists (pass --force to overwrite")
    assert (out / SAFETENSORS_NAME).read_bytes() == b"the user's weights"
    assert_user_error(kokoro(*args, "--force"), "the work began")


def test_onnx_to_torch_checks_its_output_before_the_dequantisation(tmp_home, tmp_path, onnx_file, no_work,
                                                                   assert_user_error):  # fmt: skip
    (tmp_path / "afile").write_text("")
    out = tmp_path / "afile" / "out"
    result = kokoro("convert", "onnx-to-torch", "--onnx", str(onnx_file), "--out", str(out))
    assert_user_error(result, f"cannot write {out / SAFETENSORS_NAME}: Not a directory")


def test_torch_to_pth_checks_its_output_before_loading_weights(tmp_home, tmp_path, no_work, assert_user_error):
    (tmp_path / "afile").write_text("")
    target = tmp_path / "afile" / "kokoro.pth"
    assert_user_error(kokoro("convert", "torch-to-pth", "--out", str(target)), f"cannot write {target}: Not a directory")
    assert_user_error(kokoro("convert", "torch-to-pth", "--out", str(tmp_path / "ok.pth")), "the work began")
