"""`kokoro doctor`: check every asset in the data home and print each problem with the command that fixes it.

The findings go to stdout, one line each (or a JSON list with --json), the verdict to stderr. Exit 0
when nothing is wrong (warnings, such as a leftover temp file, do not count); exit 2 when something
is: a broken data home is a condition the user fixes, with the commands printed, like every other
user-fixable error (``kokoro_tui.errors.KokoroError``).
"""

from __future__ import annotations

import json

import typer

from kokoro_tui.cli.console import err
from kokoro_tui.cli.options import JsonOption
from kokoro_tui.errors import KokoroError


def doctor(as_json: JsonOption = False) -> None:
    """Check the model files, every voice and leftover temp files; name the fix for each problem.

    Exit 0 when every asset is sound (warnings allowed), 2 when something needs one of the fixes shown.
    """
    from kokoro_tui.assets.health import ERROR, check_home
    from kokoro_tui.home import resolve_home

    home = resolve_home()
    findings = check_home(home)
    if as_json:
        print(json.dumps([finding.as_dict() for finding in findings], indent=2))
    else:
        for finding in findings:
            print(finding.line())
    errors = sum(finding.severity == ERROR for finding in findings)
    if errors:
        listed = "listed with its fix" if errors == 1 else "each listed with its fix"
        raise KokoroError(f"{_count(errors, 'problem')} in {home.root}, {listed}")
    warnings = f" ({_count(len(findings), 'warning')})" if findings else ""
    err.print(f"every asset in {home.root} is sound{warnings}", markup=False, soft_wrap=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
