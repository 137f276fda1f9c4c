"""How close the fine-tuned model speaks held-out utterances to the recordings of them.

Four figures per utterance, averaged, for the model before and after training:
- ``mel_db``: mean |Δ log-mel| in dB between the model's free reading (its own durations and
  pitch) and the recording, level-normalised and aligned by DTW, since the two differ in timing;
- ``duration_ms``: mean |predicted − aligned| duration per phoneme, in milliseconds;
- ``length_pct``: |predicted − recorded| utterance length, in percent of the recording;
- ``f0_st``: RMS error in semitones of the predicted F0 curve (along the aligned durations)
  against pYIN's, over frames voiced in the recording.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from kokoro_tui.evaluation.spectral import level_normalise, log_mel_db
from kokoro_tui.model.alignment import alignment_matrix
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.training.finetune_batch import style_row
from kokoro_tui.training.finetune_data import TrainingItem
from kokoro_tui.training.finetune_net import FinetuneNet
from kokoro_tui.training.prosody_targets import VOICED_HZ


@dataclass(frozen=True)
class HeldOutScores:
    mel_db: float
    duration_ms: float
    length_pct: float
    f0_st: float

    def as_metrics(self) -> dict[str, float]:
        return {"mel_db": self.mel_db, "duration_ms": self.duration_ms, "length_pct": self.length_pct, "f0_st": self.f0_st}


def dtw_mel_distance(first: np.ndarray, second: np.ndarray) -> float:
    """Mean |Δ| in dB between two level-normalised log-mels along their cheapest monotonic alignment."""
    import librosa
    from scipy.spatial.distance import cdist

    a, b = log_mel_db(level_normalise(first)), log_mel_db(level_normalise(second))
    cost = cdist(a.T, b.T, metric="cityblock") / a.shape[0]
    _, path = librosa.sequence.dtw(C=cost)
    return float(cost[path[:, 0], path[:, 1]].mean())


def _style(net: FinetuneNet, tokens: int) -> torch.Tensor:
    """``[1, 256]``: the learned voice's row for an utterance of ``tokens`` phonemes."""
    return (net.base_pack[style_row(net.base_pack.shape[0], tokens)] + net.voice_offset)[None]


def free_reading(net: FinetuneNet, ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Audio and durations of ``ids`` as the network speaks them alone, with the learned voice (no noise)."""
    model = net.model
    tokens = torch.tensor([[0, *ids, 0]], device=model.device)
    style = _style(net, len(ids))
    with torch.no_grad():
        reading = model(tokens, torch.tensor([tokens.shape[1]], device=model.device), style, 1.0, noise=False)
    return reading.audio[0].float().cpu().numpy(), reading.durations[0].cpu().numpy()


def _item_scores(net: FinetuneNet, item: TrainingItem) -> tuple[float, float, float, float]:
    model = net.model
    audio, predicted = free_reading(net, item.ids.tolist())
    ids = torch.tensor([[0, *item.ids.tolist(), 0]], device=model.device)
    style = _style(net, len(item.ids))
    per_frame_ms = 1000.0 * model.config.samples_per_duration / SAMPLE_RATE
    duration_ms = float(np.abs(predicted - item.durations).mean() * per_frame_ms)
    length_pct = float(100.0 * abs(int(predicted.sum()) - item.frames) / item.frames)

    half = model.config.style_dim
    d = model.predictor.text_encoder(model.bert_encoder(model.bert(ids)), style[:, half:], None, None)
    align = alignment_matrix(torch.from_numpy(item.durations)[None].to(model.device), item.frames).to(d.dtype)
    f0, _ = model.predictor.curves(d.transpose(1, 2) @ align, style[:, half:], None, None, None)
    f0 = f0[0].float().cpu().numpy()
    voiced = (item.f0 > 0) & (f0 > VOICED_HZ)
    f0_st = float(np.sqrt(np.mean((12 * np.log2(f0[voiced] / item.f0[voiced])) ** 2))) if voiced.any() else float("nan")
    mel_db = dtw_mel_distance(audio, item.audio)
    return mel_db, duration_ms, length_pct, f0_st


def held_out_scores(net: FinetuneNet, items: Sequence[TrainingItem]) -> HeldOutScores:
    """The four figures averaged over ``items`` (the network is put in eval mode and back)."""
    was_training = net.training
    net.eval()
    try:
        with torch.no_grad():
            rows = np.array([_item_scores(net, item) for item in items])
    finally:
        net.train(was_training)
    mel_db, duration_ms, length_pct, f0_st = np.nanmean(rows, axis=0)
    return HeldOutScores(float(mel_db), float(duration_ms), float(length_pct), float(f0_st))
