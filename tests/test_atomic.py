"""Atomic writes: an unwritable target is one KokoroError naming the path and the reason, found
before the slow work by check_writable; nothing is left behind either way."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kokoro_tui.atomic import atomic_path, atomic_write_text, check_writable, check_writable_dir
from kokoro_tui.errors import KokoroError, describe_os_error, os_error_exit_code


def test_target_that_is_a_directory(tmp_path):
    (tmp_path / "adir.npy").mkdir()
    for attempt in (lambda: atomic_write_text(tmp_path / "adir.npy", "x"), lambda: check_writable(tmp_path / "adir.npy")):
        with pytest.raises(KokoroError, match=r"cannot write .*adir\.npy: Is a directory") as caught:
            attempt()
        assert caught.value.exit_code == 2
    assert [p.name for p in tmp_path.iterdir()] == ["adir.npy"]


def test_a_file_where_a_directory_should_be(tmp_path):
    (tmp_path / "afile").write_text("")
    target = tmp_path / "afile" / "sub" / "x.wav"
    for attempt in (lambda: atomic_write_text(target, "x"), lambda: check_writable(target)):
        with pytest.raises(KokoroError, match=r"cannot write .*afile/sub/x\.wav: Not a directory"):
            attempt()
    with pytest.raises(KokoroError, match=r"cannot write .*afile: Not a directory"):
        check_writable_dir(tmp_path / "afile")


def test_rename_failure_names_the_target_and_cleans_up(tmp_path, monkeypatch):
    def refuse(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(src), None, str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(KokoroError, match=r"cannot write .*out\.txt: No space left on device") as caught:
        atomic_write_text(tmp_path / "out.txt", "x")
    assert caught.value.exit_code == 1  # the machine failed, not the command
    assert list(tmp_path.iterdir()) == []


def test_check_writable_creates_nothing(tmp_path):
    check_writable(tmp_path / "new" / "deeper" / "x.wav")
    check_writable_dir(tmp_path / "home")
    assert list(tmp_path.iterdir()) == []


def test_missing_root_directory_on_linux(tmp_path):
    """/proc refuses new entries: the audit's `-o /proc/x.wav` and `KOKORO_HOME=/proc/kk`."""
    with pytest.raises(KokoroError, match="cannot write /proc/x.wav: No such file or directory"):
        check_writable("/proc/x.wav")
    with pytest.raises(KokoroError, match="cannot write /proc/kk/voices/v.npy: No such file or directory"):
        with atomic_path("/proc/kk/voices/v.npy"):
            pass


def test_interrupted_write_leaves_nothing(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with atomic_path(tmp_path / "x.wav") as tmp:
            tmp.write_bytes(b"half")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("code", "exit_code"), [
    (errno.ENOENT, 2), (errno.EACCES, 2), (errno.EISDIR, 2), (errno.EROFS, 2), (errno.ENOSPC, 1), (errno.EIO, 1),
])
def test_os_error_exit_codes(code, exit_code):
    assert os_error_exit_code(OSError(code, "x")) == exit_code


def test_describe_os_error():
    assert describe_os_error(FileNotFoundError(errno.ENOENT, "No such file or directory", "/a")) == (
        "/a: No such file or directory"
    )
    assert describe_os_error(OSError(errno.EXDEV, "Invalid cross-device link", "/a", None, "/b")) == (
        "/a → /b: Invalid cross-device link"
    )
    assert describe_os_error(OSError("plain")) == "plain"


MEMORY_DEVICES = {"null": 3, "full": 7}  # minor numbers of /dev/null and /dev/full (major 1)


def memory_device(directory: Path, name: str) -> Path:
    """A private twin of /dev/null or /dev/full in ``directory``: code that replaced devices by
    regular files must fail a test, not clobber the system's own (as root it would)."""
    path = directory / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, MEMORY_DEVICES[name]))
        with open(path, "wb"):  # a nodev mount refuses this
            pass
    except PermissionError:
        pytest.skip("device nodes need root and a filesystem mounted without nodev")
    return path


