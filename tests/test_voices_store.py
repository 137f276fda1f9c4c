"""The voice store: names, metadata from prefixes, sidecars, protection of stock voices, resolve()."""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kokoro_tui import atomic
from kokoro_tui.errors import KokoroError, MissingAssetError
from kokoro_tui.home import DataHome
from kokoro_tui.text.languages import LANGUAGES
from kokoro_tui.voices.formats import write_voice_file
from kokoro_tui.voices.names import validate_name
from kokoro_tui.voices.store import VoiceStore


@pytest.fixture
def store(tmp_home, tiny_voice):
    store = VoiceStore(tmp_home)
    for index, name in enumerate(["af_heart", "am_adam", "bf_emma", "jm_kumo"]):
        store.save(name, tiny_voice + index, "stock", {"source": "test"}, fmt="bin")
    return store


def test_names_and_metadata_from_the_prefix(store):
    assert store.names() == ["af_heart", "am_adam", "bf_emma", "jm_kumo"]
    info = store.info("bf_emma")
    assert (info.lang, info.language, info.gender, info.gender_name) == ("b", "British English", "f", "female")
    assert info.origin == "stock" and info.recipe == {"source": "test"} and info.path.name == "bf_emma.bin"
    assert store.info("jm_kumo").language == "Japanese"
    assert {code: language.name for code, language in LANGUAGES.items()} == {
        "a": "American English", "b": "British English", "e": "Spanish", "f": "French", "h": "Hindi",
        "i": "Italian", "j": "Japanese", "p": "Brazilian Portuguese", "z": "Mandarin Chinese", "r": "Russian",
    }  # fmt: skip


def test_list_filters_by_language_and_gender(store):
    assert [v.name for v in store.list(lang="a")] == ["af_heart", "am_adam"]
    assert [v.name for v in store.list(gender="f")] == ["af_heart", "bf_emma"]
    assert [v.name for v in store.list(lang="a", gender="male")] == ["am_adam"]
    with pytest.raises(KokoroError, match="unknown language code 'x'"):
        store.list(lang="x")
    with pytest.raises(KokoroError, match="unknown gender"):
        store.list(gender="q")


def test_load_by_name_and_by_path(store, tiny_voice, tmp_path):
    np.testing.assert_array_equal(store.load("am_adam"), tiny_voice + 1)
    outside = write_voice_file(tmp_path / "outside.npy", tiny_voice * 2)
    np.testing.assert_array_equal(store.load(str(outside)), tiny_voice * 2)
    np.testing.assert_array_equal(store.load(outside), tiny_voice * 2)


def test_unknown_name_suggests_close_matches(store):
    with pytest.raises(KokoroError, match=r"unknown voice 'af_hart' \(did you mean af_heart") as caught:
        store.load("af_hart")
    assert not isinstance(caught.value, MissingAssetError)
    with pytest.raises(KokoroError, match="kokoro voices list"):
        store.info("zzzzzzzz")


def test_names_ignore_case_when_that_is_unambiguous(store, tiny_voice):
    np.testing.assert_array_equal(store.load("AM_Adam"), tiny_voice + 1)
    assert store.info("BF_EMMA").name == "bf_emma" and store.info("BF_EMMA").origin == "stock"
    with pytest.raises(KokoroError, match=r"unknown voice 'AF_HART' \(did you mean af_heart"):
        store.load("AF_HART")


def test_empty_store_names_the_download_command(tmp_home):
    with pytest.raises(MissingAssetError, match="run `kokoro download`"):
        VoiceStore(tmp_home).load("af_heart")


def test_resolve_name_file_and_blend(store, tiny_voice, tmp_path):
    np.testing.assert_array_equal(store.resolve("af_heart"), tiny_voice)
    np.testing.assert_allclose(store.resolve("af_heart:0.5,am_adam:0.5"), tiny_voice + 0.5, atol=1e-6)
    np.testing.assert_allclose(store.resolve("af_heart:2,am_adam:-1"), tiny_voice - 1, atol=1e-5)
    path = write_voice_file(tmp_path / "x.safetensors", tiny_voice)
    np.testing.assert_array_equal(store.resolve(str(path)), tiny_voice)
    with pytest.raises(KokoroError, match="sum to zero"):
        store.resolve("af_heart:1,am_adam:-1")


