"""`kokoro serve`: the OpenAI-compatible speech server, on a tiny random model and on slow fakes.

The real pipeline (tiny model, two random voices) serves every endpoint, every format and the
official OpenAI client; fake pipelines whose chunks take a set time (or wait for a gate) show
the streaming, queueing, interleaving and disconnect behaviour, timed against a real uvicorn.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import logging
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import av
import httpx
import numpy as np
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tiny_models import one_thread_tiny_home
from typer.testing import CliRunner

from kokoro_tui.assets.manifest import STOCK_VOICES
from kokoro_tui.errors import KokoroError, MissingAssetError
from kokoro_tui.home import ENV_VAR, DataHome
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.server.app import create_app
from kokoro_tui.server.encoding import FORMATS
from kokoro_tui.server.routes_speech import JobResponse
from kokoro_tui.server.settings import ServerSettings
from kokoro_tui.server.voice_spec import parse_voice
from kokoro_tui.speech.request_board import RequestRecord
from kokoro_tui.speech.types import SpeechChunk, WordTimestamp
from kokoro_tui.voices.formats import read_voice_file
from kokoro_tui.voices.store import VoiceStore

TEXT = "Hello there. How are you today?"
MAX_INPUT = 400
KEY = "test-key"
FAKE_CHUNK_S = 0.2  # seconds of audio in each fake chunk


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DataHome]:
    yield from one_thread_tiny_home(tmp_path_factory.mktemp("server") / "home")


def settings(home: DataHome, **overrides: object) -> ServerSettings:
    return ServerSettings(home=home.root, device="cpu", precision="fp32", max_input_chars=MAX_INPUT, **overrides)


@pytest.fixture(scope="module")
def client(home: DataHome) -> Iterator[TestClient]:
    """The real pipeline on the tiny model, in process."""
    with TestClient(create_app(settings(home))) as test_client:
        yield test_client


def decode(data: bytes) -> tuple[float, int]:
    """Seconds of audio and sample rate of an encoded file, read by PyAV."""
    with av.open(io.BytesIO(data)) as container:
        frames = list(container.decode(audio=0))
    return sum(frame.samples for frame in frames) / frames[0].sample_rate, frames[0].sample_rate


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """``app`` under a real uvicorn on a free port, in a thread; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


class FakeSpeech:
    """A pipeline factory whose pipelines make one chunk per sentence, each taking ``delay`` seconds
    (and the first waiting for ``gate`` when there is one), and note when each chunk was made."""

    def __init__(self, delay: float = 0.0, gate: threading.Event | None = None) -> None:
        self.delay, self.gate = delay, gate
        self.made: list[tuple[str, float]] = []  # (sentence, time.monotonic()) of every chunk made

    def __call__(self, voice: str, speed: float, lang: str | None = None, first_chunk_tokens: int | None = None):
        return self

    def stream(self, text: str) -> Iterator[SpeechChunk]:
        if self.gate is not None:
            assert self.gate.wait(30), "the test never opened the gate"
        sentences = [part.strip() + "." for part in text.split(".") if part.strip()]
        samples = int(FAKE_CHUNK_S * SAMPLE_RATE)
        audio = (0.3 * np.sin(2 * np.pi * 220 * np.arange(samples) / SAMPLE_RATE)).astype(np.float32)
        for index, sentence in enumerate(sentences):
            time.sleep(self.delay)
            self.made.append((sentence, time.monotonic()))
            stamp = WordTimestamp(sentence, index * FAKE_CHUNK_S, (index + 1) * FAKE_CHUNK_S, 0, len(sentence))
            yield SpeechChunk(index, sentence, "fˈAk", audio, index * FAKE_CHUNK_S, [stamp])

    def made_of(self, prefix: str) -> list[float]:
        return [when for sentence, when in self.made if sentence.startswith(prefix)]


def sentences(word: str, count: int) -> str:
    return " ".join(f"{word} {index}." for index in range(count))


# --- every endpoint on the real pipeline ---------------------------------------------------------


