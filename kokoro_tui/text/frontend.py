"""The text front end in one place: normalise, G2P, chunk, with alignment to the original text.

``TextFrontend(lang).chunks(text)`` is what the speech pipeline calls: it yields chunks of at
most 510 phoneme tokens, each with the original substring, its phonemes and its words
(original character span and phoneme span). Paragraphs are read lazily one at a time, so
the first chunk of a long text is ready after its first paragraph. Pronunciations the user
gave (``overrides``: inline markup, the lexicon) replace the G2P's for their words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from kokoro_tui.errors import NothingToSayError
from kokoro_tui.model.config import MAX_TOKENS
from kokoro_tui.text.align import words_from_tokens
from kokoro_tui.text.blocks import blocks
from kokoro_tui.text.chunk import TextChunk, WordAlignment, chunk_words
from kokoro_tui.text.decoding import replace_invalid
from kokoro_tui.text.g2p import load_g2p
from kokoro_tui.text.languages import language
from kokoro_tui.text.normalize import normalize
from kokoro_tui.text.overrides import Override, apply_overrides
from kokoro_tui.text.punctuation import PARAGRAPH
from kokoro_tui.text.rewrite import NormalizedText
from kokoro_tui.text.skipped import NO_PRONUNCIATION, SkippedWord, SkipReport
from kokoro_tui.text.tokens import G2P, Word
from kokoro_tui.text.writing_systems import foreign_scripts

SkipSink = Callable[[SkippedWord], None]
#: when the first chunk is wanted early, the G2P reads at most this much of the first paragraph
#: (whole sentences) before speaking: the first chunk of a 1,300-character paragraph was ready after
#: 16 ms instead of 47 ms (warm spaCy tagger, 2-core CPU); the saving grows with the paragraph
FIRST_BLOCK_CHARS = 300

__all__ = ["TextChunk", "TextFrontend", "WordAlignment", "check_speakable"]


def check_speakable(text: str) -> None:
    """NothingToSayError for empty input or input with nothing to say (only punctuation, emoji)."""
    if not text or not text.strip():
        raise NothingToSayError("the input text is empty")
    if not any(char.isalnum() for char in text):
        raise NothingToSayError("the input has nothing to speak (only punctuation, symbols or emoji)")


class TextFrontend:
    """Normalisation, G2P and chunking for one language code (any code of ``text.languages``, Russian included).

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

    def close(self) -> None:
        """End the G2P's child process, if it has one (``text.g2p_process``); it then runs in this one."""
        close = getattr(self._g2p, "close", None)
        if close is not None:
            close()

    def normalize(self, text: str) -> NormalizedText:
        return normalize(text, self.lang)

    def paragraphs(
        self,
        text: str,
        on_skip: SkipSink | None = None,
        overrides: Sequence[Override] = (),
        first_block_chars: int | None = None,
    ) -> Iterator[list[Word]]:
        """Words of each paragraph in order, mapped back to ``text``; a long paragraph comes in
        blocks of at most ``blocks.BLOCK_CHARS`` characters, cut at sentence ends, and the text's
        first block ends within ``first_block_chars`` when a sentence ends there.

        Words the language cannot say are kept without phonemes and passed to ``on_skip``; the
        words of an override (spans of ``text``) are said as it says, whatever their script.
        """
        norm = self.normalize(text)
        offset = 0
        for paragraph in norm.text.split(PARAGRAPH):
            for start, block in blocks(paragraph, first_limit=first_block_chars if offset == 0 else None):
                stripped = block.strip()
                if stripped:
                    first = offset + start + block.index(stripped)
                    low, high = norm.source_span(first, first + len(stripped))
                    given = [override for override in overrides if low <= override.start < high]
                    words = self._screen(words_from_tokens(norm, first, self.g2p(stripped)), on_skip, given)
                    words = apply_overrides(words, given, text)
                    if words:
                        yield words
            offset += len(paragraph) + len(PARAGRAPH)

    def _screen(self, words: list[Word], on_skip: SkipSink | None, given: Sequence[Override]) -> list[Word]:
        """Silence the words in scripts this language cannot read, and report those and the unsayable
        (except where the user gave the pronunciation)."""
        screened = []
        for word in words:
            if not word.is_punct and not any(override.overlaps(word.start, word.end) for override in given):
                scripts = foreign_scripts(word.text, self.lang)
                reason = None
                if scripts:
                    reason = f"{', '.join(script.title() for script in scripts)} letters"
                    word = replace(word, phonemes="")
                elif not word.phonemes:
                    reason = NO_PRONUNCIATION
                if reason is not None and on_skip is not None:
                    on_skip(SkippedWord(word.text, word.start, word.end, reason))
            screened.append(word)
        return screened

    def chunks(
        self,
        text: str,
        max_tokens: int = MAX_TOKENS,
        on_skip: SkipSink | None = None,
        first_max_tokens: int | None = None,
        overrides: Sequence[Override] = (),
    ) -> Iterator[TextChunk]:
        """Chunks of at most ``max_tokens`` phoneme characters, sentence by sentence.

        ``text`` may hold lone surrogates (undecodable bytes from a command line): they are read
        as U+FFFD, never passed to the G2P. ``on_skip`` receives every word that will not be spoken.
        ``first_max_tokens`` shortens the first chunk, at a clause break if it can (see ``chunk_words``),
        and the G2P then reads the first sentences (``FIRST_BLOCK_CHARS``) before the rest of their paragraph.
        ``overrides`` give the phonemes of spans of ``text`` (markup, the lexicon: ``text.script``).
        """
        text = replace_invalid(text).text
        check_speakable(text)
        self.g2p  # load now, so a missing language fails here and not at the first next()
        return self._chunks(text, max_tokens, on_skip, first_max_tokens, overrides)

    def _chunks(
        self,
        text: str,
        max_tokens: int,
        on_skip: SkipSink | None,
        first_max_tokens: int | None,
        overrides: Sequence[Override],
    ) -> Iterator[TextChunk]:
        spoken = False
        report = SkipReport()

        def skip(word: SkippedWord) -> None:
            report(word)
            if on_skip is not None:
                on_skip(word)

        first_block = None if first_max_tokens is None else FIRST_BLOCK_CHARS
        for words in self.paragraphs(text, skip, overrides, first_block):
            for chunk in chunk_words(text, words, max_tokens, None if spoken else first_max_tokens, self.lang):
                spoken = True
                yield chunk
        if not spoken:
            reason = report.message(language(self.lang).name) if report.words else "no word produced any phonemes"
            raise NothingToSayError(f"the input has nothing to speak ({reason})")

    def phonemize(self, text: str) -> str:
        """All phonemes of ``text``: its chunks (sentences) separated by one space."""
        return " ".join(chunk.phonemes for chunk in self.chunks(text))
