"""The routes that synthesise: ``POST /v1/audio/speech`` (OpenAI's) and ``POST /dev/captioned_speech``.

A request is checked, queued, and answered once its first chunk is made: a mistake the
pipeline only finds then (nothing speakable, an unknown language) is still a 400, and a
streamed response's first bytes follow the first chunk. A client that goes away while its
request waits for a chunk (queued behind others, or a whole response being made) frees its
slot at once. A streamed response ends its job when it ends, however it ends (Starlette
stops it when the client goes away); one whose synthesis fails after its first bytes cannot
answer an error any more, and is cut off instead (see ``access_log``). The voice check, the wait for the
first chunk and the audio response also serve ``routes_phonemes``.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Awaitable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

from kokoro_tui.errors import KokoroError
from kokoro_tui.server.access_log import LoggedFailure, request_record
from kokoro_tui.server.api_errors import ApiError, bad_request, refusal
from kokoro_tui.server.encoding import FORMATS, encode, open_encoder
from kokoro_tui.server.scheduler import Job
from kokoro_tui.server.schemas import AudioOptions, SpeechRequest
from kokoro_tui.server.service import SpeechService
from kokoro_tui.speech.request_board import CANCELLED, RequestRecord
from kokoro_tui.speech.types import SpeechChunk

JSON_LINES = "application/x-ndjson"
T = TypeVar("T")


class ClientGone(Exception):
    """The client went away while its request waited for a chunk."""

router = APIRouter()


def service_of(request: Request) -> SpeechService:
    return request.app.state.service


Service = Annotated[SpeechService, Depends(service_of)]


async def _disconnected(request: Request) -> None:
    """Returns once the client has gone (its request body has been read: only the end is left to receive)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def _unless_gone(request: Request, waiting: Awaitable[T]) -> T:
    """What ``waiting`` gives, or ClientGone as soon as the client goes away before it does."""
    result = asyncio.ensure_future(waiting)
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait((result, gone), return_when=asyncio.FIRST_COMPLETED)
    finally:
        result.cancel()  # no-ops once done
        gone.cancel()
    if not result.done() or result.cancelled():
        raise ClientGone
    return result.result()


async def checked_voice(service: SpeechService, spec: str) -> str:
    """The request's voice in the pipeline's syntax; a 400 naming what is wrong with it."""
    try:
        return await run_in_threadpool(service.voice, spec)
    except KokoroError as error:
        raise bad_request(error, "voice") from None


async def first_chunk(request: Request, job: Job) -> SpeechChunk | None:
    """A queued job's first chunk (a mistake the pipeline finds in it is raised here, before any response);
    the job is cancelled if none comes."""
    try:
        return await _unless_gone(request, job.next())
    except BaseException:
        job.cancel()
        raise


async def _first_chunk(
    service: SpeechService, body: SpeechRequest, request: Request, record: RequestRecord
) -> tuple[Job, SpeechChunk | None]:
    """Check the request, queue it, and wait for its first chunk; every refusal is raised before that."""
    record.describe(voice=body.voice, chars=len(body.input), format=body.response_format, stream=body.stream)
    service.check_length(body.input, "input")
    job = service.speak(body, await checked_voice(service, body.voice))
    return job, await first_chunk(request, job)


class JobResponse(StreamingResponse):
    """A streamed response that ends its job when it ends: sent, failed, or cut off by a departed
    client, even before its body started (when the body generator's own cleanup never runs).

    Its status line has gone out before its body fails, so a failure cannot be answered: an expected one
    (a ``KokoroError`` in a later chunk, the server's shutdown) goes in the record and aborts the response
    (``LoggedFailure``); a fault of the server goes on as it is, for the access log's traceback."""

    def __init__(self, job: Job, content: AsyncIterator[bytes], media_type: str, record: RequestRecord) -> None:
        super().__init__(content, media_type=media_type)
        self.job = job
        self.record = record

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except Exception as error:
            answer = refusal(error)
            if answer is None:
                raise
            self.record.status, self.record.error = answer.status, answer.message
            raise LoggedFailure from error
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


async def audio_response(
    job: Job, chunk: SpeechChunk | None, options: AudioOptions, record: RequestRecord, request: Request,
    service: SpeechService,
) -> Response:
    """A started job's audio in ``options.response_format``: streamed (chunked) unless ``options.stream`` is false."""
    media_type = FORMATS[options.response_format].media_type
    if options.stream:
        return JobResponse(job, _audio_stream(job, chunk, options.response_format, record), media_type, record)
    return Response(await _whole_audio(job, chunk, options.response_format, record, request, service),
                    media_type=media_type)


@router.post("/v1/audio/speech")
async def speech(body: SpeechRequest, request: Request, service: Service) -> Response:
    """Text to audio in ``response_format``; streamed (chunked) unless ``stream`` is false."""
    record = request_record(request)
    try:
        job, chunk = await _first_chunk(service, body, request, record)
        return await audio_response(job, chunk, body, record, request, service)
    except ClientGone:
        return Response(status_code=CANCELLED)  # only the access log sees it


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
            chunk = await _unless_gone(request, job.next())
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
async def captioned_speech(body: SpeechRequest, request: Request, service: Service) -> Response:
    """JSON lines, one per chunk: its text, phonemes, audio (a whole file of ``response_format``, base64)
    and word timestamps in seconds from the start of the whole speech."""
    record = request_record(request)
    try:
        job, chunk = await _first_chunk(service, body, request, record)
    except ClientGone:
        return Response(status_code=CANCELLED)
    return JobResponse(job, _caption_lines(job, chunk, body.response_format, record), JSON_LINES, record)