def test_health_models_and_voices(client: TestClient) -> None:
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["active_requests"] == 0
    models = client.get("/v1/models").json()
    assert models["object"] == "list"
    assert {"kokoro", "tts-1", "tts-1-hd"} <= {model["id"] for model in models["data"]}
    listing = client.get("/v1/audio/voices").json()
    assert listing["default"] == "af_heart"  # what a request without a voice speaks with
    voices = {voice["name"]: voice for voice in listing["voices"]}
    assert voices["af_heart"] == {"id": "af_heart", "name": "af_heart", "language": "American English",
                                  "lang_code": "a", "gender": "female"}
    assert voices["am_adam"]["gender"] == "male"


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "whole"])
def test_every_format_decodes_to_the_speech_duration(client: TestClient, stream: bool) -> None:
    """The same text in each format: PyAV reads it back at the length of the raw PCM (codec padding aside)."""
    seconds = {}
    for name, fmt in FORMATS.items():
        response = client.post("/v1/audio/speech", json={"input": TEXT, "voice": "af_heart", "response_format": name,
                                                          "stream": stream})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == fmt.media_type
        if name == "pcm":
            seconds[name] = len(response.content) / 2 / SAMPLE_RATE
        else:
            seconds[name], rate = decode(response.content)
            assert rate == (48_000 if name == "opus" else SAMPLE_RATE)
    assert 0.3 < seconds["pcm"] < 30
    for name, duration in seconds.items():
        assert duration == pytest.approx(seconds["pcm"], abs=0.1), name


def test_captioned_speech_sends_a_json_line_per_chunk(client: TestClient) -> None:
    response = client.post("/dev/captioned_speech", json={"input": TEXT, "voice": "am_adam", "response_format": "flac"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert len(lines) >= 2 and [line["index"] for line in lines] == list(range(len(lines)))
    for line in lines:
        duration, _ = decode(base64.b64decode(line["audio"]))
        assert duration == pytest.approx(line["duration"], abs=0.01)
    words = [stamp["word"] for line in lines for stamp in line["timestamps"]]
    assert words[:2] == ["Hello", "there"]
    starts = [stamp["start"] for line in lines for stamp in line["timestamps"]]
    assert starts == sorted(starts) and lines[1]["start"] == pytest.approx(lines[0]["duration"], abs=0.002)


def test_phonemize_needs_no_model(client: TestClient) -> None:
    response = client.post("/dev/phonemize", json={"text": "Hello world.", "language": "a"})
    assert response.status_code == 200
    assert response.json()["language"] == "a" and "w" in response.json()["phonemes"]


@pytest.mark.parametrize("voice", ["af_heart(2)+am_adam(1)", "af_heart+am_adam", "af_heart:0.7,am_adam:0.3", "AF_Heart"])
def test_voices_by_name_our_blend_spec_or_kokoro_fastapi_syntax(client: TestClient, voice: str) -> None:
    response = client.post("/v1/audio/speech", json={"input": "Hi.", "voice": voice, "response_format": "pcm"})
    assert response.status_code == 200, response.text
    assert len(response.content) > 0


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "whole"])
def test_volume_multiplier_scales_the_audio_and_clips_it(home: DataHome, stream: bool) -> None:
    """Kokoro-FastAPI's field: the same speech at half the level, and at eight times it clipped to full scale."""
    with TestClient(create_app(settings(home), pipelines=FakeSpeech())) as client:  # the same audio every time

        def pcm(**extra: float) -> np.ndarray:
            body = {"input": TEXT, "response_format": "pcm", "stream": stream, **extra}
            response = client.post("/v1/audio/speech", json=body)
            assert response.status_code == 200, response.text
            return np.frombuffer(response.content, dtype="<i2").astype(np.float64)

        plain, half, loud = pcm(), pcm(volume_multiplier=0.5), pcm(volume_multiplier=8.0)
    assert len(plain) == len(half) == len(loud) and np.abs(plain).max() > 1000
    np.testing.assert_allclose(half, plain / 2, atol=1.0)
    assert np.abs(loud).max() >= 32766 and np.abs(loud).max() <= 32767


