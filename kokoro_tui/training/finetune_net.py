"""Kokoro with a learnable voice, run teacher-forced on a batch and scored: the module that training optimises.

The forward pass follows StyleTTS2's second stage, on our own model:
- the text goes through Albert (frozen by default) and the duration encoder; the duration head
  is scored against the aligned durations;
- the predictor's F0 and energy curves are computed along the *aligned* durations and scored
  against pYIN's F0 and the recording's energy;
- the decoder speaks a window of the aligned text features with the recording's own F0 and
  energy, and is scored against the recording by mel L1 and a multi-resolution STFT loss.

Left out, and why:
- the adversarial term: StyleTTS2's discriminators are not published for Kokoro, and ones
  trained from scratch on a CPU-sized run push the decoder before they can judge it;
- the style diffusion and SLM (WavLM) terms: Kokoro ships no diffusion sampler, and WavLM is
  a hub download. Voices here are learned directly as a pack offset instead.

Everything is one ``nn.Module`` so DistributedDataParallel can wrap it whole.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from kokoro_tui.audio.features import mel_spectrogram, multi_resolution_stft_loss
from kokoro_tui.model.alignment import alignment_matrix
from kokoro_tui.model.kokoro import KokoroModel
from kokoro_tui.model.masking import length_mask
from kokoro_tui.training.finetune_batch import Batch


@dataclass(frozen=True)
class LossWeights:
    """StyleTTS2's second-stage weights (mel 5, duration CE 20, the rest 1; F0 in Hz scaled by 1/10)."""

    mel: float = 5.0
    stft: float = 1.0
    duration: float = 1.0
    duration_ce: float = 20.0
    f0: float = 0.1
    energy: float = 1.0


#: The modules fine-tuning updates; Albert (``bert``) and the decoder only when asked.
TRAINED_MODULES = ("bert_encoder", "predictor", "text_encoder")
#: Inside them, the harmonic source's mixer: the generator computes the source without gradient
#: (model/source.py), so it cannot learn, and DistributedDataParallel refuses a parameter that never does.
NEVER_TRAINED = "decoder.generator.m_source"
#: The iSTFTNet vocoder inside the decoder. The decoder fine-tuned by spectral losses alone (no
#: adversarial term) loses intelligibility fast: on en_allison, 100 steps at 1e-4 took pocketsphinx's
#: WER on held-out text from 0.18 to 0.74 with the vocoder, 0.47 without it, and to 0.16 with the
#: decoder left alone (benchmarks/finetune.md). So both are frozen unless asked.
VOCODER = "decoder.generator"


