"""Parameter tree and forward-hook shape trace: a toy module, the tiny random model, and the real model."""

from __future__ import annotations

import json

import pytest
import torch
from torch import nn
from typer.testing import CliRunner

from kokoro_tui.analysis.architecture import architecture_report, parameter_tree, trace_shapes
from kokoro_tui.analysis.render.architecture import architecture_text, write_architecture
from kokoro_tui.model.config import KokoroConfig
from kokoro_tui.model.kokoro import KokoroModel


class Toy(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.a = nn.Linear(4, 3)  # 15 params
        self.b = nn.Sequential(nn.Linear(3, 2), nn.ReLU())  # 8 params
        self.again = self.a  # shared: must not be counted twice
        self.scale = nn.Parameter(torch.ones(5))

    def forward(self, x):
        return self.b(self.again(self.a(x.new_zeros(x.shape[0], 4)) @ torch.eye(3, 4))) * self.scale.sum()


@pytest.fixture(scope="module")
def tiny_report():
    torch.manual_seed(0)
    model = KokoroModel(KokoroConfig.tiny())
    ids = [43, 44, 45, 16, 46, 47]
    return model, ids, architecture_report(model, ids, torch.randn(32), "abc de")


def test_parameter_tree_counts_shared_weights_once():
    tree = parameter_tree(Toy())
    assert tree.params == 15 + 8 + 5
    assert tree.own_params == 5
    assert tree.find("a").params == 15
    with pytest.raises(KeyError):  # torch lists a shared module once, under its first name
        tree.find("again")
    assert tree.find("b").params == 8 and tree.find("b.0").detail == "in_features=3, out_features=2, bias=True"
    assert tree.share == 1.0
    assert tree.find("b").share == pytest.approx(8 / 28)


def test_trace_records_every_call_in_order():
    model = Toy()
    stages = trace_shapes(model, lambda: model(torch.zeros(2, 7)))
    assert [(s.path, s.call) for s in stages] == [("a", 0), ("a", 1), ("b.0", 0), ("b.1", 0), ("b", 0), ("", 0)]
    assert stages[0].inputs == ([2, 4],) and stages[0].outputs == [2, 3]
    assert stages[-1].depth == 0 and stages[2].depth == 2
    assert not model.a._forward_hooks  # hooks are removed afterwards


def test_tiny_model_tree_matches_its_parameters(tiny_report):
    model, _, report = tiny_report
    assert report.total_params == sum(p.numel() for p in model.parameters())
    for node in report.tree.walk():  # the Kokoro model shares no weights, so the tree adds up
        assert node.params == node.own_params + sum(c.params for c in node.children), node.path
    for path in ("bert", "predictor", "text_encoder", "decoder", "decoder.generator"):
        module = model.get_submodule(path)
        assert report.tree.find(path).params == sum(p.numel() for p in module.parameters())
    assert sum(c.share for c in report.tree.children) == pytest.approx(1.0)
    assert report.kinds["BiLSTM"] == sum(1 for m in model.modules() if type(m).__name__ == "BiLSTM")


def test_tiny_model_trace_shapes(tiny_report):
    model, ids, report = tiny_report
    stages = {(s.path, s.call): s for s in report.stages}
    tokens = len(ids) + 2
    hidden = model.config.plbert["hidden_size"]
    assert stages[("bert", 0)].outputs == [1, tokens, hidden]
    assert stages[("bert_encoder", 0)].outputs == [1, tokens, model.config.hidden_dim]
    assert stages[("text_encoder", 0)].outputs == [1, model.config.hidden_dim, tokens]
    frames = report.sample["frames"]
    assert frames == sum(report.sample["durations"])
    assert stages[("decoder", 0)].outputs == [1, 600 * frames] == [1, report.sample["audio_samples"]]
    assert stages[("", 0)].kind == "KokoroModel" and stages[("", 0)].inputs[0] == [1, tokens]
    layers = model.config.plbert["num_hidden_layers"]
    assert sum(1 for s in report.stages if s.path == "bert.encoder.albert_layer_groups.0") == layers


def test_architecture_files(tiny_report, tmp_path):
    _, _, report = tiny_report
    paths = write_architecture(report, tmp_path)
    assert [p.name for p in paths] == ["architecture.json", "architecture_report.txt"]
    data = json.loads(paths[0].read_text())
    assert data["total_params"] == report.total_params
    assert len(data["stages"]) == len(report.stages)
    text = paths[1].read_text()
    assert text == architecture_text(report)
    assert f"{report.total_params:,} parameters" in text
    assert "decoder.generator.ups.0" in text and "->  out [1, " in text


@pytest.mark.real
def test_real_model_architecture_cli(real_home, monkeypatch, tmp_path):
    """The whole command on the real weights: counts agree with the checkpoint, shapes with the real model."""
    from kokoro_tui.assets.model_store import ensure_torch_weights
    from kokoro_tui.cli.main import app
    from kokoro_tui.home import ENV_VAR
    from kokoro_tui.model.checkpoint import load_state_file

    monkeypatch.setenv(ENV_VAR, str(real_home.root))
    result = CliRunner().invoke(app, ["analyze", "architecture", "--out", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "architecture.json").read_text())
    state = load_state_file(ensure_torch_weights(real_home))
    assert data["total_params"] == sum(t.numel() for t in state.values())
    tops = {c["path"]: c["params"] for c in data["tree"]["children"]}
    for part in ("bert", "bert_encoder", "predictor", "text_encoder", "decoder"):
        assert tops[part] == sum(t.numel() for k, t in state.items() if k.startswith(part + ".")), part
    stages = {(s["path"], s["call"]): s for s in data["stages"]}
    tokens = data["sample"]["tokens_with_pads"]
    assert tokens > 10
    assert stages[("bert", 0)]["outputs"] == [1, tokens, 768]
    assert stages[("decoder.generator.ups.0", 0)]["inputs"][0][1] == 512
    assert stages[("", 0)]["outputs"][0] == [1, 600 * data["sample"]["frames"]]
    assert "The quick" not in data["sample"]["phonemes"] and data["sample"]["phonemes"]
