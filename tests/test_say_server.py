"""`kokoro say --server URL`: a real uvicorn serving the tiny model (or slow and broken fakes) does the
synthesis; the command writes files and pipes as local `say` does, loads no model, and fails in one line.

In-process runs use typer's CliRunner (the server runs in a thread of the same process); the runs that
need a real stdout pipe or a clean interpreter start ``python`` in a subprocess.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import soundfile as sf
import test_server
from test_server import FAKE_CHUNK_S, FakeSpeech, sentences, serving, settings
from typer.testing import CliRunner

from kokoro_tui.cli.main import app
from kokoro_tui.cli.server_client import speech_url
from kokoro_tui.home import DataHome
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.server.app import create_app

TEXT = "Hello there. How are you today?"
KEY = "say-key"
# `kokoro` in a fresh interpreter that says on its last stderr line which heavy modules it imported.
LAUNCHER = (
    "import atexit, sys\n"
    "atexit.register(lambda: print(sorted(m for m in ('torch', 'transformers', 'misaki') if m in sys.modules),"
    " file=sys.stderr))\n"
    "from kokoro_tui.cli.main import run\n"
    "sys.argv = ['kokoro', *sys.argv[1:]]\n"
    "run()\n"
)

home = test_server.home  # the fixture: the tiny model's data home, one per module


@pytest.fixture(scope="module")
def url(home: DataHome) -> Iterator[str]:
    with serving(create_app(settings(home))) as base:
        yield base


@pytest.fixture(scope="module")
def frames(url: str) -> int:
    """Samples in the server's own answer to the request `say --server` makes for TEXT."""
    body = {"input": TEXT, "voice": "af_heart", "response_format": "pcm", "stream": True}
    return len(httpx.post(f"{url}/v1/audio/speech", json=body, timeout=60).content) // 2


def say(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, ["say", *args], env=env)


def kokoro(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", LAUNCHER, *args], capture_output=True, cwd=cwd, timeout=120)


def one_error_line(output: str) -> str:
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), output
    return lines[0]