def test_the_plus_syntax_becomes_a_normalised_blend(home: DataHome) -> None:
    assert parse_voice("af_bella(2)+af_sky(1)") == "af_bella:2,af_sky:1"
    assert parse_voice(" af_bella + af_sky ") == "af_bella,af_sky"
    store = VoiceStore(home)
    heart, adam = store.load("af_heart"), store.load("am_adam")
    np.testing.assert_allclose(store.resolve(parse_voice("af_heart(3)+am_adam(1)")), 0.75 * heart + 0.25 * adam,
                               atol=1e-6)
    for bad in ("/etc/passwd", "voice.npy", "af_heart(x)+am_adam", "af_heart++am_adam", "af_heart(1)(2)"):
        with pytest.raises(KokoroError):
            parse_voice(bad)


def test_combining_voices_sends_the_blend_as_a_pt_file_and_keeps_nothing(client: TestClient, home: DataHome,
                                                                         tmp_path: Path) -> None:
    store = VoiceStore(home)
    heart, adam = store.load("af_heart"), store.load("am_adam")
    before = store.names()
    for body, expected, file_name in (
        ("af_heart(3)+am_adam(1)", 0.75 * heart + 0.25 * adam, "af_heart(3)+am_adam(1).pt"),
        (["af_heart", "am_adam"], 0.5 * heart + 0.5 * adam, "af_heart+am_adam.pt"),
        ("af_heart:1,am_adam:3", 0.25 * heart + 0.75 * adam, "af_heart_1_am_adam_3.pt"),
    ):
        response = client.post("/v1/audio/voices/combine", json=body)
        assert response.status_code == 200 and response.headers["content-type"] == "application/octet-stream"
        assert response.headers["content-disposition"] == f'attachment; filename="{file_name}"'
        (tmp_path / "combined.pt").write_bytes(response.content)
        np.testing.assert_allclose(read_voice_file(tmp_path / "combined.pt"), expected, atol=1e-6)
    assert store.names() == before, "the server stored a voice"
    for bad in ("af_heart+af_nobody", [], "../etc/passwd", {"voices": "af_heart"}):
        refused = client.post("/v1/audio/voices/combine", json=bad)
        assert refused.status_code == 400 and refused.json()["error"]["message"], bad


BAD_REQUESTS = {
    "empty input": {"input": ""},
    "blank input": {"input": "   \n"},
    "nothing speakable": {"input": "?!?"},
    "missing input": {"voice": "af_heart"},
    "oversize input": {"input": "a" * (MAX_INPUT + 1)},
    "unknown voice": {"input": TEXT, "voice": "af_nobody"},
    "bad blend": {"input": TEXT, "voice": "af_heart(two)+am_adam"},
    "voice file path": {"input": TEXT, "voice": "/etc/passwd"},
    "blend of a missing voice": {"input": TEXT, "voice": "af_heart+af_nobody"},
    "bad format": {"input": TEXT, "response_format": "ogg"},
    "speed too low": {"input": TEXT, "speed": 0.1},
    "speed too high": {"input": TEXT, "speed": 4.5},
    "speed not a number": {"input": TEXT, "speed": "fast"},
    "unknown model": {"input": TEXT, "model": "gpt-9"},
    "unknown language": {"input": TEXT, "lang_code": "xx"},
    "volume zero": {"input": TEXT, "volume_multiplier": 0},
    "volume too high": {"input": TEXT, "volume_multiplier": 11},
}


@pytest.mark.parametrize("body", BAD_REQUESTS.values(), ids=BAD_REQUESTS.keys())
@pytest.mark.parametrize("path", ["/v1/audio/speech", "/dev/captioned_speech"])
def test_bad_input_is_a_400_with_an_openai_error_body(client: TestClient, path: str, body: dict) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and isinstance(error["message"], str) and error["message"]


@pytest.mark.parametrize(
    ("method", "path", "payload", "status"),
    [
        ("post", "/v1/audio/speech", b"{not json", 400),
        ("post", "/v1/audio/speech", b"[1, 2]", 400),
        ("post", "/dev/phonemize", b'{"text": "Hi.", "language": "xx"}', 400),
        ("post", "/dev/phonemize", b'{"text": ""}', 400),
        ("get", "/v1/nothing", None, 404),
        ("get", "/v1/audio/speech", None, 405),
    ],
)
def test_malformed_requests_and_unknown_routes_have_error_bodies(client: TestClient, method: str, path: str,
                                                                  payload: bytes | None, status: int) -> None:
    response = client.request(method, path, content=payload, headers={"content-type": "application/json"})
    assert response.status_code == status
    assert response.json()["error"]["message"]


