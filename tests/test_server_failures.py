"""`kokoro serve` when things go wrong: synthesis failing before or after a response's first bytes, clients
leaving mid-stream or while queued, the voice store changing under a request, text with nothing to speak,
and many requests at once.

Each runs under a real uvicorn (``test_server.serving``), since what a client sees of a response cut off
and what the server logs of it are uvicorn's doing as much as the app's.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from typing import Any

import httpx
import pytest
import test_server
from fastapi import FastAPI
from fastapi.testclient import TestClient
from test_server import FAKE_CHUNK_S, FakeSpeech, sentences, serving, settings

from kokoro_tui.errors import KokoroError
from kokoro_tui.home import DataHome
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.server.app import create_app
from kokoro_tui.speech.request_board import CANCELLED, RequestRecord
from kokoro_tui.speech.types import SpeechChunk
from kokoro_tui.voices.store import VoiceStore

home = test_server.home  # the fixture: the tiny model's data home, one per module
PCM_CHUNK_BYTES = int(FAKE_CHUNK_S * SAMPLE_RATE) * 2  # one fake chunk as 16-bit PCM
WAIT_S = 10.0
SERVER_LOG = "kokoro_tui.server"
UVICORN_LOG = "uvicorn.error"


class FailingSpeech(FakeSpeech):
    """Speaks a text's first sentence, then raises ``error``."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def stream(self, text: str) -> Iterator[SpeechChunk]:
        for chunk in super().stream(text):
            if chunk.index == 1:
                raise self.error
            yield chunk


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def of(self, name: str) -> list[logging.LogRecord]:
        return [record for record in self.records if record.name == name]


@contextmanager
def logged(*names: str) -> Iterator[Records]:
    """The records (INFO and up) of the loggers ``names`` (default: the server's and uvicorn's) while inside;
    watch uvicorn's once it runs (its start-up reconfigures its loggers)."""
    handler = Records()
    loggers = [logging.getLogger(name) for name in names or (SERVER_LOG, UVICORN_LOG)]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger, level in zip(loggers, levels):
            logger.removeHandler(handler)
            logger.setLevel(level)


def finished(app: FastAPI, count: int) -> tuple[list[RequestRecord], dict[str, Any]]:
    """The board's finished requests and totals once ``count`` requests have finished."""
    deadline = time.monotonic() + WAIT_S
    while (snapshot := app.state.board.snapshot())["totals"]["requests"] < count:
        assert time.monotonic() < deadline, f"only {snapshot['totals']['requests']} requests finished"
        time.sleep(0.02)
    return [RequestRecord.from_dict(record) for record in snapshot["recent"]], snapshot["totals"]


def lines_of(records: Records, path: str) -> list[logging.LogRecord]:
    return [record for record in records.of(SERVER_LOG) if f" {path} " in record.getMessage()]


def active_requests(url: str) -> int:
    return httpx.get(f"{url}/health").json()["active_requests"]


