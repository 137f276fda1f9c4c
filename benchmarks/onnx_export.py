"""Our ONNX exports (fp32, fp16, int8) of the real model beside the public int8 export, in one run.

Usage: python benchmarks/onnx_export.py [--home DIR] [--threads 2] [--repeats 3] [--opset 13]
                                       [--out benchmarks/conversion.md]

The data home defaults to $KOKORO_HOME, else the test data home (<repo>/.test-home). The exports
are written to a temporary folder, not into the home (where `say --backend onnx` would pick them
up). Every file runs through ``OnnxKokoro``, as `kokoro say --backend onnx` runs it, with
``--threads`` intra-op threads; the public export's audio is level-corrected as the backend does.

Per file: size, export time, load time (backend construction: graph read + session), ×real time
on four sentences of 30 to 200 phonemes (phonemes from our text front end, three voices; runs
interleaved over the files so that load drift on a shared machine hits all alike, the best of
``--repeats`` kept per sentence), and parity with our torch fp32 model without source noise
(``convert.parity.compare``: durations, waveform correlation, level, log-mel agreement).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from kokoro_tui.assets.manifest import ONNX_NAME
from kokoro_tui.assets.model_store import ensure_torch_weights, model_config, model_dir
from kokoro_tui.backends.onnx_runtime import OnnxKokoro
from kokoro_tui.backends.onnx_synthesizer import correct_onnx_audio
from kokoro_tui.cli.convert import parity_cases
from kokoro_tui.convert.onnx_export import DEFAULT_OPSET, export_onnx
from kokoro_tui.convert.onnx_io import DTYPES
from kokoro_tui.convert.parity import CaseParity, ParityCase, compare, torch_reference
from kokoro_tui.evaluation.spectral import mel_agreement
from kokoro_tui.home import DataHome
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.model.loading import load_model

REPO = Path(__file__).resolve().parents[1]
PUBLIC = "public int8"
TEXTS: tuple[tuple[str, str], ...] = (
    ("af_heart", "Please call me when you get home tonight."),
    ("am_adam", "The old lighthouse stood at the edge of the cliff, watching over the quiet harbor."),
    ("bf_emma", "Every evening, the keeper climbed the narrow stairs to light the great lamp, and ships "
                "passing in the night relied on its steady beam to find their way home."),
    ("af_heart", "It was the best of times, it was the worst of times, it was the age of wisdom, it was "
                 "the age of foolishness, it was the epoch of belief, it was the epoch of incredulity, "
                 "it was the season of light, it was the season of darkness."),
)  # fmt: skip


@dataclass
class Measured:
    name: str
    path: Path
    size_bytes: int
    export_s: float | None
    load_s: float
    backend: OnnxKokoro
    best_s: list[float] = field(default_factory=list)
    parity: list[CaseParity] = field(default_factory=list)


def run(backend: OnnxKokoro, case: ParityCase) -> tuple[np.ndarray, np.ndarray]:
    """The backend's audio as `say` plays it (the public export level-corrected) and durations."""
    audio, durations = backend.synthesize(case.ids, case.style, case.speed)
    return (correct_onnx_audio(audio) if backend.public_export else audio), durations


def opened(name: str, path: Path, export_s: float | None, threads: int) -> Measured:
    started = time.perf_counter()
    backend = OnnxKokoro(path, threads=threads)
    return Measured(name, path, path.stat().st_size, export_s, time.perf_counter() - started, backend)


def cpu_note() -> str:
    """Load averages and the other processes' share of the CPUs, for the record."""
    load = os.getloadavg()
    return f"load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1 / 5 / 15 min) on {os.cpu_count()} CPUs"


