"""Our LiteRT export of the real model (float and int8 weights) beside torch and onnxruntime, in one run.

Usage (in the converter environment, which has litert-torch and everything else):
    .venv-litert/bin/python benchmarks/litert_export.py [--home DIR] [--threads 2] [--repeats 2]
        [--quantize none,int8] [--token-buckets ...] [--frame-buckets ...] [--out benchmarks/conversion_litert.md]

Each export is written to a temporary folder (not the home). Per export: conversion time, size,
load time (``LiteRTKokoro``: interpreter + host weights), x real time on the four sentences of
benchmarks/onnx_export.py through ``LiteRTKokoro`` as `kokoro say --backend litert` runs it, with
``--threads`` interpreter threads, and parity with our torch fp32 model without source noise
(``convert.parity.compare``). In the same run and on the same phonemes: our torch backend as `say`
runs it (int8 convolutions, the default) and our fp32 ONNX export through onnxruntime.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import torch
from export_tables import Measured, measure, peak_rss_mib, reference_runtimes, write_report
from onnx_export import TEXTS, cpu_note

from kokoro_tui.assets.model_store import ensure_torch_weights, model_config
from kokoro_tui.backends.litert_runtime import LiteRTKokoro
from kokoro_tui.cli.convert import parity_cases
from kokoro_tui.convert.litert_export import LiteRTResult, export_litert, quantize_export
from kokoro_tui.convert.litert_io import DESCRIPTION_FILE, FRAME_BUCKETS, TOKEN_BUCKETS, parse_buckets
from kokoro_tui.convert.parity import torch_reference
from kokoro_tui.home import DataHome
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.model.loading import load_model

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path(os.environ.get("KOKORO_HOME") or REPO / ".test-home"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--quantize", default="none,int8")
    parser.add_argument("--token-buckets", default=None)
    parser.add_argument("--frame-buckets", default=None)
    parser.add_argument("--float-export", type=Path, default=None,
                        help="reuse this float export folder instead of converting (its buckets then apply)")
    parser.add_argument("--keep", type=Path, default=None, help="also keep the exports in this folder")
    parser.add_argument("--cases", type=int, default=len(TEXTS), help="use only the first N sentences")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "conversion_litert.md")
    args = parser.parse_args()
    tokens = parse_buckets("--token-buckets", args.token_buckets) or TOKEN_BUCKETS
    frames = parse_buckets("--frame-buckets", args.frame_buckets) or FRAME_BUCKETS

    torch.set_num_threads(args.threads)
    home = DataHome(args.home)
    config = model_config(home)
    model = load_model(ensure_torch_weights(home), config).eval()
    cases = parity_cases(home, config, TEXTS[: args.cases])
    references = []
    for case in cases:
        references.append(torch_reference(model, case))
    audio_s = sum(len(audio) for audio, _, _ in references) / SAMPLE_RATE
    load_before = cpu_note()

    with tempfile.TemporaryDirectory(prefix="kokoro-litert-bench-") as folder:
        measured = []
        if args.float_export is None:
            print("converting ...", flush=True)
            floats = export_litert(model, Path(folder) / "kokoro-litert-none", "none", tokens, frames)
        else:
            description = json.loads((args.float_export / DESCRIPTION_FILE).read_text())
            tokens, frames = tuple(description["token_buckets"]), tuple(description["frame_buckets"])
            size = sum(path.stat().st_size for path in args.float_export.iterdir())
            floats = LiteRTResult(args.float_export, "none", size, float("nan"))
        print(f"  {floats.seconds:.0f} s, {floats.size_bytes / 1e6:.1f} MB, peak RSS {peak_rss_mib():.0f} MiB", flush=True)
        for quantize in args.quantize.split(","):
            result = floats if quantize == "none" else quantize_export(floats.path, Path(folder) / "kokoro-litert-int8")
            started = time.perf_counter()
            runner = LiteRTKokoro(result.path, threads=args.threads)
            seconds = result.seconds + (floats.seconds if quantize == "int8" else 0.0)  # NaN when reused
            measured.append(Measured(f"LiteRT, weights {quantize}", runner.synthesize, result.size_bytes, seconds,
                                     time.perf_counter() - started))  # fmt: skip
        measured += reference_runtimes(model, home, Path(folder), args.threads)
        measure(measured, cases, references, args.repeats)
        if args.keep is not None:
            shutil.copytree(folder, args.keep, dirs_exist_ok=True)
    load_after = cpu_note()

    intro = (
        f"`.venv-litert/bin/python benchmarks/litert_export.py --threads {args.threads} --repeats {args.repeats} "
        f"--quantize {args.quantize} --cases {len(cases)}"
        f"{'' if args.float_export is None else ' --float-export FOLDER (converted before, not timed here)'}`, real Kokoro-82M weights, {args.threads} threads everywhere. Token buckets "
        f"{', '.join(map(str, tokens))}; frame buckets {', '.join(map(str, frames))}. {len(cases)} utterances, "
        f"{audio_s:.1f} s of audio; parity against our torch fp32 model without source noise on the same phoneme "
        "ids, style and speed (the torch backend row has its source noise, as `say` plays it). Peak RSS of the "
        f"whole run (conversion included): {peak_rss_mib():.0f} MiB."
    )
    title = "LiteRT export: our model through the LiteRT interpreter, beside torch and onnxruntime"
    write_report(args.out, title, intro, f"{load_before} before, {load_after} after", measured, cases, audio_s)


if __name__ == "__main__":
    main()
