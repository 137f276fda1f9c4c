"""`POST /dev/generate_from_phonemes`: Kokoro-FastAPI's phoneme route, on the library's phoneme path (`kokoro say
--ipa`'s) and the same queue, key, errors, log line and board as `/v1/audio/speech`, on the tiny random model."""

from __future__ import annotations

import dataclasses
import functools
import logging
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import test_server
from fastapi.testclient import TestClient
from test_server import KEY, FakeSpeech, decode, serving, settings

from kokoro_tui.home import DataHome
from kokoro_tui.model.config import MAX_TOKENS, SAMPLE_RATE
from kokoro_tui.server.app import create_app
from kokoro_tui.server.settings import ServerSettings
from kokoro_tui.speech.audio_io import to_pcm16
from kokoro_tui.speech.pipeline import FIRST_CHUNK_TOKENS, Pipeline
from kokoro_tui.speech.types import SpeechChunk
from kokoro_tui.text.vocab import PhonemeVocab

home = test_server.home  # the fixture: the tiny model's data home, one per module
ROUTE = "/dev/generate_from_phonemes"
PHONEMES = "həlˈO wˈɜɹld. hˌW ɑɹ ju tədˈA?"
SEED = 11
# Two sentences whose words fill more than one model chunk: the chunker breaks after the first one's full stop.
FIRST_PART = " ".join(["həlˈO wˈɜɹld"] * 24) + "."
SECOND_PART = " ".join(["hˌW ɑɹ ju tədˈA"] * 18) + "?"
MAX_INPUT = 1000  # characters: room for both parts


def phoneme_settings(home: DataHome, **overrides: object) -> ServerSettings:
    return dataclasses.replace(settings(home, **overrides), max_input_chars=MAX_INPUT)


@pytest.fixture(scope="module")
def client(home: DataHome) -> Iterator[TestClient]:
    """The server's own pipeline on the tiny model, in process."""
    with TestClient(create_app(phoneme_settings(home))) as test_client:
        yield test_client


class FakePhonemeSpeech(FakeSpeech):
    """``FakeSpeech`` that also takes phonemes, noting whether each text came as phonemes."""

    def __init__(self) -> None:
        super().__init__()
        self.as_phonemes: list[bool] = []

    def stream(self, text: str, is_phonemes: bool = False) -> Iterator[SpeechChunk]:
        self.as_phonemes.append(is_phonemes)
        return super().stream(text)


