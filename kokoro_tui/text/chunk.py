"""Split a paragraph's words into chunks the model can take (at most 510 phoneme tokens).

Each sentence becomes its own chunk, so audio can start after the first sentence and prosody
restarts where a reader pauses. A sentence that is too long is packed by clauses (after
, ; : — …), a clause that is too long by words, and a single word that is too long is cut
by phoneme characters: no word is ever dropped. Sizes are counted in phoneme characters,
an upper bound on token ids (characters outside the vocabulary are dropped later).

Cuts fall at sentence and clause ends wherever they can, because a cut inside a clause breaks
its prosody (the model restarts its intonation at every chunk). Streaming trades some of that
for latency, in its first chunk only: with ``first_max_tokens`` the first sentence is cut after
its first clauses when they fit, and otherwise inside its first clause, at a word boundary
(before a word that opens a phrase where the language is English), so the first audio comes
after a few words instead of after a whole long sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from kokoro_tui.model.config import MAX_TOKENS
from kokoro_tui.text.languages import is_english
from kokoro_tui.text.tokens import Word

_OPENERS = frozenset("“([{«¿¡‘")

#: English words that open a phrase: conjunctions, relative words and prepositions. Where the first
#: chunk of a stream must be cut inside a clause, a cut right before one of these falls between two
#: phrases, where a reader could pause, and not between, say, an adjective and its noun. Articles
#: and other determiners are left out: a cut before one ("climbed | the stairs") parts a verb from
#: its object. Matched on a word's lower-cased text, and only for English (``chunk_words``' ``lang``).
PHRASE_OPENERS = frozenset({
    "and", "but", "or", "nor", "so", "yet", "because", "although", "though", "while", "whereas", "unless",
    "until", "since", "if",  # conjunctions
    "which", "that", "who", "whom", "whose", "where", "when",  # relative words
    "to", "of", "in", "on", "at", "for", "with", "from", "by", "into", "onto", "about", "after", "before",
    "over", "under", "through", "across", "along", "around", "behind", "between", "during", "without",
    "within", "against", "toward", "towards",  # prepositions
})

#: The fewest phoneme characters (two or three words) a first chunk cut inside a clause may have:
#: a shorter one would sound clipped and save almost no time (synthesis has a fixed cost per call).
MIN_LEAD_TOKENS = 12


@dataclass(frozen=True)
class WordAlignment:
    """A word of the original text: ``text == original[start_char:end_char]``, spoken as
    ``chunk.phonemes[phoneme_start:phoneme_end]``."""

    text: str
    start_char: int
    end_char: int
    phoneme_start: int
    phoneme_end: int
    normalized: str


@dataclass(frozen=True)
class TextChunk:
    """One model call's worth of text: the original substring, its phonemes, its words."""

    text: str
    start_char: int
    end_char: int
    phonemes: str
    words: list[WordAlignment]


def render(words: Sequence[Word]) -> tuple[str, list[WordAlignment]]:
    """The phoneme string of ``words`` and where each non-punctuation word sits in it."""
    parts: list[str] = []
    length = 0
    alignments: list[WordAlignment] = []
    for index, word in enumerate(words):
        if not word.phonemes:
            if not word.is_punct:
                alignments.append(WordAlignment(word.text, word.start, word.end, length, length, word.normalized))
            continue
        if parts and words[index - 1].space_after and not parts[-1].endswith(" "):
            parts.append(" ")
            length += 1
        if not word.is_punct:
            alignments.append(
                WordAlignment(word.text, word.start, word.end, length, length + len(word.phonemes), word.normalized)
            )
        parts.append(word.phonemes)
        length += len(word.phonemes)
    return "".join(parts), alignments


def _size(words: Sequence[Word]) -> int:
    return len(render(words)[0])


def _split_after(words: Sequence[Word], is_end: Callable[[Word], bool]) -> list[list[Word]]:
    groups: list[list[Word]] = [[]]
    for word in words:
        groups[-1].append(word)
        if is_end(word):
            groups.append([])
    return [group for group in groups if group]


def _sentences(words: Sequence[Word]) -> list[list[Word]]:
    """Split after sentence ends; marks right after one ('?!', closing quotes) stay with it."""
    groups: list[list[Word]] = [[]]
    closed = False
    for word in words:
        if closed and (not word.is_punct or any(c in _OPENERS for c in word.normalized)):
            groups.append([])
            closed = False
        groups[-1].append(word)
        closed = closed or word.ends_sentence
    return [group for group in groups if group]


def _cut_word(word: Word, max_tokens: int) -> list[list[Word]]:
    """A word longer than a whole chunk, cut into chunk-sized pieces of its phonemes.

    A rewritten token ("one hundred twenty-three") is cut at its spaces where it can be,
    and only a run without spaces that is itself too long is cut between characters.
    """
    pieces: list[str] = []
    for part in word.phonemes.split():
        for i in range(0, len(part), max_tokens):
            bit = part[i : i + max_tokens]
            if pieces and i == 0 and len(pieces[-1]) + 1 + len(bit) <= max_tokens:
                pieces[-1] += " " + bit
            else:
                pieces.append(bit)
    last = len(pieces) - 1
    return [[replace(word, phonemes=piece, space_after=word.space_after and i == last)] for i, piece in enumerate(pieces)]


