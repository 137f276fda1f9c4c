"""Weights on disk: official .pth layout and safetensors round trips, strict loading, unreadable files."""

from __future__ import annotations

import pytest
import torch

from kokoro_tui.errors import KokoroError
from kokoro_tui.model.checkpoint import (
    PARTS,
    load_state_file,
    read_safetensors_config,
    save_official_pth,
    save_safetensors,
    strict_load,
)
from kokoro_tui.model.config import KokoroConfig
from kokoro_tui.model.kokoro import KokoroModel


def make_model(seed: int) -> KokoroModel:
    torch.manual_seed(seed)
    return KokoroModel(KokoroConfig.tiny())


def assert_same_state(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> None:
    assert sorted(a) == sorted(b)
    for key in a:
        assert torch.equal(a[key], b[key]), key


def test_official_pth_has_the_upstream_layout_and_round_trips(tmp_path) -> None:
    source = make_model(1)
    path = tmp_path / "kokoro-v1_0.pth"
    save_official_pth(source.state_dict(), path)
    raw = torch.load(path, map_location="cpu", weights_only=True)
    assert sorted(raw) == sorted(PARTS)
    assert all(key.startswith("module.") for part in raw.values() for key in part)
    assert "module.generator.ups.0.weight_g" in raw["decoder"]
    assert "module.embeddings.word_embeddings.weight" in raw["bert"]

    target = make_model(2)
    strict_load(target, load_state_file(path))
    assert_same_state(source.state_dict(), target.state_dict())
    style = torch.randn(32)
    a = source.synthesize([43, 44, 45], style, noise=False)
    b = target.synthesize([43, 44, 45], style, noise=False)
    assert torch.equal(a.audio, b.audio)


def test_safetensors_round_trip_keeps_tensors_and_config(tmp_path) -> None:
    source = make_model(3)
    path = tmp_path / "model.safetensors"
    save_safetensors(source.state_dict(), path, source.config)
    assert read_safetensors_config(path) == source.config
    target = make_model(4)
    strict_load(target, load_state_file(path))
    assert_same_state(source.state_dict(), target.state_dict())


def test_safetensors_without_config_has_none(tmp_path) -> None:
    path = tmp_path / "model.safetensors"
    save_safetensors(make_model(5).state_dict(), path)
    assert read_safetensors_config(path) is None


def test_flat_pth_in_either_naming_loads(tmp_path) -> None:
    source = make_model(6)
    flat_model = tmp_path / "flat.pth"
    torch.save(source.state_dict(), flat_model)
    assert_same_state(load_state_file(flat_model), source.state_dict())
    flat_official = tmp_path / "flat_official.pth"
    torch.save({key.replace(".", ".module.", 1): value for key, value in source.state_dict().items()}, flat_official)
    assert_same_state(load_state_file(flat_official), source.state_dict())


def test_strict_load_names_missing_unexpected_and_misshaped_keys() -> None:
    model = make_model(7)
    state = dict(model.state_dict())
    del state["bert.pooler.bias"]
    for i in range(7):
        state[f"decoder.extra_{i}"] = torch.zeros(1)
    state["decoder.F0_conv.bias"] = torch.zeros(2)
    with pytest.raises(KokoroError) as error:
        strict_load(model, state)
    message = str(error.value)
    assert "1 missing: bert.pooler.bias" in message
    assert "7 unexpected" in message and "(+2 more)" in message
    assert "1 mis-shaped: decoder.F0_conv.bias (2,)≠(1,)" in message
    assert "\n" not in message


def test_strict_load_rejects_the_full_model_state_for_the_tiny_model() -> None:
    with pytest.raises(KokoroError, match="mis-shaped"):
        strict_load(make_model(8), KokoroModel(KokoroConfig.tiny()).state_dict() | {"bert.embeddings.word_embeddings.weight": torch.zeros(3, 3)})


@pytest.mark.parametrize("name", ["broken.pth", "broken.safetensors"])
def test_corrupt_files_raise_kokoro_error(tmp_path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\x00not a weights file" * 50)
    with pytest.raises(KokoroError, match="cannot read"):
        load_state_file(path)


def test_truncated_pth_raises_kokoro_error(tmp_path) -> None:
    path = tmp_path / "cut.pth"
    save_official_pth(make_model(9).state_dict(), path)
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(KokoroError, match="cannot read"):
        load_state_file(path)


def test_missing_file_and_unknown_parts(tmp_path) -> None:
    with pytest.raises(KokoroError, match="not found"):
        load_state_file(tmp_path / "absent.pth")
    path = tmp_path / "odd.pth"
    torch.save({"bert": {"module.x": torch.zeros(1)}, "vocoder": {"module.y": torch.zeros(1)}}, path)
    with pytest.raises(KokoroError, match="unknown top-level parts"):
        load_state_file(path)


def test_save_official_rejects_foreign_keys(tmp_path) -> None:
    with pytest.raises(KokoroError, match="no checkpoint part"):
        save_official_pth({"vocoder.weight": torch.zeros(1)}, tmp_path / "x.pth")
    assert not (tmp_path / "x.pth").exists()
