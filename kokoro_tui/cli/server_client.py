"""`kokoro say --server URL`: speech made by a running `kokoro serve`, read as it streams.

The text goes to OpenAI's ``POST /v1/audio/speech`` as a stream of raw PCM (16-bit mono at the
model's rate). Its bytes become chunks as they arrive, and `kokoro say` hands them to the writers
local synthesis uses, so files, formats and pipes come out as they would locally, and no model
is loaded here: the first audio comes after a process start and one chunk on the server. Only
the standard library's urllib speaks HTTP, so this costs `kokoro say` no import it did not make.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

from kokoro_tui.errors import KokoroError, NetworkError
from kokoro_tui.speech.audio_io import PCM16, from_pcm16
from kokoro_tui.speech.types import SpeechChunk

SPEECH_PATH = "/v1/audio/speech"
RAW_PCM = "pcm"  # the server's response_format of bare samples
PCM_MEDIA_TYPE = "audio/pcm"
# Seconds a read may wait: a busy server makes other requests' chunks between two of ours.
TIMEOUT_S = 120
READ_BYTES = 64 * 1024


def _is_http_url(url: str) -> bool:
    """Whether ``url`` is http(s) with a host, and a port that can be connected to if it names one."""
    try:
        parts = urllib.parse.urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # an unclosed "[" of an IPv6 address, a port that is no number up to 65535
        return False


def speech_url(server: str) -> str:
    """The speech endpoint of the server at ``server`` (``host:port`` means http; an OpenAI-style
    base URL ending in ``/v1``, or the endpoint itself, is taken too)."""
    base = server.strip() if "://" in server else f"http://{server.strip()}"
    if not _is_http_url(base):
        raise KokoroError(f"--server {server!r} is not an http:// or https:// URL", hint="e.g. http://127.0.0.1:8880")
    return base.rstrip("/").removesuffix(SPEECH_PATH).removesuffix("/v1") + SPEECH_PATH


def _error_message(error: urllib.error.HTTPError) -> str:
    """The server's own words from its OpenAI-style error body; the status line for anything else."""
    try:
        message = json.loads(error.read())["error"]["message"]
    except (ValueError, KeyError, TypeError, OSError, http.client.HTTPException):
        message = None
    return message if isinstance(message, str) and message else str(error.reason)


def _reason(error: Exception) -> str:
    if isinstance(error, http.client.IncompleteRead):  # its own words are byte counts
        return "the connection closed mid-stream"
    return str(error) or type(error).__name__


def _refusal_exit_code(status: int) -> int:
    """2 when the request is at fault (fix the command), 1 when the server is (busy or failing: retry)."""
    return 2 if 400 <= status < 500 and status != 429 else 1


class ServerSpeech:
    """One voice and speed on the server at ``server``: ``stream(text)`` yields the audio in chunks."""

    def __init__(self, server: str, *, voice: str, speed: float, lang: str | None, api_key: str | None) -> None:
        self.url = speech_url(server)
        self.voice, self.speed, self.lang, self.api_key = voice, speed, lang, api_key

    def _request(self, text: str) -> urllib.request.Request:
        body: dict[str, Any] = {"input": text, "voice": self.voice, "speed": self.speed,
                                "response_format": RAW_PCM, "stream": True}
        if self.lang is not None:
            body["lang_code"] = self.lang
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return urllib.request.Request(self.url, data=json.dumps(body).encode("utf-8"), headers=headers, method="POST")

    def _open(self, text: str) -> http.client.HTTPResponse:
        try:
            response = urllib.request.urlopen(self._request(text), timeout=TIMEOUT_S)
        except urllib.error.HTTPError as error:
            with error:
                raise KokoroError(f"the server answered {error.code}: {_error_message(error)}",
                                  exit_code=_refusal_exit_code(error.code)) from None
        except urllib.error.URLError as error:
            reason = getattr(error.reason, "strerror", None) or str(error.reason)
            raise NetworkError(f"cannot reach the server at {self.url}: {reason}") from None
        except (http.client.HTTPException, OSError) as error:  # it hung up or timed out before answering
            raise NetworkError(f"no answer from the server at {self.url}: {_reason(error)}") from None
        media_type = response.headers.get("Content-Type", "")
        if not media_type.startswith(PCM_MEDIA_TYPE):
            response.close()
            raise KokoroError(f"{self.url} is not a kokoro speech server: it answered {media_type or 'no audio'}")
        return response

    def stream(self, text: str) -> Iterator[SpeechChunk]:
        """The speech as it arrives, one chunk per read; a KokoroError (exit 1) if the stream breaks off,
        so that a file being written is abandoned rather than left short."""
        start_s, index, pending = 0.0, 0, b""
        with self._open(text) as response:
            while True:
                try:
                    received = response.read1(READ_BYTES)
                except (http.client.HTTPException, OSError) as error:
                    raise KokoroError(f"the server broke off the speech after {start_s:.1f} s of audio: "
                                      f"{_reason(error)}", exit_code=1) from None
                if not received:
                    break
                data = pending + received
                whole = len(data) - len(data) % PCM16.itemsize  # a read may end inside a sample
                pending = data[whole:]
                if whole:
                    chunk = SpeechChunk(index, "", "", from_pcm16(data[:whole]), start_s)
                    yield chunk
                    start_s += chunk.duration_s
                    index += 1
        if pending:
            raise KokoroError("the server's audio ended in half a sample", exit_code=1)
