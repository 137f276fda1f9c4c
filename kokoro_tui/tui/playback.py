"""Playing audio when the machine can, and saying why not when it cannot.

Over SSH or in CI there is usually no sound device; the dashboard must then say so and
point at the saved WAV instead of failing. Detection tries, in order: the ``sounddevice``
module with an output device, then a command-line player on PATH whose sound system
answers (``paplay``/``pw-play`` with a running server, ``aplay`` with a sound card,
``afplay`` on macOS). It is slow-ish (it may start PortAudio), so call it from a worker.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Protocol

import numpy as np

from kokoro_tui.model.config import SAMPLE_RATE


class Player(Protocol):
    """Something that plays a WAV without blocking and can be stopped."""

    name: str

    def play(self, audio: np.ndarray, wav_path: Path) -> None: ...

    def stop(self) -> None: ...


class SoundDevicePlayer:
    """Plays the array straight through PortAudio."""

    name = "sounddevice"

    def __init__(self, module: object) -> None:
        self._sd = module

    def play(self, audio: np.ndarray, wav_path: Path) -> None:
        self._sd.play(audio, SAMPLE_RATE)

    def stop(self) -> None:
        self._sd.stop()


class CommandPlayer:
    """Plays the saved WAV file with an external program (one at a time)."""

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.name = Path(command[0]).name
        self._process: subprocess.Popen[bytes] | None = None

    def play(self, audio: np.ndarray, wav_path: Path) -> None:
        self.stop()
        self._process = subprocess.Popen(
            [*self.command, str(wav_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
        self._process = None


def _answers(command: list[str], refusal: str = "") -> bool:
    """True if ``command`` exits 0 within 3 s (and its output does not contain ``refusal``)."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=3)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and not (refusal and refusal in (result.stdout + result.stderr).lower())


def _sounddevice_player() -> SoundDevicePlayer | None:
    try:
        import sounddevice
    except (ImportError, OSError):  # OSError: the module is there but PortAudio is not
        return None
    try:
        sounddevice.query_devices(kind="output")
    except Exception:  # PortAudio raises its own error types when there is no output device
        return None
    return SoundDevicePlayer(sounddevice)


def _command_player() -> CommandPlayer | None:
    pulse = shutil.which("pactl")
    for program, probe in (
        ("paplay", [pulse, "info"] if pulse else None),
        ("pw-play", ["pw-cli", "info", "0"] if shutil.which("pw-cli") else None),
        ("aplay", ["aplay", "-l"]),
        ("afplay", []),
    ):
        path = shutil.which(program)
        if path is None or probe is None:
            continue
        if not probe or _answers(probe, refusal="no soundcards"):
            return CommandPlayer([path, "-q"] if program == "aplay" else [path])
    return None


def find_player() -> tuple[Player | None, str]:
    """An audio player for this machine, or ``None`` with the reason shown to the user."""
    player = _sounddevice_player() or _command_player()
    if player is not None:
        return player, f"playing through {player.name}"
    return None, "no audio output device on this machine"
