"""`kokoro say` with the real Kokoro-82M weights: end to end through subprocesses, intelligibility
(pocketsphinx word error rate), backend level parity, normalised readings, pipe and Ctrl-C behaviour.

These need the real data home (``real_home``, registry download); they fail, never skip, without it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from kokoro_tui.evaluation.intelligibility import Recogniser, word_error_rate, words
from kokoro_tui.evaluation.spectral import rms
from kokoro_tui.home import DataHome

pytestmark = pytest.mark.real

PARAGRAPH = (
    "The old lighthouse stood at the edge of the cliff, watching over the quiet harbor. "
    "Every evening, the keeper climbed the narrow stairs to light the great lamp. "
    "Ships passing in the night relied on its steady beam to find their way home. "
    "One winter, a fierce storm rolled in from the sea, and the keeper stayed awake until morning."
)
# pocketsphinx (bundled en-us model, 16 kHz) on PARAGRAPH (62 words) spoken with af_heart, measured
# on the development machine (2026-11-28):
#   onnx backend (public int8 export, deterministic): WER 0.100 (6 errors: "stood"->"did", "light"->"like",
#                                                      "relied on its"->"life and", "a"->"of")
#   torch backend fp32 (our weights, seed 0):         WER 0.150 (9 errors, the same kinds plus "cliff"->"class")
#   torch backend int8 generator convs (the default on the CPU since precision "auto"): WER 0.133
# The test measures the ONNX reference in the same run and allows ours 5 more errors of 62 (0.08):
# one paragraph through pocketsphinx swings by a few words with any small change of the audio.
WER_MARGIN_OVER_ONNX = 0.08
WER_CEILING = 0.20


def kokoro(home: DataHome, *args: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, KOKORO_HOME=str(home.root))
    return subprocess.run([sys.executable, "-m", "kokoro_tui", *args], cwd=cwd, env=env, timeout=600, **kwargs)


def test_hello_there_from_stdin_to_stdout(real_home, tmp_path):
    with open(tmp_path / "hello.wav", "wb") as sink:
        result = kokoro(real_home, "say", cwd=tmp_path, input=b"Hello there\n", stdout=sink, stderr=subprocess.PIPE)
    assert result.returncode == 0, result.stderr.decode()
    audio, sr = sf.read(tmp_path / "hello.wav", dtype="float32")
    assert sr == 24_000
    assert 0.5 < len(audio) / sr < 3.0
    assert rms(audio) > 0.01


@pytest.fixture(scope="module")
def torch_pipeline(real_home):
    """One loaded torch pipeline for the in-process tests (loading the model takes seconds)."""
    from kokoro_tui.speech.pipeline import Pipeline

    pipeline = Pipeline(voice="af_heart", home=real_home, backend="torch", seed=0)
    pipeline.load()
    return pipeline


def test_paragraph_is_intelligible(real_home, torch_pipeline):
    from kokoro_tui.speech.pipeline import Pipeline

    recognise = Recogniser()
    speech = torch_pipeline.synthesize(PARAGRAPH)
    error = word_error_rate(PARAGRAPH, recognise(speech.audio))
    reference = word_error_rate(PARAGRAPH, recognise(Pipeline(home=real_home, backend="onnx").synthesize(PARAGRAPH).audio))
    assert error <= reference + WER_MARGIN_OVER_ONNX and error < WER_CEILING, f"WER ours {error:.3f}, onnx {reference:.3f}"
    assert len(speech.timestamps) == len(words(PARAGRAPH))
    assert speech.timestamps[-1].end_s <= len(speech.audio) / 24_000 + 1e-6


def test_backends_play_at_the_same_level(real_home, torch_pipeline):
    from kokoro_tui.speech.pipeline import Pipeline

    text = "Both backends should sound alike, at the same loudness."
    torch_audio = torch_pipeline.synthesize(text).audio
    onnx_audio = Pipeline(home=real_home, backend="onnx").synthesize(text).audio
    ratio = rms(onnx_audio) / rms(torch_audio)
    assert 0.8 < ratio < 1.25, f"onnx/torch RMS ratio {ratio:.3f}"
    assert np.max(np.abs(onnx_audio[:100])) < 0.05  # no click from the export's first samples


def test_numbers_dates_times_are_read_out(real_home, tmp_path):
    from kokoro_tui.text.frontend import TextFrontend

    text = "Call 555-123-4567 at 3:30 pm on March 5, 2024."
    result = kokoro(real_home, "say", text, "--phonemes", cwd=tmp_path, capture_output=True)
    assert result.returncode == 0, result.stderr.decode()
    said = result.stdout.decode()
    assert not re.search(r"\d", said)
    frontend = TextFrontend("a")
    for reading in ("five five five", "thirty", "twenty twenty-four"):
        core = frontend.phonemize(reading).replace("ˈ", "").replace("ˌ", "").strip(" .")
        assert core in said.replace("ˈ", "").replace("ˌ", ""), (reading, said)


def test_onnx_backend_end_to_end(real_home, tmp_path):
    result = kokoro(real_home, "say", "Testing the other backend.", "--backend", "onnx", "-o", "o.flac",
                    "--timestamps", "o.vtt", cwd=tmp_path, capture_output=True)
    assert result.returncode == 0, result.stderr.decode()
    assert sf.info(tmp_path / "o.flac").duration > 0.5
    assert (tmp_path / "o.vtt").read_text().startswith("WEBVTT")


# The pipe and Ctrl-C tests use the faster onnx backend; the handling is the same for both.
def test_closed_stdout_exits_quietly(real_home, tmp_path):
    env = dict(os.environ, KOKORO_HOME=str(real_home.root))
    text = "A first sentence that is long enough to fill the pipe. And a second one, just as long as the first."
    shell = f"{sys.executable} -m kokoro_tui say --backend onnx {text!r} | head -c 100 > head.bin; echo ${{PIPESTATUS[0]}} > status"
    done = subprocess.run(["bash", "-c", shell], cwd=tmp_path, env=env, capture_output=True, timeout=600)
    assert (tmp_path / "head.bin").read_bytes()[:4] == b"RIFF"
    assert int((tmp_path / "status").read_text()) not in (0, 2)
    assert b"Traceback" not in done.stderr and b"Exception ignored" not in done.stderr, done.stderr.decode()


def test_ctrl_c_leaves_no_file(real_home, tmp_path):
    (tmp_path / "long.txt").write_text(" ".join(f"This is sentence number {n} of a long text." for n in range(60)))
    env = dict(os.environ, KOKORO_HOME=str(real_home.root))
    process = subprocess.Popen(
        [sys.executable, "-m", "kokoro_tui", "say", "--file", "long.txt", "-o", "out.wav", "--backend", "onnx"],
        cwd=tmp_path, env=env, stderr=subprocess.PIPE,
        # A terminal's Ctrl-C: the child starts with SIGINT's default action even when this test
        # runs as a background job, whose children inherit an ignored SIGINT (as nohup intends).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and process.poll() is None:
            parts = list(tmp_path.glob(".out.wav.*"))
            if parts and parts[0].stat().st_size > 44:  # the first chunk is in the temp file
                break
            time.sleep(0.1)
        assert process.poll() is None, "finished before it could be interrupted"
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stderr.decode()
    assert b"Traceback" not in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.txt"]


def test_device_cuda(real_home, tmp_path):
    """Without a GPU, --device cuda is one clear line and no file; with one, it speaks."""
    import torch

    result = kokoro(real_home, "say", "Hi.", "--device", "cuda", "-o", "c.wav", cwd=tmp_path, capture_output=True)
    if torch.cuda.is_available():
        assert result.returncode == 0, result.stderr.decode()
        assert sf.info(tmp_path / "c.wav").duration > 0.2
    else:
        assert result.returncode == 2
        assert b"CUDA" in result.stderr and b"Traceback" not in result.stderr
        assert list(tmp_path.iterdir()) == []
