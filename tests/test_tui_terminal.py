"""The real `kokoro tui` in a real terminal: start it, read the screen, switch panes, quit with q.

Runs under tmux (80x24, on a private tmux server) when tmux is installed; otherwise in a
pseudo-terminal, reading the text out of the escape-coded output stream.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from test_tui_support import make_home

STARTUP_S = 60.0


def _command(home: Path) -> list[str]:
    return [sys.executable, "-m", "kokoro_tui", "--home", str(home), "tui"]


def _wait(read: Callable[[], str], wanted: Callable[[str], bool], timeout: float, what: str) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = read()
        if wanted(screen):
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{what} not seen within {timeout} s; screen:\n{screen}")


def _run_in_tmux(home: Path, tmp_path: Path) -> None:
    socket = f"kokoro-tui-test-{os.getpid()}"
    tmux = ["tmux", "-L", socket]
    rc_file = tmp_path / "rc"
    shell = " ".join(_command(home)) + f"; echo $? > {rc_file}"
    env = {**os.environ, "TERM": "xterm-256color"}
    subprocess.run([*tmux, "new-session", "-d", "-s", "kokoro", "-x", "80", "-y", "24", shell], check=True, env=env)
    capture = lambda: subprocess.run(  # noqa: E731
        [*tmux, "capture-pane", "-p", "-t", "kokoro"], capture_output=True, text=True
    ).stdout
    try:
        _wait(capture, lambda s: "af_alpha" in s and "5 Analysis" in s and "q Quit" in s, STARTUP_S, "the voice table")
        subprocess.run([*tmux, "send-keys", "-t", "kokoro", "4"], check=True)
        _wait(capture, lambda s: "demo  [completed]" in s, 20, "the training pane")
        subprocess.run([*tmux, "send-keys", "-t", "kokoro", "q"], check=True)
        _wait(lambda: rc_file.read_text() if rc_file.exists() else "", lambda s: s.strip() != "", 15, "the exit")
        assert rc_file.read_text().strip() == "0"
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def _run_in_pty(home: Path) -> None:
    import pty

    pid, fd = pty.fork()
    if pid == 0:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.environ["TERM"] = "xterm-256color"
        os.execv(sys.executable, _command(home))
    output = bytearray()

    def read() -> str:
        while select.select([fd], [], [], 0.05)[0]:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            output.extend(chunk)
        return re.sub(r"\x1b\[[0-9;?<>=]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\x1b\][^\x07]*\x07", "", output.decode("utf-8", "replace"))

    try:
        _wait(read, lambda s: "af_alpha" in s, STARTUP_S, "the voice table")
        os.write(fd, b"q")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            read()
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                assert os.waitstatus_to_exitcode(status) == 0
                return
            time.sleep(0.1)
        raise AssertionError("the dashboard did not quit on q")
    finally:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)


def test_real_dashboard_starts_shows_voices_and_quits_on_q(tmp_path):
    home = make_home(tmp_path / "home")
    if shutil.which("tmux"):
        _run_in_tmux(home.root, tmp_path)
    else:
        _run_in_pty(home.root)
