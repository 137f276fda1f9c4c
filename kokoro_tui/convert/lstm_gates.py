"""Convert an ONNX (DynamicQuantizeLSTM) bidirectional LSTM into PyTorch nn.LSTM parameters.

ONNX stacks the four gate blocks along the 4H axis as i, o, f, c; PyTorch as i, f, g, o
(c is PyTorch's g). ONNX also stores W/R transposed per direction ([in, 4H], [H, 4H]) and
one bias [8H] = input-side bias ‖ recurrent bias (architecture.md §5.5).
"""

from __future__ import annotations

import numpy as np

# PyTorch block j is ONNX block _ONNX_TO_TORCH[j]: i<-i, f<-f, g<-c, o<-o.
_ONNX_TO_TORCH = (0, 2, 3, 1)


def reorder_gates(rows: np.ndarray, hidden: int) -> np.ndarray:
    """Reorder the 4 gate blocks along axis 0 from ONNX i,o,f,c to PyTorch i,f,g,o."""
    if rows.shape[0] != 4 * hidden:
        raise ValueError(f"expected {4 * hidden} gate rows, got {rows.shape[0]}")
    blocks = rows.reshape(4, hidden, *rows.shape[1:])
    return np.ascontiguousarray(blocks[list(_ONNX_TO_TORCH)].reshape(rows.shape))


def lstm_parameters(w: np.ndarray, r: np.ndarray, b: np.ndarray, prefix: str) -> dict[str, np.ndarray]:
    """PyTorch parameters of ``prefix`` (an nn.LSTM, one layer) from ONNX W [D,in,4H], R [D,H,4H], B [D,8H]."""
    directions, hidden = r.shape[0], r.shape[1]
    params: dict[str, np.ndarray] = {}
    for d in range(directions):
        suffix = "_reverse" if d == 1 else ""
        params[f"{prefix}.weight_ih_l0{suffix}"] = reorder_gates(w[d].T, hidden)
        params[f"{prefix}.weight_hh_l0{suffix}"] = reorder_gates(r[d].T, hidden)
        params[f"{prefix}.bias_ih_l0{suffix}"] = reorder_gates(b[d, : 4 * hidden], hidden)
        params[f"{prefix}.bias_hh_l0{suffix}"] = reorder_gates(b[d, 4 * hidden :], hidden)
    return params
