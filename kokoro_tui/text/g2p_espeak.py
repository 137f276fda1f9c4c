"""espeak-ng G2P for Spanish, French, Hindi, Italian and Brazilian Portuguese.

misaki's ``EspeakG2P`` runs espeak-ng (library and data from espeakng-loader) and maps its
output onto Kokoro's phoneme set, which is what Kokoro's own pipeline does for these
languages. A whole paragraph is read at once so cross-word effects (French liaison) survive;
espeak separates output words with single spaces, so when the counts agree each output word
is paired with its input word. When they do not (espeak merged or split words), each word is
read on its own, which loses those effects but keeps the alignment exact.
"""

from __future__ import annotations

import re
import unicodedata

from kokoro_tui.errors import MissingAssetError
from kokoro_tui.text.tokens import RawToken

_WORD = re.compile(r"\S+")


def _is_mark(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _edges(text: str) -> tuple[int, int]:
    """Length of the leading and trailing punctuation of ``text`` (all of it if nothing else)."""
    lead = 0
    while lead < len(text) and _is_mark(text[lead]):
        lead += 1
    trail = 0
    while trail < len(text) - lead and _is_mark(text[len(text) - 1 - trail]):
        trail += 1
    return lead, trail


def split_word(start: int, end: int, source: str, phonemes: str, space_after: bool) -> list[RawToken]:
    """One input word and its espeak output as punctuation, word, punctuation tokens."""
    in_lead, in_trail = _edges(source)
    out_lead, out_trail = _edges(phonemes)
    core = phonemes[out_lead : len(phonemes) - out_trail]
    if not core:
        return [RawToken(start, end, phonemes, space_after, is_punct=not any(c.isalnum() for c in source))]
    tokens = []
    if out_lead:
        tokens.append(RawToken(start, start + in_lead, phonemes[:out_lead], False, is_punct=True))
    tokens.append(RawToken(start + in_lead, end - in_trail, core, space_after and not out_trail, is_punct=False))
    if out_trail:
        tokens.append(RawToken(end - in_trail, end, phonemes[len(phonemes) - out_trail :], space_after, is_punct=True))
    return tokens


class EspeakG2P:
    """espeak-ng G2P for one espeak voice (``es``, ``fr-fr``, ``hi``, ``it``, ``pt-br``)."""

    def __init__(self, voice: str) -> None:
        try:
            from misaki import espeak
        except ImportError as error:
            raise MissingAssetError(
                f"espeak-ng G2P needs misaki, phonemizer-fork and espeakng-loader ({error})",
                hint="pip install 'misaki[en]'",
            ) from None
        self.voice = voice
        self._g2p = espeak.EspeakG2P(language=voice)

    def _read(self, text: str) -> str:
        return self._g2p(text)[0].strip()

    def __call__(self, text: str) -> list[RawToken]:
        matches = list(_WORD.finditer(text))
        spoken = self._read(text).split()
        if len(spoken) != len(matches):
            spoken = [self._read(match.group()) for match in matches]
        tokens: list[RawToken] = []
        for index, (match, phonemes) in enumerate(zip(matches, spoken)):
            space_after = index + 1 < len(matches)
            tokens.extend(split_word(match.start(), match.end(), match.group(), phonemes, space_after))
        return tokens
