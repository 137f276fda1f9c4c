"""Which of the 256 style dims differ most between voices."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kokoro_tui.analysis.length_variation import HALVES
from kokoro_tui.analysis.voiceset import VoiceSet, view_slice

TOP_DIMS = 10


@dataclass(frozen=True)
class DimensionVariance:
    """``variance[d]``: variance (ddof=1) across voices of dim d of the summary vectors.

    ``top[half]`` lists the ``TOP_DIMS`` most variable dims of that half as absolute indices
    (decoder 0–127, prosody 128–255), most variable first.
    """

    variance: np.ndarray  # [256]
    top: dict[str, tuple[int, ...]]

    def to_json(self) -> dict:
        return {
            "space": "variance across voices of each dim of the mean-over-rows summary vector",
            "halves": {
                half: {
                    "total_variance": float(self.variance[view_slice(half)].sum()),
                    "top": [{"dim": d, "variance": float(self.variance[d])} for d in dims],
                    "variance": [float(v) for v in self.variance[view_slice(half)]],
                }
                for half, dims in self.top.items()
            },
        }


def dimension_variance(voices: VoiceSet, *, top: int = TOP_DIMS) -> DimensionVariance:
    """Per-dim variance and the ``top`` most variable dims per half."""
    variance = voices.summaries.var(axis=0, ddof=1)
    ranked = {}
    for half in HALVES:
        dims = view_slice(half)
        order = np.argsort(-variance[dims], kind="stable")[:top]
        ranked[half] = tuple(int(dims.start + i) for i in order)
    return DimensionVariance(variance, ranked)