def _pack(units: Sequence[list[Word]], max_tokens: int, level: int) -> Iterator[list[Word]]:
    """Greedily join ``units`` into groups that fit, splitting a unit that alone does not fit."""
    current: list[Word] = []
    for unit in units:
        if _size(current + unit) <= max_tokens:
            current = current + unit
            continue
        if current:
            yield current
            current = []
        if _size(unit) <= max_tokens:
            current = list(unit)
            continue
        if level == 0:
            parts = list(_pack(_split_after(unit, lambda w: w.ends_clause), max_tokens, 1))
        elif level == 1:
            parts = list(_pack([[word] for word in unit], max_tokens, 2))
        else:
            parts = _cut_word(unit[0], max_tokens)
        *complete, current = parts
        yield from complete
    if current:
        yield current


def _lead_clauses(sentence: list[Word], limit: int) -> tuple[list[Word], list[Word]] | None:
    """The sentence's first clauses that fit in ``limit`` and the rest, or None when the first clause
    alone is too long."""
    lead: list[Word] = []
    for clause in _split_after(sentence, lambda w: w.ends_clause):
        if _size(lead + clause) > limit:
            break
        lead += clause
    return (lead, sentence[len(lead) :]) if lead else None


def _can_cut_before(sentence: Sequence[Word], index: int) -> bool:
    """Whether ``sentence[index]`` may start a chunk: at a space between words (never inside a word,
    "ca|n't", "well|-|known"), with closing marks left with the word before and an opening mark
    (“ ( ¿) taken along with the word after."""
    before, after = sentence[index - 1], sentence[index]
    if not before.space_after or any(c in _OPENERS for c in before.normalized):
        return False
    return not after.is_punct or any(c in _OPENERS for c in after.normalized)


def _opens_phrase(sentence: Sequence[Word], index: int) -> bool:
    word = next((word for word in sentence[index:] if not word.is_punct), None)
    return word is not None and word.text.lower() in PHRASE_OPENERS


def _lead_words(sentence: list[Word], limit: int, phrases: bool) -> tuple[list[Word], list[Word]] | None:
    """The sentence cut at a word boundary within ``limit``: the last one before a phrase opener when
    ``phrases`` (English) and there is one, the last one otherwise; None when no cut leaves at least
    ``MIN_LEAD_TOKENS`` before it and a spoken word after it."""
    spoken = [index for index, word in enumerate(sentence) if not word.is_punct and word.phonemes]
    if not spoken:
        return None
    last = last_phrase = None
    for index in range(spoken[0] + 1, spoken[-1] + 1):  # a spoken word on each side
        size = _size(sentence[:index])
        if size > limit:
            break
        if size < MIN_LEAD_TOKENS or not _can_cut_before(sentence, index):
            continue
        last = index
        if phrases and _opens_phrase(sentence, index):
            last_phrase = index
    cut = last_phrase if last_phrase is not None else last
    return (sentence[:cut], sentence[cut:]) if cut is not None else None


def _first_lead(sentence: list[Word], limit: int, lang: str | None) -> tuple[list[Word], list[Word]] | None:
    """A short first chunk of the sentence and the rest, or None when the sentence fits in ``limit``
    or has no cut that does. Whole clauses first (the best place to cut), else a word boundary."""
    if _size(sentence) <= limit:
        return None
    return _lead_clauses(sentence, limit) or _lead_words(sentence, limit, lang is not None and is_english(lang))


def chunk_words(
    source: str,
    words: Sequence[Word],
    max_tokens: int = MAX_TOKENS,
    first_max_tokens: int | None = None,
    lang: str | None = None,
) -> Iterator[TextChunk]:
    """Chunks of one paragraph's ``words``; chunks without a spoken word are skipped.

    ``first_max_tokens`` makes the first chunk at most that long when the first sentence is longer,
    so that streaming audio starts after a few words, not a whole long sentence. It ends after the
    first clauses where they fit; else, inside the first clause, at the last space between words
    within the limit, and in English (``lang`` ``a`` or ``b``: the words carry no language) at the
    last such space before a word of ``PHRASE_OPENERS`` where there is one. A cut never falls inside
    a word or between a word and its marks, never leaves fewer than ``MIN_LEAD_TOKENS`` before it
    or nothing to say after it; where no cut can, the sentence stays whole. Later sentences and
    chunks are cut as without it.
    """
    if max_tokens < 1:
        raise ValueError("max_tokens must be positive")
    units: list[list[Word]] = _sentences(words)
    if first_max_tokens is not None and units:
        split = _first_lead(units[0], first_max_tokens, lang)
        if split is not None:
            units[:1] = list(split)
    for sentence in units:
        for group in _pack([sentence], max_tokens, 0):
            phonemes, alignments = render(group)
            if not any(word.phoneme_end > word.phoneme_start for word in alignments):
                continue  # punctuation, or only words that will not be spoken: nothing to say
            start, end = group[0].start, max(word.end for word in group)
            yield TextChunk(source[start:end], start, end, phonemes, alignments)
