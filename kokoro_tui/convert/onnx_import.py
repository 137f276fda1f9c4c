"""Import the int8 ONNX export of Kokoro-82M into a float state dict in our model naming.

Every weight is found from its consumer node (architecture.md §5.3): the node's scope gives
the module path, the op kind says how to dequantise, transpose, reorder LSTM gates or split
folded weight norm. Parameter-named float initializers (biases, norms, Snake alphas) map by
name. The result is checked strictly against the parameters the model expects: any model
parameter left unmapped (beyond the declared gaps) or any initializer neither mapped nor
covered by an ignore rule makes the import fail.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
import torch

from kokoro_tui.convert import dequantize
from kokoro_tui.convert.graph_index import GraphIndex
from kokoro_tui.convert.ignore_rules import ignore_rule_for
from kokoro_tui.convert.import_report import ImportReport
from kokoro_tui.convert.lstm_gates import lstm_parameters
from kokoro_tui.convert.model_layout import expected_parameters
from kokoro_tui.convert.scopes import is_parameter_name, key_from_parameter_name, module_path
from kokoro_tui.convert.weight_norm_split import split_weight_norm
from kokoro_tui.errors import KokoroError

# Parameters the export does not contain, with the reason they can be zero-filled.
DECLARED_GAPS: dict[str, str] = {
    "bert.pooler.weight": "Albert pooler, unused by the forward pass, not exported",
    "bert.pooler.bias": "Albert pooler, unused by the forward pass, not exported",
}

Progress = Callable[[int, int], None]


@dataclass
class ImportResult:
    state: dict[str, torch.Tensor]
    report: ImportReport


class _Collector:
    """Accumulates mapped tensors and the initializers each mapping consumed."""

    def __init__(self, index: GraphIndex, expected: Mapping[str, Sequence[int]], report: ImportReport) -> None:
        self.index = index
        self.expected = expected
        self.report = report
        self.ignored: set[str] = set()
        self.state: dict[str, np.ndarray] = {}
        self.origin: dict[str, str] = {}
        self.weights: set[str] = set()
        self.quant_params: set[str] = set()

    def put(self, key: str, value: np.ndarray, source: str, kind: str) -> None:
        if key in self.state:
            if self.origin[key] != source:
                raise KokoroError(f"ONNX import: {key} comes from both {self.origin[key]} and {source}")
            return
        self.state[key] = value
        self.origin[key] = source
        self.report.count(kind)

    def weight_norm_or_plain(self, path: str, weight: np.ndarray, source: str, kind: str) -> None:
        """Split into weight_g/weight_v where the model's module is weight-normed, else store as weight."""
        if f"{path}.weight_v" in self.expected:
            g, v = split_weight_norm(weight)
            self.report.dead_channels += int(np.count_nonzero(g == 0))
            self.put(f"{path}.weight_g", g, source, f"{kind}-wn")
            self.put(f"{path}.weight_v", v, source, f"{kind}-wn")
        else:
            self.put(f"{path}.weight", weight, source, kind)

    def consume(self, used: Sequence[str]) -> None:
        self.weights.add(used[0])
        self.quant_params.update(used[1:])


def _is_weight(c: _Collector, node: onnx.NodeProto, slot: int) -> bool:
    """True if input ``slot`` of ``node`` is a constant not declared a non-parameter."""
    return slot < len(node.input) and c.index.is_initializer(node.input[slot]) and node.input[slot] not in c.ignored


def _feeds_dequantize(c: _Collector, node: onnx.NodeProto) -> bool:
    return any(reader.op_type == "DequantizeLinear" for reader in c.index.readers(node.output[0]))


def _map_node(node: onnx.NodeProto, c: _Collector) -> None:
    """Map the weights this node consumes (if it is a weight-consuming op)."""
    index = c.index
    op = node.op_type
    if op == "MatMulInteger" and _is_weight(c, node, 1):
        deq = dequantize.integer_op_weight(index, node)
        c.consume(deq.used)
        c.put(f"{module_path(node.name)}.weight", np.ascontiguousarray(deq.weight.T), deq.used[0], "linear-int8")
    elif op == "ConvInteger" and _is_weight(c, node, 1):
        deq = dequantize.integer_op_weight(index, node)
        c.consume(deq.used)
        c.weight_norm_or_plain(module_path(node.name), deq.weight, deq.used[0], "conv-uint8")
    elif op == "Gather" and _is_weight(c, node, 0) and _feeds_dequantize(c, node):
        deq = dequantize.gather_weight(index, node)
        c.consume(deq.used)
        c.put(f"{module_path(node.name)}.weight", deq.weight, deq.used[0], "embedding-int8")
    elif op == "DynamicQuantizeLSTM":
        w, r = dequantize.lstm_weights(index, node)
        bias_name = node.input[3]
        c.consume(w.used)
        c.consume(r.used)
        c.weights.add(bias_name)
        params = lstm_parameters(w.weight, r.weight, index.array(bias_name), module_path(node.name))
        sources = {"weight_ih": w.used[0], "weight_hh": r.used[0], "bias_ih": bias_name, "bias_hh": bias_name}
        for key, value in params.items():
            role = key.rsplit(".", 1)[1].split("_l0")[0]
            c.put(key, value, sources[role], "lstm-int8")
    elif op in ("ConvTranspose", "Conv") and _is_weight(c, node, 1):
        name = node.input[1]
        c.weights.add(name)
        c.weight_norm_or_plain(module_path(node.name), index.array(name), name, "conv-float")
    elif op == "MatMul" and _is_weight(c, node, 1):
        name = node.input[1]
        c.weights.add(name)
        c.put(f"{module_path(node.name)}.weight", np.ascontiguousarray(index.array(name).T), name, "linear-float")


