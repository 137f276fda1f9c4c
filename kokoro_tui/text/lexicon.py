"""The user's lexicon: words (or phrases) said with the phonemes the user chose, wherever they occur.

Entries are found in the text before the G2P reads it, as whole words and without regard to case, in
their language or, when an entry names none, in every language; for one word an entry of the text's
language wins over one for all. "tomato" matches "Tomato," and "'tomato'" but not "tomatoes",
"tomato's" or "green-tomato": an apostrophe or hyphen joined to letters makes another word. A text's
typographic apostrophe or hyphen is its plain one ("O'Brien" matches a book's "O’Brien"), a phrase
may wrap at a line end but never spans a blank line (a paragraph break), and Chinese and Japanese,
written without spaces, need no boundary beside their characters ("東京" is found in "東京に").

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
from kokoro_tui.text.overrides import Override, length_problem, symbol_advice
from kokoro_tui.text.vocab import PhonemeVocab

COMMENT = "#"  # starts a comment line in lexicon.tsv, so no word may start with it
IPA_SLASH = "/"  # IPA is quoted between two; no phoneme symbol is one
# The marks a text writes in more than one way, each under its plain form.
_VARIANTS = {"'": "'\u2019\u2018\u02bc", "-": "-\u2010\u2011"}
_PLAIN = str.maketrans({variant: plain for plain, variants in _VARIANTS.items() for variant in variants})
_JOINERS = "[" + re.escape("".join(_VARIANTS.values())) + "]"
# A letter or digit of a script that spaces its words: kana, Han and Bopomofo are not, so they bound a match.
_SPACED = r"[^\W\u3040-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003ffff]"
# No such letter, nor one joined by an apostrophe or hyphen, on either side of a match.
_BEFORE = rf"(?<!{_SPACED})(?<!{_SPACED}{_JOINERS})"
_AFTER = rf"(?!{_SPACED})(?!{_JOINERS}{_SPACED})"
# Between the words of a phrase: spaces with at most one line break, never a paragraph break.
_GAP = r"(?=\s)[^\S\n\u2029]*\n?[^\S\n\u2029]*"


def fold(word: str) -> str:
    """The form entries are matched in: plain apostrophes and hyphens, single spaces, case folded."""
    return " ".join(word.translate(_PLAIN).split()).casefold()


def _written(word: str) -> str:
    """A pattern of folded ``word`` as a text may write it."""
    marks = (f"[{re.escape(_VARIANTS[char])}]" if char in _VARIANTS else re.escape(char) for char in word)
    return "".join(_GAP if mark == re.escape(" ") else mark for mark in marks)


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
    """A checked entry, its spaces tidied, the slashes IPA is quoted in ("/təmˈɑːtoʊ/") taken off its phonemes
    (on the command line and in a hand-edited file alike), and its language a code; a KokoroError saying what
    is wrong."""
    word, phonemes = " ".join(word.split()), " ".join(phonemes.strip().strip(IPA_SLASH).split())
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
            f"the model has no phoneme symbol {', '.join(unknown)} (in {phonemes!r}){symbol_advice(unknown)}",
            hint="`kokoro phonemize WORD` shows the symbols it uses",
        )
    too_long = length_problem(phonemes)
    if too_long:
        raise KokoroError(f"{word!r} has {too_long}", hint="give each word of a long phrase an entry of its own")
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
            alternatives = "|".join(_written(word) for word in words)
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
