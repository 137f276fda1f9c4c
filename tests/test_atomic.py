"""Atomic writes: an unwritable target is one KokoroError naming the path and the reason, found
before the slow work by check_writable; nothing is left behind either way."""

from __future__ import annotations

import errno
import os

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
