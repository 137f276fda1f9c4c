"""One chapter spoken into one audio file, paragraph by paragraph, with word timings.

Each paragraph is its own ``Pipeline.stream`` call, so a paragraph pause of the asked length sits
between paragraphs (never before the first or after the last). Word times count from the chapter's
start and character spans index ``Chapter.text`` (its paragraphs joined by a blank line). A
paragraph with nothing the voice can say ("* * *", a line in a script it cannot read) is skipped;
the pipeline has already warned about the words it could not read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from kokoro_tui.books.book import PARAGRAPH_BREAK, Chapter
from kokoro_tui.books.timeline import shift_words
from kokoro_tui.errors import NothingToSayError
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.speech.audio_io import AudioWriter
from kokoro_tui.speech.pipeline import Pipeline
from kokoro_tui.speech.types import WordTimestamp

#: Called after each paragraph with its characters and its seconds of audio.
ParagraphDone = Callable[[int, float], None]


def silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32)


@dataclass
class Narration:
    samples: int = 0
    words: list[WordTimestamp] = field(default_factory=list)


def narrate(
    pipeline: Pipeline, chapter: Chapter, paragraph_pause_s: float, writer: AudioWriter, on_paragraph: ParagraphDone
) -> Narration:
    """Speak ``chapter`` into ``writer``."""
    told = Narration()
    pause = silence(paragraph_pause_s)
    char_offset = 0
    for paragraph in chapter.paragraphs:
        start = told.samples
        try:
            for chunk in pipeline.stream(paragraph):
                if told.samples and told.samples == start:  # the first audio of a paragraph after another
                    writer.write(pause)
                    told.samples += len(pause)
                    start = told.samples
                writer.write(chunk.audio)
                told.words.extend(shift_words(chunk.timestamps, start / SAMPLE_RATE, char_offset))
                told.samples += len(chunk.audio)
        except NothingToSayError:
            pass  # no audio, no pause: the next paragraph follows the previous one
        on_paragraph(len(paragraph), (told.samples - start) / SAMPLE_RATE)
        char_offset += len(paragraph) + len(PARAGRAPH_BREAK)
    return told