@pytest.mark.parametrize(("name", "expected"), [("out.wav", "WAV"), ("out.flac", "FLAC"), ("out.ogg", "OGG")])
def test_files_in_each_format(url: str, frames: int, tmp_path: Path, name: str, expected: str) -> None:
    result = say(TEXT, "--server", url, "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.output
    info = sf.info(tmp_path / name)
    assert info.format == expected and info.samplerate == SAMPLE_RATE and info.frames == frames
    assert [path.name for path in tmp_path.iterdir()] == [name]


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
def test_stdout_gets_the_wav_local_say_writes_and_no_model_is_loaded(url: str, frames: int, tmp_path: Path,
                                                                    stream: bool) -> None:
    done = kokoro("say", TEXT, "--server", url, *(["--stream"] if stream else []), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = done.stdout
    assert data[:4] == b"RIFF"
    # a pipe cannot seek back: streamed, the header says "size unknown"; whole, it has the real sizes
    assert data[40:44] == (b"\xff\xff\xff\xff" if stream else (len(data) - 44).to_bytes(4, "little"))
    assert (len(data) - 44) // 2 == frames
    assert done.stderr.decode().splitlines()[-1] == "[]", "the command imported the model's libraries"


def test_a_streamed_stdout_gets_its_first_audio_while_the_server_is_still_speaking(home: DataHome,
                                                                                   tmp_path: Path) -> None:
    speech = FakeSpeech(delay=0.3)
    with serving(create_app(settings(home), pipelines=speech)) as slow_url:
        process = subprocess.Popen([sys.executable, "-c", LAUNCHER, "say", sentences("Part", 5), "--server", slow_url,
                                    "--stream"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, bufsize=0)
        first = process.stdout.read(44 + 2)  # unbuffered: what has come so far, none of it kept from communicate()
        first_at = time.monotonic()
        rest, _ = process.communicate(timeout=60)
    made = speech.made_of("Part")
    assert process.returncode == 0 and first[:4] == b"RIFF"
    assert first_at < made[-2], "the first audio came only after the speech was (nearly) all made"
    assert len(first + rest) - 44 == 2 * round(5 * FAKE_CHUNK_S * SAMPLE_RATE)


def test_a_key_from_the_option_or_the_environment(home: DataHome, tmp_path: Path) -> None:
    with serving(create_app(settings(home, api_key=KEY), pipelines=FakeSpeech())) as keyed:
        refused = say("Hi.", "--server", keyed, "-o", str(tmp_path / "no.wav"))
        assert refused.exit_code == 2
        assert "the server answered 401: missing or wrong API key" in one_error_line(refused.output)
        assert say("Hi.", "--server", keyed, "--api-key", KEY, "-o", str(tmp_path / "a.wav")).exit_code == 0
        assert say("Hi.", "--server", keyed, "-o", str(tmp_path / "b.wav"), env={"KOKORO_API_KEY": KEY}).exit_code == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.wav", "b.wav"]


@pytest.mark.parametrize(
    ("extra", "flags"),
    [
        (["--device", "cpu"], "--device is"),
        (["--backend", "onnx", "--precision", "int8", "--seed", "3"], "--backend, --precision, --seed are"),
        (["--model", "x.onnx", "--timestamps", "t.srt", "--phonemes", "--ipa"], "--model, --phonemes, --ipa, --timestamps are"),
    ],
)
def test_options_for_local_synthesis_are_refused_in_one_line(tmp_path: Path, extra: list[str], flags: str) -> None:
    result = say("Hi.", "--server", "http://127.0.0.1:9", "-o", str(tmp_path / "x.wav"), *extra)
    assert result.exit_code == 2
    assert one_error_line(result.output).startswith(f"error: {flags} for local synthesis")
    assert list(tmp_path.iterdir()) == []


def test_an_api_key_without_a_server_is_refused(tmp_path: Path) -> None:
    result = say("Hi.", "--api-key", KEY, "-o", str(tmp_path / "x.wav"))
    assert result.exit_code == 2 and "--api-key" in one_error_line(result.output)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("server", "message", "code"),
    [
        ("127.0.0.1:{free_port}", "cannot reach the server at http://127.0.0.1:{free_port}/v1/audio/speech: ", 2),
        ("ftp://example.invalid", "'ftp://example.invalid' is not an http:// or https:// URL", 2),
        ("http://[::1:8880", "'http://[::1:8880' is not an http:// or https:// URL", 2),
        ("localhost:88a0", "'localhost:88a0' is not an http:// or https:// URL", 2),
        ("http://:8880", "'http://:8880' is not an http:// or https:// URL", 2),
    ],
    ids=["nobody listening", "not http", "unclosed bracket", "port not a number", "no host"],
)
def test_no_server_is_one_line_and_no_file(tmp_path: Path, server: str, message: str, code: int) -> None:
    port = free_port()  # closed again: nobody listens there
    result = say("Hi.", "--server", server.format(free_port=port), "-o", str(tmp_path / "x.wav"))
    assert result.exit_code == code and message.format(free_port=port) in one_error_line(result.output)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("server", ["127.0.0.1:8880", "http://127.0.0.1:8880/v1/", "http://127.0.0.1:8880/v1/audio/speech"])
def test_a_base_url_or_the_endpoint_itself_names_the_endpoint(server: str) -> None:
    assert speech_url(server) == "http://127.0.0.1:8880/v1/audio/speech"


def test_the_servers_refusal_is_its_own_message_and_no_file(url: str, tmp_path: Path) -> None:
    result = say(TEXT, "--server", url, "--voice", "af_nobody", "-o", str(tmp_path / "x.wav"))
    assert result.exit_code == 2
    line = one_error_line(result.output)
    assert line.startswith("error: the server answered 400: ") and "af_nobody" in line
    assert list(tmp_path.iterdir()) == []


class BrokenSpeech(FakeSpeech):
    """Speaks a text's first sentence, then fails: the server has to cut its stream off."""

    def stream(self, text: str):
        for chunk in super().stream(text):
            if chunk.index == 1:
                raise RuntimeError("the model fell over")
            yield chunk


def test_a_stream_broken_off_leaves_no_file(home: DataHome, tmp_path: Path) -> None:
    with serving(create_app(settings(home), pipelines=BrokenSpeech())) as broken:
        result = say(sentences("Part", 3), "--server", broken, "-o", str(tmp_path / "x.wav"))
    assert result.exit_code == 1
    assert "the server broke off the speech after 0.2 s of audio" in one_error_line(result.output)
    assert list(tmp_path.iterdir()) == []
