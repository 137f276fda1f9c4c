"""`kokoro analyze voices` and `pca-edit` on the 54 real voices."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from kokoro_tui.analysis.pca import fit_pca
from kokoro_tui.analysis.voiceset import voice_set
from kokoro_tui.cli.analyze import register_pca_edit
from kokoro_tui.cli.main import app
from kokoro_tui.home import ENV_VAR, DataHome
from kokoro_tui.voices.store import VoiceStore

pytestmark = pytest.mark.real


@pytest.fixture
def voices_home(real_home, tmp_path, monkeypatch) -> DataHome:
    """A copy of the real home's voices (never the real home itself: pca-edit writes into it)."""
    shutil.copytree(real_home.voices, tmp_path / "voices")
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    return DataHome(tmp_path)


def test_analyze_real_voices(voices_home, tmp_path):
    store = VoiceStore(voices_home)
    assert len(store.names()) == 54, "the real data home should hold the 54 stock voices"
    out = tmp_path / "analysis"
    result = CliRunner().invoke(app, ["analyze", "voices", "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = (out / "analysis_report.txt").read_text()
    assert "54 voices, 17 groups" in report
    stats = json.loads((out / "centroid_stats.json").read_text())
    assert sum(g["voices"] for g in stats["groups"].values()) == 54
    centroids = np.load(out / "centroids.npz")
    packs = np.stack([store.load(n)[:, 0] for n in store.names()]).astype(np.float64)
    np.testing.assert_allclose(centroids["overall"], packs.mean(axis=(0, 1)), atol=1e-5)
    np.testing.assert_allclose(centroids["af"], packs[[n.startswith("af_") for n in store.names()]].mean(axis=(0, 1)), atol=1e-5)
    summary = json.loads((out / "pca_summary.json").read_text())
    for view in ("decoder", "prosody", "both"):
        assert len(summary["views"][view]["explained_ratio"]) == 53
        assert sum(summary["views"][view]["explained_ratio"]) == pytest.approx(1.0, abs=1e-6)


def test_pca_edit_real_voice(voices_home):
    voices_app = typer.Typer()
    voices_app.command("list")(lambda: None)
    register_pca_edit(voices_app)
    args = ["pca-edit", "af_heart", "--component", "1", "--amount", "2", "--name", "af_heart_pc1", "--view", "prosody"]
    result = CliRunner().invoke(voices_app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    store = VoiceStore(voices_home)
    stock = [info.name for info in store.list() if info.origin == "stock"]
    assert len(stock) == 54
    pca = fit_pca(voice_set({n: store.load(n) for n in stock}), "prosody")
    before, after = store.load("af_heart")[:, 0], store.load("af_heart_pc1")[:, 0]
    moved = (after[:, 128:] - before[:, 128:]).mean(axis=0)
    assert moved @ pca.components[0] == pytest.approx(2 * np.sqrt(pca.explained_variance[0]), rel=1e-3)
    np.testing.assert_array_equal(after[:, :128], before[:, :128])
    assert store.info("af_heart_pc1").recipe["basis"] == "stock voices"
