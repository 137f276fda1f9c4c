"""`kokoro dub`: a subtitle file into one audio track, each cue spoken from its start time (a voice-over to mux
with the video).

The library does the work (``speech.subtitle_reader`` reads the cues, ``speech.dubbing`` places them); here
the input and outputs are checked before the model loads, progress is shown, the track goes through the audio
writers `say -o` uses (atomic files, or stdout), and what keeping time cost is told on stderr at the end.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from kokoro_tui.cli.console import check_stdout, err, progress
from kokoro_tui.cli.options import (
    BackendOption,
    DeviceOption,
    LangOption,
    ModelOption,
    NoMarkupOption,
    PrecisionOption,
    SeedOption,
    SpeedOption,
    VoiceOption,
)
from kokoro_tui.errors import KokoroError
from kokoro_tui.speech.dub_speed import DEFAULT_MAX_SPEEDUP
from kokoro_tui.voices.names import DEFAULT_VOICE

if TYPE_CHECKING:
    import numpy as np

    from kokoro_tui.speech.dubbing import DubReport
    from kokoro_tui.speech.pipeline import Pipeline
    from kokoro_tui.speech.subtitle_reader import SubtitleCue
    from kokoro_tui.speech.types import WordTimestamp


def dub(
    subtitles: Annotated[Path, typer.Argument(help="The subtitle file: .srt, .vtt, .ass or .ssa.", show_default=False)],
    output: Annotated[
        str,
        typer.Option("--output", "-o", help="The audio track, its format by the extension; '-' for stdout (needs a pipe).", show_default=False),
    ],
    audio_format: Annotated[
        Optional[str],
        typer.Option("--format", help="wav, flac, ogg, mp3, opus, m4a or aac (default: from the output extension; wav for stdout).", show_default=False),
    ] = None,
    timestamps: Annotated[
        Optional[Path],
        typer.Option("--timestamps", help="Each word's time as spoken in the track: .json, .srt, .vtt or .ass (karaoke).", show_default=False),
    ] = None,
    max_speedup: Annotated[
        float,
        typer.Option("--max-speedup", help="A cue too long for its time is spoken faster, at most this many times --speed (1: never); past that it runs late and the next cues wait."),
    ] = DEFAULT_MAX_SPEEDUP,
    keep_descriptions: Annotated[
        bool,
        typer.Option("--keep-descriptions", help=r"Also say sound descriptions (\[door slams], (laughs)), music notes and speaker labels (JOHN:), which are left out by default."),
    ] = False,
    voice: VoiceOption = DEFAULT_VOICE,
    lang: LangOption = None,
    speed: SpeedOption = 1.0,
    backend: BackendOption = "torch",
    model: ModelOption = None,
    device: DeviceOption = "auto",
    precision: PrecisionOption = "auto",
    seed: SeedOption = None,
    no_markup: NoMarkupOption = False,
) -> None:
    """Speak a subtitle file (SRT, WebVTT, ASS/SSA) into one audio track, each cue from its start time.

    A cue's speech may last until the next cue starts (the last cue: until it ends); one that is longer is
    spoken faster to fit, up to --max-speedup, and past that runs late, the next cues waiting for it: two
    voices never overlap. Cues that overlap in the file are spoken one after the other. The track lasts to
    the last cue's end, or to the last speech's if that is later. Cue text is read as a viewer sees it
    (styling tags and line breaks gone), inline markup included, without what hearing-impaired subtitles add
    (--keep-descriptions keeps it). What keeping time cost (cues sped up, late, overlapping) is told at the end.
    """
    from kokoro_tui.speech.dub_speed import check_max_speedup
    from kokoro_tui.speech.subtitle_descriptions import dialogue_only
    from kokoro_tui.speech.subtitle_reader import read_subtitle_file

    seen: set[str] = set()

    def warn(message: str) -> None:
        if message not in seen:  # the same skipped word or mismatch, cue after cue, is told once
            seen.add(message)
            err.print(f"warning: {message}", markup=False, highlight=False, soft_wrap=True)

    cues = read_subtitle_file(subtitles, warn)
    if not keep_descriptions:
        cues = dialogue_only(cues)
    check_max_speedup(max_speedup)
    fmt = _check_outputs(subtitles, output, audio_format, timestamps)

    from kokoro_tui.speech.pipeline import Pipeline

    pipeline = Pipeline(
        voice=voice, lang=lang, speed=speed, backend=backend, model=model, device=device, precision=precision,
        seed=seed, markup=not no_markup, on_warning=warn,
    )
    report, seconds, stamps, texts = _speak(cues, pipeline, max_speedup, output, fmt)
    if timestamps is not None:
        from kokoro_tui.speech.dubbing import track_text
        from kokoro_tui.speech.subtitles import write_timestamps

        write_timestamps(timestamps, stamps, track_text(texts))
    _tell(report, "stdout" if output == "-" else output, seconds)


def _check_outputs(subtitles: Path, output: str, audio_format: str | None, timestamps: Path | None) -> str:
    """The track's format, once every output is known to be writable and none is the subtitle file read (a
    ``--timestamps film.srt`` would replace the film's subtitles): now, not after an hour of synthesis."""
    from kokoro_tui.atomic import check_writable
    from kokoro_tui.speech.audio_io import choose_format
    from kokoro_tui.speech.subtitles import check_timestamp_path

    written = [Path(output)] if output != "-" else []
    if timestamps is not None:
        written.append(timestamps)
    for path in written:
        if path.resolve() == subtitles.resolve():
            raise KokoroError(f"{path} is the subtitle file being dubbed", hint="write to another file name")
    fmt = choose_format(output, audio_format)
    if output == "-":
        if sys.stdout.isatty():
            raise KokoroError("refusing to write audio to a terminal", hint="pass -o FILE, or pipe/redirect stdout")
        check_stdout()
    else:
        check_writable(output)
    if timestamps is not None:
        check_timestamp_path(timestamps)
        check_writable(timestamps)
    return fmt


