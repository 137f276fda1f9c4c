"""Which layout a folder of recordings is in, and the recordings its metadata lists.

Four layouts are read, tried in this order; the first that matches decides:

- ``jsonl``: ``train/metadata.jsonl`` (and an optional ``validation/metadata.jsonl``), or one
  ``metadata.jsonl`` at the top; a JSON object per line with ``file_name`` (relative to the
  metadata's folder) and ``text``. Ids are relative to the corpus folder (``train/audio/0001``),
  so the two splits' ``audio/0001`` stay two recordings.
- ``ljspeech``: ``metadata.csv`` with ``file|text`` or ``file|text|normalized_text``, audio in ``wavs/``.
- ``ruslan``: ``metadata_*.csv`` with ``name|text``, audio in ``wavs/``.
- ``folder``: audio files anywhere below the folder, no transcripts.

Stress marks (``+`` before the stressed vowel) are what the Russian front end reads, so a
transcript that has them is preferred: ``text_with_stress_marks`` in a jsonl line, and of several
``metadata_*.csv`` the one with the most ``+`` (RUSLAN-style corpora ship a plain copy beside it,
and reading both would list every recording twice).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kokoro_tui.errors import KokoroError, path_error

AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".mp3")
STRESSED_TEXT_KEY = "text_with_stress_marks"
STRESS_MARK = "+"
EXPECTED = (
    "train/metadata.jsonl or metadata.jsonl (file_name, text), metadata.csv (LJSpeech: wavs/ and file|text), "
    f"metadata_*.csv (RUSLAN: wavs/ and name|text), or audio files ({', '.join(AUDIO_SUFFIXES)})"
)


@dataclass(frozen=True)
class CorpusProblem:
    """A file left out of the corpus, and why, in words the user can act on."""

    file: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


@dataclass(frozen=True)
class Entry:
    """One recording the layout names: its id, where its audio is, its transcript (None without one)."""

    id: str
    path: Path
    text: str | None


@dataclass
class Listing:
    layout: str
    train: list[Entry]
    validation: list[Entry]
    problems: list[CorpusProblem]


# (line number, id, audio path, transcript) for one metadata line that parsed
Row = tuple[int, str, Path, str]


def list_corpus(root: Path) -> Listing:
    """The layout of ``root`` and its entries; metadata lines that cannot be used become problems."""
    problems: list[CorpusProblem] = []
    if (root / "train" / "metadata.jsonl").is_file():
        validation = root / "validation" / "metadata.jsonl"
        return Listing(
            "jsonl",
            _jsonl(root / "train" / "metadata.jsonl", problems, "train"),
            _jsonl(validation, problems, "validation") if validation.is_file() else [],
            problems,
        )
    if (root / "metadata.jsonl").is_file():
        return Listing("jsonl", _jsonl(root / "metadata.jsonl", problems), [], problems)
    if (root / "metadata.csv").is_file():
        return Listing("ljspeech", _pipe_separated(root / "metadata.csv", problems), [], problems)
    tables = sorted(root.glob("metadata_*.csv"))
    if tables:
        texts = {table: _read_text(table) for table in tables}
        table = max(tables, key=lambda table: texts[table].count(STRESS_MARK))  # first of equals: sorted order
        return Listing("ruslan", _pipe_separated(table, problems, texts[table]), [], problems)
    audio = sorted(path for path in root.rglob("*") if path.suffix.lower() in AUDIO_SUFFIXES and path.is_file())
    if audio:
        entries = [Entry(path.relative_to(root).with_suffix("").as_posix(), path, None) for path in audio]
        return Listing("folder", entries, [], problems)
    raise KokoroError(f"no speech corpus in {root}: expected {EXPECTED}")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise path_error("read", path, error) from error
    except UnicodeDecodeError as error:
        raise KokoroError(f"cannot read {path}: not UTF-8 text (byte {error.start})") from error


def _lines(text: str) -> Iterable[tuple[int, str]]:
    """Numbered non-blank lines."""
    return ((number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip())


def _jsonl(metadata: Path, problems: list[CorpusProblem], split: str = "") -> list[Entry]:
    """The entries of one metadata.jsonl; ``split`` (its folder's name) prefixes the ids."""
    rows: list[Row] = []
    for number, line in _lines(_read_text(metadata)):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            record = None
        name = record.get("file_name") if isinstance(record, dict) else None
        if not isinstance(name, str) or not name:
            problems.append(CorpusProblem(metadata, f"line {number}: not a JSON object with a file_name"))
            continue
        text = record.get(STRESSED_TEXT_KEY) or record.get("text")
        stem = PurePosixPath(split, name).with_suffix("").as_posix()
        rows.append((number, stem, metadata.parent / name, text if isinstance(text, str) else ""))
    return _entries(rows, metadata, problems)


def _pipe_separated(metadata: Path, problems: list[CorpusProblem], text: str | None = None) -> list[Entry]:
    """LJSpeech and RUSLAN lines: ``name|text`` or ``name|text|normalized_text`` (the last preferred)."""
    rows: list[Row] = []
    for number, line in _lines(_read_text(metadata) if text is None else text):
        fields = line.split("|")
        if len(fields) < 2 or not fields[0].strip():
            problems.append(CorpusProblem(metadata, f"line {number}: expected name|text"))
            continue
        name = fields[0].strip()
        transcript = fields[2] if len(fields) > 2 and fields[2].strip() else fields[1]
        file_name = name if name.lower().endswith(".wav") else f"{name}.wav"
        rows.append((number, file_name[: -len(".wav")], metadata.parent / "wavs" / file_name, transcript))
    return _entries(rows, metadata, problems)


def _entries(rows: list[Row], metadata: Path, problems: list[CorpusProblem]) -> list[Entry]:
    """The rows whose audio exists, each file once; the others become problems naming the metadata line."""
    entries: list[Entry] = []
    first_line: dict[Path, int] = {}
    for number, stem, path, text in rows:
        where = f"line {number} of {metadata.name}"
        if path in first_line:
            problems.append(CorpusProblem(path, f"listed again on {where} (line {first_line[path]} kept)"))
        elif not path.is_file():
            problems.append(CorpusProblem(path, f"missing: listed on {where}"))
        else:
            first_line[path] = number
            entries.append(Entry(stem, path, text.strip()))
    return entries
