"""Using kokoro_tui as a Python library: the README's example as written, bad arguments as KokoroErrors,
voices given as arrays, results a notebook can compare and save, and one Pipeline shared by threads.

Everything speaks with the tiny random-weight model (``tests/tiny_models.py``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import torch
from tiny_models import one_thread_tiny_home

from kokoro_tui import KokoroError, Pipeline, Speech, SpeechChunk, VoiceStore
from kokoro_tui.backends import registry
from kokoro_tui.home import ENV_VAR, DataHome
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.speech import pipeline as pipeline_module

README = Path(__file__).resolve().parents[1] / "README.md"
TEXT = "Hello world. How are you?"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DataHome]:
    yield from one_thread_tiny_home(tmp_path_factory.mktemp("python-api") / "home")


def python_section() -> str:
    """The README's first Python example: the one that shows the library."""
    return re.search(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)


def test_the_readme_example_runs_as_written(home: DataHome, tmp_path: Path):
    code = python_section()
    # Making a voice needs the reader's own recordings: the example runs up to there.
    runnable = code[: code.index("from kokoro_tui import VoiceJob")]
    env = {**os.environ, ENV_VAR: str(home.root), "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-c", runnable], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "speed 0 is out of range (use 0.25 to 4.0)" in done.stdout
    assert (tmp_path / "hello.wav").stat().st_size > 44


def test_speech_and_chunks_compare_and_hash_without_raising():
    one, other = Speech(np.zeros(4, np.float32), [], []), Speech(np.zeros(4, np.float32), [], [])
    assert one == one and one != other and len({one, other}) == 2
    chunk = SpeechChunk(0, "hi", "hˈI", np.zeros(4, np.float32), 0.0)
    assert chunk == chunk and chunk != SpeechChunk(0, "hi", "hˈI", np.zeros(4, np.float32), 0.0)


def test_results_carry_their_sample_rate(home: DataHome):
    speech = Pipeline(home=home).synthesize(TEXT)
    assert speech.sample_rate == SpeechChunk.sample_rate == SAMPLE_RATE
    assert speech.audio.dtype == np.float32 and speech.duration_s == len(speech.audio) / speech.sample_rate
    assert [stamp.word for stamp in speech.timestamps] == ["Hello", "world", "How", "are", "you"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"speed": "1.0"}, "speed '1.0' is not a number"),
        ({"speed": None}, "speed None is not a number"),
        ({"speed": True}, "speed True is not a number"),
        ({"speed": float("nan")}, "speed nan is out of range"),
        ({"seed": "7"}, "seed '7' is not a whole number"),
        ({"seed": 1.5}, "seed 1.5 is not a whole number"),
        ({"first_chunk_tokens": 0}, "first_chunk_tokens of 0 phonemes is out of range"),
        ({"first_chunk_tokens": -5}, "first_chunk_tokens of -5 phonemes is out of range"),
        ({"max_chunk_tokens": "100"}, "max_chunk_tokens of '100' phonemes is out of range"),
        ({"voice": None}, "a voice cannot be a NoneType"),
        ({"voice": 3}, "a voice cannot be a int"),
        ({"voice": np.zeros((3, 3), np.float32)}, r"voice has shape \[3, 3\], expected \[510, 1, 256\]"),
        ({"voice": torch.zeros(2, 256)}, r"voice has shape \[2, 256\]"),
        ({"voice": np.zeros((510, 1, 256), np.int64)}, "voice values must be floating point"),
    ],
)
def test_a_bad_argument_is_a_kokoro_error_naming_it(tmp_home: DataHome, options: dict, message: str):
    with pytest.raises(KokoroError, match=message):
        Pipeline(**options)


@pytest.mark.parametrize(("text", "message"), [(None, "not NoneType"), (b"Hello", r"not bytes \(decode bytes first")])
def test_text_that_is_not_a_str_is_a_kokoro_error(tmp_home: DataHome, text: object, message: str):
    with pytest.raises(KokoroError, match=message):
        Pipeline().synthesize(text)  # type: ignore[arg-type]


def test_numpy_scalars_are_numbers(home: DataHome):
    plain = Pipeline(home=home, speed=1.25, seed=3).synthesize(TEXT)
    scalars = Pipeline(home=home, speed=np.float32(1.25), seed=np.int64(3)).synthesize(TEXT)
    np.testing.assert_array_equal(scalars.audio, plain.audio)


def test_a_voice_given_as_an_array_or_a_path_speaks_as_the_stored_voice(home: DataHome):
    stored = Pipeline(voice="af_heart", home=home, seed=1).synthesize(TEXT).audio
    pack = VoiceStore(home).load("af_heart")
    path = VoiceStore(home).info("af_heart").path
    for voice in (pack, pack.reshape(510, 256), torch.from_numpy(pack).requires_grad_(), path):
        np.testing.assert_array_equal(Pipeline(voice=voice, home=home, seed=1).synthesize(TEXT).audio, stored)


def test_a_missing_voice_file_given_as_a_path_is_named(home: DataHome, tmp_path: Path):
    missing = tmp_path / "nope.npy"
    with pytest.raises(KokoroError, match="nope.npy: no such voice file"):
        VoiceStore(home).resolve(missing)
    with pytest.raises(KokoroError, match="nope.npy: no such voice file"):
        Pipeline(voice=missing, home=home).synthesize(TEXT)


def test_a_voice_store_opens_a_folder_or_the_default_home(home: DataHome, monkeypatch: pytest.MonkeyPatch):
    assert VoiceStore(str(home.root)).names() == VoiceStore(home).names() == ["af_heart", "am_adam"]
    monkeypatch.setenv(ENV_VAR, str(home.root))
    assert VoiceStore().root == home.voices


def test_threads_sharing_a_pipeline_load_each_part_once(home: DataHome, monkeypatch: pytest.MonkeyPatch):
    loads = {"model": 0, "frontend": 0}
    load_synthesizer, make_frontend = registry.load_synthesizer, pipeline_module.make_frontend

    def slow_model(*args, **kwargs):
        loads["model"] += 1
        time.sleep(0.3)  # long enough for every thread to arrive while the first loads
        return load_synthesizer(*args, **kwargs)

    def counted_frontend(*args, **kwargs):
        loads["frontend"] += 1
        return make_frontend(*args, **kwargs)

    monkeypatch.setattr(registry, "load_synthesizer", slow_model)
    monkeypatch.setattr(pipeline_module, "make_frontend", counted_frontend)
    shared = Pipeline(home=home, seed=2)
    start = threading.Barrier(3)

    def speak(text: str) -> np.ndarray:
        start.wait()
        return shared.synthesize(text).audio

    texts = ["Hello world.", "How are you?", "Fine, thanks."]
    with ThreadPoolExecutor(len(texts)) as pool:
        audios = list(pool.map(speak, texts))
    assert loads == {"model": 1, "frontend": 1}
    for text, audio in zip(texts, audios):
        np.testing.assert_array_equal(audio, Pipeline(home=home, seed=2).synthesize(text).audio)


def test_cuda_on_a_machine_without_it_is_refused_when_the_pipeline_is_made(tmp_home: DataHome, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(KokoroError, match="no CUDA GPU"):
        Pipeline(device="cuda")
