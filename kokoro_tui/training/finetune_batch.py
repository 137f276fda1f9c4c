"""Training items padded into one batch, with the window of audio the decoder is trained on.

The decoder (iSTFTNet) costs far more per second of audio than the rest of the network, so, as
StyleTTS2 does, it is trained on a random window of each utterance while the text encoder and
the prosody predictor see the whole utterance. The windows come from a generator the caller
seeds per step, so a resumed run draws exactly the windows the uninterrupted run would have.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import Tensor

if TYPE_CHECKING:  # only a type here: the data side (corpus reading, alignment) stays out of the training step
    from kokoro_tui.training.finetune_data import TrainingItem


def style_row(rows: int, tokens: int) -> int:
    """The row of a ``rows``-row pack that the pipeline speaks ``tokens`` phonemes with (``len - 1``, clamped)."""
    return min(max(tokens - 1, 0), rows - 1)


@dataclass(frozen=True)
class Batch:
    """Right-padded tensors; token axes include BOS/EOS, curve axes run at two values per frame."""

    input_ids: Tensor  # [B,T] long
    input_lengths: Tensor  # [B] long
    durations: Tensor  # [B,T] long, 0 on padding
    frame_lengths: Tensor  # [B] long
    f0: Tensor  # [B,2F] Hz
    energy: Tensor  # [B,2F]
    style_rows: Tensor  # [B] long: the pack row each item is spoken with
    window_starts: Tensor  # [B] long, in frames
    window_audio: Tensor  # [B, window_frames · samples_per_frame]
    window_frames: int

    def to(self, device: torch.device) -> Batch:
        moved = {field.name: getattr(self, field.name).to(device) for field in fields(self) if field.name != "window_frames"}
        return replace(self, **moved)


def _padded(arrays: Sequence[np.ndarray], dtype: torch.dtype) -> Tensor:
    out = torch.zeros(len(arrays), max(array.size for array in arrays), dtype=dtype)
    for row, array in enumerate(arrays):
        out[row, : array.size] = torch.from_numpy(np.ascontiguousarray(array))
    return out


def collate(
    items: Sequence[TrainingItem], window_frames: int, samples_per_frame: int, pack_rows: int, generator: torch.Generator
) -> Batch:
    """One batch of ``items``; each decoder window is ``window_frames`` long, or the shortest item's length."""
    width = min(window_frames, *(item.frames for item in items))
    starts = [int(torch.randint(0, item.frames - width + 1, (1,), generator=generator)) for item in items]
    window = np.stack(
        [item.audio[start * samples_per_frame : (start + width) * samples_per_frame] for item, start in zip(items, starts)]
    )
    ids = [np.concatenate([[0], item.ids, [0]]) for item in items]
    return Batch(
        input_ids=_padded(ids, torch.long),
        input_lengths=torch.tensor([len(row) for row in ids]),
        durations=_padded([item.durations for item in items], torch.long),
        frame_lengths=torch.tensor([item.frames for item in items]),
        f0=_padded([item.f0 for item in items], torch.float32),
        energy=_padded([item.energy for item in items], torch.float32),
        style_rows=torch.tensor([style_row(pack_rows, len(item.ids)) for item in items]),
        window_starts=torch.tensor(starts),
        window_audio=torch.from_numpy(window.astype(np.float32)),
        window_frames=width,
    )
