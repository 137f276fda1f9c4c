"""Playing audio when the machine can, and saying why not when it cannot.

Two ways: ``find_player`` plays a finished WAV and can be stopped (the dashboard); ``open_live_player``
plays chunks as they are synthesised, one after another without gaps, while synthesis goes on
(`kokoro say --play`). Over SSH or in CI there is usually no sound device; both then say so
instead of failing. Detection tries, in order: a command the user names in ``KOKORO_PLAYER``
(live playback only), the ``sounddevice`` module with an output device, then a command-line
player on PATH whose sound system answers (``paplay``/``pw-play`` with a running server, ``aplay``
with a sound card, ``afplay`` on macOS for files). It is slow-ish (it may start PortAudio), so the
dashboard calls it from a worker.
"""

from __future__ import annotations

import os
import queue
import shlex
import shutil
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import SAMPLE_RATE

if TYPE_CHECKING:  # numpy is imported where audio is handled, so that `kokoro say --help` need not load it
    import numpy as np

#: A command that plays raw audio from its stdin: 16-bit little-endian mono PCM at 24 kHz.
PLAYER_VAR = "KOKORO_PLAYER"
NO_DEVICE = "no audio output device on this machine"


class Player(Protocol):
    """Something that plays a WAV without blocking and can be stopped."""

    name: str

    def play(self, audio: np.ndarray, wav_path: Path) -> None: ...

    def stop(self) -> None: ...


class SoundDevicePlayer:
    """Plays the array straight through PortAudio."""

    name = "sounddevice"

    def __init__(self, module: Any) -> None:
        self.module = module

    def play(self, audio: np.ndarray, wav_path: Path) -> None:
        self.module.play(audio, SAMPLE_RATE)

    def stop(self) -> None:
        self.module.stop()


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


def _answering_program(programs: tuple[str, ...]) -> str | None:
    """The path of the first of ``programs`` on PATH whose sound system answers (a server runs, a card is there)."""
    pulse = shutil.which("pactl")
    probes = {
        "paplay": [pulse, "info"] if pulse else None,
        "pw-play": ["pw-cli", "info", "0"] if shutil.which("pw-cli") else None,
        "aplay": ["aplay", "-l"],
        "afplay": [],
    }
    for program in programs:
        path, probe = shutil.which(program), probes[program]
        if path is None or probe is None:
            continue
        if not probe or _answers(probe, refusal="no soundcards"):
            return path
    return None


def _command_player() -> CommandPlayer | None:
    path = _answering_program(("paplay", "pw-play", "aplay", "afplay"))
    if path is None:
        return None
    return CommandPlayer([path, "-q"] if Path(path).name == "aplay" else [path])


def find_player() -> tuple[Player | None, str]:
    """An audio player for this machine, or ``None`` with the reason shown to the user."""
    player = _sounddevice_player() or _command_player()
    if player is not None:
        return player, f"playing through {player.name}"
    return None, NO_DEVICE


# Each player's arguments for raw 16-bit mono PCM at SAMPLE_RATE on its stdin (afplay reads only files).
_RAW_PCM_ARGUMENTS = {
    "paplay": ["--raw", f"--rate={SAMPLE_RATE}", "--channels=1", "--format=s16le"],
    "pw-play": [f"--rate={SAMPLE_RATE}", "--channels=1", "--format=s16", "-"],
    "aplay": ["-q", "-t", "raw", "-f", "S16_LE", "-r", str(SAMPLE_RATE), "-c", "1", "-"],
}


