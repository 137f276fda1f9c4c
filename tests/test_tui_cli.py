"""`kokoro tui` option checks: a wrong pane or backend is one line and exit code 2, before any UI starts."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kokoro_tui.cli.main import app


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tab", "nope"], "unknown pane 'nope'"),
        (["--backend", "coreml"], "unknown backend 'coreml'"),
    ],
)
def test_bad_options_are_one_line_errors(tmp_path, args, message):
    result = CliRunner().invoke(app, ["--home", str(tmp_path), "tui", *args])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_tui_is_listed_in_the_command_help():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0 and "tui" in result.output


def test_every_pane_of_the_dashboard_can_be_opened_first(tmp_path, monkeypatch):
    """--tab takes every pane the dashboard has (the Server pane was refused)."""
    from kokoro_tui.tui import app as dashboard

    opened = []
    monkeypatch.setattr(dashboard, "speech_pipeline_factory", lambda *args, **kwargs: None)
    monkeypatch.setattr(dashboard.KokoroApp, "run", lambda self: opened.append(self.initial_tab))
    for tab, _ in dashboard.TABS:
        result = CliRunner().invoke(app, ["--home", str(tmp_path), "tui", "--tab", tab])
        assert result.exit_code == 0, result.output
    assert opened == [tab for tab, _ in dashboard.TABS]
