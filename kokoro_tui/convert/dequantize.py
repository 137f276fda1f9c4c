"""Recover float weights from the int8/uint8 initializers: W = (q - zero_point) * scale.

Scales and zero points are found by following the graph from the consuming node, never
by name: the quantiser merged identical zero-point tensors across layers, so a name often
belongs to another layer (architecture.md §5.2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnx

from kokoro_tui.convert.graph_index import GraphIndex
from kokoro_tui.errors import KokoroError

# How far from an integer op's output the rescaling Mul may sit (through the int32 bias Add and the Cast).
_MAX_RESCALE_HOPS = 4


@dataclass(frozen=True)
class Dequantized:
    """A float weight plus the initializer names consumed to build it."""

    weight: np.ndarray
    used: tuple[str, ...]


def _dequant(q: np.ndarray, zero_point: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return (q.astype(np.float32) - zero_point.astype(np.float32)) * scale.astype(np.float32)


def _initializer_input(index: GraphIndex, node: onnx.NodeProto, slot: int) -> str:
    if slot >= len(node.input) or not index.is_initializer(node.input[slot]):
        raise KokoroError(f"ONNX node {node.name!r}: input {slot} is not a constant")
    return node.input[slot]


def integer_op_scale(index: GraphIndex, node: onnx.NodeProto) -> str:
    """The weight-scale initializer of a MatMulInteger/ConvInteger node.

    The integer result is rescaled by ``Mul(result, act_scale * weight_scale)`` right after
    it (past the int32 bias Add and the Cast). The product comes from the companion Mul
    (``<node>_scales_mul`` or ``<bias>_scale_node``) whose constant input is the weight scale.
    """
    tensor = node.output[0]
    for _ in range(_MAX_RESCALE_HOPS):
        readers = index.readers(tensor)
        muls = [reader for reader in readers if reader.op_type == "Mul"]
        if muls:
            factor = next(name for name in muls[0].input if name != tensor)
            product = index.producers.get(factor)
            if product is None or product.op_type != "Mul":
                break
            constants = [name for name in product.input if index.is_initializer(name)]
            if len(constants) != 1:
                break
            return constants[0]
        passthrough = [reader for reader in readers if reader.op_type in ("Add", "Cast")]
        if len(passthrough) != 1:
            break
        tensor = passthrough[0].output[0]
    raise KokoroError(f"ONNX node {node.name!r}: cannot find the weight scale of its rescaling")


def integer_op_weight(index: GraphIndex, node: onnx.NodeProto) -> Dequantized:
    """The weight (input 1) of a MatMulInteger or ConvInteger node, dequantised.

    MatMulInteger weights are int8 ``[in, out]`` with per-output-channel scales and zero points;
    ConvInteger weights are uint8 ``[C_out, C_in, k]`` with a per-tensor scale and zero point.
    Either way the zero point is the node's input 3 and the scale comes from the rescaling Mul.
    """
    q_name = _initializer_input(index, node, 1)
    zp_name = _initializer_input(index, node, 3)
    scale_name = integer_op_scale(index, node)
    weight = _dequant(index.array(q_name), index.array(zp_name), index.array(scale_name))
    return Dequantized(weight, (q_name, zp_name, scale_name))


def gather_weight(index: GraphIndex, node: onnx.NodeProto) -> Dequantized:
    """An embedding table gathered in int8 and dequantised by the DequantizeLinear after the Gather."""
    q_name = _initializer_input(index, node, 0)
    dequant = [reader for reader in index.readers(node.output[0]) if reader.op_type == "DequantizeLinear"]
    if len(dequant) != 1:
        raise KokoroError(f"ONNX node {node.name!r}: expected one DequantizeLinear after the Gather")
    scale_name = _initializer_input(index, dequant[0], 1)
    zp_name = _initializer_input(index, dequant[0], 2)
    weight = _dequant(index.array(q_name), index.array(zp_name), index.array(scale_name))
    return Dequantized(weight, (q_name, zp_name, scale_name))


def lstm_weights(index: GraphIndex, node: onnx.NodeProto) -> tuple[Dequantized, Dequantized]:
    """DynamicQuantizeLSTM W ``[2, in, 4H]`` and R ``[2, H, 4H]``, scale/zero point per direction.

    Operator inputs: 1 W, 2 R, 8 W_scale, 9 W_zero_point, 10 R_scale, 11 R_zero_point.
    """
    result = []
    for q_slot, scale_slot, zp_slot in ((1, 8, 9), (2, 10, 11)):
        q_name = _initializer_input(index, node, q_slot)
        scale_name = _initializer_input(index, node, scale_slot)
        zp_name = _initializer_input(index, node, zp_slot)
        per_direction = (slice(None), None, None)
        weight = _dequant(
            index.array(q_name), index.array(zp_name)[per_direction], index.array(scale_name)[per_direction]
        )
        result.append(Dequantized(weight, (q_name, scale_name, zp_name)))
    return result[0], result[1]
