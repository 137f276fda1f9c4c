"""The report layer: every output file is written and readable, the text and terminal plots say what they should."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from kokoro_tui.analysis.render.summary import voice_report_text
from kokoro_tui.analysis.render.terminal import pca_scatter, variance_bars
from kokoro_tui.analysis.render.writer import write_voice_analysis
from kokoro_tui.analysis.voices import analyze_voices

EXPECTED_FILES = {
    "pca_variance.png",
    "pca_2d.png",
    "tsne_both.png",
    "centroids.npz",
    "centroid_stats.json",
    "interlayer_correlation.png",
    "interlayer_correlation.json",
    "top_variable_dimensions.json",
    "dimension_variance.png",
    "embedding_distributions.png",
    "length_variation.png",
    "pca_summary.json",
    "analysis_report.txt",
}


@pytest.fixture(scope="module")
def analysis():
    rng = np.random.default_rng(0)
    names = [f"{g}_{i}" for g in ("af", "am", "bf", "zm") for i in range(3)] + ["custom"]
    packs = {n: rng.normal(0, 0.2, (510, 1, 256)).astype(np.float32) for n in names}
    return analyze_voices(packs)


def test_every_output_file_is_written(analysis, tmp_path):
    text = voice_report_text(analysis)
    paths = write_voice_analysis(analysis, tmp_path / "out", text)
    assert {p.name for p in paths} == EXPECTED_FILES
    assert {p.name for p in (tmp_path / "out").iterdir()} == EXPECTED_FILES  # no temp files left behind
    for path in paths:
        assert path.stat().st_size > 0, path
        if path.suffix == ".png":
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        if path.suffix == ".json":
            json.loads(path.read_text())
    centroids = np.load(tmp_path / "out" / "centroids.npz")
    assert set(centroids.files) == {"overall", "af", "am", "bf", "zm", "other"}
    np.testing.assert_allclose(centroids["overall"], analysis.centroids.overall, rtol=1e-6)
    stats = json.loads((tmp_path / "out" / "centroid_stats.json").read_text())
    assert len(stats["between_group_distance"]["matrix"]) == 5
    af = stats["groups"]["af"]
    assert af["within_group_rms_distance"] == pytest.approx(np.sqrt(af["within_group_variance"]))
    top = json.loads((tmp_path / "out" / "top_variable_dimensions.json").read_text())
    assert [d["dim"] for d in top["halves"]["prosody"]["top"]] == list(analysis.dimensions.top["prosody"])
    np.testing.assert_allclose(top["halves"]["decoder"]["variance"], analysis.dimensions.variance[:128], rtol=1e-9)
    interlayer = json.loads((tmp_path / "out" / "interlayer_correlation.json").read_text())
    pairs = interlayer["top_pairs"]
    assert len(pairs) == 20 and pairs[0]["r"] == pytest.approx(analysis.interlayer.top_pairs[0].r)
    np.testing.assert_allclose(interlayer["matrix"]["r"], analysis.interlayer.matrix, atol=1e-6)
    assert (tmp_path / "out" / "analysis_report.txt").read_text() == text


def test_report_text_carries_the_key_figures(analysis):
    text = voice_report_text(analysis)
    both = analysis.pca["both"]
    assert f"PC1 {100 * both.explained_ratio[0]:.1f}%" in text
    assert f"80%: {both.components_needed[0.8]}" in text
    best = analysis.separation["prosody"].best_gender
    assert f"prosody: gender is carried most by PC{best.component}" in text
    assert "13 voices, 5 groups" in text
    pair = analysis.interlayer.top_pairs[0]
    assert f"{pair.decoder_dim:>3} {pair.prosody_dim:>3} {pair.r:+.3f}" in text
    for section in ("PCA of the summary vectors", "Group centroids", "Most variable dims", "utterance length"):
        assert section in text


def test_terminal_plots(analysis):
    scatter = pca_scatter(analysis.pca["both"], width=80, height=24, colour=False)
    assert "PC1" in scatter and "af" in scatter and "\x1b[" not in scatter
    bars = variance_bars(analysis.pca, width=80, height=20, colour=False)
    assert "PC1" in bars and "prosody" in bars
    assert "\x1b[" in pca_scatter(analysis.pca["both"], width=80, height=24, colour=True)


def test_plots_without_colour_still_tell_the_series_apart(analysis):
    """In a pipe or a file the colours are gone: a voice is its language letter (capital: male), each view's
    bars have their own shade, where af and bf were both 'o' and every bar was '█'."""
    scatter = pca_scatter(analysis.pca["both"], width=80, height=24, colour=False)
    for marker, group in (("aa", "af"), ("AA", "am"), ("bb", "bf"), ("ZZ", "zm"), ("++", "other")):
        assert f" {marker} {group} " in scatter, group
    bars = variance_bars(analysis.pca, width=80, height=20, colour=False)
    assert "██ decoder" in bars and "▒▒ prosody" in bars and "░░ both" in bars


def test_a_factor_the_voices_do_not_vary_is_not_reported_as_measured(tmp_path):
    """Only American English female voices: gender and language cannot be measured, and the report said
    'gender is carried most by PC1 (|r| = 0.00)'."""
    rng = np.random.default_rng(1)
    alike = analyze_voices({f"af_{i}": rng.normal(0, 0.2, (510, 1, 256)).astype(np.float32) for i in range(5)})
    text = voice_report_text(alike)
    assert "5 voices, 1 group (" in text
    assert "Gender is not measured: the voices with a known prefix are not of both genders." in text
    assert "Language is not measured" in text
    assert "carried most" not in text and "r = +0.00" not in text and "In short" not in text
    write_voice_analysis(alike, tmp_path, text)
    views = json.loads((tmp_path / "pca_summary.json").read_text())["views"]
    assert views["both"]["separation_measured"] == {"gender": False, "language": False}

    genders = analyze_voices({f"{g}_{i}": rng.normal(0, 0.2, (510, 1, 256)).astype(np.float32)
                              for g in ("af", "am") for i in range(3)})
    text = voice_report_text(genders)
    assert "Gender is not measured" not in text and "Language is not measured" in text
    assert "both: gender is carried most by PC" in text and "language is carried most" not in text


def test_library_never_imports_faces_or_plotting():
    code = (
        "import sys, numpy as np\n"
        "from kokoro_tui.analysis.voices import analyze_voices\n"
        "from kokoro_tui.analysis.pca_edit import pca_edit\n"
        "packs = {f'af_{i}': np.random.default_rng(i).normal(size=(510, 1, 256)) for i in range(5)}\n"
        "analyze_voices(packs); pca_edit(packs, 'af_0', 'both', 1, 1.0)\n"
        "bad = [m for m in ('typer', 'textual', 'matplotlib', 'plotext', 'torch') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
