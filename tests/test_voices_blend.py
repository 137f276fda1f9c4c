"""Blend specs and blend math, and the style-row rule."""

from __future__ import annotations

import numpy as np
import pytest

from kokoro_tui.errors import KokoroError
from kokoro_tui.voices.blend import blend, is_blend_spec, normalise_weights, parse_blend_spec
from kokoro_tui.voices.pack import select_style


def test_parse_spec_with_and_without_weights():
    assert parse_blend_spec("af_heart:0.7,am_adam:0.3") == [("af_heart", 0.7), ("am_adam", 0.3)]
    assert parse_blend_spec(" af_heart , am_adam:-0.5 ") == [("af_heart", 1.0), ("am_adam", -0.5)]
    assert is_blend_spec("a:1") and is_blend_spec("a,b") and not is_blend_spec("af_heart")


def test_kokoro_fastapi_syntax_reads_as_ours():
    assert parse_blend_spec("af_heart(7)+am_adam(3)") == [("af_heart", 7.0), ("am_adam", 3.0)]
    assert parse_blend_spec("af_heart + am_adam") == [("af_heart", 1.0), ("am_adam", 1.0)]
    assert is_blend_spec("af_heart+am_adam") and is_blend_spec("af_heart(2)")
    with pytest.raises(KokoroError, match="joined by"):
        parse_blend_spec("af_heart(1)(2)")


def test_the_store_resolves_both_syntaxes_alike(tmp_path):
    """The store resolves either syntax to the same pack, so every face takes both (say, book, markup, dashboard)."""
    from kokoro_tui.home import DataHome
    from kokoro_tui.voices.store import VoiceStore

    store = VoiceStore(DataHome(tmp_path))
    rng = np.random.default_rng(0)
    for name in ("af_heart", "am_adam"):
        store.save(name, rng.standard_normal((510, 1, 256)).astype(np.float32), origin="stock")
    np.testing.assert_array_equal(store.resolve("af_heart(3)+am_adam(1)"), store.resolve("af_heart:3,am_adam:1"))


@pytest.mark.parametrize(
    "spec, message",
    [
        ("af_heart:0.7,", "bad blend spec"),
        ("", "bad blend spec"),
        (":0.5", "no voice name"),
        ("af_heart:abc", "'abc' is not a number"),
        ("Af Heart:1", "is not a voice name"),
        ("af_heart:nan", "must be finite"),
    ],
)
def test_bad_specs_are_one_line_errors(spec, message):
    with pytest.raises(KokoroError, match=message) as caught:
        parse_blend_spec(spec)
    assert "\n" not in str(caught.value)


def test_weights_are_normalised_by_their_sum():
    np.testing.assert_allclose(normalise_weights([3, 1]), [0.75, 0.25])
    np.testing.assert_allclose(normalise_weights([1.0, -0.5]), [2.0, -1.0])
    with pytest.raises(KokoroError, match="sum to zero"):
        normalise_weights([1.0, -1.0])


def test_blend_is_the_normalised_weighted_sum():
    a = np.full((510, 1, 256), 1.0, np.float32)
    b = np.full((510, 1, 256), 3.0, np.float32)
    np.testing.assert_allclose(blend([a, b], [0.7, 0.3]), 1.6, rtol=1e-6)
    np.testing.assert_allclose(blend([a, b], [7, 3]), 1.6, rtol=1e-6)


def test_negative_weight_extrapolates_away_from_a_voice():
    a = np.full((510, 1, 256), 1.0, np.float32)
    b = np.full((510, 1, 256), 3.0, np.float32)
    # 1.5·a − 0.5·b (sum 1): moves past a, away from b.
    np.testing.assert_allclose(blend([a, b], [1.5, -0.5]), 0.0, atol=1e-6)
    np.testing.assert_allclose(blend([a, b], [1.0, -0.5]), -1.0, atol=1e-6)


def test_blend_of_one_voice_is_that_voice(tiny_voice):
    out = blend([tiny_voice], [0.25])
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, tiny_voice, rtol=1e-6)


def test_select_style_row_is_phoneme_count_minus_one_clamped():
    pack = np.arange(510, dtype=np.float32)[:, None, None] * np.ones((1, 1, 256), np.float32)
    assert select_style(pack, 1)[0] == 0
    assert select_style(pack, 12)[0] == 11
    assert select_style(pack, 0)[0] == 0
    assert select_style(pack, 5000)[0] == 509
    assert select_style(pack.reshape(510, 256), 30).shape == (256,)


def test_recipes_read_as_one_line():
    from kokoro_tui.voices.recipe import describe_recipe

    blend = {"blend": [{"voice": "af_heart", "weight": 0.7}, {"voice": "am_adam", "weight": 0.3}]}
    assert describe_recipe(blend) == "blend 0.70·af_heart + 0.30·am_adam"
    edit = {"operation": "pca-edit", "source": "af_heart", "view": "both", "component": 4, "amount": 1.5, "basis": "stock voices"}
    assert describe_recipe(edit) == "pca-edit of af_heart: +1.5 std along PC4 (both view)"
    assert describe_recipe({"source": "/tmp/v.pt"}) == "from /tmp/v.pt"
    assert describe_recipe({"spec": "x"}) == '{"spec":"x"}'
    assert describe_recipe(None) == ""


def test_a_recipe_with_a_weight_or_amount_that_is_no_number_reads_as_json():
    """`voices show` and the dashboard describe whatever a sidecar holds without converting a non-number."""
    from kokoro_tui.voices.recipe import blend_parts, describe_recipe

    odd = {"blend": [{"voice": "af_heart", "weight": "x"}]}
    assert blend_parts(odd) == [] and describe_recipe(odd) == '{"blend":[{"voice":"af_heart","weight":"x"}]}'
    assert describe_recipe({"operation": "pca-edit", "amount": None}) == '{"operation":"pca-edit","amount":null}'


@pytest.mark.parametrize(
    ("weights", "expected"),
    [([1e308, 1e308], [0.5, 0.5]), ([1e-10], [1.0]), ([5e-324, 5e-324], [0.5, 0.5]), ([1.5, -0.5], [1.5, -0.5])],
)
def test_weights_are_normalised_without_overflow_or_underflow(weights, expected):
    np.testing.assert_allclose(normalise_weights(weights), expected)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([1.0, -2.0], "sum to less than zero"),
        ([1.0, -1.0], "sum to zero"),
        ([0.0, 0.0], "sum to zero"),
        ([1.0, float("inf")], "must be finite"),
        ([float("nan")], "must be finite"),
    ],
)
def test_weights_that_cannot_be_normalised_are_refused(weights, message):
    with pytest.raises(KokoroError, match=message):
        normalise_weights(weights)
