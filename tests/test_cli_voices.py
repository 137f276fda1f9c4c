"""`kokoro voices` in-process: output, saved recipes, and one-line exit-2 errors for every user mistake."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from kokoro_tui.assets.fixes import repair_voice
from kokoro_tui.cli.main import app
from kokoro_tui.voices.formats import read_voice_file, write_voice_file
from kokoro_tui.voices.stats import half_stats
from kokoro_tui.voices.store import VoiceStore

runner = CliRunner()


def kokoro(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def store(tmp_home, tiny_voice):
    store = VoiceStore(tmp_home)
    for index, name in enumerate(["af_heart", "am_adam", "bf_emma"]):
        store.save(name, tiny_voice + index, "stock", {"source": "test"}, fmt="bin")
    return store


def test_list_table_and_filters(store):
    result = kokoro("voices", "list")
    assert result.exit_code == 0
    assert "af_heart" in result.stdout and "British English" in result.stdout and "stock" in result.stdout
    only_b = kokoro("voices", "list", "--lang", "b")
    assert "bf_emma" in only_b.stdout and "af_heart" not in only_b.stdout
    males = json.loads(kokoro("voices", "list", "--gender", "m", "--json").stdout)
    assert [v["name"] for v in males] == ["am_adam"] and males[0]["language"] == "American English"


def test_show_prints_per_half_statistics(store, tiny_voice):
    result = kokoro("voices", "show", "am_adam")
    assert result.exit_code == 0
    assert "decoder 0–127" in result.stdout and "prosody 128–255" in result.stdout and "[510, 1, 256]" in result.stdout
    data = json.loads(kokoro("voices", "show", "am_adam", "--json").stdout)
    expected = half_stats(tiny_voice + 1)
    assert data["origin"] == "stock" and data["shape"] == [510, 1, 256]
    for half in ("decoder", "prosody"):
        for key, value in expected[half].as_dict().items():
            assert data["halves"][half][key] == pytest.approx(value, rel=1e-6, abs=1e-9)


def test_blend_saves_the_normalised_recipe(store, tiny_voice):
    result = kokoro("voices", "blend", "af_heart:7,am_adam:3", "--name", "mix")
    assert result.exit_code == 0, result.output
    info = store.info("mix")
    assert info.origin == "blended"
    assert info.recipe == {"blend": [{"voice": "af_heart", "weight": 0.7}, {"voice": "am_adam", "weight": 0.3}]}
    np.testing.assert_allclose(store.load("mix"), tiny_voice + 0.3, atol=1e-6)


def test_blend_with_negative_weight(store, tiny_voice):
    assert kokoro("voices", "blend", "af_heart:1.5,am_adam:-0.5", "--name", "away").exit_code == 0
    np.testing.assert_allclose(store.load("away"), tiny_voice - 0.5, atol=1e-6)


@pytest.mark.parametrize("fmt", ["pt", "bin", "npy"])
def test_export_then_import_round_trips(store, tiny_voice, tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    assert kokoro("voices", "export", "bf_emma", str(target)).exit_code == 0
    np.testing.assert_array_equal(read_voice_file(target), tiny_voice + 2)
    result = kokoro("voices", "import", str(target), "--name", "back")
    assert result.exit_code == 0, result.output
    assert store.info("back").origin == "imported"
    np.testing.assert_array_equal(store.load("back"), tiny_voice + 2)


def test_export_with_explicit_format(store, tmp_path):
    target = tmp_path / "voice.data"
    assert kokoro("voices", "export", "af_heart", str(target), "--format", "npy").exit_code == 0
    assert target.read_bytes()[:6] == b"\x93NUMPY"


def test_export_keeps_an_existing_file_unless_forced(store, tmp_path, tiny_voice, assert_user_error):
    target = tmp_path / "keep.pt"
    target.write_bytes(b"the user's own file")
    assert_user_error(kokoro("voices", "export", "af_heart", str(target)), f"{target} already exists")
    assert target.read_bytes() == b"the user's own file"
    assert kokoro("voices", "export", "af_heart", str(target), "--force").exit_code == 0
    np.testing.assert_array_equal(read_voice_file(target), tiny_voice)


def test_export_to_stdout_writes_the_voice_bytes(store, tiny_voice, assert_user_error):
    result = kokoro("voices", "export", "af_heart", "-", "--format", "bin")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == tiny_voice.astype("<f4").tobytes()
    assert_user_error(kokoro("voices", "export", "af_heart", "-"), "writing a voice to stdout needs --format")
    assert_user_error(kokoro("voices", "export", "af_heart", "-", "--format", "wav"), "unknown voice format 'wav'")


def test_export_to_stdout_refuses_a_terminal(store, monkeypatch, assert_user_error):
    from typer.testing import _NamedTextIOWrapper  # what CliRunner puts in place of sys.stdout

    monkeypatch.setattr(_NamedTextIOWrapper, "isatty", lambda self: True, raising=False)
    result = kokoro("voices", "export", "af_heart", "-", "--format", "bin")
    assert_user_error(result, "refusing to write a voice to a terminal")
    assert result.stdout_bytes == b""


def test_unknown_voice(store, assert_user_error):
    assert_user_error(kokoro("voices", "show", "af_hart"), "unknown voice 'af_hart' (did you mean af_heart")


def test_missing_assets_name_the_fix(tmp_home, assert_user_error):
    assert_user_error(kokoro("voices", "show", "af_heart"), "run `kokoro download`")


def test_listing_an_empty_store_is_not_an_error(tmp_home):
    for args, stdout in ((["--json"], "[]\n"), ([], "name  language  gender  origin  status\n")):
        result = kokoro("voices", "list", *args)
        assert result.exit_code == 0, result.output
        assert result.stdout == stdout
        assert result.stderr == f"no voices yet in {tmp_home.voices}: run `kokoro download`\n"


def test_names_are_matched_ignoring_case(store, tiny_voice, assert_user_error):
    result = kokoro("voices", "show", "AF_HEART", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["name"] == "af_heart"
    assert_user_error(kokoro("voices", "show", "AF_HEAT"), "unknown voice 'AF_HEAT' (did you mean af_heart")


@pytest.mark.parametrize(("name", "fragment"), [
    ("junk.npy", "junk.npy is not a readable voice file (.npy): not a NumPy .npy file"),
    ("junk.npz", "junk.npz is not a readable voice file (.npz): not a NumPy .npz (zip) archive"),
    ("junk.pt", "junk.pt is not a readable voice file (.pt): not a PyTorch file"),
])
def test_malformed_file(store, tmp_path, assert_user_error, name, fragment):
    junk = tmp_path / name
    junk.write_bytes(b"garbage")
    assert_user_error(kokoro("voices", "import", str(junk), "--name", "junk"), fragment)


def test_pt_holding_something_else_than_a_tensor(store, tmp_path, assert_user_error):
    import torch

    torch.save({"weights": 1}, tmp_path / "dict.pt")
    torch.save(np.zeros((510, 1, 256), np.float32), tmp_path / "pickled.pt")  # a numpy array: pickled objects
    assert_user_error(kokoro("voices", "import", str(tmp_path / "dict.pt")), "it holds a dict whose value is an int")
    result = kokoro("voices", "import", str(tmp_path / "pickled.pt"))
    assert_user_error(result, "pickled.pt is not a readable voice file (.pt): it holds pickled Python objects")
    assert "weights_only" not in result.stderr


def test_wrong_shape_file(store, tmp_path, assert_user_error):
    np.save(tmp_path / "small.npy", np.zeros((10, 256), np.float32))
    assert_user_error(kokoro("voices", "import", str(tmp_path / "small.npy")), "voice has shape [10, 256]")


def test_non_finite_file(store, tmp_path, tiny_voice, assert_user_error):
    bad = tiny_voice.copy()
    bad[0, 0, :3] = np.nan
    np.save(tmp_path / "nan.npy", bad)
    assert_user_error(kokoro("voices", "import", str(tmp_path / "nan.npy")), "3 non-finite values")


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ("af_heart:0.7,,am_adam:0.3", "bad blend spec"),
        ("af_heart:x", "is not a number"),
        ("af_heart:1,am_adam:-1", "blend weights sum to zero; they must sum to more than zero"),
        ("af_heart:1,am_adam:-2", "blend weights sum to less than zero; they must sum to more than zero"),
        ("af_heart:0.1,am_adam:0.2,bf_emma:-0.3", "blend weights sum to zero"),  # 5.6e-17 after rounding
        ("af_heart:1e309", "weight of af_heart must be finite"),
        ("af_heart:nan", "weight of af_heart must be finite"),
    ],
)
def test_bad_blend(store, spec, fragment, assert_user_error):
    assert_user_error(kokoro("voices", "blend", spec, "--name", "x"), fragment)
    assert not store.exists("x")


@pytest.mark.parametrize(("spec", "expected"), [("af_heart:1e308,am_adam:1e308", 0.5), ("af_heart:1e-10,am_adam:1e-10", 0.5)])
def test_blend_of_huge_or_tiny_weights(store, tiny_voice, spec, expected):
    """Weights are scaled by the largest before they are summed: 1e308s do not overflow, 1e-10s are not zero."""
    result = kokoro("voices", "blend", spec, "--name", "mix")
    assert result.exit_code == 0, result.output
    np.testing.assert_allclose(store.load("mix"), tiny_voice + expected, atol=1e-6)
    assert [part["weight"] for part in store.info("mix").recipe["blend"]] == [expected, expected]


def test_blend_of_one_tiny_weight_is_that_voice(store, tiny_voice):
    assert kokoro("voices", "blend", "am_adam:1e-10", "--name", "mine").exit_code == 0
    np.testing.assert_allclose(store.load("mine"), tiny_voice + 1, atol=1e-6)


@pytest.mark.parametrize(("amount", "fragment"), [
    ("nan", "--amount must be a finite number of standard deviations, got nan"),
    ("inf", "--amount must be a finite number of standard deviations, got inf"),
    ("1e308", "--amount 1e+308 moves af_heart beyond the values a voice can hold"),
])
@pytest.mark.filterwarnings("error")  # an overflow warning would be a second line on stderr
def test_pca_edit_refuses_an_amount_that_is_not_finite(store, assert_user_error, amount, fragment):
    assert_user_error(kokoro("voices", "pca-edit", "af_heart", "-k", "1", "-a", amount, "-n", "p"), fragment)
    assert not store.exists("p")


def test_blend_of_unknown_voice(store, assert_user_error):
    assert_user_error(kokoro("voices", "blend", "af_heart:1,am_adams:1", "--name", "x"), "did you mean am_adam")


def test_existing_voice_is_not_overwritten_without_force(store, tiny_voice, assert_user_error):
    assert_user_error(kokoro("voices", "blend", "am_adam:1", "--name", "af_heart"), "'af_heart' already exists (stock)")
    np.testing.assert_array_equal(store.load("af_heart"), tiny_voice)
    assert kokoro("voices", "blend", "am_adam:1", "--name", "af_heart", "--force").exit_code == 0
    assert kokoro("voices", "blend", "af_heart:1,am_adam:1", "--name", "mine").exit_code == 0
    mine = store.load("mine")
    assert_user_error(kokoro("voices", "blend", "am_adam:1", "--name", "mine"), "'mine' already exists (blended)")
    np.testing.assert_array_equal(store.load("mine"), mine)


def test_invalid_name_and_unknown_export_format(store, tmp_path, tiny_voice, assert_user_error):
    write_voice_file(tmp_path / "ok.npy", tiny_voice)
    assert_user_error(kokoro("voices", "import", str(tmp_path / "ok.npy"), "--name", "Bad Name"), "invalid voice name")
    assert_user_error(kokoro("voices", "export", "af_heart", str(tmp_path / "out.wav")), "unknown voice format '.wav'")


def test_export_without_extension_names_the_ways_out(store, tmp_path, assert_user_error):
    assert_user_error(kokoro("voices", "export", "af_heart", str(tmp_path / "noext")), "noext has no extension: add one of")
    assert "or pass --format" in kokoro("voices", "export", "af_heart", str(tmp_path / "noext")).stderr


@pytest.mark.parametrize(("make", "target", "fragment"), [
    (lambda d: (d / "adir.npy").mkdir(), "adir.npy", "adir.npy: Is a directory"),
    (lambda d: (d / "afile").write_text(""), "afile/x.npy", "afile/x.npy: Not a directory"),
])
def test_export_to_an_unwritable_path(store, tmp_path, assert_user_error, make, target, fragment):
    make(tmp_path)
    assert_user_error(kokoro("voices", "export", "af_heart", str(tmp_path / target)), f"cannot write {tmp_path}/{fragment}")


def test_import_into_an_unwritable_home(tmp_path, tiny_voice, monkeypatch, assert_user_error):
    write_voice_file(tmp_path / "ok.npy", tiny_voice)
    (tmp_path / "afile").write_text("")
    monkeypatch.setenv("KOKORO_HOME", str(tmp_path / "afile" / "home"))
    result = kokoro("voices", "import", str(tmp_path / "ok.npy"), "--name", "zz")
    assert_user_error(result, f"cannot write {tmp_path}/afile/home/voices/zz.npy: Not a directory")


def test_bad_filters(store, assert_user_error):
    assert_user_error(kokoro("voices", "list", "--lang", "x"), "unknown language code 'x'")


@pytest.fixture
def damaged(store):
    """af_heart with a NaN, am_adam with an unreadable sidecar; bf_emma sound."""
    values = np.fromfile(store.root / "af_heart.bin", dtype="<f4")
    values[3] = np.nan
    values.tofile(store.root / "af_heart.bin")
    (store.root / "am_adam.json").write_text("{", encoding="utf-8")
    return store


def test_list_marks_damaged_voices_and_names_each_fix_once_below_the_table(damaged):
    result = kokoro("voices", "list")
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:]}
    assert rows["af_heart"][-1] == rows["am_adam"][-1] == "damaged" and rows["bf_emma"][-1] == "ok"
    assert rows["am_adam"][-2] == "unknown"  # the origin lived in the unreadable sidecar
    for name, origin in (("af_heart", "stock"), ("am_adam", None)):
        fix = repair_voice(name, origin, None)
        assert result.stderr.count(fix) == 1 and fix not in result.stdout
    assert f"damaged: {damaged.root / 'af_heart.bin'}: voice has 1 non-finite values" in result.stderr
    assert "Traceback" not in result.output


def test_list_json_gives_problem_and_fix(damaged):
    result = kokoro("voices", "list", "--json")
    assert result.exit_code == 0, result.output
    voices = {voice["name"]: voice for voice in json.loads(result.stdout)}
    assert voices["bf_emma"]["problem"] is None and voices["bf_emma"]["fix"] is None
    assert "unreadable voice sidecar" in voices["am_adam"]["problem"]
    assert voices["af_heart"]["fix"] == repair_voice("af_heart", "stock", {"source": "test"})


def test_show_says_a_voice_is_damaged_and_names_the_fix(damaged, assert_user_error):
    result = kokoro("voices", "show", "af_heart")
    assert_user_error(result, "af_heart is damaged: ")
    assert repair_voice("af_heart", "stock", None) in result.stderr and "non-finite" in result.stderr
    assert_user_error(kokoro("voices", "show", "am_adam", "--json"), "unreadable voice sidecar")


def test_list_of_an_unreadable_store_fails(tmp_home, assert_user_error):
    tmp_home.root.mkdir(parents=True)
    tmp_home.voices.write_text("", encoding="utf-8")
    assert_user_error(kokoro("voices", "list"), f"cannot read {tmp_home.voices}: Not a directory")


def test_remove_deletes_a_made_voice_with_every_file_and_keeps_the_rest(store, tiny_voice):
    store.save("mix", tiny_voice, "blended", {"blend": []}, fmt="npy")
    (store.root / "mix.pt").write_bytes(b"an older copy in another format")
    result = kokoro("voices", "remove", "MIX")  # names are matched ignoring case, as everywhere
    assert result.exit_code == 0, result.output
    assert "removed mix (blended)" in result.stderr
    assert not list(store.root.glob("mix.*"))
    assert store.names() == ["af_heart", "am_adam", "bf_emma"]


def test_remove_keeps_stock_voices_unless_forced(store, assert_user_error):
    assert_user_error(kokoro("voices", "remove", "am_adam"), "'am_adam' is a stock voice and is kept")
    assert store.exists("am_adam")
    result = kokoro("voices", "remove", "am_adam", "--force")
    assert result.exit_code == 0, result.output
    assert not store.exists("am_adam") and not (store.root / "am_adam.json").exists()


@pytest.mark.parametrize("sidecar", [None, "{not json", '{"origin": "stock", "recipe": {"blend": [{"weight": "x"}]}}'])
def test_a_stock_voice_whose_sidecar_is_lost_is_still_kept_unless_forced(store, assert_user_error, sidecar):
    """The sidecar is what says "stock"; a stock name whose sidecar is gone or damaged still counts as stock."""
    path = store.root / "am_adam.json"
    path.unlink()
    if sidecar is not None:
        path.write_text(sidecar, encoding="utf-8")
    assert_user_error(kokoro("voices", "remove", "am_adam"), "'am_adam' is a stock voice and is kept")
    assert store.exists("am_adam")
    assert kokoro("voices", "remove", "am_adam", "--force").exit_code == 0 and not store.exists("am_adam")


def test_a_voice_of_a_stock_name_made_by_the_user_goes_without_force(store, tiny_voice):
    store.save("af_heart", tiny_voice, "imported", {"source": "/tmp/mine.pt"}, replace=True)
    assert kokoro("voices", "remove", "af_heart").exit_code == 0 and not store.exists("af_heart")


def test_remove_of_an_unknown_voice_is_one_line(store, assert_user_error):
    assert_user_error(kokoro("voices", "remove", "af_hart"), "unknown voice 'af_hart' (did you mean af_heart")


def test_remove_takes_several_names_and_removes_none_when_one_is_refused(store, tiny_voice, assert_user_error):
    for name in ("one", "two"):
        store.save(name, tiny_voice, "imported")
    assert_user_error(kokoro("voices", "remove", "one", "af_heart", "two"), "'af_heart' is a stock voice and is kept")
    assert_user_error(kokoro("voices", "remove", "one", "tow"), "unknown voice 'tow' (did you mean two")
    assert store.exists("one") and store.exists("two")
    result = kokoro("voices", "remove", "one", "TWO", "two")  # a name given twice goes once
    assert result.exit_code == 0, result.output
    assert result.stderr.count("removed ") == 2
    assert store.names() == ["af_heart", "am_adam", "bf_emma"]


@pytest.mark.parametrize("weight", ['"x"', "null"])
def test_a_sidecar_weight_that_is_no_number_is_reported_not_crashed_on(store, tiny_voice, assert_user_error, weight):
    store.save("odd", tiny_voice, "blended", fmt="bin")
    recipe = f'{{"blend": [{{"voice": "af_heart", "weight": {weight}}}]}}'
    (store.root / "odd.json").write_text(f'{{"origin": "blended", "recipe": {recipe}}}', encoding="utf-8")
    listed = kokoro("voices", "list")
    assert listed.exit_code == 0 and "Traceback" not in listed.output, listed.output
    assert "odd.json: unreadable voice sidecar (the blend weight" in listed.stderr
    assert repair_voice("odd", None, None) in listed.stderr
    assert_user_error(kokoro("voices", "show", "odd"), "odd is damaged: ")
    assert kokoro("voices", "remove", "odd").exit_code == 0 and not store.exists("odd")
