"""The audiobook as one M4B file: AAC in MPEG-4 with chapter marks, title, author and cover.

Written by PyAV's mp4 muxer (``speech.av_audio``) with the ``M4B `` brand that players use to
file it as an audiobook. Chapters are container chapters, which FFmpeg writes both as a QuickTime
chapter track and as a Nero ``chpl`` list, the two kinds players read. The cover is a stream marked
as an attached picture, which the muxer turns into the iTunes ``covr`` tag.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import av

from kokoro_tui.atomic import atomic_path
from kokoro_tui.books.book import Cover
from kokoro_tui.books.timeline import Placed, audio_blocks
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.speech.av_audio import MUXINGS, AvAudioWriter

M4B_OPTIONS = {"brand": "M4B "}
COVER_CODECS = {"jpeg": "mjpeg", "png": "png"}
GENRE = "Audiobook"


def _add_cover(container: av.container.OutputContainer, cover: Cover) -> av.Packet:
    """A stream for the picture, and its one packet (muxed once the audio stream is there too)."""
    with av.open(io.BytesIO(cover.data)) as picture:
        probe = picture.streams.video[0].codec_context
        width, height, pix_fmt = probe.width, probe.height, probe.pix_fmt
    stream = container.add_stream(COVER_CODECS[cover.kind])
    stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
    stream.disposition = av.stream.Disposition.attached_pic
    packet = av.Packet(cover.data)
    packet.stream = stream
    return packet


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
                container.mux(_add_cover(container, cover))
            for block in audio_blocks(placed):
                writer.write(block)
            writer.finish()
        finally:
            writer.close()
