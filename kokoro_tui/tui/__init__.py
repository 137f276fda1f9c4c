"""The Textual dashboard (`kokoro tui`). Sits on the same library as the CLI."""