def wait_until(condition: Any, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


# --- synthesis fails ------------------------------------------------------------------------------------

FAILURES = {
    # error, the status it is recorded with, whether its traceback is logged
    "KokoroError": (KokoroError("a chunk has 600 phoneme tokens"), 400, False),
    "RuntimeError": (RuntimeError("the model fell over"), 500, True),
}


@pytest.mark.parametrize(("error", "status", "traceback"), FAILURES.values(), ids=FAILURES.keys())
def test_a_stream_that_fails_after_its_first_bytes_is_cut_off_and_recorded_as_failed(
        home: DataHome, error: Exception, status: int, traceback: bool) -> None:
    """The 200 has gone out: the connection is dropped before the last chunk, so the client knows its file
    is short; the board and the log say how the request ended, after how many bytes, and why, in one line."""
    app = create_app(settings(home), pipelines=FailingSpeech(error))
    with serving(app) as url, logged() as records:
        received = {}
        for path in ("/v1/audio/speech", "/dev/captioned_speech"):
            body = {"input": sentences("Part", 3), "response_format": "pcm"}
            with httpx.stream("POST", f"{url}{path}", json=body, timeout=30) as response:
                assert response.status_code == 200
                pieces = []
                with pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"):
                    for piece in response.iter_bytes():
                        pieces.append(piece)
            received[path] = len(b"".join(pieces))
        recent, totals = finished(app, 2)
    assert received["/v1/audio/speech"] == PCM_CHUNK_BYTES
    assert (totals["requests"], totals["failed"], totals["cancelled"]) == (2, 2, 0)
    for record in recent:
        assert (record.status, record.truncated, record.error) == (status, True, str(error) if not traceback
                                                                   else f"RuntimeError: {error}")
        assert record.bytes_sent == received[record.path] > 0 and record.audio_s == pytest.approx(FAKE_CHUNK_S)
        (line,) = lines_of(records, record.path)
        assert line.getMessage().endswith(f" ms 0.20 s audio, cut off after {record.bytes_sent} bytes: {record.error}")
        assert line.levelno == (logging.ERROR if traceback else logging.WARNING)
        assert (line.exc_info is not None) == traceback
    assert records.of(UVICORN_LOG) == [], "uvicorn logged the failure again"


@pytest.mark.parametrize(("error", "status", "traceback"), FAILURES.values(), ids=FAILURES.keys())
def test_a_whole_response_that_fails_is_a_json_error(home: DataHome, error: Exception, status: int,
                                                     traceback: bool) -> None:
    app = create_app(settings(home), pipelines=FailingSpeech(error))
    with serving(app) as url, logged() as records:
        response = httpx.post(f"{url}/v1/audio/speech", json={"input": sentences("Part", 3), "stream": False},
                              timeout=30)
        (record,), totals = finished(app, 1)
    assert response.status_code == status and response.headers["content-type"] == "application/json"
    message = response.json()["error"]["message"]
    assert message == (str(error) if not traceback else "internal error: RuntimeError")  # no internals sent
    assert (record.status, record.truncated, totals["failed"]) == (status, False, 1)
    (line,) = lines_of(records, "/v1/audio/speech")
    assert line.getMessage().endswith(f": {record.error}") and str(error) in record.error
    assert (line.exc_info is not None) == traceback
    assert records.of(UVICORN_LOG) == []


def test_every_refusal_names_its_reason_in_the_log_line_and_on_the_board(home: DataHome) -> None:
    app = create_app(settings(home), pipelines=FakeSpeech())
    with TestClient(app) as client, logged() as records:
        assert client.post("/v1/audio/speech", json={"input": "Hi.", "voice": "af_nobody"}).status_code == 400
        (record,), _ = finished(app, 1)
    assert "af_nobody" in record.error and not record.truncated
    (line,) = lines_of(records, "/v1/audio/speech")
    assert line.getMessage().endswith(f"0.00 s audio: {record.error}") and line.levelno == logging.INFO


# --- clients that leave ------------------------------------------------------------------------------------


def test_a_client_that_leaves_mid_stream_is_cancelled_and_frees_its_slot(home: DataHome) -> None:
    speech = FakeSpeech(delay=0.05)
    app = create_app(settings(home, max_requests=1), pipelines=speech)
    with serving(app) as url, logged() as records:
        with httpx.stream("POST", f"{url}/v1/audio/speech", json={"input": sentences("Gone", 40)}, timeout=30) as r:
            first = next(r.iter_bytes())
        (record,), totals = finished(app, 1)
        assert active_requests(url) == 0
        assert httpx.post(f"{url}/v1/audio/speech", json={"input": "Next."}, timeout=30).status_code == 200
    assert (record.status, record.truncated, record.error) == (CANCELLED, True, "the client went away")
    assert record.bytes_sent >= len(first) and (totals["failed"], totals["cancelled"]) == (0, 1)
    line = lines_of(records, "/v1/audio/speech")[0]  # the next request's line may come after the server stopped
    assert " 499 " in line.getMessage() and line.getMessage().endswith(": the client went away")
    assert line.levelno == logging.INFO and line.exc_info is None
    assert len(speech.made_of("Gone")) < 40


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "whole"])
def test_a_client_that_leaves_while_queued_frees_its_slot_at_once(home: DataHome, stream: bool) -> None:
    """A client (or a proxy) that gives up while its request waits for its first chunk must not hold a
    slot, refusing others, until the model gets round to it."""
    gate = threading.Event()
    speech = FakeSpeech()
    app = create_app(settings(home, max_requests=1), pipelines=speech)
    with serving(app) as url, logged() as records:
        speech.gate = gate  # closed after the warm-up: the request waits at it
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(f"{url}/v1/audio/speech", json={"input": "Waiting.", "stream": stream}, timeout=0.5)
        wait_until(lambda: active_requests(url) == 0, "the departed client's request kept its slot")
        (record,), totals = finished(app, 1)
        gate.set()
        assert httpx.post(f"{url}/v1/audio/speech", json={"input": "Next.", "stream": stream},
                          timeout=30).status_code == 200
    assert (record.status, record.error, record.truncated, totals["cancelled"]) == (
        CANCELLED, "the client went away", False, 1)
    assert " 499 " in lines_of(records, "/v1/audio/speech")[0].getMessage()


