"""Where a speaker sits among the stock voices: every stock voice's speaker embedding, cached.

Each stock voice speaks ``SCAN_TEXT`` once; its embedding is kept in the data home's cache,
keyed by the language of the caller's front end (a Russian run reads the English text with
Russian phonemes, and so hears another voice) and the voice file's size and modification time,
so the scan costs about a minute the first time in each language and nothing after. Ranking by
cosine to the target speaker gives the start of the optimisation and the ``--quick`` answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kokoro_tui.atomic import atomic_write_text
from kokoro_tui.home import DataHome
from kokoro_tui.training.differentiable_speech import DifferentiableSpeech
from kokoro_tui.training.speaker import SpeakerEncoder, cosine
from kokoro_tui.voices.store import VoiceStore

#: Varied sounds, about four seconds: long enough for several partial embeddings.
SCAN_TEXT = "Good morning! The weather was calm, so we walked along the river and talked about old friends."
CACHE_NAME = "stock-speaker-embeddings.json"
SCAN_VERSION = 1


@dataclass(frozen=True)
class Ranked:
    name: str
    similarity: float


def _stamp(path: Path) -> str:
    status = path.stat()
    return f"{SCAN_VERSION}:{status.st_size}:{status.st_mtime_ns}"


def stock_embeddings(
    home: DataHome,
    speech: DifferentiableSpeech,
    encoder: SpeakerEncoder,
    names: Sequence[str],
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, np.ndarray]:
    """Speaker embeddings of ``names`` speaking ``SCAN_TEXT`` through ``speech``'s front end, cached per language."""
    store = VoiceStore(home)
    cache_path = home.cache / CACHE_NAME
    try:
        cached = json.loads(cache_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cached = {}
    result: dict[str, np.ndarray] = {}
    changed = False
    for done, name in enumerate(names, 1):
        path = store.info(name).path
        key = f"{speech.frontend.lang}/{name}"
        entry = cached.get(key)
        if isinstance(entry, dict) and entry.get("stamp") == _stamp(path):
            result[name] = np.asarray(entry["embedding"], dtype=np.float32)
        else:
            audio = speech.speak_pack(store.load(name), SCAN_TEXT)
            result[name] = encoder.embed_recording(audio, speech.rate)
            cached[key] = {"stamp": _stamp(path), "embedding": [round(float(x), 6) for x in result[name]]}
            changed = True
        if progress is not None:
            progress(done, len(names))
    if changed:
        home.ensure(home.cache)
        atomic_write_text(cache_path, json.dumps(cached))
    return result


def rank(embeddings: dict[str, np.ndarray], target: np.ndarray) -> list[Ranked]:
    """Stock voices by similarity to ``target``, most similar first."""
    ranked = [Ranked(name, cosine(embedding, target)) for name, embedding in embeddings.items()]
    return sorted(ranked, key=lambda item: -item.similarity)
