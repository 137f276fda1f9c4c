"""Training pane: the runs in ``HOME/runs/`` and a live view of the selected run's log.

A worker tails ``log.jsonl`` (``kokoro_tui.training.runlog``), folds the records into a
``RunState`` and posts an immutable snapshot twice a second: step, losses, learning rate,
ETA, step rate, the latest audio sample, the loss curves (thinned to plot resolution) and
the new log lines. The UI thread only copies the snapshot into widgets, so a long log never
stalls it.

Laid out for 80x24: the header's loss line, each name in its curve's colour, is the plot's
legend (a plotext legend would sit on the curves); the latest sample gets a line of its own
(its path cut from the left to fit), the step rate sits beside the progress bar, and the plot
gets the rows that remain.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, ProgressBar, RichLog, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot

from kokoro_tui.training.runlog import (
    CheckpointRecord,
    EndRecord,
    EvalRecord,
    Record,
    RunLogTail,
    RunState,
    SampleRecord,
    StartRecord,
    StepRecord,
    list_runs,
    run_log_path,
)
from kokoro_tui.tui.background import background

POLL_S = 0.5
SCAN_S = 2.0
PLOT_POINTS = 400
TAIL_LINES = 200
#: Rows plotext spends on anything but data: the frame's top and bottom, x ticks, axis labels.
PLOT_FRAME_ROWS = 4
#: Curve colours in order of each loss's first appearance (Okabe-Ito, readable on dark and light).
LOSS_COLOURS: tuple[tuple[int, int, int], ...] = (
    (86, 180, 233),
    (230, 159, 0),
    (0, 158, 115),
    (204, 121, 167),
    (240, 228, 66),
    (213, 94, 0),
    (0, 114, 178),
)
STATUS_STYLES = {"running": "green", "stalled?": "bold yellow", "failed": "bold red", "interrupted": "yellow"}
#: After the sample's path when the log names a file that is not there (yet, or any more).
MISSING_MARK = " (missing)"


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def format_silence(seconds: float) -> str:
    """How long a run has been quiet, in whole minutes (the worker re-posts when this text changes)."""
    minutes = int(seconds // 60)
    if minutes < 90:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} h"
    return f"{minutes / 1440:.1f} days"


def format_rate(steps_per_s: float) -> str:
    """Steps per second, or seconds per step when slower than one a second, three digits either way."""
    value, unit = (steps_per_s, "steps/s") if steps_per_s >= 1 else (1 / steps_per_s, "s/step")
    return f"{value:.{max(0, 2 - math.floor(math.log10(value)))}f} {unit}"


def shorten_path(path: str, width: int) -> str:
    """``path`` in at most ``width`` characters, cut from the left (at a separator if the rest has one):
    the file name, which tells the samples apart, stays."""
    if len(path) <= width:
        return path
    if width < 2:
        return "…"[:width]
    kept = path[len(path) - width + 1 :]
    separator = re.search(r"[/\\]", kept[:-1])
    return "…" + (kept[separator.start() :] if separator else kept)


def _short(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _pairs(values: dict[str, Any]) -> str:
    """``name=value`` pairs, numbers to three significant digits: compact enough for a 58-column tail."""
    return " ".join(f"{name}={_short(value)}" for name, value in values.items())


def format_record(record: Record) -> str:
    """One log record as one short line for the tail; a step puts its lr before the losses so it is never cut."""
    if isinstance(record, StepRecord):
        lr = f"{record.lr:.1e}" if record.lr is not None else "—"
        return f"step {record.step} ep {record.epoch} lr={lr} {_pairs(record.losses)}"
    if isinstance(record, EvalRecord):
        return f"eval @{record.step} {_pairs(record.metrics)}"
    if isinstance(record, CheckpointRecord):
        return f"checkpoint @{record.step} {record.path}"
    if isinstance(record, SampleRecord):
        return f"sample @{record.step} {record.path}"
    if isinstance(record, EndRecord):
        return f"end: {record.status} at step {record.step}  {record.message}".rstrip()
    assert isinstance(record, StartRecord)
    total = record.total_steps if record.total_steps is not None else "?"
    return f"start {record.run}: {total} steps {_pairs(record.config)}".rstrip()


def estimate_eta(step: StepRecord, total_steps: int | None) -> float | None:
    """Seconds left at the run's mean pace so far, for trainers that do not write ``eta_s``."""
    if not total_steps or step.step <= 0 or step.elapsed_s is None:
        return None
    return max(0.0, step.elapsed_s / step.step * (total_steps - step.step))


