"""Entry point of the `kokoro` command.

Heavy libraries (torch, transformers, textual, sklearn, misaki) are imported inside the
command functions, never at module level, so `kokoro --help` stays instant.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

try:  # typer >= 0.2x vendors its own click; its exceptions are not the `click` package's
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover - older typer on plain click
    from click.exceptions import UsageError

from kokoro_tui import __version__
from kokoro_tui.cli.console import replace_closed_streams
from kokoro_tui.cli.exits import closed_pipe, drain_stdout, failed_os_call, interrupted, last_line, leave
from kokoro_tui.cli.signals import Terminated, unwind_on_termination
from kokoro_tui.errors import KokoroError
from kokoro_tui.home import ENV_VAR

# Each module exposes `register(app)`; the order is the order of `kokoro --help`.
COMMAND_MODULES: list[str] = ["download", "doctor", "voices", "say", "book", "dub", "phonemize", "lexicon", "analyze", "train", "convert", "serve", "tui"]


class KokoroGroup(TyperGroup):
    """Root command group: every user mistake, in any subcommand, becomes one line and exit code 2.

    So does an OSError no command turned into a KokoroError (exit 1 when the machine, not a path,
    failed: see errors.os_error_exit_code; a closed stdout is one of those), a reader closing stdout
    (exit 141) and Ctrl-C (exit 130). Output a command left buffered for stdout is written out before it
    counts as done, so a full disk fails it.

    Catching here (not only in `run`) means in-process callers such as typer's CliRunner and the
    dashboard see the same behaviour as the console script.
    """

    def invoke(self, ctx: typer.Context):
        try:
            result = super().invoke(ctx)
            drain_stdout()
            return result
        except KokoroError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(error.exit_code) from None
        except UsageError as error:
            where = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
            typer.echo(f"error: {error.format_message()}{where}", err=True)
            raise typer.Exit(2) from None
        except BrokenPipeError:  # before click's own handler, which exits 1 without a word
            raise typer.Exit(closed_pipe()) from None
        except OSError as error:  # a path or the machine refused: one line, never a traceback
            raise typer.Exit(failed_os_call(error)) from None
        except KeyboardInterrupt:  # before click's own handler, which exits 130 without a word
            raise typer.Exit(interrupted()) from None


app = typer.Typer(
    name="kokoro",
    cls=KokoroGroup,
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


def prose_help(docstring: str) -> str:
    """A docstring as help text: each paragraph on one line.

    typer's rich help keeps the single line breaks of every paragraph after the first, so a docstring
    wrapped for the source reads as ragged lines in a terminal of another width.
    """
    paragraphs = inspect.cleandoc(docstring).split("\n\n")
    return "\n\n".join(" ".join(paragraph.split("\n")) for paragraph in paragraphs)


def _reflow_command_help(group: typer.Typer) -> None:
    """Give each command of ``group`` (and of its sub-groups) its docstring as ``prose_help``."""
    for command in group.registered_commands:
        if command.help is None and command.callback is not None and command.callback.__doc__:
            command.help = prose_help(command.callback.__doc__)
    for sub_group in group.registered_groups:
        if sub_group.typer_instance is not None:
            _reflow_command_help(sub_group.typer_instance)


for _name in COMMAND_MODULES:
    importlib.import_module(f"kokoro_tui.cli.{_name}").register(app)
_reflow_command_help(app)


def run() -> None:
    """Console-script entry: user mistakes become one line on stderr and exit code 2.

    The handlers repeat KokoroGroup's for whatever is raised outside a command (parsing, help);
    SIGTERM and SIGHUP unwind like Ctrl-C so no temp file is left behind; a standard stream the
    process was started without gets a stand-in (see console.replace_closed_streams).
    """
    replace_closed_streams()
    unwind_on_termination()
    try:
        app()
    except KokoroError as error:
        last_line(f"error: {error}")
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        sys.exit(interrupted())
    except Terminated as stop:
        last_line(str(stop))
        sys.exit(stop.exit_code)
    except BrokenPipeError:
        sys.exit(closed_pipe())
    except OSError as error:
        sys.exit(failed_os_call(error))


def console() -> None:
    """The `kokoro` script: ``run``, then ``exits.leave`` without the interpreter's slow teardown."""
    try:
        run()
    except SystemExit as done:
        leave(done.code)
    leave(0)


if __name__ == "__main__":
    console()
