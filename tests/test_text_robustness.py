"""Hostile text through the front end (no model): bad bytes, huge paragraphs, foreign scripts, fuzzing.

The fuzz property: no exception escapes but the two "nothing to speak" user errors, and every
letter or digit of the input lies in a word of some chunk or in a word reported as skipped.
``KOKORO_FUZZ_EXAMPLES`` sets the count (CI runs the default; benchmarks/fuzz_text.py runs 10,000).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kokoro_tui.errors import KokoroError
from kokoro_tui.text.blocks import BLOCK_CHARS, blocks
from kokoro_tui.text.decoding import decode_bytes, replace_invalid
from kokoro_tui.text.frontend import FIRST_BLOCK_CHARS, TextFrontend
from kokoro_tui.text.skipped import SkipReport

FUZZ_EXAMPLES = int(os.environ.get("KOKORO_FUZZ_EXAMPLES", "150"))
NOTHING_TO_SPEAK = ("the input text is empty", "the input has nothing to speak")


@pytest.fixture(scope="module")
def english() -> TextFrontend:
    return TextFrontend("a")


def test_undecodable_bytes_become_replacement_characters_and_are_counted():
    decoded = decode_bytes(b"Hello \xff\xfe world \xef\xbf\xbd")  # two bad bytes and one real U+FFFD
    assert decoded.text == "Hello \ufffd\ufffd world \ufffd" and decoded.replaced == 2
    assert decoded.warning("stdin") == "2 invalid UTF-8 bytes in stdin replaced by U+FFFD (not spoken)"
    assert decode_bytes(b"\xef\xbb\xbfHi") == ("Hi", 0)  # a byte-order mark is not text
    assert replace_invalid("a\udcff\udcfeb") == ("a\ufffd\ufffdb", 2)  # argv's surrogate escapes
    assert replace_invalid("plain") == ("plain", 0) and decode_bytes(b"plain").warning("x") is None


def test_surrogates_reach_no_g2p(english):
    chunks = list(english.chunks("Hello \udcff\udcfe world."))
    assert [w.text for c in chunks for w in c.words] == ["Hello", "world"]


@given(st.text(min_size=0, max_size=400), st.integers(min_value=1, max_value=60),
       st.none() | st.integers(min_value=1, max_value=60))
def test_blocks_cover_the_text_in_order_within_the_limit(text, limit, first_limit):
    pieces = list(blocks(text, limit, first_limit))
    assert "".join(piece for _, piece in pieces) == text
    assert all(0 < len(piece) <= max(limit, first_limit or 0) for _, piece in pieces)
    assert [offset for offset, _ in pieces] == [sum(len(p) for _, p in pieces[:i]) for i in range(len(pieces))]


def test_blocks_cut_after_a_sentence_where_one_fits():
    text = "One two three. Four five six. " * 200
    pieces = [piece for _, piece in blocks(text, 100)]
    assert len(pieces) > 1 and all(piece.endswith(". ") for piece in pieces[:-1])


def test_the_first_block_ends_after_the_first_sentences_that_fit():
    text = "First one here. Then a second sentence. " + "The rest of a long paragraph goes on. " * 80
    first = next(piece for _, piece in blocks(text, BLOCK_CHARS, first_limit=45))
    assert first == "First one here. Then a second sentence. "
    # no sentence ends within the first limit: the usual block, never a cut inside a sentence
    assert next(piece for _, piece in blocks("A very long opening sentence " * 10, 100, first_limit=20)).endswith(" ")
    assert len(next(piece for _, piece in blocks("word " * 100, 100, first_limit=20))) > 20


def test_streaming_reads_the_first_sentences_before_the_rest_of_the_paragraph(english):
    """The first chunk comes from a G2P call on the opening sentences, not the whole paragraph."""
    calls: list[str] = []

    def g2p(text: str) -> list:
        calls.append(text)
        return english.g2p(text)

    paragraph = "Hello there, my friend. " + "This sentence is only here to make the paragraph long. " * 30
    frontend = TextFrontend("a", g2p=g2p)
    first = next(iter(frontend.chunks(paragraph, first_max_tokens=50)))
    assert len(calls) == 1 and len(calls[0]) <= FIRST_BLOCK_CHARS and first.text.startswith("Hello there")
    calls.clear()
    next(iter(TextFrontend("a", g2p=g2p).chunks(paragraph)))  # not streaming: the paragraph in one call
    assert len(calls) == 1 and len(calls[0]) > FIRST_BLOCK_CHARS


def test_a_paragraph_over_spacy_s_limit_is_spoken(english):
    """spaCy refuses documents over 1,000,000 characters (E088); blocks keep each call small."""
    text = ("The quick brown fox jumps over the lazy dog. " * 25_000)[:1_100_000]
    seen = 0
    for chunk in english.chunks(text):
        seen += len(chunk.words)
        if seen > 2 * BLOCK_CHARS:  # long enough to have crossed several blocks; the rest is the same
            break
    assert seen > 2 * BLOCK_CHARS


def test_a_run_without_spaces_longer_than_a_block_is_spoken(english):
    chunks = list(english.chunks("x" * (3 * BLOCK_CHARS + 7)))
    assert sum(c.end_char - c.start_char for c in chunks) >= 3 * BLOCK_CHARS


def test_letters_the_language_cannot_read_are_skipped_and_reported(english):
    report = SkipReport()
    text = "Hello Привет and مرحبا, 你好 world, α and π."
    chunks = list(english.chunks(text, on_skip=report))
    spoken = {w.text: c.phonemes[w.phoneme_start : w.phoneme_end] for c in chunks for w in c.words}
    assert spoken["Привет"] == spoken["مرحبا"] == spoken["你好"] == ""
    assert spoken["Hello"] and spoken["world"] and spoken["α"] and spoken["π"]  # Greek letters read by name
    assert [(w.text, w.reason) for w in report.words] == [
        ("Привет", "Cyrillic letters"), ("مرحبا", "Arabic letters"), ("你好", "Han letters")]
    message = report.message("American English")
    assert message.startswith("skipped 3 words: Привет (Cyrillic letters, which American English cannot read)")


def test_text_with_only_unreadable_words_names_them_in_the_error(english):
    with pytest.raises(KokoroError, match=r"nothing to speak \(skipped 2 words: Привет, мир \(Cyrillic"):
        list(english.chunks("Привет, мир!"))


def test_each_language_reads_its_own_script():
    report = SkipReport()
    list(TextFrontend("z").chunks("你好, hello.", on_skip=report))
    assert report.words == []


WORDS = st.sampled_from(["hello", "world", "Dr.", "3.50", "$12", "1/2", "café", "naïve", "don't", "x²", "Ⅻ",
                         "ﬁ", "①", "42nd", "e-mail", "C++", "U.S.A.", "1,000,000", "Привет", "你好", "مرحبا",
                         "😀", "α", "…", "—", "«", "»", "¿", "#", "@", "%", "&"])  # fmt: skip
SOUP = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)
LONG_TOKENS = st.text(alphabet="abcdefghij0123456789", min_size=60, max_size=600)
PIECES = st.lists(st.one_of(WORDS, SOUP, LONG_TOKENS, st.sampled_from([" ", "  ", "\n", ". ", ", ", "!? "])),
                  max_size=40)  # fmt: skip


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PIECES)
def test_fuzzed_text_never_crashes_and_never_loses_a_word(english, pieces):
    text = "".join(pieces)
    report = SkipReport()
    try:
        chunks = list(english.chunks(text, on_skip=report))
    except KokoroError as error:
        assert str(error).startswith(NOTHING_TO_SPEAK), str(error)
        return
    covered = bytearray(len(text))
    for start, end in [(w.start_char, w.end_char) for c in chunks for w in c.words] + [
        (w.start, w.end) for w in report.words
    ]:
        covered[start:end] = b"\x01" * (end - start)
    clean = replace_invalid(text).text
    lost = [i for i, char in enumerate(clean) if char.isalnum() and not covered[i]]
    assert not lost, f"unspoken and unreported: {[clean[i] for i in lost][:10]} in {text!r}"
    assert all(w.reason for w in report.words)
    assert all(len(c.phonemes) <= 510 for c in chunks)
