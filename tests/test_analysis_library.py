"""The voice-analysis library against independent computations on synthetic voices."""

from __future__ import annotations

import numpy as np
import pytest

from kokoro_tui.analysis.centroids import centroid_stats
from kokoro_tui.analysis.correlation import interlayer_correlation
from kokoro_tui.analysis.dimensions import dimension_variance
from kokoro_tui.analysis.length_variation import length_variation
from kokoro_tui.analysis.pca import fit_pca
from kokoro_tui.analysis.pca_edit import pca_edit
from kokoro_tui.analysis.separation import component_separation, silhouettes
from kokoro_tui.analysis.voiceset import group_of, voice_set
from kokoro_tui.errors import KokoroError

ROWS = 510


def packs_from(summaries: dict[str, np.ndarray], rng: np.random.Generator, row_std: float = 0.05) -> dict[str, np.ndarray]:
    """[510, 1, 256] packs whose row mean is exactly the given summary vector."""
    packs = {}
    for name, summary in summaries.items():
        noise = rng.normal(0, row_std, (ROWS, 256))
        noise -= noise.mean(axis=0)
        packs[name] = (summary + noise)[:, None, :].astype(np.float64)
    return packs


@pytest.fixture
def random_packs() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    scales = np.linspace(2.0, 0.2, 256)  # distinct variances, so components are well defined
    names = [f"{g}_{i}" for g in ("af", "am", "bf", "bm", "jf") for i in range(4)]
    return packs_from({n: rng.normal(0, 1, 256) * scales for n in names}, rng)


def test_groups_from_name_prefixes():
    assert group_of("af_heart") == "af"
    assert group_of("zm_yunxi") == "zm"
    assert group_of("myvoice") == "other"
    assert group_of("xf_unknown") == "other"


def test_pca_matches_numpy_svd(random_packs):
    voices = voice_set(random_packs)
    for view, dims in (("decoder", slice(0, 128)), ("prosody", slice(128, 256)), ("both", slice(0, 256))):
        result = fit_pca(voices, view)
        data = np.stack([random_packs[n][:, 0, dims].mean(axis=0) for n in sorted(random_packs)])
        centred = data - data.mean(axis=0)
        _, s, vt = np.linalg.svd(centred, full_matrices=False)
        variance = s**2 / (len(data) - 1)
        k = len(data) - 1
        assert result.components.shape == (k, dims.stop - dims.start)
        np.testing.assert_allclose(result.explained_variance, variance[:k], rtol=1e-8)
        np.testing.assert_allclose(result.explained_ratio, variance[:k] / variance.sum(), rtol=1e-8)
        signs = np.sign(np.sum(result.components * vt[:k], axis=1))
        np.testing.assert_allclose(result.components * signs[:, None], vt[:k], atol=1e-8)
        np.testing.assert_allclose(result.coords * signs, centred @ vt[:k].T, atol=1e-8)
        cumulative = np.cumsum(variance) / variance.sum()
        for threshold, needed in result.components_needed.items():
            assert cumulative[needed - 1] >= threshold - 1e-12
            assert needed == 1 or cumulative[needed - 2] < threshold


def test_centroids_on_known_groups():
    rng = np.random.default_rng(2)
    centres = {"af": np.full(256, 1.0), "am": np.full(256, -1.0), "bf": np.zeros(256)}
    offsets = rng.normal(0, 0.3, (3, 256))
    offsets -= offsets.mean(axis=0)  # each group's members average exactly to its centre
    summaries = {f"{g}_{i}": centres[g] + offsets[i] for g in centres for i in range(3)}
    stats = centroid_stats(voice_set(packs_from(summaries, rng)))
    assert stats.groups == ("af", "am", "bf")
    for group, centre in centres.items():
        np.testing.assert_allclose(stats.centroids[group], centre, atol=1e-9)
        assert stats.counts[group] == 3
        expected_within = np.mean(np.sum(offsets**2, axis=1))
        assert stats.within_variance[group] == pytest.approx(expected_within, rel=1e-9)
    np.testing.assert_allclose(stats.overall, 0.0, atol=1e-9)
    assert stats.distance_to_overall["af"] == pytest.approx(16.0)  # sqrt(256 * 1²)
    assert stats.distance_to_overall["bf"] == pytest.approx(0.0, abs=1e-9)
    assert stats.between[0, 1] == pytest.approx(32.0)  # sqrt(256 * 2²)
    assert stats.between[1, 0] == stats.between[0, 1]
    assert stats.to_json()["groups"]["am"]["voices"] == 3


