"""Behaviour of the forward pass on a tiny random-weight model: lengths, batching, noise, gradients, inputs."""

from __future__ import annotations

import pytest
import torch

from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import KokoroConfig
from kokoro_tui.model.kokoro import KokoroModel
from kokoro_tui.model.weight_norm import WNConv1d

SEQUENCES = [[50, 86, 54, 57, 135, 3], [61, 62], [43, 44, 45, 46]]


def tiny_model(voiced: bool = True, seed: int = 0) -> KokoroModel:
    """Tiny random model with varied durations and (optionally) a voiced ~150 Hz F0 so the sine source matters."""
    torch.manual_seed(seed)
    model = KokoroModel(KokoroConfig.tiny())
    with torch.no_grad():
        model.predictor.duration_proj.linear_layer.weight.mul_(20)
        model.predictor.F0_proj.bias.fill_(150.0 if voiced else -100.0)
    return model


def batch_inputs(sequences: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(s) for s in sequences) + 2
    ids = torch.zeros(len(sequences), width, dtype=torch.long)
    for row, seq in enumerate(sequences):
        ids[row, 1 : len(seq) + 1] = torch.tensor(seq)
    return ids, torch.tensor([len(s) + 2 for s in sequences])


def test_audio_length_is_600_samples_per_duration_unit() -> None:
    model = tiny_model()
    for speed in (0.7, 1.0, 1.6):
        result = model.synthesize(SEQUENCES[0], torch.randn(32), speed, seed=3)
        assert result.durations.shape == (len(SEQUENCES[0]) + 2,)
        assert int(result.durations.min()) >= 1
        assert result.audio.shape == (600 * int(result.durations.sum()),)
        assert torch.isfinite(result.audio).all()


def test_speed_divides_durations_before_rounding() -> None:
    model = tiny_model()
    style = torch.randn(32)
    slow = model.synthesize(SEQUENCES[0], style, 0.5, noise=False).durations
    fast = model.synthesize(SEQUENCES[0], style, 2.0, noise=False).durations
    assert int(slow.sum()) > int(fast.sum())


def test_synthesize_runs_in_inference_mode_and_accepts_both_style_shapes() -> None:
    model = tiny_model()
    style = torch.randn(32)
    flat = model.synthesize(SEQUENCES[1], style, noise=False)
    row = model.synthesize(SEQUENCES[1], style[None], noise=False)
    assert flat.audio.is_inference()
    assert torch.equal(flat.audio, row.audio) and torch.equal(flat.durations, row.durations)


def test_batched_forward_equals_unbatched() -> None:
    # float64 isolates the masking logic from float32 rounding, which the tiny random net amplifies chaotically.
    model = tiny_model().double()
    styles = torch.randn(3, 32, dtype=torch.float64)
    singles = [model.synthesize(seq, styles[i], noise=False) for i, seq in enumerate(SEQUENCES)]
    ids, lengths = batch_inputs(SEQUENCES)
    with torch.no_grad():
        batch = model(ids, lengths, styles, 1.0, noise=False)
    assert len({int(s.durations.sum()) for s in singles}) == 3, "fixture should give ragged frame counts"
    for row, single in enumerate(singles):
        n = single.audio.shape[0]
        assert int(batch.audio_lengths[row]) == n
        assert torch.equal(batch.durations[row, : lengths[row]], single.durations)
        assert int(batch.durations[row, lengths[row] :].abs().sum()) == 0
        peak = float(single.audio.abs().max())
        assert float((batch.audio[row, :n] - single.audio).abs().max()) < 1e-6 * peak
        assert int(torch.count_nonzero(batch.audio[row, n:])) == 0


def test_batched_float32_durations_match_unbatched() -> None:
    model = tiny_model()
    styles = torch.randn(3, 32)
    ids, lengths = batch_inputs(SEQUENCES)
    with torch.no_grad():
        batch = model(ids, lengths, styles, torch.tensor([1.0, 1.3, 0.8]), noise=False)
    for row, (seq, speed) in enumerate(zip(SEQUENCES, (1.0, 1.3, 0.8))):
        single = model.synthesize(seq, styles[row], speed, noise=False)
        assert torch.equal(batch.durations[row, : lengths[row]], single.durations)


def test_same_seed_same_audio_and_different_seed_differs() -> None:
    model = tiny_model()
    style = torch.randn(32)
    first = model.synthesize(SEQUENCES[0], style, seed=7).audio
    again = model.synthesize(SEQUENCES[0], style, seed=7).audio
    other = model.synthesize(SEQUENCES[0], style, seed=8).audio
    assert torch.equal(first, again)
    assert not torch.allclose(first, other)


def test_noise_false_is_deterministic_and_differs_from_noisy() -> None:
    model = tiny_model(voiced=False)
    style = torch.randn(32)
    clean = model.synthesize(SEQUENCES[2], style, noise=False).audio
    torch.manual_seed(123)
    clean_again = model.synthesize(SEQUENCES[2], style, noise=False).audio
    noisy = model.synthesize(SEQUENCES[2], style, seed=1).audio
    assert torch.equal(clean, clean_again)
    assert not torch.allclose(clean, noisy)


def test_audio_loss_backpropagates_to_the_style() -> None:
    model = tiny_model()
    ids, lengths = batch_inputs(SEQUENCES[:2])
    style = torch.randn(2, 32, requires_grad=True)
    out = model(ids, lengths, style, 1.0, noise=False)
    loss = out.audio.pow(2).mean()
    loss.backward()
    assert style.grad is not None and torch.isfinite(style.grad).all()
    assert float(style.grad[:, :16].abs().sum()) > 0, "decoder half of the style gets no gradient"
    assert float(style.grad[:, 16:].abs().sum()) > 0, "prosody half of the style gets no gradient"


def test_weight_norm_fold_cache_follows_new_weights() -> None:
    conv = WNConv1d(3, 4, 3, padding=1)
    x = torch.randn(1, 3, 10)
    with torch.no_grad():
        before = conv(x)
        conv.weight_g.mul_(2.0)
        after = conv(x)
    assert torch.allclose(after - conv.bias[:, None], 2 * (before - conv.bias[:, None]), atol=1e-5)
    with torch.no_grad():
        conv.weight_v.zero_()
        zeroed = conv(x)
    assert torch.isfinite(zeroed).all()
    assert torch.allclose(zeroed, conv.bias[None, :, None].expand_as(zeroed))


def test_model_to_dtype_and_device_follow_the_parameters() -> None:
    model = tiny_model().to(torch.device("cpu"), torch.float64)
    result = model.synthesize(SEQUENCES[1], torch.randn(32), noise=False)
    assert result.audio.dtype == torch.float64 and result.audio.device == model.device


@pytest.mark.parametrize(
    ("ids", "style", "speed", "message"),
    [
        ([1] * 63, torch.zeros(32), 1.0, "too many phonemes"),
        ([5, 400], torch.zeros(32), 1.0, "outside"),
        ([5, 0], torch.zeros(32), 1.0, "outside"),
        ([5], torch.zeros(31), 1.0, "style must have 32"),
        ([5], torch.zeros(32), 0.0, "speed"),
        ([5], torch.zeros(32), float("nan"), "speed"),
    ],
)
def test_bad_inputs_raise_kokoro_error(ids: list[int], style: torch.Tensor, speed: float, message: str) -> None:
    model = tiny_model()
    with pytest.raises(KokoroError, match=message):
        model.synthesize(ids, style, speed)
