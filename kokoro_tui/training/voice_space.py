"""The space a made voice lives in: a blend of stock packs plus a small, shared style offset.

A Kokoro pack is 510 style rows, one per input length. Optimising all 130,560 numbers from a minute
of audio fits the speaker encoder, not the speaker (the trap kvoicewalk falls into). Here a pack is

    pack = sum_i softmax(logits)_i * stock_i  +  OFFSET_UNIT * sum_j coefficients_j * direction_j

- the blend keeps the stock packs' length dependence (the 510 rows move together);
- the offset, added to every row, moves the timbre half of the row (the decoder's 128 numbers) in
  any direction of that half, written on its principal axes over all stock rows, every axis in the
  same unit, and a penalty on the coefficients keeps it small. The stock timbres fill few of those
  axes (spread 0.67 along the first, 0.014 along the 64th, 0.0006 along the last), and a voice left
  out of them lies well off their span: its projection moves 7-21 spreads along axes 33-128. Counted
  in spreads (until session 25: 64 axes, steps and penalty per spread), those axes were out of
  reach, and two of five left-out voices stopped at 0.90 and 0.88; counted in one unit, 0.94 and 0.94
  (benchmarks/voice_cloning.md);
- the prosody half (durations, pitch, energy) stays a blend of stock voices: an offset there lowered
  intelligibility (a male speaker's word error rate 0.21 against 0.13 with the timbre-only offset,
  the nearest stock voice's 0.15; benchmarks/voice_cloning.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor, nn

PACK_ROWS = 510
#: the offset's unit on every axis, in style-row units: a step of the optimiser (``offset_lr`` 0.05) moves each axis
#: by at most 0.005, against an rms of 0.15-0.18 for the numbers of a stock pack
OFFSET_UNIT = 0.1
#: every n-th row of each stock pack enters the principal-direction fit (neighbouring rows are near copies)
ROW_STRIDE = 5


@dataclass(frozen=True)
class StockBasis:
    """The stock packs a voice may blend (names and ``[K, 510, 256]`` rows), and the principal
    directions ``[J, 256]`` (unit length, zero on the prosody half) of the timbre half of all stock
    rows: all of them (J = 128), so that the offset can reach any timbre."""

    names: tuple[str, ...]
    packs: np.ndarray
    directions: np.ndarray

    @classmethod
    def from_packs(cls, packs: dict[str, np.ndarray], chosen: Sequence[str]) -> StockBasis:
        """``chosen`` packs form the blend; the directions are measured over all of ``packs``."""
        width = _rows(next(iter(packs.values()))).shape[1]
        vectors, _ = principal_directions(packs, slice(0, width // 2), width // 2)
        basis = np.stack([_rows(packs[name]) for name in chosen])
        return cls(tuple(chosen), basis.astype(np.float32), vectors.astype(np.float32))


def principal_directions(packs: dict[str, np.ndarray], half: slice, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The first ``count`` principal directions ``[J, 256]`` (unit length, zero outside ``half``) of that part of
    all stock rows, and the spread ``[J]`` along each (J = ``count``, or fewer where the rows span fewer)."""
    rows = np.concatenate([_rows(pack)[::ROW_STRIDE] for pack in packs.values()]).astype(np.float64)
    part = rows[:, half]
    _, singular, vectors = np.linalg.svd(part - part.mean(axis=0), full_matrices=False)
    count = min(count, vectors.shape[0])
    full = np.zeros((count, rows.shape[1]))
    full[:, half] = vectors[:count]
    return full, singular[:count] / np.sqrt(max(len(rows) - 1, 1))


def _rows(pack: np.ndarray) -> np.ndarray:
    return np.asarray(pack, dtype=np.float32).reshape(PACK_ROWS, -1)


class VoiceParameters(nn.Module):
    """Blend logits and offset coefficients: the only trainable numbers of a voice being made."""

    def __init__(self, basis: StockBasis, weights: Sequence[float] | None = None) -> None:
        super().__init__()
        self.register_buffer("packs", torch.from_numpy(basis.packs))
        self.register_buffer("directions", torch.from_numpy(basis.directions))
        start = np.full(len(basis.names), 1.0 / len(basis.names)) if weights is None else np.asarray(weights)
        self.logits = nn.Parameter(torch.from_numpy(np.log(np.clip(start, 1e-4, None))).float())
        self.coefficients = nn.Parameter(torch.zeros(len(basis.directions)))
        self.names = basis.names

    def weights(self) -> Tensor:
        return torch.softmax(self.logits, dim=0)

    def offset(self) -> Tensor:
        """The shift added to every row, ``[256]``."""
        return OFFSET_UNIT * self.coefficients @ self.directions

    def row(self, n_phonemes: int) -> Tensor:
        """The style row for a text of ``n_phonemes`` phonemes (the row hexgrad's pipeline picks)."""
        index = min(max(n_phonemes - 1, 0), PACK_ROWS - 1)
        return self.weights() @ self.packs[:, index] + self.offset()

    def pack(self) -> np.ndarray:
        """The whole voice as a ``[510, 1, 256]`` pack, the store's format."""
        with torch.no_grad():
            rows = torch.einsum("k,krs->rs", self.weights(), self.packs) + self.offset()
        return rows.reshape(PACK_ROWS, 1, -1).cpu().numpy().astype(np.float32)

    def penalty(self) -> Tensor:
        """Mean square coefficient, in ``OFFSET_UNIT``: zero at a pure blend."""
        return self.coefficients.pow(2).mean()

    def recipe(self) -> dict[str, float]:
        """Blend weights by stock voice name, largest first (for the store's recipe)."""
        weights = self.weights().detach().cpu().numpy()
        order = np.argsort(-weights)
        return {self.names[i]: round(float(weights[i]), 4) for i in order}
