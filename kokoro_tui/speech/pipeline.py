"""The speech pipeline: text → chunks → audio with word timestamps, one API for CLI and dashboard.

``Pipeline(...).stream(text)`` yields each chunk as soon as it is synthesised, so playback or
writing can start after the first sentence; ``synthesize(text)`` collects everything, and
``synthesize_many(texts)`` does so for many texts, their chunks batched through the model. The text
front end, the voice pack and the model load lazily, each once per Pipeline, in that order:
a text mistake (empty input) is reported before the slow model load. The text's inline markup
(``text/markup.py``: pronunciations, pauses, voice and speed switches) and the data home's
lexicon are obeyed; a pause comes out as a chunk of silence without words.
"""

from __future__ import annotations

import os
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from pathlib import Path
from typing import Protocol, TypeVar, Union

import numpy as np

from kokoro_tui.backends import registry
from kokoro_tui.errors import KokoroError, NothingToSayError
from kokoro_tui.home import DataHome, resolve_home
from kokoro_tui.model.config import MAX_TOKENS, SAMPLE_RATE
from kokoro_tui.model.device import resolve_device
from kokoro_tui.speech import batching
from kokoro_tui.speech.ipa import phoneme_chunks
from kokoro_tui.speech.lead_in import trim_lead_in
from kokoro_tui.speech.subtitles import HIDDEN
from kokoro_tui.speech.timing import WordSpan, word_timestamps
from kokoro_tui.speech.types import Speech, SpeechChunk
from kokoro_tui.text.decoding import replace_invalid
from kokoro_tui.text.frontend import check_speakable
from kokoro_tui.text.languages import LANGUAGES, language
from kokoro_tui.text.lexicon import Lexicon
from kokoro_tui.text.lexicon_file import read_lexicon
from kokoro_tui.text.markup import (
    PRONUNCIATION,
    Cue,
    MarkupRules,
    Pause,
    Script,
    SpeedSwitch,
    Spoken,
    VoiceSwitch,
    parse_markup,
    plain_script,
)
from kokoro_tui.text.overrides import Override, symbol_advice
from kokoro_tui.text.script import ChunkReader, LexiconLookup, read_script
from kokoro_tui.text.skipped import SkippedWord, SkipReport
from kokoro_tui.text.vocab import Encoded, PhonemeVocab
from kokoro_tui.text.writing_systems import script_warning
from kokoro_tui.voices.names import DEFAULT_VOICE

MIN_SPEED, MAX_SPEED = 0.25, 4.0
# With ``first_chunk_tokens``, what `say --stream` and the server's streamed requests use: the first
# chunk of a text is cut to at most this many phonemes (about 2 s of speech) where it can be, at a clause
# break when there is one, else at a word boundary (in English before a word that opens a phrase: see
# ``text.chunk.chunk_words``), and keeps little of its lead-in silence (``speech.lead_in``), so streaming
# audio starts after a few words. Off by default: the extra cut changes the first sentence's prosody.
# Measured on 11 first sentences x 3 voices (825 words, pocketsphinx): WER 0.189 uncut, 0.211 at 50
# phonemes, 0.210 at 30, 0.221 at 24; warm first audio (median) 1.02, 0.64, 0.52, 0.48 s.
FIRST_CHUNK_TOKENS = 30
# The shortest ``max_chunk_tokens`` accepted: a few words, so a cap cannot cut a text into single phonemes.
MIN_CHUNK_TOKENS = 32
DEFAULT_LANG = "a"
ARRAY_VOICE = "<voice array>"  # ``Pipeline.voice`` when the voice was given as a pack, not by name
# A voice: a store name, a voice file, a blend spec, or a pack itself (numpy array or torch tensor, [510, 1, 256]).
VoiceSpec = Union[str, "os.PathLike[str]", np.ndarray]
T = TypeVar("T")
_END = object()


class TextChunkLike(Protocol):
    text: str
    phonemes: str
    words: Sequence[WordSpan]


class Frontend(Protocol):
    def chunks(
        self,
        text: str,
        max_tokens: int = MAX_TOKENS,
        on_skip: Callable[[SkippedWord], None] | None = None,
        first_max_tokens: int | None = None,
        overrides: Sequence[Override] = (),
    ) -> Iterator[TextChunkLike]: ...

    def close(self) -> None: ...


