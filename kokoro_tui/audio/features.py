"""Differentiable audio features in torch: mel filterbank, STFT magnitude, log-mel and spectral losses.

Evaluation's log-mel distance and the training losses are computed here, once, so a figure that
judges a model and the loss that trains it mean the same window, framing and mel scale. Every
function takes a waveform ``[N]`` or a batch ``[B, N]`` on any device, keeps its dtype, and is
differentiable in it.
"""

from __future__ import annotations

import math

import torch

from kokoro_tui.model.config import SAMPLE_RATE

N_MELS = 80
# -100 dB: the level silence reads in log_mel_db; below it the logs are flat, so no loss pushes there.
MAGNITUDE_FLOOR = 1e-5
# Added to |X|² so sqrt's gradient stays finite in an exactly silent bin. Its 1e-12 magnitude
# sits far below MAGNITUDE_FLOOR: it moves a log-mel by well under 1e-4 dB.
POWER_FLOOR = 1e-24
# Evaluation's log-mel at 24 kHz: 43 ms windows every 10 ms.
LOG_MEL_N_FFT, LOG_MEL_HOP = 1024, 240
# The training mel, as StyleTTS2 (Kokoro's parent) computes it at 24 kHz: 50 ms windows every
# 12.5 ms in 2048-point FFTs.
MEL_N_FFT, MEL_HOP, MEL_WIN = 2048, 300, 1200
# (n_fft, hop, win) of Parallel WaveGAN's multi-resolution STFT loss at 24 kHz: short windows
# judge transients, long ones harmonics, so a fit at one trade-off cannot hide artefacts at another.
STFT_LOSS_RESOLUTIONS: tuple[tuple[int, int, int], ...] = ((1024, 120, 600), (2048, 240, 1200), (512, 50, 240))
# A take quieter than this (-160 dBFS) is scaled as if it were this loud, so level normalisation
# leaves silence silent and its gradient finite.
SILENCE_RMS = 1e-8


def mel_filterbank(n_fft: int, n_mels: int, rate: int) -> torch.Tensor:
    """Triangular filters on the HTK mel scale, [n_mels, n_fft//2+1], float64 on the CPU (callers move it).

    Centres are evenly spaced in mel from 0 Hz to Nyquist; each filter peaks at 1 (no area
    normalisation), so a pure tone reads the same level whatever band it falls in.
    """
    top = 2595.0 * math.log10(1.0 + rate / 2 / 700.0)
    edges = 700.0 * (10.0 ** (torch.linspace(0.0, top, n_mels + 2, dtype=torch.float64) / 2595.0) - 1.0)
    bins = torch.fft.rfftfreq(n_fft, 1.0 / rate, dtype=torch.float64)
    low, centre, high = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (bins - low) / (centre - low)
    falling = (high - bins) / (high - centre)
    return torch.minimum(rising, falling).clamp_min(0.0)


def stft_magnitude(audio: torch.Tensor, n_fft: int, hop: int, win_length: int | None = None) -> torch.Tensor:
    """|STFT|, [..., n_fft//2+1, frames]: symmetric Hann window, frame t centred on sample t*hop.

    The ends are padded with n_fft/2 zeros (not reflected), so a clip shorter than one window
    still has frames, and the numbers match evaluation's original numpy framing.
    """
    win_length = win_length or n_fft
    window = torch.hann_window(win_length, periodic=False, dtype=audio.dtype, device=audio.device)
    spectrum = torch.stft(
        audio, n_fft, hop, win_length, window, center=True, pad_mode="constant", return_complex=True
    )
    return (spectrum.real.square() + spectrum.imag.square() + POWER_FLOOR).sqrt()


def mel_magnitude(
    audio: torch.Tensor, rate: int, n_fft: int, hop: int, win_length: int, n_mels: int
) -> torch.Tensor:
    """Mel-filtered STFT magnitude, [..., n_mels, frames], floored at MAGNITUDE_FLOOR so its log is finite."""
    magnitude = stft_magnitude(audio, n_fft, hop, win_length)
    return (mel_filterbank(n_fft, n_mels, rate).to(magnitude) @ magnitude).clamp_min(MAGNITUDE_FLOOR)


def log_mel_db(
    audio: torch.Tensor,
    rate: int = SAMPLE_RATE,
    n_fft: int = LOG_MEL_N_FFT,
    hop: int = LOG_MEL_HOP,
    n_mels: int = N_MELS,
) -> torch.Tensor:
    """Log-mel magnitude in dB, [..., n_mels, frames], floored at -100 dB: evaluation's measure."""
    return 20.0 * torch.log10(mel_magnitude(audio, rate, n_fft, hop, n_fft, n_mels))


def mel_spectrogram(
    audio: torch.Tensor,
    rate: int = SAMPLE_RATE,
    n_fft: int = MEL_N_FFT,
    hop: int = MEL_HOP,
    win_length: int = MEL_WIN,
    n_mels: int = N_MELS,
) -> torch.Tensor:
    """Natural-log mel magnitude, [..., n_mels, frames], floored at log(1e-5): the target of a mel L1 loss.

    Natural log of magnitude (not power) as HiFi-GAN's mel loss takes it; an L1 between two of
    these weighs a relative error the same in quiet and loud bands.
    """
    return torch.log(mel_magnitude(audio, rate, n_fft, hop, win_length, n_mels))


def multi_resolution_stft_loss(
    predicted: torch.Tensor,
    target: torch.Tensor,
    resolutions: tuple[tuple[int, int, int], ...] = STFT_LOSS_RESOLUTIONS,
) -> torch.Tensor:
    """Spectral convergence plus log-magnitude L1, averaged over (n_fft, hop, win) resolutions; a scalar.

    Convergence (relative Frobenius error over the whole batch) is led by the loud bins, the
    log term by all bins alike; together they fit both the peaks and the noise floor.
    """
    total = predicted.new_zeros(())
    for n_fft, hop, win_length in resolutions:
        guess = stft_magnitude(predicted, n_fft, hop, win_length)
        truth = stft_magnitude(target, n_fft, hop, win_length)
        convergence = torch.linalg.vector_norm(truth - guess) / torch.linalg.vector_norm(truth)
        log_error = (truth.clamp_min(MAGNITUDE_FLOOR).log() - guess.clamp_min(MAGNITUDE_FLOOR).log()).abs().mean()
        total = total + convergence + log_error
    return total / len(resolutions)


def unit_rms(audio: torch.Tensor) -> torch.Tensor:
    """Each waveform scaled to unit RMS, so a comparison ignores gain (silence stays silent)."""
    mean_square = audio.square().mean(dim=-1, keepdim=True)
    return audio / mean_square.clamp_min(SILENCE_RMS**2).sqrt()


def log_mel_distance(a: torch.Tensor, b: torch.Tensor, rate: int = SAMPLE_RATE) -> torch.Tensor:
    """Mean |Δ| in dB between level-normalised log-mels over their common frames; a scalar.

    Levels are normalised first because two renderings may differ only in gain; frames beyond
    the shorter take are dropped rather than compared with silence.
    """
    first, second = log_mel_db(unit_rms(a), rate), log_mel_db(unit_rms(b), rate)
    frames = min(first.shape[-1], second.shape[-1])
    return (first[..., :frames] - second[..., :frames]).abs().mean()