def test_the_server_keeps_serving_after_every_mistake(client: TestClient) -> None:
    for body in BAD_REQUESTS.values():
        client.post("/v1/audio/speech", json=body)
    assert client.get("/health").json()["active_requests"] == 0
    response = client.post("/v1/audio/speech", json={"input": "Still here.", "response_format": "wav"})
    assert response.status_code == 200 and decode(response.content)[0] > 0.1


def test_each_request_logs_one_line(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="kokoro_tui.server"):
        client.post("/v1/audio/speech", json={"input": TEXT, "response_format": "pcm"})
        client.get("/health")
    lines = [record.getMessage() for record in caplog.records if record.name == "kokoro_tui.server"]
    speech, health = lines[-2].split(), lines[-1].split()
    assert speech[:3] == ["POST", "/v1/audio/speech", "200"] and speech[4:] == ["ms", speech[5], "s", "audio"]
    assert float(speech[5]) > 0.3 and health[:3] == ["GET", "/health", "200"] and health[5] == "0.00"


# --- the API key ------------------------------------------------------------------------------------


def test_with_an_api_key_every_route_but_health_wants_it(home: DataHome) -> None:
    with TestClient(create_app(settings(home, api_key=KEY), pipelines=FakeSpeech())) as keyed:
        assert keyed.get("/health").status_code == 200
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": KEY}):
            response = keyed.post("/v1/audio/speech", json={"input": "Hi."}, headers=headers)
            assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
            assert response.json()["error"]["code"] == "invalid_api_key"
            assert keyed.get("/v1/models", headers=headers).status_code == 401
        good = {"Authorization": f"Bearer {KEY}"}
        assert keyed.post("/v1/audio/speech", json={"input": "Hi."}, headers=good).status_code == 200
        assert keyed.get("/v1/audio/voices", headers=good).status_code == 200


# --- a real server: the OpenAI client, streaming, queueing, fairness, disconnects -------------------


def test_the_official_openai_client_works_unchanged(home: DataHome, tmp_path: Path) -> None:
    import openai

    with serving(create_app(settings(home, api_key=KEY))) as url:
        client = openai.OpenAI(base_url=f"{url}/v1", api_key=KEY, max_retries=0)
        whole = client.audio.speech.create(model="tts-1", voice="af_heart", input=TEXT, response_format="wav")
        assert decode(whole.content)[0] > 0.3
        with client.audio.speech.with_streaming_response.create(
            model="tts-1-hd", voice="af_heart(1)+am_adam(1)", input=TEXT, response_format="mp3"
        ) as response:
            assert response.headers["content-type"] == "audio/mpeg"
            response.stream_to_file(tmp_path / "out.mp3")
        assert decode((tmp_path / "out.mp3").read_bytes())[0] > 0.3
        assert [model.id for model in client.models.list()][:3] == ["kokoro", "tts-1", "tts-1-hd"]
        with pytest.raises(openai.BadRequestError, match="af_nobody"):
            client.audio.speech.create(model="tts-1", voice="af_nobody", input=TEXT)
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=f"{url}/v1", api_key="wrong", max_retries=0).models.list()


def test_a_stream_sends_its_first_bytes_while_later_chunks_are_being_made(home: DataHome) -> None:
    speech = FakeSpeech(delay=0.3)
    with (
        serving(create_app(settings(home), pipelines=speech)) as url,
        httpx.stream("POST", f"{url}/v1/audio/speech", json={"input": sentences("Part", 5)}, timeout=30) as response,
    ):
        pieces = response.iter_bytes()
        first = next(pieces)
        first_at = time.monotonic()
        rest = b"".join(pieces)
    made = speech.made_of("Part")
    assert len(made) == 5 and len(first) > 0
    assert first_at < made[-2], "the first bytes came only after the text was (nearly) all synthesised"
    assert decode(first + rest)[0] == pytest.approx(5 * FAKE_CHUNK_S, abs=0.1)


