"""How long `kokoro analyze voices` takes on the real voices, whole command and per stage.

Usage: python benchmarks/analysis_speed.py [--home DIR] [--repeat N]

The data home (default: $KOKORO_HOME or the usual one) must hold the voices (`kokoro download`).
The end-to-end figure is the wall time of the CLI in a fresh process (imports included), which is
what a user waits for; its CPU time is printed too, since wall time on a shared machine also counts
waiting for the cores. The stage split is measured in-process after the imports. Target: ≤ 15 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 15.0


def end_to_end(home: Path, out: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one CLI run in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {**os.environ, "KOKORO_HOME": str(home), "MPLBACKEND": "Agg"}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kokoro_tui", "analyze", "voices", "--out", str(out)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def stages(home: Path, out: Path) -> dict[str, float]:
    from kokoro_tui.analysis.render.summary import voice_report_text
    from kokoro_tui.analysis.render.writer import write_voice_analysis
    from kokoro_tui.analysis.voices import analyze_voices
    from kokoro_tui.home import resolve_home
    from kokoro_tui.voices.store import VoiceStore

    times = {}
    started = time.perf_counter()
    store = VoiceStore(resolve_home(home))
    packs = {name: store.load(name) for name in store.names()}
    times["load voices"] = time.perf_counter() - started
    started = time.perf_counter()
    analysis = analyze_voices(packs)
    times["analysis"] = time.perf_counter() - started
    started = time.perf_counter()
    write_voice_analysis(analysis, out, voice_report_text(analysis))
    times["figures + files"] = time.perf_counter() - started
    times["voices"] = len(packs)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None, help="data home with the voices")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from kokoro_tui.home import resolve_home

    home = resolve_home(args.home).root
    with tempfile.TemporaryDirectory() as tmp:
        runs = [end_to_end(home, Path(tmp) / f"run{i}") for i in range(args.repeat)]
        split = stages(home, Path(tmp) / "stages")
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    print(f"voices: {split.pop('voices')}, cpus: {os.cpu_count()}, load average now: {os.getloadavg()[0]:.1f}")
    print(f"kokoro analyze voices, end to end: median {statistics.median(walls):.2f} s "
          f"(runs: {', '.join(f'{w:.2f}' for w in walls)}; target ≤ {TARGET_S:.0f} s)")
    print(f"CPU time (user + system) per run: median {statistics.median(cpus):.2f} s; "
          "wall exceeds it only when other processes compete for the cores")
    for stage, seconds in split.items():
        print(f"  {stage:<16} {seconds:6.2f} s")
    sys.exit(0 if statistics.median(walls) <= TARGET_S else 1)


if __name__ == "__main__":
    main()