def test_a_device_is_written_in_place_not_replaced(tmp_path):
    """`-o /dev/null` streams into the device; `-o /dev/full` is the device's own one-line error."""
    null, full = memory_device(tmp_path, "null"), memory_device(tmp_path, "full")
    atomic_write_text(null, "x")
    check_writable(null)
    with pytest.raises(KokoroError, match=r"^cannot write .*/full: No space left on device$") as caught:
        atomic_write_text(full, "x")
    assert caught.value.exit_code == 1
    assert all(stat.S_ISCHR(os.stat(device).st_mode) for device in (null, full))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", "null"]


def test_a_fifo_is_streamed_into_and_survives(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    check_writable(fifo)  # must not open it: that would wait for a reader
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    atomic_write_text(fifo, "through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert fifo.is_fifo() and [p.name for p in tmp_path.iterdir()] == ["out.fifo"]


def test_a_symlink_survives_and_its_target_is_replaced(tmp_path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "voice.txt"
    target.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    atomic_write_text(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new"
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "real" / "made.txt")
    atomic_write_text(dangling, "made")  # like `echo made > dangling`: the file pointed to is created
    assert dangling.is_symlink() and (tmp_path / "real" / "made.txt").read_text() == "made"
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["made.txt", "voice.txt"]


def test_a_symlink_loop_is_one_line(tmp_path):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    for attempt in (lambda: atomic_write_text(loop, "x"), lambda: check_writable(loop)):
        with pytest.raises(KokoroError, match=r"cannot write .*loop\.txt: Too many levels of symbolic links"):
            attempt()
    assert loop.is_symlink()


HOLD_A_TEMP_FILE = """
import sys, time
from kokoro_tui.atomic import atomic_path
with atomic_path(sys.argv[1]) as tmp:
    tmp.write_bytes(b"half a file")
    print(tmp.name, flush=True)
    time.sleep(60)
"""


def _writer_holding(target) -> tuple[subprocess.Popen, str]:
    """A process stopped halfway through an atomic write of ``target``, and its temp file's name."""
    process = subprocess.Popen([sys.executable, "-c", HOLD_A_TEMP_FILE, str(target)], stdout=subprocess.PIPE, text=True)
    return process, process.stdout.readline().strip()


def test_temp_files_of_killed_writers_go_on_the_next_write(tmp_path):
    killed, killed_temp = _writer_holding(tmp_path / "a.wav")
    alive, alive_temp = _writer_holding(tmp_path / "b.wav")
    try:
        assert str(killed.pid) in killed_temp and str(alive.pid) in alive_temp
        killed.send_signal(signal.SIGKILL)  # no cleanup can run
        killed.wait(timeout=10)
        assert (tmp_path / killed_temp).exists()
        atomic_write_text(tmp_path / "c.txt", "x")
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive_temp, "c.txt"])  # the live one stays
    finally:
        alive.kill()
        alive.wait(timeout=10)
        killed.stdout.close()
        alive.stdout.close()


def test_a_file_that_only_looks_like_a_temp_file_is_kept(tmp_path):
    (tmp_path / ".notes.part").write_text("mine")  # no writer's PID in the name
    atomic_write_text(tmp_path / "c.txt", "x")
    assert (tmp_path / ".notes.part").read_text() == "mine"


def test_finished_file_follows_the_umask_even_when_the_writer_replaced_it(tmp_path):
    """safetensors' writer (and others) replace the file they are handed, with mode 0600 of their own."""
    previous = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "model.bin") as tmp:
            tmp.unlink()
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT, 0o600))
    finally:
        os.umask(previous)
    assert stat.S_IMODE(os.stat(tmp_path / "model.bin").st_mode) == 0o644


def test_a_lock_that_cannot_be_made_fails_at_once_not_after_the_timeout():
    """filelock retries a refused lock file as if another process held it; /proc/1 refuses every new file."""
    from kokoro_tui.atomic import exclusive

    with pytest.raises(KokoroError, match=r"cannot write /proc/1/lexicon\.tsv") as caught:
        with exclusive(Path("/proc/1/lexicon.tsv.lock"), "the lexicon", Path("/proc/1/lexicon.tsv")):
            pass
    assert caught.value.exit_code == 2
