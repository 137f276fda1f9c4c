"""The dashboard's stylesheet, kept in Python so it ships inside the wheel without package-data rules."""

#: The app's HORIZONTAL_BREAKPOINTS: below 80 columns the screen has the class ``-narrow``, which drops
#: what a pane can do without (the rules under "Narrow terminals" below).
BREAKPOINTS: list[tuple[int, str]] = [(0, "-narrow"), (80, "-normal")]

CSS = """
/* Laid out for 80x24 first: every pane must be usable at that size. */

TabbedContent {
    height: 1fr;
}

TabPane {
    padding: 0;
}

/* Voices */
#voice-filters {
    height: 3;
}
#voice-search {
    width: 1fr;
}
#voice-lang {
    width: 24;
}
#voice-gender {
    width: 18;
}
#voice-table {
    width: 1fr;
}
#voice-detail {
    width: 34;
    padding: 0 1;
    border-left: solid $primary 50%;
}
#voice-stats {
    height: auto;
}
.spark-label {
    margin-top: 1;
    color: $text-muted;
}
#spark-decoder, #spark-prosody {
    height: 2;
}

/* Map */
#map-header {
    height: auto;  /* one line, but an error (a damaged voice file's path and why) may need two */
    max-height: 3;
}
#map-legend {
    width: 17;
    padding: 0 1;
}

/* Speak */
#speak-text {
    height: 6;
}
#speak-controls {
    height: 3;
}
#speak-voice {
    width: 1fr;
}
#speak-speed {
    width: 12;  /* room for its border title */
}
#speak-controls Button {
    min-width: 10;
}
#speak-progress-row {
    height: 1;
    margin: 1 0 0 0;
}
#speak-progress {
    width: 32;
}
#speak-state {
    width: 1fr;
    margin-left: 1;
}
#speak-wave {
    height: 4;
    margin: 1 0;
}
#speak-info {
    height: auto;
}

/* Training */
#runs-side {
    width: 20;
    border-right: solid $primary 50%;
}
#runs-title {
    height: 1;
    color: $text-muted;
}
#run-header {
    height: auto;
    max-height: 5;
}
#run-progress {
    height: 1;
}
#run-plot {
    height: 1fr;
    min-height: 6;
}
/* Lines wrap to the width; the gutter is kept so lines written before the scrollbar appeared still fit. */
#run-log {
    height: 5;
    scrollbar-gutter: stable;
    scrollbar-size-vertical: 1;
}

/* Analysis */
#analysis-figures {
    height: auto;
}
#analysis-summary {
    height: auto;
    margin: 1 0;
}
/* The report is wrapped to the width left beside a scrollbar that is always reserved. */
#analysis-report {
    height: 1fr;
    scrollbar-gutter: stable;
}

/* Server */
#server-list {
    height: 2;
    margin: 0 0 1 0;
}
#server-header {
    height: 4;  /* fixed: a header laid out before its new text lands keeps its old height */
}
.server-title {
    height: 1;
    margin: 1 0 0 0;
    color: $text-muted;
}
#server-active {
    height: 2;
}
#server-recent {
    height: 1fr;
}

/* Narrow terminals: the Analysis pane's summary (whose figures the report has too) would wrap
   into the rows of the report, leaving it two lines at 60 columns. */
Screen.-narrow #analysis-summary {
    display: none;
}

/* Dialogs */
HelpScreen, SaveAsScreen {
    align: center middle;
}
#help-box {
    width: 74;  /* the pane-switch line names all six panes */
    max-width: 100%;  /* narrower terminals: inside the screen, not off its right edge */
    max-height: 22;
    height: auto;
    border: round $primary;
    background: $surface;
}
#help-title {
    text-style: bold;
}
#help-table {
    height: auto;
    max-height: 19;
}
#save-box {
    width: 70;
    max-width: 100%;
    height: auto;
    border: round $primary;
    background: $surface;
    padding: 0 1;
}
"""
