"""The `kokoro tui` application: six panes in tabs, switched with the number keys.

The app owns what the panes share: the data home, the voice catalog, the selected voice,
and the injectable pieces tests replace (the speech pipeline factory and the sound output
finder). Each pane lives in its own module under ``tui/panes`` and does its heavy work in
workers that post messages back, so the UI thread only draws.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Footer, TabbedContent, TabPane

from kokoro_tui.home import DataHome
from kokoro_tui.speech.pipeline import FIRST_CHUNK_TOKENS
from kokoro_tui.speech.playback import OutputOpener, find_live_output
from kokoro_tui.speech.worker import SpeechProcess
from kokoro_tui.tui.catalog import VoiceCatalog
from kokoro_tui.tui.help import HelpScreen
from kokoro_tui.tui.panes.analysis import AnalysisPane
from kokoro_tui.tui.panes.map import MapPane
from kokoro_tui.tui.panes.server import ServerPane
from kokoro_tui.tui.panes.speak import SpeakPane
from kokoro_tui.tui.panes.training import TrainingPane
from kokoro_tui.tui.panes.voices import VoicesPane
from kokoro_tui.tui.styles import BREAKPOINTS
from kokoro_tui.tui.styles import CSS as DASHBOARD_CSS
from kokoro_tui.tui.tabs import TABS


def speech_pipeline_factory(backend: str = "torch", device: str = "auto") -> SpeechProcess:
    """Builds real speech pipelines, all served by one child process that loads the model once
    (see ``kokoro_tui.speech.worker``). Call it before the app runs, which closes it on exit.

    The Speak pane plays as it streams, so its pipelines cut a text's first chunk short, as
    `say --stream` and the server's streams do: the first audio of a paragraph came after 1.54 s
    (median; 5.32 s for a long first sentence) with whole sentences, 0.87 s (worst 0.94 s) so.
    """
    return SpeechProcess({"backend": backend, "device": device, "first_chunk_tokens": FIRST_CHUNK_TOKENS})


class KokoroApp(App[None]):
    """The dashboard. ``pipeline_factory(voice=, speed=, home=)`` builds a speech pipeline
    (``load()``, ``stream(text)``); a factory with ``close()`` is closed when the app exits.
    ``player_finder()`` returns an opener of the sound output (``speech.playback.find_live_output``) or ``None``,
    with the line to show."""

    TITLE = "kokoro"
    ENABLE_COMMAND_PALETTE = False  # its footer entry would push q Quit off an 80-column screen
    AUTO_FOCUS = None  # each pane says what gets the keyboard (its FOCUS), see _focus_active_pane
    CSS = DASHBOARD_CSS
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Keys"),
        *(Binding(str(index), f"show_tab('{tab}')", label, show=False) for index, (tab, label) in enumerate(TABS, 1)),
        Binding("escape", "leave_field", "Leave field", show=False),
    ]

    selected_voice: reactive[str | None] = reactive(None)

    def __init__(
        self,
        home: DataHome,
        *,
        initial_tab: str = "voices",
        pipeline_factory: Callable[..., Any] | None = None,
        player_finder: Callable[[], tuple[OutputOpener | None, str]] = find_live_output,
    ) -> None:
        super().__init__()
        self.home = home
        self.catalog = VoiceCatalog(home)
        self.pipeline_factory = pipeline_factory or speech_pipeline_factory()
        self.player_finder = player_finder
        self.initial_tab = initial_tab

    def on_mount(self) -> None:
        self.call_after_refresh(self._focus_active_pane)

    def on_unmount(self) -> None:
        """Quitting stops the speech process at once, even mid-synthesis, so none outlives the app."""
        close = getattr(self.pipeline_factory, "close", None)
        if close is not None:
            close()

    def compose(self) -> ComposeResult:
        panes = {
            "voices": VoicesPane(),
            "map": MapPane(),
            "speak": SpeakPane(),
            "training": TrainingPane(),
            "analysis": AnalysisPane(),
            "server": ServerPane(),
        }
        with TabbedContent(initial=self.initial_tab, id="tabs"):
            for index, (tab, label) in enumerate(TABS, 1):
                with TabPane(f"{index} {label}", id=tab):
                    yield panes[tab]
        yield Footer()

    def action_show_tab(self, tab: str) -> None:
        """The pane's control takes the keyboard at once, so a key typed right after lands in that pane."""
        self.query_one("#tabs", TabbedContent).active = tab
        self._focus_active_pane()

    def active_pane(self) -> Widget:
        active = self.query_one("#tabs", TabbedContent).active
        return self.query_one(f"#{active}", TabPane).children[0]

    def _focus_active_pane(self) -> None:
        """Give the keyboard to the pane's main control (never a text field, so the number keys and q keep working)."""
        pane = self.active_pane()
        target = getattr(pane, "FOCUS", None)
        self.set_focus(pane.query_one(target) if target else pane)

    def action_leave_field(self) -> None:
        """Esc moves focus out of a text field, back to the pane's main control, so single keys work again."""
        self._focus_active_pane()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self._key_help()))

    def _key_help(self) -> list[tuple[str, str]]:
        """Keys of the app and of the pane now shown, for the help screen."""
        keys = [(f"1-{len(TABS)}", "switch pane: " + ", ".join(label for _, label in TABS))]
        keys += [("q", "quit (in a text field it types q)"), ("ctrl+q", "quit, also from a text field")]
        keys += [("?", "this help"), ("Esc", "leave a text field, close a dialog"), ("Tab", "next control")]
        for binding in self.active_pane().BINDINGS:
            keys.append((self.get_key_display(binding), binding.description))
        return keys
