"""What a book run leaves for the listener besides the M4B: one file per chapter, subtitles, word timings.

Split files are named ``NN - Title.ext``, NN the chapter's number in the whole book (not in the chosen
range), so that batches of one book (``--chapters 1-10``, then ``11-20``) line up in one folder; they are
tagged with the chapter's title, the book's title as album, the author, the track number as N of the
book's chapters and the cover where the format carries one (``cover_stream``). Subtitles (SRT, WebVTT
or ASS karaoke) and word timings (JSON) sit beside each audio file under its name, timed to that file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from kokoro_tui.atomic import atomic_path, atomic_write_text
from kokoro_tui.books.book import Cover
from kokoro_tui.books.cover_stream import COVER_FORMATS, add_cover
from kokoro_tui.books.timeline import Placed, audio_blocks, book_words, place, shift_words
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.speech.av_audio import MUXINGS, AvAudioWriter
from kokoro_tui.speech.subtitles import write_timestamps

SPLIT_FORMATS = ("mp3", "opus", "flac", "wav")
SUBTITLE_FORMATS = ("srt", "vtt", "ass")
TIMINGS_FORMAT = "json"
MAX_TITLE_CHARS = 80
_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]+')
#: What ``split_name`` makes: (number, title, extension).
SPLIT_NAME = re.compile(r"^(\d{2,}) - (.+)\.([a-z0-9]+)$")


def split_name(number: int, count: int, title: str, fmt: str) -> str:
    """``03 - The Storm.mp3``: chapter 3 of ``count``, numbered to sort in reading order, with what file systems
    refuse left out."""
    safe = " ".join(_UNSAFE.sub(" ", title).split())[:MAX_TITLE_CHARS].strip(" .") or "Chapter"
    return f"{number:0{max(2, len(str(count)))}d} - {safe}.{fmt}"


def write_split(
    folder: Path, placed: Sequence[Placed], count: int, fmt: str, title: str, author: str | None, cover: Cover | None
) -> list[Path]:
    """One file per chapter of a book of ``count`` (no chapter pause: the player's gap is the pause); returns
    their paths. ``cover`` goes into the formats that carry one and is left out of the others."""
    paths = []
    for item in placed:
        number = item.part.number
        path = folder / split_name(number, count, item.part.title, fmt)
        tags = {"title": item.part.title, "album": title, "track": f"{number}/{count}"}
        if author:
            tags["artist"] = author
        with atomic_path(path) as out:
            writer = AvAudioWriter(str(out), MUXINGS[fmt])
            try:
                writer.container.metadata.update(tags)
                if cover is not None and fmt in COVER_FORMATS:
                    writer.container.mux(add_cover(writer.container, cover))
                for block in audio_blocks(place([item.part], 0)):
                    writer.write(block)
                writer.finish()
            finally:
                writer.close()
        paths.append(path)
    return paths


def write_subtitles(audio: Path, placed: Sequence[Placed], fmt: str) -> Path:
    """Subtitles for the file ``audio`` that plays ``placed``, beside it."""
    words, text = book_words(placed)
    path = audio.with_suffix(f".{fmt}")
    write_timestamps(path, words, text)
    return path


def write_word_timings(audio: Path, placed: Sequence[Placed], title: str) -> Path:
    """Word timings of the file ``audio`` by chapter, beside it: times in the file, spans in the chapter's ``text``."""
    chapters = [
        {
            "title": item.part.title,
            "start": round(item.start / SAMPLE_RATE, 3),
            "end": round(item.end / SAMPLE_RATE, 3),
            "text": item.part.text,
            "words": [word.to_dict() for word in shift_words(item.part.words, item.start / SAMPLE_RATE, 0)],
        }
        for item in placed
    ]
    path = audio.with_suffix(f".{TIMINGS_FORMAT}")
    atomic_write_text(path, json.dumps({"title": title, "chapters": chapters}, ensure_ascii=False, indent=1) + "\n")
    return path
