"""`kokoro` started without a standard stream (`>&-`, `<&-`, `2>&-`), or with stdout on a full disk:
one line and a non-zero exit when output would be lost, the command's own status otherwise.

Each run is a real process on the fakes, with stdout block-buffered as a user's is (this machine's
PYTHONUNBUFFERED is dropped unless a test sets it), through ``console`` as the `kokoro` script runs,
or ``run``."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import soundfile as sf
from test_say_cli import LAUNCHER

from kokoro_tui.cli.exits import CLOSED_PIPE_MESSAGE
from kokoro_tui.voices.store import VoiceStore

# ``console``, as the `kokoro` script, and every synthesis said on stderr.
CONSOLE_LAUNCHER = LAUNCHER.replace("import run;", "import console;").replace("; run()", "; console()").replace(
    "f.install_fakes(setattr);",
    "f.install_fakes(setattr); spoken = f.FakeSynthesizer.synthesize;"
    "f.FakeSynthesizer.synthesize = lambda self, *a: (sys.stderr.write('synthesised\\n'), spoken(self, *a))[1];",
)
STDOUT_CLOSED = "error: stdout is closed\n"


def kokoro(tmp_path: Path, args: list[str], redirect: str, launcher: str = CONSOLE_LAUNCHER,
           unbuffered: bool = False) -> subprocess.CompletedProcess:  # fmt: skip
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    env["KOKORO_HOME"] = str(tmp_path / "home")
    if unbuffered:  # as in the project's Docker image
        env["PYTHONUNBUFFERED"] = "1"
    command = f"{shlex.join([sys.executable, '-c', launcher, *args])} {redirect}"
    return subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip


@pytest.mark.parametrize("args", [
    ["--version"], ["lexicon", "list", "--json"], ["voices", "list"], ["say", "Hello there.", "--phonemes"],
])
def test_closed_stdout_is_one_line(tmp_path, args):
    done = kokoro(tmp_path, args, ">&-")
    assert (done.returncode, done.stderr) == (1, STDOUT_CLOSED)


def test_say_to_a_closed_stdout_stops_before_synthesis(tmp_path):
    done = kokoro(tmp_path, ["say", "Hello there."], ">&-")
    assert (done.returncode, done.stderr) == (1, STDOUT_CLOSED)  # no "synthesised"


def test_a_file_output_needs_no_stdout(tmp_path):
    done = kokoro(tmp_path, ["say", "Hello there.", "-o", "a.wav"], ">&-")
    assert done.returncode == 0, done.stderr
    assert sf.info(tmp_path / "a.wav").frames > 0


@pytest.mark.parametrize(("text", "status"), [("", 2), ("Hello there.", 0)])
def test_closed_stderr_keeps_the_exit_status(tmp_path, text, status):
    done = kokoro(tmp_path, ["say", text, "-o", "a.wav"], "2>&-")
    assert (done.returncode, done.stdout) == (status, "")  # the error is not written into stdout instead


def test_file_dash_with_stdin_closed_is_one_line(tmp_path):
    done = kokoro(tmp_path, ["say", "--file", "-", "-o", "a.wav"], "<&-")
    assert done.returncode == 2
    assert done.stderr == "error: no text given, and stdin is closed (pass TEXT or --file PATH)\n"


def test_stdin_that_cannot_be_read_is_one_line(tmp_path):
    done = kokoro(tmp_path, ["say", "-o", "a.wav"], "0>/dev/null")  # open for writing only
    assert (done.returncode, done.stderr) == (1, "error: cannot read stdin: Bad file descriptor\n")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("launcher", [CONSOLE_LAUNCHER, LAUNCHER], ids=["console", "run"])
def test_output_held_back_until_exit_fails_on_a_full_disk(tmp_path, launcher):
    """`[]` sits in stdout's buffer until the end: its loss was exit 0 (console) or 120 and a notice (run)."""
    done = kokoro(tmp_path, ["lexicon", "list", "--json"], "> /dev/full", launcher)
    assert (done.returncode, done.stderr) == (1, "error: No space left on device\n")


def test_dev_stdout_is_no_way_around_a_closed_stdout(tmp_path):
    """/dev/stdout reopens descriptor 1: what stands in for it must not take the audio and exit 0."""
    done = kokoro(tmp_path, ["say", "Hello there.", "-o", "/dev/stdout"], ">&-")
    assert (done.returncode, done.stderr) == (2, "error: cannot write /dev/stdout: Is a directory\n")


@pytest.mark.parametrize("unbuffered", [False, True])
def test_a_voice_for_a_reader_that_leaves_is_exit_141(tmp_home, tiny_voice, tmp_path, unbuffered):
    """Half a megabyte in one write: unbuffered, stdout took the pipe's partial count as done, exit 0."""
    VoiceStore(tmp_home).save("af_heart", tiny_voice, "stock")
    args = ["voices", "export", "af_heart", "-", "--format", "bin"]
    done = kokoro(tmp_path, args, "| head -c 10 > /dev/null; exit ${PIPESTATUS[0]}", unbuffered=unbuffered)
    assert (done.returncode, done.stderr) == (141, CLOSED_PIPE_MESSAGE + "\n")


def test_a_reader_of_stderr_that_leaves_is_exit_141(tmp_path):
    """As for stdout (test_cli_errors): rich alone exited 1 without a word."""
    done = kokoro(tmp_path, ["voices", "list"], "2>&1 > /dev/null | true; exit ${PIPESTATUS[0]}")
    assert done.returncode == 141
