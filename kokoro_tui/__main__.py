"""`python -m kokoro_tui` runs the `kokoro` command."""

from kokoro_tui.cli.main import console

console()
