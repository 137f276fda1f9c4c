"""`kokoro say`: speak text into a file or a pipe.

stdout carries only audio (or phonemes with --phonemes, which -o FILE writes instead); progress,
warnings, statistics and errors go to stderr. Audio never goes to a terminal: without -o and with stdout a TTY the
command stops and asks for -o. With --server, a running `kokoro serve` synthesises instead
(cli/server_client.py), and its audio is written here exactly as local audio would be.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Optional

import typer

from kokoro_tui.atomic import atomic_write_text, check_writable
from kokoro_tui.cli.console import check_stdout, err, progress
from kokoro_tui.cli.options import (
    STDIN,
    BackendOption,
    DeviceOption,
    LangOption,
    ModelOption,
    NoMarkupOption,
    PrecisionOption,
    SeedOption,
    SpeedOption,
    TextFileOption,
    VoiceOption,
)
from kokoro_tui.cli.serve import API_KEY_VAR
from kokoro_tui.errors import KokoroError, path_error
from kokoro_tui.speech.playback import PLAYER_VAR, OutputOpener
from kokoro_tui.voices.names import DEFAULT_VOICE

# Options that choose how this process synthesises, or that need its text front end: with --server they
# could only be ignored.
LOCAL_ONLY = ("backend", "model", "device", "precision", "seed", "phonemes", "ipa", "timestamps", "no_markup")
# Options that shape audio: --phonemes speaks nothing, so they could only be ignored.
AUDIO_ONLY = ("audio_format", "stream", "play", "verbose", "timestamps")


def _warn(message: str) -> None:
    err.print(f"warning: {message}", markup=False, highlight=False, soft_wrap=True)


def _subtitle_prose(file: Path) -> str:
    """The cue texts of a subtitle file, in time order, a line each: read as prose, without the cue numbers
    and times that reading the file as text would say aloud, nor sound descriptions and speaker labels
    (``subtitle_descriptions``); `kokoro dub` is what times speech to cues."""
    from kokoro_tui.speech.subtitle_descriptions import dialogue_only
    from kokoro_tui.speech.subtitle_reader import read_subtitle_file

    cues = dialogue_only(read_subtitle_file(file, _warn))
    err.print(f"note: reading the cue texts of {file.name} as prose; `kokoro dub {file.name} -o track.wav` "
              "speaks each at its cue's time", markup=False, highlight=False, soft_wrap=True)
    return "\n".join(cue.text for cue in cues if cue.text)


def read_input(text: str | None, file: Path | None) -> str:
    """TEXT argument, --file, or stdin (TEXT or --file '-', or neither while stdin is not a terminal).

    Bytes that are not UTF-8 are replaced by U+FFFD with one warning counting them. A subtitle file
    (.srt, .vtt, .ass, .ssa) gives its cue texts only (``_subtitle_prose``).
    """
    from kokoro_tui.speech.subtitle_reader import is_subtitle_path
    from kokoro_tui.text.decoding import decode_bytes, replace_invalid

    if file is not None and text not in (None, STDIN):
        raise KokoroError("give the text either as an argument or with --file, not both")
    if file is not None and str(file) != STDIN and is_subtitle_path(file):
        return _subtitle_prose(file)
    if file is not None and str(file) != STDIN:
        try:
            decoded, source = decode_bytes(file.read_bytes()), str(file)
        except OSError as error:
            raise path_error("read", file, error) from None
    elif file is None and text not in (None, STDIN):
        decoded, source = replace_invalid(text), "the argument"
    elif sys.stdin is None:  # started with stdin closed (`<&-`)
        raise KokoroError("no text given, and stdin is closed", hint="pass TEXT or --file PATH")
    elif STDIN in (text, str(file)) or not sys.stdin.isatty():
        try:
            decoded, source = decode_bytes(sys.stdin.buffer.read()), "stdin"
        except OSError as error:  # stdin opened for writing only (`0>file`), a failing terminal
            raise path_error("read", "stdin", error) from None
    else:
        raise KokoroError("no text given", hint="pass TEXT, --file PATH, or pipe text on stdin")
    warning = decoded.warning(source)
    if warning:
        _warn(warning)
    return decoded.text


def _progress(total: int):
    bar = progress("steps")
    return bar, bar.add_task("speaking", total=max(total, 1))


def _given(ctx: typer.Context, names: tuple[str, ...]) -> list[str]:
    """The flags of the options among ``names`` set on the command line (defaults and env vars do not count)."""
    flags = {param.name: max(param.opts, key=len) for param in ctx.command.params}
    return [flags[name] for name in names if ctx.get_parameter_source(name).name == "COMMANDLINE"]


def _check_phoneme_options(ctx: typer.Context, phonemes: bool) -> None:
    given = _given(ctx, AUDIO_ONLY) if phonemes else []
    if given:
        them = "it" if len(given) == 1 else "them"
        raise KokoroError(f"{', '.join(given)} {'is' if len(given) == 1 else 'are'} for audio, and --phonemes "
                          "writes only phonemes", hint=f"drop {them} or --phonemes")


def _write_phonemes(lines: Iterable[str], output: str | None) -> None:
    """Each chunk's phonemes on a line: to stdout as they come, or into the file ``output`` (atomically:
    an interrupted run leaves no half-written file)."""
    if output in (None, "-"):
        for line in lines:
            sys.stdout.write(line + "\n")
        sys.stdout.flush()
        return
    atomic_write_text(output, "".join(line + "\n" for line in lines))


def _check_server_options(ctx: typer.Context, server: str | None) -> None:
    if server is None:
        if _given(ctx, ("api_key",)):
            raise KokoroError("--api-key is the key of a --server", hint="add --server URL, or drop --api-key")
        return
    local = _given(ctx, LOCAL_ONLY)
    if local:
        them = "it" if len(local) == 1 else "them"
        raise KokoroError(f"{', '.join(local)} {'is' if len(local) == 1 else 'are'} for local synthesis, "
                          f"and with --server the server synthesises", hint=f"drop {them} or --server")


def _sound_output(asked: bool) -> OutputOpener:
    """The machine's sound output, found once and before any work: for --play (``asked``), or for no -o and a
    terminal for stdout, where `say` speaks aloud as it does on a desktop. Without one, refuse, saying what to do."""
    from kokoro_tui.speech.playback import NO_DEVICE_HINT, find_live_output

    opener, reason = find_live_output()
    if opener is not None:
        return opener
    if asked:
        raise KokoroError(reason, hint=NO_DEVICE_HINT)
    raise KokoroError("refusing to write audio to a terminal, and there is no sound output here to play it",
                      hint="pass -o FILE, or pipe/redirect stdout")


def say(
    ctx: typer.Context,
    text: Annotated[Optional[str], typer.Argument(help="Text to speak; '-' or absent reads stdin.", show_default=False)] = None,
    file: TextFileOption = None,
    output: Annotated[
        Optional[str], typer.Option("--output", "-o", help="Output file, or '-' for stdout (needs a pipe).")
    ] = None,
    voice: VoiceOption = DEFAULT_VOICE,
    lang: LangOption = None,
    speed: SpeedOption = 1.0,
    audio_format: Annotated[
        Optional[str],
        typer.Option(
            "--format",
            help="wav, flac, ogg, mp3, opus, m4a or aac (default: from the output extension; wav for stdout or a name without one).",
        ),
    ] = None,
    stream: Annotated[
        bool, typer.Option("--stream", help="To stdout: send each chunk as soon as it is ready (files always are).")
    ] = False,
    play: Annotated[
        bool,
        typer.Option("--play", help=f"Play through the speakers as each chunk is ready; with -o, also write the file (env {PLAYER_VAR}: your own player command)."),
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", help="Time to first audio and real-time factor on stderr.")] = False,
    timestamps: Annotated[
        Optional[Path], typer.Option("--timestamps", help="Word timestamps file: .json, .srt, .vtt or .ass (karaoke).")
    ] = None,
    phonemes: Annotated[
        bool, typer.Option("--phonemes", help="Print the phonemes only, one line per chunk (with -o FILE: into it).")
    ] = False,
    ipa: Annotated[
        bool, typer.Option("--ipa", help="The input is already phonemes, a chunk a line as `kokoro phonemize` prints them.")
    ] = False,
    no_markup: NoMarkupOption = False,
    server: Annotated[
        Optional[str],
        typer.Option("--server", help="Have a running `kokoro serve` at this URL synthesise (e.g. http://127.0.0.1:8880): no model is loaded here.", show_default=False),
    ] = None,
    api_key: Annotated[
        Optional[str],
        typer.Option("--api-key", envvar=API_KEY_VAR, help="The --server's API key, if it wants one.", show_default=False),
    ] = None,
    backend: BackendOption = "torch",
    model: ModelOption = None,
    device: DeviceOption = "auto",
    precision: PrecisionOption = "auto",
    seed: SeedOption = None,
) -> None:
    """Speak TEXT (or --file, or stdin) into an audio file (WAV, MP3, Opus...), a pipe, or the speakers (--play)."""
    from kokoro_tui.backends.registry import backend_spec

    _check_server_options(ctx, server)
    _check_phoneme_options(ctx, phonemes)
    _say(text, file, output, voice, lang, speed, audio_format, stream, play, verbose, timestamps, phonemes, ipa,
         None if server else backend_spec(backend, model), device, precision, seed, server, api_key, not no_markup)


def _say(
    text: str | None,
    file: Path | None,
    output: str | None,
    voice: str,
    lang: str | None,
    speed: float,
    audio_format: str | None,
    stream: bool,
    play: bool,
    verbose: bool,
    timestamps: Path | None,
    phonemes: bool,
    ipa: bool,
    backend: str | None,
    device: str,
    precision: str,
    seed: int | None,
    server: str | None,
    api_key: str | None,
    markup: bool,
) -> None:
    from kokoro_tui.speech.audio_io import (
        BufferedWriter,
        can_stream,
        choose_format,
        open_file_writer,
        streaming_writer,
        write_all,
    )
    from kokoro_tui.speech.subtitles import check_timestamp_path, write_timestamps

    started = time.perf_counter()
    source = read_input(text, file)
    if phonemes and output not in (None, "-"):
        check_writable(output)  # now, not after the text front end has read a long text
    speakers = None
    if not phonemes and (play or (output is None and sys.stdout.isatty())):
        speakers, play = _sound_output(asked=play), True
    if server is not None:
        from kokoro_tui.cli.server_client import ServerSpeech

        remote = ServerSpeech(server, voice=voice, speed=speed, lang=lang, api_key=api_key)
        chunks = functools.partial(remote.stream, source)
    else:
        from kokoro_tui.speech.pipeline import FIRST_CHUNK_TOKENS, Pipeline

        pipeline = Pipeline(
            voice=voice, lang=lang, speed=speed, backend=backend, device=device, precision=precision, seed=seed,
            first_chunk_tokens=FIRST_CHUNK_TOKENS if stream or play else None, markup=markup, parallel_load=not ipa,
            on_warning=lambda message: err.print(f"warning: {message}", markup=False, highlight=False, soft_wrap=True),
        )
        chunks = functools.partial(pipeline.stream, source, is_phonemes=ipa)
    if phonemes:
        _write_phonemes((chunk.phonemes for chunk in pipeline.text_chunks(source, is_phonemes=ipa)), output)
        return

    to_file = output not in (None, "-")
    to_stdout = output == "-" or (output is None and not play)
    if to_stdout and sys.stdout.isatty():
        raise KokoroError("refusing to write audio to a terminal", hint="pass -o FILE, or pipe/redirect stdout")
    if to_stdout:
        check_stdout()
    fmt = choose_format(output, audio_format)
    if to_stdout and stream and not can_stream(fmt):
        raise KokoroError(
            f"--stream cannot send {fmt} to stdout: its writer goes back to patch the file",
            hint="stream wav, mp3, opus or aac, drop --stream, or use -o FILE",
        )
    if timestamps is not None:
        check_timestamp_path(timestamps)
    for path in (output if to_file else None, timestamps):
        if path is not None:
            check_writable(path)  # now, not after minutes of synthesis

    all_stamps = []
    audio_seconds = 0.0
    first_audio_at: float | None = None
    show_progress = err.is_terminal and server is None  # the server's audio carries no place in the text
    bar, task = _progress(len(source)) if show_progress else (None, None)

    player = speakers() if speakers is not None else None

    def speak(writer) -> None:
        nonlocal audio_seconds, first_audio_at
        for chunk in chunks():
            if writer is not None:
                writer.write(chunk.audio)
            if player is not None:
                player.write(chunk.audio)
            if first_audio_at is None:
                first_audio_at = time.perf_counter()
            audio_seconds += chunk.duration_s
            all_stamps.extend(chunk.timestamps)
            if bar is not None and chunk.timestamps:
                bar.update(task, completed=chunk.timestamps[-1].end_char)
        if bar is not None:  # the text's closing punctuation or markup has no word to time
            bar.update(task, completed=len(source))

    try:
        if to_file:
            with open_file_writer(Path(output), fmt) as writer:
                speak(writer)
        elif not to_stdout:  # --play alone
            speak(None)
        elif stream:
            streaming = streaming_writer(sys.stdout.buffer, fmt)
            speak(streaming)
            streaming.finish()
        else:
            buffered = BufferedWriter()
            speak(buffered)
            write_all(sys.stdout.buffer, buffered.encode(fmt))
        if player is not None:
            player.finish()  # until the last chunk has been heard
    except BaseException:
        if player is not None:
            player.stop()
        raise
    finally:
        if bar is not None:
            bar.stop()

    if timestamps is not None:
        write_timestamps(timestamps, all_stamps, pipeline.shown_text(source, is_phonemes=ipa))
    if not verbose:
        return
    total = time.perf_counter() - started
    first = (first_audio_at or started) - started
    if server is not None:
        err.print(f"time to first audio {first:.2f} s; {audio_seconds:.2f} s of audio in {total:.2f} s "
                  f"({audio_seconds / total:.2f}x real time) from {remote.url}", soft_wrap=True)
        return
    synth = max(total - pipeline.load_seconds, 1e-9)
    rtf = synth / audio_seconds if audio_seconds else float("nan")
    err.print(
        f"time to first audio {first:.2f} s (loading text front end, voice and model {pipeline.load_seconds:.2f} s); "
        f"{audio_seconds:.2f} s of audio in {total:.2f} s; real-time factor {rtf:.3f} "
        f"after loading ({1 / rtf:.2f}x real time), backend {backend}",
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    app.command("say")(say)
