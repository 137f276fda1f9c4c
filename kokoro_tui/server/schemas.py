"""Request bodies: OpenAI's speech request (plus Kokoro-FastAPI's ``stream`` and ``lang_code``), Kokoro-FastAPI's
phoneme request, and phonemize.

Fields OpenAI's clients may add that Kokoro has no use for (``instructions``, ...) are ignored
rather than refused, so a client written for OpenAI works unchanged. Length limits depend on the
server's settings and are checked by the routes.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from kokoro_tui.server.encoding import FORMATS
from kokoro_tui.speech.pipeline import DEFAULT_LANG, MAX_SPEED, MIN_SPEED
from kokoro_tui.voices.names import DEFAULT_VOICE

# Every name maps to the one Kokoro model: OpenAI's TTS model names so that existing clients run as they are.
MODEL_NAMES = ("kokoro", "tts-1", "tts-1-hd", "gpt-4o-mini-tts")
MAX_VOLUME = 10.0  # Kokoro-FastAPI's volume_multiplier has no bound; past this it is only clipping


def _speakable(text: str) -> str:
    if not text.strip():
        raise ValueError("it is empty or only spaces")
    return text


SpeakableText = Annotated[str, AfterValidator(_speakable)]


class AudioOptions(BaseModel):
    """What every route that answers audio takes beside what it speaks, checked alike for each."""

    model_config = ConfigDict(extra="ignore")

    voice: str = DEFAULT_VOICE
    response_format: str = "mp3"
    speed: float = Field(1.0, ge=MIN_SPEED, le=MAX_SPEED)
    stream: bool = True  # Kokoro-FastAPI's default: audio starts after the first chunk

    @field_validator("response_format")
    @classmethod
    def _known_format(cls, name: str) -> str:
        if name not in FORMATS:
            raise ValueError(f"unknown response_format {name!r}; use one of {', '.join(FORMATS)}")
        return name


class SpeechRequest(AudioOptions):
    """``POST /v1/audio/speech`` (and ``/dev/captioned_speech``)."""

    model: str = MODEL_NAMES[0]
    input: SpeakableText
    lang_code: str | None = None  # default: from the voice's name
    volume_multiplier: float = Field(1.0, gt=0.0, le=MAX_VOLUME)  # Kokoro-FastAPI's: the audio scaled, then clipped

    @field_validator("model")
    @classmethod
    def _known_model(cls, model: str) -> str:
        if model not in MODEL_NAMES:
            raise ValueError(f"unknown model {model!r}; use one of {', '.join(MODEL_NAMES)}")
        return model


class PhonemeSpeechRequest(AudioOptions):
    """``POST /dev/generate_from_phonemes``: Kokoro-FastAPI's ``{phonemes, voice}``, spoken as written (no
    text front end, no markup). WAV by default, as Kokoro-FastAPI answers it."""

    phonemes: SpeakableText
    response_format: str = "wav"


class PhonemizeRequest(BaseModel):
    """``POST /dev/phonemize``: text to phonemes with the text front end, no model."""

    text: SpeakableText
    language: str = DEFAULT_LANG
