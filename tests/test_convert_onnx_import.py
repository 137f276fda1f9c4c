"""The real int8 ONNX imports into every model parameter with the right values.

Needs the real export: $KOKORO_TEST_ONNX, else the session data home (`real_home`).
Fails, never skips, when it is missing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch
from onnx import TensorProto, helper

from kokoro_tui.convert import dequantize, lstm_gates
from kokoro_tui.convert.graph_index import GraphIndex
from kokoro_tui.convert.model_layout import expected_parameters
from kokoro_tui.convert.onnx_import import DECLARED_GAPS, ImportResult, import_model
from kokoro_tui.convert.scopes import module_path

CHECKPOINT_PARAMETERS = 81_763_410  # architecture.md §2.3, all 548 tensors
EXPORTED_PARAMETERS = 81_172_818  # the same minus Albert's pooler (590,592)


@pytest.fixture(scope="module")
def index(real_onnx: Path) -> GraphIndex:
    return GraphIndex.load(real_onnx)


@pytest.fixture(scope="module")
def imported(index: GraphIndex) -> ImportResult:
    return import_model(index.model)


def _node(index: GraphIndex, op: str, path: str) -> onnx.NodeProto:
    found = [n for n in index.model.graph.node if n.op_type == op and module_path(n.name) == path]
    assert len(found) >= 1, f"no {op} node for {path}"
    return found[0]


def test_every_model_parameter_is_imported_with_its_shape(imported: ImportResult) -> None:
    expected = expected_parameters()
    assert set(imported.state) == set(expected)
    for key, shape in expected.items():
        assert tuple(imported.state[key].shape) == shape, key
        assert imported.state[key].dtype == torch.float32
        assert torch.isfinite(imported.state[key]).all(), key
    assert sum(t.numel() for t in imported.state.values()) == CHECKPOINT_PARAMETERS
    report = imported.report
    assert report.mapped == len(expected) - len(DECLARED_GAPS)
    assert report.parameters == EXPORTED_PARAMETERS
    assert set(report.declared_gaps) == set(DECLARED_GAPS)
    assert all(not imported.state[key].any() for key in DECLARED_GAPS)


def test_every_initializer_is_accounted_for(index: GraphIndex, imported: ImportResult) -> None:
    report = imported.report
    assert report.weight_initializers + report.quantization_params + report.ignored == len(index.initializers)
    assert report.ignored == sum(report.ignored_by_rule.values())
    assert set(report.ignored_by_rule) <= {"shape-helper", "trace-constant", "snake-reciprocal", "export-istft"}


def _reference_dequant(index: GraphIndex, node: onnx.NodeProto) -> np.ndarray:
    """(q - zero point of THIS node) * the scale named after the weight (the scale names are not shared)."""
    q_name = node.input[1]
    scale = index.array(q_name.removesuffix("_quantized") + "_scale")
    return (index.array(q_name).astype(np.float32) - index.array(node.input[3]).astype(np.float32)) * scale


def _recompose(g: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    norm = v.norm(dim=(1, 2), keepdim=True)
    return g * v / torch.where(norm > 0, norm, torch.ones_like(norm))


def test_weight_norm_split_recomposes_every_folded_weight(index: GraphIndex, imported: ImportResult) -> None:
    state = imported.state
    checked, dead, misleading_zero_points = 0, 0, 0
    for node in index.model.graph.node:
        if node.op_type not in ("ConvInteger", "ConvTranspose", "Conv") or not index.is_initializer(node.input[1]):
            continue
        path = module_path(node.name)
        if f"{path}.weight_v" not in state:
            continue
        if node.op_type == "ConvInteger":
            reference = _reference_dequant(index, node)
            own_zero_point = node.input[1].removesuffix("_quantized") + "_zero_point"
            misleading_zero_points += node.input[3] != own_zero_point
        else:
            reference = index.array(node.input[1])
        g, v = state[f"{path}.weight_g"], state[f"{path}.weight_v"]
        recomposed = _recompose(g, v)
        assert torch.isfinite(v).all() and (v.norm(dim=(1, 2)) > 0).all(), path
        np.testing.assert_allclose(recomposed.numpy(), reference, rtol=1e-5, atol=1e-7, err_msg=path)
        dead += int((g == 0).sum())
        checked += 1
    assert checked == 89  # every weight-normed conv of the model (architecture.md §4)
    assert dead > 0, "the export zeroes some channels; the guard must have been exercised"
    assert misleading_zero_points > 0


def test_linear_weights_are_dequantised_and_transposed(index: GraphIndex, imported: ImportResult) -> None:
    albert = "bert.encoder.albert_layer_groups.0.albert_layers.0"
    for path in (
        "bert_encoder",
        "predictor.duration_proj.linear_layer",
        f"{albert}.attention.query",
        f"{albert}.ffn_output",
        "decoder.generator.resblocks.0.adain1.0.fc",
    ):
        node = _node(index, "MatMulInteger", path)
        np.testing.assert_allclose(imported.state[f"{path}.weight"].numpy(), _reference_dequant(index, node).T, rtol=1e-6)


def _lstm_io(index: GraphIndex, tokens: np.ndarray, style: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Run the real graph with every LSTM's input X [T,B,in] and output Y [T,2,B,H] exposed."""
    model = onnx.ModelProto()
    model.CopyFrom(index.model)
    lstms = [n for n in model.graph.node if n.op_type == "DynamicQuantizeLSTM"]
    for node in lstms:
        for name in (node.input[0], node.output[0]):
            model.graph.output.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, None))
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    values = dict(zip(names, session.run(None, {"tokens": tokens, "style": style, "speed": np.ones(1, np.float32)})))
    return {module_path(n.name): (values[n.input[0]], values[n.output[0]]) for n in lstms}