def test_requests_past_the_bound_get_429_with_retry_after(home: DataHome) -> None:
    gate = threading.Event()
    speech = FakeSpeech()
    with serving(create_app(settings(home, max_requests=2), pipelines=speech)) as url:
        speech.gate = gate  # closed after the warm-up: the next requests wait at it
        results: list[int] = []

        def post() -> None:
            results.append(httpx.post(f"{url}/v1/audio/speech", json={"input": "Queued."}, timeout=30).status_code)

        waiting = [threading.Thread(target=post) for _ in range(2)]
        for thread in waiting:
            thread.start()
        deadline = time.monotonic() + 10
        while httpx.get(f"{url}/health").json()["active_requests"] < 2:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        refused = httpx.post(f"{url}/v1/audio/speech", json={"input": "One too many."}, timeout=30)
        gate.set()
        for thread in waiting:
            thread.join(30)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert refused.json()["error"]["type"] == "rate_limit_error"
    assert results == [200, 200]


def test_a_short_request_finishes_while_a_long_one_is_still_speaking(home: DataHome) -> None:
    speech = FakeSpeech(delay=0.1)
    with serving(create_app(settings(home), pipelines=speech)) as url:
        long_done: list[float] = []

        def long_request() -> None:
            response = httpx.post(f"{url}/v1/audio/speech", json={"input": sentences("Long", 30), "response_format": "pcm"},
                                  timeout=60)
            assert len(response.content) == 30 * FAKE_CHUNK_S * SAMPLE_RATE * 2
            long_done.append(time.monotonic())

        thread = threading.Thread(target=long_request)
        thread.start()
        while len(speech.made_of("Long")) < 3:
            time.sleep(0.01)
        asked = time.monotonic()
        short = httpx.post(f"{url}/v1/audio/speech", json={"input": "Short one.", "response_format": "pcm"}, timeout=30)
        short_done = time.monotonic()
        thread.join(60)
    assert short.status_code == 200
    assert short_done - asked < 1.0, "the short request waited for the long one"
    assert short_done < long_done[0] and len([when for when in speech.made_of("Long") if when > short_done]) > 10


def test_a_new_request_gets_its_first_chunk_before_the_streams_already_playing(home: DataHome) -> None:
    speech = FakeSpeech(delay=0.1)
    app = create_app(settings(home), pipelines=speech)
    with serving(app) as url:
        scheduler = app.state.service.scheduler
        submit = scheduler.submit

        def noting_submit(start):  # marks, in the order of the chunks made, when the new request is admitted
            speech.made.append(("ADMITTED", time.monotonic()))
            return submit(start)

        def long_stream(word: str) -> None:
            with httpx.stream("POST", f"{url}/v1/audio/speech", json={"input": sentences(word, 40)}, timeout=60) as r:
                for _ in r.iter_bytes():
                    pass

        streams = [threading.Thread(target=long_stream, args=(f"Long{n}",)) for n in range(4)]
        for thread in streams:
            thread.start()
        while any(len(speech.made_of(f"Long{n}")) < 2 for n in range(4)):
            time.sleep(0.01)
        scheduler.submit = noting_submit
        assert httpx.post(f"{url}/v1/audio/speech", json={"input": "New one. Two."}, timeout=30).status_code == 200
        scheduler.submit = submit
        for thread in streams:
            thread.join(60)
    order = [sentence for sentence, _ in speech.made]
    admitted = order.index("ADMITTED")
    between = order[admitted + 1 : order.index("New one.")]
    assert len(between) <= 1, f"the new request's first chunk waited for {between}"  # only the chunk in progress


def test_a_client_that_goes_away_stops_its_synthesis(home: DataHome) -> None:
    speech = FakeSpeech(delay=0.05)
    with serving(create_app(settings(home), pipelines=speech)) as url:
        with httpx.stream("POST", f"{url}/v1/audio/speech", json={"input": sentences("Gone", 200)}, timeout=30) as response:
            next(response.iter_bytes())
        time.sleep(0.5)
        made = len(speech.made_of("Gone"))
        time.sleep(0.5)
        assert len(speech.made_of("Gone")) == made < 30
        assert httpx.get(f"{url}/health").json()["active_requests"] == 0