def test_interlayer_correlation_finds_planted_pair():
    rng = np.random.default_rng(3)
    summaries = rng.normal(0, 1, (40, 256))
    summaries[:, 7] = -2.0 * summaries[:, 140] + rng.normal(0, 0.05, 40)  # planted r ≈ -1
    summaries[:, 30] = summaries[:, 200] + rng.normal(0, 0.8, 40)  # planted r ≈ +0.78
    packs = packs_from({f"af_{i}": s for i, s in enumerate(summaries)}, rng)
    result = interlayer_correlation(voice_set(packs), permutations=50)
    expected = np.corrcoef(summaries[:, :128].T, summaries[:, 128:].T)[:128, 128:]
    np.testing.assert_allclose(result.matrix, expected, atol=1e-9)
    first, second = result.top_pairs[:2]
    assert (first.decoder_dim, first.prosody_dim) == (7, 140) and first.r < -0.99
    assert (second.decoder_dim, second.prosody_dim) == (30, 200) and second.r > 0.5
    assert len(result.top_pairs) == 20
    assert all(abs(a.r) >= abs(b.r) for a, b in zip(result.top_pairs, result.top_pairs[1:]))
    assert 0.3 < result.null_max_abs_r < 0.99  # chance level with 40 voices, far below the planted pair


def test_dimension_variance_ranks_planted_dims():
    rng = np.random.default_rng(4)
    summaries = rng.normal(0, 0.1, (12, 256))
    summaries[:, 9] *= 30
    summaries[:, 250] *= 20
    summaries[:, 131] *= 10
    result = dimension_variance(voice_set(packs_from({f"bm_{i}": s for i, s in enumerate(summaries)}, rng)))
    np.testing.assert_allclose(result.variance, summaries.var(axis=0, ddof=1), rtol=1e-9)
    assert result.top["decoder"][0] == 9
    assert result.top["prosody"][:2] == (250, 131)
    assert all(d < 128 for d in result.top["decoder"]) and all(d >= 128 for d in result.top["prosody"])


def test_length_variation_ratio():
    rng = np.random.default_rng(5)
    summaries = {f"af_{i}": rng.normal(0, 1.0, 256) for i in range(30)}
    packs = packs_from(summaries, rng, row_std=0.0)
    for name in packs:  # only the prosody half varies with the row, with std 0.5
        noise = rng.normal(0, 0.5, (ROWS, 128))
        packs[name][:, 0, 128:] += noise - noise.mean(axis=0)
    result = length_variation(voice_set(packs))
    assert result["decoder"].ratio == pytest.approx(0.0, abs=1e-9)
    assert result["prosody"].ratio == pytest.approx(0.5, rel=0.1)
    assert result["prosody"].curve.shape == (ROWS,)
    assert np.all(result["decoder"].curve < 1e-9)
    assert result["prosody"].curve.mean() == pytest.approx(0.5, rel=0.15)


def test_separation_finds_gender_and_language_components():
    rng = np.random.default_rng(6)
    summaries = {}
    gender_axis = np.zeros(256)
    gender_axis[:128] = 1 / np.sqrt(128)
    language_axis = np.zeros(256)
    language_axis[128:] = 1 / np.sqrt(128)
    for lang, offset in (("a", -1.0), ("j", 0.0), ("z", 1.0)):
        for gender, sign in (("f", -1.0), ("m", 1.0)):
            for i in range(5):
                summaries[f"{lang}{gender}_{i}"] = 4 * sign * gender_axis + 2 * offset * language_axis + rng.normal(0, 0.05, 256)
    pca = fit_pca(voice_set(packs_from(summaries, rng)), "both")
    result = component_separation(pca)
    assert result.best_gender.component == 1
    assert abs(result.best_gender.gender_r) > 0.95
    assert result.best_language.component == 2
    assert result.best_language.language_eta2 > 0.9
    male = np.array([g[1] == "m" for g in pca.groups], dtype=float)
    assert result.components[0].gender_r == pytest.approx(np.corrcoef(pca.coords[:, 0], male)[0, 1])
    assert result.components[1].language_p < 1e-6 and result.components[0].gender_p < 1e-6