def _speak(
    cues: list[SubtitleCue], pipeline: Pipeline, max_speedup: float, output: str, fmt: str
) -> tuple[DubReport, float, list[WordTimestamp], list[str]]:
    """Place every cue and write the track as it grows; the report, the track's seconds, the words' times and
    the cue texts."""
    from kokoro_tui.model.config import SAMPLE_RATE
    from kokoro_tui.speech.audio_io import BufferedWriter, can_stream, open_file_writer, streaming_writer, write_all
    from kokoro_tui.speech.dub_speed import top_speed
    from kokoro_tui.speech.dubbing import DubReport, place_cues, write_track
    from kokoro_tui.speech.subtitle_reader import clock

    report = DubReport(pipeline.speed, top_speed(pipeline.speed, max_speedup))
    stamps: list[WordTimestamp] = []
    texts: list[str] = []
    samples = 0

    with progress("eta") as bar:
        task = bar.add_task("dubbing", total=len(cues), figures="") if err.is_terminal else None

        def run(write: Callable[[np.ndarray], None]) -> None:
            def counted(audio: np.ndarray) -> None:
                nonlocal samples
                samples += len(audio)
                write(audio)

            for placed in write_track(cues, place_cues(cues, pipeline, max_speedup), counted):
                report.add(placed)
                stamps.extend(placed.timestamps)
                texts.append(placed.text)
                if task is not None:
                    late = f", {report.late} late" if report.late else ""
                    bar.update(task, completed=report.cues, figures=f"cue at {clock(placed.cue.start_s)}{late}")

        if output != "-":
            with open_file_writer(Path(output), fmt) as writer:
                run(writer.write)
        elif can_stream(fmt):
            streaming = streaming_writer(sys.stdout.buffer, fmt)
            run(streaming.write)
            streaming.finish()
        else:
            buffered = BufferedWriter()
            run(buffered.write)
            write_all(sys.stdout.buffer, buffered.encode(fmt))
    return report, samples / SAMPLE_RATE, stamps, texts


def _tell(report: DubReport, name: str, seconds: float) -> None:
    """One line for the track, then one for each thing keeping time cost."""
    from kokoro_tui.speech.subtitle_reader import clock

    err.print(f"wrote {name}: {clock(seconds)} of audio, {report.cues} cues", markup=False, highlight=False,
              soft_wrap=True)
    for line in report.lines():
        err.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("dub")(dub)
