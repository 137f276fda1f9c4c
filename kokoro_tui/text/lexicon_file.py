"""``HOME/lexicon.tsv``, the user's lexicon on disk: read it, change it an entry at a time.

A line is ``word<TAB>phonemes`` or ``word<TAB>phonemes<TAB>language``; a line starting with ``#`` is
a comment. A change keeps every other line as it was (comments, order, hand edits) and replaces the
file atomically, so a killed `kokoro lexicon add` leaves the old file or the new one, never half; a
lock held around each change keeps two `kokoro lexicon add` at once from each dropping the other's entry.
A line that does not parse (its bytes not UTF-8 included: an editor saved it in another
encoding) is skipped with a warning naming it: a hand edit gone wrong never stops speech, and never
passes unnoticed. A change refuses such a file rather than rewrite what it cannot read.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from kokoro_tui.atomic import atomic_write_text, exclusive, make_parent
from kokoro_tui.errors import KokoroError, path_error
from kokoro_tui.text.lexicon import COMMENT, Entry, Lexicon, fold, make_entry

HEADER = f"{COMMENT} kokoro-tui lexicon: word<TAB>phonemes<TAB>language code (none: every language)\n"


def parse_line(line: str) -> Entry | None:
    """The entry of one line; None for a blank line or a comment; a KokoroError for anything else."""
    if not line.strip() or line.lstrip().startswith(COMMENT):
        return None
    fields = line.rstrip("\r\n").split("\t")
    if len(fields) not in (2, 3):
        raise KokoroError("not word<TAB>phonemes or word<TAB>phonemes<TAB>language")
    return make_entry(*fields)


def _entry(line: str) -> Entry | None:
    try:
        return parse_line(line)
    except KokoroError:
        return None


def _lines(path: Path) -> list[str]:
    """The file's lines with their ends; none when there is no file yet."""
    try:
        return path.read_text(encoding="utf-8-sig").splitlines(keepends=True)  # -sig: Notepad starts with a BOM
    except FileNotFoundError:
        return []
    except UnicodeDecodeError:
        raise KokoroError(f"the lexicon {path} is not UTF-8 text", hint="save it as UTF-8, then try again") from None
    except OSError as error:
        raise path_error("read", path, error) from error


def _read_bytes(path: Path) -> bytes:
    """The file's bytes without the BOM Notepad starts it with; none when there is no file yet."""
    try:
        return path.read_bytes().removeprefix(codecs.BOM_UTF8)
    except FileNotFoundError:
        return b""
    except OSError as error:
        raise path_error("read", path, error) from error


def read_lexicon(path: Path, warn: Callable[[str], None]) -> Lexicon:
    """The lexicon at ``path`` (empty when there is none); each bad line skipped with a warning."""
    entries = []
    for number, data in enumerate(_read_bytes(path).splitlines(), 1):
        try:
            entry = parse_line(data.decode("utf-8"))
        except UnicodeDecodeError:
            warn(f"{path.name} line {number} is skipped: it is not UTF-8 text")
            continue
        except KokoroError as error:
            warn(f"{path.name} line {number} is skipped: {error}")
            continue
        if entry is not None:
            entries.append(entry)
    return Lexicon(entries)


def _write(path: Path, lines: list[str]) -> None:
    atomic_write_text(path, "".join(line if line.endswith("\n") else line + "\n" for line in lines))


def _lock_path(path: Path) -> Path:
    """Hidden, beside the lexicon: ``HOME/.lexicon.tsv.lock``."""
    return path.with_name(f".{path.name}.lock")


def _locked(path: Path) -> AbstractContextManager[None]:
    """The lexicon's inter-process lock, held for a read-modify-write."""
    return exclusive(_lock_path(path), f"the lexicon {path}", path)


def add_entry(path: Path, entry: Entry) -> Entry | None:
    """Add ``entry``, in place of the entry of the same word and language if there is one (returned)."""
    make_parent(path)
    with _locked(path):
        return _add_unlocked(path, entry)


def _add_unlocked(path: Path, entry: Entry) -> Entry | None:
    lines = _lines(path)
    replaced = None
    kept: list[str] = []
    for line in lines:
        found = _entry(line)
        if found is not None and found.key == entry.key:
            if replaced is None:
                kept.append(entry.line())
            replaced = replaced or found
            continue
        kept.append(line)
    if replaced is None:
        kept += ([] if lines else [HEADER]) + [entry.line()]
    _write(path, kept)
    return replaced


def remove_entries(path: Path, word: str, lang: str | None = None) -> list[Entry]:
    """Remove ``word``'s entries: the one of ``lang``, or every one when ``lang`` is None; returns them."""
    if not path.parent.is_dir():  # no data home yet: no entry, and no folder to make for the lock
        return []
    with _locked(path):
        return _remove_unlocked(path, word, lang)


def _remove_unlocked(path: Path, word: str, lang: str | None) -> list[Entry]:
    kept: list[str] = []
    removed: list[Entry] = []
    for line in _lines(path):
        found = _entry(line)
        if found is not None and fold(found.word) == fold(word) and (lang is None or found.lang == lang):
            removed.append(found)
        else:
            kept.append(line)
    if removed:
        _write(path, kept)
    return removed
