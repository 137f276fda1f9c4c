"""A markup voice switch reads what follows in its voice's language, as the pipeline's own voice sets the
pipeline's: "[voice:ff_siwis]Bonjour" is French phonemes, not English G2P guessing at a French word.

Real front ends (misaki for English, espeak for French), a fake model and fake voice packs.
"""

from __future__ import annotations

import pytest
from test_speech_pipeline import FakeSynthesizer, fake_pack
from typer.testing import CliRunner

from kokoro_tui.backends import registry
from kokoro_tui.cli.main import app
from kokoro_tui.speech import pipeline as pipeline_module
from kokoro_tui.speech.pipeline import Pipeline
from kokoro_tui.text.markup import VoiceSwitch
from kokoro_tui.text.vocab import PhonemeVocab

TEXT = "Hello. [voice:ff_siwis]Bonjour, mes amis. [voice:af_heart]Goodbye."
FRENCH = "bɔ̃ʒˈuʁ"  # espeak's French for "bonjour": the uvular r and the nasal vowel English never gives


@pytest.fixture
def fakes(monkeypatch, tmp_path) -> FakeSynthesizer:
    monkeypatch.setenv("KOKORO_HOME", str(tmp_path / "home"))
    synthesizer = FakeSynthesizer(vocab=PhonemeVocab.default())
    monkeypatch.setattr(registry, "load_synthesizer", lambda *args, **kwargs: synthesizer)
    monkeypatch.setattr(pipeline_module, "load_voice", lambda home, spec: fake_pack())
    return synthesizer


def spoken(pipeline: Pipeline) -> list[str]:
    return [part.phonemes for part in pipeline.text_parts(TEXT) if not isinstance(part, VoiceSwitch)]


def test_a_switch_to_a_french_voice_reads_french(fakes) -> None:
    hello, bonjour, goodbye = spoken(Pipeline("af_heart", on_warning=pytest.fail))
    assert bonjour.startswith(FRENCH)
    assert "ʁ" not in hello + goodbye and "hə" in hello  # back in English after the switch back


def test_the_switched_language_reaches_the_model(fakes) -> None:
    chunks = list(Pipeline("af_heart", on_warning=pytest.fail).stream(TEXT))
    assert [chunk.text for chunk in chunks] == ["Hello.", "Bonjour, mes amis.", "Goodbye."]
    assert fakes.calls[1][0] == PhonemeVocab.default().encode(chunks[1].phonemes).ids
    assert chunks[1].phonemes.startswith(FRENCH)


def test_a_given_language_holds_for_every_voice_and_the_mismatch_is_said_once(fakes) -> None:
    warnings: list[str] = []
    pipeline = Pipeline("af_heart", lang="a", on_warning=warnings.append)
    _, bonjour, _ = spoken(pipeline)
    assert "ʁ" not in bonjour
    spoken(pipeline)
    assert warnings == ["voice 'ff_siwis' is language 'f' but the text is read as 'a'"]


def test_phonemize_follows_the_switch_unless_a_language_is_given() -> None:
    runner = CliRunner()
    followed = runner.invoke(app, ["phonemize", TEXT])
    assert followed.exit_code == 0, followed.output
    assert followed.stdout.splitlines()[1].startswith(FRENCH)
    held = runner.invoke(app, ["phonemize", "--lang", "a", TEXT])
    assert held.exit_code == 0, held.output
    assert "ʁ" not in held.stdout


# ---- the writing-system check: text a switch hands to another language is no mismatch -------------------------

SWITCHED = "Hello. [voice:jf_alpha]こんにちは、元気ですか。今日はいい天気ですね。"
UNSWITCHED = "こんにちは、元気ですか。今日はいい天気ですね。[voice:ff_siwis]Bonjour."


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
