"""The fused numba Snake kernels against the torch ops they replace, alone and inside a resblock."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from kokoro_tui.model import snake_kernels
from kokoro_tui.model.int8 import int8_available
from kokoro_tui.model.resblocks import AdaINResBlock1, snake_of

pytestmark = pytest.mark.skipif(not snake_kernels.available(), reason="numba is a dependency; its absence is tested below")


def activations(seed: int = 0, shape: tuple[int, int, int] = (2, 16, 3001)) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(shape, generator=generator) * 4 + 1
    a = torch.rand(shape[0], shape[1], 1, generator=generator) * 6 - 3  # both signs, as AdaIN scales can have
    b = torch.randn(shape[0], shape[1], 1, generator=generator) * 5
    return x, a, b


def test_snake_affine_matches_torch_sin_over_many_periods():
    x, a, b = activations()
    with torch.inference_mode():
        fused = snake_kernels.snake_affine(x, a, b)
        reference = snake_of(torch.addcmul(b, x, a))
    assert fused.shape == x.shape and fused.dtype == torch.float32
    # |z| reaches ~50 here (16 periods of sin²): the error is float32 rounding of the reduction.
    assert (fused - reference).abs().max().item() < 2e-5


def test_snake_codes_are_the_rounded_scaled_values_and_never_wrap():
    x, a, b = activations(1)
    with torch.inference_mode():
        value = snake_of(torch.addcmul(b, x, a))
        scales = value.abs().amax(dim=(0, 2)) / 127 * 0.9  # 10 % too small: the extremes must clamp, not wrap
        codes = snake_kernels.snake_affine_codes(x, a, b, scales)
    assert codes.dtype == torch.uint8
    expected = torch.clamp(value / scales.view(1, -1, 1) + 128.5, 1.0, 255.49).floor()
    assert (codes.float() - expected).abs().max().item() <= 1  # at most a rounding-boundary flip
    assert codes.min().item() >= 0 and (codes == 255).any() and (codes == 0).sum().item() == 0


def int8_block(int8: bool) -> AdaINResBlock1:
    if int8 and not int8_available():
        pytest.fail("the pinned torch build must have oneDNN int8 convolutions")
    torch.manual_seed(3)
    block = AdaINResBlock1(32, 7, [1, 3, 5], 16).eval()
    for conv in (*block.convs1, *block.convs2):
        conv.int8 = int8
    return block


@pytest.mark.parametrize("time_major", [False, True])
@pytest.mark.parametrize("int8", [False, True])
def test_resblock_fused_path_matches_the_torch_path(monkeypatch, int8, time_major):
    block = int8_block(int8)
    x, style = torch.randn(1, 32, 2400) * 2, torch.randn(1, 16)
    if time_major:  # as the generator hands it over
        x = x.transpose(1, 2).contiguous().transpose(1, 2)
    given = x.clone()
    with torch.inference_mode():
        fused = block(x, style)
        monkeypatch.setattr(snake_kernels, "usable", lambda _: False)
        plain = block(x, style)
    assert torch.equal(x, given), "the residual sums run in place, but never on the caller's tensor"
    scale = plain.abs().max().item()
    tolerance = 0.03 if int8 else 1e-4  # int8: two roundings per conv, different activation ranges
    assert (fused - plain).abs().max().item() < tolerance * scale


@pytest.mark.parametrize("int8", [False, True])
def test_a_consumed_input_is_summed_into_in_place_with_the_same_result(int8):
    block = int8_block(int8)
    x, style = torch.randn(1, 32, 2400) * 2, torch.randn(1, 16)
    with torch.inference_mode():
        expected = block(x, style)
        given = block.inference_layout(x.clone())
        result = block(given, style, consume=True)
    assert result is given and torch.equal(result, expected)


def test_without_numba_the_torch_path_runs(monkeypatch):
    monkeypatch.setattr(snake_kernels, "_compiled", lambda: None)
    assert not snake_kernels.usable(torch.zeros(1, 2, 3))
    block = AdaINResBlock1(8, 3, [1, 3, 5], 4).eval()
    with torch.inference_mode():
        assert torch.isfinite(block(torch.randn(1, 8, 100), torch.randn(1, 4))).all()


def test_time_major_input_gives_the_same_values_in_the_same_layout():
    x, a, b = activations(4)
    frames = x.transpose(1, 2).contiguous().transpose(1, 2)  # the layout oneDNN's int8 convs return
    assert snake_kernels.time_major(frames) and not snake_kernels.time_major(x)
    with torch.inference_mode():
        plain, framed = snake_kernels.snake_affine(x, a, b), snake_kernels.snake_affine(frames, a, b)
        assert snake_kernels.time_major(framed) and torch.equal(plain, framed)
        scales = plain.abs().amax(dim=(0, 2)) / 127
        codes = snake_kernels.snake_affine_codes(frames, a, b, scales)
        assert snake_kernels.time_major(codes)
        assert torch.equal(codes, snake_kernels.snake_affine_codes(x, a, b, scales))


def test_channel_moments_of_both_layouts_match_float64():
    x, _, _ = activations(5)
    frames = x.transpose(1, 2).contiguous().transpose(1, 2)
    var64, mean64 = torch.var_mean(x.double(), dim=2, unbiased=False, keepdim=True)
    for layout in (x, frames):
        var, mean, low, high = snake_kernels.channel_moments(layout, with_range=True)
        assert torch.allclose(mean.double(), mean64, atol=1e-5) and torch.allclose(var.double(), var64, rtol=1e-5)
        assert torch.equal(low, x.amin(dim=2, keepdim=True)) and torch.equal(high, x.amax(dim=2, keepdim=True))
    assert snake_kernels.channel_moments(x, with_range=False)[2] is None


def test_preloading_in_a_thread_loads_every_signature_the_synthesis_calls():
    """``preload`` overlaps numba's start with the model load; the kernels it loads must be the ones used, or the
    synthesis would still load (or compile) its own on the critical path."""
    script = """
import torch
from kokoro_tui.model import snake_kernels
from kokoro_tui.model.resblocks import AdaINResBlock1
thread = snake_kernels.preload()
thread.join()
kernels = snake_kernels._compiled()
names = ("snake_rows", "snake_code_rows", "snake_frames", "snake_code_frames", "frame_moments")
loaded = {name: len(getattr(kernels, name).signatures) for name in names}
for int8 in (False, True):
    block = AdaINResBlock1(8, 3, [1, 3, 5], 4).eval()
    for conv in (*block.convs1, *block.convs2):
        conv.int8 = int8
    with torch.inference_mode():
        x = torch.randn(1, 8, 300)
        block(x, torch.randn(1, 4))
        block(x.transpose(1, 2).contiguous().transpose(1, 2), torch.randn(1, 4))
print(min(loaded.values()), loaded == {name: len(getattr(kernels, name).signatures) for name in names},
      snake_kernels.preload())
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["1", "True", "None"]
