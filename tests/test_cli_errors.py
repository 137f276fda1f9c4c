"""The root of `kokoro`: an OSError no command caught is one line, exit 2 for a path, 1 for the
machine; a reader closing stdout is one line and exit 141, Ctrl-C "interrupted" and exit 130, for every command,
not only `say`."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from kokoro_tui.cli import main
from kokoro_tui.voices.store import VoiceStore


@pytest.mark.parametrize(("error", "line", "exit_code"), [
    (PermissionError(errno.EACCES, "Permission denied", "/srv/voices"), "error: /srv/voices: Permission denied", 2),
    (OSError(errno.EIO, "Input/output error", "/srv/voices/a.bin"), "error: /srv/voices/a.bin: Input/output error", 1),
])
def test_stray_os_error_in_a_command(tmp_home, monkeypatch, error, line, exit_code):
    def fail(self, lang=None, gender=None):
        raise error

    monkeypatch.setattr(VoiceStore, "list", fail)
    result = CliRunner().invoke(main.app, ["voices", "list"])
    assert result.exit_code == exit_code
    assert result.stderr == line + "\n" and "Traceback" not in result.output


def test_stray_os_error_outside_a_command(monkeypatch, capsys):
    def fail():
        raise IsADirectoryError(errno.EISDIR, "Is a directory", "adir")

    monkeypatch.setattr(main, "app", fail)
    with pytest.raises(SystemExit) as caught:
        main.run()
    assert caught.value.code == 2
    assert capsys.readouterr().err == "error: adir: Is a directory\n"


def test_closed_stdout_in_any_command(tmp_home, tiny_voice, tmp_path):
    """`voices show` prints through rich, which would exit 1 without a word on its own."""
    VoiceStore(tmp_home).save("af_heart", tiny_voice, "stock")
    env = dict(os.environ, KOKORO_HOME=str(tmp_home.root))
    for command in ("voices show af_heart", "voices list --json"):
        shell = f"{sys.executable} -m kokoro_tui {command} 2> err.txt | true; echo ${{PIPESTATUS[0]}}"
        done = subprocess.run(["bash", "-c", shell], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert done.stdout.strip() == "141", command
        assert (tmp_path / "err.txt").read_text() == "error: the output pipe was closed by the reader\n", command


def test_ctrl_c_in_any_command_is_one_word(tmp_home, monkeypatch):
    """Not only `say`: click would exit 130 without a word."""
    def interrupt(self, lang=None, gender=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(VoiceStore, "list", interrupt)
    result = CliRunner().invoke(main.app, ["voices", "list"])
    assert (result.exit_code, result.stderr) == (130, "interrupted\n")
