"""A corpus turned into training items: phoneme ids, aligned durations, level-matched audio, F0 and energy.

Each item is computed once and cached in ``HOME/cache/finetune/`` under a hash of everything it
depends on (the recording, its text, the language, the model's weights and the starting voice),
so a second run, a resumed run or another process of the same run reads it in milliseconds.

Recordings come at any level; the decoder was trained on speech at its own. Each recording is
scaled to the RMS of the model's reading of the same text with the starting voice, so the
energy curve it is taught with is on the scale its own predictor speaks.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from kokoro_tui.atomic import atomic_path
from kokoro_tui.model.config import MAX_TOKENS
from kokoro_tui.model.kokoro import KokoroModel
from kokoro_tui.text.frontend import TextFrontend
from kokoro_tui.text.vocab import PhonemeVocab
from kokoro_tui.training.corpus import Utterance
from kokoro_tui.training.finetune_batch import style_row
from kokoro_tui.training.forced_alignment import align_recording
from kokoro_tui.training.prosody_targets import energy_targets, pitch_curve

#: Bump when the way an item is computed changes: old cache entries are then never read.
FEATURE_VERSION = 1
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TrainingItem:
    """One utterance ready for a training step; ``durations`` include BOS/EOS and sum to ``frames``."""

    id: str
    ids: np.ndarray  # int64 [T], without the 0 pads
    durations: np.ndarray  # int64 [T+2]
    audio: np.ndarray  # float32 [frames · samples_per_frame], level-matched, zero-padded at the end
    f0: np.ndarray  # float32 [2·frames], Hz, 0 unvoiced
    energy: np.ndarray  # float32 [2·frames]

    @property
    def frames(self) -> int:
        return int(self.durations.sum())


def weights_fingerprint(model: KokoroModel) -> str:
    """A short hash of the weights, so cached alignments made with other weights are not reused."""
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().float().cpu().numpy().tobytes()[:4096])
    return digest.hexdigest()[:16]


class ItemBuilder:
    """Computes (or reads from cache) the training item of each utterance."""

    def __init__(
        self, model: KokoroModel, frontend: TextFrontend, vocab: PhonemeVocab, pack: np.ndarray, cache: Path
    ) -> None:
        self.model = model
        self.frontend = frontend
        self.vocab = vocab
        self.pack = np.asarray(pack, dtype=np.float32).reshape(pack.shape[0], -1)
        self.cache = cache
        self._key = f"{FEATURE_VERSION}|{frontend.lang}|{weights_fingerprint(model)}|{_array_hash(self.pack)}"

    def phoneme_ids(self, text: str) -> list[int]:
        """Token ids of ``text`` (a ValueError when it has none, or more than one pass takes)."""
        ids = self.vocab.encode(self.frontend.phonemize(text)).ids
        if not ids:
            raise ValueError("no phonemes")
        if len(ids) > MAX_TOKENS - 2:
            raise ValueError(f"{len(ids)} phonemes, more than one pass takes ({MAX_TOKENS - 2})")
        return ids

    def build(self, utterance: Utterance) -> TrainingItem:
        """The item of ``utterance``; ValueError if its text cannot be used."""
        if not utterance.text:
            raise ValueError("no transcript")
        key = hashlib.sha256(f"{self._key}|{utterance.text}|{_array_hash(utterance.audio)}".encode()).hexdigest()
        path = self.cache / f"{key[:32]}.npz"
        if path.is_file():
            cached = _read_item(path, utterance.id)
            if cached is not None:
                return cached
        item = self._compute(utterance, self.phoneme_ids(utterance.text))
        _write_item(path, item)
        return item

    def _compute(self, utterance: Utterance, ids: list[int]) -> TrainingItem:
        per_frame = self.model.config.samples_per_duration
        row = torch.from_numpy(self.pack[style_row(self.pack.shape[0], len(ids))]).to(self.model.device)
        with torch.no_grad():
            reading = self.model(
                torch.tensor([[0, *ids, 0]], device=self.model.device),
                torch.tensor([len(ids) + 2], device=self.model.device),
                row.reshape(1, -1), 1.0, noise=False,
            )
        reference = reading.audio[0].float().cpu().numpy()
        recording = utterance.audio * (_rms(reference) / max(_rms(utterance.audio), 1e-8))
        durations = align_recording(reference, reading.durations[0].cpu().numpy(), recording, per_frame)
        frames = int(durations.sum())
        audio = np.zeros(frames * per_frame, dtype=np.float32)
        audio[: recording.size] = recording
        return TrainingItem(
            utterance.id, np.asarray(ids, dtype=np.int64), durations, audio,
            pitch_curve(audio, 2 * frames), energy_targets(audio, 2 * frames),
        )


def build_items(
    builder: ItemBuilder, utterances: Sequence[Utterance], progress: Progress | None = None
) -> tuple[list[TrainingItem], list[str]]:
    """Items of every usable utterance, and one line per utterance left out (``id: reason``)."""
    items: list[TrainingItem] = []
    problems: list[str] = []
    for done, utterance in enumerate(utterances, 1):
        try:
            items.append(builder.build(utterance))
        except ValueError as error:
            problems.append(f"{utterance.id}: {error}")
        if progress:
            progress(done, len(utterances))
    return items, problems


def _rms(audio: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64)))) if audio.size else 0.0


def _array_hash(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def _write_item(path: Path, item: TrainingItem) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, ids=item.ids, durations=item.durations, audio=item.audio, f0=item.f0, energy=item.energy)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        Path(tmp).write_bytes(buffer.getvalue())


def _read_item(path: Path, item_id: str) -> TrainingItem | None:
    """The cached item, or None if the file is damaged (it is then recomputed and replaced)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return TrainingItem(item_id, data["ids"], data["durations"], data["audio"], data["f0"], data["energy"])
    except (OSError, ValueError, KeyError):
        return None
