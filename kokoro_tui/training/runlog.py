"""The training run log: one JSON object per line in ``HOME/runs/<run>/log.jsonl``.

Training writes it, the dashboard and scripts read it while it grows. The format is
documented in ``docs/run-log.md``; this module is its single implementation:

- every line carries ``"v"`` (schema version) and ``"kind"``;
- the writer appends whole lines with a single unbuffered ``write`` on an ``O_APPEND``
  descriptor, so a reader never sees two records interleaved;
- the reader tails incrementally by byte offset and keeps a half-written last line
  until its newline arrives, so it can follow a run that is being written right now.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections import deque
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Union

from kokoro_tui.training.runlog_fields import checked_fields

SCHEMA_VERSION = 1
LOG_NAME = "log.jsonl"
#: A run without an end record that has written nothing for this long is presumed dead. Ten
#: minutes is longer than a checkpoint save or a validation pass takes on a typical run, yet
#: short enough that a crashed run is noticed soon.
STALL_AFTER_S = 600.0
#: ... unless the run itself has already gone quiet for long stretches (slow steps logged every
#: N, long evaluations): then it counts as stalled only after this many times its longest gap.
STALL_GAP_FACTOR = 3.0
#: The step rate is measured over about this much of the run's own clock (``elapsed_s``): long
#: enough to smooth per-step jitter and logging every N steps, short enough to follow a change of pace.
RATE_WINDOW_S = 60.0


@dataclass(frozen=True)
class StartRecord:
    """The run's configuration, written once before the first step."""

    run: str
    config: dict[str, Any] = field(default_factory=dict)
    total_steps: int | None = None
    time: float = 0.0
    kind = "start"


@dataclass(frozen=True)
class StepRecord:
    """One optimisation step: losses by name, learning rate, and timing."""

    step: int
    epoch: int
    losses: dict[str, float]
    lr: float
    elapsed_s: float
    eta_s: float | None = None
    time: float = 0.0
    kind = "step"


@dataclass(frozen=True)
class EvalRecord:
    """Validation metrics measured at a step."""

    step: int
    metrics: dict[str, float]
    time: float = 0.0
    kind = "eval"


@dataclass(frozen=True)
class CheckpointRecord:
    """A checkpoint (or trained voice) saved at a step; ``path`` is relative to the run dir or absolute."""

    step: int
    path: str
    time: float = 0.0
    kind = "checkpoint"


@dataclass(frozen=True)
class SampleRecord:
    """An audio sample written at a step, to listen to progress; ``path`` is relative to the run dir or absolute."""

    step: int
    path: str
    text: str = ""
    time: float = 0.0
    kind = "sample"


@dataclass(frozen=True)
class EndRecord:
    """The run finished: ``status`` is completed, failed or interrupted."""

    status: str
    step: int
    message: str = ""
    time: float = 0.0
    kind = "end"


Record = Union[StartRecord, StepRecord, EvalRecord, CheckpointRecord, SampleRecord, EndRecord]
RECORD_TYPES: dict[str, type] = {
    cls.kind: cls for cls in (StartRecord, StepRecord, EvalRecord, CheckpointRecord, SampleRecord, EndRecord)
}


class RunLogFormatError(ValueError):
    """A complete line that is not a valid record (bad JSON, unknown field, a field of the wrong type
    (``runlog_fields``), newer schema)."""


def _clean_number(value: float | None) -> float | None:
    """JSON has no NaN/inf; a diverged loss is written as null rather than breaking every reader."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def encode_record(record: Record) -> str:
    """One record as one JSON line (with the trailing newline)."""
    payload: dict[str, Any] = {"v": SCHEMA_VERSION, "kind": record.kind}
    for key, value in asdict(record).items():
        if isinstance(value, float):
            value = _clean_number(value)
        elif key in ("losses", "metrics"):
            value = {name: _clean_number(number) for name, number in value.items()}
        payload[key] = value
    return json.dumps(payload, separators=(",", ":"), allow_nan=False) + "\n"


def decode_record(line: str) -> Record | None:
    """Parse one complete line; ``None`` for a record kind this version does not know (forward compatible)."""
    try:
        payload = json.loads(line)
    except json.JSONDecodeError as error:
        raise RunLogFormatError(f"not JSON: {error.msg}") from error
    if not isinstance(payload, dict):
        raise RunLogFormatError("a record must be a JSON object")
    version = payload.pop("v", None)
    if not isinstance(version, int) or version < 1:
        raise RunLogFormatError("missing or invalid schema version 'v'")
    if version > SCHEMA_VERSION:
        raise RunLogFormatError(f"schema version {version} is newer than this reader ({SCHEMA_VERSION})")
    cls = RECORD_TYPES.get(payload.pop("kind", None))
    if cls is None:
        return None
    try:
        record = cls(**payload)
        return replace(record, **checked_fields(cls.kind, asdict(record)))
    except (TypeError, ValueError) as error:
        raise RunLogFormatError(f"bad {cls.kind} record: {error}") from error


def _ends_mid_line(path: Path) -> bool:
    """The file's last byte is not a newline: an earlier writer died in the middle of a record."""
    with open(path, "rb") as handle:
        if handle.seek(0, os.SEEK_END) == 0:
            return False
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) != b"\n"


