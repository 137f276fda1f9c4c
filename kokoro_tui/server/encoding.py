"""Audio formats of the speech API, encoded incrementally so a stream can send each chunk as it comes.

mp3, opus, aac and flac go through PyAV (``speech.av_audio``): one output container per response
writes into a buffer that is drained after every chunk. The buffer cannot seek, so muxers write
straight through and never go back to patch a header; every decoder reads such streams (FLAC
without a sample count, MP3 without a Xing frame). wav and pcm are 16-bit little-endian mono at
24 kHz, written by ``speech.audio_io``: a streamed WAV header carries the unknown-size marker, a
whole one its real sizes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.speech.audio_io import to_pcm16, wav_header
from kokoro_tui.speech.av_audio import MUXINGS, AvAudioWriter, Muxing, streaming_options


@dataclass(frozen=True)
class AudioFormat:
    name: str
    media_type: str
    muxing: Muxing | None = None  # None for the raw PCM formats written here


FORMATS: dict[str, AudioFormat] = {
    fmt.name: fmt
    for fmt in (
        AudioFormat("mp3", "audio/mpeg", MUXINGS["mp3"]),
        AudioFormat("opus", "audio/ogg; codecs=opus", MUXINGS["opus"]),  # RFC 7845's media type
        AudioFormat("aac", "audio/aac", MUXINGS["aac"]),
        AudioFormat("flac", "audio/flac", MUXINGS["flac"]),
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
        assert fmt.muxing is not None
        self._sink = _Drain()
        self._writer = AvAudioWriter(self._sink, fmt.muxing, streaming_options(fmt.muxing))

    def feed(self, audio: np.ndarray) -> bytes:
        self._writer.write(audio)
        return self._sink.take()

    def finish(self) -> bytes:
        self._writer.finish()
        return self._sink.take()

    def close(self) -> None:
        self._writer.close()


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


class WholeWavEncoder:
    """A whole WAV with its real sizes in the header: the PCM is kept until ``finish``, which knows its length."""

    def __init__(self) -> None:
        self._pcm: list[bytes] = []

    def feed(self, audio: np.ndarray) -> bytes:
        self._pcm.append(to_pcm16(audio))
        return b""

    def finish(self) -> bytes:
        body = b"".join(self._pcm)
        self._pcm.clear()
        return wav_header(len(body)) + body

    def close(self) -> None:
        self._pcm.clear()


def open_encoder(name: str, whole: bool = False) -> Encoder:
    """An incremental encoder for format ``name``. A streamed WAV says its size is unknown; a ``whole`` one,
    sent only at the end, carries its real sizes."""
    fmt = FORMATS[name]
    if fmt.muxing is not None:
        return PyavEncoder(fmt)
    if name == "wav":
        return WholeWavEncoder() if whole else PcmEncoder(wav_header(None))
    return PcmEncoder()


def encode(audio: np.ndarray, name: str) -> bytes:
    """``audio`` as one whole file of format ``name``."""
    encoder = open_encoder(name, whole=True)
    return encoder.feed(audio) + encoder.finish()
