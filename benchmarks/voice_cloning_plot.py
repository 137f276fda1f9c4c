"""Held-out similarity over optimisation wall time, descent against walk, from voice_cloning_runs.jsonl.

The latest shipped-method run (no ``variant``) of each target and method that recorded its ``check_curve``
(seconds since the optimisation began, held-out check similarity) is one line; runs on the same target
share a colour, the walk is dashed. By default the targets that have a walk run are drawn.

    python benchmarks/voice_cloning_plot.py [--targets af_bella ...] [--out benchmarks/voice_cloning_time.png]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

RUNS = Path(__file__).with_name("voice_cloning_runs.jsonl")
DEFAULT_OUT = Path(__file__).with_name("voice_cloning_time.png")


def curves(targets: set[str] | None) -> list[dict]:
    records = [json.loads(line) for line in RUNS.read_text(encoding="utf-8").splitlines() if line.strip()]
    latest = {(r["target"], r["method"]): r for r in records if r.get("check_curve") and "variant" not in r}
    chosen = targets or {target for target, method in latest if method == "walk"}
    return [r for (target, _), r in latest.items() if target in chosen]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", nargs="*")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = curves(set(args.targets) if args.targets else None)
    if not runs:
        print("no run with a check_curve in", RUNS, file=sys.stderr)
        return 1
    colours = {target: f"C{i}" for i, target in enumerate(dict.fromkeys(r["target"] for r in runs))}
    figure, axes = plt.subplots(figsize=(7, 4.2))
    for run in runs:
        seconds, similarity = zip(*run["check_curve"])
        axes.plot(seconds, similarity, marker="o", markersize=3, color=colours[run["target"]],
                  linestyle="--" if run["method"] == "walk" else "-",
                  label=f"{run['target']} {run['method']} ({run['steps']} steps)")
    axes.set_xlabel("optimisation wall time (s), 2-core CPU")
    axes.set_ylabel("held-out check similarity (resemblyzer)")
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(args.out, dpi=110)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
