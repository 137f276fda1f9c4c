"""Correlation between the decoder half and the prosody half of the style vector, across voices.

With 54 voices and 16,384 pairs, some large |r| appear by chance. ``null_max_abs_r`` is the
95th percentile of the largest |r| after shuffling which prosody half belongs to which voice,
so a pair above it is unlikely to be a chance finding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kokoro_tui.analysis.voiceset import HALF, VoiceSet

TOP_PAIRS = 20
PERMUTATIONS = 200


@dataclass(frozen=True)
class CorrelatedPair:
    """Decoder dim ``decoder_dim`` (0–127) and prosody dim ``prosody_dim`` (128–255) with Pearson ``r``."""

    decoder_dim: int
    prosody_dim: int
    r: float


@dataclass(frozen=True)
class InterlayerCorrelation:
    """``matrix[i, j]``: Pearson r across voices between dim i and dim 128+j of the summary vectors."""

    matrix: np.ndarray  # [128, 128]
    top_pairs: tuple[CorrelatedPair, ...]
    null_max_abs_r: float
    voices: int

    @property
    def mean_abs_r(self) -> float:
        return float(np.abs(self.matrix).mean())


def _standardise(data: np.ndarray) -> np.ndarray:
    """Columns to zero mean, unit variance; constant columns become zeros (r = 0, not NaN)."""
    centred = data - data.mean(axis=0)
    std = centred.std(axis=0)
    return np.divide(centred, std, out=np.zeros_like(centred), where=std > 0)


def cross_correlation(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Pearson r between every column of ``left`` [N, a] and every column of ``right`` [N, b] -> [a, b]."""
    return _standardise(left).T @ _standardise(right) / left.shape[0]


def interlayer_correlation(
    voices: VoiceSet, *, top: int = TOP_PAIRS, permutations: int = PERMUTATIONS, seed: int = 0
) -> InterlayerCorrelation:
    """Decoder-vs-prosody correlation matrix, its ``top`` pairs by |r|, and a permutation null."""
    decoder = _standardise(voices.summaries[:, :HALF])
    prosody = _standardise(voices.summaries[:, HALF:])
    count = decoder.shape[0]
    matrix = decoder.T @ prosody / count
    order = np.argsort(-np.abs(matrix), axis=None)[:top]
    pairs = tuple(
        CorrelatedPair(int(i), HALF + int(j), float(matrix[i, j]))
        for i, j in zip(*np.unravel_index(order, matrix.shape))
    )
    rng = np.random.default_rng(seed)
    maxima = [np.abs(decoder.T @ prosody[rng.permutation(count)] / count).max() for _ in range(permutations)]
    return InterlayerCorrelation(matrix, pairs, float(np.percentile(maxima, 95)), count)
