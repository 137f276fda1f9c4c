"""The speech pipeline on tiny fakes: chunk offsets, absolute timestamps, laziness, style rows, warnings.

The fakes stand in for the text front end, the voice store and the model so these tests run in
milliseconds; the real pieces are exercised in test_say_real.py. ``install_fakes`` is reused by the
CLI tests (also in a subprocess).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

import numpy as np
import pytest

from kokoro_tui.backends import registry
from kokoro_tui.backends.onnx_synthesizer import correct_onnx_audio
from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.speech import pipeline as pipeline_module
from kokoro_tui.speech.pipeline import Pipeline
from kokoro_tui.speech.subtitles import HIDDEN
from kokoro_tui.text.vocab import PhonemeVocab

FAKE_VOCAB = {ch: i + 40 for i, ch in enumerate("abcdefghijklmnopqrstuvwxyz")} | {" ": 16, ".": 4, ",": 3}
BOS_FRAMES, TOKEN_FRAMES, EOS_FRAMES = 3, 2, 5


@dataclass
class FakeWord:
    text: str
    start_char: int
    end_char: int
    phoneme_start: int
    phoneme_end: int


@dataclass
class FakeChunk:
    text: str
    phonemes: str
    words: list[FakeWord]
    start_char: int
    end_char: int


class FakeFrontend:
    """One chunk per sentence; a word's 'phonemes' are its lowercase letters."""

    def __init__(self, lang: str) -> None:
        if lang not in "abefhijpz":
            raise KokoroError(f"unknown language {lang!r}")
        self.lang = lang
        self.closed = False
        self.caps: list[int] = []  # the max_tokens of every call

    def close(self) -> None:
        self.closed = True

    def chunks(self, text: str, max_tokens: int = 510, on_skip=None, first_max_tokens=None, overrides=()):
        if not text.strip():
            raise KokoroError("the input is empty")
        self.caps.append(max_tokens)
        for sentence in re.finditer(r"[^.!?]+[.!?]?", text):
            words, parts, pos = [], [], 0
            for match in re.finditer(r"[A-Za-z']+", sentence.group()):
                phon = match.group().lower().replace("'", "")
                words.append(FakeWord(match.group(), sentence.start() + match.start(), sentence.start() + match.end(),
                                      pos, pos + len(phon)))
                parts.append(phon)
                pos += len(phon) + 1
            if words:
                said = sentence.group().strip()
                start = sentence.start() + sentence.group().index(said)
                yield FakeChunk(said, " ".join(parts), words, start, start + len(said))


@dataclass
class FakeSynthesizer:
    vocab: PhonemeVocab = field(default_factory=lambda: PhonemeVocab(FAKE_VOCAB))
    calls: list = field(default_factory=list)

    def synthesize(self, ids, style, speed, seed):
        self.calls.append((list(ids), np.array(style), speed, seed))
        token = max(1, round(TOKEN_FRAMES / speed))
        durations = np.array([BOS_FRAMES] + [token] * len(ids) + [EOS_FRAMES], dtype=np.int64)
        n = int(durations.sum()) * 600
        audio = (0.2 * np.sin(np.arange(n) * 2 * np.pi * 200 / SAMPLE_RATE)).astype(np.float32)
        return audio, durations


def fake_pack() -> np.ndarray:
    """Row r holds the value r everywhere, so the chosen row is visible in the style."""
    return np.repeat(np.arange(510, dtype=np.float32)[:, None, None], 256, axis=2)


def install_fakes(setattr_) -> dict:
    """Replace front end, voice loading and model loading; returns counters of how often each loaded."""
    loads = {"synth": 0, "voice": 0, "frontend": 0, "synthesizer": None}

    def load_synthesizer(backend, device, home, precision="fp32"):
        loads["synth"] += 1
        loads["synthesizer"] = FakeSynthesizer()
        return loads["synthesizer"]

    def load_voice(home, spec):
        loads["voice"] += 1
        return fake_pack()

    def make_frontend(lang, in_child=False):
        loads["frontend"] += 1
        return FakeFrontend(lang)

    setattr_(registry, "load_synthesizer", load_synthesizer)
    setattr_(pipeline_module, "load_voice", load_voice)
    setattr_(pipeline_module, "make_frontend", make_frontend)
    return loads


