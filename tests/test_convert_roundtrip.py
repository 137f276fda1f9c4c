"""ONNX -> model.safetensors (auto and via the CLI) -> official .pth -> load: identical tensors.

Needs the real export: $KOKORO_TEST_ONNX, else the session data home (`real_home`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from typer.testing import CliRunner

from kokoro_tui.assets.manifest import CONFIG_NAME, ONNX_NAME, PTH_NAME, SAFETENSORS_NAME
from kokoro_tui.assets.model_store import ensure_torch_weights, model_config, model_dir
from kokoro_tui.cli.main import app
from kokoro_tui.errors import MissingAssetError
from kokoro_tui.home import ENV_VAR, DataHome
from kokoro_tui.model.checkpoint import load_state_file, save_official_pth
from kokoro_tui.model.loading import load_model

runner = CliRunner()


@pytest.fixture(scope="module")
def onnx_home(tmp_path_factory: pytest.TempPathFactory, real_onnx: Path) -> DataHome:
    """A data home holding only the int8 ONNX, as the registry download leaves it (minus config.json)."""
    home = DataHome(tmp_path_factory.mktemp("onnx_home"))
    directory = model_dir(home)
    directory.mkdir(parents=True)
    (directory / ONNX_NAME).symlink_to(real_onnx)
    return home


def _kokoro(home: DataHome, *args: str):
    return runner.invoke(app, ["--home", str(home.root), *args], env={ENV_VAR: str(home.root)})


def _assert_identical(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> None:
    assert set(a) == set(b)
    for key in a:
        assert torch.equal(a[key], b[key]), key


def test_no_weights_names_the_download_command(tmp_home: DataHome) -> None:
    with pytest.raises(MissingAssetError, match="kokoro download"):
        ensure_torch_weights(tmp_home)
    result = _kokoro(tmp_home, "convert", "torch-to-pth")
    assert result.exit_code == 2 and "kokoro download" in result.output


def test_onnx_to_torch_to_pth_round_trip(onnx_home: DataHome, tmp_path: Path) -> None:
    directory = model_dir(onnx_home)
    auto = ensure_torch_weights(onnx_home)
    assert auto == directory / SAFETENSORS_NAME and (directory / CONFIG_NAME).is_file()
    stamp = auto.stat().st_mtime_ns
    assert ensure_torch_weights(onnx_home) == auto and auto.stat().st_mtime_ns == stamp  # imported once

    pth = tmp_path / "official.pth"
    result = _kokoro(onnx_home, "convert", "torch-to-pth", "--out", str(pth))
    assert result.exit_code == 0, result.output
    again = _kokoro(onnx_home, "convert", "torch-to-pth", "--out", str(pth))
    assert again.exit_code == 2 and "already exists" in again.output

    cli_dir = tmp_path / "cli"
    result = _kokoro(onnx_home, "convert", "onnx-to-torch", "--out", str(cli_dir))
    assert result.exit_code == 0, result.output
    assert "mapped 546 tensors" in result.output and "bert.pooler.weight" in result.output

    official = torch.load(pth, weights_only=True)
    assert sorted(official) == ["bert", "bert_encoder", "decoder", "predictor", "text_encoder"]
    assert all(key.startswith("module.") for part in official.values() for key in part)
    reference = load_state_file(auto)
    _assert_identical(reference, load_state_file(pth))
    _assert_identical(reference, load_state_file(cli_dir / SAFETENSORS_NAME))

    model = load_model(ensure_torch_weights(onnx_home), model_config(onnx_home))
    _assert_identical(reference, model.state_dict())


def test_load_model_prefers_safetensors_then_pth(onnx_home: DataHome) -> None:
    directory = model_dir(onnx_home)
    state = load_state_file(ensure_torch_weights(onnx_home))
    marked = dict(state)
    marked["bert_encoder.bias"] = torch.full_like(state["bert_encoder.bias"], 0.5)
    save_official_pth(marked, directory / PTH_NAME)

    assert ensure_torch_weights(onnx_home).name == SAFETENSORS_NAME
    assert torch.equal(load_model(ensure_torch_weights(onnx_home)).bert_encoder.bias, state["bert_encoder.bias"])
    (directory / SAFETENSORS_NAME).unlink()
    assert ensure_torch_weights(onnx_home).name == PTH_NAME
    assert torch.equal(load_model(ensure_torch_weights(onnx_home)).bert_encoder.bias, marked["bert_encoder.bias"])


def test_cli_rejects_a_missing_onnx(tmp_home: DataHome, tmp_path: Path) -> None:
    result = _kokoro(tmp_home, "convert", "onnx-to-torch", "--onnx", str(tmp_path / "nope.onnx"))
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].startswith("error: ONNX model not found")
