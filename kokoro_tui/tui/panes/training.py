"""Training pane: the runs in ``HOME/runs/`` and a live view of the selected run's log.

A worker tails ``log.jsonl`` (``kokoro_tui.training.runlog``), folds the records into a
``RunState`` and posts an immutable snapshot twice a second: step, losses, learning rate,
ETA, the loss curves (thinned to plot resolution) and the new log lines. The UI thread only
copies the snapshot into widgets, so a long log never stalls it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
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


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def _numbers(values: dict[str, float | None]) -> str:
    return "  ".join(f"{name} {value:.4g}" if value is not None else f"{name} —" for name, value in values.items())


def format_record(record: Record) -> str:
    """One log record as one readable line for the tail."""
    if isinstance(record, StepRecord):
        lr = f"{record.lr:.2e}" if record.lr is not None else "—"
        return f"step {record.step} ep {record.epoch}  {_numbers(record.losses)}  lr {lr}"
    if isinstance(record, EvalRecord):
        return f"eval @{record.step}  {_numbers(record.metrics)}"
    if isinstance(record, CheckpointRecord):
        return f"checkpoint @{record.step}  {record.path}"
    if isinstance(record, EndRecord):
        return f"end: {record.status} at step {record.step}  {record.message}".rstrip()
    assert isinstance(record, StartRecord)
    total = record.total_steps if record.total_steps is not None else "?"
    return f"start {record.run}: {total} steps  {record.config}"


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
    progress: float | None
    series: dict[str, tuple[list[int], list[float]]]
    last_eval: str | None
    new_lines: list[str]
    restarted: bool

    @classmethod
    def of(cls, state: RunState, new_lines: list[str], restarted: bool) -> RunSnapshot:
        last = state.last_step
        return cls(
            name=state.name,
            status=state.status,
            step=last.step if last else None,
            total_steps=state.total_steps,
            epoch=last.epoch if last else None,
            losses=dict(last.losses) if last else {},
            lr=last.lr if last else None,
            elapsed_s=last.elapsed_s if last else None,
            eta_s=last.eta_s if last else None,
            progress=state.progress,
            series={name: _thin(points) for name, points in state.loss_history.items()},
            last_eval=format_record(state.evals[-1]) if state.evals else None,
            new_lines=new_lines,
            restarted=restarted,
        )

    def header(self) -> Text:
        step = f"{self.step}" + (f"/{self.total_steps}" if self.total_steps else "") if self.step else "—"
        lr = f"{self.lr:.2e}" if self.lr is not None else "—"
        text = Text()
        text.append(f"{self.name}", style="bold")
        text.append(f"  [{self.status}]  step {step}  epoch {self.epoch if self.epoch is not None else '—'}")
        text.append(f"  lr {lr}\nelapsed {format_duration(self.elapsed_s)}  ETA {format_duration(self.eta_s)}")
        text.append(f"\nlosses  {_numbers(self.losses) or '—'}")
        if self.last_eval:
            text.append(f"\n{self.last_eval}")
        return text


class TrainingPane(Horizontal):
    """Run list on the left; header, progress, loss plot and log tail of the selected run on the right."""

    FOCUS = "#run-list"
    BINDINGS = [Binding("r", "rescan", "Rescan")]

    class RunsListed(Message):
        def __init__(self, names: list[str]) -> None:
            super().__init__()
            self.names = names

    class RunUpdate(Message):
        def __init__(self, snapshot: RunSnapshot) -> None:
            super().__init__()
            self.snapshot = snapshot

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
            yield ProgressBar(total=1.0, show_eta=False, id="run-progress")
            yield PlotextPlot(id="run-plot")
            yield RichLog(id="run-log", max_lines=TAIL_LINES, wrap=False)

    def on_mount(self) -> None:
        self.scan_runs()
        self.set_interval(SCAN_S, self.scan_runs)

    def action_rescan(self) -> None:
        self.scan_runs()

    @background(group="runs-scan")
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
            self.query_one("#run-header", Static).update(f"no runs in {self.app.home.runs}")
            return
        target = highlighted if highlighted in self.runs else self.runs[0]
        options.highlighted = self.runs.index(target)

    @on(OptionList.OptionHighlighted, "#run-list")
    def _run_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        name = event.option.id
        if name and name != self.following:
            self.following = name
            self.query_one("#run-log", RichLog).clear()
            self.follow(self.app.home.runs / name)

    @background(group="run-follow")
    def follow(self, run_dir: Path) -> None:
        worker = get_current_worker()
        tail, state = RunLogTail(run_log_path(run_dir)), RunState(run_dir.name)
        first = True
        while not worker.is_cancelled:
            records = tail.poll()
            if tail.restarted:
                state = RunState(run_dir.name)
            for record in records:
                state.apply(record)
            if records or first or tail.restarted:
                lines = [format_record(record) for record in records[-TAIL_LINES:]]
                self.post_message(self.RunUpdate(RunSnapshot.of(state, lines, tail.restarted)))
                first = False
            time.sleep(POLL_S)

    def on_training_pane_run_update(self, message: RunUpdate) -> None:
        snapshot = message.snapshot
        if snapshot.name != self.following:
            return
        self.query_one("#run-header", Static).update(snapshot.header())
        self.query_one("#run-progress", ProgressBar).update(progress=snapshot.progress or 0.0)
        log = self.query_one("#run-log", RichLog)
        if snapshot.restarted:
            log.clear()
        for line in snapshot.new_lines:
            log.write(line)
        plot = self.query_one("#run-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        for name, (steps, values) in sorted(snapshot.series.items()):
            plt.plot(steps, values, label=name)
        plt.xlabel("step")
        plt.title("losses")
        plot.refresh()