def _apply_ignore_rules(c: _Collector) -> None:
    """Set aside the documented non-parameter initializers before any mapping looks at them."""
    for name in c.index.initializers:
        rule = ignore_rule_for(name, c.index.array(name))
        if rule is not None:
            c.ignored.add(name)
            c.report.ignored_by_rule[rule.name] = c.report.ignored_by_rule.get(rule.name, 0) + 1
    c.report.ignored = len(c.ignored)


def _map_named(c: _Collector) -> list[str]:
    """Map parameter-named float initializers; return names that nothing accounts for."""
    unknown = []
    for name in c.index.initializers:
        if name in c.weights or name in c.quant_params or name in c.ignored:
            continue
        array = c.index.array(name)
        if is_parameter_name(name) and array.dtype == np.float32:
            key = key_from_parameter_name(name)
            if key in c.expected:
                c.weights.add(name)
                c.put(key, array, name, "named-float")
                continue
        unknown.append(name)
    return unknown


def _listing(names: Sequence[str], limit: int = 4) -> str:
    shown = ", ".join(sorted(names)[:limit])
    return f"{shown}{' …' if len(names) > limit else ''} ({len(names)} in all)"


def _check_complete(c: _Collector, unknown: list[str]) -> None:
    if unknown:
        raise KokoroError(
            f"ONNX import refused: initializers that are neither parameters nor known constants: {_listing(unknown)}"
        )
    unexpected = [key for key in c.state if key not in c.expected]
    if unexpected:
        raise KokoroError(f"ONNX import refused: graph weights with no model parameter: {_listing(unexpected)}")
    missing = [key for key in c.expected if key not in c.state and key not in DECLARED_GAPS]
    if missing:
        raise KokoroError(f"ONNX import refused: model parameters not found in the graph: {_listing(missing)}")
    wrong = [
        f"{key} {list(c.state[key].shape)} != {list(shape)}"
        for key, shape in c.expected.items()
        if key in c.state and tuple(c.state[key].shape) != tuple(shape)
    ]
    if wrong:
        raise KokoroError(f"ONNX import refused: shape mismatch: {_listing(wrong)}")


def import_onnx(
    path: str | Path,
    expected: Mapping[str, Sequence[int]] | None = None,
    *,
    progress: Progress | None = None,
) -> ImportResult:
    """Dequantise and map every weight of the ONNX at ``path`` onto ``expected`` (key -> shape).

    ``expected`` defaults to the layout of ``KokoroModel(KokoroConfig.default())``.
    """
    started = time.perf_counter()
    path = Path(path)
    result = import_model(onnx_model=GraphIndex.load(path).model, expected=expected, progress=progress, source=path)
    result.report.seconds = time.perf_counter() - started
    return result


def import_model(
    onnx_model: onnx.ModelProto,
    expected: Mapping[str, Sequence[int]] | None = None,
    *,
    progress: Progress | None = None,
    source: Path = Path("<memory>"),
) -> ImportResult:
    """Same as :func:`import_onnx` for an already loaded (or edited) ModelProto."""
    started = time.perf_counter()
    if expected is None:
        expected = expected_parameters()
    index = GraphIndex(onnx_model)
    report = ImportReport(source=source)
    collector = _Collector(index, expected, report)
    _apply_ignore_rules(collector)
    nodes = index.model.graph.node
    for done, node in enumerate(nodes, start=1):
        _map_node(node, collector)
        if progress is not None and (done % 200 == 0 or done == len(nodes)):
            progress(done, len(nodes))
    unknown = _map_named(collector)
    _check_complete(collector, unknown)

    state = {key: torch.from_numpy(np.array(value, dtype=np.float32)) for key, value in collector.state.items()}
    report.mapped = len(state)
    report.parameters = sum(t.numel() for t in state.values())
    for key, reason in DECLARED_GAPS.items():
        if key in expected:
            state[key] = torch.zeros(tuple(expected[key]), dtype=torch.float32)
            report.declared_gaps[key] = reason
    report.weight_initializers = len(collector.weights)
    report.quantization_params = len(collector.quant_params)
    report.seconds = time.perf_counter() - started
    return ImportResult(state=state, report=report)
