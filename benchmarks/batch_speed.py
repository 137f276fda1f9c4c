"""Many short texts: ``Pipeline.synthesize_many`` at several batch sizes against a loop of ``synthesize``.

What a flashcard deck, a game's lines or a data set asks for: 32 texts of 5 to 25 words, af_heart, the data
home's real model. Each way is timed from the texts to the list of Speech (text reading included, as a caller
pays it), after a warm-up that loads the model and the G2P. The order of the ways alternates from one round to
the next, so that load drift on a shared machine hits all alike, and the best of ``--repeats`` rounds is kept.
Printed: seconds, seconds of audio per second of compute (x real time), and time as a share of the loop's.

    python benchmarks/batch_speed.py [--device cpu|cuda] [--quick] [--precision auto|fp32|int8]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence

import torch

from kokoro_tui.speech.pipeline import Pipeline
from kokoro_tui.speech.types import Speech

TEXTS = [
    "Good morning, everyone, and welcome back.",
    "The train leaves at seven.",
    "Please close the door behind you.",
    "Where did you put my keys?",
    "A cup of tea would be lovely right now.",
    "She has lived in this little town for most of her life.",
    "Turn left at the bakery, then walk two blocks north.",
    "The library opens late on Sundays.",
    "Our team finished the project a full week ahead of schedule.",
    "Do you know how to say thank you in Japanese?",
    "It rained all night, and the river rose over its banks by morning.",
    "He forgot his umbrella again.",
    "Remember to water the plants while I am away on holiday next week.",
    "The museum keeps a whale skeleton in its great hall, hanging from the ceiling by thin steel wires "
    "that the children love to count.",
    "Wash your hands before dinner.",
    "A quiet mind hears what a busy one misses.",
    "The bus was crowded, so we decided to walk home through the park instead.",
    "Could you speak a little more slowly, please?",
    "Every autumn the geese fly south over the hills, calling to each other in long, ragged lines.",
    "I will call you back in ten minutes.",
    "Fresh bread smells best early in the morning.",
    "The old bridge was closed for repairs all summer, so the drivers had to take the long winding road "
    "around the lake.",
    "My grandmother taught me how to bake this cake.",
    "Nobody expected the small dog to win the race.",
    "Please read the instructions carefully before you start the exam.",
    "The stars were bright above the desert, and the air was cold and still.",
    "We need more chairs for the meeting room.",
    "He plays the violin every evening after work, mostly old folk songs his father loved.",
    "Which platform does the next train to the coast leave from?",
    "The garden looks wonderful in spring.",
    "After the storm passed, the children ran outside to splash in the deep puddles along the street.",
    "Thank you all for coming tonight.",
]
QUICK_TEXTS = 8
BATCH_SIZES = (1, 4, 8, 16)
LOOP = "synthesize loop"


def ways(pipeline: Pipeline, texts: Sequence[str]) -> dict[str, Callable[[], list[Speech]]]:
    """Each way to speak ``texts``, by name: the loop first, the batch sizes after it."""
    found: dict[str, Callable[[], list[Speech]]] = {LOOP: lambda: [pipeline.synthesize(text) for text in texts]}
    for size in BATCH_SIZES:
        found[f"synthesize_many, batch {size}"] = lambda size=size: pipeline.synthesize_many(texts, batch_size=size)
    return found


def timed(run: Callable[[], list[Speech]]) -> tuple[float, float]:
    """Seconds ``run`` took, and seconds of audio it made."""
    started = time.perf_counter()
    spoken = run()
    seconds = time.perf_counter() - started
    return seconds, sum(speech.duration_s for speech in spoken)


def best_times(named: dict[str, Callable[[], list[Speech]]], repeats: int) -> dict[str, tuple[float, float]]:
    """Each way's best (seconds, audio seconds) over ``repeats`` rounds, every other round in reverse order."""
    best: dict[str, tuple[float, float]] = {}
    for round_number in range(repeats):
        order = list(named) if round_number % 2 == 0 else list(reversed(named))
        for name in order:
            result = timed(named[name])
            if name not in best or result[0] < best[name][0]:
                best[name] = result
    return best


def print_table(best: dict[str, tuple[float, float]]) -> None:
    loop_seconds = best[LOOP][0]
    print(f"{'way':<28} {'seconds':>8} {'x real time':>12} {'of the loop':>12}")
    for name, (seconds, audio_s) in best.items():
        print(f"{name:<28} {seconds:>8.2f} {audio_s / seconds:>12.1f} {seconds / loop_seconds:>12.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    parser.add_argument("--precision", choices=("auto", "fp32", "int8"), default="auto")
    parser.add_argument("--quick", action="store_true", help=f"the first {QUICK_TEXTS} texts only")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's own)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    texts = TEXTS[:QUICK_TEXTS] if args.quick else TEXTS
    pipeline = Pipeline(voice="af_heart", device=args.device, precision=args.precision, seed=0)
    pipeline.synthesize_many(texts[:2], batch_size=2)  # warm-up: model, voice and G2P load, kernels first run
    best = best_times(ways(pipeline, texts), args.repeats)
    audio_s = best[LOOP][1]
    print(f"{len(texts)} texts, {audio_s:.1f} s of audio; device {args.device}, precision {args.precision}, "
          f"{torch.get_num_threads()} torch threads; best of {args.repeats}")
    print_table(best)


if __name__ == "__main__":
    main()
