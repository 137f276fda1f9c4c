"""Speaker embeddings from resemblyzer's encoder, in two ways that share its weights and mel.

- ``embed_recordings``: resemblyzer's own preprocessing (resampling, volume normalisation, voice
  activity trimming) and partial-utterance averaging. This is the measure everybody reports
  (kvoicewalk scores with it), so evaluation uses exactly this path.
- ``embed_audio``: the same computation written in torch, from 24 kHz audio, so a loss on it has
  gradients back to the voice pack. Voice activity trimming is left out (it is a hard decision);
  the synthesised audio has no long silences to trim.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import cached_property

import numpy as np
import torch
from torch import Tensor

from kokoro_tui.model.config import SAMPLE_RATE

ENCODER_RATE = 16_000
#: resemblyzer's preprocessing raises quieter audio to this level (and never lowers louder audio)
TARGET_DBFS = -30.0
#: partial utterances per second, as in resemblyzer's ``embed_utterance``
PARTIAL_RATE = 1.3


def _import_resemblyzer():
    """resemblyzer's webrtcvad import warns about pkg_resources on every start; the warning is not ours."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import resemblyzer

    return resemblyzer


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12))


def mean_embedding(embeddings: Sequence[np.ndarray]) -> np.ndarray:
    """A speaker's embedding: the normalised mean of its utterance embeddings."""
    mean = np.mean(np.stack(embeddings), axis=0)
    return (mean / (np.linalg.norm(mean) + 1e-12)).astype(np.float32)


class SpeakerEncoder:
    """resemblyzer's pretrained speaker encoder (256-d, unit length), frozen."""

    def __init__(self, device: str | torch.device = "cpu") -> None:
        self.device = torch.device(device)

    @cached_property
    def network(self) -> torch.nn.Module:
        resemblyzer = _import_resemblyzer()
        network = resemblyzer.VoiceEncoder(str(self.device), verbose=False)
        network.requires_grad_(False)
        return network

    @cached_property
    def _mel_basis(self) -> Tensor:
        import librosa

        hp = _import_resemblyzer().hparams
        basis = librosa.filters.mel(sr=ENCODER_RATE, n_fft=self._n_fft, n_mels=hp.mel_n_channels)
        return torch.from_numpy(basis).to(self.device)

    @cached_property
    def _n_fft(self) -> int:
        hp = _import_resemblyzer().hparams
        return ENCODER_RATE * hp.mel_window_length // 1000

    @cached_property
    def _hop(self) -> int:
        hp = _import_resemblyzer().hparams
        return ENCODER_RATE * hp.mel_window_step // 1000

    def embed_recording(self, audio: np.ndarray, rate: int) -> np.ndarray:
        """One utterance, by resemblyzer's own code path (the reported measure)."""
        resemblyzer = _import_resemblyzer()
        wav = resemblyzer.preprocess_wav(np.asarray(audio, dtype=np.float32), source_sr=rate)
        if wav.size < self._hop * 2:
            wav = np.asarray(audio, dtype=np.float32)  # all of it was trimmed as silence: keep it whole
        return self.network.embed_utterance(wav).astype(np.float32)

    def embed_recordings(self, clips: Sequence[np.ndarray], rate: int) -> np.ndarray:
        """A speaker from several utterances: their normalised mean embedding."""
        return mean_embedding([self.embed_recording(clip, rate) for clip in clips])

    def _to_encoder_rate(self, audio: Tensor) -> Tensor:
        """24 kHz -> 16 kHz by cutting the spectrum at 8 kHz: exact band limit, and differentiable."""
        length = audio.shape[-1]
        target = length * ENCODER_RATE // SAMPLE_RATE
        spectrum = torch.fft.rfft(audio)
        return torch.fft.irfft(spectrum[..., : target // 2 + 1], n=target) * (target / length)

    def _normalise_volume(self, audio: Tensor) -> Tensor:
        rms = audio.pow(2).mean().clamp_min(1e-10).sqrt()
        gain = (10 ** (TARGET_DBFS / 20) / rms).clamp_min(1.0)  # raise quiet audio only, as resemblyzer
        return audio * gain

    def mel(self, audio16: Tensor) -> Tensor:
        """Power mel spectrogram ``[frames, 40]`` as librosa computes it for resemblyzer."""
        window = torch.hann_window(self._n_fft, device=audio16.device)
        spectrum = torch.stft(
            audio16, self._n_fft, self._hop, window=window, center=True, pad_mode="constant", return_complex=True
        )
        return (self._mel_basis @ spectrum.abs().pow(2)).transpose(0, 1)

    def embed_audio(self, audio: Tensor) -> Tensor:
        """Differentiable embedding ``[256]`` of one 24 kHz utterance (``[N]``)."""
        wav = self._normalise_volume(self._to_encoder_rate(audio))
        _, mel_slices = self.network.compute_partial_slices(wav.shape[-1], PARTIAL_RATE, 0.75)
        needed = mel_slices[-1].stop * self._hop
        if needed > wav.shape[-1]:
            wav = torch.nn.functional.pad(wav, (0, needed - wav.shape[-1]))
        mel = self.mel(wav)
        partials = torch.stack([mel[s] for s in mel_slices])
        embedding = self.network(partials).mean(dim=0)
        return embedding / embedding.norm().clamp_min(1e-12)
