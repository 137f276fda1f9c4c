"""How weights reach the model: our safetensors reader, the meta-device build, weight-norm folding,
and numba kernels that compile once per machine, not once per process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from kokoro_tui.errors import KokoroError
from kokoro_tui.model.checkpoint import load_state_file, save_safetensors
from kokoro_tui.model.config import KokoroConfig
from kokoro_tui.model.inference import fold_weight_norms
from kokoro_tui.model.kokoro import KokoroModel
from kokoro_tui.model.loading import load_model
from kokoro_tui.model.tensor_file import read_tensors
from kokoro_tui.model.weight_norm import WeightNormed

IDS = [50, 86, 54, 57, 135, 3, 16, 43]


@pytest.fixture
def tiny_weights(tmp_path: Path) -> tuple[KokoroModel, Path]:
    torch.manual_seed(3)
    model = KokoroModel(KokoroConfig.tiny())
    path = tmp_path / "tiny.safetensors"
    save_safetensors(model.state_dict(), path, model.config)
    return model, path


def test_our_reader_gives_what_the_library_gives_in_aligned_memory(tmp_path: Path) -> None:
    tensors = {
        "odd": torch.arange(7, dtype=torch.float32),  # 28 bytes: the next tensor starts misaligned
        "half": torch.randn(3, 5).half(), "brain": torch.randn(4).bfloat16(), "ints": torch.arange(3),
        "flags": torch.tensor([True, False]), "scalar": torch.tensor(2.5), "empty": torch.zeros(0, 4),
    }  # fmt: skip
    path = tmp_path / "mixed.safetensors"
    save_file(tensors, str(path), metadata={"note": "x"})
    ours, theirs = read_tensors(path), load_file(str(path))
    assert ours.keys() == theirs.keys()
    for name, tensor in theirs.items():
        assert ours[name].dtype == tensor.dtype and torch.equal(ours[name], tensor), name
        assert ours[name].data_ptr() % 64 == 0 or ours[name].numel() == 0, name


@pytest.mark.parametrize("damage", ["truncate", "header_length", "header_json", "offsets"])
def test_a_damaged_safetensors_file_is_one_clear_error(tmp_path: Path, tiny_weights, damage: str) -> None:
    _, path = tiny_weights
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) - 100]
    elif damage == "header_length":
        data[:8] = (len(data) * 10).to_bytes(8, "little")
    elif damage == "header_json":
        data[8:12] = b"\xff\xfe{["
    else:  # a header whose byte range does not fit the declared shape
        header = json.dumps({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 12]}}).encode()
        data = bytearray(len(header).to_bytes(8, "little") + header + bytes(16))
    path.write_bytes(bytes(data))
    with pytest.raises(KokoroError, match="corrupt or not a safetensors file"):
        load_state_file(path)


def test_the_meta_build_loads_exactly_and_computes_the_unsaved_buffers(tiny_weights) -> None:
    reference, path = tiny_weights
    loaded = load_model(path)
    assert all(torch.equal(loaded.state_dict()[k], v) for k, v in reference.state_dict().items())
    assert torch.equal(loaded.decoder.generator.window, reference.decoder.generator.window)
    assert torch.equal(loaded.bert.embeddings.position_ids, reference.bert.embeddings.position_ids)
    style = torch.randn(KokoroConfig.tiny().style_size)
    expected = reference.eval().synthesize(IDS, style, noise=False).audio
    assert torch.equal(loaded.eval().synthesize(IDS, style, noise=False).audio, expected)


def test_folding_keeps_every_sample_and_drops_the_cached_copy(tiny_weights) -> None:
    reference, path = tiny_weights
    model = load_model(path).eval()
    style = torch.randn(KokoroConfig.tiny().style_size)
    expected = model.synthesize(IDS, style, noise=False).audio
    layers = [m for m in model.modules() if isinstance(m, WeightNormed)]
    assert fold_weight_norms(model) == len(layers) > 0
    assert torch.equal(model.synthesize(IDS, style, noise=False).audio, expected)
    with torch.no_grad():
        assert all(layer.weight().data_ptr() == layer.weight_v.data_ptr() for layer in layers)  # no second copy
    model.train()  # and it still trains
    model(torch.tensor([[0, *IDS, 0]]), torch.tensor([len(IDS) + 2]), style[None]).audio.abs().mean().backward()
    assert all(layer.weight_v.grad is not None for layer in layers if layer.weight_v.requires_grad)


def test_the_numba_kernels_compile_once_and_load_from_the_cache_after(tmp_path: Path) -> None:
    """As closures they were compiled anew in every process (1.5 s of each cold start)."""
    script = (
        "import numpy as np\n"
        "from kokoro_tui.model import snake_numba as k\n"
        "x = np.ones((1, 3, 4), np.float32); a = np.ones((1, 4), np.float32); out = np.empty_like(x)\n"
        "k.snake_frames(x, a, a, out)\n"
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path), "NUMBA_DEBUG_CACHE": "1"}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
            for _ in range(2)]  # fmt: skip
    assert all(run.returncode == 0 for run in runs), runs[0].stderr
    assert "data saved" in runs[0].stdout
    assert "data saved" not in runs[1].stdout and "data loaded" in runs[1].stdout


def test_loading_and_speaking_import_neither_transformers_nor_torchs_compiler(tiny_weights) -> None:
    """Albert is our own (transformers imported torch's compiler, sympy and scipy: 3.4 s of a cold start), and
    the meta build computes nothing through torch's reference ops, whose first call imports torch._dynamo (2 s)."""
    _, path = tiny_weights
    script = (
        "import sys, torch\n"
        "from kokoro_tui.model.loading import load_model\n"
        "from kokoro_tui.model.inference import prepare_for_inference\n"
        f"model = prepare_for_inference(load_model({str(path)!r}), int8=True)\n"
        "model.synthesize([50, 86, 54], torch.randn(model.config.style_size))\n"
        "print(sorted(m for m in ('transformers', 'torch._dynamo', 'sympy') if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
