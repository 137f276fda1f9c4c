"""Compressed audio through PyAV (FFmpeg's encoders and muxers in one wheel, no system ffmpeg).

One ``AvAudioWriter`` is one output container with one mono 24 kHz stream, fed chunk by chunk:
``kokoro say`` writes files and pipes through it, the server streams responses through it into a
buffer it drains, ``kokoro book`` writes files (M4B with chapters, one file per chapter). ``MUXINGS``
names, once, the container, codec and bit rate of each format any of them writes.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from typing import BinaryIO

import av
import numpy as np

from kokoro_tui.model.config import SAMPLE_RATE


@dataclass(frozen=True)
class Muxing:
    container: str  # FFmpeg muxer
    codec: str  # FFmpeg encoder
    # For speech at 24 kHz mono (None: lossless). The encoders' own defaults are no rule for speech:
    # libmp3lame's gives 32 kbit/s here, audibly dull; libopus's 64 kbit/s, twice what Opus needs for speech.
    bit_rate: int | None = None
    # Muxer options when the output is a stream (a pipe, a response) that must carry each chunk as it comes.
    streaming: tuple[tuple[str, str], ...] = ()
    seekable_only: bool = False  # the muxer goes back to patch what it wrote (MP4's index): no pipes


# MPEG-4 audio (AAC): an .m4a, or an .m4b that players file as an audiobook; the plain mp4 muxer, since the
# ipod one refuses a cover picture (see books/m4b.py).
_MP4_AAC = Muxing("mp4", "aac", 64_000, seekable_only=True)
MUXINGS: dict[str, Muxing] = {
    "mp3": Muxing("mp3", "libmp3lame", 64_000),
    # Ogg pages of 20 ms instead of 1 s when streamed, so that a chunk's audio leaves with it.
    "opus": Muxing("ogg", "libopus", 32_000, (("page_duration", "20000"),)),
    "aac": Muxing("adts", "aac", 64_000),  # ADTS: raw AAC frames, streamable
    "flac": Muxing("flac", "flac"),
    "wav": Muxing("wav", "pcm_s16le"),
    "m4a": _MP4_AAC,
    "m4b": _MP4_AAC,
}
# Hand each packet to the output at once (FFmpeg's I/O layer would otherwise hold 32 KiB back).
_FLUSH_EACH_PACKET = (("flush_packets", "1"),)


def streaming_options(muxing: Muxing) -> dict[str, str]:
    """Muxer options for writing ``muxing`` as a stream (see ``Muxing.streaming``)."""
    return dict(_FLUSH_EACH_PACKET + muxing.streaming)


class AvAudioWriter:
    """One PyAV output container for a whole file or response; ``container`` is open for metadata,
    chapters and extra streams until the first ``write``."""

    def __init__(
        self,
        target: str | os.PathLike[str] | BinaryIO,
        muxing: Muxing,
        options: dict[str, str] | None = None,
    ) -> None:
        self.container = av.open(target, "w", format=muxing.container, options=options or {})
        self._stream = self.container.add_stream(muxing.codec, rate=SAMPLE_RATE, layout="mono")
        if muxing.bit_rate is not None:
            self._stream.bit_rate = muxing.bit_rate
        self.samples = 0  # written so far: the next frame's timestamp
        self._closed = False

    def _encode(self, frame: av.AudioFrame | None) -> None:
        for packet in self._stream.encode(frame):
            self.container.mux(packet)

    def write(self, audio: np.ndarray) -> None:
        samples = np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0)[None, :]
        if not samples.size:
            return
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples), format="flt", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = self.samples
        self.samples += samples.shape[1]
        self._encode(frame)

    def finish(self) -> None:
        """Encode the held-back audio, write the trailer and close."""
        self._encode(None)
        self._closed = True
        self.container.close()

    def close(self) -> None:
        """Let go after a failure or an abandoned stream: the trailer of a half-written file is nobody's loss."""
        if not self._closed:
            self._closed = True
            with contextlib.suppress(av.FFmpegError):
                self.container.close()
