"""AdaIN's fast time statistics against float64 references, including the cancellation-prone rows."""

from __future__ import annotations

import torch

from kokoro_tui.model.adain import AdaIN1d, instance_norm, time_var_mean


def reference(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    var, mean = torch.var_mean(x.double(), dim=2, unbiased=False, keepdim=True)
    return var, mean


def test_statistics_match_float64_on_ordinary_activations():
    x = torch.randn(2, 16, 5000, generator=torch.Generator().manual_seed(0)) * 3 + 1.5
    var, mean = time_var_mean(x)
    ref_var, ref_mean = reference(x)
    assert torch.allclose(mean.double(), ref_mean, rtol=1e-5, atol=1e-6)
    assert torch.allclose(var.double(), ref_var, rtol=1e-5)


def test_rows_whose_mean_dwarfs_their_spread_keep_an_accurate_variance():
    generator = torch.Generator().manual_seed(1)
    x = torch.randn(1, 4, 4000, generator=generator) * 0.01
    x[0, 0] += 1000.0  # mean²/var = 1e10: E[x²] − mean² alone would be all rounding noise
    x[0, 1] = 7.0  # constant: zero variance, never negative
    var, _ = time_var_mean(x)
    ref_var, _ = reference(x)
    assert torch.allclose(var[0, 0].double(), ref_var[0, 0], rtol=1e-3)
    assert 0.0 <= var[0, 1].item() < 1e-8
    assert torch.allclose(var[0, 2:].double(), ref_var[0, 2:], rtol=1e-4)


def test_adain_unmasked_equals_masked_path_and_has_gradients():
    torch.manual_seed(2)
    norm = AdaIN1d(8, 6)
    x = (torch.randn(1, 6, 300) * 2 + 4).requires_grad_()
    style = torch.randn(1, 8)
    fast = norm(x, style)
    mask = torch.ones(1, 1, 300)
    masked = norm(x, style, mask)
    assert torch.allclose(fast, masked, atol=1e-4)
    fast.square().sum().backward()
    assert x.grad is not None and torch.isfinite(x.grad).all() and x.grad.abs().sum() > 0
    gamma_beta = norm.fc(style).unsqueeze(2).chunk(2, dim=1)
    expected = (1 + gamma_beta[0]) * instance_norm(x.detach(), None) + gamma_beta[1]
    assert torch.allclose(fast.detach(), expected.detach(), atol=1e-4)
