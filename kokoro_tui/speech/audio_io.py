"""Audio output: files (atomic, written chunk by chunk) and stdout, in every format ``FORMATS`` names.

Samples are written as 16-bit PCM for WAV and FLAC (what every player accepts; the model's
output is well inside its range) and Vorbis for OGG, through libsndfile; MP3, Opus and AAC (raw
ADTS, or MPEG-4 in an .m4a) are encoded by FFmpeg through PyAV (``speech.av_audio``) at its speech
bit rates. Files go through ``atomic_path``: a temp file next to the target that is renamed at the
end, so an interrupted run leaves nothing behind; a device or FIFO (``-o /dev/null``, ``-o >(aplay)``)
is written directly instead. Into a pipe, WAV, MP3, Opus and AAC go chunk by chunk; FLAC, OGG and
M4A, whose writers seek back, are encoded whole at the end.

For a pipe, the RIFF and data sizes are unknown when streaming starts; the header then
carries 0xFFFFFFFF in both, the convention ffmpeg uses for unseekable WAV output, which
libsndfile (soundfile), ffmpeg and sox read up to end of stream. When the stream can seek
back (a file, or stdout redirected to one), the real sizes are patched in at the end, so the
file is a plain WAV that every reader (Python's ``wave`` included) accepts.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

import numpy as np

from kokoro_tui.atomic import atomic_path
from kokoro_tui.errors import KokoroError, path_error
from kokoro_tui.speech.types import SAMPLE_RATE

if TYPE_CHECKING:  # PyAV loads only when an encoded format is written
    from kokoro_tui.speech.av_audio import AvAudioWriter

# format name -> (soundfile major format, subtype): written through libsndfile
SOUNDFILE_FORMATS: dict[str, tuple[str, str]] = {
    "wav": ("WAV", "PCM_16"),
    "flac": ("FLAC", "PCM_16"),
    "ogg": ("OGG", "VORBIS"),
}
ENCODED_FORMATS = ("mp3", "opus", "m4a", "aac")  # encoded through PyAV, muxed as ``av_audio.MUXINGS`` says
FORMATS = (*SOUNDFILE_FORMATS, *ENCODED_FORMATS)  # every format kokoro writes audio in, as help texts list them

UNKNOWN_SIZE = 0xFFFFFFFF
PCM16 = np.dtype("<i2")  # WAV's and raw pcm's samples: 16-bit little-endian
PCM16_SCALE = 32767.0  # full scale, so that 1.0 and -1.0 map to +-32767 and zero stays zero


class AudioWriter(Protocol):
    def write(self, audio: np.ndarray) -> None: ...


class FinishingWriter(AudioWriter, Protocol):
    def finish(self) -> None: ...


def format_list(dot: str = "") -> str:
    """``wav, flac, ... or aac``; with ``dot="."`` the file extensions ``.wav, .flac, ... or .aac``."""
    names = [dot + name for name in FORMATS]
    return ", ".join(names[:-1]) + f" or {names[-1]}"


def choose_format(output: str | None, requested: str | None) -> str:
    """The explicit ``--format`` wins; else the output extension; WAV for stdout or a name without one.

    An extension that names another format (``out.mp3``) is refused rather than filled with WAV.
    """
    if requested is not None:
        name = requested.lower()
        if name not in FORMATS:
            raise KokoroError(f"unknown audio format {requested!r}", hint=f"choose {format_list()}")
        return name
    if not output or output == "-":
        return "wav"
    suffix = Path(output).suffix.lower().lstrip(".")
    if suffix and suffix not in FORMATS:
        raise KokoroError(
            f"cannot write {Path(output).name}: .{suffix} is not an audio format kokoro writes",
            hint=f"use {format_list('.')}, or pass --format",
        )
    return suffix or "wav"


def to_pcm16(audio: np.ndarray) -> bytes:
    """Little-endian 16-bit PCM, clipped so an overshoot cannot wrap around."""
    clipped = np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0)
    return (np.round(clipped * PCM16_SCALE)).astype(PCM16).tobytes()


def from_pcm16(data: bytes) -> np.ndarray:
    """``to_pcm16`` undone: float32 samples that ``to_pcm16`` turns back into the same bytes."""
    return np.frombuffer(data, dtype=PCM16).astype(np.float32) / PCM16_SCALE


def wav_header(data_bytes: int | None, sample_rate: int = SAMPLE_RATE) -> bytes:
    """A 44-byte PCM16 mono header; ``None`` writes the unknown-size marker for streams."""
    data_size = UNKNOWN_SIZE if data_bytes is None else data_bytes
    riff_size = UNKNOWN_SIZE if data_bytes is None else 36 + data_bytes
    block_align = 2
    fmt = struct.pack("<HHIIHH", 1, 1, sample_rate, sample_rate * block_align, block_align, 16)
    return (
        b"RIFF" + struct.pack("<I", riff_size) + b"WAVE"
        + b"fmt " + struct.pack("<I", len(fmt)) + fmt
        + b"data" + struct.pack("<I", data_size)
    )


PIPE_BLOCK = 64 * 1024


def write_all(stream: BinaryIO, data: bytes) -> None:
    """Write and flush in pipe-sized blocks.

    One large write to a pipe whose reader has gone can return a partial count that CPython's
    buffered writer accepts without error; block by block, the next write raises BrokenPipeError
    as it should, so a truncated output never looks like success.
    """
    view = memoryview(data)
    for start in range(0, len(view), PIPE_BLOCK):
        stream.write(view[start : start + PIPE_BLOCK])
        stream.flush()


def _can_patch(stream: BinaryIO) -> bool:
    """Whether bytes already written can be rewritten in place: seekable and not opened for append
    (``>>``), where every write lands at the end whatever the position."""
    try:
        if not stream.seekable():
            return False
        fd = stream.fileno()
    except (OSError, ValueError):  # no file descriptor: an in-memory buffer, seekable as it said
        return True
    import fcntl

    return not fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_APPEND


class StreamingWavWriter:
    """Writes each chunk's PCM as soon as it arrives, flushing each time.

    The header goes out with the first chunk, not before: if the input turns out to be
    unspeakable, the pipe receives nothing at all rather than a header with no audio.
    ``finish()`` patches the real sizes into the header where the stream allows it.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._started = False
        self._header_at: int | None = None  # where the header starts, when it can be patched
        self._data_bytes = 0

    def write(self, audio: np.ndarray) -> None:
        if not self._started and _can_patch(self._stream):
            self._header_at = self._stream.tell()
        pcm = to_pcm16(audio)
        header = b"" if self._started else wav_header(None)
        self._started = True
        write_all(self._stream, header + pcm)
        self._data_bytes += len(pcm)

    def finish(self) -> None:
        """Write the RIFF and data sizes into the header if the stream can seek back to it.

        With no audio at all, the header alone goes out: a valid WAV of length zero.
        """
        if not self._started:
            self.write(np.zeros(0, dtype=np.float32))
        if self._header_at is None or 36 + self._data_bytes >= UNKNOWN_SIZE:
            return
        end = self._stream.tell()
        self._stream.seek(self._header_at + 4)
        self._stream.write(struct.pack("<I", 36 + self._data_bytes))
        self._stream.seek(self._header_at + 40)
        self._stream.write(struct.pack("<I", self._data_bytes))
        self._stream.seek(end)
        self._stream.flush()


