"""Does an export of ours (ONNX or LiteRT) speak like the torch model it came from? Measured on the same inputs.

Per utterance: the integer durations (identical, largest difference), the stages between them
and the audio where the export returns them (``config.STAGES``: the F0 and energy curves and the
decoder's features, each by correlation and relative RMS error), the waveform correlation (when
the lengths agree), the level (RMS ratio, 1.0 for our exports where the public one reads 1.5),
and the log-mel agreement. Torch runs without source noise, as the export does.

The log-mel measure is passed in by the caller (``evaluation.spectral.mel_agreement``): convert
sits below evaluation in the layers (tests/test_import_rules.py), so it cannot import it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
import onnxruntime as ort
import torch

from kokoro_tui.atomic import atomic_write_text
from kokoro_tui.convert.onnx_io import AUDIO, DURATIONS, EXPORT_MARK, feeds
from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import STAGES
from kokoro_tui.model.kokoro import KokoroModel
from kokoro_tui.model.stages import captured_stages

REPORT_SUFFIX = ".parity.json"


class SpectralAgreement(Protocol):
    distance_db: float
    correlation: float
    dtw_distance_db: float


SpectralMeasure = Callable[[np.ndarray, np.ndarray], SpectralAgreement]
# One utterance as spoken: audio, durations incl. BOS/EOS, and the stages by name (any of config.STAGES, or none).
Spoken = tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]
# An export as a function: (phoneme ids without pads, style row, speed) -> what it spoke.
ExportRunner = Callable[[Sequence[int], np.ndarray, float], Spoken]


@dataclass(frozen=True)
class ParityCase:
    """One utterance to compare: phoneme ids without the pads, a style row, a speed."""

    name: str
    ids: Sequence[int]
    style: np.ndarray
    speed: float = 1.0


@dataclass(frozen=True)
class StageParity:
    """One intermediate result of export and torch, compared where their lengths agree."""

    correlation: float
    relative_error: float  # RMS of the difference / RMS of torch's

    @classmethod
    def of(cls, reference: np.ndarray, exported: np.ndarray) -> StageParity | None:
        if reference.shape != exported.shape:
            return None
        reference, exported = reference.astype(np.float64).ravel(), exported.astype(np.float64).ravel()
        scale = float(np.sqrt(np.mean(reference**2))) or 1.0
        return cls(float(np.corrcoef(reference, exported)[0, 1]),
                   float(np.sqrt(np.mean((exported - reference) ** 2))) / scale)


@dataclass(frozen=True)
class CaseParity:
    name: str
    tokens: int
    durations_identical: bool
    durations_max_difference: int  # -1 when the token counts differ
    audio_correlation: float | None  # None when the lengths differ
    level_ratio: float  # RMS of the export / RMS of torch
    spectral_correlation: float
    log_mel_distance_db: float
    log_mel_dtw_distance_db: float
    # by stage name, for the stages the export returns; None where the lengths differ
    stages: dict[str, StageParity | None] = field(default_factory=dict)

    def line(self) -> str:
        audio = "n/a (lengths differ)" if self.audio_correlation is None else f"{self.audio_correlation:.4f}"
        durations = "identical" if self.durations_identical else f"differ (up to {self.durations_max_difference})"
        stages = "".join(
            f"{name} n/a (lengths differ), " if stage is None
            else f"{name} correlation {stage.correlation:.4f} (error {100 * stage.relative_error:.2f} %), "
            for name, stage in self.stages.items()
        )  # fmt: skip
        return (
            f"{self.name}: {self.tokens} tokens, durations {durations}, {stages}audio correlation {audio}, "
            f"level {self.level_ratio:.3f}, spectral correlation {self.spectral_correlation:.4f}, "
            f"log-mel distance {self.log_mel_distance_db:.2f} dB"
        )


@dataclass(frozen=True)
class ParityReport:
    file: str
    dtype: str
    cases: tuple[CaseParity, ...]

    @property
    def durations_identical(self) -> bool:
        return all(case.durations_identical for case in self.cases)

    def mean(self, name: str) -> float:
        """Mean of a numeric ``CaseParity`` field over the cases where it is defined (NaN if none)."""
        values = [getattr(case, name) for case in self.cases if getattr(case, name) is not None]
        return float(np.mean(values)) if values else float("nan")

    def stage_correlation(self, stage: str) -> float:
        """Lowest correlation of ``stage`` over the cases where it was compared (NaN if none)."""
        values = [case.stages[stage].correlation for case in self.cases if case.stages.get(stage) is not None]
        return float(min(values)) if values else float("nan")

    def lines(self) -> list[str]:
        compared = [name for name in STAGES if any(case.stages.get(name) for case in self.cases)]
        stages = "".join(f"lowest {name} correlation {self.stage_correlation(name):.4f}, " for name in compared)
        summary = (
            f"{self.dtype}: durations {'identical' if self.durations_identical else 'DIFFER'} in every case; "
            f"{stages}mean audio correlation {self.mean('audio_correlation'):.4f}, spectral correlation "
            f"{self.mean('spectral_correlation'):.4f}, log-mel distance {self.mean('log_mel_distance_db'):.2f} dB"
        )
        return [case.line() for case in self.cases] + [summary]

    def write_json(self, path: str | Path) -> None:
        atomic_write_text(path, json.dumps(asdict(self), indent=2) + "\n")


def report_path(export_path: str | Path) -> Path:
    """``kokoro-fp32.onnx`` → ``kokoro-fp32.parity.json`` beside it; a LiteRT export folder → the
    same name inside it."""
    export_path = Path(export_path)
    if export_path.is_dir():
        return export_path / "parity.json"
    return export_path.with_name(export_path.stem + REPORT_SUFFIX)


def open_export(path: str | Path, threads: int = 2) -> ort.InferenceSession:
    """An onnxruntime CPU session on one of our exports (a KokoroError for anything else)."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    try:
        session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own Fail/NoSuchFile/InvalidProtobuf types
        raise KokoroError(f"cannot open ONNX model {path}: {error}") from error
    if EXPORT_MARK not in session.get_modelmeta().custom_metadata_map:
        raise KokoroError(f"{path} is not a kokoro-tui export", hint="make one with `kokoro convert export --to onnx`")
    return session


