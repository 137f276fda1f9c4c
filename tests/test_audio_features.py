"""The torch audio features: equal to an independent numpy log-mel, differentiable, batch-safe."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from kokoro_tui.audio.features import (
    log_mel_db,
    log_mel_distance,
    mel_spectrogram,
    multi_resolution_stft_loss,
    stft_magnitude,
)
from kokoro_tui.evaluation.spectral import mel_agreement

RATE = 24_000


def reference_log_mel_db(audio: np.ndarray, n_fft: int = 1024, hop: int = 240, n_mels: int = 80) -> np.ndarray:
    """Evaluation's original numpy log-mel (before the torch features), kept as the independent reference."""
    top_mel = 2595.0 * np.log10(1.0 + RATE / 2 / 700.0)
    edges = 700.0 * (10.0 ** (np.linspace(0.0, top_mel, n_mels + 2) / 2595.0) - 1.0)
    bins = np.fft.rfftfreq(n_fft, 1.0 / RATE)
    low, centre, high = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    filters = np.maximum(0.0, np.minimum((bins - low) / (centre - low), (high - bins) / (high - centre)))
    padded = np.pad(audio.astype(np.float64), n_fft // 2)
    frames = 1 + (padded.size - n_fft) // hop
    index = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    spectrum = np.abs(np.fft.rfft(padded[index] * np.hanning(n_fft)[None, :], axis=1))
    return 20.0 * np.log10(np.maximum(filters @ spectrum.T, 1e-5))


def speech_like(seconds: float, seed: int) -> np.ndarray:
    """A voiced glide with seven harmonics under a low noise floor, ending in a noise burst (a fricative)."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    phase = 2 * np.pi * np.cumsum(120.0 + 180.0 * t / seconds) / RATE
    voiced = sum(np.sin(k * phase) / k for k in range(1, 8)) * np.sin(np.pi * t / seconds) ** 2
    noise = rng.standard_normal(t.size) * np.where(t > 0.7 * seconds, 0.05, 0.002)
    return (0.3 * voiced + noise).astype(np.float32)


def degraded(audio: np.ndarray) -> np.ndarray:
    """Another rendering of the same take: 10 ms later, 1.4x louder, slightly duller, with a little noise."""
    delayed = np.concatenate([np.zeros(240, np.float32), audio])[: audio.size + 120]
    noise = 0.003 * np.random.default_rng(2).standard_normal(delayed.size)
    return 1.4 * np.convolve(delayed, np.ones(3) / 3, mode="same") + noise


@pytest.mark.parametrize(
    "audio",
    [
        speech_like(1.0, 0),
        np.zeros(RATE // 10),  # all at the -100 dB floor
        speech_like(1.0, 1)[:700],  # shorter than one window
        1e-4 * speech_like(0.5, 3),  # near the floor, where the sqrt floor could show
        np.sin(2 * np.pi * 3_000.0 * np.arange(5_000) / RATE) * np.linspace(0.0, 1.0, 5_000),
    ],
    ids=["speech", "silence", "short", "quiet", "swelling-tone"],
)
def test_log_mel_matches_the_numpy_reference(audio: np.ndarray) -> None:
    expected = reference_log_mel_db(audio)
    got = log_mel_db(torch.tensor(audio, dtype=torch.float64)).numpy()
    assert got.shape == expected.shape
    assert np.max(np.abs(got - expected)) < 1e-3
    # Training precision: float32 rounding shows only in bins far below the loudest.
    single = log_mel_db(torch.tensor(audio, dtype=torch.float32)).numpy()
    audible = expected > max(expected.max() - 60.0, -80.0)
    assert np.max(np.abs(single - expected)[audible], initial=0.0) < 0.01


def test_mel_agreement_numbers_did_not_move() -> None:
    # Computed with the numpy-only evaluation.spectral (before it used the torch features) on this
    # exact pair; the torch log-mel must reproduce them.
    first = speech_like(0.6, 1)
    agreement = mel_agreement(first, degraded(first))
    assert agreement.distance_db == pytest.approx(4.060755589313632, abs=1e-4)
    assert agreement.correlation == pytest.approx(0.923963105308134, abs=1e-6)
    assert agreement.dtw_distance_db == pytest.approx(2.774029088709914, abs=1e-4)


def test_log_mel_distance_is_mel_agreements_distance() -> None:
    first = speech_like(0.6, 1)
    second = degraded(first)
    torch_distance = log_mel_distance(torch.from_numpy(first).double(), torch.from_numpy(second).double())
    assert torch_distance.item() == pytest.approx(mel_agreement(first, second).distance_db, abs=1e-6)


def mel_l1(predicted: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    return F.l1_loss(mel_spectrogram(predicted), mel_spectrogram(target))


LOSSES: dict[str, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = {
    "multi-resolution STFT": multi_resolution_stft_loss,
    "log-mel distance": log_mel_distance,
    "mel L1": mel_l1,
}


@pytest.mark.parametrize("loss", LOSSES.values(), ids=LOSSES.keys())
def test_losses_train_the_waveform(loss: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> None:
    target = torch.from_numpy(speech_like(0.5, 4))
    noise = torch.from_numpy(np.random.default_rng(5).standard_normal(target.numel()).astype(np.float32))
    assert loss(target, target).item() == pytest.approx(0.0, abs=1e-6)
    values = [loss(target + level * noise, target).item() for level in (0.001, 0.01, 0.1)]
    assert values[0] < values[1] < values[2]
    predicted = (target + 0.01 * noise).requires_grad_()
    value = loss(predicted, target)
    assert value.ndim == 0
    value.backward()
    assert predicted.grad is not None
    assert torch.isfinite(predicted.grad).all() and predicted.grad.abs().sum() > 0


def test_silence_keeps_gradients_finite() -> None:
    """Exactly silent bins are where sqrt and level normalisation would divide by zero."""
    silence = torch.zeros(RATE // 10, requires_grad=True)
    target = torch.from_numpy(speech_like(0.1, 6))
    for loss in LOSSES.values():
        silence.grad = None
        loss(silence, target).backward()
        assert silence.grad is not None and torch.isfinite(silence.grad).all()


def test_a_batch_is_its_items() -> None:
    batch = torch.from_numpy(np.stack([speech_like(0.4, seed) for seed in (7, 8, 9)]))
    for feature in (log_mel_db, mel_spectrogram, lambda audio: stft_magnitude(audio, 512, 50, 240)):
        together = feature(batch)
        for item, alone in zip(together, batch):
            torch.testing.assert_close(item, feature(alone), atol=1e-4, rtol=1e-5)
    other = batch.flip(0)
    each = torch.stack([log_mel_distance(a, b) for a, b in zip(batch, other)])
    torch.testing.assert_close(log_mel_distance(batch, other), each.mean())


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_gives_the_cpu_numbers() -> None:
    audio = torch.from_numpy(np.stack([speech_like(0.4, 10), speech_like(0.4, 11)]))
    for feature in (log_mel_db, mel_spectrogram):
        torch.testing.assert_close(feature(audio.cuda()).cpu(), feature(audio), atol=1e-3, rtol=1e-4)
    predicted = (audio.cuda() * 0.9).requires_grad_()
    multi_resolution_stft_loss(predicted, audio.cuda()).backward()
    assert predicted.grad is not None and torch.isfinite(predicted.grad).all()