def pcm_samples(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return len(response.content) // 2


# --- the library's phoneme path, whole ----------------------------------------------------------------------


@pytest.mark.parametrize(("voice", "stream"), [("af_heart", True), ("af_heart(2)+am_adam(1)", False)],
                         ids=["name-streamed", "blend-whole"])
def test_the_route_speaks_what_the_librarys_phoneme_path_makes(home: DataHome, voice: str, stream: bool) -> None:
    """With the pipelines seeded, the route's PCM is byte for byte what `Pipeline.stream(..., is_phonemes=True)` makes
    for the same phonemes, voice, speed and streaming, over more than one chunk."""
    phonemes = f"{FIRST_PART} {SECOND_PART}"
    library = functools.partial(Pipeline, backend="torch", device="cpu", precision="fp32", home=home.root, seed=SEED)
    body = {"phonemes": phonemes, "voice": voice, "speed": 1.25, "response_format": "pcm", "stream": stream}
    with TestClient(create_app(phoneme_settings(home), pipelines=library)) as seeded:
        response = seeded.post(ROUTE, json=body)
    assert response.status_code == 200, response.text
    expected = library(voice="af_heart:2,am_adam:1" if "+" in voice else voice, speed=1.25,
                       first_chunk_tokens=FIRST_CHUNK_TOKENS if stream else None)
    chunks = list(expected.stream(phonemes, is_phonemes=True))
    assert len(chunks) == 2
    assert response.content == b"".join(to_pcm16(chunk.audio) for chunk in chunks)


def test_kokoro_fastapis_body_answers_wav(client: TestClient) -> None:
    response = client.post(ROUTE, json={"phonemes": PHONEMES, "voice": "af_heart"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "audio/wav" and response.content[:4] == b"RIFF"
    seconds, rate = decode(response.content)
    assert rate == SAMPLE_RATE and seconds > 0.3


def test_phonemize_output_speaks_through_generate_from_phonemes(client: TestClient) -> None:
    phonemes = client.post("/dev/phonemize", json={"text": "Hello world. How are you today?"}).json()["phonemes"]
    response = client.post(ROUTE, json={"phonemes": phonemes, "voice": "am_adam", "response_format": "flac"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "audio/flac" and decode(response.content)[0] > 0.3


def test_a_phoneme_string_past_one_chunk_is_spoken_whole(client: TestClient) -> None:
    """Its two sentences are spoken as two chunks, each as long as when sent alone: nothing is cut off. A word
    too long for one chunk is cut into pieces of one chunk's length, each spoken."""
    whole = f"{FIRST_PART} {SECOND_PART}"
    assert len(PhonemeVocab.default().encode(whole).ids) > MAX_TOKENS
    assert len(FIRST_PART) <= MAX_TOKENS and len(SECOND_PART) <= MAX_TOKENS

    def samples(phonemes: str) -> int:
        body = {"phonemes": phonemes, "response_format": "pcm", "stream": False}
        return pcm_samples(client.post(ROUTE, json=body))

    first, second = samples(FIRST_PART), samples(SECOND_PART)
    assert samples(whole) == first + second  # durations are deterministic; only the noise is not
    assert first > 5 * SAMPLE_RATE and second > 5 * SAMPLE_RATE
    word = "həlˈOwˈɜɹld" * 60  # one word longer than a chunk: cut into chunk-sized pieces, every piece spoken
    assert samples(word) == samples(word[:MAX_TOKENS]) + samples(word[MAX_TOKENS:])


# --- refusals ----------------------------------------------------------------------------------------------

BAD_REQUESTS = {
    "empty phonemes": ({"phonemes": ""}, "phonemes"),
    "blank phonemes": ({"phonemes": "  \n"}, "phonemes"),
    "missing phonemes": ({"voice": "af_heart"}, "phonemes"),
    "text, not phonemes": ({"input": "Hello."}, "phonemes"),
    "oversize phonemes": ({"phonemes": "a" * (MAX_INPUT + 1)}, "phonemes"),
    "unknown voice": ({"phonemes": PHONEMES, "voice": "af_nobody"}, "voice"),
    "blend of a missing voice": ({"phonemes": PHONEMES, "voice": "af_heart+af_nobody"}, "voice"),
    "voice file path": ({"phonemes": PHONEMES, "voice": "/etc/passwd"}, "voice"),
    "bad format": ({"phonemes": PHONEMES, "response_format": "ogg"}, "response_format"),
    "speed too low": ({"phonemes": PHONEMES, "speed": 0.1}, "speed"),
    "speed too high": ({"phonemes": PHONEMES, "speed": 4.5}, "speed"),
    "speed not a number": ({"phonemes": PHONEMES, "speed": "fast"}, "speed"),
    "stream not a flag": ({"phonemes": PHONEMES, "stream": "sometimes"}, "stream"),
    "phonemes not a string": ({"phonemes": ["h", "ə"]}, "phonemes"),
}


@pytest.mark.parametrize(("body", "param"), BAD_REQUESTS.values(), ids=BAD_REQUESTS.keys())
def test_bad_input_is_a_400_naming_its_field(client: TestClient, body: dict, param: str) -> None:
    response = client.post(ROUTE, json=body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and error["message"] and error["param"] == param


def test_symbols_outside_kokoros_vocabulary_are_a_400_that_names_them(client: TestClient) -> None:
    body = '{"phonemes": "həlˈO 42 wˈɜɹld ʘ\\ud800 hˈO"}'.encode()  # a lone surrogate: JSON can escape it
    response = client.post(ROUTE, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["param"] == "phonemes" and error["code"] == "unknown_phonemes"
    assert error["message"].endswith(": 4 (U+0034), 2 (U+0032), ʘ (U+0298), U+D800")


@pytest.mark.parametrize("payload", [b'{"phonemes": "h', b"[1, 2]", b"", b'"h\xc9\x99"'],
                         ids=["cut off", "a list", "empty", "a bare string"])
def test_a_body_that_is_no_json_object_is_a_400(client: TestClient, payload: bytes) -> None:
    response = client.post(ROUTE, content=payload, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["message"]


def test_the_server_keeps_serving_after_every_mistake(client: TestClient) -> None:
    for body, _ in BAD_REQUESTS.values():
        assert client.post(ROUTE, json=body).status_code == 400
    assert client.post(ROUTE, content=b"{not json", headers={"content-type": "application/json"}).status_code == 400
    assert client.get("/health").json()["active_requests"] == 0
    response = client.post(ROUTE, json={"phonemes": "stˈɪl hˈɪɹ.", "voice": "alloy"})  # OpenAI's name, not stored
    assert response.status_code == 400 and "af_alloy" in response.json()["error"]["message"]
    assert decode(client.post(ROUTE, json={"phonemes": "stˈɪl hˈɪɹ."}).content)[0] > 0.1


# --- the same door as /v1/audio/speech: key, queue, log line, board, schema --------------------------------


def test_with_an_api_key_the_route_wants_it(home: DataHome) -> None:
    speech = FakePhonemeSpeech()
    with TestClient(create_app(phoneme_settings(home, api_key=KEY), pipelines=speech)) as keyed:
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            response = keyed.post(ROUTE, json={"phonemes": PHONEMES}, headers=headers)
            assert response.status_code == 401 and response.json()["error"]["code"] == "invalid_api_key"
        response = keyed.post(ROUTE, json={"phonemes": PHONEMES}, headers={"Authorization": f"Bearer {KEY}"})
    assert response.status_code == 200 and speech.as_phonemes[-1] is True


def test_phoneme_and_text_requests_share_one_admission_bound(home: DataHome) -> None:
    """A phoneme request holds a slot of the one queue: with it waiting, either route gets 429."""
    speech = FakePhonemeSpeech()
    gate = threading.Event()
    with serving(create_app(phoneme_settings(home, max_requests=1), pipelines=speech)) as url:
        speech.gate = gate  # closed after the warm-up: the next request waits at it
        results: list[httpx.Response] = []
        waiting = threading.Thread(target=lambda: results.append(httpx.post(f"{url}{ROUTE}", json={"phonemes": "wˈAt."},
                                                                             timeout=30)))
        waiting.start()
        deadline = time.monotonic() + 10
        while httpx.get(f"{url}/health").json()["active_requests"] < 1:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        refused = [httpx.post(f"{url}{ROUTE}", json={"phonemes": PHONEMES}, timeout=30),
                   httpx.post(f"{url}/v1/audio/speech", json={"input": "Hello."}, timeout=30)]
        gate.set()
        waiting.join(30)
    for response in refused:
        assert response.status_code == 429 and int(response.headers["retry-after"]) >= 1
        assert response.json()["error"]["type"] == "rate_limit_error"
    assert results[0].status_code == 200 and speech.as_phonemes[-1] is True


def test_each_request_logs_one_line_and_goes_on_the_board(home: DataHome, caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(phoneme_settings(home), pipelines=FakePhonemeSpeech())
    with caplog.at_level(logging.INFO, logger="kokoro_tui.server"), TestClient(app) as client:
        client.post(ROUTE, json={"phonemes": PHONEMES, "voice": "am_adam", "stream": False})
        client.post(ROUTE, json={"phonemes": PHONEMES, "voice": "af_nobody"})
        recent = app.state.board.snapshot()["recent"]
    lines = [record.getMessage() for record in caplog.records if f" {ROUTE} " in record.getMessage()]
    assert len(lines) == 2 and lines[0].startswith(f"POST {ROUTE} 200 ") and lines[0].endswith(" s audio")
    assert lines[1].startswith(f"POST {ROUTE} 400 ") and "af_nobody" in lines[1]
    spoken, refused = [record for record in recent if record["path"] == ROUTE]
    assert (spoken["status"], spoken["voice"], spoken["chars"], spoken["format"], spoken["stream"]) == (
        200, "am_adam", len(PHONEMES), "wav", False)
    assert spoken["audio_s"] > 0 and refused["status"] == 400 and "af_nobody" in refused["error"]


def test_the_openapi_schema_lists_the_route_and_its_fields(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operation = schema["paths"][ROUTE]["post"]
    name = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    body = schema["components"]["schemas"][name]
    assert body["required"] == ["phonemes"]
    assert {"phonemes", "voice", "speed", "response_format", "stream"} <= set(body["properties"])
    assert body["properties"]["response_format"]["default"] == "wav"
