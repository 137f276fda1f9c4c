"""Between the routes and the speech pipeline: requests checked, their synthesis queued, the model warmed.

The pipeline factory is the only way to speech: ``pipelines(voice=, speed=, lang=,
first_chunk_tokens=)`` returns an object whose ``stream(text)`` yields ``SpeechChunk``s, and
``stream(phonemes, is_phonemes=True)`` those of phonemes as written (`kokoro say --ipa`'s path); by
default ``speech.pipeline.Pipeline`` on the server's home, backend and device; tests pass fakes.
Everything that runs the text front end or the model goes through the scheduler's one thread,
phonemizing included: the G2P objects are shared per process and are not known to be thread-safe.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import numpy as np

from kokoro_tui.assets.model_store import model_config
from kokoro_tui.errors import MissingAssetError
from kokoro_tui.home import resolve_home
from kokoro_tui.server.api_errors import ApiError, shutting_down
from kokoro_tui.server.scheduler import Busy, Closed, Job, Scheduler
from kokoro_tui.server.schemas import AudioOptions, PhonemeSpeechRequest, SpeechRequest
from kokoro_tui.server.settings import ServerSettings
from kokoro_tui.server.voice_spec import parse_voice, store_voice
from kokoro_tui.speech.pipeline import FIRST_CHUNK_TOKENS, Pipeline
from kokoro_tui.speech.types import SpeechChunk
from kokoro_tui.text.frontend import TextFrontend
from kokoro_tui.text.vocab import SHOWN_MISSING, PhonemeVocab
from kokoro_tui.voices.names import DEFAULT_VOICE
from kokoro_tui.voices.store import VoiceStore

log = logging.getLogger("kokoro_tui.server")

PipelineFactory = Callable[..., Any]
WARM_UP_TEXT = "Ready."
# What a 429 asks a client to wait: about one chunk's synthesis, after which a slot may be free.
RETRY_AFTER_S = 1


def louder(chunk: SpeechChunk, factor: float) -> SpeechChunk:
    """``chunk`` with its audio scaled by ``factor`` and clipped to full scale."""
    return replace(chunk, audio=np.clip(chunk.audio * np.float32(factor), -1.0, 1.0))


def _symbol_name(symbol: str) -> str:
    """A symbol and its code point, which tells look-alikes and combining marks apart; the code point alone
    for one that cannot be shown (a lone surrogate could not even be encoded in the JSON answer)."""
    code = f"U+{ord(symbol):04X}"
    return f"{symbol} ({code})" if symbol.isprintable() else code


class SpeechService:
    """The server's speech: one voice store, one pipeline factory (one model), one scheduler."""

    def __init__(self, settings: ServerSettings, pipelines: PipelineFactory | None = None) -> None:
        self.settings = settings
        self.home = resolve_home(settings.home)
        self.store = VoiceStore(self.home)
        self.pipelines = pipelines or functools.partial(
            Pipeline, backend=settings.backend, device=settings.device, precision=settings.precision,
            home=self.home, on_warning=log.warning, markup_voice=parse_voice,
        )  # fmt: skip
        self.scheduler: Scheduler | None = None
        self.ready = False

    def warm_up(self) -> None:
        """Load the model and speak a word, so that neither burdens the first request; once."""
        if self.ready:
            return
        names = self.store.names()
        if not names:
            raise MissingAssetError(f"no voices in {self.store.root}", hint="run `kokoro download`")
        voice = DEFAULT_VOICE if DEFAULT_VOICE in names else names[0]
        started = time.perf_counter()
        for _ in self.pipelines(voice=voice, speed=1.0).stream(WARM_UP_TEXT):
            pass
        self.ready = True
        log.info("model loaded and warmed up in %.1f s (backend %s, device %s)",
                 time.perf_counter() - started, self.settings.backend, self.settings.device)

    def start(self) -> None:
        """Start the synthesis thread, the model loaded and warmed up on it first (see ``scheduler``); once.
        Blocks until then, and raises what the warm-up raised (a missing model or voice)."""
        if self.scheduler is None:
            self.scheduler = Scheduler(self.settings.max_requests, prepare=self.warm_up)

    @property
    def active_requests(self) -> int:
        """Speech requests admitted to the model's queue now (being made or waiting their turn)."""
        return self.scheduler.active if self.scheduler is not None else 0

    def close(self) -> None:
        if self.scheduler is not None:
            self.scheduler.close()

    def check_length(self, text: str, param: str) -> None:
        limit = self.settings.max_input_chars
        if len(text) > limit:
            raise ApiError(400, f"{param} has {len(text)} characters; the limit is {limit}", param=param,
                           code="string_too_long")

    @functools.cached_property
    def vocab(self) -> PhonemeVocab:
        """The phoneme symbols the home's model knows (its ``config.json``, which the backends read too)."""
        return PhonemeVocab(model_config(self.home).vocab)

    def check_phonemes(self, phonemes: str) -> None:
        """Refuse phonemes with symbols the model lacks, naming them: the pipeline would drop them with only a
        warning in the server's log, and the client, who chose every symbol, would never hear of it. Reads
        the vocabulary on first use: call off the event loop."""
        missing = self.vocab.missing(phonemes)
        if missing:
            named = [_symbol_name(symbol) for symbol in missing[:SHOWN_MISSING]] + missing[SHOWN_MISSING:]
            raise ApiError(400, f"phonemes has symbols not in Kokoro's vocabulary: {', '.join(named)}",
                           param="phonemes", code="unknown_phonemes")

    def voice(self, spec: str) -> str:
        """The request's voice in the pipeline's syntax, every voice of it found in the store.

        Reads the voice files (a blend is mixed once here, again in the pipeline): call off the
        event loop. A KokoroError names what is wrong.
        """
        voice = store_voice(parse_voice(spec), self.store.exists)
        self.store.resolve(voice)
        return voice

    def voice_pack(self, spec: str) -> np.ndarray:
        """The ``[510, 1, 256]`` pack of a voice or blend as a request names it (a blend mixed and
        normalised); reads the voice files, so call off the event loop. A KokoroError names what is wrong."""
        return self.store.resolve(store_voice(parse_voice(spec), self.store.exists))

    def _submit(self, start: Callable[[], Iterator[Any]]) -> Job:
        assert self.scheduler is not None, "the service has not been started"
        try:
            return self.scheduler.submit(start)
        except Busy:
            raise ApiError(
                429, f"the server is busy with {self.scheduler.capacity} requests; retry shortly",
                code="rate_limit_exceeded", headers={"Retry-After": str(RETRY_AFTER_S)},
            ) from None
        except Closed:
            raise shutting_down() from None

    def _pipeline(self, voice: str, options: AudioOptions, lang: str | None = None) -> Any:
        """A pipeline for one request. A stream's first chunk is cut short at a clause break, as `kokoro say
        --stream` does, so that its audio starts sooner (phonemes are not cut, but lose their lead-in too)."""
        first_chunk_tokens = FIRST_CHUNK_TOKENS if options.stream else None
        return self.pipelines(voice=voice, speed=options.speed, lang=lang, first_chunk_tokens=first_chunk_tokens)

    def speak(self, request: SpeechRequest, voice: str) -> Job:
        """Queue the request's synthesis; its job yields ``SpeechChunk``s."""

        def start() -> Iterator[Any]:
            chunks = self._pipeline(voice, request, request.lang_code).stream(request.input)
            if request.volume_multiplier == 1.0:
                return chunks
            return (louder(chunk, request.volume_multiplier) for chunk in chunks)

        return self._submit(start)

    def speak_phonemes(self, request: PhonemeSpeechRequest, voice: str) -> Job:
        """Queue the synthesis of phonemes as written, in chunks of whole words (`kokoro say --ipa`'s path)."""
        return self._submit(lambda: self._pipeline(voice, request).stream(request.phonemes, is_phonemes=True))

    def phonemize(self, text: str, language: str) -> Job:
        """Queue a phonemization; its job yields one string, the chunks' phonemes joined by spaces."""
        return self._submit(lambda: iter([TextFrontend(language).phonemize(text)]))
