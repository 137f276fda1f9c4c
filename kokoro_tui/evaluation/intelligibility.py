"""Is the speech understandable? Word error rate of pocketsphinx's bundled US English model.

An offline recogniser is a coarse judge, but a cheap and deterministic one: a model that mumbles,
skips words or drifts in timing shows up as a higher word error rate than the reference export.
"""

from __future__ import annotations

import re

import numpy as np

from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import SAMPLE_RATE

ASR_RATE = 16_000
_TAPS = 60  # half-length of the anti-aliasing filter, in samples at 48 kHz
_CUTOFF_HZ = 7_600.0  # below 16 kHz's Nyquist frequency, leaving room for the transition band


def resample_24k_to_16k(audio: np.ndarray) -> np.ndarray:
    """24 kHz -> 16 kHz as up 2, windowed-sinc low-pass at 48 kHz, down 3 (length ceil(2n/3)).

    Polyphase: the zero-stuffed signal is never built. Its even 48 kHz samples see only the
    filter's even taps and its odd samples only the odd taps, each a plain convolution of the input.
    """
    offsets = np.arange(-_TAPS, _TAPS + 1)
    cutoff = _CUTOFF_HZ / (2 * SAMPLE_RATE)
    kernel = 2 * cutoff * np.sinc(2 * cutoff * offsets) * np.hamming(offsets.size)
    kernel *= 2.0 / kernel.sum()  # gain 2 restores the level lost to zero stuffing
    signal = np.asarray(audio, dtype=np.float64)
    if signal.size == 0:
        return np.zeros(0, dtype=np.float32)
    upsampled = np.empty(2 * signal.size)
    half = _TAPS // 2  # both phases' filters start half the taps before their centre
    upsampled[0::2] = np.convolve(signal, kernel[0::2])[half : half + signal.size]
    upsampled[1::2] = np.convolve(signal, kernel[1::2])[half : half + signal.size]
    return upsampled[::3].astype(np.float32)


def words(text: str) -> list[str]:
    """Lower-case words, punctuation dropped: what the recogniser can be held to."""
    return re.findall(r"[a-z']+", text.lower())


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level Levenshtein distance / reference length, case and punctuation ignored."""
    ref, hyp = words(reference), words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        previous, row[0] = row[0], i
        for j, h in enumerate(hyp, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (r != h))
    return row[len(hyp)] / max(len(ref), 1)


class Recogniser:
    """pocketsphinx with its bundled US English model; call it on 24 kHz float audio."""

    def __init__(self) -> None:
        try:
            from pocketsphinx import Decoder
        except ImportError as error:
            raise KokoroError(
                "speech recognition needs pocketsphinx, which is not installed", hint="pip install pocketsphinx"
            ) from error
        self.decoder = Decoder(samprate=ASR_RATE, loglevel="FATAL")

    def __call__(self, audio: np.ndarray) -> str:
        """The recognised words; audio is peak-normalised to 0.9 first so loud takes do not clip."""
        peak = float(np.max(np.abs(audio), initial=0.0)) or 1.0
        resampled = resample_24k_to_16k(np.asarray(audio, dtype=np.float64) / peak * 0.9)
        pcm = (np.clip(resampled, -1.0, 1.0) * 32767).astype(np.int16).tobytes()
        self.decoder.start_utt()
        self.decoder.process_raw(pcm, full_utt=True)
        self.decoder.end_utt()
        hypothesis = self.decoder.hyp()
        return hypothesis.hypstr if hypothesis is not None else ""
