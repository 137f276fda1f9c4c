"""``Pipeline.synthesize_many`` on the tiny random Kokoro of tiny_models: every text comes back as ``synthesize``
would say it, in input order, whatever the batch size, its chunks having gone to the model in batches across texts.

With the harmonic source's noise (the model's one random draw) turned off, a chunk's audio batched and alone agree
to float rounding and its durations, hence its words' timestamps, exactly; with the noise on, a seeded run repeats.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from tiny_models import one_thread_tiny_home

from kokoro_tui.backends import registry
from kokoro_tui.backends.torch_synthesizer import TorchSynthesizer
from kokoro_tui.errors import KokoroError, NothingToSayError
from kokoro_tui.home import DataHome
from kokoro_tui.model.kokoro import KokoroModel
from kokoro_tui.speech import batching
from kokoro_tui.speech.pipeline import FIRST_CHUNK_TOKENS, MIN_CHUNK_TOKENS, Pipeline
from kokoro_tui.speech.types import Speech

TEXTS = [
    "Hello there.",
    "The quick brown fox jumps over the lazy dog. It was not amused at all, and it said so.",
    "Wait [pause:0.3s] and listen.",
    "I speak first. [voice:am_adam]And now I take over.",
    "[speed:1.5]Quickly now, please.",
    "Numbers like 42 are read too.",
]
PHONEMES = ["həlˈoʊ.", "ðə kwˈɪk bɹˈaʊn fˈɑks."]
# Batched and alone, the same chunk's audio differs by the float rounding of padded sums (3e-4 seen, peaks ~0.7).
ROUNDING = 2e-3


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DataHome]:
    yield from one_thread_tiny_home(tmp_path_factory.mktemp("batch") / "home")


def pipeline(home: DataHome, **options: object) -> Pipeline:
    """Short chunks (texts of several chunks), seeded, warnings failing the test."""
    settings = {"max_chunk_tokens": MIN_CHUNK_TOKENS, "seed": 0, "on_warning": pytest.fail, **options}
    return Pipeline(home=home, device="cpu", precision="fp32", **settings)


@pytest.fixture
def noiseless(monkeypatch: pytest.MonkeyPatch) -> None:
    """The model without its source noise, whose draws depend on the batch: batched and alone then agree."""
    forward = KokoroModel.forward

    def quiet(self: KokoroModel, *args: object, noise: bool = True, **kwargs: object):
        return forward(self, *args, noise=False, **kwargs)

    monkeypatch.setattr(KokoroModel, "forward", quiet)


@pytest.fixture
def batches_run(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The token counts of the chunks of every batch the torch backend is given, in call order."""
    runs: list[list[int]] = []
    synthesize_batch = TorchSynthesizer.synthesize_batch

    def recorded(self: TorchSynthesizer, items, seed):
        runs.append([len(ids) for ids, _, _ in items])
        return synthesize_batch(self, items, seed)

    monkeypatch.setattr(TorchSynthesizer, "synthesize_batch", recorded)
    return runs


def assert_spoken_alike(batched: Speech, alone: Speech) -> None:
    assert batched.timestamps == alone.timestamps  # durations identical: every word at the same time
    assert batched.phonemes == alone.phonemes
    assert len(batched.audio) == len(alone.audio)
    np.testing.assert_allclose(batched.audio, alone.audio, rtol=0, atol=ROUNDING)


@pytest.mark.parametrize("batch_size", [1, 3, 64])
def test_each_text_comes_back_as_synthesize_says_it_in_order(home, noiseless, batches_run, batch_size) -> None:
    shared = pipeline(home)
    chunks = sum(len(list(shared.text_chunks(text))) for text in TEXTS)
    batched = shared.synthesize_many(TEXTS, batch_size=batch_size)
    assert [len(run) for run in batches_run] == [min(batch_size, chunks - n) for n in range(0, chunks, batch_size)]
    assert len(batched) == len(TEXTS)
    for text, speech in zip(TEXTS, batched):
        assert_spoken_alike(speech, shared.synthesize(text))


def test_batches_hold_chunks_of_about_one_length_longest_first(home, noiseless, batches_run) -> None:
    pipeline(home).synthesize_many(TEXTS, batch_size=3)
    counts = [count for run in batches_run for count in run]
    assert counts == sorted(counts, reverse=True) and len(set(counts)) > 1


def test_each_texts_timestamps_are_in_its_own_time(home, noiseless) -> None:
    for speech in pipeline(home).synthesize_many(TEXTS, batch_size=4):
        assert speech.timestamps[0].start_s < 1.0
        assert speech.timestamps[-1].end_s <= speech.duration_s + 1e-6
    pause_text = pipeline(home).synthesize_many(TEXTS, batch_size=4)[2]
    assert [stamp.word for stamp in pause_text.timestamps] == ["Wait", "and", "listen"]
    assert pause_text.timestamps[1].start_s - pause_text.timestamps[0].end_s >= 0.3


