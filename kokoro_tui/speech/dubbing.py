"""Speech timed to subtitle cues: a dub track whose every line starts at its cue's start time.

Each cue is spoken on its own, and its speech is laid on the track from the cue's start (to the sample;
the lead-in silence Kokoro puts before the first word is cut to ``speech.lead_in.KEPT_S``, so the voice
is heard then; the silence after the last word is cut the same way, ``lead_in.trim_tail``, so that it neither
counts against the cue's time nor delays the next cue). It may last until its deadline: the next cue's start, or its own end when that is later
(cues that overlap in the input) or when it is the last cue (nothing after it says how long the picture
goes on, and its end is when its subtitle leaves the screen). Speech that is longer is spoken again,
faster: Kokoro's durations scale about as 1/speed, so the speed that fits is predicted from the first
length, and one more try corrects what rounding left (``FIT_TRIES``). It is never spoken faster than
``max_speedup`` times the speaker's own speed (``dub_speed.DEFAULT_MAX_SPEEDUP``); speech still too long runs past
its deadline, and the cues after it start as soon as it ends, never over it: two voices never overlap.
Cues that overlap in the input are so spoken one after the other. Speech shorter than its slot is not
slowed down; silence fills the rest. The track runs from 0 to the last speech's end or the latest cue end.

Word timestamps come out in track time, their character spans indexing ``DubbedTrack.text`` (the cues'
texts, a line each, markup hidden as ``Pipeline.shown_text`` hides it), ready for ``write_timestamps``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

import numpy as np

from kokoro_tui.errors import NothingToSayError
from kokoro_tui.model.config import SAMPLE_RATE, SAMPLES_PER_FRAME
from kokoro_tui.speech.dub_speed import DEFAULT_MAX_SPEEDUP, check_max_speedup, top_speed
from kokoro_tui.speech.lead_in import trim_lead_in, trim_tail
from kokoro_tui.speech.subtitle_reader import SubtitleCue, clock
from kokoro_tui.speech.types import SpeechChunk, WordTimestamp

# Syntheses of one cue at most: its own speed, the predicted speed that fits, one correction.
FIT_TRIES = 3
# The predicted speed is raised this much more, so that rounding the model's frame durations rarely
# leaves a cue a few samples over its slot (which would cost a third synthesis).
FIT_MARGIN = 1.02
CUE_SEPARATOR = "\n"  # between the cue texts of ``DubbedTrack.text``


class Speaker(Protocol):
    """What dubbing needs of a ``Pipeline``: its own speed, only read (the caller owns the pipeline and may share
    it), its stream at the speed of each try, and the text as subtitles show it."""

    @property
    def speed(self) -> float: ...

    def stream(self, text: str, *, speed: float | None = None) -> Iterator[SpeechChunk]: ...

    def shown_text(self, text: str) -> str: ...


@dataclass(frozen=True, eq=False)
class PlacedCue:
    """One cue's speech on the track: ``audio`` from sample ``start``, spoken at ``speed``, after ``silence``
    samples of quiet since the speech before it. Empty audio: the cue had nothing to say. ``text`` is the cue's
    text as subtitles show it (``Pipeline.shown_text``); ``timestamps`` are in track time."""

    cue: SubtitleCue
    text: str
    start: int
    silence: int
    audio: np.ndarray
    speed: float
    deadline: int  # the sample its speech was to end by
    overlapped: bool  # in the input, it starts before an earlier cue ends
    timestamps: tuple[WordTimestamp, ...]

    @property
    def end(self) -> int:
        return self.start + len(self.audio)

    @property
    def late_s(self) -> float:
        """How much later than its cue time the speech starts."""
        return (self.start - _sample(self.cue.start_s)) / SAMPLE_RATE

    @property
    def overran(self) -> bool:
        return self.end > self.deadline


@dataclass
class DubReport:
    """What a dub had to do to keep time, gathered cue by cue (``add``) and told in ``lines``."""

    base_speed: float
    max_speed: float
    cues: int = 0
    silent: int = 0  # cues with nothing to say
    sped_up: int = 0
    fastest: float = 0.0
    overran: int = 0
    late: int = 0
    latest: PlacedCue | None = None  # the cue that started latest after its time
    overlapped: int = 0

    def add(self, placed: PlacedCue) -> None:
        self.cues += 1
        self.silent += not len(placed.audio)
        if placed.speed > self.base_speed:
            self.sped_up += 1
            self.fastest = max(self.fastest, placed.speed)
        self.overran += placed.overran
        self.overlapped += placed.overlapped
        if placed.late_s > 0:
            self.late += 1
            if self.latest is None or placed.late_s > self.latest.late_s:
                self.latest = placed

    def lines(self) -> list[str]:
        """One line per thing a listener would notice; none when every cue started on time at its own speed."""
        told = []
        if self.sped_up:
            told.append(f"{_cues(self.sped_up)} spoken faster to fit, up to speed {self.fastest:.2f}")
        if self.overran:
            told.append(f"{_cues(self.overran)} overran even at speed {self.max_speed:.2f}")
        if self.overlapped:
            told.append(f"{_cues(self.overlapped)} overlapping an earlier cue in the input, spoken after it")
        if self.latest is not None:
            cue = self.latest.cue
            told.append(f"{_cues(self.late)} started late, at worst by {self.latest.late_s:.2f} s "
                        f"(cue {cue.number} at {clock(cue.start_s)})")
        if self.silent:
            told.append(f"{_cues(self.silent)} had nothing to say and stayed silent")
        return told


@dataclass(frozen=True, eq=False)
class DubbedTrack:
    """A whole dub: float32 mono ``audio`` at ``sample_rate``, each cue as placed, and what it took."""

    sample_rate: ClassVar[int] = SAMPLE_RATE

    audio: np.ndarray
    placed: list[PlacedCue]
    report: DubReport

    @property
    def timestamps(self) -> list[WordTimestamp]:
        return [stamp for placed in self.placed for stamp in placed.timestamps]

    @property
    def text(self) -> str:
        return track_text(placed.text for placed in self.placed)


def _cues(count: int) -> str:
    return f"{count} cue{'' if count == 1 else 's'}"


def _sample(seconds: float) -> int:
    return round(seconds * SAMPLE_RATE)


def track_text(texts: Iterable[str]) -> str:
    """The ``PlacedCue.text`` of each cue, a line each: the text the track's word timestamps index."""
    return CUE_SEPARATOR.join(texts)