@pytest.fixture
def fakes(monkeypatch, tmp_path):
    monkeypatch.setenv("KOKORO_HOME", str(tmp_path / "home"))
    return install_fakes(monkeypatch.setattr)


TEXT = "Hello there. This is a test! Last one"


def test_chunks_are_offset_by_the_audio_before_them(fakes):
    chunks = list(Pipeline().stream(TEXT))
    assert [c.index for c in chunks] == [0, 1, 2]
    expected = 0.0
    for chunk in chunks:
        assert chunk.start_s == pytest.approx(expected)
        expected += len(chunk.audio) / SAMPLE_RATE


def test_timestamps_are_absolute_and_index_the_original_text(fakes):
    chunks = list(Pipeline().stream(TEXT))
    second = chunks[1]
    first_word = second.timestamps[0]
    assert first_word.word == "This"
    assert TEXT[first_word.start_char : first_word.end_char] == "This"
    assert first_word.start_s == pytest.approx(second.start_s + BOS_FRAMES * 0.025)
    assert first_word.end_s == pytest.approx(second.start_s + (BOS_FRAMES + 4 * TOKEN_FRAMES) * 0.025)
    all_words = [t for c in chunks for t in c.timestamps]
    assert [TEXT[t.start_char : t.end_char] for t in all_words] == re.findall(r"[A-Za-z']+", TEXT)
    starts = [t.start_s for t in all_words]
    assert starts == sorted(starts)


def test_synthesize_concatenates(fakes):
    speech = Pipeline().synthesize(TEXT)
    chunks = list(Pipeline().stream(TEXT))
    assert len(speech.audio) == sum(len(c.audio) for c in chunks)
    assert len(speech.timestamps) == 8
    assert speech.phonemes[0] == "hello there"


def test_models_load_lazily_and_once(fakes):
    pipe = Pipeline()
    assert fakes == {"synth": 0, "voice": 0, "frontend": 0, "synthesizer": None}
    list(pipe.stream(TEXT))
    list(pipe.stream("Again."))
    assert (fakes["synth"], fakes["voice"], fakes["frontend"]) == (1, 1, 1)


def test_text_errors_come_before_the_model_loads(fakes):
    with pytest.raises(KokoroError, match="empty"):
        list(Pipeline().stream("   "))
    assert fakes["synth"] == 0


def test_style_row_follows_the_phoneme_count(fakes):
    list(Pipeline().stream("Hello there."))
    ids, style, speed, seed = fakes["synthesizer"].calls[0]
    assert style.shape == (256,)
    assert style[0] == len("hello there") - 1


def test_speed_and_seed_reach_the_model(fakes):
    list(Pipeline(speed=2.0, seed=7).stream(TEXT))
    calls = fakes["synthesizer"].calls
    assert [c[2] for c in calls] == [2.0, 2.0, 2.0]
    assert [c[3] for c in calls] == [7, 8, 9]  # one seed per chunk, reproducible


def test_ids_come_from_the_model_vocab(fakes):
    list(Pipeline().stream("Abc."))
    assert fakes["synthesizer"].calls[0][0] == [FAKE_VOCAB["a"], FAKE_VOCAB["b"], FAKE_VOCAB["c"]]


def test_language_from_voice_prefix_and_mismatch_warning(fakes):
    assert Pipeline(voice="bf_emma").lang == "b"
    assert Pipeline(voice="af_heart:0.5,bm_george:0.5").lang == "a"
    messages: list[str] = []
    pipe = Pipeline(voice="bf_emma", lang="a", on_warning=messages.append)
    assert pipe.lang == "a" and len(messages) == 1 and "bf_emma" in messages[0]
    with pytest.warns(UserWarning, match="language"):
        Pipeline(voice="ff_siwis", lang="a")
    list(pipe.stream("Still speaks."))  # a warning, not an error


