"""Playing speech while it is being made, and saying why not when the machine cannot.

``find_live_output`` looks once for this machine's sound output; its opener gives a ``LivePlayer``
that plays chunks one after another as they are handed over, while synthesis goes on (`kokoro say
--play`, the dashboard's Speak pane). Over SSH or in CI there is usually no sound device: then the
reason is returned instead of failing. Detection tries, in order: a command the user names in
``KOKORO_PLAYER``, the ``sounddevice`` module with an output device, then a player program on PATH
whose sound system answers (``paplay``/``pw-play`` with a running server, ``aplay`` with a sound
card, ``afplay`` on macOS). It is slow-ish (it may start PortAudio), so the dashboard calls it
from a worker.

Exit statuses, as for any OSError (errors.os_error_exit_code): a player command that cannot be started
because of its path (missing, not executable) is a mistake in the user's setting, exit 2; a player
or sound device that starts and then fails (the player exits non-zero or dies, the device goes away
or will not open) is the machine failing a correct command, exit 1 (PLAYBACK_FAILED_EXIT).
"""

from __future__ import annotations

import os
import queue
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kokoro_tui.errors import KokoroError, os_error_exit_code
from kokoro_tui.model.config import SAMPLE_RATE

if TYPE_CHECKING:  # numpy is imported where audio is handled, so that `kokoro say --help` need not load it
    import numpy as np

#: A command that plays raw audio from its stdin: 16-bit little-endian mono PCM at 24 kHz.
PLAYER_VAR = "KOKORO_PLAYER"
NO_DEVICE = "no audio output device on this machine"
NO_DEVICE_HINT = (
    f"write a file with -o instead, install the sounddevice package (PortAudio), or set {PLAYER_VAR} to a "
    f"command that plays 16-bit {SAMPLE_RATE} Hz mono PCM from its stdin"
)
# Each player's arguments for raw 16-bit mono PCM at SAMPLE_RATE on its stdin.
_RAW_PCM_ARGUMENTS = {
    "paplay": ["--raw", f"--rate={SAMPLE_RATE}", "--channels=1", "--format=s16le"],
    "pw-play": [f"--rate={SAMPLE_RATE}", "--channels=1", "--format=s16", "-"],
    "aplay": ["-q", "-t", "raw", "-f", "S16_LE", "-r", str(SAMPLE_RATE), "-c", "1", "-"],
}
_FILE_PLAYERS = ("afplay",)  # players that read only files: each chunk is played from a WAV of its own
_KEPT_STDERR_BYTES = 4096  # of a piped player's stderr: enough for its last words, whatever it printed before
PLAYBACK_FAILED_EXIT = 1


class LivePlayer:
    """Plays audio as it is handed over, chunk after chunk, while the caller goes on synthesising.

    Chunks wait in a queue and a thread hands them to the output (a PortAudio stream, or a player
    program), whose writes block for as long as the sound takes: synthesis never waits for
    playback, and ``finish`` waits until the last chunk has been heard.
    """

    def __init__(
        self, name: str, emit: Callable[[np.ndarray], None], close: Callable[[], None], abort: Callable[[], None]
    ) -> None:
        self.name = name
        self._emit, self._close, self._abort = emit, close, abort
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue()
        self._failure: BaseException | None = None
        self._ended = False  # closed or aborted: the output is released, once
        self._end_lock = threading.Lock()
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
            raise KokoroError(f"playback through {self.name} stopped: {self._failure}", exit_code=PLAYBACK_FAILED_EXIT)

    def write(self, audio: np.ndarray) -> None:
        """Queue ``audio`` (float, 24 kHz mono) to be played after what is already queued."""
        import numpy as np

        self._check()
        self._queue.put(np.asarray(audio, dtype=np.float32))

    def finish(self) -> None:
        """Wait until everything written has been played, then release the output."""
        self._queue.put(None)
        self._thread.join()
        with self._end_lock:
            if not self._ended:
                self._ended = True
                try:
                    self._close()
                except Exception as failure:
                    self._failure = self._failure or failure
        self._check()

    def finish_later(self) -> None:
        """``finish`` on a thread of its own, for a caller that must not wait (the dashboard's worker).
        A failure from then on has no one to tell and ends the playback silently."""
        threading.Thread(target=self._finish_quietly, name="kokoro-playback-end", daemon=True).start()

    def _finish_quietly(self) -> None:
        try:
            self.finish()
        except KokoroError:
            pass

    def stop(self) -> None:
        """Silence now, dropping what is queued (Ctrl-C, a new text, or a failure elsewhere)."""
        self._failure = self._failure or RuntimeError("stopped")
        with self._end_lock:
            if not self._ended:
                self._ended = True
                self._abort()
        self._queue.put(None)
        self._thread.join(timeout=5)


#: Opens the sound output that ``find_live_output`` found, once per text spoken.
OutputOpener = Callable[[], LivePlayer]


def _keep_tail(stream: IO[bytes], tail: bytearray) -> None:
    """Read ``stream`` to its end, keeping its last bytes in ``tail``: a player whose stderr nobody read
    (ffplay prints its progress there all along) would fill the pipe, stop, and hang the playback."""
    while chunk := stream.read1(_KEPT_STDERR_BYTES):
        tail[:] = (tail + chunk)[-_KEPT_STDERR_BYTES:]


