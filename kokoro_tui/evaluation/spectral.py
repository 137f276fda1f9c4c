"""Do two renderings of the same speech sound alike? Log-mel spectra compared level-free and timing-free.

Levels are normalised first because two back ends may differ only in gain (the ONNX export's
iSTFT is 1.5x louder than torch.istft); dynamic time warping then separates spectral content
from timing, since one token's duration changing shifts every frame after it.

numpy in, numpy out, but the log-mel itself (and its filterbank) is ``kokoro_tui.audio.features``'s,
run in float64 without gradients: the training losses use that same definition, so a distance
reported here measures what they optimise. torch is imported on first use, not with this module,
so importing the evaluation measures stays light.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from kokoro_tui.model.config import SAMPLE_RATE


class SpectralAgreement(NamedTuple):
    distance_db: float  # mean |Δ| over the common frames
    correlation: float  # Pearson r over the common frames
    dtw_distance_db: float  # mean |Δ| along the best time alignment


def rms(audio: np.ndarray) -> float:
    """Root mean square level, accumulated in float64 so long float32 takes do not lose precision."""
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))


def level_normalise(audio: np.ndarray) -> np.ndarray:
    """Scaled to unit RMS (silence is returned unchanged)."""
    level = rms(audio)
    return audio / level if level > 0 else audio


def log_mel_db(audio: np.ndarray, rate: int = SAMPLE_RATE, **settings: int) -> np.ndarray:
    """Log-mel magnitude in dB, [n_mels, frames], floored at -100 dB; frames are centred (padded by n_fft/2).

    ``settings`` (n_fft, hop, n_mels) and their defaults are those of ``features.log_mel_db``.
    """
    import torch

    from kokoro_tui.audio import features

    with torch.no_grad():
        return features.log_mel_db(torch.tensor(audio, dtype=torch.float64), rate, **settings).numpy()


def dtw_mean_cost(cost: np.ndarray) -> float:
    """Mean frame cost along the cheapest monotonic alignment path of a [N, M] cost matrix."""
    n, m = cost.shape
    total = np.full((n + 1, m + 1), np.inf)
    steps = np.zeros((n + 1, m + 1))
    total[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = (total[i - 1, j - 1], total[i - 1, j], total[i, j - 1])
            best = int(np.argmin(options))
            previous = ((i - 1, j - 1), (i - 1, j), (i, j - 1))[best]
            total[i, j] = cost[i - 1, j - 1] + options[best]
            steps[i, j] = steps[previous] + 1
    return float(total[n, m] / steps[n, m])


def mel_agreement(first: np.ndarray, second: np.ndarray, rate: int = SAMPLE_RATE) -> SpectralAgreement:
    """How alike two level-normalised takes' log-mels are, frame by frame and along the best alignment."""
    a, b = log_mel_db(level_normalise(first), rate), log_mel_db(level_normalise(second), rate)
    cost = np.mean(np.abs(a[:, :, None] - b[:, None, :]), axis=0)
    frames = min(a.shape[1], b.shape[1])
    a, b = a[:, :frames], b[:, :frames]
    return SpectralAgreement(
        distance_db=float(np.mean(np.abs(a - b))),
        correlation=float(np.corrcoef(a.ravel(), b.ravel())[0, 1]),
        dtw_distance_db=dtw_mean_cost(cost),
    )