class LivePlayer:
    """Plays audio as it is handed over, chunk after chunk without gaps, while the caller goes on synthesising.

    Chunks wait in a queue and a thread hands them to the output (a PortAudio stream, or a player
    program's stdin), whose writes block for as long as the sound takes: synthesis never waits for
    playback, and ``finish`` waits until the last chunk has been heard.
    """

    def __init__(
        self, name: str, emit: Callable[[np.ndarray], None], close: Callable[[], None], abort: Callable[[], None]
    ) -> None:
        self.name = name
        self._emit, self._close, self._abort = emit, close, abort
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="kokoro-playback", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (audio := self._queue.get()) is not None:
            if self._failure is None:
                try:
                    self._emit(audio)
                except Exception as failure:  # the device or the player went away (PortAudio has its own errors)
                    self._failure = failure

    def _check(self) -> None:
        if self._failure is not None:
            raise KokoroError(f"playback through {self.name} stopped: {self._failure}")

    def write(self, audio: np.ndarray) -> None:
        """Queue ``audio`` (float, 24 kHz mono) to be played after what is already queued."""
        import numpy as np

        self._check()
        self._queue.put(np.asarray(audio, dtype=np.float32))

    def finish(self) -> None:
        """Wait until everything written has been played, then release the output."""
        self._queue.put(None)
        self._thread.join()
        try:
            self._close()
        except Exception as failure:
            self._failure = self._failure or failure
        self._check()

    def stop(self) -> None:
        """Silence now, dropping what is queued (Ctrl-C, or a failure elsewhere)."""
        self._failure = self._failure or RuntimeError("stopped")
        self._abort()
        self._queue.put(None)
        self._thread.join(timeout=5)


def _pcm16(audio: np.ndarray) -> bytes:
    import numpy as np

    return (np.clip(audio, -1.0, 1.0) * 32767.0).round().astype("<i2").tobytes()


def _program_live_player(command: list[str]) -> LivePlayer:
    """A player program fed raw PCM on its stdin; what it says on stderr names a failure."""
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError as error:
        raise KokoroError(f"cannot start the player {command[0]!r}: {error.strerror or error}",
                          hint=f"check {PLAYER_VAR}") from None  # fmt: skip
    assert process.stdin is not None and process.stderr is not None
    stdin, stderr = process.stdin, process.stderr

    def said() -> str:
        """The player's last line on stderr, or its exit status."""
        lines = stderr.read().decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else f"exit status {process.returncode}"

    def emit(audio: np.ndarray) -> None:
        try:
            stdin.write(_pcm16(audio))
            stdin.flush()
        except BrokenPipeError:
            process.wait()
            raise RuntimeError(said()) from None

    def close() -> None:
        try:
            stdin.close()
        except BrokenPipeError:
            pass
        if process.wait() != 0:
            raise RuntimeError(said())

    def abort() -> None:
        process.kill()

    return LivePlayer(Path(command[0]).name, emit, close, abort)


def _sounddevice_live_player() -> LivePlayer | None:
    player = _sounddevice_player()
    if player is None:
        return None
    try:
        stream = player.module.OutputStream(samplerate=SAMPLE_RATE, channels=1, dtype="float32")
        stream.start()
    except Exception:  # a device that lists but does not open at 24 kHz mono: try the player programs
        return None

    def close() -> None:
        stream.stop()  # returns once the buffers have been played
        stream.close()

    def abort() -> None:
        stream.abort()
        stream.close()

    return LivePlayer("sounddevice", lambda audio: stream.write(audio.reshape(-1, 1)), close, abort)


def open_live_player() -> LivePlayer:
    """A ``LivePlayer`` on this machine's sound output; ``KokoroError`` naming the ways to get one if there is none."""
    chosen = os.environ.get(PLAYER_VAR, "").strip()
    if chosen:
        return _program_live_player(shlex.split(chosen))
    live = _sounddevice_live_player()
    if live is not None:
        return live
    program = _answering_program(tuple(_RAW_PCM_ARGUMENTS))
    if program is not None:
        return _program_live_player([program, *_RAW_PCM_ARGUMENTS[Path(program).name]])
    raise KokoroError(
        NO_DEVICE,
        hint=f"write a file with -o instead, install the sounddevice package (PortAudio), or set {PLAYER_VAR} to a "
        f"command that plays 16-bit {SAMPLE_RATE} Hz mono PCM from its stdin",
    )
