"""Mandarin G2P: jieba word segmentation, pypinyin, misaki's pinyin-to-IPA with tone arrows.

This is what misaki's ``ZHG2P`` does for Kokoro v1.0 (its default, non-1.1 path), done word
by word so each word keeps its span: jieba's ``tokenize`` reports offsets, and
``ZHG2P.word2ipa`` reads one word. Latin-script words inside Chinese text go to espeak-ng's
English voice.
"""

from __future__ import annotations

import re

from kokoro_tui.errors import MissingAssetError
from kokoro_tui.text.tokens import RawToken

_HAN = re.compile(r"[\u4e00-\u9fff]")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z]")


class MandarinG2P:
    def __init__(self) -> None:
        try:
            import jieba
            from misaki import espeak, zh
        except ImportError as error:
            raise MissingAssetError(f"Mandarin needs misaki[zh] ({error})", hint="pip install 'misaki[zh]'") from None
        jieba.setLogLevel(60)
        self._jieba = jieba
        self._zh = zh.ZHG2P
        self._english = espeak.EspeakFallback(british=False)

    def _read(self, word: str) -> str:
        if _HAN.search(word):
            # U+032F (non-syllabic mark) is not in Kokoro's vocabulary; misaki drops it too.
            return "".join(self._zh.word2ipa(part) for part in _HAN_RUN.findall(word)).replace("\u032f", "")
        if _LATIN.search(word):
            from misaki.token import MToken

            phonemes, _ = self._english(MToken(text=word, tag="NN", whitespace=""))
            return phonemes or ""
        return word

    def __call__(self, text: str) -> list[RawToken]:
        tokens: list[RawToken] = []
        for word, start, end in self._jieba.tokenize(text):
            if word.isspace():
                continue
            is_punct = not any(c.isalnum() for c in word)
            phonemes = word.strip() if is_punct else self._read(word)
            if tokens and is_punct:
                # Punctuation sticks to the word before it, as in "ni↓xau↓, ʂɨ↘ʨje↘."
                tokens[-1] = RawToken(tokens[-1].start, tokens[-1].end, tokens[-1].phonemes, False, tokens[-1].is_punct)
            tokens.append(RawToken(start, end, phonemes, True, is_punct))
        return tokens
