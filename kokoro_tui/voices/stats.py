"""Summary statistics of a voice pack, per half (decoder dims 0–127, prosody dims 128–255).

What `kokoro voices show` prints: enough to tell a sane pack from a broken or extreme blend.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from kokoro_tui.voices.pack import HALVES, STYLE_DIM


@dataclass(frozen=True)
class HalfStats:
    """Statistics over all 510 rows of one half of the style vector."""

    mean: float
    std: float
    min: float
    max: float
    mean_row_norm: float  # L2 norm of the average row: how far the voice sits from the origin
    row_step: float  # mean L2 distance between consecutive rows: how much the style drifts with length

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def half_stats(pack: np.ndarray) -> dict[str, HalfStats]:
    """Statistics for the ``decoder`` and ``prosody`` halves of a ``[510, 1, 256]`` pack."""
    rows = pack.reshape(-1, STYLE_DIM).astype(np.float64)
    result: dict[str, HalfStats] = {}
    for label, dims in HALVES.items():
        half = rows[:, dims]
        steps = np.linalg.norm(np.diff(half, axis=0), axis=1) if len(half) > 1 else np.zeros(1)
        result[label] = HalfStats(
            mean=float(half.mean()),
            std=float(half.std()),
            min=float(half.min()),
            max=float(half.max()),
            mean_row_norm=float(np.linalg.norm(half.mean(axis=0))),
            row_step=float(steps.mean()),
        )
    return result
