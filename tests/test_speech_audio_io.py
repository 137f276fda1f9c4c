"""Audio writers: formats, atomic files, exact-size WAV, and the unknown-size streaming header."""

from __future__ import annotations

import io
import os
import stat
import struct
import subprocess
import sys
import threading
import wave

import numpy as np
import pytest
import soundfile as sf
from test_atomic import memory_device

from kokoro_tui.errors import KokoroError
from kokoro_tui.speech.audio_io import (
    ENCODED_FORMATS,
    FORMATS,
    BufferedWriter,
    StreamingWavWriter,
    can_stream,
    choose_format,
    open_file_writer,
    streaming_writer,
    to_pcm16,
)
from kokoro_tui.speech.av_audio import MUXINGS

SR = 24_000


def tone(n: int, freq: float = 220.0) -> np.ndarray:
    return (0.3 * np.sin(2 * np.pi * freq * np.arange(n) / SR)).astype(np.float32)


def test_choose_format():
    assert choose_format("x.flac", None) == "flac"
    assert choose_format("x.OGG", None) == "ogg"
    assert choose_format("noext", None) == "wav"  # a name without an extension: documented default
    assert choose_format("-", None) == "wav"
    assert choose_format(None, None) == "wav"
    assert choose_format("x.wav", "flac") == "flac"
    assert choose_format("x.mp3", "ogg") == "ogg"  # an explicit --format is taken at its word
    assert choose_format("x.M4A", None) == "m4a"
    with pytest.raises(KokoroError, match="unknown audio format"):
        choose_format("x.wav", "wma")


@pytest.mark.parametrize("name", ["out.wma", "x.raw", "a.WAVE"])
def test_an_extension_of_another_format_is_refused(name):
    with pytest.raises(KokoroError, match=r"is not an audio format kokoro writes") as caught:
        choose_format(name, None)
    assert ".wav, .flac, .ogg, .mp3, .opus, .m4a or .aac" in str(caught.value) and "--format" in str(caught.value)


def test_pcm16_clips_instead_of_wrapping():
    pcm = np.frombuffer(to_pcm16(np.array([1.7, -2.0, 0.5], np.float32)), "<i2")
    assert pcm.tolist() == [32767, -32767, 16384]