def test_a_stream_the_servers_shutdown_cuts_off_is_recorded_as_failed(home: DataHome) -> None:
    """uvicorn waits for the streams in flight (2 s in ``serving``), then cancels them: a replica stopped in a
    rolling restart. The client's body is incomplete, and the request counts as failed (503), not served."""
    app = create_app(settings(home), pipelines=FakeSpeech(delay=0.2))
    with logged(SERVER_LOG) as records, httpx.Client(timeout=30) as client, ExitStack() as after:
        with serving(app) as url:
            uvicorn_records = after.enter_context(logged(UVICORN_LOG))  # once uvicorn runs, until it has stopped
            request = client.build_request("POST", f"{url}/v1/audio/speech", json={"input": sentences("Long", 40)})
            response = client.send(request, stream=True)
            pieces = response.iter_bytes()
            next(pieces)
        with pytest.raises(httpx.RemoteProtocolError):
            for _ in pieces:
                pass
        response.close()
    (record,), totals = finished(app, 1)
    assert (record.status, record.truncated, totals["failed"]) == (503, True, 1)
    (line,) = lines_of(records, "/v1/audio/speech")
    assert line.getMessage().endswith(": the server stopped before the response ended")
    assert any("Cancel 1 running task" in record.getMessage() for record in uvicorn_records.records)
    assert all(record.exc_info is None for record in uvicorn_records.records), "a traceback for the cancellation"


# --- what the request asks for changes or is nothing ----------------------------------------------------


def test_a_voice_removed_between_its_check_and_its_use_is_a_400_naming_it(home: DataHome) -> None:
    store = VoiceStore(home)
    app = create_app(settings(home))
    service = app.state.service
    checked = service.voice

    def check_then_remove(spec: str) -> str:
        voice = checked(spec)
        store.remove("af_leaving")
        return voice

    service.voice = check_then_remove
    try:
        with TestClient(app) as client:
            for stream in (True, False):
                store.save("af_leaving", store.load("af_heart"), "imported")
                response = client.post("/v1/audio/speech", json={"input": "Hello.", "voice": "af_leaving",
                                                                 "stream": stream})
                assert response.status_code == 400, response.text
                assert "af_leaving" in response.json()["error"]["message"]
            assert client.get("/health").json()["active_requests"] == 0
    finally:
        if store.exists("af_leaving"):
            store.remove("af_leaving")


@pytest.mark.parametrize("text", ["?!?", "…", "[pause:0]", "[pause:0] ...", "[pause:0][pause:0]"])
def test_text_with_nothing_to_speak_is_a_400_in_either_mode(home: DataHome, text: str) -> None:
    app = create_app(settings(home))
    with TestClient(app) as client:
        for stream in (True, False):
            response = client.post("/v1/audio/speech", json={"input": text, "stream": stream})
            assert response.status_code == 400, response.text
            assert "nothing to speak" in response.json()["error"]["message"]
        recent, totals = finished(app, 2)
    assert [record.status for record in recent] == [400, 400] and all("nothing" in r.error for r in recent)


# --- load ---------------------------------------------------------------------------------------------------


def test_many_concurrent_short_requests_respect_the_queue_bound(home: DataHome) -> None:
    """Every request is answered (spoken, or refused with 429), never more than the bound are admitted at
    once, and every slot is free afterwards."""
    count, bound = 24, 2
    speech = FakeSpeech(delay=0.02)
    app = create_app(settings(home, max_requests=bound), pipelines=speech)
    with serving(app) as url:
        scheduler = app.state.service.scheduler
        submit, admitted = scheduler.submit, []

        def counting_submit(start):
            job = submit(start)
            admitted.append(scheduler.active)
            return job

        scheduler.submit = counting_submit

        def post(index: int) -> int:
            body = {"input": f"Short {index}. Two.", "response_format": "pcm", "stream": index % 2 == 0}
            return httpx.post(f"{url}/v1/audio/speech", json=body, timeout=60).status_code

        with ThreadPoolExecutor(count) as pool:
            statuses = list(pool.map(post, range(count)))
        recent, totals = finished(app, count)
        assert active_requests(url) == 0
    assert set(statuses) <= {200, 429} and statuses.count(200) >= bound
    assert admitted and max(admitted) <= bound
    assert (totals["failed"], totals["cancelled"]) == (statuses.count(429), 0)
    assert sorted(record.status for record in recent) == sorted(statuses)
