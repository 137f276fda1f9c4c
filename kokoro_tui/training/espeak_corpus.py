"""A small synthetic Russian speech corpus spoken by espeak-ng, for the CI tests of Russian fine-tuning.

CI cannot count on downloading a real Russian corpus quickly (RUSLAN is gigabytes behind a slow
host), but espeak-ng is a registry package: espeakng-loader, which misaki's G2P already needs,
ships the library and its data. So a couple of dozen utterances are spoken on the spot, robotic
but real speech with a transcript per file, in the RUSLAN layout ``load_corpus(lang="r")`` reads.

The library is driven through ctypes in this process. Its state is global (voice, rate, the
synthesis callback), so synthesis is serialised by a lock. misaki's phonemiser shares nothing
with it: phonemizer loads a private copy of the library file for each of its backends, while
this module loads the original, which phonemizer opens only to learn its path and never
initialises.
"""

from __future__ import annotations

import ctypes
import functools
import json
import threading
from collections.abc import Sequence
from pathlib import Path

import espeakng_loader
import numpy as np
import soundfile

from kokoro_tui.atomic import atomic_path, atomic_write_text
from kokoro_tui.errors import KokoroError

METADATA_NAME = "metadata_RU_espeak.csv"  # RUSLAN layout: metadata_*.csv with name|text lines, audio in wavs/
WAVS_DIR = "wavs"
# The voice and rate the WAVs were spoken with, which the metadata does not record.
SETTINGS_NAME = "espeak_settings.json"
NAME_PREFIX = "es_"

# Short everyday sentences; the last four are meant to be held out of training.
RUSSIAN_SENTENCES: tuple[str, ...] = (
    "Утром мы пили горячий чай на веранде.",
    "Сколько стоит билет до Москвы?",
    "В нашем классе учатся двадцать три ученика.",
    "Осенью листья желтеют и тихо падают на землю.",
    "Кошка спит на подоконнике, а собака во дворе.",
    "Поезд отправляется ровно в семь часов вечера.",
    "Ты не знаешь, где мои ключи?",
    "Бабушка испекла пирог с яблоками и корицей.",
    "Зимой у нас выпадает много снега.",
    "Мой брат родился в тысяча девятьсот девяностом году.",
    "Давай встретимся у фонтана после обеда.",
    "Почему ты вчера не пришёл на тренировку?",
    "Река широкая, но вода в ней холодная.",
    "На полке стоят пять толстых книг.",
    "Врач посоветовал больше гулять и меньше волноваться.",
    "Во сколько сегодня начинается концерт?",
    "Мы купили два килограмма картошки и лук.",
    "Летом дети часто купаются в озере.",
    "Откройте, пожалуйста, окно, здесь очень душно.",
    "Дорога до дачи занимает сорок минут.",
    "Он говорит по-русски медленно, но правильно.",
    "Сегодня пятое марта, а завтра уже шестое.",
    "Где здесь ближайшая аптека?",
    "Я прочитал эту книгу за три дня.",
)

# speak_lib.h
_AUDIO_OUTPUT_SYNCHRONOUS = 2  # espeak_Synth returns once the callback has had every sample
_DEFAULT_BUFFER_MS = 0  # espeak's own callback buffer length
_INITIALIZE_DONT_EXIT = 0x8000  # return an error instead of calling exit() when the data is missing
_PARAMETER_RATE = 1  # espeakRATE, words per minute
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_EE_OK = 0
_INT16_FULL_SCALE = 32768.0
# espeak_Initialize seeds the noise of fricatives and breath from the clock; a fixed seed makes a
# fresh process that speaks the same texts in the same order write the same samples. (Not each
# text alone: the wave generator carries its phase from one utterance into the next.)
_NOISE_SEED = 1

# int SynthCallback(short *wav, int numsamples, espeak_EVENT *events): wav NULL at the end; 0 continues
_SynthCallback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)


