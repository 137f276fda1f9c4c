"""One recording of a corpus read, checked and turned into what training takes: 24 kHz mono float32, edges trimmed.

Each check names a flaw that would teach the model something wrong, or that training cannot take:

- clipped: more than ``CLIP_SHARE`` of the samples at ``CLIP_LEVEL`` or above. A take normalised to
  full scale touches the rail only at a few samples around its loudest peak, far under 0.1 %; a take
  that clipped flattens every loud peak, hundreds of samples a second. (Counting runs of samples at
  the rail was the other choice, but a low voice at 44.1 kHz peaks over several consecutive samples
  above 0.999 without any clipping, and one squared-off peak is not worth losing a take over.)
  Judged on the file's own samples, every channel, before resampling moves values off the rail.
- silent: a peak below ``SILENT_PEAK_DBFS``: a dead microphone or an empty take.
- too short / too long: judged after trimming. Under half a second a take holds hardly a word to
  align; over 30 s it does not fit a fine-tuning batch. A file longer than ``UNREAD_BEYOND_SECONDS``
  is refused from its header without being decoded, so a stray hour-long recording costs no memory.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile

from kokoro_tui.audio.resample import resample
from kokoro_tui.audio.trim import trim_silence
from kokoro_tui.model.config import SAMPLE_RATE

SHORTEST_SECONDS = 0.5
LONGEST_SECONDS = 30.0
UNREAD_BEYOND_SECONDS = 300.0
CLIP_LEVEL = 0.999
CLIP_SHARE = 0.001
SILENT_PEAK_DBFS = -45.0


class Unusable(Exception):
    """A recording training should not take; the message is the reason, one line."""


def read_recording(path: Path) -> np.ndarray:
    """The recording at ``path``, float32 mono at ``SAMPLE_RATE``, edges trimmed; else ``Unusable`` with the reason."""
    try:
        seconds = soundfile.info(str(path)).duration
        if seconds > UNREAD_BEYOND_SECONDS:
            raise Unusable(_too_long(f"{seconds:.1f} s"))
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except soundfile.SoundFileError as error:
        message = error.error_string if isinstance(error, soundfile.LibsndfileError) else str(error)
        raise Unusable(f"unreadable: {' '.join(message.split())}") from error
    _check_level(np.abs(data))
    audio = trim_silence(resample(data.mean(axis=1), rate), SAMPLE_RATE)
    seconds = audio.size / SAMPLE_RATE
    if seconds < SHORTEST_SECONDS:
        raise Unusable(f"too short: {seconds:.2f} s after trimming silence (at least {SHORTEST_SECONDS:g} s)")
    if seconds > LONGEST_SECONDS:
        raise Unusable(_too_long(f"{seconds:.1f} s after trimming silence"))
    return audio


def _check_level(magnitude: np.ndarray) -> None:
    """Silent or clipped, from the absolute samples of every channel at the file's own rate."""
    peak = float(magnitude.max(initial=0.0))
    if peak == 0.0:
        raise Unusable("silent: every sample is zero")
    peak_dbfs = 20.0 * np.log10(peak)
    if peak_dbfs < SILENT_PEAK_DBFS:
        raise Unusable(f"silent: peak {peak_dbfs:.0f} dBFS (at least {SILENT_PEAK_DBFS:.0f} dBFS)")
    share = np.count_nonzero(magnitude >= CLIP_LEVEL) / magnitude.size
    if share > CLIP_SHARE:
        raise Unusable(f"clipped: {share:.2%} of samples at full scale (at most {CLIP_SHARE:.1%})")


def _too_long(length: str) -> str:
    return f"too long: {length} (at most {LONGEST_SECONDS:g} s; fine-tuning cannot take longer utterances)"
