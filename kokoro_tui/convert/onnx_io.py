"""The interface of our ONNX export: tensor names, the metadata that marks it, how to feed it.

Shared by the exporter, the parity check and the onnx backend, which must stay free of torch,
so this module imports numpy only. The public int8 export differs: its ids input is called
``tokens``, it has no durations output, and its audio is 1.5x too loud (architecture.md §5.6).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kokoro_tui.model.config import STAGES

INPUT_IDS = "input_ids"  # int64 [1, T], the 0 pads (BOS/EOS) included
STYLE = "style"  # float32 [1, 256]
SPEED = "speed"  # float32 [1]
AUDIO = "audio"  # float32 [600·Σ durations], at torch.istft's level
DURATIONS = "durations"  # int64 [T], in 600-sample units
INPUT_NAMES = (INPUT_IDS, STYLE, SPEED)
# Then the stages (``config.STAGES``): f0 and energy float32 [2·Σ durations], the decoder's features
# float32 [C, 2·Σ durations]. A runtime asks for audio and durations only; the parity check asks
# for all. Exports made before the stages were added lack them.
OUTPUT_NAMES = (AUDIO, DURATIONS, *STAGES)
# Metadata key every file we write carries; its value is the dtype (fp32, fp16, int8).
EXPORT_MARK = "kokoro_tui.export"
DTYPES = ("fp32", "fp16", "int8")


def feeds(ids: Sequence[int], style: np.ndarray, speed: float) -> dict[str, np.ndarray]:
    """Session inputs for phoneme ``ids`` (without pads: they are added here) and one style row."""
    return {
        INPUT_IDS: np.array([[0, *ids, 0]], dtype=np.int64),
        STYLE: np.asarray(style, dtype=np.float32).reshape(1, -1),
        SPEED: np.array([speed], dtype=np.float32),
    }