class BufferedWriter:
    """Collects chunks so the whole file can be written with exact sizes at the end."""

    def __init__(self) -> None:
        self.chunks: list[np.ndarray] = []

    def write(self, audio: np.ndarray) -> None:
        self.chunks.append(np.asarray(audio, dtype=np.float32))

    def encode(self, fmt: str) -> bytes:
        audio = np.concatenate(self.chunks) if self.chunks else np.zeros(0, dtype=np.float32)
        if fmt == "wav":
            return wav_header(len(audio) * 2) + to_pcm16(audio)
        buffer = io.BytesIO()
        if fmt in ENCODED_FORMATS:
            writer = _av_writer(buffer, fmt, streamed=False)
            writer.write(audio)
            writer.finish()
            return buffer.getvalue()
        import soundfile

        major, subtype = SOUNDFILE_FORMATS[fmt]
        soundfile.write(buffer, audio, SAMPLE_RATE, format=major, subtype=subtype)
        return buffer.getvalue()


class _WriteThrough:
    """``stream`` as PyAV sees it when it cannot seek: write only, so muxers write straight through."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def write(self, data: bytes) -> int:
        write_all(self._stream, data)
        return len(data)


def _av_writer(target: BinaryIO, fmt: str, streamed: bool) -> AvAudioWriter:
    from kokoro_tui.speech.av_audio import MUXINGS, AvAudioWriter, streaming_options

    muxing = MUXINGS[fmt]
    if streamed:
        return AvAudioWriter(_WriteThrough(target), muxing, streaming_options(muxing))
    return AvAudioWriter(target, muxing)


def can_stream(fmt: str) -> bool:
    """Whether ``fmt`` can go into a pipe chunk by chunk, its writer never seeking back."""
    if fmt == "wav":
        return True
    from kokoro_tui.speech.av_audio import MUXINGS

    return fmt in ENCODED_FORMATS and not MUXINGS[fmt].seekable_only


def streaming_writer(stream: BinaryIO, fmt: str) -> FinishingWriter:
    """A writer that sends each chunk of ``fmt`` (``can_stream``) into ``stream`` as it comes."""
    if fmt == "wav":
        return StreamingWavWriter(stream)
    return _av_writer(stream, fmt, streamed=True)


class _SoundFileWriter:
    def __init__(self, handle) -> None:  # soundfile.SoundFile
        self._handle = handle

    def write(self, audio: np.ndarray) -> None:
        self._handle.write(np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0))


class _GuardedStream:
    """The output as libsndfile's virtual I/O sees it.

    An OSError raised inside libsndfile's C callbacks would print a traceback and come back as its
    bare "System error"; it is kept here instead (the callback reports a failed count), so that the
    real reason (No space left on device) can be told.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.error: OSError | None = None

    def _call(self, method: Callable[..., int], *args: object, failed: int) -> int:
        if self.error is None:
            try:
                return method(*args)
            except OSError as error:
                self.error = error
        return failed

    def write(self, data: bytes) -> int:
        return self._call(self._stream.write, data, failed=0)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._call(self._stream.seek, offset, whence, failed=-1)

    def tell(self) -> int:
        return self._call(self._stream.tell, failed=-1)


