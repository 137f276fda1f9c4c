"""Split a folded weight-norm weight W = g·v/‖v‖ back into ``weight_g`` and ``weight_v``.

The export folded every weight-normed conv into one tensor; only the product survives, so
``v`` is recovered up to a positive per-channel scale, which the product does not see.
We take v = W and g = ‖W‖ over dims (1, 2): per output channel for Conv1d weights
[C_out, C_in, k], per input channel for ConvTranspose1d weights [C_in, C_out, k].
"""

from __future__ import annotations

import numpy as np


def split_weight_norm(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (weight_g [C,1,1], weight_v) with g·v/‖v‖ == weight.

    Per-tensor uint8 quantisation zeroed some channels entirely; their ‖v‖ would be 0 and
    g·v/‖v‖ a 0/0 NaN in any weight-norm implementation. Those channels get g = 0 and a
    unit-norm v, so the recomposed weight is exactly 0 without a division by zero.
    """
    norm = np.sqrt(np.sum(weight.astype(np.float64) ** 2, axis=(1, 2), keepdims=True))
    v = weight.astype(np.float32, copy=True)
    dead = norm[:, 0, 0] == 0.0
    if dead.any():
        fan = v.shape[1] * v.shape[2]
        v[dead] = np.float32(1.0 / np.sqrt(fan))
    return norm.astype(np.float32), v