class FinetuneNet(nn.Module):
    """``model`` plus a learned offset added to every row of ``base_pack`` (the speaker's voice)."""

    def __init__(
        self,
        model: KokoroModel,
        base_pack: Tensor,
        train_bert: bool = False,
        train_decoder: bool = False,
        train_vocoder: bool = False,
    ) -> None:
        super().__init__()
        self.model = model
        self.train_bert = train_bert
        self.register_buffer("base_pack", base_pack.reshape(base_pack.shape[0], -1).float().clone())
        self.voice_offset = nn.Parameter(torch.zeros(self.base_pack.shape[1]))
        model.requires_grad_(False)
        for name in TRAINED_MODULES + (("bert",) if train_bert else ()) + (("decoder",) if train_decoder else ()):
            getattr(model, name).requires_grad_(True)
        if train_decoder and not train_vocoder:
            model.get_submodule(VOCODER).requires_grad_(False)
        model.get_submodule(NEVER_TRAINED).requires_grad_(False)

    def voice_pack(self) -> Tensor:
        """The learned voice as a ``[rows, 1, 256]`` pack, on the CPU (what the voice store keeps)."""
        return (self.base_pack + self.voice_offset).detach().cpu().unsqueeze(1)

    def forward(self, batch: Batch, weights: LossWeights, generator: torch.Generator | None = None) -> dict[str, Tensor]:
        """The weighted terms by name plus their sum under ``total``."""
        model = self.model
        half = model.config.style_dim
        style = self.base_pack[batch.style_rows] + self.voice_offset
        decoder_style, prosody_style = style[:, :half], style[:, half:]
        tokens, frames = batch.input_ids.shape[1], int(batch.frame_lengths.max())
        padded = bool((batch.input_lengths < tokens).any())
        token_mask = length_mask(batch.input_lengths, tokens) if padded else None
        token_lengths = batch.input_lengths if padded else None
        ragged = bool((batch.frame_lengths < frames).any())
        frame_mask = length_mask(batch.frame_lengths, frames) if ragged else None
        curve_mask = length_mask(2 * batch.frame_lengths, 2 * frames) if ragged else None

        with torch.set_grad_enabled(self.train_bert and torch.is_grad_enabled()):
            hidden = model.bert(batch.input_ids, attention_mask=None if token_mask is None else token_mask[:, 0].long())
        d = model.predictor.text_encoder(
            model.bert_encoder(hidden), prosody_style, token_lengths, None if token_mask is None else token_mask.transpose(1, 2)
        )
        logits = model.predictor.duration_logits(d, token_lengths)
        align = alignment_matrix(batch.durations, frames).to(d.dtype)
        f0, energy = model.predictor.curves(
            d.transpose(1, 2) @ align, prosody_style, batch.frame_lengths if ragged else None, frame_mask, curve_mask
        )
        text = model.text_encoder(batch.input_ids, token_lengths, token_mask) @ align

        window = batch.window_frames
        index = batch.window_starts[:, None] + torch.arange(window, device=text.device)
        text_window = torch.gather(text, 2, index[:, None, :].expand(-1, text.shape[1], -1))
        curve_index = 2 * batch.window_starts[:, None] + torch.arange(2 * window, device=text.device)
        audio = model.decoder(
            text_window, batch.f0.gather(1, curve_index), batch.energy.gather(1, curve_index), decoder_style,
            noise=True, generator=generator,
        )
        # Losses in float32 whatever precision the network ran in (bf16 autocast on CUDA).
        audio, f0, energy, logits = audio.float(), f0.float(), energy.float(), logits.float()
        curve_weights = torch.ones_like(batch.f0) if curve_mask is None else curve_mask[:, 0]
        terms = {
            "mel": F.l1_loss(mel_spectrogram(audio), mel_spectrogram(batch.window_audio)),
            "stft": multi_resolution_stft_loss(audio, batch.window_audio),
            **duration_losses(logits, batch.durations, batch.input_lengths),
            "f0": _masked_mean(F.smooth_l1_loss(f0, batch.f0, reduction="none"), curve_weights),
            "energy": _masked_mean(F.smooth_l1_loss(energy, batch.energy, reduction="none"), curve_weights),
        }
        scale = asdict(weights)
        weighted = {name: value * scale[name] for name, value in terms.items()}
        weighted["total"] = sum(weighted.values())
        return weighted


def duration_losses(logits: Tensor, durations: Tensor, lengths: Tensor) -> dict[str, Tensor]:
    """L1 of the expected duration (Σ sigmoid) and BCE of each bin against ``bin < duration``.

    The head predicts one probability per possible frame count; the target of an item of ``d``
    frames is ``d`` ones then zeros, so a duration beyond the head's ``max_dur`` bins is clipped.
    BOS and EOS are scored like any token: they hold the leading and trailing silence.
    """
    bins = logits.shape[-1]
    mask = length_mask(lengths, logits.shape[1])[:, 0]
    target = (torch.arange(bins, device=logits.device) < durations.clamp(max=bins)[..., None]).to(logits.dtype)
    expected = torch.sigmoid(logits).sum(dim=-1)
    l1 = _masked_mean((expected - durations.clamp(max=bins).to(logits.dtype)).abs(), mask)
    bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none").mean(dim=-1)
    return {"duration": l1, "duration_ce": _masked_mean(bce, mask)}


def _masked_mean(values: Tensor, mask: Tensor) -> Tensor:
    return (values * mask).sum() / mask.sum().clamp_min(1.0)
