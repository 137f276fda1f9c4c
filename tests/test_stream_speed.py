"""A speed for one call of ``Pipeline.stream`` / ``synthesize``, on the tiny random Kokoro of tiny_models: it is
heard as the constructor's speed would be, markup speed switches still override it, and the pipeline's own speed
is never touched, so that callers sharing a pipeline (a dub fitting cues, a server's requests) keep theirs."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from tiny_models import one_thread_tiny_home

from kokoro_tui.errors import KokoroError
from kokoro_tui.home import DataHome
from kokoro_tui.speech.pipeline import Pipeline

TEXT = "The quick brown fox jumps over the lazy dog."
MARKED = "Slow words come first. [speed:2] Then quick ones follow."
BAD_SPEEDS = [0, 0.1, 10, float("nan"), "fast", True]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DataHome]:
    yield from one_thread_tiny_home(tmp_path_factory.mktemp("stream-speed") / "home")


def pipeline(home: DataHome, **options: object) -> Pipeline:
    return Pipeline(home=home, device="cpu", precision="fp32", seed=0, on_warning=pytest.fail, **options)


def test_a_calls_speed_sounds_as_the_constructors_and_leaves_the_pipelines_own(home: DataHome) -> None:
    shared = pipeline(home)
    slow = shared.synthesize(TEXT, speed=0.5).audio  # not faster: the tiny model says most phonemes in one frame
    assert shared.speed == 1.0
    assert np.array_equal(slow, pipeline(home, speed=0.5).synthesize(TEXT).audio)
    assert len(slow) > 1.3 * len(shared.synthesize(TEXT).audio)  # frame durations scale about as 1 / speed


def test_a_markup_speed_switch_overrides_a_calls_speed_as_it_does_the_pipelines(home: DataHome) -> None:
    shared = pipeline(home)
    streamed = np.concatenate([chunk.audio for chunk in shared.stream(MARKED, speed=0.5)])
    assert np.array_equal(streamed, pipeline(home, speed=0.5).synthesize(MARKED).audio)
    assert len(streamed) < len(shared.synthesize(MARKED.replace("[speed:2]", ""), speed=0.5).audio)
    assert shared.speed == 1.0


@pytest.mark.parametrize("speed", BAD_SPEEDS, ids=repr)
def test_a_bad_speed_is_refused_as_the_constructor_refuses_it(home: DataHome, speed: object) -> None:
    with pytest.raises(KokoroError) as made:
        pipeline(home, speed=speed)
    shared = pipeline(home)
    with pytest.raises(KokoroError) as streamed:
        shared.stream(TEXT, speed=speed)  # type: ignore[arg-type]  # refused before the stream is read
    with pytest.raises(KokoroError) as synthesized:
        shared.synthesize(TEXT, speed=speed)  # type: ignore[arg-type]
    assert str(streamed.value) == str(synthesized.value) == str(made.value)
    assert "\n" not in str(made.value) and str(made.value).startswith("speed ")
    assert shared.speed == 1.0