class _Placer:
    """Speaks cues one by one where they belong (see the module docstring); ``place`` keeps the state between them."""

    def __init__(self, speaker: Speaker, max_speedup: float) -> None:
        self.speaker = speaker
        self.base = float(speaker.speed)
        self.top = top_speed(self.base, max_speedup)
        self.cursor = 0  # where the last speech ended
        self.chars = 0  # where the next cue's text starts in the track's text
        self.shown_until = 0.0  # the latest end of the cues placed so far, in seconds

    def place(self, cue: SubtitleCue, following: SubtitleCue | None) -> PlacedCue:
        start = max(_sample(cue.start_s), self.cursor)
        deadline = _sample(cue.end_s if following is None else max(following.start_s, cue.end_s))
        try:
            audio, stamps, speed = self._fit(cue.text, deadline - start)
        except NothingToSayError:
            audio, stamps, speed = np.zeros(0, np.float32), [], self.base
        offset_s = start / SAMPLE_RATE
        shown = self.speaker.shown_text(cue.text)
        timestamps = tuple(
            WordTimestamp(s.word, s.start_s + offset_s, s.end_s + offset_s, s.start_char + self.chars,
                          s.end_char + self.chars)
            for s in stamps
        )
        placed = PlacedCue(cue, shown, start, start - self.cursor, audio, speed, deadline,
                           cue.start_s < self.shown_until, timestamps)
        self.cursor = placed.end
        self.shown_until = max(self.shown_until, cue.end_s)
        self.chars += len(shown) + len(CUE_SEPARATOR)
        return placed

    def _fit(self, text: str, available: int) -> tuple[np.ndarray, list[WordTimestamp], float]:
        """The cue's speech at the slowest speed from the base up to ``top`` that fits ``available`` samples
        (``top`` at once when none is left), or at ``top`` when none does."""
        speed = self.base if available > 0 else self.top
        for attempt in range(FIT_TRIES):
            audio, stamps = self._speak(text, speed)
            if len(audio) <= available or speed >= self.top or attempt == FIT_TRIES - 1:
                break
            speed = min(self.top, speed * len(audio) / available * FIT_MARGIN)
        return audio, stamps, speed

    def _speak(self, text: str, speed: float) -> tuple[np.ndarray, list[WordTimestamp]]:
        """``text`` at ``speed``: its audio without the lead-in silence, and its words' times from the audio's start."""
        chunks = list(self.speaker.stream(text, speed=speed))
        if not chunks:
            raise NothingToSayError("nothing speakable in the cue")
        first, cut = chunks[0].audio, 0
        if chunks[0].timestamps:
            bos_frames = round((chunks[0].timestamps[0].start_s - chunks[0].start_s) * SAMPLE_RATE / SAMPLES_PER_FRAME)
            first, cut = trim_lead_in(first, bos_frames)
        audio = trim_tail(np.concatenate([first, *(chunk.audio for chunk in chunks[1:])]).astype(np.float32))
        shift = cut / SAMPLE_RATE
        stamps = [
            WordTimestamp(s.word, s.start_s - shift, s.end_s - shift, s.start_char, s.end_char)
            for chunk in chunks for s in chunk.timestamps
        ]
        return audio, stamps


def place_cues(
    cues: Sequence[SubtitleCue], speaker: Speaker, max_speedup: float = DEFAULT_MAX_SPEEDUP
) -> Iterator[PlacedCue]:
    """Each cue's speech as it is placed, in time order."""
    check_max_speedup(max_speedup)
    placer = _Placer(speaker, max_speedup)
    ordered = sorted(cues, key=lambda cue: cue.start_s)
    for index, cue in enumerate(ordered):
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        yield placer.place(cue, following)


def track_end(cues: Sequence[SubtitleCue], speech_end: int) -> int:
    """The track's length in samples: to the last speech's end, or the latest cue end if later."""
    return max([speech_end, *(_sample(cue.end_s) for cue in cues)])


def write_track(
    cues: Sequence[SubtitleCue], placed: Iterable[PlacedCue], write: Callable[[np.ndarray], None]
) -> Iterator[PlacedCue]:
    """Hand the whole track to ``write`` piece by piece (silence, a cue's speech, ..., the silence to the end),
    yielding each placed cue once its speech is written: a film's track is never held whole."""
    end = 0
    for each in placed:
        write(np.zeros(each.silence, np.float32))
        write(each.audio)
        end = each.end
        yield each
    write(np.zeros(track_end(cues, end) - end, np.float32))


def dub(cues: Sequence[SubtitleCue], speaker: Speaker, max_speedup: float = DEFAULT_MAX_SPEEDUP) -> DubbedTrack:
    """The dub track of ``cues`` spoken by ``speaker`` (a ``Pipeline``), whole, with its report."""
    pieces: list[np.ndarray] = []
    report = DubReport(speaker.speed, top_speed(speaker.speed, max_speedup))
    placed = []
    for each in write_track(cues, place_cues(cues, speaker, max_speedup), pieces.append):
        report.add(each)
        placed.append(each)
    return DubbedTrack(np.concatenate(pieces), placed, report)
