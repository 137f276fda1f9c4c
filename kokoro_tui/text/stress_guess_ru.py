"""Guess the stress of a Russian word that no mark and no lexicon gives, from the lexicon's own words.

In the order tried: ё is always stressed; a word of one vowel has nothing to choose; a known
word behind a prefix keeps its stress ("не" + "в+ажно"; "вы-" takes it, "в+ыход"); a known
stem keeps what its listed forms agree on ("раб+ота" gives "раб+отами", "говор+ить" gives
"говор+ил"); then the word's endings vote as the lexicon's words with those endings do
("-ание": the а before it), each of its last one to six letters weighed by its length, together
with how often words of that many vowels are stressed on each syllable.
Everything is learned from the lexicon when the guesser is built, so a user's entries teach it too.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from enum import Enum

from kokoro_tui.text.lexicon_ru import Entry, vowel_count, yo_stress


class Source(Enum):
    """Where a word's stress came from, strongest first."""

    MARK = "explicit mark"
    USER = "user lexicon"
    LEXICON = "built-in lexicon"
    YO = "ё"
    ONE_VOWEL = "one vowel"
    PREFIX = "prefix of a known word"
    STEM = "known stem"
    ENDING = "ending statistics"


# Prefixes a known word may carry, longest first so "пере" is tried before "пе…".
PREFIXES = ("пере", "пред", "разо", "без", "бес", "воз", "вос", "раз", "рас", "при", "про", "под", "над",
            "обо", "не", "ни", "по", "за", "на", "вы", "до", "от", "об", "со", "из", "ис", "вз", "вс")  # fmt: skip
STRESSED_PREFIX = "вы"  # вы- takes the stress of perfective verbs and their nouns: выход, выписать
# Inflectional endings, for stems shared by the forms of a word (reflexive ся/сь are stripped first).
ENDINGS = frozenset(
    "а я о е ё у ю ы и ь й ой ей ий ый ая яя ое ее ые ие ого его ому ему ым им ом ем ём ую юю ых их ыми ими "
    "ам ям ами ями ах ях ов ев ою ею ью ия ию ием иям иями иях "
    "ть ти ать ять еть ить уть ыть оть ешь ёшь ет ёт ете ёте ут ют ишь ит ите ат ят "
    "аю аешь ает аем аете ают яю яешь яет яем яете яют ую уешь ует уем уете уют "
    "л ла ло ли ал ала ало али ял яла яло яли ел ела ело ели ил ила ило или ыл ыла ыло ыли "
    "ьте йте".split()
)
REFLEXIVE = ("ся", "сь")
SHORTEST_STEM = 3
LONGEST_SUFFIX = 6
SMOOTHING = 0.1  # added to every count of the ending votes, so an unseen place is unlikely, not impossible


def _without_reflexive(word: str) -> str:
    """``word`` without a final -ся/-сь ("учиться" -> "учить")."""
    for tail in REFLEXIVE:
        if word.endswith(tail) and vowel_count(word[: -len(tail)]) > 0:
            return word[: -len(tail)]
    return word


def _splits(word: str) -> list[tuple[str, str]]:
    """(stem, ending) for every listed ending of ``word``, the longest ending first."""
    base = _without_reflexive(word)
    found = [(base[: len(base) - len(end)], end) for end in ENDINGS if base.endswith(end)]
    found.append((base, ""))
    found = [(stem, end) for stem, end in found if len(stem) >= SHORTEST_STEM and vowel_count(stem) > 0]
    return sorted(found, key=lambda split: -len(split[1]))


class StressGuesser:
    """Stress rules learned from a lexicon (key -> Entry)."""

    def __init__(self, lexicon: Mapping[str, Entry]) -> None:
        self._known = lexicon
        self._stems: dict[str, Counter[tuple[str, int]]] = defaultdict(Counter)
        self._endings: dict[str, Counter[int]] = defaultdict(Counter)  # ending -> stressed vowel counted from the end
        self._by_length: dict[int, Counter[int]] = defaultdict(Counter)  # vowels -> stressed vowel from the end
        for word, entry in lexicon.items():
            vowels = vowel_count(word)
            for stem, end in _splits(word):
                in_stem = vowel_count(stem)
                if entry.stress < in_stem:
                    # With a vowelless ending the stress could be nowhere else: weaker evidence.
                    self._stems[stem]["stem" if vowel_count(end) else "forced", entry.stress] += 1
                else:
                    self._stems[stem]["end", entry.stress - in_stem] += 1
            for length in range(1, min(LONGEST_SUFFIX, len(word) - 1) + 1):
                self._endings[word[-length:]][vowels - 1 - entry.stress] += 1
            self._by_length[vowels][vowels - 1 - entry.stress] += 1

    def guess(self, word: str) -> tuple[int, Source]:
        """The stressed vowel of ``word`` (lower case, no marks) and the rule that chose it."""
        vowels = vowel_count(word)
        yo = yo_stress(word)
        if yo is not None:
            return yo, Source.YO
        if vowels <= 1:
            return 0, Source.ONE_VOWEL
        for rule, source in ((self._prefixed, Source.PREFIX), (self._stemmed, Source.STEM)):
            found = rule(word)
            if found is not None and 0 <= found < vowels:
                return found, source
        return self._by_ending(word, vowels), Source.ENDING

    def _prefixed(self, word: str) -> int | None:
        for prefix in PREFIXES:
            rest = word[len(prefix) :]
            if word.startswith(prefix) and len(rest) >= SHORTEST_STEM and rest in self._known:
                return 0 if prefix == STRESSED_PREFIX else vowel_count(prefix) + self._known[rest].stress
        return None

    def _stemmed(self, word: str) -> int | None:
        for stem, end in _splits(word):
            places = {place for place in self._stems.get(stem, ()) if place[0] != "forced"}
            if len(places) != 1:
                continue  # no decisive form, or forms that disagree: mobile stress
            ((kind, index),) = places
            if kind == "stem":
                return index
            if vowel_count(end):
                return vowel_count(stem) + min(index, vowel_count(end) - 1)
        return None

    def _by_ending(self, word: str, vowels: int) -> int:
        """The place the word's endings and its length vote for (log-probabilities, longer endings louder)."""
        prior = self._by_length.get(vowels, Counter())
        best, best_score = 0, -math.inf
        for from_end in range(vowels):
            score = math.log((prior[from_end] + 1) / (sum(prior.values()) + vowels))
            for length in range(1, min(LONGEST_SUFFIX, len(word) - 1) + 1):
                counts = self._endings.get(word[-length:])
                if not counts:
                    break
                score += length * math.log((counts[from_end] + SMOOTHING) / (sum(counts.values()) + SMOOTHING * vowels))
            if score > best_score:
                best, best_score = from_end, score
        return vowels - 1 - best
