"""Rule-based Russian G2P: stress, then letters to phones, word by word with the text's spans.

No espeak and no model: ``stress_ru`` finds each word's stress (marks, lexicons, guesses),
``respell_ru`` and ``phonology_ru`` turn it into phones. Prepositions and не/ни have no
stress of their own and are read together with the word after them ("в городе": voicing and
vowel reduction run across both), yet each keeps its own span and phonemes for timestamps;
a preposition without a vowel (в, к, с) is joined to that word without a space, as it is
said. A hyphenated word ("кто-то", "из-за") is one word with one phoneme string.
Punctuation Kokoro knows is kept as the other languages keep it; other marks are silent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kokoro_tui.home import resolve_home
from kokoro_tui.text.acronyms_ru import spelled
from kokoro_tui.text.alphabet_ru import LETTERS, VOWELS
from kokoro_tui.text.latin_ru import to_russian
from kokoro_tui.text.lexicon_ru import MARKS, USER_FILE, key, load_user, split_marks
from kokoro_tui.text.numbers_ru import DIGITS
from kokoro_tui.text.phonology_ru import Part, transcribe
from kokoro_tui.text.respell_ru import respell
from kokoro_tui.text.stress_ru import StressReader
from kokoro_tui.text.tokens import RawToken

# Words without a stress of their own that lean on the next word.
PROCLITICS = frozenset(
    "в во без безо для до за из изо к ко на над о об обо от ото по под подо пред предо при про с со у "
    "не ни".split()
)
# Words without a stress of their own that stand alone (conjunctions, particles).
UNSTRESSED = frozenset("и а но же ж ли ль бы б".split())
# Parts of a hyphenated word said without stress: "кто-то", "из-за", "по-русски", "кое-что".
UNSTRESSED_PARTS = frozenset("то либо нибудь ка таки де кое из по".split())
# "не был", "не было", "не были": the stress moves onto не.
STRESSED_NE = frozenset({"был", "было", "были"})
KEPT_PUNCTUATION = frozenset(';:,.!?—…"()“”')

# A letter, an accent, or a "+" stress mark before a letter (the corpora put it before the vowel).
_LETTER = r"(?:[^\W\d_]|[\u0300\u0301]|\+(?=[^\W\d_]))"
_TOKEN = re.compile(rf"(?P<word>{_LETTER}+(?:[-'’]{_LETTER}+)*)|(?P<digits>\d+)|(?P<mark>[^\w\s]+|_+)")


@dataclass
class _Word:
    """One written word of the paragraph and the parts it is read as."""

    start: int
    end: int
    plain: str  # lower case, no marks, ё as е
    parts: list[Part]
    joins_next: bool = False  # a proclitic: read together with the next word
    separator: str = ""  # between the phonemes of its parts ("" for кто-то, " " for a spelled USB)


class RussianG2P:
    """Russian text to phonemes. ``lexicon`` is a user stress TSV; by default the data home's
    ``ru_stress.tsv`` when there is one."""

    def __init__(self, lexicon: str | Path | None = None) -> None:
        if lexicon is None:
            found = resolve_home().root / USER_FILE
            lexicon = found if found.is_file() else None
        self.stress = StressReader(load_user(lexicon) if lexicon is not None else None)

    def _part(self, written: str, stressed: bool = True) -> Part:
        """One piece of a word: Russian letters (Latin sounded out), stress marks kept for the reader."""
        letters = "".join(char for char in to_russian(written.lower()) if char in LETTERS or char in MARKS)
        plain, mark = split_marks(letters)
        if not any(char in VOWELS for char in plain):
            return Part(respell(plain), None)
        found = self.stress(letters)
        return Part(respell(found.spelling), found.stress if stressed or mark is not None else None)

    def _word(self, start: int, written: str) -> _Word:
        end, plain = start + len(written), key(written)
        names = spelled(written)
        if names is not None:
            return _Word(start, end, plain, [self._part(name) for name in names], separator=" ")
        pieces = re.split(r"[-'’]", written)
        if len(pieces) == 1:
            clitic = plain in PROCLITICS or plain in UNSTRESSED
            return _Word(start, end, plain, [self._part(written, not clitic)], joins_next=plain in PROCLITICS)
        stressed = [key(piece) not in UNSTRESSED_PARTS for piece in pieces]
        if not any(stressed):
            stressed[-1] = True  # "из-за", "из-под": said as one word stressed on its last part
        return _Word(start, end, plain, [self._part(piece, stress) for piece, stress in zip(pieces, stressed)])

    def _digits(self, start: int, digits: str) -> _Word:
        """Digits the normaliser left (a direct call, not through the front end): one digit at a time."""
        parts = [self._part(DIGITS[int(digit)]) for digit in digits]
        return _Word(start, start + len(digits), digits, parts, separator=" ")

    def __call__(self, text: str) -> list[RawToken]:
        tokens: list[RawToken] = []
        group: list[_Word] = []
        for match in _TOKEN.finditer(text):
            if match["mark"] is not None:
                tokens += self._flush(group, text)
                group = []
                kept = "".join(char for char in match.group() if char in KEPT_PUNCTUATION)
                tokens.append(RawToken(match.start(), match.end(), kept, _space_after(text, match.end()), True))
                continue
            if match["word"] is not None:
                word = self._word(match.start(), match["word"])
            else:
                word = self._digits(match.start(), match["digits"])
            group.append(word)
            if not word.joins_next:
                tokens += self._flush(group, text)
                group = []
        return tokens + self._flush(group, text)

    def _flush(self, group: list[_Word], text: str) -> list[RawToken]:
        """Read a host word with the proclitics before it as one phonological word."""
        if not group:
            return []
        if len(group) >= 2 and group[-2].plain == "не" and group[-1].plain in STRESSED_NE:
            group[-2].parts[0] = Part(group[-2].parts[0].letters, 0)
            group[-1].parts[0] = Part(group[-1].parts[0].letters, None)
        # A spelled word's letter names are words of their own: one phonological word each.
        segments: list[list[Part]] = [[]]
        for word in group:
            for index, part in enumerate(word.parts):
                if index and word.separator:
                    segments.append([])
                segments[-1].append(part)
        phones = iter([phone for segment in segments for phone in transcribe(segment)])
        tokens = []
        for word in group:
            phonemes = word.separator.join("".join(next(phones)) for _ in word.parts)
            vowelless = not any(char in VOWELS for part in word.parts for char in part.letters)
            joined = word.joins_next and word is not group[-1] and vowelless
            space = _space_after(text, word.end) and not joined
            tokens.append(RawToken(word.start, word.end, phonemes, space, False))
        return tokens


def _space_after(text: str, end: int) -> bool:
    return end < len(text) and text[end].isspace()
