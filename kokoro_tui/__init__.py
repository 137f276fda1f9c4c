"""kokoro-tui: a terminal-first toolkit for the Kokoro-82M text-to-speech model."""

__version__ = "0.1.0"