@contextmanager
def _reported(path: Path, guarded: _GuardedStream | None = None) -> Iterator[None]:
    """A failure of the output (a full disk, a FIFO's reader gone) as one KokoroError naming ``path``;
    whatever libsndfile made of an OSError, the OSError is what is reported."""
    try:
        yield
    except OSError as error:
        raise path_error("write", path, error) from error
    except Exception as error:
        if guarded is None or guarded.error is None:
            raise
        raise path_error("write", path, guarded.error) from error


class _FileOutput:
    """One audio file being written: ``write`` each chunk, then ``close``; ``abandon`` after any failure.

    WAV goes through StreamingWavWriter, the writer stdout uses, so a FIFO gets a streamable header
    and a file its exact sizes. Into a file the others are written as they come; into a FIFO, those
    that ``can_stream`` are streamed as to stdout, and FLAC, OGG and M4A, whose writers must seek, are
    encoded whole at the end.
    """

    def __init__(self, out: Path, path: Path, fmt: str) -> None:
        self._path = path
        with _reported(path):
            self._stream: BinaryIO = open(out, "wb")  # noqa: SIM115 (closed by close() or abandon())
        self._guarded = _GuardedStream(self._stream)
        self._sound = None  # the soundfile.SoundFile, for FLAC and OGG into a seekable output
        self._av: AvAudioWriter | None = None  # the PyAV writer, for an encoded format
        try:
            self._writer, self._finish = self._encoder(fmt)
        except BaseException:
            self.abandon()
            raise

    def _encoder(self, fmt: str) -> tuple[AudioWriter, Callable[[], None]]:
        seekable = self._stream.seekable()
        if fmt == "wav":
            wav = StreamingWavWriter(self._stream)
            return wav, wav.finish
        if fmt in ENCODED_FORMATS and (seekable or can_stream(fmt)):
            self._av = _av_writer(self._stream, fmt, streamed=not seekable)
            return self._av, self._av.finish
        if not seekable:
            buffered = BufferedWriter()
            return buffered, lambda: write_all(self._stream, buffered.encode(fmt))
        import soundfile

        major, subtype = SOUNDFILE_FORMATS[fmt]
        with _reported(self._path, self._guarded):
            self._sound = soundfile.SoundFile(
                self._guarded, mode="w", samplerate=SAMPLE_RATE, channels=1, format=major, subtype=subtype
            )
        return _SoundFileWriter(self._sound), self._sound.close

    def write(self, audio: np.ndarray) -> None:
        with _reported(self._path, self._guarded):
            self._writer.write(audio)

    def close(self) -> None:
        with _reported(self._path, self._guarded):
            self._finish()
            self._stream.close()

    def abandon(self) -> None:
        """Let go of the output after a failure; errors now would only hide the one being raised."""
        with suppress(Exception):
            if self._sound is not None:
                self._sound.close()
            if self._av is not None:
                self._av.close()
        with suppress(OSError):
            self._stream.close()


@contextmanager
def open_file_writer(path: Path, fmt: str) -> Iterator[AudioWriter]:
    """Write chunks into ``path`` as they come, by way of ``atomic_path``: a temp file renamed over
    ``path`` only on success, or a device or FIFO directly."""
    with atomic_path(path) as out:
        output = _FileOutput(out, path, fmt)
        try:
            yield output
            output.close()
        except BaseException:
            output.abandon()
            raise