@pytest.mark.parametrize("fmt", ["wav", "flac", "ogg"])
def test_file_writer_formats_round_trip(tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    chunks = [tone(4000), tone(6000, 330.0)]
    with open_file_writer(target, fmt) as writer:
        for chunk in chunks:
            writer.write(chunk)
    audio, sr = sf.read(target, dtype="float32")
    assert sr == SR
    assert len(audio) == 10_000
    assert sf.info(target).format == {"wav": "WAV", "flac": "FLAC", "ogg": "OGG"}[fmt]
    if fmt != "ogg":  # lossless: equal to 16-bit precision
        assert np.max(np.abs(audio - np.concatenate(chunks))) < 1e-4
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def decoded(data: bytes) -> tuple[str, int, np.ndarray]:
    """(codec, sample rate, mono samples) of an encoded file, read back through FFmpeg."""
    import av

    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        frames = [frame.to_ndarray().reshape(-1) for frame in container.decode(stream)]
        return stream.codec_context.name, stream.rate, np.concatenate(frames)


def peak_hz(audio: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(audio * np.hanning(len(audio))))
    return float(np.argmax(spectrum) * rate / len(audio))


def assert_encoded_tones(data: bytes, fmt: str) -> None:
    """``data`` holds 4,000 samples at 220 Hz then 6,000 at 330 Hz, in ``fmt``'s codec, at their level."""
    codec, rate, audio = decoded(data)
    assert codec.startswith({"mp3": "mp3", "opus": "opus", "m4a": "aac", "aac": "aac"}[fmt])
    seconds = len(audio) / rate
    assert 10_000 / SR - 0.01 <= seconds <= 10_000 / SR + 0.1  # encoders pad with a frame or two
    level = np.sqrt(np.mean(audio[len(audio) // 10 : -len(audio) // 10] ** 2))
    assert 0.3 / np.sqrt(2) * 0.8 < level < 0.3 / np.sqrt(2) * 1.2
    second = audio[int(0.25 * rate) : int(0.4 * rate)]  # inside the 330 Hz tone whatever the codec's delay
    assert abs(peak_hz(second, rate) - 330.0) < 10


@pytest.mark.parametrize("fmt", ENCODED_FORMATS)
def test_encoded_formats_round_trip(tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    with open_file_writer(target, fmt) as writer:
        writer.write(tone(4000))
        writer.write(tone(6000, 330.0))
    assert_encoded_tones(target.read_bytes(), fmt)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.parametrize("fmt", ENCODED_FORMATS)
def test_buffered_encoded_formats(fmt):
    writer = BufferedWriter()
    writer.write(tone(4000))
    writer.write(tone(6000, 330.0))
    assert_encoded_tones(writer.encode(fmt), fmt)


def test_encoded_formats_have_speech_bit_rates(tmp_path):
    """The encoders' defaults are not used: libmp3lame's is 32 kbit/s at 24 kHz."""
    target = tmp_path / "long.mp3"
    with open_file_writer(target, "mp3") as writer:
        writer.write(tone(10 * SR))
    assert abs(target.stat().st_size * 8 / 10 - MUXINGS["mp3"].bit_rate) < 0.1 * MUXINGS["mp3"].bit_rate


class Pipe(io.BytesIO):
    def seekable(self) -> bool:
        return False


@pytest.mark.parametrize("fmt", FORMATS)
def test_streamed_formats_send_each_chunk_as_it_comes(fmt):
    if not can_stream(fmt):
        assert fmt in ("flac", "ogg", "m4a")  # their writers seek back: into a pipe they go whole, at the end
        return
    pipe = Pipe()
    writer = streaming_writer(pipe, fmt)
    writer.write(tone(4000))
    writer.write(tone(6000, 330.0))
    before_finish = len(pipe.getvalue())
    writer.finish()
    assert before_finish > 0.5 * len(pipe.getvalue())  # most of it was out before the end
    if fmt == "wav":
        return
    assert_encoded_tones(pipe.getvalue(), fmt)


def test_file_writer_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.wav"
    with pytest.raises(RuntimeError):
        with open_file_writer(target, "wav") as writer:
            writer.write(tone(1000))
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_buffered_wav_has_exact_sizes():
    writer = BufferedWriter()
    writer.write(tone(1000))
    writer.write(tone(500))
    data = writer.encode("wav")
    riff_size, = struct.unpack("<I", data[4:8])
    data_size, = struct.unpack("<I", data[40:44])
    assert data_size == 1500 * 2
    assert riff_size == len(data) - 8
    audio, sr = sf.read(io.BytesIO(data), dtype="float32")
    assert (sr, len(audio)) == (SR, 1500)


def test_buffered_flac_encodes():
    writer = BufferedWriter()
    writer.write(tone(2400))
    audio, sr = sf.read(io.BytesIO(writer.encode("flac")), dtype="float32")
    assert (sr, len(audio)) == (SR, 2400)


def test_streaming_wav_is_readable_by_soundfile(tmp_path):
    sink = io.BytesIO()
    writer = StreamingWavWriter(sink)
    assert sink.getvalue() == b""  # nothing at all until there is audio
    chunks = [tone(3000), tone(2000, 440.0), tone(1234)]
    writer.write(chunks[0])
    assert len(sink.getvalue()) == 44 + 2 * 3000  # header and first chunk out at once
    assert struct.unpack("<I", sink.getvalue()[40:44]) == (0xFFFFFFFF,)
    for chunk in chunks[1:]:
        writer.write(chunk)
    path = tmp_path / "stream.wav"
    path.write_bytes(sink.getvalue())
    audio, sr = sf.read(path, dtype="float32")
    assert sr == SR
    assert len(audio) == 6234
    assert np.max(np.abs(audio - np.concatenate(chunks))) < 1e-4


def test_streaming_wav_patches_its_sizes_when_it_can_seek(tmp_path):
    sink = io.BytesIO(b"xyz")
    sink.seek(3)  # the header need not be at offset 0
    writer = StreamingWavWriter(sink)
    writer.write(tone(3000))
    writer.write(tone(1000))
    writer.finish()
    data = sink.getvalue()[3:]
    assert struct.unpack("<I", data[4:8]) == (len(data) - 8,)
    assert struct.unpack("<I", data[40:44]) == (4000 * 2,)
    assert sink.tell() == len(sink.getvalue())  # left at the end, ready for more
    with wave.open(io.BytesIO(data)) as reader:
        assert reader.getnframes() == 4000


def test_streaming_wav_leaves_unseekable_and_append_streams_alone(tmp_path):
    pipe = Pipe()
    writer = StreamingWavWriter(pipe)
    writer.write(tone(100))
    writer.finish()
    assert struct.unpack("<I", pipe.getvalue()[40:44]) == (0xFFFFFFFF,)
    with open(tmp_path / "appended.wav", "ab") as appended:
        writer = StreamingWavWriter(appended)
        writer.write(tone(100))
        writer.finish()
    assert struct.unpack("<I", (tmp_path / "appended.wav").read_bytes()[40:44]) == (0xFFFFFFFF,)


def read_fifo_while(fifo, write) -> bytes:
    """Everything ``write()`` sends into ``fifo``, read by another thread as a player would."""
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write()
    reader.join(timeout=10)
    assert received, "the reader got nothing"
    return received[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_fifo_gets_a_stream_and_stays_a_fifo(tmp_path, fmt):
    """`-o >(aplay)` or a named pipe: streamed into, never replaced by a regular file."""
    fifo = tmp_path / "player"
    os.mkfifo(fifo)

    def write() -> None:
        with open_file_writer(fifo, fmt) as writer:
            writer.write(tone(3000))
            writer.write(tone(2000))

    data = read_fifo_while(fifo, write)
    if fmt in ENCODED_FORMATS:
        assert decoded(data)[2].size >= 5000
        return
    audio, sr = sf.read(io.BytesIO(data), dtype="float32")
    assert (sr, len(audio)) == (SR, 5000)
    if fmt == "wav":  # the streaming header: a pipe cannot be patched afterwards
        assert struct.unpack("<I", data[40:44]) == (0xFFFFFFFF,)
    assert fifo.is_fifo() and [p.name for p in tmp_path.iterdir()] == ["player"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_devices_are_written_in_place(tmp_path, fmt):
    """`-o /dev/null` and `-o /dev/full`, on private twins of those devices."""
    null, full = memory_device(tmp_path, "null"), memory_device(tmp_path, "full")
    with open_file_writer(null, fmt) as writer:
        writer.write(tone(3000))
    full_device = pytest.raises(KokoroError, match=r"^cannot write .*/full: No space left on device$")
    with full_device as caught, open_file_writer(full, fmt) as writer:
        writer.write(tone(48_000))
    assert caught.value.exit_code == 1
    assert all(stat.S_ISCHR(os.stat(device).st_mode) for device in (null, full))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", "null"]


def test_a_symlinked_output_keeps_its_link(tmp_path):
    target = tmp_path / "takes" / "take1.wav"
    target.parent.mkdir()
    target.write_bytes(b"old")
    (tmp_path / "latest.wav").symlink_to(target)
    with open_file_writer(tmp_path / "latest.wav", "wav") as writer:
        writer.write(tone(1000))
    assert (tmp_path / "latest.wav").is_symlink()
    assert sf.info(target).frames == 1000


# Writing past RLIMIT_FSIZE fails with EFBIG inside libsndfile's or our own writes, as a full disk
# fails with ENOSPC (CPython ignores SIGXFSZ, so the write returns the error instead of killing).
FILLS_THE_DISK = """
import resource, sys
from pathlib import Path
import numpy as np
from kokoro_tui.errors import KokoroError
from kokoro_tui.speech.audio_io import open_file_writer
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, resource.RLIM_INFINITY))
try:
    with open_file_writer(Path(sys.argv[1]), sys.argv[2]) as writer:
        for _ in range(20):
            writer.write(np.random.default_rng(0).uniform(-0.5, 0.5, 24_000).astype(np.float32))
except KokoroError as error:
    print(error, error.exit_code)
"""


@pytest.mark.parametrize("fmt", ["wav", "flac", "ogg"])
def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path, fmt):
    target = tmp_path / f"long.{fmt}"
    done = subprocess.run(
        [sys.executable, "-c", FILLS_THE_DISK, str(target), fmt], capture_output=True, text=True, timeout=120, check=False
    )
    assert (done.stdout, done.stderr) == (f"cannot write {target}: File too large 1\n", "")  # no traceback, exit 1
    assert list(tmp_path.iterdir()) == []


def test_a_wav_with_no_audio_is_still_a_wav(tmp_path):
    with open_file_writer(tmp_path / "empty.wav", "wav"):
        pass
    with wave.open(str(tmp_path / "empty.wav")) as reader:
        assert reader.getnframes() == 0
