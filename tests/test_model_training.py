"""The model is trainable: train mode, differentiable audio, an optimizer step that reaches every
trainable parameter, device and dtype moves, and DistributedDataParallel across two processes."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from kokoro_tui.model.config import KokoroConfig
from kokoro_tui.model.kokoro import KokoroModel
from kokoro_tui.model.loading import load_model

IDS = [[50, 86, 54, 57, 135, 3, 16, 43], [61, 62, 63, 4]]


def tiny_batch(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Two right-padded utterances of different lengths (BOS/EOS included) and their style rows."""
    generator = torch.Generator().manual_seed(seed)
    width = max(len(ids) for ids in IDS) + 2
    input_ids = torch.zeros(len(IDS), width, dtype=torch.long)
    for row, ids in enumerate(IDS):
        input_ids[row, 1 : len(ids) + 1] = torch.tensor(ids)
    lengths = torch.tensor([len(ids) + 2 for ids in IDS])
    style = torch.randn(len(IDS), KokoroConfig.tiny().style_size, generator=generator)
    return input_ids, lengths, style


def training_loss(model: torch.nn.Module, seed: int = 0) -> torch.Tensor:
    """A loss on both things the network predicts: the waveform, and the duration head's logits."""
    input_ids, lengths, style = tiny_batch(seed)
    result = model(input_ids, lengths, style, noise=True, seed=seed)
    return result.audio.abs().mean() + result.duration_logits.square().mean()


def trainable(model: torch.nn.Module) -> dict[str, torch.nn.Parameter]:
    return {name: p for name, p in model.named_parameters() if p.requires_grad}


def test_a_new_model_is_in_train_mode_and_its_audio_is_differentiable() -> None:
    torch.manual_seed(0)
    model = KokoroModel(KokoroConfig.tiny())
    assert model.training
    input_ids, lengths, style = tiny_batch()
    style.requires_grad_(True)
    audio = model(input_ids, lengths, style, noise=False).audio
    assert audio.requires_grad
    (grad,) = torch.autograd.grad(audio.square().sum(), style)
    assert torch.isfinite(grad).all() and grad.abs().sum() > 0  # voice optimisation needs exactly this


def test_one_optimizer_step_reaches_every_trainable_parameter() -> None:
    torch.manual_seed(0)
    model = KokoroModel(KokoroConfig.tiny()).train()
    parameters = trainable(model)
    frozen = {name for name, p in model.named_parameters() if not p.requires_grad}
    # In the checkpoint but never trained: the unused Albert pooler, and the harmonic source's
    # mixer, which the generator runs without gradient as upstream does.
    assert frozen == {
        "bert.pooler.weight", "bert.pooler.bias",
        "decoder.generator.m_source.l_linear.weight", "decoder.generator.m_source.l_linear.bias",
    }  # fmt: skip
    before = {name: p.detach().clone() for name, p in parameters.items()}
    optimizer = torch.optim.AdamW(parameters.values(), lr=1e-3)
    training_loss(model).backward()
    missing = [name for name, p in parameters.items() if p.grad is None]
    assert missing == [], f"no gradient reached {missing[:5]}"
    not_finite = [name for name, p in parameters.items() if not torch.isfinite(p.grad).all()]
    assert not_finite == []
    zero = [name for name, p in parameters.items() if p.grad.abs().sum() == 0]
    assert len(zero) <= len(parameters) // 20, f"all-zero gradients: {zero[:5]}"
    optimizer.step()
    unchanged = [name for name, p in parameters.items() if torch.equal(p.detach(), before[name])]
    assert len(unchanged) == len(zero)


def test_loading_leaves_the_mode_and_the_process_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """load_model is pure: no eval(), no allocator or kernel-cache environment changes."""
    from kokoro_tui.model.checkpoint import save_safetensors

    for variable in ("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "LRU_CACHE_CAPACITY"):
        monkeypatch.delenv(variable, raising=False)
    torch.manual_seed(1)
    source = KokoroModel(KokoroConfig.tiny())
    weights = tmp_path / "tiny.safetensors"
    save_safetensors(source.state_dict(), weights, source.config)
    loaded = load_model(weights, dtype=torch.float64)  # the config comes from the file's metadata
    assert loaded.training and loaded.dtype == torch.float64
    assert loaded.config.hidden_dim == KokoroConfig.tiny().hidden_dim
    assert "ONEDNN_PRIMITIVE_CACHE_CAPACITY" not in os.environ
    state = loaded.state_dict()
    assert all(torch.equal(state[key], value.double()) for key, value in source.state_dict().items())


def test_the_model_moves_between_devices_and_dtypes_and_still_speaks() -> None:
    torch.manual_seed(0)
    model = KokoroModel(KokoroConfig.tiny()).eval()
    style = torch.randn(KokoroConfig.tiny().style_size)
    reference = model.synthesize(IDS[0], style, noise=False)
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    for device in devices:
        for dtype in (torch.float64, torch.float32):
            model.to(device=device, dtype=dtype)
            moved = model.synthesize(IDS[0], style, noise=False)
            assert moved.audio.device.type == device and moved.audio.dtype == dtype
            assert torch.equal(moved.durations.cpu(), reference.durations)
            # Random weights make the vocoder chaotic (phases are sin of large values), so only the
            # way back is compared exactly: moving must neither change a weight nor keep a stale cache.
            assert moved.audio.shape == reference.audio.shape and torch.isfinite(moved.audio).all()
    model.to("cpu", torch.float32)
    assert torch.equal(model.synthesize(IDS[0], style, noise=False).audio, reference.audio)


def _ddp_worker(rank: int, world: int, init_file: str, results: dict) -> None:
    dist.init_process_group("gloo", init_method=f"file://{init_file}", rank=rank, world_size=world)
    try:
        torch.manual_seed(0)  # the same initial weights on every rank
        model = torch.nn.parallel.DistributedDataParallel(KokoroModel(KokoroConfig.tiny()).train())
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss = training_loss(model, seed=rank)  # each rank sees different data
        loss.backward()
        optimizer.step()
        flat = torch.cat([p.detach().reshape(-1) for p in model.module.parameters()])
        results[rank] = (float(loss), flat.sum().item(), flat.abs().sum().item())
    finally:
        dist.destroy_process_group()


def test_distributed_data_parallel_keeps_two_ranks_in_step(tmp_path: Path) -> None:
    """Two processes with different data end the step with identical weights: gradients were averaged."""
    manager = mp.Manager()
    results = manager.dict()
    mp.spawn(_ddp_worker, args=(2, str(tmp_path / "rendezvous"), results), nprocs=2, join=True)
    (loss0, sum0, abs0), (loss1, sum1, abs1) = results[0], results[1]
    assert loss0 != loss1  # the ranks did see different batches
    assert math.isclose(sum0, sum1, rel_tol=0, abs_tol=1e-4) and math.isclose(abs0, abs1, rel_tol=1e-7)
