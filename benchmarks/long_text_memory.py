"""Stream a long text through the speech pipeline and show that memory stays bounded.

Generates deterministic English prose (default 50,000 characters), streams it chunk by chunk into a
streaming WAV writer on /dev/null, and samples the resident set size after every chunk. If the
pipeline held on to past audio, RSS would grow with the amount of text spoken; bounded means RSS at
the end is close to RSS after the first 10 % of the text. RSS also moves with native arenas
(onnxruntime, torch) that grow to the largest chunk seen, so the Python heap, which holds every
numpy array, is traced as well (tracemalloc): a pipeline that kept past audio shows up there as
growth proportional to the audio spoken (``audio_if_held_mib``).

    python benchmarks/long_text_memory.py [--chars 50000] [--backend onnx|torch] [--home DIR]

Prints a small report (and JSON with --json). It takes minutes (about real time on 2 CPU cores);
it is a benchmark, not a test.

Measured on the 2-core development machine (niced, sharing the CPU with other jobs), onnx backend,
the full 49,942 characters: 673 chunks, 3,075.6 s of audio in 2,764.5 s (time to first audio 30.1 s
under load). Python heap 214.3 MiB after 10 % of the text, 214.4 MiB at the end (+0.1 MiB, peak
223.8 MiB) while 281.6 MiB of audio passed through; RSS 1,070.5 MiB at 10 %, 1,075.8 MiB at 50 %,
1,087.0 MiB at the end (+16.5 MiB, onnxruntime's arena growing to the longest chunk seen).

Torch backend (the default, precision auto = int8 generator convs), quiet machine, 2026-11-28,
the full 49,942 characters: 673 chunks, 3,073.5 s of audio in 447.9 s (6.9x real time with G2P
and tracing; model load 10.0 s, first audio after 15.1 s). Python heap 175.5 MiB at 10 %,
175.7 MiB at the end (+0.2 MiB). RSS 1,755.8 MiB at 10 %, 1,798.1 MiB at 50 %, 1,852.6 MiB at the
end (+96.8 MiB, peak 1,853.0 MiB). Before oneDNN's kernel caches were capped
(kokoro_tui/model/allocator.py) the same run grew by 234 MiB to a 2,464 MiB peak.

Torch backend after the int8 convolutions were tiled and the kernel caches resized (2026-12-05, the
2-core Intel machine, sharing the CPU with a helper's test runs for part of the time): 673 chunks,
3,073.5 s of audio in 1,200.6 s (the speed is not the product's: tracing and the shared CPU). RSS
1,651.6 MiB at 10 %, 1,650.1 MiB at 50 %, 1,652.7 MiB at the end (+1.1 MiB, peak 1,653.1 MiB);
Python heap +0.4 MiB.

With the heap's free pages returned after every utterance (2026-12-06, the same machine, alone, but
slower than on 2026-11-28: the model loaded in 19.5 s instead of 10.0 s): 673 chunks, 3,073.5 s of
audio in 775.5 s. RSS 1,269.6 MiB at 10 %, 1,284.9 MiB at 50 %, 1,291.2 MiB at the end (+21.6 MiB,
peak 1,534.7 MiB; was 1,651.6 / 1,652.7 / 1,653.1); Python heap +0.4 MiB. The same 109 chunks of
8,000 characters twice each way, with and without the trim, alternating: 117.9 and 111.6 s kept,
120.1 and 97.6 s trimmed, so the cost (about 6,400 more page faults per second of audio) is below this
machine's run-to-run noise; RSS at the end 1,297-1,328 MiB kept, 1,110-1,111 MiB trimmed.

With three int8 tile lengths instead of two (2026-12-06, session 20, the 2-core AMD EPYC, alone; 54 distinct
int8 kernel shapes, well inside the 256 the cache keeps): 673 chunks, 3,073.5 s of audio in 695.3 s (model
load 11.5 s, first audio after 12.8 s). RSS 1,082.3 MiB at 10 %, 1,101.1 MiB at 50 %, 1,103.1 MiB at the end
(+20.8 MiB, peak 1,330.3 MiB); Python heap +0.1 MiB.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

SUBJECTS = ["The keeper", "A traveller", "The old map", "Our neighbour", "The small boat", "Every child",
            "The quiet town", "A letter", "The engineer", "The river"]
VERBS = ["remembered", "carried", "followed", "described", "painted", "measured", "watched", "opened",
         "repaired", "forgot"]
OBJECTS = ["the road to the coast", "a story about the winter", "the light above the harbour",
           "an answer nobody expected", "the garden behind the school", "a song from the valley",
           "the clock in the station", "the path through the forest", "a promise made long ago"]
TAILS = ["before the rain began", "while the market was still busy", "as the evening grew colder",
         "without saying a word", "and then walked home slowly", "because it seemed important",
         "long after everyone had left"]


def prose(n_chars: int, seed: int = 20240601) -> str:
    """Deterministic plain English, sentences of 8-16 words, paragraphs of 4-7 sentences."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    total = 0
    while total < n_chars:
        sentences = [
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."
            for _ in range(rng.randint(4, 7))
        ]
        paragraphs.append(" ".join(sentences))
        total += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)[:n_chars].rsplit(".", 1)[0] + "."