class RunLogWriter:
    """Appends records to a run log; each record is one ``write`` of one whole line.

    Opened with ``O_APPEND`` and no user-space buffer, so every record is on disk (in the
    page cache) when ``write`` returns: a reader polling the file sees it at once.
    ``fsync`` additionally forces it to stable storage (used for start, checkpoint, end).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        if _ends_mid_line(self.path):
            os.write(self._fd, b"\n")  # end a line cut off by a killed writer, so it is not glued to our first record

    def write(self, record: Record, *, fsync: bool | None = None) -> None:
        if not record.time:
            record = replace(record, time=time.time())
        data = memoryview(encode_record(record).encode("utf-8"))
        while data:
            written = os.write(self._fd, data)
            data = data[written:]
        if fsync if fsync is not None else record.kind != "step":
            os.fsync(self._fd)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> RunLogWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RunLogTail:
    """Follows a growing run log: each ``poll()`` returns the records completed since the last one.

    A last line without its newline is kept back until it is finished. If the file shrinks
    (the run was restarted and its log replaced) the tail starts over and ``poll`` sets
    ``restarted``. Complete lines that do not parse are counted in ``bad_lines`` and skipped.
    ``mtime`` is the file's modification time at the last poll (when it was last written to).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.offset = 0
        self.bad_lines = 0
        self.restarted = False
        self.mtime: float | None = None
        self._pending = b""

    @property
    def partial(self) -> bool:
        """A last line is waiting for its newline: normal for a moment, a cut-off record if the writer died."""
        return bool(self._pending)

    def poll(self) -> list[Record]:
        self.restarted = False
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return []
        size, self.mtime = stat.st_size, stat.st_mtime
        if size < self.offset:
            self.offset, self._pending, self.restarted = 0, b"", True
        if size == self.offset:
            return []
        with open(self.path, "rb") as handle:
            handle.seek(self.offset)
            chunk = handle.read(size - self.offset)
        self.offset += len(chunk)
        *lines, self._pending = (self._pending + chunk).split(b"\n")
        records: list[Record] = []
        for raw in lines:
            if not raw.strip():
                continue
            try:
                record = decode_record(raw.decode("utf-8"))
            except (RunLogFormatError, UnicodeDecodeError):
                self.bad_lines += 1
                continue
            if record is not None:
                records.append(record)
        return records


def read_run_log(path: str | os.PathLike[str]) -> list[Record]:
    """Every complete record in a log (a half-written last line is ignored)."""
    return RunLogTail(path).poll()