def test_a_made_voice_without_a_prefix_speaks_the_language_it_was_made_for(fakes, tiny_voice):
    """A made voice blends the nearest timbres of any language; its recipe's language, not the heaviest
    voice of its blend, picks the G2P (an English speaker's voice once leaned 0.36 on ff_siwis)."""
    from kokoro_tui.home import resolve_home
    from kokoro_tui.voices.store import VoiceStore

    store = VoiceStore(resolve_home())
    blend = [{"voice": "ff_siwis", "weight": 0.6}, {"voice": "af_kore", "weight": 0.4}]
    store.save("allison", tiny_voice, "trained", {"operation": "train-voice", "lang": "a", "blend": blend})
    store.save("ivan", tiny_voice, "trained", {"operation": "train-voice", "lang": "r", "blend": blend})
    store.save("older", tiny_voice, "trained", {"operation": "train-voice", "blend": blend})  # before "lang"
    messages: list[str] = []
    assert Pipeline(voice="allison", on_warning=messages.append).lang == "a"
    assert Pipeline(voice="ivan", on_warning=messages.append).lang == "r"
    assert messages == []  # a voice made for Russian speaks it: no "no stock voice speaks Russian" caution
    assert Pipeline(voice="older", on_warning=messages.append).lang == "f"  # the heaviest part, as before
    assert Pipeline(voice="nobody", on_warning=messages.append).lang == "a"  # unknown: loading it says so


def test_text_in_another_script_warns_once(fakes):
    messages: list[str] = []
    list(Pipeline(voice="af_heart", on_warning=messages.append).stream("你好，今天天气很好。 Hi. Bye."))
    assert messages == [
        "the text looks Chinese but voice af_heart reads American English; pass --voice zf_xiaobei or --lang z"
    ]
    explicit: list[str] = []
    Pipeline(voice="zf_xiaobei", lang="a", on_warning=explicit.append).text_chunks("你好，今天天气很好。")
    assert explicit[-1] == "the text looks Chinese but it is read as American English; pass --lang z"
    quiet: list[str] = []
    list(Pipeline(voice="af_heart", on_warning=quiet.append).stream("Hello there. 你好."))
    assert quiet == []


def test_phoneme_input_names_the_symbols_it_drops_once(fakes):
    messages: list[str] = []
    chunks = list(Pipeline(on_warning=messages.append).stream("hello 你 there. again ʘ 你. " * 40, is_phonemes=True))
    assert len(chunks) >= 2
    assert messages == ["skipping phoneme symbols the model does not know: 你 ʘ"]
    assert PhonemeVocab(FAKE_VOCAB).missing("abc" + "".join(chr(0x4E00 + i) for i in range(20)), limit=3) == [
        "一", "丁", "丂", "…"]


def test_unknown_language_is_a_user_error(fakes):
    with pytest.raises(KokoroError, match="unknown language"):
        list(Pipeline(lang="x", on_warning=lambda message: None).stream("Hi."))


def test_russian_by_its_espeak_name_warns_that_no_stock_voice_speaks_it(fakes):
    messages: list[str] = []
    pipeline = Pipeline(voice="af_heart", lang="ru", on_warning=messages.append)
    assert pipeline.lang == "r"
    assert len(messages) == 1 and "Russian" in messages[0]


@pytest.mark.parametrize("kwargs", [{"speed": 0}, {"speed": 10}, {"backend": "coreml"}, {"device": "tpu"}])
def test_bad_options_are_user_errors(fakes, kwargs):
    with pytest.raises(KokoroError):
        Pipeline(**kwargs)


def test_nothing_in_vocab_is_a_user_error(fakes):
    messages: list[str] = []
    with pytest.raises(KokoroError, match="nothing speakable"):
        list(Pipeline(on_warning=messages.append).stream("ʘʘ ʘ", is_phonemes=True))
    assert messages == []  # the error says it all


def test_ipa_input_is_chunked_within_the_token_limit(fakes):
    words = ["həlˈoʊ"] * 200
    text = " ".join(words[:50]) + ". " + " ".join(words[50:])
    chunks = list(Pipeline(on_warning=lambda message: None).stream(text, is_phonemes=True))  # ə ˈ ʊ: not in FAKE_VOCAB
    assert len(chunks) >= 3
    assert all(len(c.phonemes) <= 510 for c in chunks)
    assert chunks[0].phonemes.endswith(".")  # broke at the sentence end
    stamps = [t for c in chunks for t in c.timestamps]
    assert len(stamps) == 200
    assert all(text[t.start_char : t.end_char].rstrip(".") == "həlˈoʊ" for t in stamps)


