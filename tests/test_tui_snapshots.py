"""Screen snapshots of every pane at 80x24 (pytest-textual-snapshot; SVGs in __snapshots__/).

Each snapshot waits until the pane's worker has drawn its data, so the picture is the
settled screen. After a deliberate visual change: `pytest tests/test_tui_snapshots.py
--snapshot-update`, then look at the new SVGs before committing them.
"""

from __future__ import annotations

import pytest
from test_tui_support import FakePipeline, make_home, screen_text, wait_for

from kokoro_tui.tui.app import KokoroApp

SIZE = (80, 24)


@pytest.fixture
def app(tmp_path):
    def build(tab: str) -> KokoroApp:
        return KokoroApp(
            make_home(tmp_path / "home"),
            initial_tab=tab,
            pipeline_factory=lambda **options: FakePipeline(**options),
            player_finder=lambda: (None, "no audio output device on this machine"),
        )

    return build


def settled(*texts: str, timeout: float = 60.0):
    """A ``run_before`` that waits until all ``texts`` are on the screen."""

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: all(text in screen_text(pilot.app) for text in texts), timeout)
        await pilot.pause(0.2)

    return run_before


# The voice table's columns widen to their rows once those are drawn; a loaded CI machine took the
# screenshot after the rows reached the screen and before the header was redrawn.
TABLE_DRAWN = "name      language"


def test_voices_pane(snap_compare, app):
    assert snap_compare(app("voices"), terminal_size=SIZE, run_before=settled("jf_eta", "|mean row|", TABLE_DRAWN))


def test_voices_pane_filtered(snap_compare, app):
    assert snap_compare(
        app("voices"), terminal_size=SIZE, press=["slash", *"uk"],
        run_before=settled("jf_eta", "|mean row|", TABLE_DRAWN),
    )


def test_map_pane_prosody_view(snap_compare, app):
    # The selected voice comes from the Voices pane's worker, not from the PCA's.
    run_before = settled("PC1", "both view", "selected af_alpha")
    assert snap_compare(app("map"), terminal_size=SIZE, press=["p"], run_before=run_before)


def test_speak_pane(snap_compare, app):
    # "ready" is there from the start; the voice field is filled once the Voices pane's worker has read them.
    assert snap_compare(app("speak"), terminal_size=SIZE, run_before=settled("ready", "af_alpha"))


def test_training_pane(snap_compare, app):
    assert snap_compare(app("training"), terminal_size=SIZE, run_before=settled("demo  [completed]", "end:"))


def test_analysis_pane(snap_compare, app):
    assert snap_compare(app("analysis"), terminal_size=SIZE, run_before=settled("n 80/90/95%", "Kokoro voice"))


def test_help_screen(snap_compare, app):
    # The voice's detail (its own worker) sets where the charts beside and below the dialog are.
    run_before = settled("jf_eta", "|mean row|", TABLE_DRAWN)
    assert snap_compare(app("voices"), terminal_size=SIZE, press=["question_mark"], run_before=run_before)
