"""Text front end: normalisation, grapheme-to-phoneme, chunking. Never imports torch."""
