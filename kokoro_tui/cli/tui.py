"""`kokoro tui`: open the dashboard (voices, map, speak, training runs, analysis, the server's requests)."""

from __future__ import annotations

from typing import Annotated

import typer

from kokoro_tui.cli.options import DeviceOption
from kokoro_tui.errors import KokoroError
from kokoro_tui.tui.tabs import TAB_NAMES


def tui(
    tab: Annotated[str, typer.Option("--tab", help=f"Pane to open first: {', '.join(TAB_NAMES)}.")] = "voices",
    backend: Annotated[str, typer.Option("--backend", help="Speech backend for the Speak pane: torch, onnx, litert or tf.")] = "torch",
    device: DeviceOption = "auto",
) -> None:
    """Open the terminal dashboard. Keys 1-6 switch panes, ? lists the keys, q quits."""
    if tab not in TAB_NAMES:
        raise KokoroError(f"unknown pane {tab!r}", hint=f"choose one of {', '.join(TAB_NAMES)}")
    from kokoro_tui.backends.registry import check_options
    from kokoro_tui.home import resolve_home
    from kokoro_tui.tui.app import KokoroApp, speech_pipeline_factory

    check_options(backend, device, precision="auto")
    app = KokoroApp(resolve_home(), initial_tab=tab, pipeline_factory=speech_pipeline_factory(backend, device))
    app.run()


def register(app: typer.Typer) -> None:
    app.command("tui")(tui)
