"""`kokoro doctor` from the command line: findings on stdout with their fixes, exit 0 sound / 2 damaged."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
from typer.testing import CliRunner

from kokoro_tui.assets.manifest import model_dir
from kokoro_tui.cli.main import app
from kokoro_tui.home import ENV_VAR, DataHome

runner = CliRunner()


def test_the_real_home_is_sound(real_home, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(real_home.root))
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == f"every asset in {real_home.root} is sound\n"


def test_a_damaged_voice_is_named_then_repaired(real_home, tmp_home, offline_hub, fake_npm, assert_user_error):
    """The real model (linked, not copied) and one stock voice with NaNs: doctor names the download that
    repairs it; after that download, doctor is content."""
    folder = model_dir(tmp_home)
    folder.mkdir(parents=True)
    for path in model_dir(real_home).iterdir():
        (folder / path.name).symlink_to(path)
    tmp_home.voices.mkdir()
    for name in ("af_heart.bin", "af_heart.json"):
        shutil.copy(real_home.voices / name, tmp_home.voices / name)
    values = np.fromfile(tmp_home.voices / "af_heart.bin", "<f4")
    values[:10] = np.nan
    values.tofile(tmp_home.voices / "af_heart.bin")

    result = runner.invoke(app, ["doctor"])
    assert_user_error(result, f"1 problem in {tmp_home.root}, listed with its fix")
    assert result.stdout == (
        f"error: {tmp_home.voices / 'af_heart.bin'}: voice has 10 non-finite values (NaN or infinity); "
        "fix: `kokoro download --force --no-model --voices af_heart` fetches it again\n"
    )
    assert runner.invoke(app, ["download", "--force", "--no-model", "--voices", "af_heart"]).exit_code == 0
    repaired = runner.invoke(app, ["doctor"])
    assert repaired.exit_code == 0 and repaired.stdout == "", repaired.output


def test_json_lists_the_findings(tmp_home: DataHome):
    tmp_home.ensure(tmp_home.voices)
    (tmp_home.voices / ".am_adam.bin.kokoro-999999999-abcdef.part").write_bytes(b"")
    result = runner.invoke(app, ["doctor", "--json"])
    assert result.exit_code == 2
    findings = json.loads(result.stdout)
    assert [(f["severity"], os.path.basename(f["path"])) for f in findings] == [
        ("error", "kokoro-82m-v1.0"),
        ("error", "voices"),
        ("warning", ".am_adam.bin.kokoro-999999999-abcdef.part"),
    ]
    assert all(set(f) == {"severity", "path", "problem", "fix"} and f["fix"] for f in findings)


def test_a_home_that_is_a_file_is_not_sent_to_download(tmp_path, monkeypatch):
    """KOKORO_HOME naming a file: `kokoro download` cannot fix that, so the doctor does not offer it alone."""
    (tmp_path / "a_file").write_text("")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "a_file"))
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 2
    path = tmp_path / "a_file"
    assert result.stdout == (
        f"error: {path}: not a folder; fix: `mv {path} {path}.old` moves it aside, "
        "then `kokoro download` fetches what belongs there\n"
    )
    one = runner.invoke(app, ["--home", str(tmp_path / "empty"), "doctor"])
    assert one.stderr == f"error: 1 problem in {tmp_path / 'empty'}, listed with its fix\n"


def test_real_process_exits_2_with_one_error_line(tmp_home):
    done = subprocess.run(
        [sys.executable, "-m", "kokoro_tui", "doctor"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, ENV_VAR: str(tmp_home.root)},
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == f"error: 1 problem in {tmp_home.root}, listed with its fix\n"
    fix = "`kokoro download` fetches the model and the voices"
    assert done.stdout == f"error: {tmp_home.root}: no data home yet; fix: {fix}\n"
