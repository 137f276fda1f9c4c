"""What the export benchmarks share (litert_export.py, tf_export.py): one runtime's measurements, the
reference runtimes measured beside an export (our fp32 ONNX in onnxruntime, torch as `say` runs it),
the timing and parity loop, and the two tables they write."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kokoro_tui.backends.onnx_runtime import OnnxKokoro
from kokoro_tui.backends.torch_synthesizer import TorchSynthesizer
from kokoro_tui.convert.onnx_export import export_onnx
from kokoro_tui.convert.parity import CaseParity, ParityCase, Spoken, compare
from kokoro_tui.evaluation.spectral import mel_agreement
from kokoro_tui.home import DataHome
from kokoro_tui.model.kokoro import KokoroModel

Runner = Callable[[list[int], np.ndarray, float], tuple[np.ndarray, np.ndarray]]


@dataclass
class Measured:
    name: str
    run: Runner
    size_bytes: int | None
    export_s: float | None
    load_s: float
    best_s: list[float] = field(default_factory=list)
    parity: list[CaseParity] = field(default_factory=list)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reference_runtimes(model: KokoroModel, home: DataHome, folder: Path, threads: int) -> list[Measured]:
    """Our fp32 ONNX export (written to ``folder``) through onnxruntime, and the torch backend as `say` runs it."""
    onnx = export_onnx(model, folder / "kokoro-fp32.onnx", "fp32")
    started = time.perf_counter()
    session = OnnxKokoro(onnx.path, threads=threads)
    measured = [Measured("ONNX fp32, onnxruntime", session.synthesize, onnx.size_bytes, onnx.seconds,
                         time.perf_counter() - started)]  # fmt: skip
    started = time.perf_counter()
    torch_backend = TorchSynthesizer(home, "cpu", "int8")
    measured.append(Measured("torch, int8 convolutions (say's default)",
                             lambda ids, style, speed: torch_backend.synthesize(ids, style, speed, 0), None, None,
                             time.perf_counter() - started))  # fmt: skip
    return measured


def measure(measured: Sequence[Measured], cases: Sequence[ParityCase], references: Sequence[Spoken],
            repeats: int) -> None:  # fmt: skip
    """Each runtime on each case: parity with the reference, then the best time of ``repeats`` runs,
    the runtimes interleaved so that the machine's drift falls on all of them alike."""
    for index, (case, reference) in enumerate(zip(cases, references)):
        for item in measured:
            audio, durations = item.run(list(case.ids), case.style, case.speed)
            item.parity.append(compare(case.name, reference, (audio, durations, {}), mel_agreement))
            item.best_s.append(float("inf"))
        for _ in range(repeats):
            for item in measured:
                started = time.perf_counter()
                item.run(list(case.ids), case.style, case.speed)
                item.best_s[index] = min(item.best_s[index], time.perf_counter() - started)
        print(f"{case.name}: " + ", ".join(f"{m.name} {m.best_s[index]:.2f} s" for m in measured), flush=True)


def summary_rows(measured: Sequence[Measured], audio_s: float) -> list[str]:
    """Size, export and load time, × real time and parity of each runtime, a row each."""
    rows = ["| runtime | size | export | load | × real time | durations identical | audio corr. | spectral corr. "
            "| log-mel dist. | level |", "|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for item in measured:
        correlations = [c.audio_correlation for c in item.parity if c.audio_correlation is not None]
        identical = sum(c.durations_identical for c in item.parity)
        rows.append(
            f"| {item.name} | {'–' if item.size_bytes is None else f'{item.size_bytes / 1e6:.1f} MB'} "
            f"| {'–' if item.export_s is None or item.export_s != item.export_s else f'{item.export_s:.0f} s'} "
            f"| {item.load_s:.2f} s "
            f"| {audio_s / sum(item.best_s):.2f}× | {identical}/{len(item.parity)} "
            f"| {np.mean(correlations):.4f} | {np.mean([c.spectral_correlation for c in item.parity]):.4f} "
            f"| {np.mean([c.log_mel_distance_db for c in item.parity]):.2f} dB "
            f"| {np.mean([c.level_ratio for c in item.parity]):.3f} |"
        )
    return rows


def per_case_rows(measured: Sequence[Measured], cases: Sequence[ParityCase]) -> list[str]:
    """Each runtime on each utterance: best time, durations, audio correlation, log-mel distance."""
    rows = ["| runtime | utterance | seconds | durations | audio corr. | log-mel dist. |", "|---|---|---|---|---|---|"]
    for item in measured:
        for case, parity, best in zip(cases, item.parity, item.best_s):
            corr = "n/a" if parity.audio_correlation is None else f"{parity.audio_correlation:.4f}"
            rows.append(f"| {item.name} | {case.name} | {best:.2f} s | "
                        f"{'identical' if parity.durations_identical else 'differ'} | {corr} "
                        f"| {parity.log_mel_distance_db:.2f} dB |")  # fmt: skip
    return rows


def write_report(out: Path, title: str, intro: str, machine_load: str, measured: Sequence[Measured],
                 cases: Sequence[ParityCase], audio_s: float) -> None:  # fmt: skip
    """The benchmark's Markdown: title, how it ran, both tables."""
    lines = [f"# {title}", "", intro, "", f"Machine load: {machine_load}.", "", *summary_rows(measured, audio_s), "",
             "## Per utterance (best time of the repeats)", "", *per_case_rows(measured, cases), ""]  # fmt: skip
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")
