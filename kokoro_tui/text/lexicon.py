"""The user's lexicon: words (or phrases) said with the phonemes the user chose, wherever they occur.

Entries are found in the text before the G2P reads it, as whole words and without regard to case, in
their language or, when an entry names none, in every language; for one word an entry of the text's
language wins over one for all. "tomato" matches "Tomato," and "'tomato'" but not "tomatoes",
"tomato's" or "green-tomato": an apostrophe or hyphen joined to letters makes another word.

This stays apart from the Russian stress lexicon (``ru_stress.tsv``, ``lexicon_ru``) on purpose. That
one only says which vowel is stressed and leaves the sounds to the Russian rules, which also shape a
word by its neighbours (voicing and reduction across "в городе"), so it is what a Russian word almost
always wants. An entry here replaces a word's phonemes outright, in any language, Russian included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kokoro_tui.errors import KokoroError
from kokoro_tui.text.languages import language
from kokoro_tui.text.overrides import Override
from kokoro_tui.text.vocab import PhonemeVocab

COMMENT = "#"  # starts a comment line in lexicon.tsv, so no word may start with it
# No letter, digit, or letter-joined apostrophe or hyphen on either side of a match.
_BEFORE = r"(?<!\w)(?<!\w['’-])"
_AFTER = r"(?!\w)(?!['’-]\w)"


def fold(word: str) -> str:
    """The form entries are matched in: single spaces, case folded."""
    return " ".join(word.split()).casefold()


@dataclass(frozen=True)
class Entry:
    word: str
    phonemes: str
    lang: str | None = None  # a language code; None for every language

    @property
    def key(self) -> tuple[str, str | None]:
        """One entry per key: adding the same word for the same language replaces it."""
        return fold(self.word), self.lang

    def line(self) -> str:
        """The entry as a line of ``lexicon.tsv``."""
        return "\t".join([self.word, self.phonemes, *([self.lang] if self.lang else [])]) + "\n"


def make_entry(word: str, phonemes: str, lang: str | None = None, vocab: PhonemeVocab | None = None) -> Entry:
    """A checked entry, its spaces tidied and its language a code; a KokoroError saying what is wrong."""
    word, phonemes = " ".join(word.split()), " ".join(phonemes.split())
    if not word:
        raise KokoroError("the word is empty")
    if word.startswith(COMMENT):
        raise KokoroError(f"{word!r} starts with {COMMENT!r}, which marks a comment in the lexicon file")
    if not any(char.isalnum() for char in word):
        raise KokoroError(f"{word!r} has no letter or digit to find in a text")
    if not phonemes:
        raise KokoroError(f"no phonemes given for {word!r}")
    unknown = (vocab or PhonemeVocab.default()).missing(phonemes)
    if unknown:
        raise KokoroError(
            f"the model has no phoneme symbol {', '.join(unknown)} (in {phonemes!r})",
            hint="`kokoro phonemize WORD` shows the symbols it uses",
        )
    lang = lang.strip() if lang else None
    return Entry(word, phonemes, language(lang).code if lang else None)


class Lexicon:
    """Entries, and the matcher of each language built on first use."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self.entries = tuple(entries)
        self._matchers: dict[str, tuple[re.Pattern[str] | None, dict[str, str]]] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def _matcher(self, lang: str) -> tuple[re.Pattern[str] | None, dict[str, str]]:
        if lang not in self._matchers:
            said = {fold(entry.word): entry.phonemes for entry in self.entries if entry.lang is None}
            said.update({fold(entry.word): entry.phonemes for entry in self.entries if entry.lang == lang})
            # Longest first, so that "new york city" wins over "new york" where both fit.
            words = sorted(said, key=len, reverse=True)
            alternatives = "|".join(r"\s+".join(re.escape(part) for part in word.split()) for word in words)
            pattern = re.compile(f"{_BEFORE}(?:{alternatives}){_AFTER}", re.IGNORECASE) if words else None
            self._matchers[lang] = (pattern, said)
        return self._matchers[lang]

    def find(self, text: str, lang: str) -> list[Override]:
        """Where entries of language ``lang`` occur in ``text``, with their phonemes."""
        pattern, said = self._matcher(lang)
        if pattern is None:
            return []
        found = ((match, said.get(fold(match.group()))) for match in pattern.finditer(text))
        return [Override(match.start(), match.end(), phonemes) for match, phonemes in found if phonemes]

    def said_in(self, text: str, lang: str) -> list[tuple[str, str]]:
        """The (word, phonemes) of the entries ``text`` uses, sorted: what a cached rendering depends on."""
        return sorted({(fold(text[found.start : found.end]), found.phonemes) for found in self.find(text, lang)})
