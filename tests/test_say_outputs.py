"""`kokoro say -o` into what is not a plain new file, end to end through ``run()`` on the fakes:
devices and FIFOs are streamed into, a symlink survives, and a failing output is one line."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import soundfile as sf
from test_atomic import memory_device
from test_say_cli import LAUNCHER

LONG_TEXT = " ".join(["Another sentence here."] * 40)


def kokoro_say(tmp_path, *args: str, shell_prefix: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, KOKORO_HOME=str(tmp_path / "home"))
    command = subprocess.list2cmdline([sys.executable, "-c", LAUNCHER, "say", *args])
    return subprocess.run(["bash", "-c", shell_prefix + command], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def test_a_full_device_is_one_line_with_exit_1(tmp_path):
    memory_device(tmp_path, "full")
    done = kokoro_say(tmp_path, "Hello there.", "-o", "full")
    assert (done.returncode, done.stderr) == (1, "error: cannot write full: No space left on device\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]


def test_a_full_disk_is_one_line_with_exit_1_and_leaves_nothing(tmp_path):
    """RLIMIT_FSIZE fails the same writes a full disk fails, with EFBIG for ENOSPC."""
    done = kokoro_say(tmp_path, LONG_TEXT, "-o", "long.flac", shell_prefix="ulimit -f 16; ")
    assert (done.returncode, done.stderr) == (1, "error: cannot write long.flac: File too large\n")
    assert list(tmp_path.iterdir()) == []


def test_a_fifo_and_a_symlink_are_kept(tmp_path):
    os.mkfifo(tmp_path / "player")
    (tmp_path / "take1.wav").write_bytes(b"old")
    (tmp_path / "latest.wav").symlink_to("take1.wav")
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append((tmp_path / "player").read_bytes()), daemon=True)
    reader.start()
    piped = kokoro_say(tmp_path, "Hello there.", "-o", "player")
    reader.join(timeout=10)
    linked = kokoro_say(tmp_path, "Hello there.", "-o", "latest.wav")
    assert (piped.returncode, piped.stderr, linked.returncode, linked.stderr) == (0, "", 0, "")
    assert received and received[0][:4] == b"RIFF"
    assert (tmp_path / "player").is_fifo() and (tmp_path / "latest.wav").is_symlink()
    assert sf.info(tmp_path / "take1.wav").frames > 0
