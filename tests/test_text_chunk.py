"""Chunking: limits, no word dropped, spans back to the original (fast, with a fake G2P)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kokoro_tui.text.chunk import chunk_words
from kokoro_tui.text.frontend import TextFrontend
from kokoro_tui.text.tokens import RawToken, Word

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[^\w\s]")


def fake_g2p(text: str) -> list[RawToken]:
    """Deterministic and cheap: a word's phonemes are its lower-cased letters, marks stay marks."""
    tokens = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        is_punct = not any(c.isalnum() for c in word)
        space_after = match.end() < len(text) and text[match.end()].isspace()
        tokens.append(RawToken(match.start(), match.end(), word if is_punct else word.lower(), space_after, is_punct))
    return tokens


def fake_frontend() -> TextFrontend:
    return TextFrontend("a", g2p=fake_g2p)


def check_chunks(frontend: TextFrontend, text: str, max_tokens: int, first_max_tokens: int | None = None) -> None:
    expected = [w for words in frontend.paragraphs(text) for w in words if not w.is_punct]
    chunks = list(frontend.chunks(text, max_tokens=max_tokens, first_max_tokens=first_max_tokens))
    seen: list[tuple[int, int, str]] = []
    cut: set[tuple[int, int]] = set()
    for chunk in chunks:
        assert 0 < len(chunk.phonemes) <= max_tokens
        assert chunk.text == text[chunk.start_char : chunk.end_char]
        for word in chunk.words:
            assert word.text == text[word.start_char : word.end_char]
            assert chunk.start_char <= word.start_char <= word.end_char <= chunk.end_char
            piece = chunk.phonemes[word.phoneme_start : word.phoneme_end]
            if seen and seen[-1][:2] == (word.start_char, word.end_char) and seen[-1][2] != "":
                # the next piece of a word cut across chunks (its inner spaces fall at the cuts)
                seen[-1] = (word.start_char, word.end_char, seen[-1][2] + " " + piece)
                cut.add((word.start_char, word.end_char))
            else:
                seen.append((word.start_char, word.end_char, piece))
    def spoken(start: int, end: int, phonemes: str) -> tuple[int, int, str]:
        return (start, end, phonemes.replace(" ", "") if (start, end) in cut else phonemes)

    assert [spoken(*entry) for entry in seen] == [spoken(w.start, w.end, w.phonemes) for w in expected]
    # Every word of the original text is covered by some word span, in order.
    spans = [(start, end) for start, end, _ in seen]
    for match in re.finditer(r"[^\W_]+", text):
        assert any(start <= match.start() and match.end() <= end for start, end in spans), match.group()
    assert spans == sorted(spans)


