"""A cover picture as a stream of an audio file: M4B, MP3 (an ID3 ``APIC`` frame) and FLAC (a ``PICTURE`` block).

FFmpeg's muxers for these three turn a stream marked as an attached picture into their own cover tag.
Ogg (Opus) and WAV have no such muxer support: PyAV refuses the stream, so those files go without.
"""

from __future__ import annotations

import io

import av

from kokoro_tui.books.book import Cover

COVER_CODECS = {"jpeg": "mjpeg", "png": "png"}
#: The audio formats of ``kokoro book`` whose files carry a cover.
COVER_FORMATS = ("m4b", "mp3", "flac")


def add_cover(container: av.container.OutputContainer, cover: Cover) -> av.Packet:
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
