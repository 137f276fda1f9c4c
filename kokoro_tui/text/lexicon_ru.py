"""Russian stress lexicons: the built-in TSV shipped with the package, and a user's own.

One entry per line, ``#`` starts a comment. An entry is the word written with ``+`` before
its stressed vowel (or an acute accent after it); a word with ё needs no mark, ё is the
stress. A line may also be ``plain<TAB>marked`` ("замок<TAB>зам+ок"), the form other tools
export. Words are looked up without case and with ё read as е, so "еще" finds "ещё" and is
said with its ё.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kokoro_tui.errors import KokoroError
from kokoro_tui.text.alphabet_ru import VOWELS

BUILTIN = "ru_stress.tsv"
USER_FILE = "ru_stress.tsv"  # in the data home
PLUS = "+"
ACUTE = "\u0301"
GRAVE = "\u0300"
MARKS = frozenset({PLUS, ACUTE, GRAVE})


@dataclass(frozen=True)
class Entry:
    """How a word is spelled when said (ё restored) and which of its vowels is stressed (0-based)."""

    spelling: str
    stress: int


def key(word: str) -> str:
    """The lookup form: lower case, ё as е, no stress marks."""
    return "".join(char for char in word.lower() if char not in MARKS).replace("ё", "е")


def vowel_count(word: str) -> int:
    return sum(char in VOWELS for char in word)


def split_marks(word: str) -> tuple[str, int | None]:
    """``word`` without stress marks, and the index of the first marked vowel (None when unmarked).

    ``+`` marks the vowel after it (the corpus convention); U+0301 and U+0300 the vowel before.
    """
    plain: list[str] = []
    marked: int | None = None
    pending = False
    for char in word:
        if char == PLUS:
            pending = True
            continue
        if char in (ACUTE, GRAVE):
            if marked is None and plain and plain[-1].lower() in VOWELS:
                marked = vowel_count("".join(plain).lower()) - 1
            continue
        if pending and char.lower() in VOWELS and marked is None:
            marked = vowel_count("".join(plain).lower())
        pending = pending and char.lower() not in VOWELS
        plain.append(char)
    return "".join(plain), marked


def yo_stress(word: str) -> int | None:
    """The index of the vowel ё, which is always stressed (None without a ё)."""
    at = word.find("ё")
    return None if at < 0 else vowel_count(word[:at])


def parse(line: str) -> tuple[str, Entry] | None:
    """The key and entry of one lexicon line; None for a blank line, a comment or no stress found."""
    text = line.split("#", 1)[0].strip()
    if not text:
        return None
    marked = text.split("\t")[-1].strip().lower()
    spelling, stress = split_marks(marked)
    if stress is None:
        stress = yo_stress(spelling)
    if stress is None and vowel_count(spelling) == 1:
        stress = 0
    if stress is None or not spelling:
        return None
    return key(spelling), Entry(spelling, stress)


def read_entries(lines: Iterable[str]) -> Iterator[tuple[str, Entry]]:
    for line in lines:
        parsed = parse(line)
        if parsed is not None:
            yield parsed


@lru_cache(maxsize=1)
def builtin() -> dict[str, Entry]:
    """The lexicon shipped in ``kokoro_tui/text/data/ru_stress.tsv``, read once."""
    text = (resources.files("kokoro_tui.text") / "data" / BUILTIN).read_text(encoding="utf-8")
    return dict(read_entries(text.splitlines()))


def load_user(path: str | Path) -> dict[str, Entry]:
    """A user's lexicon file; a KokoroError naming the file when it cannot be read."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KokoroError(f"no Russian stress lexicon at {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise KokoroError(f"cannot read the Russian stress lexicon {path}: {error}") from None
    return dict(read_entries(text.splitlines()))
