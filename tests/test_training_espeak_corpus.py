"""The synthetic Russian corpus: espeak-ng speech that the corpus reader keeps whole, built once per folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kokoro_tui.errors import KokoroError
from kokoro_tui.training.corpus import load_corpus
from kokoro_tui.training.espeak_corpus import (
    METADATA_NAME,
    RUSSIAN_SENTENCES,
    SETTINGS_NAME,
    WAVS_DIR,
    build_espeak_corpus,
    speak_espeak,
)

ESPEAK_RATE = 22050
SHORT = "Да, конечно."
SPANISH = "Hola, ¿cómo estás?"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_espeak_corpus(tmp_path_factory.mktemp("espeak") / "ru", RUSSIAN_SENTENCES)


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every file: an atomic rewrite changes the inode even within one clock tick."""
    return {str(path): (path.stat().st_ino, path.stat().st_mtime_ns) for path in folder.rglob("*") if path.is_file()}


def test_speech_is_audible_float_audio_at_espeaks_rate():
    audio, rate = speak_espeak(RUSSIAN_SENTENCES[0])
    assert rate == ESPEAK_RATE
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert 0.1 < np.abs(audio).max() <= 1.0
    assert np.sqrt(np.mean(audio**2)) > 0.01
    assert 1.0 < audio.size / rate < 6.0


def test_longer_text_and_slower_rate_take_longer():
    short, _ = speak_espeak(SHORT)
    long, _ = speak_espeak(RUSSIAN_SENTENCES[9])
    slow, _ = speak_espeak(RUSSIAN_SENTENCES[9], rate_wpm=100)
    assert long.size > 2 * short.size
    assert slow.size > 1.3 * long.size


def test_unknown_voice_is_a_kokoro_error():
    with pytest.raises(KokoroError, match="voice 'no-such-voice'"):
        speak_espeak(SHORT, voice="no-such-voice")


def test_corpus_is_in_the_ruslan_layout(corpus):
    lines = (corpus / METADATA_NAME).read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"es_0001|{RUSSIAN_SENTENCES[0]}"
    assert len(lines) == len(RUSSIAN_SENTENCES)
    assert sorted(path.name for path in (corpus / WAVS_DIR).iterdir()) == [
        f"es_{number:04d}.wav" for number in range(1, len(RUSSIAN_SENTENCES) + 1)
    ]


def test_russian_reader_keeps_every_utterance(corpus):
    loaded = load_corpus(corpus, lang="r")
    assert loaded.problems == []
    assert loaded.layout == "ruslan"
    assert [utterance.text for utterance in loaded.train] == list(RUSSIAN_SENTENCES)
    assert loaded.validation == []


def test_a_second_build_rewrites_nothing(corpus):
    before = stamps(corpus)
    assert build_espeak_corpus(corpus, RUSSIAN_SENTENCES) == corpus
    assert stamps(corpus) == before


def test_another_rate_or_a_missing_file_rebuilds(tmp_path):
    sentences = RUSSIAN_SENTENCES[:2]
    build_espeak_corpus(tmp_path, sentences)
    first = stamps(tmp_path)
    build_espeak_corpus(tmp_path, sentences, rate_wpm=200)
    assert json.loads((tmp_path / SETTINGS_NAME).read_text())["rate_wpm"] == 200
    second = stamps(tmp_path)
    assert all(second[name] != first[name] for name in first)
    (tmp_path / WAVS_DIR / "es_0002.wav").unlink()
    build_espeak_corpus(tmp_path, sentences, rate_wpm=200)
    assert len(load_corpus(tmp_path, lang="r").train) == 2


def test_a_sentence_that_breaks_the_metadata_is_refused(tmp_path):
    with pytest.raises(KokoroError, match=r"name\|text metadata line"):
        build_espeak_corpus(tmp_path, ["Один|два"])
    assert not any(tmp_path.iterdir())


def test_misaki_phonemising_and_synthesis_do_not_disturb_each_other():
    """misaki's espeak-ng (a private copy of the library) keeps its Spanish voice while ours speaks Russian."""
    from misaki import espeak

    g2p = espeak.EspeakG2P(language="es")
    before, _ = g2p(SPANISH)
    first, _ = speak_espeak(SHORT)
    after, _ = g2p(SPANISH)
    second, _ = speak_espeak(SHORT)
    assert before == after == "ˈola, ¿kˈomo estˈas?"
    assert abs(first.size - second.size) < 0.01 * first.size and np.abs(second).max() > 0.1


def test_misaki_first_in_a_fresh_process():
    """The other order: misaki initialises espeak-ng before this module first loads it."""
    script = f"""
from misaki import espeak
g2p = espeak.EspeakG2P(language="es")
before, _ = g2p({SPANISH!r})
from kokoro_tui.training.espeak_corpus import speak_espeak
audio, rate = speak_espeak({SHORT!r})
after, _ = g2p({SPANISH!r})
print(before == after, rate, audio.size, float(abs(audio).max()))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    same, rate, size, peak = result.stdout.split()
    in_process, _ = speak_espeak(SHORT)
    assert same == "True" and int(rate) == ESPEAK_RATE and float(peak) > 0.1
    assert abs(int(size) - in_process.size) < 0.01 * in_process.size