def test_save_writes_sidecar_and_replaces_other_formats(tmp_home, tiny_voice):
    store = VoiceStore(tmp_home)
    store.save("mine", tiny_voice, "blended", {"blend": [["af_heart", 1.0]]}, fmt="pt")
    with pytest.raises(KokoroError, match="'mine' already exists \\(blended\\)"):
        store.save("mine", tiny_voice * 3, "edited", {"edit": "pc1+2"})
    np.testing.assert_array_equal(store.load("mine"), tiny_voice)
    info = store.save("mine", tiny_voice * 3, "edited", {"edit": "pc1+2"}, replace=True)
    assert info.path.name == "mine.npy" and not (tmp_home.voices / "mine.pt").exists()
    sidecar = json.loads((tmp_home.voices / "mine.json").read_text())
    assert sidecar["origin"] == "edited" and sidecar["recipe"] == {"edit": "pc1+2"} and sidecar["created"]
    np.testing.assert_array_equal(store.load("mine"), tiny_voice * 3)


def test_existing_voices_are_protected_unless_asked(store, tiny_voice):
    with pytest.raises(KokoroError, match="'af_heart' already exists \\(stock\\)"):
        store.save("af_heart", tiny_voice * 0, "blended")
    np.testing.assert_array_equal(store.load("af_heart"), tiny_voice)
    store.save("af_heart", tiny_voice * 0, "blended", replace=True)
    assert store.info("af_heart").origin == "blended"


def test_voice_without_sidecar_counts_as_imported(tmp_home, tiny_voice):
    write_voice_file(tmp_home.voices / "dropped_in.npz", tiny_voice)
    info = VoiceStore(tmp_home).info("dropped_in")
    assert info.origin == "imported" and info.lang is None and info.gender is None


def test_invalid_names_are_refused(tmp_home, tiny_voice):
    for bad in ["Upper", "with space", "../escape", "", "dot.ted"]:
        with pytest.raises(KokoroError, match="invalid voice name"):
            validate_name(bad)
    with pytest.raises(KokoroError, match="invalid voice name"):
        VoiceStore(tmp_home).save("../escape", tiny_voice, "imported")
    assert validate_name("my-voice_2") == "my-voice_2"


def test_made_voices_without_prefix_inherit_language_and_gender(store, tiny_voice):
    store.save("narrator", tiny_voice, "blended", {"blend": [{"voice": "bm_lewis", "weight": 0.3}, {"voice": "af_heart", "weight": 0.7}]})
    store.save("brighter", tiny_voice, "edited", {"operation": "pca-edit", "source": "bm_lewis"})
    store.save("mystery", tiny_voice, "imported", None)
    assert (store.info("narrator").lang, store.info("narrator").gender) == ("a", "f")
    assert (store.info("brighter").lang, store.info("brighter").gender) == ("b", "m")
    assert store.info("mystery").lang is None


_start_together: Any = None  # a multiprocessing Barrier, handed to each racing process at its start


def _join_race(barrier: Any) -> None:
    global _start_together
    _start_together = barrier


def _save_racing(root: str, name: str, value: float) -> str:
    """Save ``name`` as the other process does; the write is slowed so that both checks come first
    unless the store serialises them."""
    from kokoro_tui.voices import store as store_module

    write = store_module.write_voice_file
    store_module.write_voice_file = lambda *args: (time.sleep(0.2), write(*args))[1]
    _start_together.wait(timeout=60)
    try:
        VoiceStore(DataHome(Path(root))).save(name, np.full((510, 1, 256), value, np.float32), "blended")
    except KokoroError as error:
        return str(error)
    finally:
        store_module.write_voice_file = write
    return "saved"


