"""A parsed text (``markup.Script``) read into chunks and cues, every span indexing the text as given.

Each spoken stretch between cues goes to the front end on its own: a pause or a voice switch needs
the audio cut there, and a chunk never spans one. The lexicon is looked up in each stretch, where
the markup gave no pronunciation. Chunk and word spans come back shifted to the whole input, and a
chunk's text is the input's own, markup included, so subtitles and highlighting need no mapping.
What follows a voice switch may be read by another front end and lexicon (``ReaderForVoice``): a French
voice reads French.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Protocol

from kokoro_tui.errors import NothingToSayError
from kokoro_tui.model.config import MAX_TOKENS
from kokoro_tui.text.chunk import TextChunk
from kokoro_tui.text.frontend import SkipSink, check_speakable
from kokoro_tui.text.markup import Cue, Pause, Script, Spoken, VoiceSwitch
from kokoro_tui.text.overrides import Override

#: Where the user's lexicon occurs in a stretch of text (``Lexicon.find`` for one language).
LexiconLookup = Callable[[str], list[Override]]


class ChunkReader(Protocol):
    """``TextFrontend.chunks``, or a stand-in with its signature."""

    def __call__(
        self,
        text: str,
        max_tokens: int = MAX_TOKENS,
        on_skip: SkipSink | None = None,
        first_max_tokens: int | None = None,
        overrides: Sequence[Override] = (),
    ) -> Iterator[TextChunk]: ...


#: The chunk reader and lexicon lookup for what a switch to this voice reads.
ReaderForVoice = Callable[[str], tuple[ChunkReader, LexiconLookup | None]]


def _placed(chunk: TextChunk, offset: int, text: str) -> TextChunk:
    """``chunk`` of the stretch at ``offset``, its spans and texts those of ``text``."""
    start, end = chunk.start_char + offset, chunk.end_char + offset
    if offset == 0 and text[start:end] == chunk.text:
        return chunk
    words = [
        replace(
            word,
            text=text[word.start_char + offset : word.end_char + offset],
            start_char=word.start_char + offset,
            end_char=word.end_char + offset,
        )
        for word in chunk.words
    ]
    return replace(chunk, text=text[start:end], start_char=start, end_char=end, words=words)


def read_script(
    script: Script,
    chunks: ChunkReader,
    lexicon: LexiconLookup | None = None,
    max_tokens: int = MAX_TOKENS,
    on_skip: SkipSink | None = None,
    first_max_tokens: int | None = None,
    reader_for_voice: ReaderForVoice | None = None,
) -> Iterator[TextChunk | Cue]:
    """Chunks and cues in order. A stretch with nothing to say (a lone "." between two pauses) is
    passed over; NothingToSayError only when the whole text gives neither speech nor a pause.
    ``reader_for_voice``: after a voice switch, the text is read by what it gives for that voice."""
    sounded = spoke = False
    failure: NothingToSayError | None = None
    for part in script.parts:
        if not isinstance(part, Spoken):
            sounded = sounded or (isinstance(part, Pause) and part.seconds > 0)
            if isinstance(part, VoiceSwitch) and reader_for_voice is not None:
                chunks, lexicon = reader_for_voice(part.voice)
            yield part
            continue
        stretch = script.spoken[part.start : part.end]
        if not stretch.strip():
            continue
        marked = [override.shifted(-part.start) for override in part.overrides]
        listed = lexicon(stretch) if lexicon is not None else []
        given = marked + [entry for entry in listed if not any(entry.overlaps(m.start, m.end) for m in marked)]
        try:
            for chunk in chunks(stretch, max_tokens, on_skip, None if spoke else first_max_tokens, overrides=given):
                sounded = spoke = True
                yield _placed(chunk, part.start, script.text)
        except NothingToSayError as error:
            failure = failure or error
    if not sounded:
        check_speakable(script.text)
        raise failure or NothingToSayError("the input has nothing to speak besides its markup")
