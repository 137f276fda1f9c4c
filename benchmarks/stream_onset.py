"""When a listener hears the first word of a streamed paragraph: first audio plus the silence before the word.

A warm ``Pipeline`` (model loaded once, what the server and the dashboard hold) per voice, over varied
paragraphs (the server benchmark's, the user-path benchmark's passage and warm texts), each read two ways
in the same run:

- ``stream``: ``first_chunk_tokens=FIRST_CHUNK_TOKENS``, what `say --stream` and the server's streamed
  requests use (a short first chunk, its lead-in silence cut by ``speech.lead_in``);
- ``default``: the default chunks (whole sentences, every lead-in kept), the reference.

For each: time to the first chunk's audio (median, worst), where its first word starts inside that audio
(from the timestamps), and their sum, the speech onset.

    python benchmarks/stream_onset.py [--home DIR] [--voices af_heart,am_michael,bf_emma]

Takes about three minutes on the 2-core machine; run it alone.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from server_load import PARAGRAPHS
from user_path import PASSAGE, WARM_TEXTS

TEXTS = [*PARAGRAPHS, *WARM_TEXTS, *(part for part in PASSAGE.split("\n\n") if part.strip())]


def measure(home: Path | None, voice: str, first_chunk_tokens: int | None) -> dict[str, float]:
    """First audio, first word inside it, and onset (medians; worst first audio and onset) over TEXTS."""
    from kokoro_tui import Pipeline

    pipeline = Pipeline(voice=voice, home=home, on_warning=lambda message: None,
                        first_chunk_tokens=first_chunk_tokens, seed=0)  # fmt: skip
    list(pipeline.stream("Warm up, please."))
    firsts, words = [], []
    for text in TEXTS:
        requested = time.perf_counter()
        chunks = pipeline.stream(text)
        first = next(chunks)
        firsts.append(time.perf_counter() - requested)
        words.append(first.timestamps[0].start_s - first.start_s)
        for _ in chunks:
            pass
    onsets = [a + b for a, b in zip(firsts, words)]
    return {"first_audio_s": statistics.median(firsts), "first_audio_max_s": max(firsts),
            "first_word_in_audio_s": statistics.median(words),
            "onset_s": statistics.median(onsets), "onset_max_s": max(onsets)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None, help="data home (default: KOKORO_HOME or the usual)")
    parser.add_argument("--voices", default="af_heart,am_michael,bf_emma")
    args = parser.parse_args()
    from kokoro_tui.speech.pipeline import FIRST_CHUNK_TOKENS

    print(f"{len(TEXTS)} paragraphs per voice; times in seconds (median, worst)")
    print("| voice | chunks | first audio | first word inside it | speech onset |")
    print("|---|---|---|---|---|")
    for voice in args.voices.split(","):
        for label, tokens in (("stream", FIRST_CHUNK_TOKENS), ("default", None)):
            row = measure(args.home, voice, tokens)
            print(f"| {voice} | {label} | {row['first_audio_s']:.2f} ({row['first_audio_max_s']:.2f}) "
                  f"| {row['first_word_in_audio_s']:.2f} | {row['onset_s']:.2f} ({row['onset_max_s']:.2f}) |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