def make_frontend(lang: str, in_child: bool = False) -> Frontend:
    """The text front end for ``lang`` (normalise, G2P, chunk); raises KokoroError for unknown codes.
    ``in_child``: its G2P starts loading now, in a child process (``text.g2p_process``)."""
    from kokoro_tui.text.frontend import TextFrontend

    if not in_child:
        return TextFrontend(lang)
    from kokoro_tui.text.g2p_process import G2PProcess

    return TextFrontend(lang, g2p=G2PProcess(lang))


def voice_language(spec: str, home: DataHome | None = None) -> str | None:
    """Language code implied by a voice spec: its name prefix, the first voice of a blend, a file's stem; for a
    name without a prefix, the language the data home's store gives that voice (a made voice's own)."""
    from kokoro_tui.voices.blend import is_blend_spec, parse_blend_spec
    from kokoro_tui.voices.names import language_of

    if os.path.isfile(spec):
        return language_of(Path(spec).stem)
    if is_blend_spec(spec):
        return language_of(parse_blend_spec(spec)[0][0])
    code = language_of(spec)
    if code is None and home is not None:
        from kokoro_tui.voices.store import VoiceStore

        try:
            code = VoiceStore(home).info(spec).lang
        except KokoroError:
            return None  # not a stored voice: loading it reports that
    return code


def load_voice(home: DataHome, spec: str) -> np.ndarray:
    from kokoro_tui.voices.store import VoiceStore

    return VoiceStore(home).resolve(spec)


def voice_array(voice: object) -> np.ndarray:
    """A voice given as a pack rather than by name: a numpy array, or a torch tensor (detached and moved to
    the CPU), checked as ``voices.pack.as_pack`` checks a voice file, so a wrong shape is named at once."""
    from kokoro_tui.voices.pack import as_pack

    detach = getattr(voice, "detach", None)
    array = detach().cpu().numpy() if callable(detach) else voice
    if not isinstance(array, np.ndarray):
        raise KokoroError(
            f"a voice cannot be a {type(voice).__name__}",
            hint="give a voice name, a voice file, a blend spec like 'af_heart:0.7,am_adam:0.3', "
            "or a [510, 1, 256] array",
        )
    return as_pack(array, "the voice array")


def _is_number(value: object, kind: type) -> bool:
    return isinstance(value, kind) and not isinstance(value, bool)


def _check_options(speed: object, seed: object, first_chunk_tokens: object, max_chunk_tokens: object) -> None:
    """Refuse a numeric option of the wrong type or range with a KokoroError, before it fails deep in synthesis."""
    _check_speed(speed)
    if seed is not None and not _is_number(seed, Integral):
        raise KokoroError(f"seed {seed!r} is not a whole number", hint="use an int, or None for fresh noise")
    _check_phonemes("max_chunk_tokens", max_chunk_tokens, MIN_CHUNK_TOKENS)
    if first_chunk_tokens is not None:
        _check_phonemes("first_chunk_tokens", first_chunk_tokens, 1)


def _check_speed(speed: object) -> float:
    """``speed`` as the Python float backends take (a numpy scalar too), or a KokoroError for the pipeline's
    own speed and a call's alike, so that both are refused in the same words."""
    if not _is_number(speed, Real):
        raise KokoroError(f"speed {speed!r} is not a number", hint=f"use {MIN_SPEED} to {MAX_SPEED}")
    if not MIN_SPEED <= speed <= MAX_SPEED:  # type: ignore[operator]
        raise KokoroError(f"speed {speed} is out of range", hint=f"use {MIN_SPEED} to {MAX_SPEED}")
    return float(speed)  # type: ignore[arg-type]


#: ``synthesize_many``'s chunks per model call on a GPU when the caller does not say. On a CPU the default is one:
#: two cores are kept busy by one chunk, and batches of 4-16 measured 1.2-1.6x slower than one call each
#: (the padding of unequal chunks; ``benchmarks/batch_speed.py``).
GPU_BATCH_SIZE = 8


def _check_batch_size(batch_size: object) -> None:
    if batch_size is None:
        return
    if not _is_number(batch_size, Integral) or batch_size < 1:  # type: ignore[operator]
        raise KokoroError(f"batch_size {batch_size!r} is not a positive whole number", hint="use 1 or more")


