"""`kokoro analyze voices` and `kokoro voices pca-edit` on a data home of synthetic voices."""

from __future__ import annotations

import json
import re

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


def test_select_voices_reads_names_as_the_rest_of_the_cli_does():
    """Case is ignored, a typo gets suggestions, and a blend is told apart from a missing voice."""
    names = ["af_a", "af_b", "am_c", "bf_d"]
    assert select_voices(names, "AF_*,Bf_D") == ["af_a", "af_b", "bf_d"]
    with pytest.raises(KokoroError, match=r"unknown voice 'am_x' \(did you mean am_c"):
        select_voices(names, "af_a,am_x")
    with pytest.raises(KokoroError, match=r"not a blend \('af_a:0.7'\).*kokoro voices blend SPEC --name NAME"):
        select_voices(names, "af_a:0.7,am_c:0.3")
    with pytest.raises(KokoroError, match="not a blend"):
        select_voices(names, "af_a(2)+am_c(1)")


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


@pytest.mark.parametrize("command", [["voices", "--voices", "a*"], ["architecture"]])
def test_an_unusable_out_fails_before_the_work(home, tmp_path, monkeypatch, command):
    """--out naming a file is told at once, not after the analysis (23 s) or the model load."""
    from kokoro_tui.analysis import architecture, voices

    def never(*args, **kwargs):
        raise AssertionError("the work started")

    monkeypatch.setattr(voices, "analyze_voices", never)
    monkeypatch.setattr(architecture, "architecture_report", never)
    (tmp_path / "a_file").write_text("")
    result = CliRunner().invoke(app, ["analyze", *command, "--out", str(tmp_path / "a_file" / "out")])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"error: cannot write {tmp_path / 'a_file' / 'out'}: Not a directory\n"


def test_stderr_lines_keep_paths_whole(home, tmp_path):
    """A path is said as it is: not cut at the terminal's width, its brackets not read as rich markup."""
    out = tmp_path / ("a folder with a rather long name for the analysis outputs of today" + "/[bold]x")
    result = CliRunner().invoke(app, ["analyze", "voices", "--voices", "a*", "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1].startswith(f"wrote 13 files to {out} in ")


def test_architecture_refuses_an_unknown_voice_before_loading_the_model(home, monkeypatch):
    from kokoro_tui.model import loading

    monkeypatch.setattr(loading, "load_model", lambda *a, **k: pytest.fail("the model was loaded"))
    result = CliRunner().invoke(app, ["analyze", "architecture", "--voice", "af_9"])
    assert result.exit_code == 2 and "unknown voice 'af_9' (did you mean" in result.stderr, result.output


def test_architecture_traces_a_blend(tmp_path, monkeypatch):
    """--voice takes a blend, as every --voice does (the tiny model stands in for the real one)."""
    from tiny_models import tiny_home, tiny_kokoro, torch_on_one_thread

    home = tiny_home(tmp_path / "home", tiny_kokoro())
    monkeypatch.setenv(ENV_VAR, str(home.root))
    for _ in torch_on_one_thread():
        result = CliRunner().invoke(
            app, ["analyze", "architecture", "--voice", "af_heart:0.5,am_adam:0.5", "--text", "Hi.", "--out", str(tmp_path)]
        )
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "architecture.json").read_text())["sample"]["tokens"] > 0


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


def test_pca_edit_refuses_a_move_the_model_cannot_speak(home):
    """30 std made a voice whose audio clipped, 1e38 one that `say` turned into silence; 10 is the limit."""
    voices_app = typer.Typer()
    voices_app.command("list")(lambda: None)
    register_pca_edit(voices_app)
    runner = CliRunner()
    for amount in ("30", "-1e38"):
        args = ["pca-edit", "af_1", "--component", "1", "--amount", amount, "--name", "far"]
        with pytest.raises(KokoroError, match=re.escape(f"--amount {float(amount):g} moves af_1 beyond") + ".*within ±10"):
            runner.invoke(voices_app, args, catch_exceptions=False)
    assert not VoiceStore(home).exists("far")
    edge = ["pca-edit", "af_1", "--component", "1", "--amount", "-10", "--name", "far"]
    assert runner.invoke(voices_app, edge, catch_exceptions=False).exit_code == 0


def test_pca_edit_moves_a_blend(home):
    """The voice to edit may be a blend, as anywhere a voice is named; the recipe keeps it, so it can be made again."""
    voices_app = typer.Typer()
    voices_app.command("list")(lambda: None)
    register_pca_edit(voices_app)
    args = ["pca-edit", "af_0:0.5,am_0:0.5", "--component", "1", "--amount", "1", "--name", "mid_pc1"]
    result = CliRunner().invoke(voices_app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    store = VoiceStore(home)
    assert store.info("mid_pc1").recipe["source"] == "af_0:0.5,am_0:0.5"
    pca = fit_pca(voice_set({n: store.load(n) for n in STOCK}), "both")
    moved = store.load("mid_pc1") - store.resolve("af_0:0.5,am_0:0.5")
    assert moved[0, 0] @ pca.components[0] == pytest.approx(np.sqrt(pca.explained_variance[0]), rel=1e-4)


def test_a_made_voice_is_grouped_by_what_the_store_knows_of_it(home):
    """A freely named blend of two American women is in their group, not in "other" as its name alone said."""
    made = CliRunner().invoke(app, ["voices", "blend", "af_0:0.7,af_1:0.3", "--name", "my_narrator"])
    assert made.exit_code == 0, made.output
    result = CliRunner().invoke(app, ["analyze", "voices", "--voices", "a*,b*,my_narrator"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = (home.analysis / "analysis_report.txt").read_text()
    assert "13 voices, 4 groups" in report
