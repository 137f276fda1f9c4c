"""The text front end's fuzz test at full strength: 10,000 generated inputs through real English G2P.

CI runs ``tests/test_text_robustness.py::test_fuzzed_text_never_crashes_and_never_loses_a_word`` with a
small count; this runs the same property with ``--examples`` (default 10,000) and reports the time.

    python benchmarks/fuzz_text.py [--examples 10000]

Exit status is pytest's: 0 when no input crashed the front end or lost a word.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

TEST = "tests/test_text_robustness.py::test_fuzzed_text_never_crashes_and_never_loses_a_word"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    args = parser.parse_args()
    repo = Path(__file__).resolve().parents[1]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TEST],
        cwd=repo,
        env={**os.environ, "KOKORO_FUZZ_EXAMPLES": str(args.examples)},
    )
    print(f"{args.examples:,} fuzzed inputs in {time.perf_counter() - started:.0f} s: "
          f"{'no crash, no lost word' if done.returncode == 0 else 'FAILED'}")  # fmt: skip
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
