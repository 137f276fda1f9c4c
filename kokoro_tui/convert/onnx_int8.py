"""The int8 version of our fp32 ONNX graph: onnxruntime's dynamic quantisation, precision-critical parts kept float.

Quantised: the convolutions, LSTMs and matmuls with a constant weight (int8 weights, activations
quantised per call to uint8, as the public export does). Kept float32, as in the fp16 graph:

- the duration path (every node the ``durations`` output depends on: Albert, the duration
  encoder, the duration head, the rounding), so the integer durations, hence timing and audio
  length, equal the fp32 graph's; it is a small share of the work;
- the generator's ``onnx_graph.FLOAT_ENDS`` (harmonic source, STFT/iSTFT bases, ``conv_post``).

On onnxruntime's CPU kernels this buys size (152 MB against fp32's 326 MB), not speed: its
``ConvInteger`` is no faster than its float convolution (benchmarks/conversion.md). Dynamic
rather than static quantisation: static QDQ (per-channel weights, MinMax calibration on 8
utterances) was measured 1.9x faster but 2.6 dB of log-mel distance from our torch fp32 where
dynamic had 1.3 dB, and it needs real voices and phonemes for calibration, which this layer
cannot read.
"""

from __future__ import annotations

import logging
from pathlib import Path

import onnx

from kokoro_tui.convert.graph_index import GraphIndex
from kokoro_tui.convert.onnx_graph import FLOAT_ENDS
from kokoro_tui.convert.onnx_io import DURATIONS

# Node-name scopes of the generator's float ends as the exporter names them.
FLOAT_SCOPES = tuple(f"/decoder/generator/{name}/" for name in FLOAT_ENDS)
# Ops that dynamic quantisation turns into integer kernels (ConvInteger, DynamicQuantizeLSTM, MatMulInteger).
QUANTISED_OPS = ("Conv", "LSTM", "MatMul")


def duration_path(index: GraphIndex) -> set[str]:
    """Names of every node that the ``durations`` output depends on."""
    seen: set[str] = set()
    pending = [DURATIONS]
    while pending:
        node = index.producers.get(pending.pop())
        if node is None or node.name in seen:
            continue
        seen.add(node.name)
        pending.extend(name for name in node.input if name)
    return seen


def quantisable_nodes(model: onnx.ModelProto) -> list[str]:
    """``QUANTISED_OPS`` nodes off the duration path and the float ends whose weight is a constant
    (which leaves out the activation products ``d @ alignment``)."""
    kept = duration_path(GraphIndex(model))
    constants = {tensor.name for tensor in model.graph.initializer}
    return [
        node.name
        for node in model.graph.node
        if node.op_type in QUANTISED_OPS
        and node.name not in kept
        and not node.name.startswith(FLOAT_SCOPES)
        and node.input[1] in constants
    ]


def to_int8(source: Path, target: Path) -> None:
    """Dynamically quantise the fp32 graph at ``source`` into ``target``.

    uint8 weights: with int8 (per-channel) weights onnxruntime's CPU ``ConvInteger`` ran 4x slower.
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic

    nodes = quantisable_nodes(onnx.load(str(source)))
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)  # its advice to pre-process goes to the root logger, i.e. to the user
    try:
        quantize_dynamic(source, target, nodes_to_quantize=nodes, op_types_to_quantize=list(QUANTISED_OPS),
                         weight_type=QuantType.QUInt8)  # fmt: skip
    finally:
        logging.disable(previous)