def _check_phonemes(name: str, value: object, low: int) -> None:
    if not _is_number(value, Integral) or not low <= value <= MAX_TOKENS:  # type: ignore[operator]
        raise KokoroError(f"{name} of {value!r} phonemes is out of range", hint=f"use {low} to {MAX_TOKENS}")


def _read_ahead(items: Iterator[T], when_read: Callable[[], None]) -> Iterator[T]:
    """``items``, each taken from ``items`` before the one before it is yielded, and ``when_read()``
    called as soon as they are all taken: before the last of them is used."""
    held = next(items, _END)
    while held is not _END:
        following = next(items, _END)
        if following is _END:
            when_read()
        yield held  # type: ignore[misc]
        held = following


def _markup_spans(script: Script) -> Iterator[tuple[int, int]]:
    """Where ``script.text`` holds markup that was obeyed: its cues' tags, and what blanking took out of it
    for the front end (a pronunciation's brackets and phonemes, the backslash that makes a tag prose)."""
    yield from ((part.start, part.end) for part in script.parts if isinstance(part, Cue))
    for match in PRONUNCIATION.finditer(script.text):
        if script.spoken[match.start()] != script.text[match.start()]:  # obeyed: its "[" was blanked
            yield match.start(), match.start(1)
            yield match.end(1), match.end()
    for match in _ESCAPE.finditer(script.text):
        if script.spoken[match.start()] != "\\":
            yield match.start(), match.end()


_ESCAPE = re.compile(r"\\(?=[\[\]])")


Voiced = tuple[np.ndarray, np.ndarray]  # a backend's audio and per-token durations (BOS/EOS included) for a chunk


@dataclass(frozen=True, eq=False)
class _Utterance:
    """A chunk ready for the model: its ids (and each phoneme character's token), its style row and speed.
    Hashed by identity: a batch's outputs are found by the utterance they belong to."""

    chunk: TextChunkLike
    encoded: Encoded
    style: np.ndarray
    speed: float

    @property
    def request(self) -> tuple[list[int], np.ndarray, float]:
        """What a backend's ``synthesize`` takes before the seed."""
        return self.encoded.ids, self.style, self.speed


# How a text's utterances get spoken: given one and its chunk index, the backend's output for it.
Voicing = Callable[[_Utterance, int], Voiced]


def _token_count(utterance: _Utterance) -> int:
    return len(utterance.encoded.ids)


def _looked_up(utterances: Sequence[_Utterance], outputs: Sequence[Voiced]) -> Voicing:
    """``_assemble``'s ``voiced`` for utterances already spoken: each one's own output."""
    found = dict(zip(utterances, outputs, strict=True))
    return lambda utterance, index: found[utterance]


def _pause_samples(pause: Pause) -> int:
    return round(pause.seconds * SAMPLE_RATE)


def _spoken(
    utterance: _Utterance, audio: np.ndarray, durations: np.ndarray, index: int, start_s: float, cut_lead_in: bool
) -> SpeechChunk:
    """A backend's output for ``utterance`` as chunk ``index``, its words timed from ``start_s``.
    ``cut_lead_in``: drop most of the silence before its first word (``speech.lead_in``)."""
    ids = utterance.encoded.ids
    if len(durations) != len(ids) + 2:
        raise RuntimeError(f"backend returned {len(durations)} durations for {len(ids)} tokens + BOS/EOS")
    audio, cut = np.asarray(audio, np.float32), 0
    if cut_lead_in:
        audio, cut = trim_lead_in(audio, int(durations[0]))
    chunk = utterance.chunk
    stamps = word_timestamps(chunk.words, utterance.encoded.token_of_char, durations, start_s - cut / SAMPLE_RATE)
    return SpeechChunk(index, chunk.text, chunk.phonemes, audio, start_s, stamps)


def _speech(chunks: Sequence[SpeechChunk]) -> Speech:
    """A text's chunks as one Speech: their audio concatenated, all timestamps, each spoken chunk's phonemes."""
    return Speech(
        audio=np.concatenate([c.audio for c in chunks]),
        timestamps=[stamp for c in chunks for stamp in c.timestamps],
        phonemes=[c.phonemes for c in chunks if c.phonemes],
    )


