"""Synthesis in a child process: chunks come through, errors keep their kind, abandoned streams are
skipped, and one child with one model serves every voice and speed."""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Iterator

import numpy as np
import pytest
from test_tui_support import FakePipeline

from kokoro_tui.errors import KokoroError
from kokoro_tui.home import DataHome
from kokoro_tui.speech.types import SpeechChunk
from kokoro_tui.speech.worker import PipelineCache, SpeechProcess


@functools.lru_cache(maxsize=2)
def load_fake_model(home: DataHome) -> object:
    """Stands in for ``load_synthesizer``: cached per process, so its misses count real loads."""
    return object()


class CountingPipeline(FakePipeline):
    """A fake pipeline whose chunks say, in their text, which process spoke them, how many
    pipelines that process has built and how many models it has loaded."""

    built = 0

    def __init__(self, voice: str, speed: float, home: DataHome) -> None:
        super().__init__(voice, speed, home)
        CountingPipeline.built += 1

    def load(self) -> None:
        super().load()
        load_fake_model(self.home)

    def stream(self, text: str) -> Iterator[SpeechChunk]:
        report = f"{os.getpid()} {CountingPipeline.built} {load_fake_model.cache_info().misses}"
        for chunk in super().stream(text):
            yield dataclasses.replace(chunk, text=report)


@pytest.fixture
def options(tmp_path):
    return {"voice": "af_alpha", "speed": 1.0, "home": DataHome(tmp_path)}


@pytest.fixture
def process():
    speech = SpeechProcess(factory=FakePipeline)
    yield speech
    speech.close()


def test_chunks_from_the_child_match_the_pipeline_in_process(options, process):
    remote = process(**options)
    remote.load()
    got = list(remote.stream("One. Two. Three."))
    expected = list(FakePipeline(**options).stream("One. Two. Three."))
    assert [chunk.text for chunk in got] == ["One.", "Two.", "Three."]
    assert [chunk.index for chunk in got] == [0, 1, 2]
    for mine, theirs in zip(got, expected):
        assert mine.audio.dtype == np.float32 and np.array_equal(mine.audio, theirs.audio)


def test_voices_and_speeds_share_one_child_and_one_model_load(options):
    process = SpeechProcess(factory=CountingPipeline)
    try:
        reports = []
        for voice, speed in [("af_alpha", 1.0), ("bf_eps", 1.0), ("bf_eps", 1.5), ("af_alpha", 1.0)]:
            pipeline = process(**{**options, "voice": voice, "speed": speed})
            pipeline.load()
            reports.append([chunk.text.split() for chunk in pipeline.stream("Hello.")][0])
    finally:
        process.close()
    pids = {pid for pid, _, _ in reports}
    assert len(pids) == 1 and pids != {str(os.getpid())}
    assert [int(built) for _, built, _ in reports] == [1, 2, 3, 3]  # af_alpha at 1.0 was kept
    assert {int(loads) for _, _, loads in reports} == {1}


def test_the_child_keeps_the_most_recently_used_pipelines(tmp_path):
    cache = PipelineCache(FakePipeline, size=2)
    first, second = ({"voice": voice, "speed": 1.0, "home": DataHome(tmp_path)} for voice in ("a", "b"))
    kept, dropped = cache.get(first), cache.get(second)
    assert cache.get(first) is kept  # used again: now the most recent
    cache.get({**second, "speed": 2.0})  # evicts "b", the least recently used
    assert cache.get(first) is kept and cache.get(second) is not dropped


def test_user_errors_stay_kokoro_errors_and_the_process_survives(options, process):
    with pytest.raises(KokoroError, match="unknown voice 'nobody'"):
        process(**{**options, "voice": "nobody"}).load()
    with pytest.raises(KokoroError):
        process(**{**options, "voice": "nobody"}).load()
    assert [chunk.text for chunk in process(**options).stream("Fine.")] == ["Fine."]


def test_an_abandoned_stream_does_not_leak_into_the_next(options, process):
    first = process(**options).stream("Old one. Old two. Old three.")
    assert next(first).text == "Old one."
    first.close()
    assert [chunk.text for chunk in process(**options).stream("New. Newer.")] == ["New.", "Newer."]


def test_a_newer_request_takes_over_from_an_unfinished_stream(options, process):
    first = process(**options).stream("Old one. Old two. Old three.")
    assert next(first).text == "Old one."
    assert [chunk.text for chunk in process(**{**options, "speed": 2.0}).stream("New.")] == ["New."]
    assert list(first) == []


def test_a_crashed_child_is_reported_not_hung():
    process = SpeechProcess(factory=os.abort)
    try:
        with pytest.raises(RuntimeError, match="stopped unexpectedly"):
            process().load()
    finally:
        process.close()


def test_a_closed_process_starts_no_child(options, process):
    process(**options).load()
    process.close()
    with pytest.raises(RuntimeError, match="closed"):
        process(**options).load()


def test_the_dashboards_pipelines_start_a_paragraph_with_a_short_chunk(tmp_path):
    """The Speak pane plays while it streams: its first audio must not wait for a long first sentence."""
    from kokoro_tui.speech.pipeline import FIRST_CHUNK_TOKENS, Pipeline
    from kokoro_tui.tui.app import speech_pipeline_factory

    sentence = ("Every evening the keeper climbed the narrow stairs to the lantern room at the top of the tower "
                "and lit the great lamp whose beam swept across the dark water.")
    factory = speech_pipeline_factory("torch", "cpu")
    try:
        options = {**factory.shared, "voice": "af_heart", "speed": 1.0, "home": DataHome(tmp_path)}
        first, *rest = Pipeline(**options).text_chunks(sentence)
        whole = next(Pipeline(voice="af_heart", home=DataHome(tmp_path)).text_chunks(sentence))
    finally:
        factory.close()
    assert rest and len(first.phonemes) <= FIRST_CHUNK_TOKENS < len(whole.phonemes)
