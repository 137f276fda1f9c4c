"""Analysis pane: the key figures of ``kokoro analyze voices`` and its full text report.

Every number comes from ``kokoro_tui.analysis.voices.analyze_voices`` and the report text
from ``kokoro_tui.analysis.render.summary``; this pane only lays them out. The analysis (PCA, t-SNE,
permutation tests) takes seconds, so it runs in a worker the first time the pane is shown. A
damaged voice file is left out of the analysis and named under the key figures, with its fix.
"""

from __future__ import annotations

import re
import textwrap
from functools import partial
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Resize
from textual.message import Message
from textual.widgets import Static, TextArea

from kokoro_tui.errors import KokoroError
from kokoro_tui.tui.background import background, post_if_current
from kokoro_tui.tui.catalog import DamagedVoice
from kokoro_tui.tui.damaged import DamagedNote

TOP_SHOWN = 5
#: A key figure the voices cannot give (gender among female voices only).
UNMEASURED = "—"
#: Narrower than this, wrapping would make the report worse than scrolling it sideways.
MIN_WRAP = 30
#: A leading label followed by two or more spaces ("decoder  0 (0.11), …", "  gender    PC5: …").
LABEL = re.compile(r" *\S+(?: \S+)* {2,}(?=\S)")


def key_figures(analysis: Any) -> Table:
    """Per view: variance of the first PCs, components for 80/90/95 %, the PCs that carry gender and language."""
    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
    table.add_column("view")
    for k in (1, 2, 3):
        table.add_column(f"PC{k}", justify="right")
    table.add_column("n 80/90/95%", justify="right")
    table.add_column("gender", justify="left")
    table.add_column("language", justify="left")
    for view, result in analysis.pca.items():
        ratios = [f"{100 * r:.1f}%" for r in result.explained_ratio[:3]]
        ratios += ["—"] * (3 - len(ratios))
        needed = "/".join(str(n) for n in result.components_needed.values())
        separation = analysis.separation[view]
        gender, language = separation.best_gender, separation.best_language
        table.add_row(
            view,
            *ratios,
            needed,
            # A factor the voices do not vary (one gender, custom names only) has no PC that carries it.
            f"PC{gender.component} |r| {abs(gender.gender_r):.2f}" if separation.gender_measured else UNMEASURED,
            f"PC{language.component} η² {language.language_eta2:.2f}" if separation.language_measured else UNMEASURED,
        )
    return table


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def summary_lines(analysis: Any) -> Text:
    """Length variation, group spread, top dims and inter-layer correlation in four lines."""
    length = analysis.length
    centroids = analysis.centroids
    far = max(centroids.groups, key=lambda g: centroids.distance_to_overall[g])
    dims = analysis.dimensions.top
    pair = analysis.interlayer.top_pairs[0] if analysis.interlayer.top_pairs else None
    text = Text()
    text.append(f"{_count(len(analysis.voices), 'voice')}, {_count(len(centroids.groups), 'group')}.  ")
    text.append(
        "rows vs voices (std ratio): "
        + ", ".join(f"{half} {result.ratio:.2f}" for half, result in length.items())
        + "\n"
    )
    if len(centroids.groups) > 1:  # one group is the overall centroid itself
        text.append(f"farthest group from the overall centroid: {far} ({centroids.distance_to_overall[far]:.3f})\n")
    text.append(
        "most variable dims: "
        + "; ".join(f"{half} {', '.join(str(d) for d in top[:TOP_SHOWN])}" for half, top in dims.items())
        + "\n"
    )
    if pair is not None:
        text.append(
            f"strongest decoder–prosody pair: {pair.decoder_dim}–{pair.prosody_dim} r {pair.r:+.2f} "
            f"(chance level {analysis.interlayer.null_max_abs_r:.2f})"
        )
    return text


def hanging_indent(line: str, width: int) -> int:
    """Where a wrapped line goes on: under the text after its label, two past an indent, or flush for prose."""
    label = LABEL.match(line)
    if label and label.end() <= width // 2:
        return label.end()
    leading = len(line) - len(line.lstrip(" "))
    return leading + 2 if leading else 0


