"""The importer maps a tiny synthetic export and refuses anything it cannot account for."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from kokoro_tui.convert.onnx_import import import_model, import_onnx
from kokoro_tui.convert.weight_norm_split import split_weight_norm
from kokoro_tui.errors import KokoroError

EXPECTED = {
    "bert_encoder.weight": (3, 4),
    "bert_encoder.bias": (3,),
    "decoder.generator.conv_post.weight_g": (2, 1, 1),
    "decoder.generator.conv_post.weight_v": (2, 3, 1),
    "decoder.generator.conv_post.bias": (2,),
}


def _tiny_export() -> onnx.ModelProto:
    """x[1,4] -> Linear (float MatMul + Add) -> [1,3,1] -> weight-normed Conv1d k1 -> [1,2,1].

    Names follow the real export: an anonymous ``onnx::MatMul_*`` weight, a folded
    weight-norm product ``/…/Mul_output_0``, parameter-named biases, an int64 shape helper
    and a trace constant.
    """
    rng = np.random.default_rng(7)
    conv_w = rng.standard_normal((2, 3, 1)).astype(np.float32)
    conv_w[1] = 0.0  # a channel zeroed by quantisation
    inits = [
        numpy_helper.from_array(rng.standard_normal((4, 3)).astype(np.float32), "onnx::MatMul_11"),
        numpy_helper.from_array(rng.standard_normal(3).astype(np.float32), "encoder.bert_encoder.bias"),
        numpy_helper.from_array(np.array([1, 3, 1], dtype=np.int64), "/encoder/Constant_3_output_0"),
        numpy_helper.from_array(conv_w, "/decoder/decoder/generator/Mul_2_output_0"),
        numpy_helper.from_array(rng.standard_normal(2).astype(np.float32), "decoder.decoder.generator.conv_post.bias"),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "/decoder/decoder/generator/Constant_9_output_0"),
    ]
    nodes = [
        helper.make_node("MatMul", ["x", "onnx::MatMul_11"], ["h0"], name="/encoder/bert_encoder/MatMul"),
        helper.make_node("Add", ["encoder.bert_encoder.bias", "h0"], ["h1"], name="/encoder/bert_encoder/Add"),
        helper.make_node("Reshape", ["h1", "/encoder/Constant_3_output_0"], ["h2"], name="/encoder/Reshape"),
        helper.make_node(
            "Conv",
            ["h2", "/decoder/decoder/generator/Mul_2_output_0", "decoder.decoder.generator.conv_post.bias"],
            ["h3"],
            name="/decoder/decoder/generator/conv_post/Conv",
        ),
        helper.make_node("Mul", ["h3", "/decoder/decoder/generator/Constant_9_output_0"], ["y"], name="/decoder/decoder/generator/Mul_9"),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 1])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    return model


def _array(model: onnx.ModelProto, name: str) -> np.ndarray:
    return next(numpy_helper.to_array(t) for t in model.graph.initializer if t.name == name)


def test_tiny_export_maps_by_consumer_node(tmp_path: Path) -> None:
    model = _tiny_export()
    path = tmp_path / "tiny.onnx"
    onnx.save(model, str(path))
    result = import_onnx(path, EXPECTED)
    state = result.state
    assert set(state) == set(EXPECTED)
    np.testing.assert_array_equal(state["bert_encoder.weight"].numpy(), _array(model, "onnx::MatMul_11").T)
    folded = _array(model, "/decoder/decoder/generator/Mul_2_output_0")
    g, v = state["decoder.generator.conv_post.weight_g"], state["decoder.generator.conv_post.weight_v"]
    recomposed = g * v / v.norm(dim=(1, 2), keepdim=True)
    np.testing.assert_allclose(recomposed.numpy(), folded, rtol=1e-6, atol=1e-8)
    assert g[1].item() == 0.0 and v[1].norm() > 0  # zeroed channel: g = 0, v safe to normalise
    assert result.report.ignored_by_rule == {"shape-helper": 1, "trace-constant": 1}
    assert result.report.kinds == {"linear-float": 1, "conv-float-wn": 2, "named-float": 2}


def test_unknown_initializer_is_refused() -> None:
    model = _tiny_export()
    model.graph.initializer.append(numpy_helper.from_array(np.ones(3, np.float32), "mystery.scale"))
    model.graph.node.append(helper.make_node("Mul", ["h1", "mystery.scale"], ["unused"], name="/encoder/Mul_5"))
    with pytest.raises(KokoroError, match=r"neither parameters nor known constants: mystery\.scale"):
        import_model(model, EXPECTED)


def test_parameter_missing_from_the_graph_is_refused() -> None:
    expected = {**EXPECTED, "decoder.generator.conv_post.extra": (2,)}
    with pytest.raises(KokoroError, match=r"not found in the graph: decoder\.generator\.conv_post\.extra"):
        import_model(_tiny_export(), expected)


def test_graph_weight_without_a_model_parameter_is_refused() -> None:
    expected = {key: shape for key, shape in EXPECTED.items() if key != "bert_encoder.weight"}
    with pytest.raises(KokoroError, match=r"no model parameter: bert_encoder\.weight"):
        import_model(_tiny_export(), expected)


def test_shape_mismatch_is_refused() -> None:
    expected = {**EXPECTED, "bert_encoder.weight": (4, 3)}
    with pytest.raises(KokoroError, match=r"shape mismatch: bert_encoder\.weight"):
        import_model(_tiny_export(), expected)


def test_declared_gap_is_zero_filled_and_reported() -> None:
    expected = {**EXPECTED, "bert.pooler.weight": (5, 5), "bert.pooler.bias": (5,)}
    result = import_model(_tiny_export(), expected)
    assert not result.state["bert.pooler.weight"].any() and result.state["bert.pooler.bias"].shape == (5,)
    assert set(result.report.declared_gaps) == {"bert.pooler.weight", "bert.pooler.bias"}
    assert any("bert.pooler.weight" in line for line in result.report.lines())


def test_unreadable_file_is_a_user_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not an onnx model")
    with pytest.raises(KokoroError, match="cannot read ONNX model"):
        import_onnx(bad, EXPECTED)
    with pytest.raises(KokoroError, match="not found"):
        import_onnx(tmp_path / "absent.onnx", EXPECTED)


def test_split_weight_norm_guards_only_dead_channels() -> None:
    weight = np.array([[[3.0, 4.0]], [[0.0, 0.0]]], dtype=np.float32)
    g, v = split_weight_norm(weight)
    assert g[:, 0, 0].tolist() == [5.0, 0.0]
    np.testing.assert_array_equal(v[0], weight[0])
    assert np.isclose(np.linalg.norm(v[1]), 1.0)
