"""Our TensorFlow SavedModel export of the real model beside torch and onnxruntime, in one run.

Usage (in the converter environment, which has TensorFlow, nobuco and everything else):
    .venv-tf/bin/python benchmarks/tf_export.py [--home DIR] [--threads 2] [--repeats 2]
        [--export FOLDER] [--out benchmarks/conversion_tf.md]

The export is written to a temporary folder (not the home), or ``--export`` reuses one. Then: its
conversion time, size, load time (``TFKokoro``: the SavedModel + host weights), × real time on the
four sentences of benchmarks/onnx_export.py through ``TFKokoro`` as `kokoro say --backend tf` runs
it, and parity with our torch fp32 model without source noise (``convert.parity.compare``). In the
same run and on the same phonemes: our torch backend as `say` runs it (int8 convolutions, the
default) and our fp32 ONNX export through onnxruntime.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import torch
from export_tables import Measured, measure, peak_rss_mib, reference_runtimes, write_report
from onnx_export import TEXTS, cpu_note

from kokoro_tui.assets.model_store import ensure_torch_weights, model_config
from kokoro_tui.backends.tf_runtime import TFKokoro
from kokoro_tui.cli.convert import parity_cases
from kokoro_tui.convert.parity import torch_reference
from kokoro_tui.convert.tf_export import export_tf
from kokoro_tui.home import DataHome
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.model.loading import load_model

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path(os.environ.get("KOKORO_HOME") or REPO / ".test-home"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--export", type=Path, default=None, help="reuse this export folder instead of converting")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "conversion_tf.md")
    args = parser.parse_args()

    import tensorflow as tf

    torch.set_num_threads(args.threads)
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    home = DataHome(args.home)
    config = model_config(home)
    model = load_model(ensure_torch_weights(home), config).eval()
    cases = parity_cases(home, config, TEXTS)
    references = [torch_reference(model, case) for case in cases]
    audio_s = sum(len(audio) for audio, _, _ in references) / SAMPLE_RATE
    load_before = cpu_note()

    with tempfile.TemporaryDirectory(prefix="kokoro-tf-bench-") as folder:
        if args.export is None:
            print("converting ...", flush=True)
            result = export_tf(model, Path(folder) / "kokoro-tf")
            path, size, export_s = result.path, result.size_bytes, result.seconds
        else:
            path, export_s = args.export, float("nan")
            size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        started = time.perf_counter()
        runner = TFKokoro(path)
        measured = [Measured(f"TensorFlow {tf.__version__} SavedModel, float32", runner.synthesize, size, export_s,
                             time.perf_counter() - started)]  # fmt: skip
        measured += reference_runtimes(model, home, Path(folder), args.threads)
        measure(measured, cases, references, args.repeats)
    load_after = cpu_note()

    intro = (
        f"`.venv-tf/bin/python benchmarks/tf_export.py --threads {args.threads} --repeats {args.repeats}"
        f"{'' if args.export is None else ' --export FOLDER (converted before, not timed here)'}`, real Kokoro-82M "
        f"weights, {args.threads} threads everywhere. {len(cases)} utterances, {audio_s:.1f} s of audio; parity "
        "against our torch fp32 model without source noise on the same phoneme ids, style and speed (the torch "
        "backend row has its source noise, as `say` plays it). Peak RSS of the whole run (conversion included): "
        f"{peak_rss_mib():.0f} MiB."
    )
    title = "TensorFlow export: our model as a SavedModel, beside torch and onnxruntime"
    write_report(args.out, title, intro, f"{load_before} before, {load_after} after", measured, cases, audio_s)


if __name__ == "__main__":
    main()
