"""`kokoro analyze voices` and `kokoro voices pca-edit` on a data home of synthetic voices."""

from __future__ import annotations

import json

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from kokoro_tui.analysis.pca import fit_pca
from kokoro_tui.analysis.voiceset import voice_set
from kokoro_tui.cli.analyze import register_pca_edit, select_voices
from kokoro_tui.cli.main import app
from kokoro_tui.errors import KokoroError
from kokoro_tui.home import ENV_VAR, DataHome
from kokoro_tui.voices.store import VoiceStore

STOCK = [f"{g}_{i}" for g in ("af", "am", "bf", "bm") for i in range(3)]


@pytest.fixture
def home(tmp_path, monkeypatch) -> DataHome:
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    store = VoiceStore(DataHome(tmp_path))
    rng = np.random.default_rng(0)
    for name in STOCK:
        store.save(name, rng.normal(0, 0.2, (510, 1, 256)).astype(np.float32), "stock")
    store.save("my_blend", rng.normal(0, 5.0, (510, 1, 256)).astype(np.float32), "blended", {"spec": "x"})
    return DataHome(tmp_path)


def test_select_voices():
    names = ["af_a", "af_b", "am_c", "bf_d"]
    assert select_voices(names, "all") == names
    assert select_voices(names, "stock", ["af_b", "bf_d"]) == ["af_b", "bf_d"]
    assert select_voices(names, "af_*, bf_d") == ["af_a", "af_b", "bf_d"]
    with pytest.raises(KokoroError, match="no voice matches"):
        select_voices(names, "zz_*")


def test_analyze_voices_writes_into_the_data_home(home):
    result = CliRunner().invoke(app, ["analyze", "voices", "--voices", "a*,b*"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    written = {line.rsplit("/", 1)[-1] for line in result.stdout.splitlines() if line.startswith("/")}
    assert {"analysis_report.txt", "pca_2d.png", "centroids.npz", "centroid_stats.json"} <= written
    report = (home.analysis / "analysis_report.txt").read_text()
    assert "12 voices, 4 groups" in report  # the pattern left out my_blend


def test_analyze_voices_plot_and_out(home, tmp_path):
    out = tmp_path / "elsewhere"
    result = CliRunner().invoke(app, ["analyze", "voices", "--out", str(out), "--plot"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (out / "tsne_both.png").stat().st_size > 0
    assert "Explained variance per principal component" in result.stdout
    assert "12 voices" in (out / "analysis_report.txt").read_text()  # by default the stock voices only
    everything = CliRunner().invoke(app, ["analyze", "voices", "--out", str(out), "--voices", "all"], catch_exceptions=False)
    assert everything.exit_code == 0, everything.output
    assert "13 voices" in (out / "analysis_report.txt").read_text()


def test_too_few_voices_names_the_fix(home):
    picked = CliRunner().invoke(app, ["analyze", "voices", "--voices", "af_1,am_1"])
    assert picked.exit_code == 2 and "2 selected" in picked.output and "at least 3 voices in --voices" in picked.output


def test_pca_edit_saves_through_the_store_with_its_recipe(home):
    voices_app = typer.Typer()
    voices_app.command("list")(lambda: None)  # a group needs two commands to keep subcommand names
    register_pca_edit(voices_app)
    args = ["pca-edit", "af_1", "--component", "2", "--amount", "-1.5", "--name", "af_darker", "--view", "decoder"]
    result = CliRunner().invoke(voices_app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output

    store = VoiceStore(home)
    info = store.info("af_darker")
    assert info.origin == "edited"
    assert info.recipe["source"] == "af_1" and info.recipe["component"] == 2 and info.recipe["amount"] == -1.5
    assert info.recipe["view"] == "decoder" and info.recipe["basis_voices"] == len(STOCK)
    sidecar = json.loads((home.voices / "af_darker.json").read_text())
    assert sidecar["origin"] == "edited"

    # The basis is the stock voices only: the wild blended voice does not shape the direction.
    pca = fit_pca(voice_set({n: store.load(n) for n in STOCK}), "decoder")
    moved = store.load("af_darker")[:, 0, :128].mean(axis=0) - store.load("af_1")[:, 0, :128].mean(axis=0)
    assert moved @ pca.components[1] == pytest.approx(-1.5 * np.sqrt(pca.explained_variance[1]), rel=1e-4)
    np.testing.assert_array_equal(store.load("af_darker")[:, 0, 128:], store.load("af_1")[:, 0, 128:])


def test_pca_edit_user_mistakes(home):
    voices_app = typer.Typer()
    voices_app.command("list")(lambda: None)
    register_pca_edit(voices_app)
    runner = CliRunner()
    bad_component = ["pca-edit", "af_1", "--component", "40", "--amount", "1", "--name", "x_new"]
    with pytest.raises(KokoroError, match="out of range"):
        runner.invoke(voices_app, bad_component, catch_exceptions=False)
    onto_stock = ["pca-edit", "af_1", "--component", "1", "--amount", "1", "--name", "am_0"]
    with pytest.raises(KokoroError, match="already exists"):
        runner.invoke(voices_app, onto_stock, catch_exceptions=False)
    assert runner.invoke(voices_app, [*onto_stock, "--force"], catch_exceptions=False).exit_code == 0
