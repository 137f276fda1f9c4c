"""What a made voice should sound like: the speaker's embedding, spectral envelope and mean pitch, from recordings.

The recordings are split: most of them define the target the optimiser descends towards; the
rest (a corpus's validation split, else every fifth clip) are only ever used to score, so the
reported gain is measured on recordings the optimiser never saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import torch
from torch import Tensor

from kokoro_tui.audio.features import LOG_MEL_N_FFT, MEL_HOP, N_MELS, log_mel_db, mel_filterbank
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.training.prosody_targets import pitch_curve, semitones
from kokoro_tui.training.speaker import SpeakerEncoder

#: every n-th clip is held out for validation when the corpus has no validation split
HOLDOUT_EVERY = 5
#: the envelope compares mel bands peaking below this: telephone-band and 16 kHz recordings hold
#: nothing above it, and the model would be pushed to silence its top octave to match them
ENVELOPE_MAX_HZ = 7000.0


@dataclass(frozen=True)
class SpeakerTarget:
    """``embedding``, ``envelope`` and ``pitch`` from the fitting clips; ``check_embedding`` from held-out clips.

    ``pitch`` is the mean F0 of the voiced frames in semitones (pYIN), NaN when nothing is voiced.
    """

    embedding: np.ndarray
    envelope: np.ndarray
    check_embedding: np.ndarray
    fit_clips: int
    check_clips: int
    pitch: float = float("nan")


def split_clips(train: Sequence[np.ndarray], validation: Sequence[np.ndarray]) -> tuple[list, list]:
    """Fitting and checking clips: the corpus's own split, or every ``HOLDOUT_EVERY``-th clip held out."""
    if validation:
        return list(train), list(validation)
    if len(train) < 2:
        return list(train), list(train)  # one clip: nothing to hold out, the check is not independent
    held = {index for index in range(len(train)) if index % HOLDOUT_EVERY == HOLDOUT_EVERY - 1} or {len(train) - 1}
    fit = [clip for index, clip in enumerate(train) if index not in held]
    return fit, [train[index] for index in sorted(held)]


@cache
def _envelope_bands() -> int:
    """How many of the log-mel bands (lowest first) peak below ``ENVELOPE_MAX_HZ``."""
    filters = mel_filterbank(LOG_MEL_N_FFT, N_MELS, SAMPLE_RATE)
    peaks = filters.argmax(dim=1).double() * SAMPLE_RATE / LOG_MEL_N_FFT
    return int((peaks < ENVELOPE_MAX_HZ).sum())


def spectral_envelope(audio: Tensor) -> Tensor:
    """Mean log-mel (dB, bands below ``ENVELOPE_MAX_HZ``) over the frames within 40 dB of the
    loudest: the timbre, not the words."""
    mel = log_mel_db(audio.reshape(1, -1) / audio.pow(2).mean().clamp_min(1e-10).sqrt())[0, : _envelope_bands()]
    loud = mel.mean(dim=0)
    keep = (loud > loud.max() - 40).float()
    return (mel * keep).sum(dim=1) / keep.sum().clamp_min(1.0)


def speaker_target(
    encoder: SpeakerEncoder, train: Sequence[np.ndarray], validation: Sequence[np.ndarray] = ()
) -> SpeakerTarget:
    """The target of a voice from 24 kHz clips (as ``training.corpus`` gives them)."""
    fit, check = split_clips(train, validation)
    embedding = encoder.embed_recordings(fit, SAMPLE_RATE)
    check_embedding = encoder.embed_recordings(check, SAMPLE_RATE)
    with torch.no_grad():
        envelopes = [spectral_envelope(torch.from_numpy(np.asarray(clip, dtype=np.float32))) for clip in fit]
    envelope = torch.stack(envelopes).mean(dim=0).numpy()
    return SpeakerTarget(embedding, envelope, check_embedding, len(fit), len(check), mean_pitch(fit))


def mean_pitch(clips: Sequence[np.ndarray]) -> float:
    """Mean F0 over the voiced frames of ``clips``, in semitones; NaN when none is voiced."""
    voiced = []
    for clip in clips:
        curve = pitch_curve(clip, len(clip) // MEL_HOP + 1)
        voiced.append(curve[curve > 0])
    frames = np.concatenate(voiced) if voiced else np.zeros(0)
    return float(semitones(frames).mean()) if frames.size else float("nan")
