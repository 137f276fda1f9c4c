"""The text front end in one place: normalise, G2P, chunk, with alignment to the original text.

``TextFrontend(lang).chunks(text)`` is what the speech pipeline calls: it yields chunks of at
most 510 phoneme tokens, each with the original substring, its phonemes and its words
(original character span and phoneme span). Paragraphs are read lazily one at a time, so
the first chunk of a long text is ready after its first paragraph.
"""

from __future__ import annotations

from collections.abc import Iterator

from kokoro_tui.errors import KokoroError
from kokoro_tui.text.align import words_from_tokens
from kokoro_tui.text.chunk import MAX_TOKENS, TextChunk, WordAlignment, chunk_words
from kokoro_tui.text.g2p import load_g2p
from kokoro_tui.text.languages import language
from kokoro_tui.text.rewrite import NormalizedText
from kokoro_tui.text.punctuation import PARAGRAPH
from kokoro_tui.text.normalize import normalize
from kokoro_tui.text.tokens import G2P, Word

__all__ = ["TextChunk", "TextFrontend", "WordAlignment", "check_speakable"]


def check_speakable(text: str) -> None:
    """KokoroError for empty input or input with nothing to say (only punctuation, emoji)."""
    if not text or not text.strip():
        raise KokoroError("the input text is empty")
    if not any(char.isalnum() for char in text):
        raise KokoroError("the input has nothing to speak (only punctuation, symbols or emoji)")


class TextFrontend:
    """Normalisation, G2P and chunking for one language code (a, b, e, f, h, i, j, p, z).

    ``g2p`` replaces the language's G2P (tests use a cheap fake); by default it is loaded on
    first use and shared per language.
    """

    def __init__(self, lang: str, g2p: G2P | None = None) -> None:
        self.lang = language(lang).code
        self._g2p = g2p

    @property
    def g2p(self) -> G2P:
        if self._g2p is None:
            self._g2p = load_g2p(self.lang)
        return self._g2p

    def normalize(self, text: str) -> NormalizedText:
        return normalize(text, self.lang)

    def paragraphs(self, text: str) -> Iterator[list[Word]]:
        """Words of each paragraph in order, mapped back to ``text``."""
        norm = self.normalize(text)
        offset = 0
        for block in norm.text.split(PARAGRAPH):
            stripped = block.strip()
            if stripped:
                start = offset + block.index(stripped)
                words = words_from_tokens(norm, start, self.g2p(stripped))
                if words:
                    yield words
            offset += len(block) + len(PARAGRAPH)

    def chunks(self, text: str, max_tokens: int = MAX_TOKENS) -> Iterator[TextChunk]:
        """Chunks of at most ``max_tokens`` phoneme characters, sentence by sentence."""
        check_speakable(text)
        self.g2p  # load now, so a missing language fails here and not at the first next()
        return self._chunks(text, max_tokens)

    def _chunks(self, text: str, max_tokens: int) -> Iterator[TextChunk]:
        spoken = False
        for words in self.paragraphs(text):
            for chunk in chunk_words(text, words, max_tokens):
                spoken = True
                yield chunk
        if not spoken:
            raise KokoroError("the input has nothing to speak (no word produced any phonemes)")

    def phonemize(self, text: str) -> str:
        """All phonemes of ``text``: its chunks (sentences) separated by one space."""
        return " ".join(chunk.phonemes for chunk in self.chunks(text))
