"""Audio writers: formats, atomic files, exact-size WAV, and the unknown-size streaming header."""

from __future__ import annotations

import io
import struct

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
    assert choose_format("x.raw", None) == "wav"
    assert choose_format("-", None) == "wav"
    assert choose_format(None, None) == "wav"
    assert choose_format("x.wav", "flac") == "flac"
    with pytest.raises(KokoroError, match="unknown audio format"):
        choose_format("x.wav", "mp3")


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
