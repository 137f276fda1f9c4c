"""The routes that make no audio: voices (listed, or combined into a voice file), models, health, and
phonemes for a text."""

from __future__ import annotations

import re
import time
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response
from starlette.concurrency import run_in_threadpool

from kokoro_tui.errors import KokoroError
from kokoro_tui.server.access_log import request_record
from kokoro_tui.server.api_errors import bad_request
from kokoro_tui.server.routes_speech import Service
from kokoro_tui.server.schemas import MODEL_NAMES, PhonemizeRequest
from kokoro_tui.text.languages import language
from kokoro_tui.voices.formats import voice_bytes
from kokoro_tui.voices.names import DEFAULT_VOICE

OWNER = "kokoro-tui"
# What a combined voice's download name keeps of the spec: the characters of names, weights and '+'.
UNSAFE_IN_FILE_NAME = re.compile(r"[^a-z0-9_+().-]")

router = APIRouter()
public = APIRouter()  # no API key wanted: load balancers and supervisors probe it


@public.get("/health")
async def health(service: Service) -> dict[str, Any]:
    return {
        "status": "ok",
        "active_requests": service.active_requests,
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


@router.post("/v1/audio/voices/combine")
async def combine_voices(voices: Annotated[str | list[str], Body()], request: Request, service: Service) -> Response:
    """Kokoro-FastAPI's voice combination: ``"af_bella(2)+af_sky(1)"`` (or our ``af_bella:2,af_sky:1``), or a list
    of voices weighed alike, mixed into one voice pack and sent as a hexgrad-style ``.pt`` file. Nothing is kept on
    the server (it stays stateless): `kokoro voices import FILE` stores it, and any request may name the blend."""
    spec = voices if isinstance(voices, str) else "+".join(voice.strip() for voice in voices)
    request_record(request).describe(voice=spec)
    try:
        pack = await run_in_threadpool(service.voice_pack, spec)
    except KokoroError as error:
        raise bad_request(error, "voices") from None
    name = UNSAFE_IN_FILE_NAME.sub("_", spec.strip().lower())[:120]
    return Response(await run_in_threadpool(voice_bytes, pack, "pt"), media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{name}.pt"'})


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