# How the files are made, written into the report beside the figures (the code says the same in
# convert/onnx_export.py, onnx_graph.py, onnx_int8.py and stft_convs.py).
NOTES = """## How the exports are made

- **One graph for every length.** `input_ids` [1, T] (T up to 512 with the pads), the frame count
  and the audio length are graph values; the graph is traced from a twin of our model
  (`convert/onnx_graph.py`) in which the pieces that decide sizes in Python or run outside torch
  (AdaIN's variance shortcut, numba Snake kernels, the batched generator) are plain float torch.
  The harmonic source runs without noise, so every file is deterministic and its durations can
  be compared token by token with torch's.
- **Our level.** The STFT and iSTFT are convolutions with the DFT bases; the iSTFT divides by the
  window-square envelope overlap-added for the actual frame count, as `torch.istft` does. The
  public export divides by a fixed 20-sample window sum: 1.5x too loud inside, exploding in the
  first 10 samples. The level column is RMS(export) / RMS(torch).
- **Opset 13 by default**, the lowest this graph exports at: at 12 and 11 torch's exporter cannot
  write `repeat_interleave` along a dimension of unknown length (the upsampling shortcut of
  `AdainResBlk1d` and the harmonic source use it), 10 has no `Round` (durations), 9 no dynamic
  `Slice`. The STFT/iSTFT do not set the floor (ONNX's `STFT` op would need 17 and there is no
  inverse op). `--opset` takes 13 to 20.
- **fp16**: traced in half precision, everything but the float32 parts below. (onnxruntime's copy
  of onnxconverter-common's float16 converter, tried first, rounds every tensor through float16
  even between nodes it keeps float32: 2.2 dB log-mel distance even with every node blocked.)
- **int8**: onnxruntime's dynamic quantisation (uint8 weights and activations) of the convolutions,
  LSTMs and weight matmuls. onnxruntime's `ConvInteger` is no faster than its float convolution on
  this CPU (the public export is int8 the same way), so int8 buys size, not speed. Static QDQ
  quantisation (per-channel int8 weights, MinMax calibration on 8 utterances) was measured once
  during development on three sentences: 1.9x this int8's speed, but 2.6 dB log-mel distance where
  this int8 had 1.3 dB, and it needs calibration voices and phonemes.
- **Float32 in every dtype**: the duration path (everything the `durations` output depends on), so
  durations and audio length equal torch's; the harmonic source (phase accumulated over thousands
  of samples), the STFT/iSTFT bases, and `conv_post` (its output goes through `exp`).
- **Why fp32 is not bit-exact**: in silent stretches the harmonic source is constant, and the
  phase of its spectrum's empty bins is the argument of rounding noise, different in torch's FFT
  and in the DFT convolution. The network reads that phase, so the waveforms drift apart a little
  there (torch's own STFT in the twin instead of the convolution: audio correlation 0.9998).
"""


