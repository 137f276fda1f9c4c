"""The opt-in int8 decoder convolutions: close to fp32, following new weights, never under autograd."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from kokoro_tui.model.config import KokoroConfig
from kokoro_tui.model.inference import use_int8_convs
from kokoro_tui.model.int8 import Int8Conv1d, int8_available, quantize_activation, tile_lengths
from kokoro_tui.model.kokoro import KokoroModel
from kokoro_tui.model.weight_norm import WNConv1d


def test_the_pinned_torch_build_has_the_int8_kernels():
    """No silent skips: the torch==2.13.0 CPU build we install ships oneDNN's int8 conv."""
    assert int8_available()


def relative_error(quantised: torch.Tensor, reference: torch.Tensor) -> float:
    assert not torch.equal(quantised, reference), "int8 path was not taken"
    return float((quantised - reference).norm() / reference.norm())


def test_activation_codes_round_to_half_a_step_per_channel() -> None:
    torch.manual_seed(0)
    x = torch.randn(2, 5, 300) * torch.tensor([0.01, 1.0, 50.0, 3.0, 0.0]).view(1, -1, 1)
    codes, scales = quantize_activation(x)
    assert codes.dtype == torch.uint8 and codes.shape == x.shape
    restored = (codes.float() - 128) * scales.view(1, -1, 1)
    assert torch.all((restored - x).abs() <= scales.view(1, -1, 1) * 0.5001)
    assert torch.all(codes[:, 4] == 128), "an all-zero channel must stay exactly zero"


def test_int8_conv_is_close_to_fp32_and_follows_new_weights() -> None:
    torch.manual_seed(0)
    conv = WNConv1d(64, 48, 7, padding=6, dilation=2)
    # Channels of very different ranges, as Snake produces: per-channel scales keep them all.
    x = torch.randn(1, 64, 500) * torch.logspace(-2, 1, 64).view(1, -1, 1)

    def error() -> float:
        with torch.no_grad():
            conv.int8 = False
            reference = conv(x)
            conv.int8 = True
            return relative_error(conv(x), reference)

    assert error() < 0.03
    with torch.no_grad():
        conv.weight_g.mul_(3.0)
        conv.bias.add_(1.0)
    assert error() < 0.03, "int8 weight did not follow the new parameters"
    assert torch.equal(conv(x), F.conv1d(x, conv.compute_weight(), conv.bias, 1, 6, 2)), "autograd path must stay fp32"


def test_int8_scaled_input_folds_the_divisor_and_follows_it() -> None:
    torch.manual_seed(1)
    conv = WNConv1d(32, 32, 3, padding=3, dilation=3)
    conv.int8 = True
    x = torch.randn(1, 32, 400)
    alpha = torch.nn.Parameter(torch.rand(1, 32, 1) + 0.2)
    with torch.no_grad():
        for _ in range(2):
            reference = F.conv1d(x / alpha, conv.weight(), conv.bias, 1, 3, 3)
            assert relative_error(conv.scaled_input(x, alpha), reference) < 0.03
            alpha.mul_(4.0)
        conv.fold()
        conv.scaled_input(x, alpha)
    held = conv._int8[alpha.data_ptr()][1].weight
    assert held.data_ptr() == conv.weight_v.data_ptr(), "the int8 conv must not hold its own copy of the weight"


def test_weight_codes_are_the_folded_weight_rounded_on_its_own_scale() -> None:
    """The one-pass quantisation (tap-peak table) against the plain formula: the same codes but for float ties."""
    torch.manual_seed(3)
    weight, divisor = torch.randn(40, 24, 7), torch.rand(1, 24, 1) + 0.2
    conv = Int8Conv1d(weight, None, 1, 3, 1, divisor)
    scales = torch.rand(24) * 0.1 + 1e-3
    codes, weight_scales = conv.quantize_weight(scales)
    folded = weight / divisor * scales.view(1, -1, 1)
    expected_scales = folded.abs().amax(dim=(1, 2)) / 63.0
    torch.testing.assert_close(weight_scales, expected_scales, rtol=1e-6, atol=0.0)
    expected = torch.round(folded / expected_scales.view(-1, 1, 1))
    assert codes.dtype == torch.int8 and codes.abs().max() == 63
    assert (codes.float() - expected).abs().max() <= 1 and (codes.float() != expected).float().mean() < 1e-3


