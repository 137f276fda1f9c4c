"""The live player of `kokoro say --play`: synthesis never waits for playback, and finish waits for all of it."""

from __future__ import annotations

import sys
import threading
import time

import numpy as np
import pytest

from kokoro_tui.errors import KokoroError
from kokoro_tui.speech.playback import LivePlayer

CHUNK_S = 0.2  # how long the fake output takes to "play" one chunk


def fake_output() -> tuple[LivePlayer, list[float], threading.Event]:
    heard: list[float] = []
    closed = threading.Event()

    def emit(audio: np.ndarray) -> None:
        time.sleep(CHUNK_S)
        heard.append(float(audio[0]))

    return LivePlayer("fake", emit, closed.set, lambda: None), heard, closed


def test_writes_return_at_once_and_finish_waits_for_every_chunk_in_order():
    player, heard, closed = fake_output()
    started = time.monotonic()
    for index in range(4):
        player.write(np.full(10, index, dtype=np.float32))
    assert time.monotonic() - started < CHUNK_S  # queued, not played, when write returns
    player.finish()
    assert time.monotonic() - started >= 4 * CHUNK_S
    assert heard == [0.0, 1.0, 2.0, 3.0] and closed.is_set()


def test_a_failing_output_is_reported_to_the_writer():
    def emit(audio: np.ndarray) -> None:
        raise OSError("device unplugged")

    player = LivePlayer("fake", emit, lambda: None, lambda: None)
    player.write(np.zeros(10, dtype=np.float32))
    with pytest.raises(KokoroError, match="playback through fake stopped: device unplugged"):
        player.finish()


def test_stop_drops_what_is_queued():
    player, heard, _ = fake_output()
    for index in range(10):
        player.write(np.full(10, index, dtype=np.float32))
    player.stop()
    assert len(heard) < 10


def test_stop_after_the_end_touches_nothing():
    ended: list[str] = []
    player = LivePlayer("fake", lambda audio: None, lambda: ended.append("closed"), lambda: ended.append("aborted"))
    player.write(np.zeros(10, dtype=np.float32))
    player.finish()
    player.stop()  # a dashboard stopping a text that has already been heard
    assert ended == ["closed"]


def test_a_file_only_player_hears_each_chunk_in_order(tmp_path, monkeypatch):
    """afplay reads only files: each chunk is written to a WAV and played to its end before the next."""
    from kokoro_tui.speech import playback

    log = tmp_path / "heard.txt"
    afplay = tmp_path / "afplay"
    afplay.write_text(f"#!{sys.executable}\nimport sys, soundfile\n"
                      f"audio, rate = soundfile.read(sys.argv[1], dtype='int16')\n"
                      f"open({str(log)!r}, 'a').write(f'{{rate}} {{len(audio)}} {{audio[0]}}\\n')\n")
    afplay.chmod(0o755)
    monkeypatch.delenv(playback.PLAYER_VAR, raising=False)
    monkeypatch.setattr(playback, "_sounddevice_module", lambda: None)
    monkeypatch.setenv("PATH", str(tmp_path))
    opener, reason = playback.find_live_output()
    assert opener is not None and reason == "playing through afplay"
    player = opener()
    for index, length in enumerate((2400, 4800, 1200)):
        player.write(np.full(length, index / 10, dtype=np.float32))
    player.finish()
    assert log.read_text().splitlines() == ["24000 2400 0", "24000 4800 3277", "24000 1200 6553"]
