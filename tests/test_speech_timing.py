"""Word timestamps from integer durations: BOS offset, dropped symbols, chunk offsets."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kokoro_tui.speech.timing import frame_edges, word_timestamps
from kokoro_tui.text.vocab import PhonemeVocab

VOCAB = {"a": 1, "b": 2, "c": 3, " ": 16, ".": 4}


@dataclass
class Word:
    text: str
    start_char: int
    end_char: int
    phoneme_start: int
    phoneme_end: int


def test_encoding_drops_unknown_symbols_and_counts_bos():
    encoded = PhonemeVocab(VOCAB).encode("aX b")
    ids, token_of_char = encoded.ids, encoded.token_of_char
    assert ids == [1, 16, 2]
    # BOS is token 0, so the first kept character is token 1; X was dropped.
    assert token_of_char == [1, -1, 2, 3]


def test_frame_edges():
    assert frame_edges([1, 2, 3]).tolist() == [0, 1, 3, 6]


def test_known_durations_give_known_times():
    # phonemes "ab c." -> tokens BOS a b ' ' c . EOS
    phonemes = "ab c."
    token_of_char = PhonemeVocab(VOCAB).encode(phonemes).token_of_char
    durations = [4, 2, 6, 3, 8, 1, 5]  # frames of 25 ms
    words = [Word("AB", 10, 12, 0, 2), Word("C", 13, 14, 3, 4)]
    stamps = word_timestamps(words, token_of_char, durations, offset_s=2.0)
    # "ab" spans tokens 1..2: frames 4..12 -> 0.100 s .. 0.300 s
    assert stamps[0].start_s == pytest.approx(2.0 + 0.100)
    assert stamps[0].end_s == pytest.approx(2.0 + 0.300)
    # "c" is token 4: frames 15..23 -> 0.375 .. 0.575
    assert stamps[1].start_s == pytest.approx(2.0 + 0.375)
    assert stamps[1].end_s == pytest.approx(2.0 + 0.575)
    assert (stamps[1].start_char, stamps[1].end_char, stamps[1].word) == (13, 14, "C")


def test_dropped_symbols_shift_later_words_correctly():
    # The X is not a token: without accounting for it, "c" would be timed one token late.
    phonemes = "aX c"
    token_of_char = PhonemeVocab(VOCAB).encode(phonemes).token_of_char
    durations = [1, 10, 20, 40, 1]  # BOS a ' ' c EOS
    stamps = word_timestamps([Word("c", 0, 1, 3, 4)], token_of_char, durations)
    assert stamps[0].start_s == pytest.approx(31 * 0.025)
    assert stamps[0].end_s == pytest.approx(71 * 0.025)


def test_word_with_no_tokens_gets_zero_length_at_its_place():
    phonemes = "a XX b"
    token_of_char = PhonemeVocab(VOCAB).encode(phonemes).token_of_char
    durations = [2, 2, 2, 2, 2, 2]  # BOS a ' ' ' ' b EOS
    stamps = word_timestamps([Word("?", 0, 1, 2, 4)], token_of_char, durations)
    assert stamps[0].start_s == stamps[0].end_s == pytest.approx(3 * 2 * 0.025)
