"""The documented initializers of the int8 ONNX that are not model parameters.

Each rule says why its tensors carry no learned weight. The importer applies these rules
only to initializers that no parameter mapping consumed, and refuses the file if anything
is left over, so a new or renamed weight can never be dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

_INTEGER_KINDS = (np.int32, np.int64)
_TRACE_CONSTANT = re.compile(r"^/.+/(Constant|ConstantOfShape)(_\d+)?_output_0$")
_SNAKE_RECIPROCAL = re.compile(r"^/.+/(noise_res|resblocks)\.\d+/Reciprocal(_\d+)?_output_0$")
_EXPORT_ISTFT = frozenset(
    {
        "decoder.decoder.generator.stft.istft.stft.inverse_basis",
        "decoder.decoder.generator.stft.istft.stft.window_sum",
    }
)


@dataclass(frozen=True)
class IgnoreRule:
    name: str
    reason: str
    matches: Callable[[str, np.ndarray], bool]


IGNORE_RULES: tuple[IgnoreRule, ...] = (
    IgnoreRule(
        "shape-helper",
        "int32/int64 shapes, axes, split sizes, token-type and position-id buffers (onnx::Slice_579/603)",
        lambda name, array: array.dtype in _INTEGER_KINDS,
    ),
    IgnoreRule(
        "trace-constant",
        "float constants the tracer folded: eps, 1/sqrt(2), AdaLayerNorm ones/zeros, Hann window, "
        "harmonic multipliers 1..9, zero LSTM initial states, resize scales",
        lambda name, array: bool(_TRACE_CONSTANT.match(name)),
    ),
    IgnoreRule(
        "snake-reciprocal",
        "precomputed 1/alpha of the Snake activations (the alphas themselves are mapped)",
        lambda name, array: bool(_SNAKE_RECIPROCAL.match(name)),
    ),
    IgnoreRule(
        "export-istft",
        "the export's own iSTFT basis and window sum; our generator uses torch.istft",
        lambda name, array: name in _EXPORT_ISTFT,
    ),
)


def ignore_rule_for(name: str, array: np.ndarray) -> IgnoreRule | None:
    """The first rule that declares ``name`` a non-parameter, or None."""
    return next((rule for rule in IGNORE_RULES if rule.matches(name, array)), None)
