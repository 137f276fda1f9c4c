"""`kokoro say` on the fake front end/model: inputs, outputs, formats, streaming, errors.

In-process runs use typer's CliRunner; the ones that need real pipes, a terminal or the exit
path through ``run()`` start ``python`` in a subprocess with the same fakes installed.
"""

from __future__ import annotations

import io
import json
import os
import pty
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from typer.testing import CliRunner

from kokoro_tui.cli.main import app
from test_speech_pipeline import install_fakes

TESTS = Path(__file__).parent
LAUNCHER = (
    "import sys; sys.path.insert(0, {tests!r});"
    "import test_speech_pipeline as f; f.install_fakes(setattr);"
    "from kokoro_tui.cli.main import run; sys.argv = ['kokoro', *sys.argv[1:]]; run()"
).format(tests=str(TESTS))
TEXT = "Hello there. This is a test! Last one"


@pytest.fixture
def fakes(monkeypatch, tmp_path):
    monkeypatch.setenv("KOKORO_HOME", str(tmp_path / "home"))
    return install_fakes(monkeypatch.setattr)


def say(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, ["say", *args], input=stdin)


def kokoro(*args: str, cwd: Path, stdin: bytes | None = None, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    env = dict(os.environ, KOKORO_HOME=str(cwd / "home"))
    return subprocess.run(
        [sys.executable, "-c", LAUNCHER, *args], input=stdin, stdout=stdout, stderr=subprocess.PIPE, cwd=cwd, env=env,
        timeout=120,
    )


def wav_frames(data: bytes) -> int:
    audio, sr = sf.read(io.BytesIO(data), dtype="float32")
    assert sr == 24_000
    return len(audio)


def test_argument_to_file(fakes, tmp_path):
    out = tmp_path / "a.wav"
    result = say(TEXT, "-o", str(out))
    assert result.exit_code == 0, result.output
    audio, sr = sf.read(out)
    assert sr == 24_000 and len(audio) > 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["a.wav"]


def test_precision_reaches_the_synthesizer(fakes, tmp_path, monkeypatch):
    from kokoro_tui.speech import synthesizers

    requested = []
    fake_load = synthesizers.load_synthesizer

    def load_synthesizer(backend, device, home, precision="fp32"):
        requested.append(precision)
        return fake_load(backend, device, home, precision)

    monkeypatch.setattr(synthesizers, "load_synthesizer", load_synthesizer)
    result = say(TEXT, "-o", str(tmp_path / "a.wav"), "--precision", "int8", "--device", "cpu")
    assert result.exit_code == 0, result.output
    assert requested == ["int8"]


def test_stdin_and_file_give_the_same_audio(fakes, tmp_path):
    source = tmp_path / "in.txt"
    source.write_text(TEXT)
    assert say("--file", str(source), "-o", str(tmp_path / "f.wav")).exit_code == 0
    assert say("-", "-o", str(tmp_path / "s.wav"), stdin=TEXT).exit_code == 0
    assert say("-o", str(tmp_path / "n.wav"), stdin=TEXT).exit_code == 0
    f, s, n = (sf.read(tmp_path / name)[0] for name in ("f.wav", "s.wav", "n.wav"))
    assert np.array_equal(f, s) and np.array_equal(f, n)


@pytest.mark.parametrize(("name", "extra", "expected"), [
    ("x.flac", [], "FLAC"), ("x.ogg", [], "OGG"), ("x.wav", [], "WAV"), ("x.audio", ["--format", "flac"], "FLAC"),
])
def test_formats(fakes, tmp_path, name, extra, expected):
    result = say("Hello there.", "-o", str(tmp_path / name), *extra)
    assert result.exit_code == 0, result.output
    assert sf.info(tmp_path / name).format == expected


def test_stdout_wav_has_exact_sizes(tmp_path):
    result = kokoro("say", "-", cwd=tmp_path, stdin=TEXT.encode())
    assert result.returncode == 0, result.stderr
    data = result.stdout
    assert data[:4] == b"RIFF" and struct.unpack("<I", data[40:44])[0] == len(data) - 44
    assert wav_frames(data) == (len(data) - 44) // 2


def test_stream_to_stdout_is_readable(tmp_path):
    result = kokoro("say", TEXT, "--stream", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert struct.unpack("<I", result.stdout[40:44])[0] == 0xFFFFFFFF
    path = tmp_path / "streamed.wav"
    path.write_bytes(result.stdout)
    plain = kokoro("say", TEXT, cwd=tmp_path).stdout
    streamed, _ = sf.read(path, dtype="int16")
    assert np.array_equal(streamed, sf.read(io.BytesIO(plain), dtype="int16")[0])


def test_stream_to_file(fakes, tmp_path):
    assert say(TEXT, "--stream", "-o", str(tmp_path / "s.wav")).exit_code == 0
    assert say(TEXT, "-o", str(tmp_path / "p.wav")).exit_code == 0
    assert np.array_equal(sf.read(tmp_path / "s.wav")[0], sf.read(tmp_path / "p.wav")[0])


def test_timestamps_json_match_the_audio(fakes, tmp_path):
    stamps_path = tmp_path / "t.json"
    result = say(TEXT, "-o", str(tmp_path / "a.wav"), "--timestamps", str(stamps_path))
    assert result.exit_code == 0, result.output
    stamps = json.loads(stamps_path.read_text())
    assert [TEXT[s["start_char"] : s["end_char"]] for s in stamps] == [s["word"] for s in stamps]
    assert len(stamps) == 8
    duration = sf.info(tmp_path / "a.wav").duration
    assert 0 < stamps[-1]["end"] <= duration


def test_timestamps_srt(fakes, tmp_path):
    result = say(TEXT, "-o", str(tmp_path / "a.wav"), "--timestamps", str(tmp_path / "t.srt"))
    assert result.exit_code == 0
    assert (tmp_path / "t.srt").read_text().startswith("1\n00:00:00,")


def test_phonemes_only(fakes, tmp_path):
    result = say(TEXT, "--phonemes")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["hello there", "this is a test", "last one"]
    assert fakes["synth"] == 0  # no model needed


def test_ipa_input(fakes, tmp_path):
    result = say("hɛlˈO wˈɜɹld.", "--ipa", "--phonemes")
    assert result.stdout == "hɛlˈO wˈɜɹld.\n"
    assert say("hello world", "--ipa", "-o", str(tmp_path / "i.wav")).exit_code == 0


def test_verbose_reports_speed(tmp_path):
    result = kokoro("say", TEXT, "--verbose", "-o", str(tmp_path / "v.wav"), cwd=tmp_path)
    assert result.returncode == 0
    assert b"time to first audio" in result.stderr and b"real-time factor" in result.stderr


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["say", ""], None, b"empty"),
    (["say", "-"], b"   \n", b"empty"),
    (["say", "Hi.", "--lang", "x"], None, b"unknown language"),
    (["say", "Hi.", "--speed", "0"], None, b"speed"),
    (["say", "Hi.", "--timestamps", "t.txt"], None, b"timestamp format"),
    (["say", "Hi.", "--format", "mp3"], None, b"unknown audio format"),
    (["say", "Hi.", "--stream", "--format", "flac"], None, b"--stream to stdout"),
    (["say", "--file", "missing.txt"], None, b"no such file"),
    (["say", "!!! ...", "--stream"], None, b"nothing"),
    (["say", "Hi.", "--precision", "fp16"], None, b"unknown precision"),
    (["say", "Hi.", "--precision", "int8", "--device", "cuda"], None, b"CPU only"),
    (["say", "Hi.", "--precision", "int8", "--backend", "onnx"], None, b"torch backend"),
])
def test_user_errors_are_one_line(tmp_path, args, stdin, message):
    result = kokoro(*args, "-o", "out.wav", cwd=tmp_path, stdin=stdin) if "--stream" not in args else kokoro(
        *args, cwd=tmp_path, stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr
    assert b"Traceback" not in result.stderr
    assert result.stderr.decode().strip().count("\n") == 0
    assert not (tmp_path / "out.wav").exists()
    assert result.stdout == b""


def test_language_mismatch_warns_and_continues(tmp_path):
    result = kokoro("say", "Hi there.", "--voice", "bf_emma", "--lang", "a", "-o", "w.wav", cwd=tmp_path)
    assert result.returncode == 0
    assert b"warning" in result.stderr and b"bf_emma" in result.stderr
    assert (tmp_path / "w.wav").exists()


def test_refuses_to_write_audio_to_a_terminal(tmp_path):
    leader, follower = pty.openpty()
    try:
        result = kokoro("say", "Hello.", cwd=tmp_path, stdout=follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 2
    assert b"-o" in result.stderr and b"terminal" in result.stderr


def test_broken_pipe_exits_quietly(tmp_path):
    text = " ".join(["Another sentence here."] * 40)
    env = dict(os.environ, KOKORO_HOME=str(tmp_path / "home"))
    shell = f"{sys.executable} -c {LAUNCHER!r} say {text!r} | head -c 100 > head.bin; echo ${{PIPESTATUS[0]}} > status"
    done = subprocess.run(["bash", "-c", shell], cwd=tmp_path, env=env, capture_output=True, timeout=120)
    assert (tmp_path / "head.bin").read_bytes()[:4] == b"RIFF"
    assert int((tmp_path / "status").read_text()) not in (0, 2)
    assert b"Traceback" not in done.stderr and b"Exception ignored" not in done.stderr


def read_all(fd: int) -> bytes:
    data = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the pty's other end is closed
            return data
        if not chunk:
            return data
        data += chunk


def test_progress_on_a_terminal_stderr_only(tmp_path):
    leader, follower = pty.openpty()
    try:
        env = dict(os.environ, KOKORO_HOME=str(tmp_path / "home"))
        shown = subprocess.run([sys.executable, "-c", LAUNCHER, "say", TEXT, "-o", "a.wav"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=follower, timeout=120)
    finally:
        os.close(follower)
    terminal = read_all(leader)
    os.close(leader)
    assert shown.returncode == 0
    assert b"speaking" in terminal and b"100%" in terminal
    hidden = kokoro("say", TEXT, "-o", "b.wav", cwd=tmp_path)  # stderr is a pipe: no progress
    assert b"speaking" not in hidden.stderr