def _run_torch_lstm(params: dict[str, np.ndarray], prefix: str, x: np.ndarray) -> np.ndarray:
    hidden = params[f"{prefix}.weight_hh_l0"].shape[1]
    lstm = torch.nn.LSTM(x.shape[-1], hidden, bidirectional=True)
    lstm.load_state_dict({k.removeprefix(prefix + "."): torch.from_numpy(v) for k, v in params.items()})
    with torch.no_grad():
        return lstm(torch.from_numpy(x))[0].numpy()


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a.ravel(), b.ravel()) / np.linalg.norm(a) / np.linalg.norm(b))


def test_lstm_gate_reorder_matches_the_onnx_node(index: GraphIndex, imported: ImportResult, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(0)
    tokens = np.array([[0, *rng.integers(43, 69, size=20), 0]], dtype=np.int64)
    style = (0.1 * rng.standard_normal((1, 256))).astype(np.float32)
    io = _lstm_io(index, tokens, style)
    assert len(io) == 6
    for prefix, (x, y) in io.items():
        onnx_out = y.transpose(0, 2, 1, 3).reshape(y.shape[0], y.shape[2], -1)  # [T,2,B,H] -> [T,B,2H]
        params = {k: v.numpy() for k, v in imported.state.items() if k.startswith(prefix + ".")}
        ours = _run_torch_lstm(params, prefix, x)
        relerr = np.linalg.norm(ours - onnx_out) / np.linalg.norm(onnx_out)
        assert _cos(ours, onnx_out) > 0.999 and relerr < 0.03, (prefix, _cos(ours, onnx_out), relerr)

    # Negative control: the same weights without the gate reorder do not reproduce the node.
    prefix = "text_encoder.lstm"
    node = _node(index, "DynamicQuantizeLSTM", prefix)
    w, r = dequantize.lstm_weights(index, node)
    monkeypatch.setattr(lstm_gates, "_ONNX_TO_TORCH", (0, 1, 2, 3))
    unordered = lstm_gates.lstm_parameters(w.weight, r.weight, index.array(node.input[3]), prefix)
    x, y = io[prefix]
    onnx_out = y.transpose(0, 2, 1, 3).reshape(y.shape[0], y.shape[2], -1)
    assert _cos(_run_torch_lstm(unordered, prefix, x), onnx_out) < 0.5
