"""Gradient descent on a voice: our differentiable Kokoro speaks, resemblyzer listens, Adam moves the pack.

Each step speaks one training text with the current style row and scores the audio against the
target speaker: one minus the cosine of the speaker embeddings (the differentiable resemblyzer
path), plus the distance of the spectral envelopes (a measure the encoder does not share, so the
optimiser cannot satisfy the encoder alone), plus the squared distance of the mean pitch (the
predictor's F0 against pYIN's on the recordings: without it a male voice drifted 4.8 semitones
below its speaker, the encoder rewarding a darker voice), plus the offset penalty of ``voice_space``. Every
``check_every`` steps the voice speaks a held-out text and is scored by resemblyzer's own path
against held-out recordings; the best voice by that check is the result, which guards against
fitting the encoder instead of the speaker.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from kokoro_tui.training.differentiable_speech import DifferentiableSpeech
from kokoro_tui.training.prosody_targets import VOICED_HZ, semitones
from kokoro_tui.training.runlog import CheckpointRecord, EvalRecord, RunLogWriter, StepRecord
from kokoro_tui.training.speaker import SpeakerEncoder, cosine
from kokoro_tui.training.voice_checkpoint import load_checkpoint, save_checkpoint
from kokoro_tui.training.voice_space import VoiceParameters
from kokoro_tui.training.voice_target import SpeakerTarget, spectral_envelope


@dataclass(frozen=True)
class FitSettings:
    steps: int = 40
    blend_lr: float = 0.1
    offset_lr: float = 0.05
    #: weight of the spectral-envelope distance (dB², per mel band) next to 1 - cosine
    envelope_weight: float = 0.002
    #: weight of the squared mean-pitch distance (semitones²)
    pitch_weight: float = 0.01
    #: weight of the mean square offset coefficient (``voice_space.OFFSET_UNIT``). In session 24's space (64 axes in
    #: stock spreads) 0.02 let a left-out bm_george's WER rise to 0.229 (its stock voice's 0.129), 0.08 kept 0.148
    offset_weight: float = 0.08
    check_every: int = 5
    seed: int = 0


@dataclass
class FitState:
    """What a checkpoint holds besides the parameters and the optimiser."""

    step: int = 0
    start_check: float = -1.0
    best_check: float = -1.0
    best_step: int = 0
    best_pack: np.ndarray | None = None
    history: list[dict[str, float]] = field(default_factory=list)


@dataclass(frozen=True)
class FitResult:
    pack: np.ndarray
    start_similarity: float
    check_similarity: float
    best_step: int
    history: list[dict[str, float]]


StepReport = Callable[[int, int, dict[str, float]], None]


def check_similarity(
    speech: DifferentiableSpeech, encoder: SpeakerEncoder, pack: np.ndarray, texts: Sequence[str], target: np.ndarray
) -> float:
    """Mean similarity of ``pack`` speaking ``texts`` to ``target``, by resemblyzer's own path."""
    scores = [cosine(encoder.embed_recording(speech.speak_pack(pack, text), speech.rate), target) for text in texts]
    return float(np.mean(scores))


def pitch_error(f0: Tensor, target: float) -> Tensor:
    """Mean pitch of the voiced frames of a predicted F0 curve minus ``target``, in semitones; zero
    when the target is unknown (NaN) or nothing is voiced."""
    voiced = f0[f0 > VOICED_HZ]
    if not voiced.numel() or not np.isfinite(target):
        return f0.new_zeros(())
    return semitones(voiced).mean() - target


def fit_voice(
    speech: DifferentiableSpeech,
    encoder: SpeakerEncoder,
    parameters: VoiceParameters,
    target: SpeakerTarget,
    texts: Sequence[str],
    check_texts: Sequence[str],
    settings: FitSettings,
    *,
    checkpoint: Path | None = None,
    log: RunLogWriter | None = None,
    report: StepReport | None = None,
) -> FitResult:
    """Descend ``settings.steps`` steps (resuming from ``checkpoint`` when it exists) and return the best voice."""
    torch.manual_seed(settings.seed)
    optimizer = torch.optim.Adam(
        [{"params": [parameters.logits], "lr": settings.blend_lr}, {"params": [parameters.coefficients], "lr": settings.offset_lr}]
    )
    state = FitState()
    if checkpoint is not None and checkpoint.exists():
        state = load_checkpoint(checkpoint, parameters, optimizer, FitState)
    target_embedding = torch.from_numpy(target.embedding).to(speech.device)
    target_envelope = torch.from_numpy(target.envelope).to(speech.device)
    ids = [speech.ids(text) for text in texts]
    started = time.perf_counter()
    first_step = state.step
    if state.best_pack is None:
        state.start_check = _check(state, speech, encoder, parameters, check_texts, target, log)
    while state.step < settings.steps:
        text_ids = ids[state.step % len(ids)]
        audio, f0 = speech.speak_with_pitch(parameters.row(len(text_ids)), text_ids)
        similarity = encoder.embed_audio(audio) @ target_embedding
        envelope = (spectral_envelope(audio) - target_envelope).pow(2).mean()
        pitch = pitch_error(f0, target.pitch)
        loss = (
            (1 - similarity) + settings.envelope_weight * envelope + settings.pitch_weight * pitch.pow(2)
            + settings.offset_weight * parameters.penalty()
        )
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        state.step += 1
        losses = {
            "loss": loss.item(), "similarity": similarity.item(), "envelope_db2": envelope.item(),
            "pitch_st": pitch.item(), "offset": parameters.penalty().item(),
        }
        elapsed = time.perf_counter() - started
        per_step = elapsed / (state.step - first_step)
        if log is not None:
            log.write(StepRecord(state.step, 0, losses, settings.offset_lr, elapsed, per_step * (settings.steps - state.step)))
        if state.step % settings.check_every == 0 or state.step == settings.steps:
            losses["check_similarity"] = _check(state, speech, encoder, parameters, check_texts, target, log)
            if checkpoint is not None:
                save_checkpoint(checkpoint, parameters, optimizer, state)
                if log is not None:
                    log.write(CheckpointRecord(state.step, str(checkpoint)))
        state.history.append({"step": state.step, "elapsed_s": elapsed, **losses})
        if report is not None:
            report(state.step, settings.steps, losses)
    return FitResult(state.best_pack, state.start_check, state.best_check, state.best_step, state.history)


def _check(
    state: FitState,
    speech: DifferentiableSpeech,
    encoder: SpeakerEncoder,
    parameters: VoiceParameters,
    check_texts: Sequence[str],
    target: SpeakerTarget,
    log: RunLogWriter | None,
) -> float:
    """Score the current voice on held-out text and recordings; keep it if it is the best so far."""
    pack = parameters.pack()
    score = check_similarity(speech, encoder, pack, check_texts, target.check_embedding)
    if score > state.best_check:
        state.best_check, state.best_step, state.best_pack = score, state.step, pack
    if log is not None:
        log.write(EvalRecord(state.step, {"check_similarity": score}))
    return score
