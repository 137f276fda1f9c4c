"""Audio formats of the speech API, encoded incrementally so a stream can send each chunk as it comes.

mp3, opus, aac and flac go through PyAV (FFmpeg's encoders and muxers in one wheel): one output
container per response writes into a buffer that is drained after every chunk. The buffer cannot
seek, so muxers write straight through and never go back to patch a header; every decoder reads
such streams (FLAC without a sample count, MP3 without a Xing frame). wav and pcm are 16-bit
little-endian mono at 24 kHz, written by ``speech.audio_io``: a streamed WAV header carries the
unknown-size marker, a whole one its real sizes.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Protocol

import av
import numpy as np

from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.speech.audio_io import to_pcm16, wav_header

# Hand each packet to our buffer at once (FFmpeg's I/O layer would otherwise hold 32 KiB back).
MUXER_OPTIONS = {"flush_packets": "1"}


@dataclass(frozen=True)
class AudioFormat:
    name: str
    media_type: str
    container: str | None = None  # PyAV muxer; None for the raw PCM formats written here
    codec: str | None = None
    options: dict[str, str] = field(default_factory=dict)  # muxer options besides MUXER_OPTIONS


FORMATS: dict[str, AudioFormat] = {
    fmt.name: fmt
    for fmt in (
        AudioFormat("mp3", "audio/mpeg", "mp3", "libmp3lame"),
        # Ogg pages of 20 ms instead of 1 s, so a streamed chunk's audio leaves with it (RFC 7845 media type).
        AudioFormat("opus", "audio/ogg; codecs=opus", "ogg", "libopus", {"page_duration": "20000"}),
        AudioFormat("aac", "audio/aac", "adts", "aac"),  # ADTS: raw AAC frames, streamable
        AudioFormat("flac", "audio/flac", "flac", "flac"),
        AudioFormat("wav", "audio/wav"),
        AudioFormat("pcm", f"audio/pcm;rate={SAMPLE_RATE}"),
    )
}


class Encoder(Protocol):
    def feed(self, audio: np.ndarray) -> bytes:
        """Encode one chunk; the bytes ready so far (an encoder may hold some audio back)."""
        ...

    def finish(self) -> bytes:
        """The rest: held-back audio and the container's trailer."""
        ...

    def close(self) -> None:
        """Free the encoder; a stream abandoned half-way calls only this."""
        ...


class _Drain:
    """A write-only file for PyAV; ``take`` empties it. No ``seek``: muxers must write straight through."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


class PyavEncoder:
    """One PyAV output container for a whole response, fed chunk by chunk."""

    def __init__(self, fmt: AudioFormat) -> None:
        assert fmt.container is not None and fmt.codec is not None
        self._sink = _Drain()
        self._container = av.open(self._sink, "w", format=fmt.container, options={**MUXER_OPTIONS, **fmt.options})
        self._stream = self._container.add_stream(fmt.codec, rate=SAMPLE_RATE, layout="mono")
        self._closed = False

    def _encode(self, frame: av.AudioFrame | None) -> None:
        for packet in self._stream.encode(frame):
            self._container.mux(packet)

    def feed(self, audio: np.ndarray) -> bytes:
        samples = np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0)[None, :]
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples), format="flt", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        self._encode(frame)
        return self._sink.take()

    def finish(self) -> bytes:
        self._encode(None)
        self.close()
        return self._sink.take()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            with contextlib.suppress(av.FFmpegError):  # an abandoned stream's trailer is nobody's loss
                self._container.close()


class PcmEncoder:
    """16-bit PCM, after ``header`` (a WAV header, or nothing for raw pcm) on the first chunk."""

    def __init__(self, header: bytes = b"") -> None:
        self._header = header

    def feed(self, audio: np.ndarray) -> bytes:
        data, self._header = self._header + to_pcm16(audio), b""
        return data

    def finish(self) -> bytes:
        return self.feed(np.zeros(0, np.float32))

    def close(self) -> None:
        pass


def open_encoder(name: str) -> Encoder:
    """An incremental encoder for format ``name``: a streamed WAV says its size is unknown."""
    fmt = FORMATS[name]
    if fmt.container is not None:
        return PyavEncoder(fmt)
    return PcmEncoder(wav_header(None) if name == "wav" else b"")


def encode(audio: np.ndarray, name: str) -> bytes:
    """``audio`` as one whole file of format ``name`` (a WAV header with its real sizes)."""
    if name == "wav":
        return wav_header(2 * len(audio)) + to_pcm16(audio)
    encoder = open_encoder(name)
    return encoder.feed(audio) + encoder.finish()
