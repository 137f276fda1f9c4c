"""The per-token and recurrent parts of Kokoro in numpy: what the LiteRT export leaves to the host.

litert-torch unrolls LSTMs step by step and cannot keep their length dynamic, so the LiteRT
export (``convert/bucket_graph.py``) holds only the convolutional stages; the LSTMs and the
small layers between them run here, on the valid steps only (no padding, so no masks):

- the duration encoder: per layer, BiLSTM → AdaLayerNorm, with the prosody style appended;
- the duration head: BiLSTM → linear → ``round(Σ sigmoid / speed)``, at least 1;
- the acoustic text encoder's BiLSTM (after the graph's convolutions);
- the prosody predictor's shared BiLSTM over the aligned frames.

Their weights travel beside the ``.tflite`` in ``host.npz`` under our state-dict names
(``litert_io.HOST_PREFIXES``). Cost: about 0.1 s for a 400-phoneme chunk on one core, against seconds
for the convolutional stages.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from kokoro_tui.model.config import NORM_EPS


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # never overflows, unlike 1 / (1 + exp(-x))


def _lstm_direction(x: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """One direction of ``nn.LSTM`` (gates i, f, g, o) over ``x [T,in]`` → ``[T,H]``."""
    hidden = w_hh.shape[1]
    inputs = x @ w_ih.T + bias
    h = np.zeros(hidden, dtype=np.float32)
    c = np.zeros(hidden, dtype=np.float32)
    out = np.empty((x.shape[0], hidden), dtype=np.float32)
    for step in range(x.shape[0]):
        gates = inputs[step] + w_hh @ h
        i, f, g, o = np.split(gates, 4)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
        out[step] = h
    return out


class HostKokoro:
    """The host half of the LiteRT runner, on the weights of ``host.npz``."""

    def __init__(self, weights: Mapping[str, np.ndarray], style_dim: int) -> None:
        self.weights = {name: np.asarray(value, dtype=np.float32) for name, value in weights.items()}
        self.style_dim = style_dim
        self.layers = sum(1 for name in self.weights if name.startswith("predictor.text_encoder.lstms.")
                          and name.endswith(".weight_ih_l0"))  # fmt: skip

    @property
    def prosody_width(self) -> int:
        """Channels of the shared LSTM's output (both directions)."""
        return 2 * self.weights["predictor.shared.weight_hh_l0"].shape[1]

    def bilstm(self, prefix: str, x: np.ndarray) -> np.ndarray:
        """``nn.LSTM(bidirectional=True)`` named ``prefix`` over ``x [T,in]`` → ``[T,2H]``."""
        w = self.weights
        directions = []
        for suffix in ("", "_reverse"):
            bias = w[f"{prefix}bias_ih_l0{suffix}"] + w[f"{prefix}bias_hh_l0{suffix}"]
            source = x if not suffix else x[::-1]
            out = _lstm_direction(source, w[f"{prefix}weight_ih_l0{suffix}"], w[f"{prefix}weight_hh_l0{suffix}"], bias)
            directions.append(out if not suffix else out[::-1])
        return np.concatenate(directions, axis=1)

    def _ada_layer_norm(self, prefix: str, x: np.ndarray, style: np.ndarray) -> np.ndarray:
        gamma, beta = np.split(self.weights[f"{prefix}fc.weight"] @ style + self.weights[f"{prefix}fc.bias"], 2)
        mean = x.mean(axis=1, keepdims=True)
        centred = x - mean
        normed = centred / np.sqrt((centred * centred).mean(axis=1, keepdims=True) + NORM_EPS)
        return (1 + gamma) * normed + beta

    def duration_features(self, d_en: np.ndarray, prosody_style: np.ndarray) -> np.ndarray:
        """``DurationEncoder``: ``d_en [T,H]`` → ``d [T,H+S]``."""
        styles = np.broadcast_to(prosody_style, (d_en.shape[0], prosody_style.shape[0]))
        x = np.concatenate([d_en, styles], axis=1)
        for layer in range(self.layers):
            x = self.bilstm(f"predictor.text_encoder.lstms.{2 * layer}.", x)
            x = self._ada_layer_norm(f"predictor.text_encoder.lstms.{2 * layer + 1}.", x, prosody_style)
            x = np.concatenate([x, styles], axis=1)
        return x

    def durations(self, d: np.ndarray, speed: float) -> np.ndarray:
        """The duration head: ``d [T,H+S]`` → integer frames per token ``[T]`` (``durations_from_logits``)."""
        w = self.weights
        logits = self.bilstm("predictor.lstm.", d) @ w["predictor.duration_proj.linear_layer.weight"].T
        logits += w["predictor.duration_proj.linear_layer.bias"]
        expected = _sigmoid(logits).sum(axis=1, dtype=np.float32) / np.float32(speed)
        return np.maximum(np.round(expected), 1).astype(np.int64)

    def text_features(self, convolved: np.ndarray) -> np.ndarray:
        """The text encoder's BiLSTM: ``[T,H]`` (after the graph's convolutions) → ``t_en [T,H]``."""
        return self.bilstm("text_encoder.lstm.", convolved)

    def prosody(self, en: np.ndarray) -> np.ndarray:
        """The predictor's shared BiLSTM over the aligned duration features ``[F,H+S]`` → ``[F,H]``."""
        return self.bilstm("predictor.shared.", en)
