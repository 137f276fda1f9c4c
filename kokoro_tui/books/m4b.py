"""The audiobook as one M4B file: AAC in MPEG-4 with chapter marks, title, author and cover.

Written by PyAV's mp4 muxer (``speech.av_audio``) with the ``M4B `` brand that players use to
file it as an audiobook. Chapters are container chapters, which FFmpeg writes both as a QuickTime
chapter track and as a Nero ``chpl`` list, the two kinds players read. The cover is a stream marked
as an attached picture (``cover_stream``), which the muxer turns into the iTunes ``covr`` tag.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from kokoro_tui.atomic import atomic_path
from kokoro_tui.books.book import Cover
from kokoro_tui.books.cover_stream import add_cover
from kokoro_tui.books.timeline import Placed, audio_blocks
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.speech.av_audio import MUXINGS, AvAudioWriter

M4B_OPTIONS = {"brand": "M4B "}
GENRE = "Audiobook"


def write_m4b(
    path: Path, placed: Sequence[Placed], title: str, author: str | None, cover: Cover | None
) -> None:
    """Write the chapters, laid out by ``timeline.place``, into ``path`` atomically."""
    with atomic_path(path) as out:
        writer = AvAudioWriter(str(out), MUXINGS["m4b"], M4B_OPTIONS)
        try:
            container = writer.container
            tags = {"title": title, "album": title, "genre": GENRE}
            if author:
                tags.update(artist=author, album_artist=author)
            container.metadata.update(tags)
            container.set_chapters([
                {"id": n, "start": item.start, "end": item.end, "time_base": Fraction(1, SAMPLE_RATE),
                 "metadata": {"title": item.part.title}}
                for n, item in enumerate(placed, 1)
            ])
            if cover is not None:
                container.mux(add_cover(container, cover))
            for block in audio_blocks(placed):
                writer.write(block)
            writer.finish()
        finally:
            writer.close()
