"""Shared fixtures: a fresh data home per test, a tiny random voice, and the real assets once per session."""

from __future__ import annotations

import io
import os
import tarfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from kokoro_tui.home import ENV_VAR, DataHome

REPO = Path(__file__).resolve().parents[1]
TEST_HOME_VAR = "KOKORO_TEST_HOME"
REAL_FIXTURES = {"real_home", "real_onnx"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that uses the real assets carries the `real` marker (select with -m real / -m 'not real')."""
    for item in items:
        if REAL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.real)


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


@pytest.fixture(scope="session")
def real_onnx(request: pytest.FixtureRequest) -> Path:
    """The real int8 ONNX: $KOKORO_TEST_ONNX, else the session data home's (which downloads it).

    The data home is only asked for when there is no override, so the override needs no network.
    """
    override = os.environ.get("KOKORO_TEST_ONNX")
    if override:
        path = Path(override)
    else:
        from kokoro_tui.assets.manifest import ONNX_NAME, model_dir

        path = model_dir(request.getfixturevalue("real_home")) / ONNX_NAME
    if not path.is_file():
        pytest.fail(f"real int8 ONNX not found at {path}: set KOKORO_TEST_ONNX or let the real_home fixture download it")
    return path


CLOSED_PORT_URL = "http://127.0.0.1:9"  # discard port: nothing listens, a connect is refused at once


@pytest.fixture
def offline_hub(monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the Hugging Face endpoint at a closed local port: 'unreachable' without waiting on DNS."""
    monkeypatch.setenv("HF_ENDPOINT", CLOSED_PORT_URL)
    return CLOSED_PORT_URL


def voice_tarball(path: Path, members: dict[str, bytes]) -> Path:
    """A gzipped tarball with the given member names and contents, like an npm package."""
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            member = tarfile.TarInfo(name)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return path


def pack_bytes(seed: int) -> bytes:
    """One voice as kokoro-js stores it: 510×256 little-endian float32."""
    return np.random.default_rng(seed).standard_normal(510 * 256).astype("<f4").tobytes()


@pytest.fixture
def make_tarball() -> Callable[[Path, dict[str, bytes]], Path]:
    return voice_tarball


@pytest.fixture
def voice_bytes() -> Callable[[int], bytes]:
    return pack_bytes


@pytest.fixture
def fake_npm(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`npm pack kokoro-js` replaced by a local tarball holding af_heart, am_adam and bf_emma."""
    from kokoro_tui.assets import npm

    source = voice_tarball(
        tmp_path / "kokoro-js-src.tgz",
        {f"package/voices/{name}.bin": pack_bytes(seed) for seed, name in enumerate(["af_heart", "am_adam", "bf_emma"])},
    )

    def fake_pack(workdir: Path) -> Path:
        target = workdir / "kokoro-js-1.2.1.tgz"
        target.write_bytes(source.read_bytes())
        return target

    monkeypatch.setattr(npm, "npm_pack", fake_pack)


@pytest.fixture
def assert_user_error() -> Callable[..., None]:
    """Checks a CliRunner result: exit 2, one stderr line 'error: …' containing a fragment, no traceback."""

    def check(result, fragment: str) -> None:
        assert result.exit_code == 2, (result.exit_code, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
        assert fragment in lines[0], lines[0]
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)

    return check
