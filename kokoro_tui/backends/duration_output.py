"""Graph surgery: expose the ONNX export's integer per-token durations as an extra output.

The export only outputs audio, but timestamps need the durations. They exist inside the
graph as ``Cast(int64)(Clip(Round(ReduceSum(Sigmoid(duration_proj)) / speed), 1))``. We find
that tensor by following the graph from the only Sigmoid whose output is summed (the
duration head) instead of relying on the exporter's tensor names.
"""

from __future__ import annotations

import onnx
from onnx import TensorProto, helper

from kokoro_tui.convert.graph_index import GraphIndex
from kokoro_tui.errors import KokoroError

DURATION_OUTPUT = "durations"
# Ops between the summed sigmoids and the integer durations: / speed, round, clamp to >= 1.
_ON_THE_WAY = ("Div", "Round", "Clip", "Max")


def _single(nodes: list[onnx.NodeProto], what: str) -> onnx.NodeProto:
    if len(nodes) != 1:
        raise KokoroError(f"ONNX graph: expected one {what}, found {len(nodes)}; not a Kokoro export?")
    return nodes[0]


def find_duration_tensor(index: GraphIndex) -> str:
    """Name of the int64 tensor holding the rounded, clamped per-token durations."""
    summed = [
        reader
        for node in index.model.graph.node
        if node.op_type == "Sigmoid"
        for reader in index.readers(node.output[0])
        if reader.op_type == "ReduceSum"
    ]
    tensor = _single(summed, "summed Sigmoid (duration head)").output[0]
    seen_round = False
    while True:
        step = _single(
            [n for n in index.readers(tensor) if n.op_type in (*_ON_THE_WAY, "Cast")],
            f"duration op after {tensor}",
        )
        seen_round = seen_round or step.op_type == "Round"
        tensor = step.output[0]
        if step.op_type == "Cast":
            to = next(helper.get_attribute_value(a) for a in step.attribute if a.name == "to")
            if not seen_round or to != TensorProto.INT64:
                raise KokoroError(f"ONNX graph: unexpected cast {step.name!r} on the duration path")
            return tensor


def with_duration_output(model: onnx.ModelProto) -> onnx.ModelProto:
    """A copy of ``model`` that also outputs the durations as ``durations`` (int64, shape [T])."""
    patched = onnx.ModelProto()
    patched.CopyFrom(model)
    index = GraphIndex(patched)
    source = find_duration_tensor(index)
    graph = patched.graph
    graph.node.append(helper.make_node("Reshape", [source, "durations_flat_shape"], [DURATION_OUTPUT]))
    graph.initializer.append(helper.make_tensor("durations_flat_shape", TensorProto.INT64, [1], [-1]))
    graph.output.append(helper.make_tensor_value_info(DURATION_OUTPUT, TensorProto.INT64, ["tokens_length"]))
    return patched