def rss_mib() -> float:
    """Current resident set size (not the peak) from /proc."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    from kokoro_tui.speech.audio_io import StreamingWavWriter
    from kokoro_tui.speech.pipeline import Pipeline

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=50_000)
    parser.add_argument("--backend", choices=["onnx", "torch"], default="onnx")
    parser.add_argument("--voice", default="af_heart")
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-heap", action="store_true",
                        help="skip tracemalloc, whose per-allocation records add to the RSS being measured")
    parser.add_argument("--curve", type=Path, default=None, help="write the RSS-over-time curve here (TSV, per chunk)")
    args = parser.parse_args()

    text = prose(args.chars)
    pipeline = Pipeline(voice=args.voice, backend=args.backend, home=args.home, seed=0)
    started = time.perf_counter()
    pipeline.load()
    if not args.no_heap:
        tracemalloc.start()
    samples: list[tuple[float, float, float]] = []  # (fraction of text done, RSS MiB, traced heap MiB)
    audio_s = 0.0
    first_audio_s = None
    chunks = 0
    curve = open(args.curve, "w", encoding="utf-8") if args.curve else None  # noqa: SIM115  (closed below)
    if curve:
        curve.write("seconds\ttext_done\taudio_s\trss_mib\theap_mib\n")
    with open("/dev/null", "wb") as sink:
        writer = StreamingWavWriter(sink)
        for chunk in pipeline.stream(text):
            writer.write(chunk.audio)
            audio_s += chunk.duration_s
            chunks += 1
            if first_audio_s is None:
                first_audio_s = time.perf_counter() - started
            done = chunk.timestamps[-1].end_char / len(text) if chunk.timestamps else 0.0
            samples.append((done, rss_mib(), tracemalloc.get_traced_memory()[0] / 2**20))
            if curve:  # line by line, so an interrupted run still leaves its curve
                elapsed = time.perf_counter() - started
                curve.write(f"{elapsed:.1f}\t{done:.4f}\t{audio_s:.1f}\t{samples[-1][1]:.1f}\t{samples[-1][2]:.1f}\n")
                curve.flush()
            print(f"\r{done:6.1%}  chunks {chunks}  audio {audio_s:7.1f} s  RSS {samples[-1][1]:7.1f} MiB  "
                  f"heap {samples[-1][2]:6.1f} MiB", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    wall = time.perf_counter() - started
    if curve:
        curve.close()

    def at(fraction: float) -> tuple[float, float]:
        return next((rss, heap) for done, rss, heap in samples if done >= fraction)

    report = {
        "chars": len(text),
        "backend": args.backend,
        "chunks": chunks,
        "audio_s": round(audio_s, 1),
        "wall_s": round(wall, 1),
        "model_load_s": round(pipeline.load_seconds, 2),
        "time_to_first_audio_s": round(first_audio_s or 0.0, 2),
        "realtime_factor": round((wall - pipeline.load_seconds) / audio_s, 3),
        "rss_at_10pct_mib": round(at(0.10)[0], 1),
        "rss_at_50pct_mib": round(at(0.50)[0], 1),
        "rss_at_end_mib": round(samples[-1][1], 1),
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "heap_at_10pct_mib": round(at(0.10)[1], 1),
        "heap_at_50pct_mib": round(at(0.50)[1], 1),
        "heap_at_end_mib": round(samples[-1][2], 1),
        "heap_peak_mib": round(tracemalloc.get_traced_memory()[1] / 2**20, 1),
        "audio_if_held_mib": round(audio_s * 24_000 * 4 / 2**20, 1),
    }
    report["rss_growth_10pct_to_end_mib"] = round(report["rss_at_end_mib"] - report["rss_at_10pct_mib"], 1)
    report["heap_growth_10pct_to_end_mib"] = round(report["heap_at_end_mib"] - report["heap_at_10pct_mib"], 1)
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        for key, value in report.items():
            print(f"{key:>26}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