def _piped_player(command: list[str]) -> LivePlayer:
    """A player program fed raw PCM on its stdin; its last word on stderr names a failure."""
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError as error:
        raise KokoroError(f"cannot start the player {command[0]!r}: {error.strerror or error}",
                          hint=f"check {PLAYER_VAR}", exit_code=os_error_exit_code(error)) from None  # fmt: skip
    assert process.stdin is not None and process.stderr is not None
    stdin, tail = process.stdin, bytearray()
    reader = threading.Thread(target=_keep_tail, args=(process.stderr, tail), name="kokoro-player-stderr", daemon=True)
    reader.start()

    def said() -> str:
        """The player's last line on stderr, or its exit status (once it has exited)."""
        reader.join()
        lines = tail.decode(errors="replace").strip().splitlines()
        return lines[-1].strip() if lines else f"exit status {process.returncode}"

    def emit(audio: np.ndarray) -> None:
        from kokoro_tui.speech.audio_io import to_pcm16

        try:
            stdin.write(to_pcm16(audio))
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

    return LivePlayer(Path(command[0]).name, emit, close, process.kill)


def _file_player(program: str) -> LivePlayer:
    """A player program that reads only files: each chunk goes to a WAV of its own, played to its end."""
    import numpy as np
    import soundfile

    folder = tempfile.TemporaryDirectory(prefix="kokoro-play-")
    playing: list[subprocess.Popen[bytes]] = []

    def emit(audio: np.ndarray) -> None:
        from kokoro_tui.speech.audio_io import PCM16, to_pcm16

        path = Path(folder.name) / "chunk.wav"
        soundfile.write(path, np.frombuffer(to_pcm16(audio), dtype=PCM16), SAMPLE_RATE, subtype="PCM_16")
        playing[:] = [subprocess.Popen([program, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        if playing[0].wait() not in (0, -signal.SIGKILL):  # killed: stopped
            raise RuntimeError(f"exit status {playing[0].returncode}")

    def abort() -> None:
        for process in playing:
            process.kill()

    return LivePlayer(Path(program).name, emit, folder.cleanup, abort)


def _sounddevice_module() -> Any | None:
    """The ``sounddevice`` module when it is installed and PortAudio sees an output device."""
    try:
        import sounddevice
    except (ImportError, OSError):  # OSError: the module is there but PortAudio is not
        return None
    try:
        sounddevice.query_devices(kind="output")
    except Exception:  # PortAudio raises its own error types when there is no output device
        return None
    return sounddevice


def _sounddevice_player(module: Any) -> LivePlayer:
    try:
        stream = module.OutputStream(samplerate=SAMPLE_RATE, channels=1, dtype="float32")
        stream.start()
    except Exception as error:  # PortAudio's own errors: a device that lists but does not open at 24 kHz mono
        raise KokoroError(f"cannot open the sound device: {error}", hint=NO_DEVICE_HINT,
                          exit_code=PLAYBACK_FAILED_EXIT) from None  # fmt: skip

    def close() -> None:
        stream.stop()  # returns once the buffers have been played
        stream.close()

    def abort() -> None:
        stream.abort()
        stream.close()

    return LivePlayer("sounddevice", lambda audio: stream.write(audio.reshape(-1, 1)), close, abort)


def _answers(command: list[str], refusal: str = "") -> bool:
    """True if ``command`` exits 0 within 3 s (and its output does not contain ``refusal``)."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=3)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and not (refusal and refusal in (result.stdout + result.stderr).lower())


def _answering_program() -> str | None:
    """The path of the first player program on PATH whose sound system answers (a server runs, a card is there)."""
    pulse = shutil.which("pactl")
    probes = {
        "paplay": [pulse, "info"] if pulse else None,
        "pw-play": ["pw-cli", "info", "0"] if shutil.which("pw-cli") else None,
        "aplay": ["aplay", "-l"],
        "afplay": [],
    }
    for program, probe in probes.items():
        path = shutil.which(program)
        if path is None or probe is None:
            continue
        if not probe or _answers(probe, refusal="no soundcards"):
            return path
    return None


def find_live_output() -> tuple[OutputOpener | None, str]:
    """How to open this machine's sound output, or ``None``; with the line shown to the user either way."""
    try:
        chosen = shlex.split(os.environ.get(PLAYER_VAR, ""))
    except ValueError as error:  # an unclosed quote, a trailing backslash
        return None, f"{PLAYER_VAR} is not a command line: {error}"
    if chosen:
        return (lambda: _piped_player(chosen)), f"playing through {Path(chosen[0]).name}"
    module = _sounddevice_module()
    if module is not None:
        return (lambda: _sounddevice_player(module)), "playing through sounddevice"
    program = _answering_program()
    if program is None:
        return None, NO_DEVICE
    name = Path(program).name
    if name in _FILE_PLAYERS:
        return (lambda: _file_player(program)), f"playing through {name}"
    return (lambda: _piped_player([program, *_RAW_PCM_ARGUMENTS[name]])), f"playing through {name}"

