"""KokoroModel: phoneme ids + 256-d style + speed → 24 kHz audio and per-token durations."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import torch
from torch import Tensor, nn

from kokoro_tui.errors import KokoroError
from kokoro_tui.model.albert import PLBert
from kokoro_tui.model.alignment import alignment_matrix, durations_from_logits
from kokoro_tui.model.config import KokoroConfig
from kokoro_tui.model.decoder import Decoder
from kokoro_tui.model.masking import length_mask
from kokoro_tui.model.predictor import ProsodyPredictor
from kokoro_tui.model.text_encoder import TextEncoder


class Synthesis(NamedTuple):
    """One utterance: ``audio [N]`` at 24 kHz and ``durations [T]`` (BOS/EOS included) in 600-sample units."""

    audio: Tensor
    durations: Tensor


class BatchSynthesis(NamedTuple):
    """A padded batch: ``audio [B,N]`` (zero past ``audio_lengths[b]``) and ``durations [B,T]`` (0 on padding).

    ``duration_logits [B,T,max_dur]`` are the duration head's raw outputs: the integer durations
    are rounded from them (no gradient), so a training loss on durations needs these.
    """

    audio: Tensor
    audio_lengths: Tensor
    durations: Tensor
    duration_logits: Tensor


class KokoroModel(nn.Module):
    """Kokoro-82M; submodule names follow the official checkpoint minus its ``module.`` segment.

    A new model is in train mode, as every ``nn.Module``; the network has no dropout or batch
    statistics, so the mode changes no number. ``forward`` is differentiable (training, voice
    optimisation); ``synthesize`` is the no-grad single-utterance path.
    """

    def __init__(self, config: KokoroConfig) -> None:
        super().__init__()
        config.validate()
        self.config = config
        self.bert = PLBert(config.n_token, config.plbert)
        self.bert_encoder = nn.Linear(config.plbert["hidden_size"], config.hidden_dim)
        self.predictor = ProsodyPredictor(config.style_dim, config.hidden_dim, config.n_layer, config.max_dur)
        self.text_encoder = TextEncoder(config.hidden_dim, config.text_encoder_kernel_size, config.n_layer, config.n_token)
        self.decoder = Decoder(config)

    @property
    def device(self) -> torch.device:
        return self.bert_encoder.weight.device

    @property
    def dtype(self) -> torch.dtype:
        return self.bert_encoder.weight.dtype

    def forward(
        self,
        input_ids: Tensor,
        input_lengths: Tensor,
        style: Tensor,
        speed: float | Tensor = 1.0,
        *,
        noise: bool = True,
        seed: int | None = None,
    ) -> BatchSynthesis:
        """Differentiable batched synthesis.

        ``input_ids [B,T]`` right-padded, BOS/EOS (0) included; ``input_lengths [B]``;
        ``style [B, 2·style_dim]`` (decoder half first); ``speed`` scalar or ``[B]``.
        A batch gives each item the audio and durations it would get alone.
        """
        batch, tokens = input_ids.shape
        device = input_ids.device
        lengths = input_lengths.to(device=device, dtype=torch.long)
        speeds = torch.as_tensor(speed, device=device, dtype=torch.float32).expand(batch)
        padded = bool((lengths < tokens).any())
        token_mask = length_mask(lengths, tokens) if padded else None
        token_lengths = lengths if padded else None
        decoder_style, prosody_style = style[:, : self.config.style_dim], style[:, self.config.style_dim :]

        attention = None if token_mask is None else token_mask[:, 0].long()
        d_en = self.bert_encoder(self.bert(input_ids, attention_mask=attention))
        d = self.predictor.text_encoder(
            d_en, prosody_style, token_lengths, None if token_mask is None else token_mask.transpose(1, 2)
        )
        logits = self.predictor.duration_logits(d, token_lengths)
        durations = durations_from_logits(logits, speeds, None if token_mask is None else token_mask[:, 0])
        frame_lengths = durations.sum(dim=1)
        frames = int(frame_lengths.max())
        align = alignment_matrix(durations, frames).to(d.dtype)

        ragged = bool((frame_lengths < frames).any())
        frame_mask = length_mask(frame_lengths, frames) if ragged else None
        frame_mask2 = length_mask(2 * frame_lengths, 2 * frames) if ragged else None
        ragged_lengths = frame_lengths if ragged else None

        en = d.transpose(1, 2) @ align
        f0, energy = self.predictor.curves(en, prosody_style, ragged_lengths, frame_mask, frame_mask2)
        t_en = self.text_encoder(input_ids, token_lengths, token_mask)
        asr = t_en @ align
        generator = None
        if seed is not None:
            generator = torch.Generator(device=device)
            generator.manual_seed(seed)
        audio = self.decoder(
            asr, f0, energy, decoder_style, ragged_lengths, frame_mask, frame_mask2,
            noise=noise, generator=generator,
        )
        return BatchSynthesis(audio, frame_lengths * self.config.samples_per_duration, durations, logits)

    def synthesize(
        self,
        ids: Sequence[int],
        style: Tensor,
        speed: float = 1.0,
        *,
        noise: bool = True,
        seed: int | None = None,
    ) -> Synthesis:
        """Speak one phoneme-id sequence (without the 0 pads) with a ``[256]`` or ``[1,256]`` style row."""
        ids = [int(i) for i in ids]
        limit = self.config.max_tokens - 2
        if len(ids) > limit:
            raise KokoroError(f"too many phonemes for one pass: {len(ids)} > {limit}; split the text")
        bad = [i for i in ids if not 0 < i < self.config.n_token]
        if bad:
            raise KokoroError(f"phoneme id {bad[0]} is outside 1..{self.config.n_token - 1}")
        if not (isinstance(speed, (int, float)) and math.isfinite(speed) and speed > 0):
            raise KokoroError(f"speed must be a positive number, got {speed!r}")
        width = self.config.style_size
        if style.numel() != width:
            raise KokoroError(f"style must have {width} values, got shape {tuple(style.shape)}")
        with torch.inference_mode():
            input_ids = torch.tensor([[0, *ids, 0]], dtype=torch.long, device=self.device)
            lengths = torch.tensor([len(ids) + 2], dtype=torch.long, device=self.device)
            row = style.reshape(1, width).to(device=self.device, dtype=self.dtype)
            result = self(input_ids, lengths, row, float(speed), noise=noise, seed=seed)
            return Synthesis(result.audio[0], result.durations[0])
