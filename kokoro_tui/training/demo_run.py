"""A synthetic training run, written through the real run-log writer.

It exists so the dashboard's Training pane (and its tests) have a live log to follow
before real training lands. The losses are a seeded noisy exponential decay, clearly
labelled ``"demo": true`` in the start record; nothing is trained.

    python -m kokoro_tui.training.demo_run HOME/runs/demo --steps 300 --interval 0.2
"""

from __future__ import annotations

import argparse
import math
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

from kokoro_tui.training.runlog import (
    CheckpointRecord,
    EndRecord,
    EvalRecord,
    RunLogWriter,
    SampleRecord,
    StartRecord,
    StepRecord,
    run_log_path,
)

LOSS_NAMES = ("mel", "duration", "f0")
#: what the sample written at each eval would say (the demo writes the record, not the audio)
SAMPLE_TEXT = "The quick brown fox jumps over the lazy dog."


def _learning_rate(step: int, steps: int, peak: float, warmup: int) -> float:
    """Linear warm-up then cosine decay, the usual fine-tuning schedule."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, steps - warmup)
    return peak * 0.5 * (1 + math.cos(math.pi * progress))


def write_demo_run(
    run_dir: str | os.PathLike[str],
    *,
    steps: int = 120,
    steps_per_epoch: int = 40,
    eval_every: int = 40,
    checkpoint_every: int = 60,
    interval_s: float = 0.0,
    seed: int = 0,
    finish: bool = True,
    sleep: Callable[[float], None] = time.sleep,
) -> Path:
    """Append a demo run to ``run_dir/log.jsonl`` and return the log path.

    Each eval also logs a sample, whose audio file is not written (the pane shows it as missing).
    ``interval_s`` spaces the steps out in real time so the pane can be watched live;
    ``finish=False`` leaves the run without its end record, as if still running.
    """
    run_dir = Path(run_dir)
    rng = random.Random(seed)
    peak_lr, warmup = 2e-4, max(1, steps // 10)
    start = time.monotonic()
    with RunLogWriter(run_log_path(run_dir)) as log:
        config = {"demo": True, "steps": steps, "batch_size": 8, "peak_lr": peak_lr, "seed": seed}
        log.write(StartRecord(run=run_dir.name, config=config, total_steps=steps))
        for step in range(1, steps + 1):
            if interval_s:
                sleep(interval_s)
            decay = math.exp(-3.0 * step / steps)
            losses = {
                name: round(scale * (0.3 + decay) * (1 + 0.08 * rng.gauss(0, 1)), 5)
                for name, scale in zip(LOSS_NAMES, (1.0, 0.4, 0.2))
            }
            elapsed = time.monotonic() - start if interval_s else step * 0.5
            per_step = elapsed / step
            log.write(
                StepRecord(
                    step=step,
                    epoch=(step - 1) // steps_per_epoch,
                    losses=losses,
                    lr=_learning_rate(step, steps, peak_lr, warmup),
                    elapsed_s=round(elapsed, 3),
                    eta_s=round(per_step * (steps - step), 3),
                )
            )
            if step % eval_every == 0:
                log.write(EvalRecord(step=step, metrics={"val_mel": round(losses["mel"] * 1.1, 5)}))
                log.write(SampleRecord(step=step, path=f"samples/step-{step:06d}.wav", text=SAMPLE_TEXT))
            if step % checkpoint_every == 0:
                log.write(CheckpointRecord(step=step, path=f"checkpoints/step-{step:06d}.safetensors"))
        if finish:
            log.write(EndRecord(status="completed", step=steps, message="demo run finished"))
    return run_log_path(run_dir)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic training run log for the dashboard.")
    parser.add_argument("run_dir", type=Path, help="run directory, e.g. HOME/runs/demo")
    parser.add_argument("--steps", type=int, default=120)
    parser.add_argument("--interval", type=float, default=0.0, help="seconds between steps (0: write at once)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    path = write_demo_run(args.run_dir, steps=args.steps, interval_s=args.interval, seed=args.seed)
    print(path)


if __name__ == "__main__":
    main()
