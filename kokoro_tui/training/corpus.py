"""A user's folder of recordings as validated training utterances: 24 kHz mono, edges trimmed, each with its text.

Voice creation and fine-tuning both start here. The layout is detected (``corpus_layouts``), every
recording is read and checked one at a time (``corpus_audio``) so only kept, resampled audio stays
in memory, and each file left out is named with its reason in ``Corpus.problems`` instead of
failing the whole load: one bad take in a thousand should cost that take, not the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.text.languages import Language, language
from kokoro_tui.training.corpus_audio import Unusable, read_recording
from kokoro_tui.training.corpus_layouts import CorpusProblem, Entry, list_corpus
from kokoro_tui.training.corpus_text import transcript_problem

__all__ = ["Corpus", "CorpusProblem", "Utterance", "load_corpus"]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Utterance:
    """One kept recording: float32 mono audio at ``SAMPLE_RATE``, silence trimmed; ``text`` None in a plain folder."""

    id: str
    path: Path
    text: str | None
    audio: np.ndarray

    @property
    def seconds(self) -> float:
        return self.audio.size / SAMPLE_RATE


@dataclass(frozen=True)
class Corpus:
    path: Path
    layout: str  # "jsonl" | "ljspeech" | "ruslan" | "folder"
    train: list[Utterance]
    validation: list[Utterance]  # empty when the layout has no validation split
    problems: list[CorpusProblem]

    @property
    def seconds(self) -> float:
        """Total kept training audio."""
        return sum(utterance.seconds for utterance in self.train)


def load_corpus(
    path: str | os.PathLike[str],
    lang: str = "a",
    max_seconds: float | None = None,
    require_text: bool = False,
    progress: Progress | None = None,
) -> Corpus:
    """Read the corpus at ``path`` for language ``lang``.

    ``max_seconds`` keeps training utterances in metadata order until the next would take the
    total past it (validation is kept whole). ``require_text`` refuses a folder without
    transcripts. ``progress(done, total)`` is called after each recording. A KokoroError says
    which folder and why when no layout matches or no training utterance is left.
    """
    root = Path(path)
    if not root.is_dir():
        raise KokoroError(f"no speech corpus at {root}: {'not a folder' if root.exists() else 'no such folder'}")
    reader = language(lang)
    listing = list_corpus(root)
    if require_text and listing.layout == "folder":
        raise KokoroError(f"{root} has audio files but no transcripts; this needs a metadata file with the text")
    problems = listing.problems
    total = len(listing.train) + len(listing.validation)
    report = progress or (lambda *_: None)
    train = _load(listing.train, reader, problems, max_seconds, lambda done: report(done, total))
    trained = len(listing.train)
    validation = _load(listing.validation, reader, problems, None, lambda done: report(trained + done, total))
    if not train:
        raise KokoroError(_nothing_kept(root, listing.layout, problems))
    return Corpus(root, listing.layout, train, validation, problems)


def _load(
    entries: list[Entry],
    reader: Language,
    problems: list[CorpusProblem],
    max_seconds: float | None,
    report: Callable[[int], None],
) -> list[Utterance]:
    """The usable entries, in order, up to ``max_seconds`` in all; the unusable ones added to ``problems``."""
    kept: list[Utterance] = []
    seconds = 0.0
    for done, entry in enumerate(entries, 1):
        utterance = _utterance(entry, reader, problems)
        if utterance is not None:
            if max_seconds is not None and seconds + utterance.seconds > max_seconds:
                if not kept:
                    raise KokoroError(
                        f"max_seconds={max_seconds:g} is shorter than the first usable recording, "
                        f"{entry.path} ({utterance.seconds:.1f} s)"
                    )
                report(len(entries))
                break
            kept.append(utterance)
            seconds += utterance.seconds
        report(done)
    return kept


def _utterance(entry: Entry, reader: Language, problems: list[CorpusProblem]) -> Utterance | None:
    reason = None if entry.text is None else transcript_problem(entry.text, reader)
    if reason is None:
        try:
            return Utterance(entry.id, entry.path, entry.text, read_recording(entry.path))
        except Unusable as error:
            reason = str(error)
    problems.append(CorpusProblem(entry.path, reason))
    return None


def _nothing_kept(root: Path, layout: str, problems: list[CorpusProblem]) -> str:
    where = f"no usable training recording in {root} ({layout} layout)"
    return f"{where}: {len(problems)} left out, the first {problems[0]}" if problems else f"{where}: it lists none"
