"""The voice pack: 510 style rows of 256 floats, one row per utterance length.

Dims 0–127 condition the decoder (timbre, ``s_d``); dims 128–255 the prosody predictor (``s_p``).
"""

from __future__ import annotations

import numpy as np

from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import MAX_TOKENS, STYLE_DIM

ROWS = MAX_TOKENS  # one style row per phoneme count
HALF = STYLE_DIM // 2
PACK_SHAPE = (ROWS, 1, STYLE_DIM)
HALVES: dict[str, slice] = {"decoder": slice(0, HALF), "prosody": slice(HALF, STYLE_DIM)}


def as_pack(array: np.ndarray, source: str) -> np.ndarray:
    """Check and normalise a voice pack to float32 ``[510, 1, 256]``.

    Accepts ``[510, 256]`` as well (the npm ``.bin`` layout flattened); rejects any other shape,
    non-float data and non-finite values, naming ``source`` in the one-line error.
    """
    array = np.asarray(array)
    if not np.issubdtype(array.dtype, np.floating):
        raise KokoroError(f"{source}: voice values must be floating point, got {array.dtype}")
    if array.shape == (ROWS, STYLE_DIM):
        array = array.reshape(PACK_SHAPE)
    if array.shape != PACK_SHAPE:
        raise KokoroError(
            f"{source}: voice has shape {list(array.shape)}, expected [510, 1, 256] (or [510, 256])"
        )
    pack = np.ascontiguousarray(array, dtype=np.float32)
    bad = np.size(pack) - int(np.isfinite(pack).sum())
    if bad:
        raise KokoroError(
            f"{source}: voice has {bad} non-finite values (NaN or infinity)",
            hint="for a voice of the data home `kokoro doctor` names the fix; "
            "a stock one is fetched again by `kokoro download --force --no-model --voices NAME`",
        )
    return pack


def select_style(pack: np.ndarray, n_phonemes: int) -> np.ndarray:
    """The 256-d style for an utterance of ``n_phonemes`` phoneme characters.

    Rule: ``row = clamp(n_phonemes - 1, 0, 509)``, hexgrad's Python pipeline (``len(phonemes) - 1``,
    counting the phoneme string's characters). kokoro.js uses the token count instead, one row later;
    we follow the Python reference the voices were published with.
    """
    rows = pack.reshape(-1, STYLE_DIM)
    row = min(max(int(n_phonemes) - 1, 0), rows.shape[0] - 1)
    return rows[row].copy()
