"""Inline markup obeyed by the speech pipeline, `kokoro say` and a book's narration.

Most tests run the real front end on test_text_chunk's fake G2P and a fake model that records what it
is given (ids, style, speed) with Kokoro's own vocabulary, so an override must reach the model as its
exact symbols. The voice and speed switches are also heard through the tiny random Kokoro of
tiny_models: a switched stretch must sound as that voice (or speed) alone would say it, and not as
the text without the switch.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf
from test_speech_pipeline import FakeSynthesizer, fake_pack
from test_text_chunk import fake_g2p
from tiny_models import tiny_home, tiny_kokoro
from typer.testing import CliRunner

from kokoro_tui.backends import registry
from kokoro_tui.books.book import Chapter
from kokoro_tui.books.narrate import narrate
from kokoro_tui.cli.main import app
from kokoro_tui.errors import KokoroError
from kokoro_tui.home import DataHome
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.speech import pipeline as pipeline_module
from kokoro_tui.speech.pipeline import Pipeline
from kokoro_tui.text.frontend import TextFrontend
from kokoro_tui.text.vocab import PhonemeVocab

VOICES = {"af_heart": 0.0, "am_adam": 1000.0, "af_bella": 2000.0}  # added to every style value: the voice shows


@pytest.fixture
def model(monkeypatch, tmp_path) -> FakeSynthesizer:
    """The fake model every Pipeline of the test gets; its calls are (ids, style, speed, seed)."""
    monkeypatch.setenv("KOKORO_HOME", str(tmp_path / "home"))
    synthesizer = FakeSynthesizer(vocab=PhonemeVocab.default())

    def load_voice(home, spec):
        if spec not in VOICES:
            raise KokoroError(f"unknown voice {spec!r}")
        return fake_pack() + VOICES[spec]

    monkeypatch.setattr(registry, "load_synthesizer", lambda *args, **kwargs: synthesizer)
    monkeypatch.setattr(pipeline_module, "load_voice", load_voice)
    monkeypatch.setattr(pipeline_module, "make_frontend", lambda lang, in_child=False: TextFrontend(lang, g2p=fake_g2p))
    return synthesizer


def voice_of(style: np.ndarray) -> str:
    (name,) = [name for name, offset in VOICES.items() if 0 <= style[0] - offset < 510]
    return name


def test_a_pronunciation_reaches_the_model_as_its_exact_symbols(model) -> None:
    text = "I like [tomato](/təmˈɑːtoʊ/) soup."
    (chunk,) = Pipeline(on_warning=pytest.fail).stream(text)
    assert chunk.phonemes == "i like təmˈɑːtoʊ soup."
    assert model.calls[0][0] == PhonemeVocab.default().encode("i like təmˈɑːtoʊ soup.").ids
    assert chunk.text == text
    tomato = chunk.timestamps[2]
    assert (tomato.word, tomato.start_char, tomato.end_char) == ("tomato", 8, 14)
    assert tomato.end_s - tomato.start_s == pytest.approx(len("təmˈɑːtoʊ") * 2 * 0.025)  # 2 frames per fake token


def test_a_pause_is_silence_of_its_length_between_timed_words(model) -> None:
    text = "Hello.[pause:1.5s]World [pause:500ms][pause:2] again."
    pipeline = Pipeline(on_warning=pytest.fail)
    chunks = list(pipeline.stream(text))
    assert [c.text for c in chunks] == ["Hello.", "[pause:1.5s]", "World", "[pause:500ms]", "[pause:2]", "again."]
    pauses = chunks[1], chunks[3], chunks[4]
    assert [len(p.audio) for p in pauses] == [36_000, 12_000, 48_000]
    assert all(not p.audio.any() and p.timestamps == [] and p.phonemes == "" for p in pauses)
    assert [c.index for c in chunks] == list(range(6))
    offset = 0
    for chunk in chunks:
        assert chunk.start_s == pytest.approx(offset / SAMPLE_RATE)
        offset += len(chunk.audio)
    words = [stamp for chunk in chunks for stamp in chunk.timestamps]
    assert [(w.word, text[w.start_char : w.end_char]) for w in words] == [
        ("Hello", "Hello"),
        ("World", "World"),
        ("again", "again"),
    ]
    assert words[1].start_s >= chunks[2].start_s == pytest.approx(chunks[1].start_s + 1.5)
    speech = pipeline.synthesize(text)
    assert len(speech.audio) == offset and speech.phonemes == ["hello.", "world", "again."]
    start = len(chunks[0].audio)
    assert not speech.audio[start : start + 36_000].any() and speech.audio[start + 36_000 :].any()


def test_a_voice_switch_holds_until_the_next_and_the_texts_end(model) -> None:
    pipeline = Pipeline(voice="af_heart", on_warning=pytest.fail)
    list(pipeline.stream("One. [voice:am_adam]Two. Three. [voice:af_bella] Four."))
    list(pipeline.stream("Five."))
    assert [voice_of(call[1]) for call in model.calls] == ["af_heart", "am_adam", "am_adam", "af_bella", "af_heart"]


def test_a_speed_switch_holds_until_the_next_and_the_texts_end(model) -> None:
    pipeline = Pipeline(speed=1.0, on_warning=pytest.fail)
    chunks = list(pipeline.stream("Aaaa. [speed:2]Aaaa. Aaaa. [speed:0.5]Aaaa."))
    list(pipeline.stream("Aaaa."))
    assert [call[2] for call in model.calls] == [1.0, 2.0, 2.0, 0.5, 1.0]
    assert len(chunks[1].audio) < len(chunks[0].audio) < len(chunks[3].audio)


def test_bad_markup_is_spoken_with_one_warning_naming_its_line(model) -> None:
    warnings: list[str] = []
    chunks = list(Pipeline(on_warning=warnings.append).stream("Fine.\nWait [pause:forever] and [voice:nobody] now."))
    assert warnings == [
        "line 2: \"[pause:forever]\" is read as text ('forever' is not a length: write 1.5s, 500ms, or 2 for seconds)",
        "line 2: \"[voice:nobody]\" is read as text (unknown voice 'nobody')",
    ]
    assert len(chunks) == 2 and all(len(chunk.audio) for chunk in chunks)
    assert "forever" in chunks[1].phonemes and "nobody" in chunks[1].phonemes
    assert {voice_of(call[1]) for call in model.calls} == {"af_heart"}


def test_the_servers_markup_voices_are_store_names_never_paths(model, tmp_path, monkeypatch) -> None:
    """The server's pipelines take `markup_voice=parse_voice`: a client's `[voice:/some/file.pt]` is read as
    text and no file is opened, while names and blends still switch."""
    from kokoro_tui.server.service import SpeechService
    from kokoro_tui.server.settings import ServerSettings
    from kokoro_tui.server.voice_spec import parse_voice

    assert SpeechService(ServerSettings(home=tmp_path / "home")).pipelines.keywords["markup_voice"] is parse_voice
    opened: list[str] = []
    loader = pipeline_module.load_voice
    monkeypatch.setattr(pipeline_module, "load_voice", lambda home, spec: opened.append(spec) or loader(home, spec))
    warnings: list[str] = []
    pipeline = Pipeline(voice="af_heart", on_warning=warnings.append, markup_voice=parse_voice)
    list(pipeline.stream(f"One. [voice:{tmp_path}/secret.pt]Two. [voice:AM_ADAM]Three."))
    assert len(warnings) == 1 and "is read as text" in warnings[0] and "secret.pt" in warnings[0]
    assert sorted(opened) == ["af_heart", "am_adam"]
    voices = [voice_of(call[1]) for call in model.calls]
    assert voices[-1] == "am_adam" and set(voices[:-1]) == {"af_heart"}


def test_no_markup_reads_the_brackets(model) -> None:
    text = "Wait [pause:1s] for [voice:am_adam] [tomato](/təmˈɑːtoʊ/)."
    (chunk,) = Pipeline(markup=False, on_warning=pytest.fail).stream(text)
    assert "pause" in chunk.phonemes and "tomato" in chunk.phonemes and "am_adam" not in chunk.phonemes
    assert {voice_of(call[1]) for call in model.calls} == {"af_heart"}


def test_say_writes_the_pause_and_no_markup_does_not(model, tmp_path) -> None:
    text = "Hello.[pause:1s]World."
    marked, plain, stamps = tmp_path / "marked.wav", tmp_path / "plain.wav", tmp_path / "words.json"
    assert CliRunner().invoke(app, ["say", text, "-o", str(marked), "--timestamps", str(stamps)]).exit_code == 0
    assert CliRunner().invoke(app, ["say", text, "-o", str(plain), "--no-markup"]).exit_code == 0
    audio, _ = sf.read(marked, dtype="float32")
    hello = len(next(Pipeline().stream("Hello.")).audio)
    assert len(audio) == len(Pipeline().synthesize(text).audio) == 2 * hello + SAMPLE_RATE
    assert not audio[hello : hello + SAMPLE_RATE].any() and audio[:hello].any() and audio[hello + SAMPLE_RATE :].any()
    assert len(sf.read(plain)[0]) == len(Pipeline(markup=False).synthesize(text).audio) != len(audio)
    words = json.loads(stamps.read_text())
    assert [(w["word"], text[w["start_char"] : w["end_char"]]) for w in words] == [
        ("Hello", "Hello"),
        ("World", "World"),
    ]
    assert words[1]["start"] >= 1.0 + hello / SAMPLE_RATE


def test_a_books_paragraph_obeys_its_markup(model) -> None:
    class Writer:
        def __init__(self) -> None:
            self.audio: list[np.ndarray] = []

        def write(self, audio: np.ndarray) -> None:
            self.audio.append(audio)

    chapter = Chapter("One", ("First [pause:2s] part.", "Second [voice:am_adam]part.", "Third."))
    writer = Writer()
    told = narrate(Pipeline(on_warning=pytest.fail), chapter, 0.5, writer, lambda chars, seconds: None)
    audio = np.concatenate(writer.audio)
    assert told.samples == len(audio)
    assert sum(len(a) for a in writer.audio if not a.any()) == 2 * SAMPLE_RATE + 2 * SAMPLE_RATE // 2
    assert [chapter.text[w.start_char : w.end_char] for w in told.words] == [w.word for w in told.words]
    assert [voice_of(call[1]) for call in model.calls] == ["af_heart", "af_heart", "af_heart", "am_adam", "af_heart"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> DataHome:
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield tiny_home(tmp_path_factory.mktemp("markup") / "home", tiny_kokoro())
    torch.set_num_threads(threads)


def test_switched_stretches_sound_as_that_voice_and_speed_alone(tiny, monkeypatch) -> None:
    monkeypatch.setattr(pipeline_module, "make_frontend", lambda lang, in_child=False: TextFrontend(lang, g2p=fake_g2p))

    def audio(text: str, voice: str = "af_heart", speed: float = 1.0, seed: int = 3) -> list[np.ndarray]:
        pipeline = Pipeline(voice=voice, speed=speed, seed=seed, home=tiny, device="cpu", precision="fp32")
        return [chunk.audio for chunk in pipeline.stream(text)]

    switched = audio("Hello there. [voice:am_adam]Good morning. [speed:1.5]See you.")
    unswitched = audio("Hello there. Good morning. See you.")
    assert np.array_equal(switched[0], unswitched[0])
    assert np.array_equal(switched[1], audio("Good morning.", voice="am_adam", seed=4)[0])
    assert np.array_equal(switched[2], audio("See you.", voice="am_adam", speed=1.5, seed=5)[0])
    assert not np.array_equal(switched[1], unswitched[1])
    assert len(switched[2]) < len(unswitched[2])


def test_book_reads_markup_unless_told_not_to(monkeypatch, tmp_path) -> None:
    from kokoro_tui.books import job as job_module

    jobs = []

    def make_book(home, job, events, warn):
        jobs.append(job)
        raise KokoroError("the job is all this test wants")

    monkeypatch.setattr(job_module, "make_book", make_book)
    for flags in ([], ["--no-markup"]):
        assert CliRunner().invoke(app, ["book", str(tmp_path / "story.txt"), *flags]).exit_code == 2
    assert [job.markup for job in jobs] == [True, False]
