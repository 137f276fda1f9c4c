"""The G2P in a child process (``text.g2p_process``): same tokens as here, never torch, and any failure
of the child falls back to the in-process G2P."""

from __future__ import annotations

import io
import os
import pickle
from pathlib import Path

import numpy as np
import pytest
from tiny_models import tiny_home, tiny_kokoro, torch_on_one_thread

from kokoro_tui.speech.pipeline import Pipeline
from kokoro_tui.text import g2p_process
from kokoro_tui.text.g2p import load_g2p
from kokoro_tui.text.g2p_process import G2PProcess

ENGLISH = [
    "Hello there.",
    "On the 4th of March, 1921, it cost $3.50 — didn't it?",
    "Zoë's café (naïve) at 10:30 p.m.; e-mail: a@b.com",
]


@pytest.fixture(scope="module")
def english() -> G2PProcess:
    process = G2PProcess("a")
    yield process
    process.close()


def test_the_child_reads_as_this_process_does(english: G2PProcess) -> None:
    here = load_g2p("a")
    for text in ENGLISH:
        assert english(text) == here(text)
    assert english._child is not None, "the child failed and the in-process G2P answered"


def test_the_child_never_loads_torch(english: G2PProcess) -> None:
    english("Ready?")  # the child has loaded its G2P
    assert english._child is not None
    maps = Path(f"/proc/{english._child.pid}/maps").read_text()
    assert "libtorch" not in maps
    assert "libpython" in maps or "python" in maps  # the maps are readable and name the loaded libraries


def test_a_dead_child_is_replaced_by_the_in_process_g2p() -> None:
    process = G2PProcess("e")
    expected = load_g2p("e")("Hola, amigo.")
    assert process("Hola, amigo.") == expected
    assert process._child is not None
    process._child.kill()
    process._child.wait()
    assert process("Hola, amigo.") == expected
    assert process._child is None


def test_a_child_that_cannot_start_is_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(g2p_process.sys, "executable", "/nonexistent/python")
    process = G2PProcess("e")
    assert process._child is None
    assert process("Hola.") == load_g2p("e")("Hola.")


def test_a_child_that_exits_at_once_hands_over(monkeypatch: pytest.MonkeyPatch) -> None:
    """The child runs ``-m <this module>``; a module that does not exist makes it exit with no reply."""
    monkeypatch.setattr(g2p_process, "__name__", "kokoro_tui.no_such_module")
    process = G2PProcess("e")
    assert process("Hola.") == load_g2p("e")("Hola.")
    assert process._child is None


def test_the_childs_answers_and_its_failure_are_replies(monkeypatch: pytest.MonkeyPatch) -> None:
    """The child's loop, run here on byte streams: ready, one reply per text, and a failure is a reply."""
    monkeypatch.setattr(g2p_process, "load_g2p", lambda lang: lambda text: [text.upper()])
    requests = io.BytesIO(pickle.dumps("one") + pickle.dumps("two"))
    replies = io.BytesIO()
    g2p_process._answer("a", replies, requests)
    replies.seek(0)
    assert g2p_process._expect(replies, g2p_process._READY) is None
    assert [g2p_process._expect(replies, g2p_process._TOKENS) for _ in range(2)] == [["ONE"], ["TWO"]]

    def broken(lang: str):
        raise RuntimeError("no spaCy model")

    monkeypatch.setattr(g2p_process, "load_g2p", broken)
    replies = io.BytesIO()
    g2p_process._answer("a", replies, io.BytesIO(pickle.dumps("one")))
    replies.seek(0)
    with pytest.raises(g2p_process._ChildFailed, match="no spaCy model"):
        g2p_process._expect(replies, g2p_process._READY)
    assert replies.read() == b""  # nothing after the failure: the child stops there


@pytest.fixture(scope="module")
def one_thread():
    yield from torch_on_one_thread()


def test_a_pipeline_loading_in_parallel_says_the_same(tmp_path: Path, one_thread) -> None:
    home = tiny_home(tmp_path / "home", tiny_kokoro())
    text = "Hello there. This is a test!"
    apart = Pipeline(home=home, seed=3, parallel_load=True)
    child = apart.frontend.g2p  # type: ignore[attr-defined]
    assert isinstance(child, G2PProcess) and child._child is not None
    said_apart = apart.synthesize(text)
    assert child._child is None and child._local is None  # the child read it all, then was ended
    said_together = Pipeline(home=home, seed=3).synthesize(text)
    assert said_apart.phonemes == said_together.phonemes
    assert said_apart.timestamps == said_together.timestamps
    np.testing.assert_array_equal(said_apart.audio, said_together.audio)


def test_the_child_ignores_the_terminal_interrupt(english: G2PProcess) -> None:
    """Ctrl-C reaches the foreground process group; the child is in a session of its own, so only
    this process decides what an interrupt means (and the child ends with its stdin)."""
    assert english._child is not None
    assert os.getsid(english._child.pid) == english._child.pid != os.getsid(0)
