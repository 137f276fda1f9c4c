"""Phoneme durations of a real recording, by aligning it in time with our model's reading of the same text.

Fine-tuning needs to know which 25 ms frames of a recording belong to which phoneme. The public
recipe (kokoro-deutsch) uses StyleTTS2's pretrained ASR aligner, a hub download we cannot fetch.
We already own a model that says where every phoneme is in the audio *it* speaks: Kokoro's own
duration predictor. So we speak the text, align that rendering to the recording with dynamic time
warping over speaker-normalised MFCCs, and carry each phoneme boundary across the warping path.

Measured (``benchmarks/finetune.md``): between two Kokoro voices at different speeds, where the
truth is known, boundaries land 13–17 ms from the truth on average (a duration unit is 25 ms),
against 19–36 ms for stretching the predicted durations to the recording's length. Real speech
is harder than that test (pauses the model does not make, another accent), so the figure is a
floor, and training re-aligns nothing: the predictor learns from these durations as they are.
"""

from __future__ import annotations

import numpy as np

#: Feature frames per duration unit: features are taken every 300 samples, durations count 600.
HOPS_PER_FRAME = 2
#: MFCCs without c0 (loudness), each normalised per utterance: what stays is the phonetic shape,
#: what goes is level, channel and most of the speaker's timbre.
N_MFCC = 20


def alignment_features(audio: np.ndarray) -> np.ndarray:
    """Speaker-normalised MFCCs ``[N_MFCC-1, hops]`` every 300 samples, from the training mel."""
    import librosa
    import torch

    from kokoro_tui.audio.features import mel_spectrogram

    log_mel = mel_spectrogram(torch.from_numpy(np.ascontiguousarray(audio, dtype=np.float32))).numpy()
    mfcc = librosa.feature.mfcc(S=log_mel, n_mfcc=N_MFCC)[1:]
    return (mfcc - mfcc.mean(axis=1, keepdims=True)) / (mfcc.std(axis=1, keepdims=True) + 1e-5)


def warping_path(reference: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Monotonic DTW path ``[K, 2]`` of (reference hop, target hop) pairs, from (0, 0) to the two ends."""
    import librosa

    _, path = librosa.sequence.dtw(X=reference, Y=target, metric="euclidean")
    return path[::-1]


def transfer_durations(reference_durations: np.ndarray, path: np.ndarray, target_frames: int) -> np.ndarray:
    """Durations for the target: each reference boundary moved along ``path``, then made valid.

    A boundary lands at the mean target hop its reference hop is paired with (a pause that the
    reference lacks is split between its two neighbours). Every token keeps at least one frame,
    as the model's own durations do, and the total is exactly ``target_frames``.
    """
    tokens = len(reference_durations)
    if target_frames < tokens:
        raise ValueError(f"{target_frames} frames cannot hold {tokens} tokens")
    boundaries = HOPS_PER_FRAME * np.cumsum(reference_durations)[:-1]
    last = int(path[-1, 0])
    hops = np.zeros(last + 1)
    counts = np.zeros(last + 1)
    np.add.at(hops, path[:, 0], path[:, 1])
    np.add.at(counts, path[:, 0], 1)
    mapped = hops[np.minimum(boundaries, last)] / counts[np.minimum(boundaries, last)]
    ends = np.rint(mapped / HOPS_PER_FRAME).astype(np.int64)
    ends = np.append(ends, target_frames)
    # Forward pass keeps one frame per token; backward pass leaves room for the tokens after it.
    for index in range(tokens):
        floor = (ends[index - 1] if index else 0) + 1
        ends[index] = max(ends[index], floor)
    for index in range(tokens - 1, -1, -1):
        ceiling = target_frames - (tokens - 1 - index)
        ends[index] = min(ends[index], ceiling)
    return np.diff(np.concatenate([[0], ends])).astype(np.int64)


def frames_of(samples: int, samples_per_frame: int) -> int:
    """Duration units that cover ``samples`` (the last one padded with silence)."""
    return -(-samples // samples_per_frame)


def align_recording(
    reference_audio: np.ndarray, reference_durations: np.ndarray, recording: np.ndarray, samples_per_frame: int
) -> np.ndarray:
    """Durations ``[T]`` (BOS/EOS included) of ``recording`` given the model's reading of the same ids."""
    path = warping_path(alignment_features(reference_audio), alignment_features(recording))
    return transfer_durations(reference_durations, path, frames_of(recording.size, samples_per_frame))

