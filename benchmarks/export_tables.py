"""What the export benchmarks share (litert_export.py, tf_export.py): one runtime's measurements and
the two tables they write, the runtimes side by side and per utterance."""

from __future__ import annotations

import resource
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from kokoro_tui.convert.parity import CaseParity, ParityCase

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
