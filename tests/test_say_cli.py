"""`kokoro say` on the fake front end/model: inputs, outputs, formats, streaming, errors.

In-process runs use typer's CliRunner; the ones that need real pipes, a terminal or the exit
path through ``run()`` start ``python`` in a subprocess with the same fakes installed.
"""

from __future__ import annotations

import errno
import io
import json
import os
import pty
import signal
import struct
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from test_speech_pipeline import install_fakes
from typer.testing import CliRunner

from kokoro_tui.cli.main import app

TESTS = Path(__file__).parent
LAUNCHER = (
    "import sys; sys.path.insert(0, {tests!r});"
    "import test_speech_pipeline as f; f.install_fakes(setattr);"
    "from kokoro_tui.cli.main import run; sys.argv = ['kokoro', *sys.argv[1:]]; run()"
).format(tests=str(TESTS))
# The same, with a fake model that takes 0.2 s per chunk: slow enough to be stopped mid-synthesis.
SLOW_LAUNCHER = LAUNCHER.replace(
    "f.install_fakes(setattr);",
    "f.install_fakes(setattr); import time; fast = f.FakeSynthesizer.synthesize;"
    "f.FakeSynthesizer.synthesize = lambda self, *a: (time.sleep(0.2), fast(self, *a))[1];",
)
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
    from kokoro_tui.backends import registry

    requested = []
    fake_load = registry.load_synthesizer

    def load_synthesizer(backend, device, home, precision="fp32"):
        requested.append(precision)
        return fake_load(backend, device, home, precision)

    monkeypatch.setattr(registry, "load_synthesizer", load_synthesizer)
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


def test_file_dash_reads_stdin(fakes, tmp_path, assert_user_error):
    """`--file -` is stdin, as for cat, not a file named '-'."""
    assert say(TEXT, "-o", str(tmp_path / "a.wav")).exit_code == 0
    result = say("--file", "-", "-o", str(tmp_path / "s.wav"), stdin=TEXT)
    assert result.exit_code == 0, result.output
    assert np.array_equal(sf.read(tmp_path / "a.wav")[0], sf.read(tmp_path / "s.wav")[0])
    assert_user_error(say(TEXT, "--file", "-", stdin=TEXT), "not both")


def test_a_file_the_machine_fails_to_read_is_exit_1(fakes, tmp_path, monkeypatch):
    """An I/O error is the machine's, not a mistake in the path (errors.os_error_exit_code)."""
    (tmp_path / "in.txt").write_text(TEXT)

    def fail(self):
        raise OSError(errno.EIO, "Input/output error", str(self))

    monkeypatch.setattr(Path, "read_bytes", fail)
    result = say("--file", str(tmp_path / "in.txt"), "-o", str(tmp_path / "a.wav"))
    assert (result.exit_code, result.stderr) == (1, f"error: cannot read {tmp_path / 'in.txt'}: Input/output error\n")


@pytest.mark.parametrize(("name", "extra", "expected"), [
    ("x.flac", [], "FLAC"), ("x.ogg", [], "OGG"), ("x.wav", [], "WAV"), ("x.audio", ["--format", "flac"], "FLAC"),
    ("x.mp3", ["--format", "wav"], "WAV"), ("noext", [], "WAV"),
])
def test_formats(fakes, tmp_path, name, extra, expected):
    result = say("Hello there.", "-o", str(tmp_path / name), *extra)
    assert result.exit_code == 0, result.output
    assert sf.info(tmp_path / name).format == expected


def decoded_seconds(data: bytes) -> tuple[str, float]:
    """(codec, seconds) of an encoded file, decoded through FFmpeg."""
    import av

    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        samples = sum(frame.samples for frame in container.decode(stream))
        return stream.codec_context.name, samples / stream.rate