@dataclass
class RunState:
    """What a run looks like after folding its records: the view the dashboard draws.

    ``run_dir``, when given, is what relative paths in the log (samples) are resolved against.
    """

    name: str
    run_dir: Path | None = None
    config: dict[str, Any] = field(default_factory=dict)
    total_steps: int | None = None
    started: float | None = None
    last_step: StepRecord | None = None
    loss_history: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    evals: list[EvalRecord] = field(default_factory=list)
    checkpoints: list[CheckpointRecord] = field(default_factory=list)
    sample: SampleRecord | None = None
    end: EndRecord | None = None
    last_time: float | None = None
    longest_gap_s: float = 0.0
    #: (step, elapsed_s) of the step records in the rate window, oldest first
    _pace: deque[tuple[int, float]] = field(default_factory=deque, init=False, repr=False, compare=False)

    @property
    def status(self) -> str:
        if self.end is not None:
            return self.end.status
        return "running" if self.started is not None or self.last_step is not None else "empty"

    @property
    def stall_after_s(self) -> float:
        """Silence after which a running run is presumed dead: STALL_AFTER_S, or longer for a run that is slow by habit."""
        return max(STALL_AFTER_S, STALL_GAP_FACTOR * self.longest_gap_s)

    def silent_for(self, now: float, last_write: float | None = None) -> float | None:
        """Seconds since the last sign of life: the newest record's time or ``last_write`` (the file's mtime)."""
        times = [t for t in (self.last_time, last_write) if t is not None]
        return max(0.0, now - max(times)) if times else None

    def stalled(self, now: float, last_write: float | None = None) -> bool:
        """No end record and quiet for longer than ``stall_after_s``: killed without a chance to say so."""
        silent = self.silent_for(now, last_write)
        return self.status == "running" and silent is not None and silent > self.stall_after_s

    @property
    def progress(self) -> float | None:
        """Fraction of steps done, when the run declared its total."""
        if not self.total_steps or self.last_step is None:
            return None
        return min(1.0, self.last_step.step / self.total_steps)

    @property
    def sample_path(self) -> Path | None:
        """The latest sample's file: its logged path, resolved against ``run_dir`` when relative."""
        if self.sample is None:
            return None
        return self.run_dir / self.sample.path if self.run_dir is not None else Path(self.sample.path)

    @property
    def steps_per_s(self) -> float | None:
        """Steps per second over the last ``RATE_WINDOW_S`` of the run's clock; ``None`` before two step records.

        Not ``step / elapsed_s`` since the start: that mean carries the start-up (model loading,
        warm-up) for the whole run, lags behind a change of pace, and is meaningless after a resume,
        whose clock starts again at 0 while the step count goes on.
        """
        if len(self._pace) < 2:
            return None
        (first_step, first_s), (last_step, last_s) = self._pace[0], self._pace[-1]
        return (last_step - first_step) / (last_s - first_s)

    def apply(self, record: Record) -> None:
        self._note_time(record.time)
        if isinstance(record, StartRecord):
            self.longest_gap_s = 0.0  # a (re)start: the silence before it was downtime, not the run's pace
            self.name = record.run or self.name
            self.config, self.total_steps, self.started = record.config, record.total_steps, record.time
            self._pace.clear()
        elif isinstance(record, StepRecord):
            self.last_step = record
            self._note_pace(record)
            for loss, value in record.losses.items():
                if value is not None:
                    self.loss_history.setdefault(loss, []).append((record.step, value))
        elif isinstance(record, EvalRecord):
            self.evals.append(record)
        elif isinstance(record, CheckpointRecord):
            self.checkpoints.append(record)
        elif isinstance(record, SampleRecord):
            self.sample = record
        elif isinstance(record, EndRecord):
            self.end = record

    def _note_pace(self, step: StepRecord) -> None:
        """Add ``step`` to the rate window and drop the points before the newest one ``RATE_WINDOW_S`` older than it."""
        if step.elapsed_s is None:
            return
        pace = self._pace
        if pace and (step.step <= pace[-1][0] or step.elapsed_s <= pace[-1][1]):
            pace.clear()  # a resumed or restarted process: its clock or its step count went back
        pace.append((step.step, step.elapsed_s))
        while len(pace) > 2 and step.elapsed_s - pace[1][1] >= RATE_WINDOW_S:
            pace.popleft()

    def _note_time(self, stamp: float) -> None:
        """Track the newest record time and the longest silence between records, for ``stalled``."""
        if not stamp:
            return
        if self.last_time is not None:
            self.longest_gap_s = max(self.longest_gap_s, stamp - self.last_time)
        self.last_time = max(stamp, self.last_time or stamp)


def run_log_path(run_dir: str | os.PathLike[str]) -> Path:
    return Path(run_dir) / LOG_NAME


def list_runs(runs_dir: str | os.PathLike[str]) -> list[Path]:
    """Run directories (those holding a ``log.jsonl``), most recently written first."""
    root = Path(runs_dir)
    if not root.is_dir():
        return []
    runs = [child for child in root.iterdir() if run_log_path(child).is_file()]
    return sorted(runs, key=lambda run: (-run_log_path(run).stat().st_mtime, run.name))


def link_run(runs_dir: str | os.PathLike[str], name: str, run_dir: str | os.PathLike[str]) -> Path:
    """List a run that lives elsewhere (a fine-tuning ``--output``, a book's work folder) in ``runs_dir``
    by a symlink named ``name``, so the dashboard finds it; a link of that name to another place is
    replaced, a real folder of that name left alone. Returns where the dashboard sees the run."""
    runs, target = Path(runs_dir), Path(run_dir).resolve()
    if runs.resolve() in target.parents:
        return target
    runs.mkdir(parents=True, exist_ok=True)
    link = runs / name
    if link.is_symlink() and link.resolve() != target:
        link.unlink()
    if not link.is_symlink() and not link.exists():
        link.symlink_to(target, target_is_directory=True)
    return link