def _is_prose(line: str) -> bool:
    return bool(line) and not line[0].isspace() and not LABEL.match(line)


def join_paragraphs(lines: list[str], width: int) -> list[str]:
    """Rejoin prose the report broke at its own, wider width, so it can be wrapped again as one paragraph.

    A prose line too wide for ``width`` that ends mid-sentence continues on the next prose line.
    """
    joined: list[str] = []
    continues = False
    for line in lines:
        if continues and _is_prose(line):
            joined[-1] += " " + line
        else:
            joined.append(line)
        continues = _is_prose(line) and len(line) > width and not line.endswith((".", ":"))
    return joined


def wrap_report(report: str, width: int) -> str:
    """Wrap only what is wider than ``width``: paragraphs flush, labelled and indented lines with hanging indents."""
    lines = []
    for line in join_paragraphs(report.splitlines(), width):
        if len(line) <= width:
            lines.append(line)
            continue
        indent = " " * hanging_indent(line, width)
        lines += textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False)
    return "\n".join(lines)


class ReportView(TextArea):
    """The text report, re-wrapped whenever the view's width changes, so no line runs off the right edge."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, read_only=True, show_line_numbers=False, soft_wrap=False)
        self.report = ""

    def show_report(self, report: str) -> None:
        self.report = report
        self._rewrap()

    def on_resize(self, event: Resize) -> None:
        self._rewrap()

    def _rewrap(self) -> None:
        width = self.scrollable_content_region.width - 1  # the cursor's cell after the longest line
        self.load_text(wrap_report(self.report, width) if width >= MIN_WRAP else self.report)


class AnalysisPane(Vertical):
    """Key figures on top, the whole report below (scroll with the arrow keys)."""

    FOCUS = "#analysis-report"
    BINDINGS = [Binding("a", "recompute", "Re-run")]

    class Ready(Message):
        def __init__(
            self, analysis: Any, report: str | None, damaged: tuple[DamagedVoice, ...], error: str | None = None
        ) -> None:
            super().__init__()
            self.analysis, self.report, self.damaged, self.error = analysis, report, damaged, error

    def __init__(self) -> None:
        super().__init__(id="analysis-pane")
        self._started = False

    def compose(self) -> ComposeResult:
        yield Static("analysing voices…", id="analysis-figures")
        yield DamagedNote(id="analysis-damaged")
        yield Static("", id="analysis-summary")
        yield ReportView(id="analysis-report")

    def on_show(self) -> None:
        if not self._started:
            self._started = True
            self.compute()

    def action_recompute(self) -> None:
        self.app.catalog.refresh()
        self.query_one("#analysis-figures", Static).update("analysing voices…")
        self.compute()

    @background(group="analysis", failed=partial(Ready, None, None, ()))
    def compute(self) -> None:
        from kokoro_tui.analysis.render.summary import voice_report_text
        from kokoro_tui.analysis.voices import analyze_voices
        from kokoro_tui.analysis.voiceset import groups_of

        read = self.app.catalog.packs()
        try:
            analysis = analyze_voices(read.packs, groups=groups_of(self.app.catalog.infos()))
        except KokoroError as error:  # too few voices left: the damaged ones are still named
            post_if_current(self, self.Ready(None, None, read.damaged, str(error)))
            return
        post_if_current(self, self.Ready(analysis, voice_report_text(analysis), read.damaged))

    def on_analysis_pane_ready(self, message: Ready) -> None:
        self.query_one("#analysis-damaged", DamagedNote).show(message.damaged)
        figures = self.query_one("#analysis-figures", Static)
        summary = self.query_one("#analysis-summary", Static)
        report = self.query_one("#analysis-report", ReportView)
        if message.error is not None:  # no figures of an earlier run left to pass for this one's
            figures.update(Text(message.error, style="bold red"))
            summary.update("")
            report.show_report("")
            return
        figures.update(key_figures(message.analysis))
        summary.update(summary_lines(message.analysis))
        report.show_report(message.report or "")
