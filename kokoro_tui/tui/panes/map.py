"""Map pane: every voice on its first two principal components, coloured by language.

The PCA is the analysis library's (``fit_pca`` per view); this pane only draws it. Keys d, p
and b switch between the decoder half, the prosody half and both; the dashboard's selected
voice is marked with ``@`` and its name. Female voices are ``o``, male ``x``. A damaged voice
file is left out of the map and named under its header, with its fix.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static
from textual_plotext import PlotextPlot

from kokoro_tui.errors import KokoroError
from kokoro_tui.tui.background import background, post_if_current
from kokoro_tui.tui.catalog import DamagedVoice
from kokoro_tui.tui.damaged import DamagedNote
from kokoro_tui.tui.languages import SHORT_NAMES

VIEWS = ("decoder", "prosody", "both")
#: One colour per language prefix (RGB, shared by the plot and its legend).
LANGUAGE_COLOURS: dict[str, tuple[int, int, int]] = {
    "a": (86, 180, 233),
    "b": (148, 103, 189),
    "e": (230, 159, 0),
    "f": (204, 121, 167),
    "h": (213, 94, 0),
    "i": (0, 158, 115),
    "j": (240, 228, 66),
    "p": (170, 120, 60),
    "z": (220, 60, 60),
    "r": (0, 114, 178),
}
#: Names without a language prefix, and any language given no colour above, are grey.
NO_PREFIX_COLOUR = (150, 150, 150)
MARKERS = {"f": "o", "m": "x", "?": "*"}
SELECTED_COLOUR = (255, 255, 255)


def _language_and_gender(group: str) -> tuple[str, str]:
    return ("?", "?") if group == "other" else (group[0], group[1])


class MapPane(Vertical):
    """PCA scatter of all voices; computes the three PCAs in a worker when shown, again after a reload."""

    FOCUS = None  # the pane itself takes the keys
    can_focus = True
    BINDINGS = [
        Binding("d", "view('decoder')", "Decoder"),
        Binding("p", "view('prosody')", "Prosody"),
        Binding("b", "view('both')", "Both"),
        Binding("right_square_bracket", "step_voice(1)", "Next voice"),
        Binding("left_square_bracket", "step_voice(-1)", "Prev voice"),
    ]

    class PcaReady(Message):
        def __init__(
            self, results: dict[str, Any] | None, damaged: tuple[DamagedVoice, ...], error: str | None = None
        ) -> None:
            super().__init__()
            self.results, self.damaged, self.error = results, damaged, error

    def __init__(self) -> None:
        super().__init__(id="map-pane")
        self.view = "both"
        self.results: dict[str, Any] | None = None
        self._generation: int | None = None  # the catalog generation the PCA was computed from

    def compose(self) -> ComposeResult:
        yield Static("computing PCA…", id="map-header")
        yield DamagedNote(id="map-damaged")
        with Horizontal(id="map-body"):
            yield PlotextPlot(id="map-plot")
            yield Static(legend(), id="map-legend")

    def on_mount(self) -> None:
        self.watch(self.app, "selected_voice", lambda _: self.redraw(), init=False)

    def on_show(self) -> None:
        generation = self.app.catalog.generation
        if generation != self._generation:
            self._generation = generation
            self.compute()

    @background(group="map-pca", failed=partial(PcaReady, None, ()))
    def compute(self) -> None:
        from kokoro_tui.analysis.pca import fit_pca
        from kokoro_tui.analysis.voiceset import groups_of, voice_set

        read = self.app.catalog.packs()
        try:
            voices = voice_set(read.packs, groups=groups_of(self.app.catalog.infos()))
            results = {view: fit_pca(voices, view) for view in VIEWS}
        except KokoroError as error:  # too few voices left, or a view where they are one: damaged ones still named
            post_if_current(self, self.PcaReady(None, read.damaged, str(error)))
            return
        post_if_current(self, self.PcaReady(results, read.damaged))

    def on_map_pane_pca_ready(self, message: PcaReady) -> None:
        self.query_one("#map-damaged", DamagedNote).show(message.damaged)
        self.results = message.results
        if message.error is not None:
            self.query_one("#map-header", Static).update(Text(message.error, style="bold red"))
        self.redraw()

    def action_view(self, view: str) -> None:
        self.view = view
        self.redraw()

    def action_step_voice(self, step: int) -> None:
        if not self.results:
            return
        names = list(self.results[self.view].names)
        current = self.app.selected_voice
        index = names.index(current) + step if current in names else 0
        self.app.selected_voice = names[index % len(names)]

    def redraw(self) -> None:
        plot = self.query_one("#map-plot", PlotextPlot)
        if not self.results:  # not computed yet, or failed: an earlier map would pass for the store's
            draw_scatter(plot.plt, None, None)
            plot.refresh()
            return
        result = self.results[self.view]
        selected = self.app.selected_voice
        ratios = result.explained_ratio
        views = " ".join(f"[b reverse]{v}[/]" if v == self.view else v for v in VIEWS)
        # Fits 80 columns with a 20-character voice name; the keys are in the footer.
        self.query_one("#map-header", Static).update(
            Text.from_markup(
                f"view {views}  PC1 {100 * ratios[0]:.1f}%  PC2 {100 * ratios[1]:.1f}%"
                f"  selected {selected or '—'}"
            )
            if len(ratios) > 1
            else Text("need at least 3 voices for a map")
        )
        draw_scatter(plot.plt, result, selected)
        plot.refresh()


def draw_scatter(plt: Any, result: Any | None, selected: str | None) -> None:
    """The PC1/PC2 scatter of one ``PcaResult``: one series per language and gender; empty for None."""
    plt.clear_data()
    plt.clear_figure()
    if result is None or result.coords.shape[1] < 2:
        return
    series: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
    for (x, y), group in zip(result.coords[:, :2], result.groups):
        xs, ys = series.setdefault(_language_and_gender(group), ([], []))
        xs.append(float(x))
        ys.append(float(y))
    for (lang, gender), (xs, ys) in sorted(series.items()):
        plt.scatter(xs, ys, marker=MARKERS[gender], color=LANGUAGE_COLOURS.get(lang, NO_PREFIX_COLOUR))
    if selected in result.names:
        index = result.names.index(selected)
        x, y = (float(v) for v in result.coords[index, :2])
        # Label towards the middle so it stays inside the frame; the @ sits on the point either way.
        if x > float(result.coords[:, 0].mean()):
            plt.text(f"{selected}@", x, y, color=SELECTED_COLOUR, alignment="right")
        else:
            plt.text(f"@{selected}", x, y, color=SELECTED_COLOUR, alignment="left")
    ratios = result.explained_ratio
    plt.xlabel(f"PC1 ({100 * ratios[0]:.0f}%)")
    plt.ylabel(f"PC2 ({100 * ratios[1]:.0f}%)")
    plt.title(f"{result.view} view, {len(result.names)} voices")


def legend() -> Text:
    """Colour key for languages and marker key for genders."""
    keys = [(code, label, LANGUAGE_COLOURS.get(code, NO_PREFIX_COLOUR)) for code, label in SHORT_NAMES.items()]
    text = Text()
    for code, label, (r, g, b) in [*keys, ("?", "no prefix", NO_PREFIX_COLOUR)]:
        text.append("■ ", style=f"rgb({r},{g},{b})")
        text.append(f"{code} {label}\n")
    text.append("o female\nx male\n@ selected")
    return text
