"""Entry point of the `kokoro` command.

Heavy libraries (torch, transformers, textual, sklearn, misaki) are imported inside the
command functions, never at module level, so `kokoro --help` stays instant.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from kokoro_tui import __version__
from kokoro_tui.errors import KokoroError
from kokoro_tui.home import ENV_VAR

# Each module exposes `register(app)`; the order is the order of `kokoro --help`.
COMMAND_MODULES: list[str] = ["download", "voices", "say", "phonemize", "analyze", "convert", "tui"]

app = typer.Typer(
    name="kokoro",
    help="Kokoro-82M text-to-speech in the terminal: download, speak, analyse, create voices, convert.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kokoro-tui {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    home: Annotated[
        Optional[Path],
        typer.Option("--home", help=f"Data home for models, voices, analyses and runs (env {ENV_VAR}).", show_default=False),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Kokoro-82M text-to-speech in the terminal."""
    if home is not None:
        os.environ[ENV_VAR] = str(home.expanduser().resolve())


for _name in COMMAND_MODULES:
    importlib.import_module(f"kokoro_tui.cli.{_name}").register(app)


def run() -> None:
    """Console-script entry: user mistakes become one line on stderr and exit code 2."""
    try:
        app()
    except KokoroError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (e.g. `kokoro say | head`); silence the flush at exit too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    run()
