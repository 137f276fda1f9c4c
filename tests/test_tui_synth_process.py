"""Synthesis in a child process: chunks come through, errors keep their kind, abandoned streams are skipped."""

from __future__ import annotations

import numpy as np
import pytest

from kokoro_tui.errors import KokoroError
from kokoro_tui.home import DataHome
from kokoro_tui.tui.synth_process import ProcessPipeline
from test_tui_support import FakePipeline

FAKE = "test_tui_support:FakePipeline"


@pytest.fixture
def options(tmp_path):
    return {"voice": "af_alpha", "speed": 1.0, "home": DataHome(tmp_path)}


def test_chunks_from_the_child_match_the_pipeline_in_process(options):
    remote = ProcessPipeline(options, factory_path=FAKE)
    try:
        remote.load()
        got = list(remote.stream("One. Two. Three."))
    finally:
        remote.close()
    expected = list(FakePipeline(**options).stream("One. Two. Three."))
    assert [chunk.text for chunk in got] == ["One.", "Two.", "Three."]
    assert [chunk.index for chunk in got] == [0, 1, 2]
    for mine, theirs in zip(got, expected):
        assert mine.audio.dtype == np.float32 and np.array_equal(mine.audio, theirs.audio)


def test_user_errors_stay_kokoro_errors_and_the_process_survives(options):
    remote = ProcessPipeline({**options, "voice": "nobody"}, factory_path=FAKE)
    try:
        with pytest.raises(KokoroError, match="unknown voice 'nobody'"):
            remote.load()
        with pytest.raises(KokoroError):
            remote.load()
    finally:
        remote.close()


def test_an_abandoned_stream_does_not_leak_into_the_next(options):
    remote = ProcessPipeline(options, factory_path=FAKE)
    try:
        first = remote.stream("Old one. Old two. Old three.")
        assert next(first).text == "Old one."
        first.close()
        assert [chunk.text for chunk in remote.stream("New. Newer.")] == ["New.", "Newer."]
    finally:
        remote.close()


def test_a_crashed_child_is_reported_not_hung(options):
    remote = ProcessPipeline({}, factory_path="os:abort")
    with pytest.raises(RuntimeError, match="stopped unexpectedly"):
        remote.load()
    remote.close()