def table(files: list[Measured], audio_s: float, public: Measured) -> list[str]:
    public_speed = audio_s / sum(public.best_s)
    rows = [
        "| file | size | export | load | × real time | vs public int8 | durations identical | audio corr. "
        "| spectral corr. | log-mel dist. | DTW log-mel | level |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for item in files:
        speed = audio_s / sum(item.best_s)
        same = sum(case.durations_identical for case in item.parity)
        correlations = [case.audio_correlation for case in item.parity if case.audio_correlation is not None]
        audio_corr = f"{np.mean(correlations):.4f}" if correlations else "n/a"
        export = "–" if item.export_s is None else f"{item.export_s:.0f} s"
        rows.append(
            f"| {item.name} | {item.size_bytes / 1e6:.1f} MB | {export} | {item.load_s:.2f} s | {speed:.2f}× "
            f"| {speed / public_speed:.2f} | {same}/{len(item.parity)} | {audio_corr} "
            f"| {np.mean([c.spectral_correlation for c in item.parity]):.4f} "
            f"| {np.mean([c.log_mel_distance_db for c in item.parity]):.2f} dB "
            f"| {np.mean([c.log_mel_dtw_distance_db for c in item.parity]):.2f} dB "
            f"| {np.mean([c.level_ratio for c in item.parity]):.3f} |"
        )
    return rows


def case_rows(files: list[Measured], cases: list[ParityCase]) -> list[str]:
    rows = ["| file | utterance | seconds | durations | audio corr. | spectral corr. | log-mel dist. |",
            "|---|---|---|---|---|---|---|"]  # fmt: skip
    for item in files:
        for case, parity, best in zip(cases, item.parity, item.best_s):
            durations = "identical" if parity.durations_identical else f"differ (max {parity.durations_max_difference})"
            corr = "n/a" if parity.audio_correlation is None else f"{parity.audio_correlation:.4f}"
            rows.append(f"| {item.name} | {case.name} | {best:.2f} s | {durations} | {corr} "
                        f"| {parity.spectral_correlation:.4f} | {parity.log_mel_distance_db:.2f} dB |")  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path(os.environ.get("KOKORO_HOME") or REPO / ".test-home"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--opset", type=int, default=DEFAULT_OPSET)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "conversion.md")
    args = parser.parse_args()

    # The torch reference on one thread: with two, OpenMP threads spinning at barriers made
    # each LSTM call 500x slower whenever another process held a core.
    torch.set_num_threads(1)
    home = DataHome(args.home)
    config = model_config(home)
    model = load_model(ensure_torch_weights(home), config).eval()
    cases = parity_cases(home, config, TEXTS)
    references = []
    for case in cases:
        references.append(torch_reference(model, case))
    audio_s = sum(len(audio) for audio, _, _ in references) / SAMPLE_RATE
    load_before = cpu_note()

    with tempfile.TemporaryDirectory(prefix="kokoro-onnx-bench-") as folder:
        files = []
        for dtype in DTYPES:
            print(f"exporting {dtype} ...", flush=True)
            result = export_onnx(model, Path(folder) / f"kokoro-{dtype}.onnx", dtype, args.opset)
            files.append(opened(f"ours {dtype}", result.path, result.seconds, args.threads))
        public = opened(PUBLIC, model_dir(home) / ONNX_NAME, None, args.threads)
        files.append(public)

        for index, (case, reference) in enumerate(zip(cases, references)):
            for item in files:
                run(item.backend, case)  # warm-up, and the audio the parity is measured on
                audio, durations = run(item.backend, case)
                item.parity.append(compare(case.name, reference, (audio, durations, {}), mel_agreement))
                item.best_s.append(float("inf"))
            for _ in range(args.repeats):
                for item in files:
                    started = time.perf_counter()
                    run(item.backend, case)
                    item.best_s[index] = min(item.best_s[index], time.perf_counter() - started)
            print(f"{case.name}: " + ", ".join(f"{item.name} {item.best_s[index]:.2f} s" for item in files), flush=True)
    load_after = cpu_note()

    lines = [
        "# ONNX export: our model in fp32, fp16 and int8 beside the public int8 export",
        "",
        f"`python benchmarks/onnx_export.py --threads {args.threads} --repeats {args.repeats}` "
        f"(opset {args.opset}), real Kokoro-82M weights, onnxruntime CPU, {args.threads} intra-op threads. "
        f"{len(cases)} utterances, {audio_s:.1f} s of audio in all; phonemes from our text front end, "
        "style rows by the pipeline's rule. Parity is against our torch fp32 model without source noise "
        "(the exports are deterministic) on the same phoneme ids, style and speed. Audio correlation is the "
        "waveform's Pearson r; spectral correlation and log-mel distance are `evaluation.spectral.mel_agreement`'s "
        "(level-normalised log-mel, frame by frame; DTW along the best alignment). Level is the RMS ratio to torch; "
        "the public export's audio is level-corrected first, as `say --backend onnx` does. Where durations differ "
        "(the public export), the audio lengths differ and frame-by-frame measures compare shifted frames: there the "
        "DTW column is the fair one.",
        "",
        f"The 2-core machine was shared while this ran: {load_before} before, {load_after} after. Timings are the "
        "best of the repeats, interleaved over the files, and still carry that noise; compare them within this "
        "table only.",
        "",
        *table(files, audio_s, public),
        "",
        NOTES,
        "## Per utterance (best time of the repeats)",
        "",
        *case_rows(files, cases),
        "",
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
