"""A book's work folder, ``HOME/books/<digest of the file's path>/``: each chapter's audio, kept to resume.

A chapter is rendered once per key: the hash of its paragraphs and of everything besides the text
that shapes its audio (``Voicing``: voice and the voice pack's bytes, language, speed, paragraph
pause, backend, model file, precision, seed, markup read or not) and of the user's lexicon entries the chapter
says, so that a new pronunciation re-renders only the chapters with that word. Its audio
(``chapters/KEY.flac``) is written first, then its word timings (``chapters/KEY.json``), each
atomically, so a chapter whose timings file exists is complete (one with nothing the voice can
say has a record of no samples and no audio file). A killed run finds its finished chapters
again; a changed option changes the keys of the chapters it changes and no other. The
folder is named by where the file is, not by its content or the options: an edited chapter of a
Markdown book, like a changed speed, then re-renders only the chapters whose keys changed, in the
same folder. Its ``log.jsonl`` is the run log, and ``split_files.json`` the names of the chapter files
its runs wrote into each output folder (``split_files``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from kokoro_tui.atomic import atomic_write_text
from kokoro_tui.books.book import Chapter
from kokoro_tui.home import DataHome
from kokoro_tui.model.config import MAX_TOKENS
from kokoro_tui.speech.types import WordTimestamp

CHAPTERS_DIR = "chapters"
AUDIO_FORMAT = "flac"  # lossless and half the size of WAV; soundfile reads it back in blocks
#: Part of every key: raise it when rendering changes so that old chapter files are not reused.
KEY_VERSION = 1
DIGEST_CHARS = 16
KEY_CHARS = 24
SPLIT_RECORD = "split_files.json"


@dataclass(frozen=True)
class Voicing:
    """Everything besides the text that shapes a chapter's audio (not the device: it changes speed, not sound)."""

    voice: str
    voice_digest: str  # the pack's bytes: a voice saved again under its name renders again
    lang: str
    speed: float
    paragraph_pause_s: float
    backend: str
    precision: str
    seed: int | None
    markup: bool
    model: str | None = None  # a model file other than the home's (``job.model_identity``)
    max_chunk_tokens: int = MAX_TOKENS  # where runs of sentences are split into chunks (``Pipeline``)


@dataclass(frozen=True)
class RenderedChapter:
    key: str
    audio: Path
    samples: int
    words: tuple[WordTimestamp, ...]


def chapter_key(chapter: Chapter, voicing: Voicing, lexicon: Sequence[tuple[str, str]] = ()) -> str:
    """``lexicon``: the (word, phonemes) of the lexicon entries the chapter says (``Lexicon.said_in``)."""
    content = {"v": KEY_VERSION, "paragraphs": chapter.paragraphs, "lexicon": list(lexicon), **asdict(voicing)}
    payload = json.dumps(content, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:KEY_CHARS]


def path_digest(path: Path) -> str:
    return hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:DIGEST_CHARS]


class WorkFolder:
    def __init__(self, home: DataHome, digest: str) -> None:
        self.digest = digest
        self.root = home.books / digest
        self.chapters = self.root / CHAPTERS_DIR

    def audio_path(self, key: str) -> Path:
        return self.chapters / f"{key}.{AUDIO_FORMAT}"

    def timings_path(self, key: str) -> Path:
        return self.chapters / f"{key}.json"

    def rendered(self, key: str) -> RenderedChapter | None:
        """The chapter of this key if it was rendered completely, else None: also for an unreadable record
        or an audio file that is not as long as its record says (damaged since), so it renders again."""
        import soundfile

        try:
            chapter = self._from_record(key, json.loads(self.timings_path(key).read_text(encoding="utf-8")))
            if not chapter.samples:  # nothing to say in it: no audio file (``job._render``)
                return chapter
            return chapter if soundfile.info(str(chapter.audio)).frames == chapter.samples else None
        except (OSError, ValueError, KeyError, TypeError, RuntimeError):  # RuntimeError: libsndfile's
            return None

    def _from_record(self, key: str, record: dict) -> RenderedChapter:
        words = tuple(WordTimestamp(w["word"], w["start"], w["end"], w["start_char"], w["end_char"]) for w in record["words"])
        return RenderedChapter(key, self.audio_path(key), int(record["samples"]), words)

    def save_timings(self, key: str, samples: int, words: list[WordTimestamp]) -> RenderedChapter:
        """Record a chapter whose audio is written: from now on it counts as rendered. Returned as a
        later run reads it back (times to the millisecond), so a resumed book equals a straight one."""
        record = {"samples": samples, "words": [word.to_dict() for word in words]}
        atomic_write_text(self.timings_path(key), json.dumps(record, ensure_ascii=False) + "\n")
        return self._from_record(key, record)

    def _split_record(self) -> dict[str, list[str]]:
        """Output folder -> names; a missing or damaged record is empty (so nothing is taken for ours)."""
        try:
            record = json.loads((self.root / SPLIT_RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(record, dict):
            return {}
        return {
            folder: [name for name in names if isinstance(name, str)]
            for folder, names in record.items() if isinstance(names, list)
        }

    def split_files(self, output: Path) -> set[str]:
        """The names of the files this book's runs wrote into the folder ``output``, as recorded."""
        return set(self._split_record().get(str(output.resolve()), []))

    def record_split_files(self, output: Path, names: set[str]) -> None:
        record = self._split_record()
        record[str(output.resolve())] = sorted(names)
        atomic_write_text(self.root / SPLIT_RECORD, json.dumps(record, ensure_ascii=False, indent=1) + "\n")

    def prune(self, keep: set[str]) -> None:
        """Remove the chapter files of other keys (older options, an edited book), so the folder does not grow."""
        if not self.chapters.is_dir():
            return
        for path in self.chapters.iterdir():
            if path.is_file() and not path.name.startswith(".") and path.name.split(".")[0] not in keep:
                os.unlink(path)