def nice_ticks(low: float, high: float, most: int, *, integer: bool = False) -> list[float]:
    """At most ``most`` round ticks, 1, 2 or 5 × 10^k apart, from at or below ``low`` to at or above ``high``."""
    most = max(2, most)
    if high <= low:
        pad = 1.0 if integer else abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    power = math.floor(math.log10((high - low) / (most - 1)))
    while True:
        for mantissa in (1, 2, 5):
            step = mantissa * 10.0**power
            if integer and step < 1:
                continue
            first, last = math.floor(low / step), math.ceil(high / step)
            if last - first + 1 <= most:
                return [round(k * step, 12) for k in range(first, last + 1)]
        power += 1


def tick_label(value: float, step: float) -> str:
    """Just the decimals the tick spacing needs; thousands as ``k`` so step numbers stay narrow."""
    if step >= 1000 and value % 1000 == 0 and value:
        return f"{value / 1000:g}k"
    decimals = max(0, -math.floor(math.log10(step)))
    return f"{value:.{decimals}f}"


def top_on_a_row(ticks: list[float], rows: int) -> float:
    """The axis top that puts every tick on a row: each interval spans the same whole number of rows.

    The axis maps its bottom and top to the first and last row; ticks that split those rows
    unevenly would land one row apart here and two rows apart there.
    """
    rows_per_tick = (rows - 1) // (len(ticks) - 1)
    if rows_per_tick < 1:
        return ticks[-1]
    return ticks[0] + (ticks[1] - ticks[0]) * (rows - 1) / rows_per_tick