def test_voices_alike_in_a_view_are_refused_in_words():
    """Three edits of one voice's prosody half: the decoder half has no variance, and sklearn's NaNs ended
    in a traceback (all alike) or in ratios of 1e17 (alike but for rounding)."""
    from kokoro_tui.analysis.voices import analyze_voices

    base = np.random.default_rng(9).normal(0, 0.2, (510, 1, 256)).astype(np.float32)
    edits = {f"af_{k}": base.copy() for k in range(3)}
    for k, pack in enumerate(edits.values()):
        pack[:, 0, 128:] += 0.1 * k
    with pytest.raises(KokoroError, match="the 3 voices do not differ in the decoder view"):
        analyze_voices(edits)
    with pytest.raises(KokoroError, match="the 3 voices are copies of one voice"):
        voice_set({name: base for name in ("af_0", "af_1", "af_2")})


def test_separation_says_which_factors_it_could_measure():
    rng = np.random.default_rng(8)
    measured = {}
    for names in (["af_0", "af_1", "af_2"], ["af_0", "jm_1", "zf_2"], ["af_0", "af_1", "jm_2", "x"]):
        pca = fit_pca(voice_set(packs_from({n: rng.normal(0, 1, 256) for n in names}, rng)), "both")
        result = component_separation(pca)
        measured[" ".join(names)] = (result.gender_measured, result.language_measured)
    assert measured == {
        "af_0 af_1 af_2": (False, False),  # one gender, one language
        "af_0 jm_1 zf_2": (True, False),  # every language a single voice: nothing within a language to compare
        "af_0 af_1 jm_2 x": (True, True),  # 'x' has no prefix and is left out
    }


def test_silhouettes_match_scikit_learn():
    from sklearn.metrics import silhouette_score

    rng = np.random.default_rng(7)
    coords = rng.normal(0, 1, (25, 4))
    labels = np.array(list("aaaaabbbbbbbcccccccddddde"))  # 'e' is a singleton
    expected = [silhouette_score(coords[:, [k]], labels) for k in range(4)]
    np.testing.assert_allclose(silhouettes(coords, labels), expected, atol=1e-12)


def test_pca_edit_moves_along_the_component(random_packs):
    name, component, amount = "am_2", 2, 1.5
    for view, dims, other in (("decoder", slice(0, 128), slice(128, 256)), ("prosody", slice(128, 256), slice(0, 128))):
        edited = pca_edit(random_packs, name, view, component, amount)
        original = random_packs[name]
        assert edited.shape == original.shape and edited.dtype == np.float32
        pca = fit_pca(voice_set(random_packs), view)
        moved = edited[:, 0, dims].mean(axis=0) - original[:, 0, dims].mean(axis=0)
        direction = pca.components[component - 1]
        assert moved @ direction == pytest.approx(amount * np.sqrt(pca.explained_variance[component - 1]), rel=1e-4)
        np.testing.assert_allclose(moved - (moved @ direction) * direction, 0.0, atol=1e-5)
        np.testing.assert_allclose(edited[:, 0, other], original[:, 0, other], atol=1e-6)
        rows_moved = edited[:, 0, dims] - original[:, 0, dims]
        np.testing.assert_allclose(rows_moved, np.broadcast_to(moved, rows_moved.shape), atol=1e-5)


def test_pca_edit_basis_and_errors(random_packs):
    basis = [n for n in random_packs if not n.startswith("jf")]
    edited = pca_edit(random_packs, "jf_0", "both", 1, -1.0, basis=basis)
    pca = fit_pca(voice_set({n: random_packs[n] for n in basis}), "both")
    moved = edited[:, 0].mean(axis=0) - random_packs["jf_0"][:, 0].mean(axis=0)
    assert moved @ pca.components[0] == pytest.approx(-np.sqrt(pca.explained_variance[0]), rel=1e-4)
    with pytest.raises(KokoroError, match="out of range"):
        pca_edit(random_packs, "af_0", "both", 99, 1.0)
    with pytest.raises(KokoroError, match="unknown view"):
        pca_edit(random_packs, "af_0", "timbre", 1, 1.0)
    with pytest.raises(KokoroError, match="not among"):
        pca_edit(random_packs, "zz_0", "both", 1, 1.0)


def test_voice_set_rejects_bad_shapes():
    with pytest.raises(KokoroError, match="expected"):
        voice_set({"a": np.zeros((510, 128)), "b": np.zeros((510, 256)), "c": np.zeros((510, 256))})
    with pytest.raises(KokoroError, match="at least"):
        voice_set({"a": np.zeros((510, 256))})