TEXT = st.text(
    alphabet=st.sampled_from(list("abcdefghij KLMNOP 0123456789 .,;:!?—…'\"$%-/\n") + ["é", "ß", "😀", "“", "”", "\u00a0"]),
    min_size=1,
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(text=TEXT, max_tokens=st.integers(min_value=1, max_value=80))
def test_chunks_keep_every_word_within_the_limit(text: str, max_tokens: int) -> None:
    if not any(c.isalnum() for c in text):
        return
    check_chunks(fake_frontend(), text, max_tokens)


@settings(max_examples=200, deadline=None)
@given(text=TEXT, max_tokens=st.integers(min_value=1, max_value=80), first=st.integers(min_value=1, max_value=60))
def test_a_short_first_chunk_keeps_every_word_within_the_limit(text: str, max_tokens: int, first: int) -> None:
    if not any(c.isalnum() for c in text):
        return
    check_chunks(fake_frontend(), text, max_tokens, first_max_tokens=first)


def _words(*phonemes: str, punct_after: dict[int, str] | None = None) -> list[Word]:
    words, position = [], 0
    for index, ps in enumerate(phonemes):
        words.append(Word(ps, position, position + len(ps), ps, ps, True, False))
        position += len(ps) + 1
        if punct_after and index in punct_after:
            mark = punct_after[index]
            words[-1] = Word(ps, words[-1].start, words[-1].end, ps, ps, False, False)
            words.append(Word(mark, position - 1, position, mark, mark, True, True))
            position += 1
    return words


def test_sentences_are_chunks_of_their_own() -> None:
    source = "x" * 100
    words = _words("aa", "bb", "cc", "dd", punct_after={1: "."})
    chunks = list(chunk_words(source, words, max_tokens=510))
    assert [c.phonemes for c in chunks] == ["aa bb.", "cc dd"]


def test_closing_marks_stay_with_their_sentence() -> None:
    chunks = list(fake_frontend().chunks('He said "stop." (Really?!) Then “go”.'))
    assert [c.text for c in chunks] == ['He said "stop."', "(Really?!)", "Then “go”."]


def test_long_sentence_breaks_at_a_clause_before_a_word() -> None:
    words = _words("aaaa", "bbbb", "cccc", "dddd", punct_after={0: ","})
    chunks = list(chunk_words("x" * 100, words, max_tokens=15))
    assert [c.phonemes for c in chunks] == ["aaaa,", "bbbb cccc dddd"]


def test_word_longer_than_a_chunk_is_cut_not_dropped() -> None:
    words = _words("ab", "x" * 25, "cd")
    chunks = list(chunk_words("y" * 100, words, max_tokens=10))
    assert all(len(c.phonemes) <= 10 for c in chunks)
    pieces = [c.phonemes[w.phoneme_start : w.phoneme_end] for c in chunks for w in c.words if w.start_char == 3]
    assert "".join(pieces) == "x" * 25
    assert len(pieces) == 3


def test_rewritten_token_is_one_word_and_never_split() -> None:
    text = "Call +1 (555) 123-4567 today."
    chunks = list(fake_frontend().chunks(text, max_tokens=510))
    words = [w.text for c in chunks for w in c.words]
    assert words == ["Call", "+1 (555) 123-4567", "today"]


def test_paragraphs_end_chunks() -> None:
    chunks = list(fake_frontend().chunks("one two\n\nthree four"))
    assert [c.text for c in chunks] == ["one two", "three four"]


def test_max_tokens_must_be_positive() -> None:
    with pytest.raises(ValueError):
        list(chunk_words("a", _words("a"), max_tokens=0))


def test_the_first_chunk_ends_at_an_early_clause_break_when_asked() -> None:
    text = "Every evening, the keeper climbed the narrow stairs, and he lit the lamp. Then he slept."
    frontend = fake_frontend()
    normal = [chunk.text for chunk in frontend.chunks(text)]
    assert normal == ["Every evening, the keeper climbed the narrow stairs, and he lit the lamp.", "Then he slept."]
    short = [chunk.text for chunk in frontend.chunks(text, first_max_tokens=20)]
    assert short == ["Every evening,", "the keeper climbed the narrow stairs, and he lit the lamp.", "Then he slept."]
    # A first clause longer than the limit is cut inside it, at a word boundary...
    assert [c.text for c in frontend.chunks("Every single evening of the year, he went. Then he slept.",
                                            first_max_tokens=20)][:2] == ["Every single evening", "of the year, he went."]
    # ...but never before MIN_LEAD_TOKENS: where no cut leaves that many, the sentence stays whole.
    assert [c.text for c in frontend.chunks("Every single evening of the year, he went. Then he slept.",
                                            first_max_tokens=10)][0] == "Every single evening of the year, he went."
    # Only the first sentence of the whole text is shortened.
    later = [c.text for c in frontend.chunks("Hi. Every evening, he climbed.", first_max_tokens=8)]
    assert later == ["Hi.", "Every evening, he climbed."]


LONG = "Every evening the keeper climbed the narrow stairs to the lantern room at the top of the tower."
LATER = "Then he walked down the narrow stairs to the kitchen and slept until the morning came."


def _texts(text: str, first_max_tokens: int | None, frontend: TextFrontend | None = None) -> list[str]:
    return [chunk.text for chunk in (frontend or fake_frontend()).chunks(text, first_max_tokens=first_max_tokens)]


def test_a_long_first_sentence_without_clause_breaks_is_cut_before_a_phrase() -> None:
    text = f"{LONG} {LATER}"
    # With the fake G2P a word's phonemes are its letters: "every ... stairs" is 50, "... stairs to the" 57.
    rest = "to the lantern room at the top of the tower."
    assert _texts(text, 50) == ["Every evening the keeper climbed the narrow stairs", rest, LATER]
    # The last boundary within 60 is before "lantern"; the last one before a phrase opener is before "to".
    assert _texts(text, 60) == ["Every evening the keeper climbed the narrow stairs", rest, LATER]
    # Before an article is no phrase boundary: with no opener in reach, the last word boundary.
    assert _texts(text, 45)[:2] == ["Every evening the keeper climbed the narrow", "stairs " + rest]
    # Without first_max_tokens sentences stay whole, as always.
    assert _texts(text, None) == [LONG, LATER]


def test_without_a_phrase_opener_the_cut_is_at_the_last_word_boundary() -> None:
    text = "Big red dogs chased small grey cats quickly past tall green trees today."
    assert _texts(text, 20) == ["Big red dogs chased", "small grey cats quickly past tall green trees today."]
    # The lead is never shorter than MIN_LEAD_TOKENS, even to cut before an opener ("Go | to").
    text = "Go to the big old lighthouse on the hill now."
    assert _texts(text, 20) == ["Go to the big old", "lighthouse on the hill now."]


def test_phrase_openers_are_english_only() -> None:
    words = next(fake_frontend().paragraphs(LONG))
    for lang, lead in (("a", "Every evening the keeper climbed the narrow stairs"),
                       ("b", "Every evening the keeper climbed the narrow stairs"),
                       ("e", "Every evening the keeper climbed the narrow stairs to the"),
                       (None, "Every evening the keeper climbed the narrow stairs to the")):
        chunks = list(chunk_words(LONG, words, first_max_tokens=60, lang=lang))
        assert chunks[0].text == lead, lang
        assert [w.text for c in chunks for w in c.words] == [w.text for w in words if not w.is_punct]


def test_the_first_cut_never_splits_a_word_or_strands_its_marks() -> None:
    text = "Big red dogs “chased small” grey cats past tall green trees."
    # The closing quote stays with its word, the opening one goes with the next.
    assert _texts(text, 27)[0] == "Big red dogs “chased small”"
    assert _texts(text, 14)[:2] == ["Big red dogs", "“chased small” grey cats past tall green trees."]
    # "well-known" is three G2P tokens with no space between them: no cut falls inside it.
    text = "Big red dogs chased well-known cats past the tall trees."
    for limit in (25, 26, 27, 28, 29):
        assert _texts(text, limit)[:2] == ["Big red dogs chased", "well-known cats past the tall trees."]


def test_a_first_cut_keeps_every_word_once_in_order_and_later_sentences_whole() -> None:
    first = f"“{LONG}”"
    text = f"{first} {LATER} Then the dogs barked (loudly) all the way."
    whole = list(fake_frontend().chunks(text))
    assert [c.text for c in whole] == [first, LATER, "Then the dogs barked (loudly) all the way."]

    def spans(chunks: list) -> list[tuple[str, int, int]]:
        return [(w.text, w.start_char, w.end_char) for c in chunks for w in c.words]

    cuts = 0
    for limit in range(1, 120):
        chunks = list(fake_frontend().chunks(text, first_max_tokens=limit))
        assert spans(chunks) == spans(whole), limit
        assert chunks[-2:] == whole[-2:], limit
        if len(chunks) == 4:
            cuts += 1
            assert len(chunks[0].phonemes) <= limit
            assert f"{chunks[0].text} {chunks[1].text}" == first
            assert chunks[0].text.startswith("“") and chunks[1].text.endswith(".”")
        else:
            assert chunks == whole, limit
    assert cuts > 50
