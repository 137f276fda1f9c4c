"""Memory of `kokoro book` over a long book, as a user runs it: peak RSS and the RSS-over-time curve.

Issue #12 asks for a peak of at most 1.5 GB for a 200,000-character book on the CPU, with no growth over
the run. This writes ``--chars`` characters of generated prose (``long_text_memory.prose``, deterministic)
as a plain-text book, runs ``kokoro book BOOK.txt -o BOOK.m4b`` as a whole process on the torch backend
(the default), and reads the process's RSS every half second (``process_memory.RssSampler``, children
included) into a curve. Growth is the highest RSS in the last tenth of the run against the highest in
the second tenth (the first holds the one-time loads).

    python benchmarks/book_memory.py [--chars 200000] [--home DIR] [--curve OUT.tsv] [--json OUT]

It takes as long as the book: about 45 minutes for 200,000 characters on the 2-core machine. Only the
memory figures are meant to be compared; run it alone to compare its time as well.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from long_text_memory import prose
from process_memory import RssSampler

EVERY_S = 0.5


def window_peak(curve: list[tuple[float, float, float]], start: float, end: float) -> float:
    """The highest RSS (with children) between fractions ``start`` and ``end`` of the run's time."""
    total = curve[-1][0]
    return max(tree for seconds, _, tree in curve if start * total <= seconds <= end * total)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=200_000)
    parser.add_argument("--home", type=Path, default=None, help="data home (default: KOKORO_HOME or the usual)")
    parser.add_argument("--curve", type=Path, default=None, help="write the RSS curve here (TSV, as it runs)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    env = dict(os.environ) if args.home is None else {**os.environ, "KOKORO_HOME": str(args.home)}
    curve: list[tuple[float, float, float]] = []
    sink = open(args.curve, "w", encoding="utf-8") if args.curve else None  # noqa: SIM115  (closed below)
    if sink:
        sink.write("seconds\trss_mib\ttree_rss_mib\n")
    with tempfile.TemporaryDirectory() as scratch:
        book, output = Path(scratch) / "book.txt", Path(scratch) / "book.m4b"
        book.write_text(prose(args.chars), encoding="utf-8")
        started = time.perf_counter()

        def record(rss: float, tree: float) -> None:
            curve.append((time.perf_counter() - started, rss, tree))
            if sink:
                sink.write(f"{curve[-1][0]:.1f}\t{rss:.1f}\t{tree:.1f}\n")
                sink.flush()

        command = [sys.executable, "-m", "kokoro_tui", "book", str(book), "-o", str(output)]
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        memory = RssSampler(process.pid, EVERY_S, record)
        _, errors = process.communicate()
        memory.stop()
        wall = time.perf_counter() - started
        if process.returncode != 0:
            raise SystemExit(f"kokoro book failed (status {process.returncode}): {errors[-2000:]}")
        import av

        with av.open(str(output)) as m4b:
            audio_s = m4b.duration / av.time_base
    if sink:
        sink.close()
    report = {
        "chars": args.chars, "wall_s": round(wall, 1), "audio_s": round(audio_s, 1),
        "peak_rss_mib": round(memory.peak_mib, 1), "peak_tree_rss_mib": round(memory.tree_peak_mib, 1),
        "second_tenth_peak_mib": round(window_peak(curve, 0.1, 0.2), 1),
        "last_tenth_peak_mib": round(window_peak(curve, 0.9, 1.0), 1),
    }  # fmt: skip
    report["growth_mib"] = round(report["last_tenth_peak_mib"] - report["second_tenth_peak_mib"], 1)
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
