"""kokoro-tui: a terminal-first toolkit for the Kokoro-82M text-to-speech model.

The public API, importable from here without typer, textual or a web framework::

    from kokoro_tui import Pipeline, KokoroModel, VoiceStore, load_model

Each name is imported on first use (PEP 562), so ``import kokoro_tui`` stays light and loads
no torch until a model is actually wanted.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "Pipeline": "kokoro_tui.speech.pipeline",
    "Speech": "kokoro_tui.speech.types",
    "SpeechChunk": "kokoro_tui.speech.types",
    "WordTimestamp": "kokoro_tui.speech.types",
    "KokoroModel": "kokoro_tui.model.kokoro",
    "KokoroConfig": "kokoro_tui.model.config",
    "load_model": "kokoro_tui.model.loading",
    "VoiceStore": "kokoro_tui.voices.store",
    "PhonemeVocab": "kokoro_tui.text.vocab",
    "TextFrontend": "kokoro_tui.text.frontend",
    "DataHome": "kokoro_tui.home",
    "KokoroError": "kokoro_tui.errors",
    "load_corpus": "kokoro_tui.training.corpus",
    "VoiceJob": "kokoro_tui.training.voice_job",
    "make_voice": "kokoro_tui.training.voice_job",
    "evaluate_voice": "kokoro_tui.training.voice_eval",
    "FinetuneJob": "kokoro_tui.training.finetune_job",
    "finetune": "kokoro_tui.training.finetune_job",
    "BookJob": "kokoro_tui.books.job",
    "make_book": "kokoro_tui.books.job",
    "read_book": "kokoro_tui.books.reader",
    "dub": "kokoro_tui.speech.dubbing",
    "read_subtitle_file": "kokoro_tui.speech.subtitle_reader",
}
__all__ = [  # spelled out for static tools; tests/test_public_api.py checks it matches _EXPORTS
    "BookJob", "DataHome", "FinetuneJob", "KokoroConfig", "KokoroError", "KokoroModel", "PhonemeVocab", "Pipeline",
    "Speech", "SpeechChunk", "TextFrontend", "VoiceJob", "VoiceStore", "WordTimestamp", "dub", "evaluate_voice",
    "finetune", "load_corpus", "load_model", "make_book", "make_voice", "read_book", "read_subtitle_file",
    "__version__",
]  # fmt: skip

if TYPE_CHECKING:
    from kokoro_tui.books.job import BookJob, make_book
    from kokoro_tui.books.reader import read_book
    from kokoro_tui.errors import KokoroError
    from kokoro_tui.home import DataHome
    from kokoro_tui.model.config import KokoroConfig
    from kokoro_tui.model.kokoro import KokoroModel
    from kokoro_tui.model.loading import load_model
    from kokoro_tui.speech.dubbing import dub
    from kokoro_tui.speech.pipeline import Pipeline
    from kokoro_tui.speech.subtitle_reader import read_subtitle_file
    from kokoro_tui.speech.types import Speech, SpeechChunk, WordTimestamp
    from kokoro_tui.text.frontend import TextFrontend
    from kokoro_tui.text.vocab import PhonemeVocab
    from kokoro_tui.training.corpus import load_corpus
    from kokoro_tui.training.voice_eval import evaluate_voice
    from kokoro_tui.training.voice_job import VoiceJob, make_voice
    from kokoro_tui.voices.store import VoiceStore


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kokoro_tui' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
