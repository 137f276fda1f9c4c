"""A bilingual text whose other language follows a markup switch to a voice of that language: the pipeline reads it
in that language (speech/pipeline.py), so it must not warn that the text's writing system is the wrong one."""

from __future__ import annotations

import pytest
from test_speech_pipeline import FakeSynthesizer, fake_pack

from kokoro_tui.backends import registry
from kokoro_tui.speech import pipeline as pipeline_module
from kokoro_tui.speech.pipeline import Pipeline
from kokoro_tui.text.vocab import PhonemeVocab

SWITCHED = "Hello. [voice:jf_alpha]こんにちは、元気ですか。今日はいい天気ですね。"
UNSWITCHED = "こんにちは、元気ですか。今日はいい天気ですね。[voice:ff_siwis]Bonjour."


@pytest.fixture
def fakes(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("KOKORO_HOME", str(tmp_path / "home"))
    synthesizer = FakeSynthesizer(vocab=PhonemeVocab.default())
    monkeypatch.setattr(registry, "load_synthesizer", lambda *args, **kwargs: synthesizer)
    monkeypatch.setattr(pipeline_module, "load_voice", lambda home, spec: fake_pack())


def warnings_of(text: str, **options: object) -> list[str]:
    """The warnings told before any chunk is read (no front end loads for them)."""
    told: list[str] = []
    Pipeline("af_heart", on_warning=told.append, **options).text_parts(text)
    return told


def test_japanese_after_a_switch_to_a_japanese_voice_is_no_mismatch(fakes) -> None:
    assert warnings_of(SWITCHED) == []


def test_japanese_read_by_the_english_voice_is_still_a_mismatch(fakes) -> None:
    assert warnings_of(UNSWITCHED) == [
        "the text looks Japanese but voice af_heart reads American English; pass --voice jf_alpha or --lang j"
    ]


def test_with_a_language_given_every_switch_reads_it_so_the_whole_text_is_checked(fakes) -> None:
    told = warnings_of(SWITCHED, lang="a")
    assert told[0] == "the text looks Japanese but it is read as American English; pass --lang j"