def test_a_streamed_response_ends_its_job_even_if_its_body_never_started() -> None:
    """The client left before the first byte: Starlette cancels the response before it runs the body
    generator, whose own cleanup then never runs; the response still frees the job's slot."""

    class FakeJob:
        cancelled = False

        def cancel(self) -> None:
            self.cancelled = True

    started = []

    async def body() -> AsyncIterator[bytes]:
        started.append(True)
        yield b"audio"

    async def receive() -> dict:
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        await asyncio.sleep(0.1)

    job = FakeJob()
    record = RequestRecord(1, "POST", "/v1/audio/speech", None, time.time())
    response = JobResponse(job, body(), "audio/mpeg", record)
    asyncio.run(response({"type": "http", "asgi": {"spec_version": "2.3"}}, receive, send))
    assert job.cancelled and not started


# --- the command --------------------------------------------------------------------------------------


def test_kokoro_serve_builds_the_settings_warms_up_and_runs_uvicorn(home: DataHome, monkeypatch: pytest.MonkeyPatch) -> None:
    from kokoro_tui.cli.main import app

    ran: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda server, **options: ran.update(server=server, **options))
    monkeypatch.setenv(ENV_VAR, str(home.root))
    monkeypatch.setenv("KOKORO_API_KEY", KEY)
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "9999", "--device", "cpu",
                                      "--precision", "fp32"])
    assert result.exit_code == 0, result.output
    assert "warning: listening on 0.0.0.0" in result.output
    assert ran["host"] == "0.0.0.0" and ran["port"] == 9999
    service = ran["server"].state.service
    assert service.ready and service.settings.api_key == KEY and service.settings.max_input_chars == 20_000
    service.close()


def test_the_model_warms_up_on_the_thread_that_serves_the_requests(home: DataHome) -> None:
    threads: list[int] = []

    class ThreadNoting(FakeSpeech):
        def stream(self, text: str) -> Iterator[SpeechChunk]:
            threads.append(threading.get_ident())
            yield from super().stream(text)

    with TestClient(create_app(settings(home), pipelines=ThreadNoting())) as client:
        assert len(threads) == 1  # the warm-up, before the first request
        response = client.post("/v1/audio/speech", json={"input": "One. Two.", "voice": "af_heart"})
        assert response.status_code == 200
    assert len(threads) == 2 and threads[0] == threads[1] != threading.get_ident()


def test_a_failed_warm_up_is_raised_by_the_start_and_ends_the_thread() -> None:
    from kokoro_tui.server.scheduler import Scheduler

    def fail() -> None:
        raise MissingAssetError("no Kokoro model weights")

    before = set(threading.enumerate())
    with pytest.raises(MissingAssetError, match="no Kokoro model weights"):
        Scheduler(2, prepare=fail)
    assert set(threading.enumerate()) <= before  # its thread has ended


def test_a_departed_clients_job_frees_its_slot_at_once_and_closing_answers_every_reader() -> None:
    """A cancelled job waits for its retirement after the chunk in progress; it must not cost a reconnecting
    client a 429. Closing ends every reader still waiting (with ``Closed``), and refuses new jobs."""
    from kokoro_tui.server.scheduler import Busy, Closed, Scheduler

    gate = threading.Event()

    def slow() -> Iterator[str]:
        assert gate.wait(30)
        yield "chunk"

    async def scenario() -> None:
        scheduler = Scheduler(1)
        first = scheduler.submit(slow)
        with pytest.raises(Busy):
            scheduler.submit(slow)
        first.cancel()
        assert scheduler.active == 0
        second = scheduler.submit(slow)  # while the first is still being made, its client gone
        closing = asyncio.get_running_loop().run_in_executor(None, scheduler.close)
        gate.set()
        await closing
        with pytest.raises(Closed):  # after the chunk in progress, if the thread had got to the second job
            for _ in range(2):
                await asyncio.wait_for(second.next(), 10)
        with pytest.raises(Closed):
            scheduler.submit(slow)

    asyncio.run(scenario())


