"""The speech pipeline shared by CLI and dashboard: text -> chunks -> audio with timestamps."""