def test_onnx_level_and_start_correction():
    raw = np.full(1000, 0.3, dtype=np.float32)
    raw[:10] = 50.0  # the export's exploded first samples
    fixed = correct_onnx_audio(raw)
    assert np.all(fixed[:10] == 0.0)
    assert np.max(np.abs(fixed)) == pytest.approx(0.2)
    assert np.allclose(fixed[100:], 0.2)


def test_pipeline_imports_no_face_and_no_model_until_used():
    import subprocess
    import sys

    code = (
        "import sys, kokoro_tui.speech.pipeline, kokoro_tui.speech.audio_io, kokoro_tui.speech.subtitles;"
        "print(sorted(m for m in ('typer', 'textual', 'torch', 'onnxruntime') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_cuda_without_a_gpu_is_a_clear_error(monkeypatch):
    import torch

    from kokoro_tui.model.device import resolve_device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(KokoroError, match="no CUDA GPU"):
        resolve_device("cuda")
    assert resolve_device("auto") == torch.device("cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == torch.device("cuda")
    assert resolve_device("cpu") == torch.device("cpu")
    with pytest.raises(KokoroError, match="unknown device"):
        resolve_device("tpu")


def test_synthesizers_are_shared_between_pipelines(tmp_home, monkeypatch):
    """A second pipeline (other voice or speed) reuses the loaded model instead of loading it again."""
    loads = []

    def counting_load(home, device, precision):
        loads.append((home, device))
        return object()

    onnx = registry.BACKENDS["onnx"]
    monkeypatch.setitem(registry.BACKENDS, "onnx", dataclasses.replace(onnx, load=counting_load))
    registry._load_synthesizer.cache_clear()
    try:
        first = registry.load_synthesizer("onnx", "cpu", tmp_home)
        again = registry.load_synthesizer("onnx", "cpu", tmp_home)
        assert first is again and len(loads) == 1
        registry.load_synthesizer("onnx", "cpu", tmp_home.__class__(tmp_home.root / "other"))
        assert len(loads) == 2
    finally:
        registry._load_synthesizer.cache_clear()


def test_auto_precision_is_int8_for_torch_on_the_cpu_only():
    from kokoro_tui.model.int8 import int8_available

    assert int8_available(), "the pinned torch build must have oneDNN int8 convolutions"
    assert registry.resolve_precision("auto", "torch", "cpu") == "int8"
    assert registry.resolve_precision("auto", "onnx", "cpu") == "fp32"
    assert registry.resolve_precision("fp32", "torch", "cpu") == "fp32"
    with pytest.raises(KokoroError, match="unknown precision"):
        registry.resolve_precision("fp16", "torch", "cpu")


@pytest.mark.parametrize(
    ("backend", "device", "precision", "message"),
    [
        ("coreml", "cpu", "auto", "unknown backend 'coreml'"),
        ("onnx", "cuda", "auto", "the onnx backend runs on the CPU only"),
        ("onnx", "cpu", "int8", "precision int8 applies to the torch backend"),
        ("torch", "cuda", "int8", "precision int8 runs on the CPU only"),
        ("torch", "tpu", "auto", "unknown device 'tpu'"),
    ],
)
def test_the_registry_refuses_what_cannot_run_before_loading(backend, device, precision, message):
    with pytest.raises(KokoroError, match=message):
        registry.check_options(backend, device, precision)


def test_parallel_load_loads_the_model_before_reading_and_ends_the_child_before_the_last_chunk(fakes):
    events = []
    pipeline = Pipeline(parallel_load=True)
    frontend = pipeline.frontend
    assert fakes["frontend"] == 1  # made at once, so that its G2P starts loading with the pipeline
    reading = frontend.chunks

    def chunks(*args, **kwargs):
        events.append(("read", fakes["synth"]))
        return reading(*args, **kwargs)

    frontend.chunks = chunks
    said = []
    for chunk in pipeline.stream(TEXT):
        said.append((chunk.index, frontend.closed))
    assert events == [("read", 1)]  # the model was loaded before the text was read
    assert said == [(0, False), (1, False), (2, True)]  # the G2P's process ends before the last chunk


def test_parallel_load_still_refuses_an_empty_text_before_the_model_load(fakes):
    with pytest.raises(KokoroError, match="empty"):
        list(Pipeline(parallel_load=True).stream("   "))
    assert fakes["synth"] == 0


def test_read_ahead_calls_back_once_everything_is_taken():
    taken, events = [], []

    def source():
        for item in (1, 2, 3):
            taken.append(item)
            yield item

    for item in pipeline_module._read_ahead(source(), lambda: events.append(("done", list(taken)))):
        events.append(("use", item))
    assert events == [("use", 1), ("use", 2), ("done", [1, 2, 3]), ("use", 3)]
    assert list(pipeline_module._read_ahead(iter(()), lambda: events.append("never"))) == []
    assert events[-1] == ("use", 3)


def test_a_chunk_cap_reaches_the_front_end_and_bounds_phoneme_input(fakes):
    pipeline = Pipeline(on_warning=lambda message: None, max_chunk_tokens=40)
    list(pipeline.stream(TEXT))
    assert pipeline.frontend.caps == [40]
    text = " ".join(["abc"] * 100)
    chunks = list(pipeline.stream(text, is_phonemes=True))
    assert len(chunks) >= 8 and all(len(chunk.phonemes) <= 40 for chunk in chunks)
    assert len([stamp for chunk in chunks for stamp in chunk.timestamps]) == 100
    assert Pipeline().max_chunk_tokens == 510
    for cap in (31, 511):
        with pytest.raises(KokoroError, match="out of range"):
            Pipeline(max_chunk_tokens=cap)


def test_a_streams_first_chunk_loses_its_lead_in_and_its_words_move_with_it(fakes, monkeypatch):
    from kokoro_tui.speech import lead_in

    plain = FakeSynthesizer.synthesize

    def silent_bos(self, ids, style, speed, seed):
        audio, durations = plain(self, ids, style, speed, seed)
        audio = audio.copy()
        audio[: durations[0] * 600] = 0.0
        return audio, durations

    monkeypatch.setattr(FakeSynthesizer, "synthesize", silent_bos)
    whole = list(Pipeline().stream(TEXT))
    streamed = list(Pipeline(first_chunk_tokens=30).stream(TEXT))
    cut = BOS_FRAMES * 600 - round(lead_in.KEPT_S * SAMPLE_RATE)
    assert len(streamed[0].audio) == len(whole[0].audio) - cut
    np.testing.assert_array_equal(streamed[0].audio, whole[0].audio[cut:])  # only zeros were cut (and faded)
    shift = cut / SAMPLE_RATE
    for mine, theirs in zip(streamed[0].timestamps, whole[0].timestamps):
        assert mine.start_s == pytest.approx(theirs.start_s - shift)
    assert streamed[0].timestamps[0].start_s == pytest.approx(lead_in.KEPT_S)
    for mine, theirs in zip(streamed[1:], whole[1:], strict=True):  # later chunks keep their pauses
        np.testing.assert_array_equal(mine.audio, theirs.audio)
        assert mine.start_s == pytest.approx(theirs.start_s - shift)
        assert mine.timestamps[0].start_s == pytest.approx(theirs.timestamps[0].start_s - shift)


def test_shown_text_blanks_the_markup_obeyed_and_keeps_what_is_read_as_text(fakes):
    text = "I like [a tomato](/ə təmˈɑːtoʊ/). [pause:2s] Then [speed:2] go [voice:bf_emma] on [oops:x]."
    shown = Pipeline().shown_text(text)
    assert len(shown) == len(text)  # the words' character spans still index it
    assert shown.replace(HIDDEN, "") == "I like a tomato.  Then  go  on [oops:x]."
    assert Pipeline(markup=False).shown_text(text) == text
    assert Pipeline().shown_text("[pause:1s]", is_phonemes=True) == "[pause:1s]"