def test_phonemes_a_calls_speed_and_the_lead_in_cut_are_as_synthesize_has_them(home, noiseless) -> None:
    shared = pipeline(home, first_chunk_tokens=FIRST_CHUNK_TOKENS)
    for batched, text in zip(shared.synthesize_many(PHONEMES, is_phonemes=True, speed=0.5), PHONEMES):
        assert_spoken_alike(batched, shared.synthesize(text, is_phonemes=True, speed=0.5))
    assert shared.speed == 1.0


def test_a_seeded_batched_run_repeats_and_another_seed_differs(home, batches_run) -> None:
    first, again = (pipeline(home).synthesize_many(TEXTS, batch_size=4) for _ in range(2))
    other = pipeline(home, seed=1).synthesize_many(TEXTS, batch_size=4)
    assert all(np.array_equal(a.audio, b.audio) for a, b in zip(first, again))
    assert not any(np.array_equal(a.audio, b.audio) for a, b in zip(first, other))
    assert [a.timestamps for a in first] == [b.timestamps for b in other]  # only the noise differs


class OneAtATime:
    """A backend without ``synthesize_batch``, as every one but torch is."""

    def __init__(self, synthesizer: TorchSynthesizer) -> None:
        self.vocab = synthesizer.vocab
        self.synthesize = synthesizer.synthesize


def test_a_backend_that_cannot_batch_speaks_each_chunk_as_synthesize_does(home, monkeypatch, batches_run) -> None:
    load = registry.load_synthesizer
    monkeypatch.setattr(registry, "load_synthesizer", lambda *args, **kwargs: OneAtATime(load(*args, **kwargs)))
    shared = pipeline(home)
    for batched, text in zip(shared.synthesize_many(TEXTS), TEXTS):
        alone = shared.synthesize(text)
        assert np.array_equal(batched.audio, alone.audio) and batched.timestamps == alone.timestamps
    assert batches_run == []


@pytest.mark.parametrize("batch_size", [0, -2, 2.0, "8", True], ids=repr)
def test_a_bad_batch_size_is_refused_in_one_line(home, batch_size) -> None:
    with pytest.raises(KokoroError) as refused:
        pipeline(home).synthesize_many(TEXTS, batch_size=batch_size)  # type: ignore[arg-type]
    assert str(refused.value).startswith("batch_size ") and "\n" not in str(refused.value)


def test_by_default_a_cpu_speaks_one_chunk_a_call(home, batches_run) -> None:
    """Batches measured slower than single calls on the 2-core CPU: the default batches only on a GPU."""
    pipeline(home).synthesize_many(TEXTS)
    assert batches_run and all(len(run) == 1 for run in batches_run)


def test_no_texts_give_no_speech_and_one_str_is_refused(home) -> None:
    shared = pipeline(home)
    assert shared.synthesize_many([]) == []
    with pytest.raises(KokoroError, match="list of texts"):
        shared.synthesize_many("Hello there.")


@pytest.mark.parametrize("silent", ["?!?", "ʘʘ ʘ"])
def test_a_text_with_nothing_to_say_is_named_with_synthesizes_error(home, silent) -> None:
    is_phonemes = silent.startswith("ʘ")  # symbols the model lacks: refused by the pipeline, not the front end
    shared = pipeline(home, on_warning=lambda message: None)
    with pytest.raises(NothingToSayError) as alone:
        shared.synthesize(silent, is_phonemes=is_phonemes)
    texts = [PHONEMES[0] if is_phonemes else TEXTS[0], silent]
    with pytest.raises(NothingToSayError) as batched:
        shared.synthesize_many(texts, is_phonemes=is_phonemes)
    assert str(batched.value) == f"texts[1]: {alone.value}"


def test_batching_regroups_outputs_to_their_groups_in_order() -> None:
    assert batching.batches([3, 9, 1, 9, 5], 2) == [[1, 3], [4, 0], [2]]
    groups = [["ccc"], [], ["a", "bbbb", "dd"]]
    calls: list[tuple[list[str], int]] = []

    def run(items: list[str], number: int) -> list[str]:
        calls.append((items, number))
        return [item.upper() for item in items]

    assert batching.run_grouped(groups, len, 2, run) == [["CCC"], [], ["A", "BBBB", "DD"]]
    assert calls == [(["bbbb", "ccc"], 0), (["dd", "a"], 1)]
