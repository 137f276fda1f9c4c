"""Kokoro-82M v1.0 network in PyTorch: phoneme ids + 256-d style + speed in, 24 kHz audio + durations out."""
