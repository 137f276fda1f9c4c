"""How much faster than its chosen speed a dub may speak a cue to keep its time (see ``speech.dubbing``).

A module of its own, importing nothing heavy, so that `kokoro dub --help` shows the default without
loading numpy and the pipeline.
"""

from __future__ import annotations

import math

from kokoro_tui.errors import KokoroError

# The fastest a cue is spoken, as a multiple of the chosen speed. Kokoro at 1.0 says about 14 phonemes a
# second; half as fast again is about a fast talker's rate and still clear, while at 2x words run
# together. Beyond this a line is better late than blurred.
DEFAULT_MAX_SPEEDUP = 1.5


def _fastest() -> float:
    from kokoro_tui.speech.pipeline import MAX_SPEED

    return MAX_SPEED


def check_max_speedup(max_speedup: float) -> None:
    """Refuse a speed-up below 1 (it would slow speech down) or past the model's fastest speed."""
    if not (isinstance(max_speedup, (int, float)) and math.isfinite(max_speedup) and 1 <= max_speedup <= _fastest()):
        raise KokoroError(f"a max speed-up of {max_speedup!r} is out of range",
                          hint=f"use 1 (never faster) to {_fastest():g}")


def top_speed(base: float, max_speedup: float) -> float:
    """The fastest a cue is spoken: ``max_speedup`` times the ``base`` speed, within what the model takes."""
    return min(base * max_speedup, _fastest())