def test_a_whole_response_stops_at_the_audio_limit_and_a_stream_does_not(home: DataHome) -> None:
    """Markup pauses can make hours of silence out of a short text; a whole response is held in memory."""
    with TestClient(create_app(settings(home, max_whole_audio_s=0.5), pipelines=FakeSpeech())) as client:
        text = sentences("Part", 4)  # 4 chunks of 0.2 s
        whole = client.post("/v1/audio/speech", json={"input": text, "stream": False})
        streamed = client.post("/v1/audio/speech", json={"input": text, "response_format": "pcm"})
        short = client.post("/v1/audio/speech", json={"input": sentences("Part", 2), "stream": False, "response_format": "wav"})
        assert client.get("/health").json()["active_requests"] == 0
    assert whole.status_code == 400 and whole.json()["error"]["code"] == "audio_too_long"
    assert "stream" in whole.json()["error"]["message"]
    assert len(streamed.content) == 4 * FAKE_CHUNK_S * SAMPLE_RATE * 2
    assert short.status_code == 200 and decode(short.content)[0] == pytest.approx(2 * FAKE_CHUNK_S, abs=0.01)


def test_openai_voice_names_stand_for_kokoro_voices_unless_the_store_has_them(home: DataHome) -> None:
    """Clients send OpenAI's names by default (Open WebUI: "alloy"); a store voice of that name wins."""
    from kokoro_tui.server.service import SpeechService
    from kokoro_tui.server.voice_spec import OPENAI_VOICES

    service = SpeechService(settings(home))
    assert service.voice("Coral") == OPENAI_VOICES["coral"] == "af_heart"
    with pytest.raises(KokoroError, match="af_alloy"):  # mapped, and the tiny store lacks it
        service.voice("alloy")
    VoiceStore(home).save("alloy", VoiceStore(home).load("am_adam"), "imported")
    try:
        assert service.voice("alloy") == "alloy"
    finally:
        VoiceStore(home).remove("alloy")
    assert set(OPENAI_VOICES.values()) <= set(STOCK_VOICES), "a mapping names a voice Kokoro does not ship"


def test_kokoro_serve_help_names_the_settings_defaults() -> None:
    from kokoro_tui.cli.main import app

    defaults = ServerSettings()
    output = CliRunner().invoke(app, ["serve", "--help"], terminal_width=200).output
    help_text = " ".join(output.replace("│", " ").split())  # a default wrapped onto the panel's next line
    for shown in (defaults.host, defaults.port, defaults.device, defaults.backend, defaults.precision,
                  defaults.max_requests, defaults.max_input_chars):
        assert f"default: {shown}" in help_text


def test_kokoro_serve_without_voices_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kokoro_tui.cli.main import app

    monkeypatch.setattr(uvicorn, "run", lambda *args, **options: pytest.fail("uvicorn ran without a model"))
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2 and "kokoro download" in result.output
    assert not logging.getLogger("phonemizer").propagate  # its "words count mismatch" stays out of the request log


@pytest.mark.parametrize("port", ["0", "65536", "99999"])
def test_kokoro_serve_refuses_a_port_that_is_none_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              port: str) -> None:
    from kokoro_tui.cli.main import app

    monkeypatch.setattr(uvicorn, "run", lambda *args, **options: pytest.fail("uvicorn ran"))
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    result = CliRunner().invoke(app, ["serve", "--port", port])
    assert result.exit_code == 2 and result.output.strip() == f"error: --port {port} is not a TCP port (use 1 to 65535)"


def test_kokoro_serve_says_the_port_is_taken_before_loading_the_model(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty data home: had the model been loaded first, the error would be the missing model."""
    import socket

    from kokoro_tui.cli.main import app

    monkeypatch.setattr(uvicorn, "run", lambda *args, **options: pytest.fail("uvicorn ran"))
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: cannot listen on 127.0.0.1:{port}: ") and "--port" in result.output
    assert len(result.output.strip().splitlines()) == 1
