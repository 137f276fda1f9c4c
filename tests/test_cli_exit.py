"""``exits.leave``: the `kokoro` script ends without the interpreter's teardown, but only once the
output is flushed, the atexit handlers have run and no other thread is still working."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROGRAM = """
import atexit, sys, threading, time
from kokoro_tui.cli.exits import leave
atexit.register(lambda: print("atexit ran"))
{before}
print("unflushed output", end="")
leave({status})
print("after leave")
"""


def run_program(status: str, before: str = "") -> subprocess.CompletedProcess:
    code = PROGRAM.format(status=status, before=before)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("status", "code"), [("0", 0), ("3", 3), ("None", 0)])
def test_leave_flushes_runs_atexit_and_exits_with_the_status(status: str, code: int) -> None:
    done = run_program(status)
    assert done.returncode == code
    assert done.stdout == "unflushed outputatexit ran\n"
    assert done.stderr == ""


def test_a_message_status_is_printed_and_exits_1() -> None:
    done = run_program("'error: something'")
    assert done.returncode == 1
    assert done.stderr == "error: something\n"


def test_a_live_thread_keeps_the_normal_exit() -> None:
    worker = (
        "def work():\n    time.sleep(0.3)\n    print('thread finished', flush=True)\n"
        "threading.Thread(target=work).start()"
    )
    done = run_program("5", before=worker)
    assert done.returncode == 5
    assert "thread finished" in done.stdout and "atexit ran" in done.stdout


def test_the_console_entry_leaves_with_the_commands_status(tmp_path) -> None:
    ok = subprocess.run([sys.executable, "-m", "kokoro_tui", "--version"], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and ok.stdout.startswith("kokoro-tui ")
    bad = subprocess.run(
        [sys.executable, "-m", "kokoro_tui", "say", "Hi", "--speed", "9"], capture_output=True, text=True, timeout=60,
        cwd=tmp_path,
    )
    assert bad.returncode == 2 and bad.stderr == "error: speed 9.0 is out of range (use 0.25 to 4.0)\n"
