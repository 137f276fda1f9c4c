"""Audio writers: formats, atomic files, exact-size WAV, and the unknown-size streaming header."""

from __future__ import annotations

import io
import struct
import wave

import numpy as np
import pytest
import soundfile as sf

from kokoro_tui.errors import KokoroError
from kokoro_tui.speech.audio_io import (
    BufferedWriter,
    StreamingWavWriter,
    choose_format,
    open_file_writer,
    to_pcm16,
)

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
    with pytest.raises(KokoroError, match="unknown audio format"):
        choose_format("x.wav", "mp3")


@pytest.mark.parametrize("name", ["out.mp3", "x.raw", "a.WAVE"])
def test_an_extension_of_another_format_is_refused(name):
    with pytest.raises(KokoroError, match=r"is not an audio format kokoro writes") as caught:
        choose_format(name, None)
    assert "wav, .flac or .ogg" in str(caught.value) and "--format" in str(caught.value)


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
    class Pipe(io.BytesIO):
        def seekable(self) -> bool:
            return False

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