class Pipeline:
    """Speak text with one voice, language, speed and backend.

    ``voice`` is a store name, a voice file, a blend spec (``'af_heart:0.7,am_adam:0.3'``) or a pack itself:
    a float ``[510, 1, 256]`` numpy array or torch tensor (``VoiceStore.resolve`` gives one), which has no
    language of its own, so ``lang`` then defaults to American English. A bad option (a speed out of
    0.25-4, a seed that is no int, a voice array of another shape) is a KokoroError here, not later.
    One pipeline may be shared by threads: its model, voice and front end load once.

    ``lang`` defaults to the voice's prefix (``af_heart`` → ``a``); a different explicit ``lang``
    is allowed (an accent experiment) and reported through ``on_warning`` (default: a Python
    warning). ``seed`` makes the torch backend's harmonic-source noise reproducible (chunk k uses
    seed + k); the onnx backend is deterministic anyway. ``precision`` ``"auto"`` (default) runs
    the torch backend's generator convolutions in int8 on the CPU (2.3x faster than ``"fp32"``,
    a small measured audio error, see ``backends.registry.resolve_precision``) and fp32 on CUDA.

    ``model`` is a model file other than the data home's: a fine-tuned ``.safetensors`` for the
    torch backend, an ``.onnx`` for onnx (the same as a ``backend`` of ``"torch:/path/file"``).

    ``markup`` (default on) obeys the text's inline markup; off, brackets are read as written. It is
    an option of the pipeline, not of ``stream``, because it says how a source of text is written (a
    marked-up script, or prose whose brackets are its own), as the voice and language do, and every
    face makes one pipeline per source: `kokoro say` and `kokoro book` take ``--no-markup``. The data
    home's lexicon (``HOME/lexicon.tsv``) applies either way. Text after a markup voice switch is read in
    that voice's language (``[voice:ff_siwis]`` reads French), unless ``lang`` was given. ``markup_voice`` maps what a markup voice
    switch names to the voice it loads, raising KokoroError for what it refuses: the server passes one that
    takes store names and blends only, so that a client's text cannot make it read a file by its path.

    ``max_chunk_tokens`` caps the phonemes of one chunk below the model's 510 (sentences are packed up to it,
    a longer one cut at its clauses). The synthesis's working memory grows with a chunk's audio (tens of MB per
    second of it on the CPU), so `kokoro book`, which runs for hours beside other work, uses a lower cap
    (``books.job.BOOK_CHUNK_TOKENS``) than `say`.

    ``parallel_load`` (for a command that starts cold and speaks one text, as `kokoro say` does) starts
    the language's G2P in a child process now (``text.g2p_process``), and ``stream`` loads the model
    while the child loads the G2P instead of after it: the two took about 3.5 s and 5 s one after the
    other. Only an empty or symbol-only text is then refused before the model load. The child ends
    once the first text is read (its 250 MB are not held through the synthesis); a later text is
    read in this process.
    """

    def __init__(
        self,
        voice: VoiceSpec = DEFAULT_VOICE,
        lang: str | None = None,
        speed: float = 1.0,
        backend: str = "torch",
        device: str = "auto",
        seed: int | None = None,
        home: DataHome | str | os.PathLike[str] | None = None,
        on_warning: Callable[[str], None] | None = None,
        precision: str = "auto",
        first_chunk_tokens: int | None = None,
        markup: bool = True,
        markup_voice: Callable[[str], str] | None = None,
        model: str | os.PathLike[str] | None = None,
        parallel_load: bool = False,
        max_chunk_tokens: int = MAX_TOKENS,
    ) -> None:
        _check_options(speed, seed, first_chunk_tokens, max_chunk_tokens)
        backend = registry.backend_spec(backend, model)
        registry.check_options(backend, device, precision)
        if device == "cuda":  # a machine without one is told now, not after the text front end has loaded
            resolve_device(device)
        given_pack = not isinstance(voice, (str, os.PathLike))
        self._pack: np.ndarray | None = voice_array(voice) if given_pack else None
        self.voice = ARRAY_VOICE if given_pack else os.fspath(voice)
        self.speed = float(speed)  # a numpy scalar too: backends take a Python float
        self.backend = backend
        self.device = device
        self.precision = precision
        self.first_chunk_tokens = None if first_chunk_tokens is None else int(first_chunk_tokens)
        self.max_chunk_tokens = int(max_chunk_tokens)
        self.markup = markup
        self._markup_voice = markup_voice or (lambda spec: spec)
        self.seed = None if seed is None else int(seed)
        self.home = home if isinstance(home, DataHome) else resolve_home(home)
        self._warn = on_warning or (lambda message: warnings.warn(message, stacklevel=3))
        lang = None if lang is None else language(lang).code  # also an espeak name: "ru" is "r"
        voice_lang = None if given_pack else voice_language(self.voice, self.home)
        self.lang = lang or voice_lang or DEFAULT_LANG
        self._lang_from_voice = lang is None and not given_pack
        caution = LANGUAGES[self.lang].caution
        if caution and voice_lang != self.lang:
            self._warn(caution)
        elif lang and voice_lang and lang != voice_lang:
            self._warn(f"voice {self.voice!r} is language {voice_lang!r} but the text is read as {lang!r}")
        # Threads sharing one pipeline (a web app's pool) load each of its parts once, not once per thread.
        self._loading = threading.RLock()
        self._frontend: Frontend | None = None
        self._parallel_load = parallel_load
        if parallel_load:
            self._frontend = make_frontend(self.lang, in_child=True)
        self._packs: dict[str, np.ndarray] = {}  # of the voices markup switches to
        self._other_frontends: dict[str, Frontend] = {}  # of the languages markup switches to
        self._switch_langs: dict[str, str] = {}  # markup voice -> the language read after a switch to it
        self._lexicon: Lexicon | None = None
        self._synthesizer: registry.Synthesizer | None = None
        self.load_seconds = 0.0  # text front end + voice + model load time, for reporting

    @property
    def frontend(self) -> Frontend:
        with self._loading:
            if self._frontend is None:
                self._frontend = make_frontend(self.lang)
        return self._frontend

    def load(self) -> None:
        """Load the voice and the model now (otherwise they load on the first chunk)."""
        if self._pack is not None and self._synthesizer is not None:
            return  # loaded: no lock on every chunk's way
        with self._loading:
            started = time.perf_counter()
            if self._pack is None:
                self._pack = load_voice(self.home, self.voice)
            if self._synthesizer is None:
                self._synthesizer = registry.load_synthesizer(self.backend, self.device, self.home, self.precision)
                self.load_seconds += time.perf_counter() - started

    @property
    def lexicon(self) -> Lexicon:
        """The data home's lexicon, read on first use (a line that does not parse is warned about)."""
        with self._loading:
            if self._lexicon is None:
                self._lexicon = read_lexicon(self.home.lexicon, self._warn)
        return self._lexicon

    def _voice_problem(self, spec: str) -> str | None:
        """Why a markup voice switch cannot be obeyed; None once the voice's pack is loaded and kept."""
        if spec not in self._packs:
            try:
                self._packs[spec] = load_voice(self.home, self._markup_voice(spec))
            except KokoroError as error:
                return str(error)
        return None

    def _markup_rules(self) -> MarkupRules:
        return MarkupRules((MIN_SPEED, MAX_SPEED), self._voice_problem)

    def _script(self, text: str) -> Script:
        return parse_markup(text, self._markup_rules()) if self.markup else plain_script(text)

    def shown_text(self, text: str, *, is_phonemes: bool = False) -> str:
        """``text`` as subtitles show it: each character of the markup obeyed in it (pauses, switches, a
        pronunciation's brackets and phonemes) replaced by ``subtitles.HIDDEN``, so that the words' character
        spans still index it. Markup read as text stays, as it was spoken; nothing is warned about again."""
        decoded = replace_invalid(text).text
        if is_phonemes or not self.markup:
            return decoded
        script = parse_markup(decoded, self._markup_rules())
        shown = list(decoded)
        for start, end in _markup_spans(script):
            shown[start:end] = HIDDEN * (end - start)
        return "".join(shown)

    def _frontend_of(self, lang: str) -> Frontend:
        if lang == self.lang:
            return self.frontend
        with self._loading:
            if lang not in self._other_frontends:
                self._other_frontends[lang] = make_frontend(lang)
            return self._other_frontends[lang]

    def _chunk_reader(self, lang: str) -> ChunkReader:
        """The chunks of ``lang``'s front end; a call loads its G2P the first time, which counts as loading."""

        def chunks(*args, **kwargs) -> Iterator[TextChunkLike]:
            started = time.perf_counter()
            found = self._frontend_of(lang).chunks(*args, **kwargs)
            self.load_seconds += time.perf_counter() - started
            return found

        return chunks

    def _switch_language(self, spec: str) -> str:
        """The language read after a switch to voice ``spec``: the voice's own, as the pipeline's voice sets
        the pipeline's, unless ``lang`` was given (then that, and a mismatch is warned about once per voice).
        Found once per voice: the voice's language may take a read of the store."""
        if spec not in self._switch_langs:
            voice_lang = voice_language(self._markup_voice(spec), self.home)
            if self._lang_from_voice:
                self._switch_langs[spec] = voice_lang or self.lang
            else:
                self._switch_langs[spec] = self.lang
                if voice_lang and voice_lang != self.lang:
                    self._warn(f"voice {spec!r} is language {voice_lang!r} but the text is read as {self.lang!r}")
        return self._switch_langs[spec]

    def _own_language_text(self, script: Script) -> str:
        """What of ``script`` is read in the pipeline's own language: text after a switch to a voice of another is
        read in that one's, so its writing system is no mismatch (``[voice:jf_alpha]`` before Japanese)."""
        lang = self.lang
        kept: list[str] = []
        for part in script.parts:
            if isinstance(part, VoiceSwitch) and self._lang_from_voice:
                lang = self._switch_language(part.voice)
            elif isinstance(part, Spoken) and lang == self.lang:
                kept.append(script.spoken[part.start : part.end])
        return " ".join(kept)

    def _reader_for_voice(self, spec: str) -> tuple[ChunkReader, LexiconLookup]:
        lang, lexicon = self._switch_language(spec), self.lexicon
        return self._chunk_reader(lang), lambda stretch: lexicon.find(stretch, lang)

    def text_parts(self, text: str, *, is_phonemes: bool = False) -> Iterator[TextChunkLike | Cue]:
        """The chunks the text will be spoken in and the markup's cues between them (pauses, voice
        and speed switches), without synthesising anything. Phoneme input has no markup.

        Undecodable characters, markup read as text, bad lexicon lines and the words the language
        cannot say are reported through ``on_warning``: the skipped words once the text is done, the
        others before any chunk.
        """
        if not isinstance(text, str):
            raise KokoroError(f"the text must be a str, not {type(text).__name__}",
                              hint="decode bytes first, e.g. data.decode('utf-8')" if isinstance(text, bytes) else None)
        decoded = replace_invalid(text)
        invalid = decoded.warning("the text")
        if invalid:
            self._warn(invalid)
        if is_phonemes:
            return phoneme_chunks(decoded.text, self.max_chunk_tokens)
        script = self._script(decoded.text)
        named = self.voice if self._lang_from_voice else None
        mismatch = script_warning(self._own_language_text(script), self.lang, named)
        if mismatch:
            self._warn(mismatch)
        for warning in script.warnings:
            self._warn(warning)
        lexicon, report = self.lexicon, SkipReport()
        parts = read_script(
            script,
            self._chunk_reader(self.lang),
            lexicon=lambda stretch: lexicon.find(stretch, self.lang),
            max_tokens=self.max_chunk_tokens,
            on_skip=report,
            first_max_tokens=self.first_chunk_tokens,
            reader_for_voice=self._reader_for_voice,
        )
        return self._reporting_skips(parts, report)

    def text_chunks(self, text: str, *, is_phonemes: bool = False) -> Iterator[TextChunkLike]:
        """The chunks the text will be spoken in: ``text_parts`` without the cues."""
        return (part for part in self.text_parts(text, is_phonemes=is_phonemes) if not isinstance(part, Cue))

    def _reporting_skips(
        self, parts: Iterator[TextChunkLike | Cue], report: SkipReport
    ) -> Iterator[TextChunkLike | Cue]:
        yield from parts
        message = report.message(LANGUAGES[self.lang].name)
        if message:
            self._warn(message)

    def _warn_dropped_symbols(self, phonemes: str, vocab: PhonemeVocab) -> None:
        """Phoneme input may hold symbols the model lacks: name the ones skipped, unless none at all
        is known (the "nothing speakable" error then says so)."""
        dropped = vocab.missing(phonemes)
        if dropped and vocab.speaks_any(phonemes):
            self._warn(f"skipping phoneme symbols the model does not know: {' '.join(dropped)}{symbol_advice(dropped)}")

    def stream(self, text: str, *, is_phonemes: bool = False, speed: float | None = None) -> Iterator[SpeechChunk]:
        """Yield each chunk's audio and timestamps as soon as it is synthesised. A markup pause is a
        chunk of silence with no words; a voice or speed switch holds until the next or the text's end.

        ``speed`` is this call's speed instead of the pipeline's own (None), which stays as it is: a caller
        sharing the pipeline (dubbing fitting a cue, threads of a server) never changes it for the others.
        A bad one is refused now, before the stream is read."""
        start_speed = self.speed if speed is None else _check_speed(speed)
        return self._stream(text, is_phonemes, start_speed)

    def _stream(self, text: str, is_phonemes: bool, start_speed: float) -> Iterator[SpeechChunk]:
        """``stream``'s chunks, spoken at ``start_speed`` until a markup speed switch sets another, each
        synthesised as the reading reaches it."""
        return self._assemble(text, self._plan(text, is_phonemes, start_speed), self._voice_alone)

    def _plan(self, text: str, is_phonemes: bool, start_speed: float) -> Iterator[Pause | _Utterance]:
        """The text's pauses and model-ready chunks in order, read lazily, with the markup's voice and speed
        switches applied; a chunk with no symbol the model knows is left out. NothingToSayError at the end
        when nothing gave a sound. The model loads at the first chunk, after any mistake in the text before it."""
        symbols_checked = not is_phonemes
        audible = False
        parts = self.text_parts(text, is_phonemes=is_phonemes)
        if self._parallel_load and not is_phonemes:
            if self._synthesizer is None:
                check_speakable(replace_invalid(text).text)
                self.load()  # while the child process loads the G2P
            parts = _read_ahead(parts, self.frontend.close)
        voice, speed = None, start_speed
        for part in parts:
            if isinstance(part, VoiceSwitch):
                voice = part.voice
            elif isinstance(part, SpeedSwitch):
                speed = part.speed
            elif isinstance(part, Pause):
                audible = audible or _pause_samples(part) > 0
                yield part
            else:
                self.load()
                assert self._synthesizer is not None
                if not symbols_checked:  # once, over the whole input, now that the vocabulary is loaded
                    symbols_checked = True
                    self._warn_dropped_symbols(text, self._synthesizer.vocab)
                utterance = self._utterance(part, voice, speed)
                if utterance is not None:
                    audible = True
                    yield utterance
        if not audible:
            raise NothingToSayError(
                "nothing speakable in the input", hint="no phoneme of it is in the model's vocabulary"
            )

    def _utterance(self, chunk: TextChunkLike, voice: str | None, speed: float) -> _Utterance | None:
        """``chunk`` encoded for the model with its voice's style row (the pipeline's voice when ``voice`` is
        None, else a markup switch's); None when no symbol of it is known: nothing to say."""
        from kokoro_tui.voices.pack import select_style

        assert self._synthesizer is not None and self._pack is not None
        encoded = self._synthesizer.vocab.encode(chunk.phonemes)
        if not self._synthesizer.vocab.speaks_any(chunk.phonemes):
            return None  # only spaces or symbols the model does not know
        if len(encoded.ids) > MAX_TOKENS:
            raise KokoroError(f"a chunk has {len(encoded.ids)} phoneme tokens; the model takes at most {MAX_TOKENS}")
        pack = self._pack if voice is None else self._packs[voice]
        return _Utterance(chunk, encoded, select_style(pack, len(chunk.phonemes)), speed)

    def _voice_alone(self, utterance: _Utterance, index: int) -> Voiced:
        """``utterance`` in a model call of its own, chunk ``index`` of its text drawing noise from seed + index."""
        assert self._synthesizer is not None
        seed = None if self.seed is None else self.seed + index
        return self._synthesizer.synthesize(*utterance.request, seed)

    def _assemble(self, text: str, plan: Iterable[Pause | _Utterance], voiced: Voicing) -> Iterator[SpeechChunk]:
        """The planned text's chunks, timed one after another: a pause as silence, an utterance as ``voiced``
        (given it and its chunk index) speaks it. A chunk without a sample is left out."""
        offset_samples = 0
        index = 0
        for piece in plan:
            start_s = offset_samples / SAMPLE_RATE
            if isinstance(piece, Pause):
                silence = np.zeros(_pause_samples(piece), np.float32)
                chunk = SpeechChunk(index, text[piece.start : piece.end], "", silence, start_s)
            else:
                # A stream's first words start soon after its first audio (see ``speech.lead_in``).
                cut_lead_in = self.first_chunk_tokens is not None and index == 0
                chunk = _spoken(piece, *voiced(piece, index), index, start_s, cut_lead_in)
            if len(chunk.audio):
                yield chunk
                offset_samples += len(chunk.audio)
                index += 1

    def synthesize(self, text: str, *, is_phonemes: bool = False, speed: float | None = None) -> Speech:
        """The whole text as one Speech (concatenated audio, pauses included; all timestamps; the
        phonemes of each spoken chunk); ``speed`` as ``stream`` takes it."""
        return _speech(list(self.stream(text, is_phonemes=is_phonemes, speed=speed)))

    def synthesize_many(
        self, texts: Sequence[str], *, batch_size: int | None = None, is_phonemes: bool = False,
        speed: float | None = None,
    ) -> list[Speech]:
        """One Speech per text, in order, each text read as ``synthesize`` reads it, but the chunks of all of them
        spoken ``batch_size`` to a model call (chunks of about one length together, see ``speech.batching``): for
        many short clips on a GPU, which one short chunk leaves mostly idle. ``batch_size`` None is
        ``GPU_BATCH_SIZE`` on a GPU and 1 on a CPU, which one chunk keeps busy and where the padding of chunks of
        unequal length costs more than the calls saved (see ``benchmarks/batch_speed.py``).

        Every text is read before the model speaks (a NothingToSayError names the text, ``texts[2]``), and the
        audio of all of them is held until the end. The torch backend batches; another makes one call per chunk,
        as ``synthesize`` does, with the same results. Batched, batch k draws its noise from seed + k: the same
        texts and batch_size give the same audio run to run, but a chunk's noise depends on its batch, so its
        audio is not sample-identical to ``synthesize``'s (its durations, hence its timestamps, are; with int8
        on the CPU, whose activation scales are taken over the whole batch, the audio also differs by rounding).
        """
        _check_batch_size(batch_size)
        if isinstance(texts, str):
            raise KokoroError("synthesize_many takes a list of texts, not one str", hint="use synthesize for one text")
        start_speed = self.speed if speed is None else _check_speed(speed)
        plans = [self._read_whole(number, text, is_phonemes, start_speed) for number, text in enumerate(texts)]
        voicings = self._voicings(plans, batch_size)
        return [_speech(list(self._assemble(*job))) for job in zip(texts, plans, voicings)]

    def _read_whole(self, number: int, text: str, is_phonemes: bool, start_speed: float) -> list[Pause | _Utterance]:
        """The whole plan of ``texts[number]``; its NothingToSayError says which text it is."""
        try:
            return list(self._plan(text, is_phonemes, start_speed))
        except NothingToSayError as error:
            raise NothingToSayError(f"texts[{number}]: {error.args[0]}", hint=error.hint) from error

    def _voicings(self, plans: Sequence[Sequence[Pause | _Utterance]], batch_size: int | None) -> list[Voicing]:
        """For each plan, how ``_assemble`` gets its utterances spoken: looked up from batched calls made now
        when the backend batches, else one call each as it asks."""
        synthesize_batch = getattr(self._synthesizer, "synthesize_batch", None)
        if synthesize_batch is None:  # not a batching backend, or nothing but pauses (the model never loaded)
            return [self._voice_alone] * len(plans)
        if batch_size is None:
            batch_size = 1 if self._synthesizer.device.type == "cpu" else GPU_BATCH_SIZE

        def run(utterances: list[_Utterance], number: int) -> Sequence[Voiced]:
            return synthesize_batch([u.request for u in utterances], None if self.seed is None else self.seed + number)

        groups = [[piece for piece in plan if isinstance(piece, _Utterance)] for plan in plans]
        outputs = batching.run_grouped(groups, _token_count, batch_size, run)
        return [_looked_up(group, voiced) for group, voiced in zip(groups, outputs)]