def _thin(points: list[tuple[int, float]]) -> tuple[list[int], list[float]]:
    stride = max(1, len(points) // PLOT_POINTS)
    kept = points[::stride]
    if kept and kept[-1] != points[-1]:
        kept.append(points[-1])
    return [step for step, _ in kept], [value for _, value in kept]


@dataclass(frozen=True)
class RunSnapshot:
    """Everything the pane draws for a run, copied out of the worker's RunState."""

    name: str
    status: str
    step: int | None
    total_steps: int | None
    epoch: int | None
    losses: dict[str, float | None]
    lr: float | None
    elapsed_s: float | None
    eta_s: float | None
    eta_estimated: bool
    progress: float | None
    series: dict[str, tuple[list[int], list[float]]]
    last_eval: str | None
    new_lines: list[str]
    restarted: bool
    silent_s: float | None = None
    cut_line: bool = False
    bad_lines: int = 0
    steps_per_s: float | None = None
    sample_step: int | None = None
    sample_path: str | None = None
    sample_missing: bool = False

    @classmethod
    def of(cls, state: RunState, new_lines: list[str], tail: RunLogTail, now: float) -> RunSnapshot:
        last = state.last_step
        stalled = state.stalled(now, tail.mtime)
        eta = last.eta_s if last else None
        estimated = last is not None and eta is None and state.status == "running" and not stalled
        if estimated:
            eta = estimate_eta(last, state.total_steps)
        sample = state.sample_path
        return cls(
            name=state.name,
            status="stalled?" if stalled else state.status,
            step=last.step if last else None,
            total_steps=state.total_steps,
            epoch=last.epoch if last else None,
            losses=dict(last.losses) if last else {},
            lr=last.lr if last else None,
            elapsed_s=last.elapsed_s if last else None,
            eta_s=eta,
            eta_estimated=estimated and eta is not None,
            progress=state.progress,
            series={name: _thin(points) for name, points in state.loss_history.items()},
            last_eval=format_record(state.evals[-1]) if state.evals else None,
            new_lines=new_lines,
            restarted=tail.restarted,
            silent_s=state.silent_for(now, tail.mtime) if stalled else None,
            cut_line=tail.partial,
            bad_lines=tail.bad_lines,
            steps_per_s=state.steps_per_s,
            sample_step=state.sample.step if state.sample else None,
            sample_path=str(sample) if sample is not None else None,
            sample_missing=sample is not None and not sample.exists(),
        )

    def header(self) -> Text:
        step = f"{self.step}" + (f"/{self.total_steps}" if self.total_steps else "") if self.step is not None else "—"
        lr = f"{self.lr:.2e}" if self.lr is not None else "—"
        text = Text()
        text.append(f"{self.name}", style="bold")
        text.append(f"  [{self.status}]", style=STATUS_STYLES.get(self.status, ""))
        text.append(f"  step {step}  epoch {self.epoch if self.epoch is not None else '—'}  lr {lr}")
        text.append(f"\n{self.timing()}")
        text.append("\nlosses ")
        text.append_text(self.legend())
        if self.last_eval:
            text.append(f"\n{self.last_eval}")
        return text

    def timing(self) -> str:
        """Elapsed and ETA, or, for a run that went quiet, how long ago it last wrote."""
        parts = [f"elapsed {format_duration(self.elapsed_s)}"]
        if self.silent_s is not None:
            parts.append(f"no record for {format_silence(self.silent_s)}")
            if self.cut_line:
                parts.append("last line cut off")
        else:
            parts.append(f"ETA {format_duration(self.eta_s)}" + (" (estimated)" if self.eta_estimated else ""))
        if self.bad_lines:
            parts.append(f"{self.bad_lines} bad line{'s' if self.bad_lines > 1 else ''} skipped")
        return "  ".join(parts)

    def pace(self) -> str:
        """The step rate beside the progress bar; none for a run gone quiet, whose last pace is no longer news."""
        return format_rate(self.steps_per_s) if self.steps_per_s and self.silent_s is None else ""

    def sample_line(self, width: int) -> Text:
        """The latest sample's step and file in ``width`` columns; the path gives way, from the left."""
        if self.sample_path is None:
            return Text()
        head = f"sample @{self.sample_step} "
        mark = MISSING_MARK if self.sample_missing else ""
        text = Text(head + shorten_path(self.sample_path, width - len(head) - len(mark)))
        text.append(mark, style="yellow")
        return text

    def legend(self) -> Text:
        """Current losses, each name marked in its curve's colour: the plot's legend."""
        if not self.losses:
            return Text("—")
        colours = {name: LOSS_COLOURS[index % len(LOSS_COLOURS)] for index, name in enumerate(self.series)}
        text = Text()
        for name, value in self.losses.items():
            if name in colours:
                text.append("■ ", style="rgb({},{},{})".format(*colours[name]))
            text.append(f"{name} {value:.4g}  " if value is not None else f"{name} —  ")
        text.rstrip()
        return text


def _quiet_signs(state: RunState, tail: RunLogTail, now: float) -> tuple[object, ...]:
    """What can change on screen without a new record: the stall (in shown minutes), a cut or bad line, the
    sample file appearing (a trainer may log it first) or going."""
    silent = state.silent_for(now, tail.mtime) if state.stalled(now, tail.mtime) else None
    sample = state.sample_path
    present = sample.exists() if sample is not None else None
    return (format_silence(silent) if silent is not None else None, tail.partial, tail.bad_lines, present)


class LossPlot(PlotextPlot):
    """The loss curves with a few round ticks and labelled axes, redrawn for the size it has now."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.series: dict[str, tuple[list[int], list[float]]] = {}

    def show(self, series: dict[str, tuple[list[int], list[float]]]) -> None:
        self.series = series
        self.refresh()

    def render(self) -> RenderResult:
        self._draw()
        return super().render()

    def _draw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.xlabel("step")
        plt.ylabel("loss")
        if not self.series:
            return
        for index, (steps, values) in enumerate(self.series.values()):
            plt.plot(steps, values, color=LOSS_COLOURS[index % len(LOSS_COLOURS)])
        all_steps = [step for steps, _ in self.series.values() for step in steps]
        x_ticks = nice_ticks(min(all_steps), max(all_steps), self.size.width // 10, integer=True)
        plt.xlim(x_ticks[0], x_ticks[-1])
        plt.xticks(x_ticks, _labels(x_ticks))
        rows = max(2, self.size.height - PLOT_FRAME_ROWS)
        all_values = [value for _, values in self.series.values() for value in values]
        y_ticks = nice_ticks(min(all_values), max(all_values), rows // 2 + 1)
        plt.ylim(y_ticks[0], top_on_a_row(y_ticks, rows))
        plt.yticks(y_ticks, _labels(y_ticks))


def _labels(ticks: list[float]) -> list[str]:
    return [tick_label(tick, ticks[1] - ticks[0]) for tick in ticks]


class SampleLine(Widget):
    """The latest sample's step and path, cut to the width it has now; hidden while the run has none."""

    DEFAULT_CSS = "SampleLine { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.snapshot: RunSnapshot | None = None
        self.display = False

    def show(self, snapshot: RunSnapshot) -> None:
        self.snapshot = snapshot
        self.display = snapshot.sample_path is not None
        self.refresh()

    def render(self) -> RenderResult:
        return self.snapshot.sample_line(self.size.width) if self.snapshot else Text()


class TailLog(RichLog):
    """The log tail: keeps the last line in view as lines arrive, unless the user has scrolled up to read."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, max_lines=TAIL_LINES, wrap=True, min_width=1, auto_scroll=False)
        self.following = True

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.following = new >= self.max_scroll_y

    def add_lines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)
        self._keep_end()

    def reset(self) -> None:
        self.clear()
        self.following = True

    def on_resize(self, event: Resize) -> None:
        """Lines written while the pane was hidden are laid out only now: scroll to them once they are."""
        self._keep_end()

    def _keep_end(self) -> None:
        if self.following:
            self.scroll_end(animate=False, immediate=False, x_axis=False)


class TrainingPane(Horizontal):
    """Run list on the left; header, latest sample, progress and rate, loss plot and log tail of the selected run."""

    FOCUS = "#run-list"
    #: The step rate sits beside the progress bar, where the bar leaves room (the status lines have none to spare).
    DEFAULT_CSS = """
    #run-progress-row { height: 1; }
    #run-rate { width: 1fr; margin-left: 2; }
    """
    BINDINGS = [Binding("r", "rescan", "Rescan")]

    class RunsListed(Message):
        def __init__(self, names: list[str]) -> None:
            super().__init__()
            self.names = names

    class RunUpdate(Message):
        """``run``: the folder followed, which the log's own run name need not match (a copied run)."""

        def __init__(self, run: str, snapshot: RunSnapshot) -> None:
            super().__init__()
            self.run, self.snapshot = run, snapshot

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__(id="training-pane")
        self.runs: list[str] | None = None  # None until the first scan answers
        self.following: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="runs-side"):
            yield Static("runs (r rescans)", id="runs-title")
            yield OptionList(id="run-list")
        with Vertical(id="run-main"):
            yield Static("no run selected", id="run-header")
            yield SampleLine(id="run-sample")
            with Horizontal(id="run-progress-row"):
                yield ProgressBar(total=1.0, show_eta=False, id="run-progress")
                yield Static("", id="run-rate")
            yield LossPlot(id="run-plot")
            yield TailLog(id="run-log")

    def on_mount(self) -> None:
        self.scan_runs()
        self.set_interval(SCAN_S, self.scan_runs)

    def action_rescan(self) -> None:
        self.scan_runs()

    @background(group="runs-scan", failed=Failed)
    def scan_runs(self) -> None:
        names = [run.name for run in list_runs(self.app.home.runs)]
        self.post_message(self.RunsListed(names))

    def on_training_pane_runs_listed(self, message: RunsListed) -> None:
        if message.names == self.runs:
            return
        self.runs = message.names
        options = self.query_one("#run-list", OptionList)
        highlighted = self.following
        options.clear_options()
        options.add_options([Option(name, id=name) for name in self.runs])
        if not self.runs:
            self._show_header(
                f"no runs in {self.app.home.runs} yet: `kokoro train voice`, `kokoro train model` and `kokoro book` log theirs here"
            )
            return
        target = highlighted if highlighted in self.runs else self.runs[0]
        options.highlighted = self.runs.index(target)

    @on(OptionList.OptionHighlighted, "#run-list")
    def _run_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        name = event.option.id
        if name and name != self.following:
            self.following = name
            self.query_one("#run-log", TailLog).reset()
            self.follow(self.app.home.runs / name)

    @background(group="run-follow", failed=Failed)
    def follow(self, run_dir: Path) -> None:
        """Post a snapshot when records arrive, and when a quiet run's 'stalled' text or its sample file changes."""
        worker = get_current_worker()
        tail, state = RunLogTail(run_log_path(run_dir)), RunState(run_dir.name, run_dir)
        shown: tuple[object, ...] | None = None
        while not worker.is_cancelled:
            records = tail.poll()
            if tail.restarted:
                state = RunState(run_dir.name, run_dir)
            for record in records:
                state.apply(record)
            now = time.time()
            signs = _quiet_signs(state, tail, now)
            if records or tail.restarted or signs != shown:
                lines = [format_record(record) for record in records[-TAIL_LINES:]]
                self.post_message(self.RunUpdate(run_dir.name, RunSnapshot.of(state, lines, tail, now)))
                shown = signs
            time.sleep(POLL_S)

    def _show_header(self, text: str | Text) -> None:
        header = self.query_one("#run-header", Static)
        header.update(text)
        # Under load Textual could lay the header out before its new text landed and keep the old height
        # (a four-line header shown as its first line, for good on a finished run; the hint of an empty
        # runs folder cut to "no runs in"): lay it out once more.
        self.call_after_refresh(header.refresh, layout=True)

    def on_training_pane_failed(self, message: Failed) -> None:
        self._show_header(Text(message.error, style="bold red"))

    def on_training_pane_run_update(self, message: RunUpdate) -> None:
        if message.run != self.following:
            return
        snapshot = message.snapshot
        self._show_header(snapshot.header())
        self.query_one("#run-sample", SampleLine).show(snapshot)
        self.query_one("#run-progress", ProgressBar).update(progress=snapshot.progress or 0.0)
        self.query_one("#run-rate", Static).update(snapshot.pace())
        log = self.query_one("#run-log", TailLog)
        if snapshot.restarted:
            log.reset()
        log.add_lines(snapshot.new_lines)
        self.query_one("#run-plot", LossPlot).show(snapshot.series)
