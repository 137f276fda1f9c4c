"""Phoneme input as `kokoro phonemize` prints it: a chunk a line, its words one space token apart."""

from __future__ import annotations

import pytest

from kokoro_tui.errors import KokoroError
from kokoro_tui.speech.ipa import phoneme_chunks
from kokoro_tui.text.vocab import PhonemeVocab

PHONEMIZED = "fˈɜɹst lˈIn hˈɪɹ.\nsˈɛkənd lˈIn ðˈɛɹ.\n"  # `kokoro phonemize` of two lines


def test_each_line_is_its_own_chunk_as_phonemize_printed_it() -> None:
    assert [chunk.phonemes for chunk in phoneme_chunks(PHONEMIZED)] == PHONEMIZED.splitlines()


def test_no_two_words_are_glued_by_a_symbol_the_model_drops() -> None:
    text = "fˈɜɹst\tlˈIn  hˈɪɹ.\r\n\n sˈɛkənd lˈIn"
    chunks = list(phoneme_chunks(text, max_tokens=12))
    assert [chunk.phonemes for chunk in chunks] == ["fˈɜɹst lˈIn", "hˈɪɹ.", "sˈɛkənd lˈIn"]
    vocab = PhonemeVocab.default()
    for chunk in chunks:
        assert not vocab.encode(chunk.phonemes).unknown  # every character, spaces included, is a token
        for word in chunk.words:  # a word's phoneme span is its own text, its character span the input's
            assert chunk.phonemes[word.phoneme_start : word.phoneme_end] == word.text == text[word.start_char : word.end_char]


def test_a_word_longer_than_a_chunk_is_cut_without_a_space_inside() -> None:
    chunks = list(phoneme_chunks("a" * 12 + " bc", max_tokens=5))
    assert [chunk.phonemes for chunk in chunks] == ["aaaaa", "aaaaa", "aa bc"]


@pytest.mark.parametrize("text", ["", " \n\t\n"])
def test_empty_input_is_a_user_error(text) -> None:
    with pytest.raises(KokoroError, match="the input is empty"):
        list(phoneme_chunks(text))


def test_a_plain_g_in_phoneme_input_names_the_ipa_g_to_write(monkeypatch, tmp_path) -> None:
    from test_speech_pipeline import FakeSynthesizer, fake_pack

    from kokoro_tui.backends import registry
    from kokoro_tui.speech import pipeline as pipeline_module

    monkeypatch.setattr(registry, "load_synthesizer", lambda *args, **kwargs: FakeSynthesizer(PhonemeVocab.default()))
    monkeypatch.setattr(pipeline_module, "load_voice", lambda home, spec: fake_pack())
    messages: list[str] = []
    list(pipeline_module.Pipeline(home=tmp_path, on_warning=messages.append).stream("ɡˈʊd gˈOɪŋ", is_phonemes=True))
    assert messages == ["skipping phoneme symbols the model does not know: g; write ɡ (U+0261) for g"]