@pytest.mark.parametrize(("name", "codec"), [("x.mp3", "mp3"), ("x.opus", "opus"), ("x.m4a", "aac"), ("x.aac", "aac")])
def test_encoded_formats(fakes, tmp_path, name, codec):
    assert say("Hello there.", "-o", str(tmp_path / "x.wav")).exit_code == 0
    result = say("Hello there.", "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.output
    found, seconds = decoded_seconds((tmp_path / name).read_bytes())
    assert found.startswith(codec)
    assert 0 <= seconds - sf.info(tmp_path / "x.wav").duration < 0.1  # an encoder pads a frame or two


@pytest.mark.parametrize(("fmt", "stream"), [("mp3", True), ("opus", True), ("m4a", False)])
def test_encoded_formats_to_stdout(tmp_path, fmt, stream):
    """`say --format mp3 | player`: the streamable codecs chunk by chunk with --stream, m4a whole."""
    result = kokoro("say", TEXT, "--format", fmt, *(["--stream"] if stream else []), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert decoded_seconds(result.stdout)[1] > 0.5


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


def test_stream_to_a_redirected_file_gets_exact_sizes(tmp_path):
    with open(tmp_path / "redirected.wav", "wb") as target:
        result = kokoro("say", TEXT, "--stream", cwd=tmp_path, stdout=target)
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "redirected.wav").read_bytes()
    assert struct.unpack("<I", data[4:8])[0] == len(data) - 8
    with wave.open(str(tmp_path / "redirected.wav")) as reader:  # refuses the 0xFFFFFFFF stream header
        assert reader.getnframes() == (len(data) - 44) // 2 > 0


def test_stream_appended_to_a_file_keeps_the_stream_header(tmp_path):
    (tmp_path / "log.bin").write_bytes(b"before")
    with open(tmp_path / "log.bin", "ab") as target:  # `>>`: every write lands at the end
        assert kokoro("say", TEXT, "--stream", cwd=tmp_path, stdout=target).returncode == 0
    data = (tmp_path / "log.bin").read_bytes()
    assert data[:10] == b"beforeRIFF" and struct.unpack("<I", data[10:14])[0] == 0xFFFFFFFF


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


def test_phonemes_go_into_the_output_file(fakes, tmp_path):
    target = tmp_path / "out.txt"
    result = say(TEXT, "--phonemes", "-o", str(target))
    assert (result.exit_code, result.stdout) == (0, "")
    assert target.read_text(encoding="utf-8").splitlines() == ["hello there", "this is a test", "last one"]
    assert [path.name for path in tmp_path.iterdir() if path.name != "home"] == ["out.txt"]  # no temp file left
    assert say(TEXT, "--phonemes", "-o", "-").stdout.splitlines() == ["hello there", "this is a test", "last one"]
    missing = say(TEXT, "--phonemes", "-o", str(tmp_path / "out.txt" / "x.txt"))
    assert missing.exit_code == 2 and missing.stderr.startswith("error: cannot write") and missing.stderr.count("\n") == 1


def test_phonemes_refuse_the_options_that_shape_audio(fakes, tmp_path):
    result = say(TEXT, "--phonemes", "--format", "mp3", "--play")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "error: --format, --play are for audio, and --phonemes writes only phonemes (drop them or --phonemes)\n"


def test_ipa_input(fakes, tmp_path):
    result = say("hɛlˈO wˈɜɹld.", "--ipa", "--phonemes")
    assert result.stdout == "hɛlˈO wˈɜɹld.\n"
    assert say("hello world", "--ipa", "-o", str(tmp_path / "i.wav")).exit_code == 0


def test_ipa_names_the_symbols_it_drops_once(fakes, tmp_path):
    result = say("hello 你 there. again 你 ʘ", "--ipa", "-o", str(tmp_path / "i.wav"))
    assert result.exit_code == 0, result.output
    assert result.stderr == "warning: skipping phoneme symbols the model does not know: 你 ʘ\n"
    assert say("hello there", "--ipa", "-o", str(tmp_path / "j.wav")).stderr == ""


def test_text_in_a_script_the_voice_cannot_read_warns(fakes, tmp_path):
    result = say("你好，今天天气很好 ok", "-o", str(tmp_path / "z.wav"))
    assert result.stderr.splitlines() == [
        "warning: the text looks Chinese but voice af_heart reads American English; pass --voice zf_xiaobei or --lang z"
    ]
    assert say("你好，今天天气很好 ok", "--voice", "zf_xiaobei", "-o", str(tmp_path / "y.wav")).stderr == ""


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
    (["say", "Hi.", "--format", "wma"], None, b"unknown audio format"),
    (["say", "Hi.", "--stream", "--format", "flac"], None, b"--stream cannot send flac to stdout"),
    (["say", "--file", "missing.txt"], None, b"cannot read missing.txt: No such file or directory"),
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


def say_to_a_terminal(tmp_path: Path, player: str | None, *args: str) -> subprocess.CompletedProcess:
    """`kokoro say Hello. ARGS` with a terminal for stdout, on a machine whose only sound output is ``player``
    (KOKORO_PLAYER; none when None: PATH holds no player program and sounddevice is not installed here)."""
    env = {key: value for key, value in os.environ.items() if key != "KOKORO_PLAYER"}
    env.update(KOKORO_HOME=str(tmp_path / "home"), PATH=str(tmp_path))
    if player is not None:
        env["KOKORO_PLAYER"] = player
    leader, follower = pty.openpty()
    try:
        return subprocess.run([sys.executable, "-c", LAUNCHER, "say", "Hello.", *args], stdout=follower,
                              stderr=subprocess.PIPE, cwd=tmp_path, env=env, timeout=120)  # fmt: skip
    finally:
        os.close(follower)
        os.close(leader)


def test_refuses_to_write_audio_to_a_terminal_without_a_sound_output(tmp_path):
    result = say_to_a_terminal(tmp_path, None)
    assert result.returncode == 2
    assert b"-o" in result.stderr and b"terminal" in result.stderr and b"no sound output" in result.stderr
    assert result.stderr.decode().count("\n") == 1


def test_a_terminal_with_a_sound_output_hears_the_text(tmp_path):
    """No -o and a terminal for stdout: spoken aloud, as a desktop's `say` does; `-o -` still refuses."""
    played = tmp_path / "played.raw"
    player = f"{sys.executable} -c \"import shutil, sys; shutil.copyfileobj(sys.stdin.buffer, open({str(played)!r}, 'wb'))\""
    result = say_to_a_terminal(tmp_path, player)
    assert result.returncode == 0, result.stderr
    assert played.stat().st_size > 1000
    refused = say_to_a_terminal(tmp_path, player, "-o", "-")
    assert refused.returncode == 2 and b"terminal" in refused.stderr


@pytest.mark.parametrize("stream", [[], ["--stream"]])
def test_broken_pipe_is_one_line(tmp_path, stream):
    text = " ".join(["Another sentence here."] * 40)
    env = dict(os.environ, KOKORO_HOME=str(tmp_path / "home"))
    args = " ".join([repr(text), *stream])
    shell = f"{sys.executable} -c {LAUNCHER!r} say {args} | head -c 100 > head.bin; echo ${{PIPESTATUS[0]}} > status"
    done = subprocess.run(["bash", "-c", shell], cwd=tmp_path, env=env, capture_output=True, timeout=120)
    assert (tmp_path / "head.bin").read_bytes()[:4] == b"RIFF"
    assert int((tmp_path / "status").read_text()) == 141  # 128 + SIGPIPE, as the shell reports `yes | head`
    assert done.stderr.decode() == "error: the output pipe was closed by the reader\n"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_termination_mid_synthesis_leaves_no_temp_file(tmp_path, signum):
    """`timeout`/`kill` (SIGTERM) and a dropped SSH session (SIGHUP) unwind like Ctrl-C."""
    env = dict(os.environ, KOKORO_HOME=str(tmp_path / "home"))
    text = " ".join(["Another sentence here."] * 100)
    process = subprocess.Popen([sys.executable, "-c", SLOW_LAUNCHER, "say", text, "-o", "x.wav"], cwd=tmp_path,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not [p for p in tmp_path.glob(".x.wav.*.part") if p.stat().st_size > 44]:  # a chunk is in
            assert process.poll() is None and time.monotonic() < deadline, "finished before it could be stopped"
            time.sleep(0.05)
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 128 + signum, stderr
    assert stderr.decode() == f"stopped by {signal.Signals(signum).name}\n"
    assert [p.name for p in tmp_path.iterdir() if "x.wav" in p.name] == []  # neither the file nor its .part


@pytest.mark.parametrize(("make", "args", "message"), [
    (lambda d: (d / "adir").mkdir(), ["-o", "adir"], "cannot write adir: Is a directory"),
    (lambda d: (d / "afile").write_text(""), ["-o", "afile/x.wav"], "cannot write afile/x.wav: Not a directory"),
    (lambda d: (d / "afile").write_text(""), ["-o", "q.wav", "--timestamps", "afile/t.srt"],
     "cannot write afile/t.srt: Not a directory"),
])
def test_unwritable_outputs_are_refused_before_synthesis(fakes, tmp_path, monkeypatch, assert_user_error, make,
                                                         args, message):
    monkeypatch.chdir(tmp_path)
    make(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert_user_error(say(TEXT, *args), message)
    assert fakes["synth"] == 0  # nothing was synthesised for an output that could not be written
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_unknown_output_extension_is_refused(fakes, tmp_path, assert_user_error):
    result = say("Hi.", "-o", str(tmp_path / "out.wma"))
    assert_user_error(result, "cannot write out.wma: .wma is not an audio format kokoro writes "
                              "(use .wav, .flac, .ogg, .mp3, .opus, .m4a or .aac")
    assert list(tmp_path.iterdir()) == [] and fakes["synth"] == 0


def test_unwritable_output_in_a_real_process(tmp_path):
    (tmp_path / "afile").write_text("")
    result = kokoro("say", "Hi.", "-o", "afile/x.wav", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode() == "error: cannot write afile/x.wav: Not a directory\n"


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
        # the text ends in punctuation, after its last timed word: the bar still reaches 100 %
        shown = subprocess.run([sys.executable, "-c", LAUNCHER, "say", TEXT + ".", "-o", "a.wav"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=follower, timeout=120)
    finally:
        os.close(follower)
    terminal = read_all(leader)
    os.close(leader)
    assert shown.returncode == 0
    assert b"speaking" in terminal and b"100%" in terminal
    hidden = kokoro("say", TEXT, "-o", "b.wav", cwd=tmp_path)  # stderr is a pipe: no progress
    assert b"speaking" not in hidden.stderr


@pytest.mark.parametrize("where", ["stdin", "argument", "file"])
def test_invalid_utf8_is_replaced_with_one_warning(tmp_path, where):
    """Bad bytes anywhere (pipe, argv, --file) are read as U+FFFD with one counting warning, never a traceback."""
    raw = b"Hello \xff\xfe world. Goodbye now."
    args: list = ["say", "-o", "o.wav"]
    stdin = None
    if where == "stdin":
        stdin = raw
    elif where == "argument":
        args.insert(1, raw)
    else:
        (tmp_path / "in.txt").write_bytes(raw)
        args += ["--file", "in.txt"]
    done = kokoro(*args, cwd=tmp_path, stdin=stdin)
    assert done.returncode == 0, done.stderr.decode()
    source = {"stdin": "stdin", "argument": "the argument", "file": "in.txt"}[where]
    assert done.stderr.decode().splitlines() == [
        f"warning: 2 invalid UTF-8 bytes in {source} replaced by U+FFFD (not spoken)"]
    assert wav_frames((tmp_path / "o.wav").read_bytes()) > 0


def _recording_player(monkeypatch, tmp_path: Path) -> Path:
    """KOKORO_PLAYER set to a command that keeps what it is given to play; returns where."""
    played = tmp_path / "played.raw"
    monkeypatch.setenv("KOKORO_PLAYER", f"{sys.executable} -c \"import shutil, sys; shutil.copyfileobj(sys.stdin.buffer, open({str(played)!r}, 'wb'))\"")
    return played


def test_play_hears_what_the_file_gets(fakes, tmp_path, monkeypatch):
    played = _recording_player(monkeypatch, tmp_path)
    out = tmp_path / "a.wav"
    result = say(TEXT, "--play", "-o", str(out))
    assert result.exit_code == 0, result.output
    written, _ = sf.read(out, dtype="int16")
    heard = np.frombuffer(played.read_bytes(), dtype="<i2")
    assert len(heard) == len(written) > 0
    assert np.array_equal(heard, written)  # every chunk, in order, nothing lost at the end


def test_play_alone_writes_nothing_else(fakes, tmp_path, monkeypatch):
    played = _recording_player(monkeypatch, tmp_path)
    result = CliRunner().invoke(app, ["say", TEXT, "--play"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert played.stat().st_size > 0


def test_play_without_a_sound_output_is_one_line(fakes, tmp_path, monkeypatch, assert_user_error):
    from kokoro_tui.speech import playback

    monkeypatch.delenv("KOKORO_PLAYER", raising=False)
    monkeypatch.setattr(playback, "_sounddevice_player", lambda: None)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert_user_error(say(TEXT, "--play"), "no audio output device")


def test_a_player_that_quits_is_one_line_with_exit_1(fakes, tmp_path, monkeypatch):
    """It started, so the setting was right: the machine failed (exit 1), as a disk that fills up does."""
    monkeypatch.setenv("KOKORO_PLAYER", f"{sys.executable} -c \"import sys; sys.exit('speaker unplugged')\"")
    result = say(TEXT, "--play", "-o", str(tmp_path / "a.wav"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: playback through ") and result.stderr.count("\n") == 1, result.stderr
    # the file is whole (synthesis may have finished before the player's failure was seen) or absent, never half
    assert [path.name for path in tmp_path.iterdir() if path.suffix == ".wav" or ".tmp" in path.name] in ([], ["a.wav"])
    if (tmp_path / "a.wav").exists():
        assert len(sf.read(tmp_path / "a.wav")[0]) > 0


def test_a_player_that_cannot_be_started_is_a_path_error(fakes, tmp_path, monkeypatch, assert_user_error):
    monkeypatch.setenv("KOKORO_PLAYER", str(tmp_path / "no-player"))
    assert_user_error(say(TEXT, "--play"), "cannot start the player")


def test_a_sound_device_that_will_not_open_is_exit_1(fakes, monkeypatch):
    from kokoro_tui.speech import playback

    class Refusing:
        def OutputStream(self, **settings):
            raise RuntimeError("Invalid sample rate")

    monkeypatch.delenv("KOKORO_PLAYER", raising=False)
    monkeypatch.setattr(playback, "_sounddevice_module", Refusing)
    result = say(TEXT, "--play")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot open the sound device: Invalid sample rate"), result.stderr


def test_subtitles_show_the_text_without_its_markup(fakes, tmp_path):
    text = "Hello there. [pause:3s] This is [a test](/ə tˈɛst/)! [speed:2] Last one."
    result = say(text, "-o", str(tmp_path / "a.wav"), "--timestamps", str(tmp_path / "t.vtt"))
    assert result.exit_code == 0, result.output
    cues = (tmp_path / "t.vtt").read_text().split("\n\n")[1:]
    assert [cue.split("\n")[1] for cue in cues] == ["Hello there.", "This is a test! Last one."]


def test_stdin_closed_is_one_line(tmp_path):
    env = dict(os.environ, KOKORO_HOME=str(tmp_path / "home"))
    shell = f"{sys.executable} -c {LAUNCHER!r} say -o x.wav <&-"
    done = subprocess.run(["bash", "-c", shell], cwd=tmp_path, env=env, capture_output=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.decode() == "error: no text given, and stdin is closed (pass TEXT or --file PATH)\n"


def test_a_player_command_that_does_not_parse_is_one_line(fakes, monkeypatch, assert_user_error):
    monkeypatch.setenv("KOKORO_PLAYER", 'aplay "--unclosed')
    assert_user_error(say(TEXT, "--play"), "KOKORO_PLAYER is not a command line: No closing quotation")


def test_a_player_that_prints_a_lot_on_stderr_plays_to_the_end(tmp_path):
    """ffplay prints its progress on stderr all along: a pipe nobody reads would fill and hang the playback."""
    played = tmp_path / "played.raw"
    chatty = ("import shutil, sys; sys.stderr.write('progress\\r' * 200_000); sys.stderr.flush();"
              f"shutil.copyfileobj(sys.stdin.buffer, open({str(played)!r}, 'wb'))")
    env = dict(os.environ, KOKORO_HOME=str(tmp_path / "home"), KOKORO_PLAYER=f'{sys.executable} -c "{chatty}"')
    done = subprocess.run([sys.executable, "-c", LAUNCHER, "say", TEXT, "--play", "-o", "a.wav"], cwd=tmp_path,
                          env=env, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert played.stat().st_size == 2 * len(sf.read(tmp_path / "a.wav")[0]) > 0
