"""The routes that synthesise: ``POST /v1/audio/speech`` (OpenAI's) and ``POST /dev/captioned_speech``.

A request is checked, queued, and answered once its first chunk is made: a mistake the
pipeline only finds then (nothing speakable, an unknown language) is still a 400, and a
streamed response's first bytes follow the first chunk. A streamed response ends its job
when it ends, however it ends (Starlette stops it when the client goes away); a whole one
checks for a departed client between chunks.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

from kokoro_tui.errors import KokoroError
from kokoro_tui.server.access_log import request_record
from kokoro_tui.server.api_errors import ApiError, bad_request
from kokoro_tui.server.encoding import FORMATS, encode, open_encoder
from kokoro_tui.server.scheduler import Job
from kokoro_tui.server.schemas import SpeechRequest
from kokoro_tui.server.service import SpeechService
from kokoro_tui.speech.request_board import RequestRecord
from kokoro_tui.speech.types import SpeechChunk

JSON_LINES = "application/x-ndjson"
CLIENT_GONE = 499  # nginx's "client closed request": only the access log sees it


class ClientGone(Exception):
    """The client of a whole (not streamed) response went away while its audio was made."""

router = APIRouter()


def service_of(request: Request) -> SpeechService:
    return request.app.state.service


Service = Annotated[SpeechService, Depends(service_of)]


async def _first_chunk(service: SpeechService, body: SpeechRequest, record: RequestRecord) -> tuple[Job, SpeechChunk | None]:
    """Check the request, queue it, and wait for its first chunk; every refusal is raised before that."""
    record.describe(voice=body.voice, chars=len(body.input), format=body.response_format, stream=body.stream)
    service.check_length(body.input, "input")
    try:
        voice = await run_in_threadpool(service.voice, body.voice)
    except KokoroError as error:
        raise bad_request(error, "voice") from None
    job = service.speak(body, voice)
    try:
        return job, await job.next()
    except BaseException:
        job.cancel()
        raise


class JobResponse(StreamingResponse):
    """A streamed response that ends its job when it ends: sent, failed, or cut off by a departed
    client, even before its body started (when the body generator's own cleanup never runs)."""

    def __init__(self, job: Job, content: AsyncIterator[bytes], media_type: str) -> None:
        super().__init__(content, media_type=media_type)
        self.job = job

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.job.cancel()


async def _audio_stream(job: Job, chunk: SpeechChunk | None, fmt: str, record: RequestRecord) -> AsyncIterator[bytes]:
    """One encoded file, sent a chunk at a time."""
    encoder = open_encoder(fmt)
    try:
        while chunk is not None:
            data = await run_in_threadpool(encoder.feed, chunk.audio)
            record.audio_s += chunk.duration_s
            if data:
                yield data
            chunk = await job.next()
        yield await run_in_threadpool(encoder.finish)
    finally:
        encoder.close()


@router.post("/v1/audio/speech")
async def speech(body: SpeechRequest, request: Request, service: Service) -> Response:
    """Text to audio in ``response_format``; streamed (chunked) unless ``stream`` is false."""
    record = request_record(request)
    job, chunk = await _first_chunk(service, body, record)
    media_type = FORMATS[body.response_format].media_type
    if body.stream:
        return JobResponse(job, _audio_stream(job, chunk, body.response_format, record), media_type)
    try:
        audio = await _whole_audio(job, chunk, body.response_format, record, request, service)
    except ClientGone:
        return Response(status_code=CLIENT_GONE)
    return Response(audio, media_type=media_type)


async def _whole_audio(
    job: Job, chunk: SpeechChunk | None, fmt: str, record: RequestRecord, request: Request, service: SpeechService
) -> bytes:
    """The whole file, encoded as the chunks come (mp3 holds a tenth of the PCM's memory). A text whose
    audio passes the server's limit for a whole response (markup pauses can make hours of silence out of
    a short text) is refused once it does, with what was made so far freed."""
    limit_s = service.settings.max_whole_audio_s
    encoder = open_encoder(fmt, whole=True)
    parts: list[bytes] = []
    try:
        while chunk is not None:
            record.audio_s += chunk.duration_s
            if record.audio_s > limit_s:
                raise ApiError(400, f"the speech passes {limit_s / 60:g} minutes, this server's limit for a whole "
                                    "response; ask for it streamed (stream: true)", param="input",
                               code="audio_too_long")  # fmt: skip
            parts.append(await run_in_threadpool(encoder.feed, chunk.audio))
            if await request.is_disconnected():
                raise ClientGone
            chunk = await job.next()
        parts.append(await run_in_threadpool(encoder.finish))
    finally:
        job.cancel()
        encoder.close()
    return b"".join(parts)


def _caption_line(chunk: SpeechChunk, fmt: str) -> bytes:
    line = {
        "index": chunk.index,
        "text": chunk.text,
        "phonemes": chunk.phonemes,
        "start": round(chunk.start_s, 3),
        "duration": round(chunk.duration_s, 3),
        "audio": base64.b64encode(encode(chunk.audio, fmt)).decode("ascii"),
        "timestamps": [stamp.to_dict() for stamp in chunk.timestamps],
    }
    return (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")


async def _caption_lines(job: Job, chunk: SpeechChunk | None, fmt: str, record: RequestRecord) -> AsyncIterator[bytes]:
    while chunk is not None:
        record.audio_s += chunk.duration_s
        yield await run_in_threadpool(_caption_line, chunk, fmt)
        chunk = await job.next()


@router.post("/dev/captioned_speech")
async def captioned_speech(body: SpeechRequest, request: Request, service: Service) -> JobResponse:
    """JSON lines, one per chunk: its text, phonemes, audio (a whole file of ``response_format``, base64)
    and word timestamps in seconds from the start of the whole speech."""
    record = request_record(request)
    job, chunk = await _first_chunk(service, body, record)
    return JobResponse(job, _caption_lines(job, chunk, body.response_format, record), JSON_LINES)