class _Espeak:
    """The library, initialised once for the life of the process (espeak-ng cannot be re-initialised safely)."""

    def __init__(self) -> None:
        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_ng_SetRandSeed.argtypes = [ctypes.c_long]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
            ctypes.c_void_p, ctypes.c_void_p,
        ]
        data = espeakng_loader.get_data_path().encode()
        self.rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, _DEFAULT_BUFFER_MS, data, _INITIALIZE_DONT_EXIT)
        if self.rate <= 0:
            raise KokoroError(f"espeak-ng could not start with its data at {data.decode()} (error {self.rate})")
        _check(lib.espeak_ng_SetRandSeed(_NOISE_SEED), "seed its noise")
        self._chunks: list[bytes] = []
        self._callback = _SynthCallback(self._collect)  # referenced here so ctypes does not free it under espeak
        lib.espeak_SetSynthCallback(self._callback)
        self._lib = lib

    def _collect(self, wav: int | None, count: int, _events: int | None) -> int:
        if wav and count > 0:
            self._chunks.append(ctypes.string_at(wav, count * 2))  # int16 samples
        return 0

    def speak(self, text: str, voice: str, rate_wpm: int) -> np.ndarray:
        """int16 samples of ``text``; the caller holds ``_LOCK``."""
        self._chunks = []
        _check(self._lib.espeak_SetVoiceByName(voice.encode()), f"find the voice {voice!r}")
        _check(self._lib.espeak_SetParameter(_PARAMETER_RATE, rate_wpm, 0), f"set the rate to {rate_wpm} wpm")
        encoded = text.encode("utf-8")
        _check(
            self._lib.espeak_Synth(encoded, len(encoded) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None),
            f"speak {text!r}",
        )
        _check(self._lib.espeak_Synchronize(), f"finish speaking {text!r}")
        return np.frombuffer(b"".join(self._chunks), dtype=np.int16)


def _check(status: int, doing: str) -> None:
    if status != _EE_OK:
        raise KokoroError(f"espeak-ng could not {doing} (error {status})")


_LOCK = threading.Lock()


@functools.cache
def _espeak() -> _Espeak:
    return _Espeak()


def speak_espeak(text: str, voice: str = "ru", rate_wpm: int = 150) -> tuple[np.ndarray, int]:
    """``text`` spoken by espeak-ng's ``voice``: float32 mono in [-1, 1] and its sample rate (22050)."""
    with _LOCK:
        engine = _espeak()
        samples = engine.speak(text, voice, rate_wpm)
    return (samples / _INT16_FULL_SCALE).astype(np.float32), engine.rate


def build_espeak_corpus(out: Path, sentences: Sequence[str], voice: str = "ru", rate_wpm: int = 150) -> Path:
    """Write ``sentences`` spoken by espeak-ng to ``out`` in the RUSLAN layout and return ``out``.

    ``out/wavs/es_0001.wav`` … are 16-bit PCM at espeak's own rate, listed with their text in
    ``out/metadata_RU_espeak.csv``. A corpus already there with the same sentences, voice and rate
    is kept as it is. The metadata is written last and removed before a rebuild, so an
    interrupted build is never taken for a finished one.
    """
    out = Path(out)
    for text in sentences:
        if not text.strip() or "|" in text or len(text.splitlines()) != 1:
            raise KokoroError(f"{text!r} cannot be the text of a name|text metadata line: one line, no '|'")
    names = [f"{NAME_PREFIX}{number:04d}" for number in range(1, len(sentences) + 1)]
    wavs = [out / WAVS_DIR / f"{name}.wav" for name in names]
    metadata = "".join(f"{name}|{text}\n" for name, text in zip(names, sentences))
    settings = json.dumps({"voice": voice, "rate_wpm": rate_wpm})
    if (
        _text_of(out / METADATA_NAME) == metadata
        and _text_of(out / SETTINGS_NAME) == settings
        and all(wav.is_file() for wav in wavs)
    ):
        return out
    (out / METADATA_NAME).unlink(missing_ok=True)
    for wav, text in zip(wavs, sentences):
        audio, rate = speak_espeak(text, voice, rate_wpm)
        with atomic_path(wav) as part:
            soundfile.write(part, audio, rate, subtype="PCM_16", format="WAV")  # the .part name has no suffix to go by
    atomic_write_text(out / SETTINGS_NAME, settings)
    atomic_write_text(out / METADATA_NAME, metadata)
    return out


def _text_of(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None
