"""Prosody predictor: per-token durations, then frame-rate F0 (Hz) and energy curves."""

from __future__ import annotations

import torch
from torch import Tensor, nn

from kokoro_tui.model.adain import AdaLayerNorm
from kokoro_tui.model.lstm import BiLSTM
from kokoro_tui.model.masking import zero_padding
from kokoro_tui.model.resblocks import AdainResBlk1d


class DurationEncoder(nn.Module):
    """Alternating BiLSTM / AdaLayerNorm stack; the style is re-appended after every norm.

    Kept in one ``lstms`` ModuleList (LSTM at even, norm at odd indices) to match checkpoint names.
    """

    def __init__(self, style_dim: int, d_model: int, n_layers: int) -> None:
        super().__init__()
        self.lstms = nn.ModuleList()
        for _ in range(n_layers):
            self.lstms.append(BiLSTM(d_model + style_dim, d_model // 2))
            self.lstms.append(AdaLayerNorm(style_dim, d_model))

    def forward(self, x: Tensor, style: Tensor, lengths: Tensor | None, mask: Tensor | None) -> Tensor:
        """``x [B,T,d_model]``, ``style [B,S]``, ``mask [B,T,1]`` → ``[B,T,d_model+S]``."""
        expanded = style.unsqueeze(1).expand(-1, x.shape[1], -1)
        x = zero_padding(torch.cat([x, expanded], dim=2), mask)
        for index in range(0, len(self.lstms), 2):
            lstm, norm = self.lstms[index], self.lstms[index + 1]
            x = norm(lstm.run(x, lengths), style)
            x = zero_padding(torch.cat([x, expanded], dim=2), mask)
        return x


class DurationProjection(nn.Module):
    """Holder so the checkpoint key reads ``duration_proj.linear_layer``."""

    def __init__(self, in_features: int, out_features: int) -> None:
        super().__init__()
        self.linear_layer = nn.Linear(in_features, out_features)

    def forward(self, x: Tensor) -> Tensor:
        return self.linear_layer(x)


class ProsodyPredictor(nn.Module):
    """Duration logits per token, and F0/N curves at twice the frame rate."""

    def __init__(self, style_dim: int, d_hid: int, n_layers: int, max_dur: int) -> None:
        super().__init__()
        self.text_encoder = DurationEncoder(style_dim, d_hid, n_layers)
        self.lstm = BiLSTM(d_hid + style_dim, d_hid // 2)
        self.duration_proj = DurationProjection(d_hid, max_dur)
        self.shared = BiLSTM(d_hid + style_dim, d_hid // 2)
        self.F0 = self._curve_blocks(style_dim, d_hid)
        self.N = self._curve_blocks(style_dim, d_hid)
        self.F0_proj = nn.Conv1d(d_hid // 2, 1, 1)
        self.N_proj = nn.Conv1d(d_hid // 2, 1, 1)

    @staticmethod
    def _curve_blocks(style_dim: int, d_hid: int) -> nn.ModuleList:
        return nn.ModuleList(
            [
                AdainResBlk1d(d_hid, d_hid, style_dim),
                AdainResBlk1d(d_hid, d_hid // 2, style_dim, upsample=True),
                AdainResBlk1d(d_hid // 2, d_hid // 2, style_dim),
            ]
        )

    def duration_logits(self, d: Tensor, lengths: Tensor | None) -> Tensor:
        """``d [B,T,d_hid+S]`` (duration-encoder output) → ``[B,T,max_dur]``."""
        return self.duration_proj(self.lstm.run(d, lengths))

    def curves(
        self,
        en: Tensor,
        style: Tensor,
        frame_lengths: Tensor | None,
        mask: Tensor | None,
        mask2: Tensor | None,
    ) -> tuple[Tensor, Tensor]:
        """``en [B,d_hid+S,F]`` → ``(F0, N)`` each ``[B,2F]``; masks at frame and doubled rate."""
        x = self.shared.run(en.transpose(1, 2), frame_lengths).transpose(1, 2)
        return self.curve(self.F0, self.F0_proj, x, style, mask, mask2), self.curve(
            self.N, self.N_proj, x, style, mask, mask2
        )

    @staticmethod
    def curve(
        blocks: nn.ModuleList, proj: nn.Conv1d, x: Tensor, style: Tensor, mask: Tensor | None, mask2: Tensor | None
    ) -> Tensor:
        """One curve (``F0`` or ``N``) from the shared LSTM's output ``x [B,d_hid,F]`` → ``[B,2F]``."""
        x = blocks[0](x, style, mask)
        x = blocks[1](x, style, mask, mask2)
        x = blocks[2](x, style, mask2)
        return zero_padding(proj(x), mask2).squeeze(1)
