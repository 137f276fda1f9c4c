"""``POST /dev/generate_from_phonemes``: Kokoro-FastAPI's route for phonemes a client wrote itself, for an
exact pronunciation.

The phonemes take `kokoro say --ipa`'s path through the one pipeline (no text front end, no markup; chunks of
whole words, so a string longer than one model chunk is spoken whole), and the request the way of
``/v1/audio/speech``: the API key, the same voice syntax, the admission bound and queue, the same encoding and
streaming, one log line and a record on the request board. A symbol the model lacks is refused, named,
before the request is queued.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from kokoro_tui.server.access_log import request_record
from kokoro_tui.server.routes_speech import ClientGone, Service, audio_response, checked_voice, first_chunk
from kokoro_tui.server.schemas import PhonemeSpeechRequest
from kokoro_tui.speech.request_board import CANCELLED

router = APIRouter()


@router.post("/dev/generate_from_phonemes")
async def generate_from_phonemes(body: PhonemeSpeechRequest, request: Request, service: Service) -> Response:
    """Phonemes (Kokoro's symbols, words split by spaces) to audio in ``response_format`` (default WAV);
    streamed (chunked) unless ``stream`` is false."""
    record = request_record(request)
    record.describe(voice=body.voice, chars=len(body.phonemes), format=body.response_format, stream=body.stream)
    service.check_length(body.phonemes, "phonemes")
    await run_in_threadpool(service.check_phonemes, body.phonemes)
    job = service.speak_phonemes(body, await checked_voice(service, body.voice))
    try:
        chunk = await first_chunk(request, job)
        return await audio_response(job, chunk, body, record, request, service)
    except ClientGone:
        return Response(status_code=CANCELLED)  # only the access log sees it
