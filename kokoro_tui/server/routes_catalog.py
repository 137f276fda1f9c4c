"""The routes that make no audio: voices, models, health, and phonemes for a text."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from kokoro_tui.errors import KokoroError
from kokoro_tui.server.access_log import request_record
from kokoro_tui.server.api_errors import bad_request
from kokoro_tui.server.routes_speech import Service
from kokoro_tui.server.schemas import MODEL_NAMES, PhonemizeRequest
from kokoro_tui.text.languages import language
from kokoro_tui.voices.names import DEFAULT_VOICE

OWNER = "kokoro-tui"

router = APIRouter()
public = APIRouter()  # no API key wanted: load balancers and supervisors probe it


@public.get("/health")
async def health(service: Service) -> dict[str, Any]:
    scheduler = service.scheduler
    return {
        "status": "ok",
        "active_requests": scheduler.active if scheduler else 0,
        "max_requests": service.settings.max_requests,
    }


@router.get("/v1/models")
async def models() -> dict[str, Any]:
    """OpenAI's model list: every name is the one Kokoro-82M model."""
    created = int(time.time())
    return {
        "object": "list",
        "data": [{"id": name, "object": "model", "created": created, "owned_by": OWNER} for name in MODEL_NAMES],
    }


@router.get("/v1/audio/voices")
async def voices(service: Service) -> dict[str, Any]:
    """Every usable voice of the store with its language and gender (damaged files left out), and the
    voice a request that names none speaks with (``default``, null when the store lacks it), which the
    web page preselects."""
    listed = [voice for voice in await run_in_threadpool(service.store.list) if voice.problem is None]
    return {
        "voices": [
            # "id" beside "name": Open WebUI fills its voice list from "id" and "name" of each entry
            {"id": voice.name, "name": voice.name, "language": voice.language, "lang_code": voice.lang,
             "gender": voice.gender_name}
            for voice in listed
        ],
        "default": DEFAULT_VOICE if any(voice.name == DEFAULT_VOICE for voice in listed) else None,
    }


@router.post("/dev/phonemize")
async def phonemize(body: PhonemizeRequest, request: Request, service: Service) -> dict[str, str]:
    """The phonemes the model would be given for ``text`` in ``language`` (no model involved)."""
    request_record(request).describe(chars=len(body.text))
    service.check_length(body.text, "text")
    try:
        code = language(body.language).code
    except KokoroError as error:
        raise bad_request(error, "language") from None
    job = service.phonemize(body.text, code)
    try:
        phonemes = await job.next()
    finally:
        job.cancel()
    return {"phonemes": phonemes, "language": code}
