"""The random-walk baseline (kvoicewalk's method) in the same voice space, scored the same way.

Each step perturbs the blend logits and the offset with Gaussian noise, speaks a training text
without gradients, and keeps the move when resemblyzer's similarity to the target improves (on a
fixed rotation of texts, so moves are compared on like audio). It exists to compare against
``voice_fit`` in one run: same start, same target, same held-out check, same wall-clock budget.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from kokoro_tui.training.differentiable_speech import DifferentiableSpeech
from kokoro_tui.training.runlog import EvalRecord, RunLogWriter, StepRecord
from kokoro_tui.training.speaker import SpeakerEncoder, cosine
from kokoro_tui.training.voice_fit import FitResult, StepReport, check_similarity
from kokoro_tui.training.voice_space import VoiceParameters
from kokoro_tui.training.voice_target import SpeakerTarget


@dataclass(frozen=True)
class WalkSettings:
    steps: int = 40
    #: standard deviation of a move: logits in nats, offset coefficients in ``voice_space.OFFSET_UNIT``
    blend_step: float = 0.3
    offset_step: float = 0.1
    check_every: int = 5
    seed: int = 0


def walk_voice(
    speech: DifferentiableSpeech,
    encoder: SpeakerEncoder,
    parameters: VoiceParameters,
    target: SpeakerTarget,
    texts: Sequence[str],
    check_texts: Sequence[str],
    settings: WalkSettings,
    *,
    log: RunLogWriter | None = None,
    report: StepReport | None = None,
) -> FitResult:
    generator = torch.Generator().manual_seed(settings.seed)
    ids = [speech.ids(text) for text in texts]

    def score(step: int) -> float:
        text_ids = ids[step % len(ids)]
        audio = speech.speak(parameters.row(len(text_ids)), text_ids, grad=False).cpu().numpy()
        return cosine(encoder.embed_recording(audio, speech.rate), target.embedding)

    best_check = check_similarity(speech, encoder, parameters.pack(), check_texts, target.check_embedding)
    start_check = best_check
    best_pack, best_step, history = parameters.pack(), 0, []
    current = [score(step) for step in range(len(ids))]  # the start's score on every text of the rotation
    started = time.perf_counter()
    for step in range(1, settings.steps + 1):
        saved = [parameters.logits.detach().clone(), parameters.coefficients.detach().clone()]
        with torch.no_grad():
            parameters.logits += settings.blend_step * torch.randn(parameters.logits.shape, generator=generator)
            parameters.coefficients += settings.offset_step * torch.randn(parameters.coefficients.shape, generator=generator)
        slot = step % len(ids)
        trial = score(step)
        accepted = trial > current[slot]
        if accepted:
            current[slot] = trial
        else:
            with torch.no_grad():
                parameters.logits.copy_(saved[0])
                parameters.coefficients.copy_(saved[1])
        losses = {"similarity": float(np.mean(current)), "accepted": float(accepted)}
        elapsed = time.perf_counter() - started
        if log is not None:
            log.write(StepRecord(step, 0, losses, 0.0, elapsed, elapsed / step * (settings.steps - step)))
        if step % settings.check_every == 0 or step == settings.steps:
            check = check_similarity(speech, encoder, parameters.pack(), check_texts, target.check_embedding)
            losses["check_similarity"] = check
            if log is not None:
                log.write(EvalRecord(step, {"check_similarity": check}))
            if check > best_check:
                best_check, best_pack, best_step = check, parameters.pack(), step
        history.append({"step": step, "elapsed_s": elapsed, **losses})
        if report is not None:
            report(step, settings.steps, losses)
    return FitResult(best_pack, start_check, best_check, best_step, history)
