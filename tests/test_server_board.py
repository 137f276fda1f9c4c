"""The request board: `kokoro serve` publishes its requests in the data home, the dashboard reads them.

The server side runs the app on the slow fake pipeline of test_server (a real uvicorn where a
stream must be caught in flight); the reader side writes boards of servers that run, that died
and that went quiet on another machine, and checks which are shown and which are swept.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import test_server
from fastapi.testclient import TestClient
from test_server import FakeSpeech, decode, sentences, serving, settings

from kokoro_tui.home import DataHome
from kokoro_tui.server.app import create_app
from kokoro_tui.speech.request_board import (
    HEARTBEAT_S,
    STALE_S,
    RequestBoard,
    ServerBoard,
    ServerIdentity,
    read_board,
    running_boards,
    sweep_stopped,
)

home = test_server.home  # the fixture: the tiny model's data home, one per module
WAIT_S = 10.0


def board_when(path: Path, condition: Callable[[ServerBoard], bool]) -> ServerBoard:
    """The board in ``path`` once ``condition`` holds for it (the server publishes twice a second)."""
    deadline = time.monotonic() + WAIT_S
    while True:
        board = read_board(path)
        if board is not None and condition(board):
            return board
        assert time.monotonic() < deadline, f"the board never got there: {board}"
        time.sleep(0.05)


def test_a_voice_no_utf8_can_carry_does_not_freeze_the_board(home: DataHome) -> None:
    """A lone surrogate (valid JSON, "\\ud800") in what a client asked for is written escaped."""
    app = create_app(settings(home), pipelines=FakeSpeech())
    path = app.state.board.path
    with TestClient(app) as client:
        body = '{"input": "Hi.", "voice": "\\ud800"}'
        refused = client.post("/v1/audio/speech", content=body, headers={"Content-Type": "application/json"})
        assert refused.status_code == 400
        client.post("/v1/audio/speech", json={"input": "Hi.", "voice": "af_heart", "stream": False})
        board = board_when(path, lambda board: board.requests == 2)
    assert [record.voice for record in board.recent] == ["\ud800", "af_heart"]


def test_each_api_request_goes_on_the_board_with_what_was_asked_and_made(home: DataHome) -> None:
    app = create_app(settings(home, max_requests=3), pipelines=FakeSpeech())
    path = app.state.board.path
    with TestClient(app) as client:
        asked = {"input": "One. Two.", "voice": "af_heart(1)+am_adam(1)", "response_format": "wav", "stream": False}
        spoken = client.post("/v1/audio/speech", json=asked)
        refused = client.post("/v1/audio/speech", json={"input": "Hi.", "voice": "af_nobody", "response_format": "mp3"})
        client.get("/health")
        client.get("/")
        assert client.post("/dev/phonemize", json={"text": "Hello.", "language": "a"}).status_code == 200
        board = board_when(path, lambda board: board.requests == 3)
        assert path.parent == home.servers and path.stem == board.key
    assert not path.exists(), "a stopped server left its board up"
    assert spoken.status_code == 200 and refused.status_code == 400
    assert (board.requests, board.failed, board.active) == (3, 1, ())
    assert board.audio_s == pytest.approx(decode(spoken.content)[0], abs=0.01)
    made, bad, phonemes = board.recent  # health probes and the page stay off the board
    assert (made.method, made.path, made.status, made.voice, made.chars, made.format, made.stream) == (
        "POST", "/v1/audio/speech", 200, "af_heart(1)+am_adam(1)", len("One. Two."), "wav", False)
    assert made.audio_s == pytest.approx(2 * test_server.FAKE_CHUNK_S)
    assert 0 < made.first_byte_s <= made.elapsed_s and made.client == "testclient"
    assert (bad.status, bad.voice, bad.audio_s, bad.first_byte_s is not None) == (400, "af_nobody", 0.0, True)
    assert (phonemes.path, phonemes.chars, phonemes.voice) == ("/dev/phonemize", len("Hello."), None)
    identity = board.identity
    assert (identity.pid, identity.url, identity.max_requests, identity.keyed) == (
        os.getpid(), "http://127.0.0.1:8880", 3, False)


def test_a_stream_in_flight_shows_its_audio_so_far_then_moves_to_the_recent(home: DataHome) -> None:
    speech = FakeSpeech(delay=0.3)
    app = create_app(settings(home), pipelines=speech)
    path = app.state.board.path
    text = sentences("Part", 8)
    with (
        serving(app) as url,
        httpx.stream("POST", f"{url}/v1/audio/speech", json={"input": text, "voice": "af_heart"}, timeout=30) as response,
    ):
        pieces = response.iter_bytes()
        next(pieces)
        live = board_when(path, lambda board: bool(board.active) and board.active[0].audio_s >= 0.4)
        rest = b"".join(pieces)
        done = board_when(path, lambda board: board.requests == 1)
    (record,) = live.active
    assert (record.status, record.voice, record.chars, record.stream, record.elapsed_s) == (
        200, "af_heart", len(text), True, None)
    assert record.first_byte_s is not None and live.queued == 1
    assert record.audio_s < 8 * test_server.FAKE_CHUNK_S, "the board was not live: it showed the whole stream"
    assert done.active == () and done.queued == 0 and rest
    assert done.recent[0].audio_s == pytest.approx(8 * test_server.FAKE_CHUNK_S)


# --- the reader's side ---------------------------------------------------------------------------------


def publish(directory: Path, identity: ServerIdentity, updated: float) -> Path:
    """A board as a server would have left it, last written at ``updated``."""
    board = RequestBoard(directory, identity)
    board.path.parent.mkdir(parents=True, exist_ok=True)
    board.path.write_text(json.dumps({**board.snapshot(), "updated": updated}))
    return board.path


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_only_running_servers_are_shown_and_a_killed_ones_board_is_swept(tmp_path: Path) -> None:
    now = time.time()
    here = publish(tmp_path, ServerIdentity(url="http://here", started=now - 10), now - 60)  # this process: alive
    killed = publish(tmp_path, ServerIdentity(url="http://killed", pid=dead_pid()), now)
    quiet = publish(tmp_path, ServerIdentity(url="http://quiet", host="elsewhere"), now - STALE_S - 1)
    remote = publish(tmp_path, ServerIdentity(url="http://remote", host="elsewhere", started=now - 20), now - HEARTBEAT_S)
    (tmp_path / "half-written.json").write_text('{"v": 1, "server": {')
    (tmp_path / "future.json").write_text(json.dumps({"v": 2}))
    (tmp_path / "null.json").write_text("null")  # JSON, but no object: crashed the dashboard's reader
    (tmp_path / "list.json").write_text("[]")
    mistyped = json.loads(here.read_text())
    mistyped["server"]["started"] = "yesterday"  # the pane formats it as a number
    (tmp_path / "mistyped.json").write_text(json.dumps(mistyped))
    mistyped_request = json.loads(here.read_text())
    mistyped_request["recent"] = [{"id": 1, "method": "POST", "path": "/v1/audio/speech", "client": None,
                                   "started": now, "audio_s": "long"}]
    (tmp_path / "mistyped-request.json").write_text(json.dumps(mistyped_request))
    assert [board.identity.url for board in running_boards(tmp_path, now)] == ["http://remote", "http://here"]
    sweep_stopped(tmp_path)
    assert not killed.exists()
    assert here.exists() and quiet.exists() and remote.exists(), "only this machine's dead servers are swept"


def test_a_server_sweeps_the_boards_of_killed_servers_when_it_starts(tmp_path: Path) -> None:
    killed = publish(tmp_path, ServerIdentity(url="http://killed", pid=dead_pid()), time.time())
    board = RequestBoard(tmp_path, ServerIdentity(url="http://new"))
    board.start()
    try:
        assert board_when(board.path, lambda read: read.identity.url == "http://new")
        assert not killed.exists()
    finally:
        board.close()
    assert list(tmp_path.iterdir()) == []


def test_a_home_the_server_cannot_write_costs_one_warning_and_no_requests(home: DataHome, tmp_path: Path,
                                                                         caplog: pytest.LogCaptureFixture) -> None:
    blocked = tmp_path / "servers"
    blocked.write_text("a file where the boards' folder should be")
    app = create_app(settings(home), pipelines=FakeSpeech())
    app.state.board.directory = blocked
    app.state.board.path = blocked / app.state.board.path.name
    with caplog.at_level("WARNING", logger="kokoro_tui.server"), TestClient(app) as client:
        for _ in range(3):
            assert client.post("/v1/audio/speech", json={"input": "Still served.", "stream": False}).status_code == 200
            time.sleep(0.6)
    warnings = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert len(warnings) == 1 and "no request board for the dashboard" in warnings[0] and str(blocked) in warnings[0]