def test_batched_int8_conv_matches_per_item_scale_of_the_whole_batch() -> None:
    torch.manual_seed(2)
    conv = WNConv1d(16, 8, 5, padding=2)
    x = torch.randn(3, 16, 100)
    with torch.no_grad():
        reference = conv(x)
        conv.int8 = True
        assert relative_error(conv(x), reference) < 0.03


def test_use_int8_convs_switches_generator_convs_without_touching_weights() -> None:
    torch.manual_seed(0)
    model = KokoroModel(KokoroConfig.tiny())
    before = {key: value.clone() for key, value in model.state_dict().items()}
    style, ids = torch.randn(32), [50, 86, 54, 57, 135, 3]
    reference = model.synthesize(ids, style, noise=False)
    assert use_int8_convs(model) == sum(
        1 for name, m in model.named_modules()
        if isinstance(m, WNConv1d) and name.startswith("decoder.generator.") and not name.endswith("conv_post")
    )
    assert model.decoder.generator.resblocks[0].convs1[0].int8
    assert not model.decoder.generator.conv_post.int8 and not model.decoder.decode[0].conv1.int8
    assert not model.text_encoder.cnn[0][0].int8
    quantised = model.synthesize(ids, style, noise=False)
    assert torch.equal(quantised.durations, reference.durations)
    assert not torch.equal(quantised.audio, reference.audio), "int8 path was not taken"
    # Random tiny weights make loud, noisy audio: int8 is 20 % off here; a block that summed into its
    # caller's tensor once made it 60,000 times the signal.
    assert relative_error(quantised.audio, reference.audio) < 0.5
    assert all(torch.equal(before[key], value) for key, value in model.state_dict().items())
    use_int8_convs(model, False)
    assert torch.equal(model.synthesize(ids, style, noise=False).audio, reference.audio)


def untiled(conv: Int8Conv1d, codes: torch.Tensor, scales: torch.Tensor) -> torch.Tensor:
    """The same int8 convolution in one oneDNN call over the whole input, as before tiling."""
    weight_codes, weight_scales = conv.quantize_weight(scales)
    return conv._convolve(codes, conv._pack(weight_codes, weight_scales, conv.padding), weight_scales, conv.padding)


@pytest.mark.parametrize("length", [1, 300, 512, 513, 2048, 2049, 5000])
def test_tiled_int8_conv_equals_one_call_bit_for_bit(length: int) -> None:
    torch.manual_seed(length)
    for channels, kernel, dilation in [(16, 11, 5), (24, 3, 1)]:
        conv = Int8Conv1d(torch.randn(channels, channels, kernel), torch.randn(channels), 1,
                          dilation * (kernel - 1) // 2, dilation)  # fmt: skip
        x = torch.randn(2, channels, length)
        for layout in (x, x.transpose(1, 2).contiguous().transpose(1, 2)):  # channels-first and time-major
            codes, scales = quantize_activation(layout)
            assert torch.equal(conv.from_codes(codes, scales), untiled(conv, codes, scales))


def test_int8_convs_reach_onednn_in_a_few_fixed_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    """oneDNN builds a kernel per input shape, slowly: chunks of new lengths must not each cause new ones."""
    seen: set[tuple[int, ...]] = set()
    original = Int8Conv1d._convolve

    def recording(self: Int8Conv1d, codes: torch.Tensor, *args: object) -> torch.Tensor:
        seen.add(tuple(codes.shape))
        return original(self, codes, *args)

    monkeypatch.setattr(Int8Conv1d, "_convolve", recording)
    conv = Int8Conv1d(torch.randn(8, 8, 7), None, 1, 9, 3)
    for length in [37, 400, 700, 1999, 3001, 4500, 9000]:
        conv(torch.randn(1, 8, length))
    assert seen == {(1, 8, 512 + 18), (1, 8, 1024 + 18), (1, 8, 2048 + 18)}


@pytest.mark.parametrize("length", [1, 511, 512, 513, 1025, 1537, 2049, 7201, 30_000])
def test_tiles_cover_the_output_with_less_than_a_small_tile_to_spare(length: int) -> None:
    tiles = tile_lengths(length)
    assert set(tiles) <= {512, 1024, 2048}
    assert 0 <= sum(tiles) - length < 512
    assert tiles == sorted(tiles, reverse=True)