def test_two_processes_saving_one_name_one_wins(tmp_path):
    """Without --force exactly one of two simultaneous saves wins; the other is told the name is taken."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    with context.Pool(2, initializer=_join_race, initargs=(barrier,)) as pool:
        for round_ in range(5):
            name = f"race_{round_}"
            outcomes = pool.starmap(_save_racing, [(str(tmp_path), name, 1.0), (str(tmp_path), name, 2.0)])
            assert outcomes.count("saved") == 1, outcomes
            lost = next(outcome for outcome in outcomes if outcome != "saved")
            assert lost.startswith(f"a voice named '{name}' already exists (blended)"), outcomes
            winner = 1.0 + outcomes.index("saved")
            assert (VoiceStore(DataHome(tmp_path)).load(name) == winner).all()


def test_a_store_locked_too_long_is_one_line(tmp_home, tiny_voice, monkeypatch):
    from filelock import FileLock

    from kokoro_tui.voices import store as store_module

    monkeypatch.setattr(atomic, "LOCK_TIMEOUT_S", 0.2)
    tmp_home.voices.mkdir(parents=True)
    held = FileLock(tmp_home.voices / store_module.LOCK_NAME)
    with held, pytest.raises(KokoroError, match=r"stayed locked by another kokoro process") as caught:
        VoiceStore(tmp_home).save("waiting", tiny_voice, "blended")
    assert caught.value.exit_code == 1
    VoiceStore(tmp_home).save("waiting", tiny_voice, "blended")  # and the lock is free again after


def _put_nan(path: Path) -> None:
    """One NaN in a raw ``.bin`` voice, the rest of the file as it was."""
    values = np.fromfile(path, dtype="<f4")
    values[7] = np.nan
    values.tofile(path)


def test_check_records_what_is_damaged_instead_of_failing(store):
    """A NaN, a truncated .bin and an unreadable sidecar each show in ``problem``; the listing goes on."""
    _put_nan(store.root / "af_heart.bin")
    with open(store.root / "am_adam.bin", "r+b") as handle:
        handle.truncate(1000)
    (store.root / "bf_emma.json").write_text("{not json", encoding="utf-8")
    assert [v.problem for v in store.list(lang="j")] == [None]
    problems = {v.name: v.problem for v in store.list()}
    assert problems["af_heart"] == f"{store.root / 'af_heart.bin'}: voice has 1 non-finite values (NaN or infinity)"
    assert problems["am_adam"].startswith(f"{store.root / 'am_adam.bin'}: raw voice has 1,000 bytes, expected")
    assert problems["bf_emma"].startswith(f"{store.root / 'bf_emma.json'}: unreadable voice sidecar")
    assert problems["jm_kumo"] is None
    emma = store.info("bf_emma", check=True)
    assert emma.origin == "unknown" and not emma.sidecar_readable and emma.as_dict()["problem"] == problems["bf_emma"]
    with pytest.raises(KokoroError, match="unreadable voice sidecar"):
        store.info("bf_emma")  # unchecked, it fails as before: `kokoro doctor` turns that into a finding


def test_checking_a_full_store_stays_cheap(tmp_home, tiny_voice):
    """60 raw voices are checked (size and finite values) in far less than a second: ~20 ms on the dev machine."""
    tmp_home.voices.mkdir(parents=True)
    for index in range(60):
        (tmp_home.voices / f"af_v{index:02d}.bin").write_bytes(tiny_voice.astype("<f4").tobytes())
    started = time.perf_counter()
    voices = VoiceStore(tmp_home).list()
    assert time.perf_counter() - started < 0.5
    assert len(voices) == 60 and not any(v.problem for v in voices)


def test_an_unreadable_store_is_an_error_not_an_empty_list(tmp_home):
    tmp_home.root.mkdir(parents=True)
    tmp_home.voices.write_text("not a folder", encoding="utf-8")
    with pytest.raises(KokoroError, match=f"cannot read {tmp_home.voices}: Not a directory") as caught:
        VoiceStore(tmp_home).list()
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("weight", "said"), [('"x"', '"x"'), ("null", "null"), ("true", "true"), ("1e999", "Infinity")]
)
def test_a_sidecar_weight_that_is_no_number_is_a_damaged_sidecar(store, tiny_voice, weight, said):
    """A hand-edited blend weight is reported like any damaged sidecar, never converted (and crashed on)."""
    store.save("odd", tiny_voice, "blended")
    sidecar = store.root / "odd.json"
    sidecar.write_text(f'{{"origin":"blended","recipe":{{"blend":[{{"voice":"af_heart","weight":{weight}}}]}}}}')
    (odd,) = [voice for voice in store.list() if voice.name == "odd"]
    assert odd.origin == "unknown"
    assert odd.problem == f"{sidecar}: unreadable voice sidecar (the blend weight {said} of af_heart is not a finite number)"
    with pytest.raises(KokoroError, match="unreadable voice sidecar"):
        store.info("odd")
    assert store.remove("odd").name == "odd" and not sidecar.exists()


def test_a_pca_edit_amount_that_is_no_number_is_a_damaged_sidecar(store, tiny_voice):
    store.save("edit", tiny_voice, "edited")
    recipe = {"operation": "pca-edit", "source": "af_heart", "amount": "far"}
    (store.root / "edit.json").write_text(json.dumps({"origin": "edited", "recipe": recipe}), encoding="utf-8")
    assert store.info("edit", check=True).problem.endswith('(the pca-edit amount "far" is not a finite number)')


def test_a_stock_name_without_a_readable_sidecar_is_kept_when_the_stock_names_are_given(store, tiny_voice):
    (store.root / "af_heart.json").unlink()
    (store.root / "am_adam.json").write_text("{", encoding="utf-8")
    store.save("my_voice", tiny_voice, "blended")
    (store.root / "my_voice.json").unlink()
    for name in ("af_heart", "am_adam"):
        with pytest.raises(KokoroError, match=f"'{name}' is a stock voice and is kept"):
            store.remove(name, stock_names=("af_heart", "am_adam"))
    assert store.remove("my_voice", stock_names=("af_heart", "am_adam")).name == "my_voice"
    assert store.remove("af_heart", stock=True, stock_names=("af_heart",)).name == "af_heart"