def _power(audio: np.ndarray) -> float:
    return float(np.mean(np.square(audio, dtype=np.float64)))


def compare(
    name: str,
    reference: Spoken,
    exported: Spoken,
    spectral: SpectralMeasure,
) -> CaseParity:
    """Measures of one utterance from torch's and the export's ``(audio, durations, stages)``."""
    (audio, durations, stages), (other_audio, other_durations, other_stages) = reference, exported
    same_length = len(durations) == len(other_durations)
    difference = int(np.abs(durations - other_durations).max()) if same_length else -1
    correlation = float(np.corrcoef(audio, other_audio)[0, 1]) if len(audio) == len(other_audio) else None
    level = float(np.sqrt(_power(other_audio) / _power(audio)))
    agreement = spectral(audio, other_audio)
    compared = {stage: StageParity.of(stages[stage], other_stages[stage]) for stage in STAGES if stage in other_stages}
    return CaseParity(
        name, len(durations), difference == 0, difference, correlation, level,
        agreement.correlation, agreement.distance_db, agreement.dtw_distance_db, compared,
    )  # fmt: skip


def onnx_runner(onnx_path: str | Path, threads: int = 2) -> tuple[ExportRunner, str]:
    """One of our ONNX exports as an ``ExportRunner`` (with the stages it has), and its dtype."""
    session = open_export(onnx_path, threads)
    present = {output.name for output in session.get_outputs()}
    stages = [stage for stage in STAGES if stage in present]

    def run(ids: Sequence[int], style: np.ndarray, speed: float) -> Spoken:
        audio, durations, *values = session.run([AUDIO, DURATIONS, *stages], feeds(ids, style, speed))
        return audio, durations, dict(zip(stages, values))

    return run, session.get_modelmeta().custom_metadata_map[EXPORT_MARK]


def torch_reference(model: KokoroModel, case: ParityCase) -> Spoken:
    """The torch model's audio, durations and stages for ``case``, without source noise."""
    with captured_stages(model) as stages:
        result = model.synthesize(case.ids, torch.as_tensor(case.style), case.speed, noise=False)
    return result.audio.numpy(), result.durations.numpy(), {k: v.detach().float().numpy() for k, v in stages.items()}


def check_parity(
    model: KokoroModel,
    export_path: str | Path,
    cases: Sequence[ParityCase],
    spectral: SpectralMeasure,
    threads: int = 2,
    on_case: Callable[[], None] | None = None,
    runner: tuple[ExportRunner, str] | None = None,
) -> ParityReport:
    """Run every case through ``model`` (no noise) and the export at ``export_path``, and compare them;
    ``on_case`` is called after each (progress). ``runner`` (with its dtype label) runs the export;
    by default it is opened as one of our ONNX files."""
    run, dtype = runner or onnx_runner(export_path, threads)
    results = []
    for case in cases:
        exported = run(case.ids, case.style, case.speed)
        results.append(compare(case.name, torch_reference(model, case), exported, spectral))
        if on_case is not None:
            on_case()
    return ParityReport(str(export_path), dtype, tuple(results))
