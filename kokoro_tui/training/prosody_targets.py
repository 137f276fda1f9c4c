"""What a recording says about pitch and energy, on the grid the model's prosody predictor speaks.

Kokoro's predictor outputs F0 in Hz and an energy curve ``N`` every 300 samples (twice per 25 ms
duration unit), and its decoder takes both back in. StyleTTS2 trained them from a pitch network
(JDC) and from ``log ‖mel power‖``; we cannot download JDC, so F0 comes from pYIN (librosa's
implementation of Mauch & Dixon's probabilistic YIN, the tracker most speech tools now rest on),
and N is computed as StyleTTS2 defined it.

Checked against the model itself (a sentence spoken by af_heart): pYIN on its audio is within a
median 0.04 semitones of the F0 curve the model spoke it from, and our N correlates 0.987 with the
model's N curve.
"""

from __future__ import annotations

import numpy as np
import torch

from kokoro_tui.audio.features import MEL_HOP, MEL_N_FFT, MEL_WIN, N_MELS, mel_magnitude
from kokoro_tui.model.config import SAMPLE_RATE

#: pYIN's search range: below the lowest male voices, above typical female and child speech.
PITCH_RANGE_HZ = (50.0, 550.0)
#: Pitch candidates every quarter semitone: four times coarser than librosa's default and ~4x
#: faster (30x real time on a 2-core CPU), still far finer than the error that matters for speech.
PITCH_RESOLUTION = 0.25
#: Added to each mel power bin before the norm, as StyleTTS2 does, so silence has a finite log.
ENERGY_FLOOR = 1e-5
#: Pitch statistics are in semitones above this frequency.
SEMITONE_REFERENCE_HZ = 100.0
#: Below this an F0 value of the model's predictor is its "unvoiced" output (near 5 Hz), not a pitch:
#: voiced frames sit above 50 Hz.
VOICED_HZ = 40.0


def semitones(hz: np.ndarray | torch.Tensor) -> np.ndarray | torch.Tensor:
    """Frequencies in semitones above ``SEMITONE_REFERENCE_HZ`` (numpy or torch, differentiable)."""
    ratio = hz / SEMITONE_REFERENCE_HZ
    return 12 * (torch.log2(ratio) if isinstance(ratio, torch.Tensor) else np.log2(ratio))


def pitch_curve(audio: np.ndarray, hops: int) -> np.ndarray:
    """F0 in Hz every ``MEL_HOP`` samples, 0 where pYIN hears no voicing; exactly ``hops`` values."""
    import librosa

    f0, voiced, _ = librosa.pyin(
        np.ascontiguousarray(audio, dtype=np.float32),
        fmin=PITCH_RANGE_HZ[0], fmax=PITCH_RANGE_HZ[1], sr=SAMPLE_RATE,
        frame_length=4 * MEL_HOP, hop_length=MEL_HOP, resolution=PITCH_RESOLUTION,
    )
    f0 = np.where(voiced & np.isfinite(f0), f0, 0.0).astype(np.float32)
    return _fit(f0, hops)


def energy_curve(audio: torch.Tensor) -> torch.Tensor:
    """``log ‖mel power + floor‖`` per frame, ``[..., frames]``: the decoder's N input (one frame per hop, plus one)."""
    power = mel_magnitude(audio, SAMPLE_RATE, MEL_N_FFT, MEL_HOP, MEL_WIN, N_MELS).square()
    return torch.linalg.vector_norm(power + ENERGY_FLOOR, dim=-2).log()


def energy_targets(audio: np.ndarray, hops: int) -> np.ndarray:
    """The energy curve of a recording as a float32 array of exactly ``hops`` values."""
    with torch.no_grad():
        curve = energy_curve(torch.from_numpy(np.ascontiguousarray(audio, dtype=np.float32))).numpy()
    return _fit(curve.astype(np.float32), hops)


def _fit(curve: np.ndarray, hops: int) -> np.ndarray:
    """Cut or edge-pad a centred-frame curve to the model's ``hops`` (centring adds one frame)."""
    if curve.size >= hops:
        return curve[:hops]
    return np.pad(curve, (0, hops - curve.size), mode="edge")
