"""Compressed audio through PyAV (FFmpeg's encoders and muxers in one wheel, no system ffmpeg).

One ``AvAudioWriter`` is one output container with one mono 24 kHz stream, fed chunk by chunk:
the server streams responses through it into a buffer it drains, ``kokoro book`` writes files
(M4B with chapters, one file per chapter). ``MUXINGS`` names, once, the container and codec of
each format either of them writes.
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


MUXINGS: dict[str, Muxing] = {
    "mp3": Muxing("mp3", "libmp3lame"),
    "opus": Muxing("ogg", "libopus"),
    "aac": Muxing("adts", "aac"),  # ADTS: raw AAC frames, streamable
    "flac": Muxing("flac", "flac"),
    "wav": Muxing("wav", "pcm_s16le"),
    # MPEG-4 audio (AAC) that players file as an audiobook; the plain mp4 muxer, since the ipod one
    # refuses a cover picture (see books/m4b.py).
    "m4b": Muxing("mp4", "aac"),
}


class AvAudioWriter:
    """One PyAV output container for a whole file or response; ``container`` is open for metadata,
    chapters and extra streams until the first ``write``."""

    def __init__(
        self,
        target: str | os.PathLike[str] | BinaryIO,
        muxing: Muxing,
        options: dict[str, str] | None = None,
        bit_rate: int | None = None,
    ) -> None:
        self.container = av.open(target, "w", format=muxing.container, options=options or {})
        self._stream = self.container.add_stream(muxing.codec, rate=SAMPLE_RATE, layout="mono")
        if bit_rate is not None:
            self._stream.bit_rate = bit_rate
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
