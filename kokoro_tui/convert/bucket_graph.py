"""Our model's convolutional parts in fixed-length stages, for runtimes that cannot keep a length dynamic (LiteRT).

litert-torch lowers through ``torch.export`` with static shapes, and it unrolls an LSTM step by
step: a 512-step bidirectional LSTM becomes thousands of ops, and ``pack_padded_sequence`` does not
export at all (google-ai-edge/litert-torch #1062, hexgrad/kokoro #195). So the LSTMs and the small
per-token layers around them run on the host (``backends/litert_host.py``, numpy), and the graph
holds what is heavy and convolutional, exported once per *bucket* length (signatures of one file
sharing its weights); the runner pads the input to the smallest bucket that holds it:

- ``TextStage`` (token buckets): phoneme ids + length → Albert's projected features ``d_en`` and
  the acoustic text encoder's convolution stack output (before its LSTM).
- On the host: the duration encoder (LSTMs + AdaLayerNorm), the duration head, the text
  encoder's LSTM, the alignment (each token's columns repeated for its duration) and the
  prosody predictor's shared LSTM over the frames.
- ``AcousticStage`` (frame buckets): the shared LSTM's output + the aligned text features + style
  → audio: the F0/energy blocks, the decoder and the generator with its harmonic source and iSTFT.

Padding changes no valid value. Every module already takes masks (a padded batch must give each
item its lone result), and the stages reuse that path, with these pieces rewritten for one padded
item in static shapes:

- ``BucketGenerator``: the excitation is reflected at the valid end before its STFT (what
  ``torch.stft``'s centre padding does to the unpadded signal), excitation frames past the end
  are zero, and the iSTFT overlap-adds and normalises only the valid frames.
- The weight-normed convolutions and the channel LayerNorm become plain modules, as for ONNX; the
  depthwise ×2 transposed convolution of the upsampling blocks becomes ``DepthwiseUpsample``
  (litert-torch 0.10 lowers a grouped transposed convolution wrongly: errors of the signal's size).

The source runs without noise and the STFT/iSTFT are convolutions (``stft_convs``), as in the ONNX
twin: deterministic, so durations compare token by token with torch's.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from kokoro_tui.convert.onnx_graph import StaticChannelLayerNorm, plain_conv1d, plain_conv_transpose1d, swap_modules
from kokoro_tui.convert.stft_convs import ConvISTFT, ConvSTFT
from kokoro_tui.model.generator import Generator
from kokoro_tui.model.kokoro import KokoroModel
from kokoro_tui.model.masking import zero_padding
from kokoro_tui.model.stages import ENERGY, F0, captured_stages
from kokoro_tui.model.text_encoder import ChannelLayerNorm
from kokoro_tui.model.weight_norm import WNConv1d, WNConvTranspose1d

# Keeps the iSTFT's division finite past the valid end (the envelope is 0 there; those samples are cut).
_ENVELOPE_FLOOR = 1e-6


def _steps_below(lengths: Tensor, size: int) -> Tensor:
    """``[1,1,size]`` float mask of the steps below ``lengths[0]``."""
    return (torch.arange(size, device=lengths.device) < lengths.reshape(1, 1)).unsqueeze(1).float()


class MaskedISTFT(ConvISTFT):
    """``ConvISTFT`` over the valid frames of a padded item: frames past the end add nothing, and the
    window envelope counts only valid frames, as ``torch.istft`` of the unpadded spectrum does."""

    def forward(self, post: Tensor, frame_mask: Tensor) -> Tensor:
        """``post [1, n_fft+2, frames]``, ``frame_mask [1,1,frames]`` → audio ``[1, (frames-1)·hop]``."""
        bins = self.n_fft // 2 + 1
        magnitude, phase = torch.exp(post[:, :bins]), torch.sin(post[:, bins:])
        spectrum = torch.cat([magnitude * torch.cos(phase), magnitude * torch.sin(phase)], dim=1) * frame_mask
        summed = F.conv_transpose1d(spectrum, self.basis, stride=self.hop)
        envelope = F.conv_transpose1d(frame_mask, self.window_square, stride=self.hop).clamp_min(_ENVELOPE_FLOOR)
        edge = self.n_fft // 2
        return summed[:, 0, edge:-edge] / envelope[:, 0, edge:-edge]


class BucketGenerator(nn.Module):
    """``Generator.forward`` for one right-padded item in static shapes, without source noise."""

    def __init__(self, original: Generator) -> None:
        super().__init__()
        self.m_source = original.m_source
        self.noise_convs, self.noise_res = original.noise_convs, original.noise_res
        self.ups, self.resblocks, self.conv_post = original.ups, original.resblocks, original.conv_post
        self.rates, self.num_kernels = original.rates, original.num_kernels
        self.frame_scale, self.hop, self.n_fft = original.frame_scale, original.hop, original.n_fft
        window = original.stft_window()
        self.stft = ConvSTFT(original.n_fft, original.hop, window)
        self.istft = MaskedISTFT(original.n_fft, original.hop, window)

    def excitation_spectrum(self, f0: Tensor, f0_length: Tensor) -> Tensor:
        """The source's STFT ``[1, n_fft+2, samples/hop+1]``, zero past the valid frames.

        Past the valid end F0 is 0, so the accumulated phase stands still there and the linear
        resampling reads the same values as the unpadded call's edge clamp. The STFT's centre
        padding reflects the signal at its end: here that reflection is gathered explicitly at the
        valid end (the padding past it would otherwise be read instead).
        """
        source = self.m_source(f0, noise=False)
        total = source.shape[1]
        valid = f0_length * self.frame_scale
        steps = torch.arange(total, device=f0.device)
        mirrored = torch.where(steps < valid, steps, 2 * valid - 2 - steps).clamp(0, total - 1)
        spectrum = self.stft(source.index_select(1, mirrored))
        return spectrum * _steps_below(valid // self.hop + 1, spectrum.shape[2])

    def forward(
        self, x: Tensor, style: Tensor, f0: Tensor, f0_lengths: Tensor | None = None, **_: object
    ) -> Tensor:
        """Called as the Decoder calls ``Generator`` (its noise arguments do not apply): ``x [1,C,2F]``,
        ``f0 [1,2F]``, ``f0_lengths [1]`` → audio ``[1, 2F·frame_scale]``, zero past the valid end."""
        if f0_lengths is None:
            f0_lengths = torch.full((1,), f0.shape[1], dtype=torch.long, device=f0.device)
        har = self.excitation_spectrum(f0, f0_lengths[0])
        rate_length = f0_lengths
        mask = _steps_below(rate_length, x.shape[2])
        for i, up in enumerate(self.ups):
            x = up(zero_padding(F.leaky_relu(x, 0.1), mask))
            rate_length = rate_length * self.rates[i]
            if i + 1 == len(self.ups):
                x = torch.cat([x[:, :, 1:2], x], dim=2)  # F.pad(x, (1, 0), mode="reflect") as a slice
                rate_length = rate_length + 1
            mask = _steps_below(rate_length, x.shape[2])
            x = x + self.noise_res[i](self.noise_convs[i](har), style, mask)
            blocks = self.resblocks[i * self.num_kernels : (i + 1) * self.num_kernels]
            total = blocks[0](x, style, mask)
            for block in blocks[1:]:
                total = total + block(x, style, mask)
            x = total / self.num_kernels
        post = self.conv_post(zero_padding(F.leaky_relu(x, 0.01), mask))
        return self.istft(post, mask)


class DepthwiseUpsample(nn.Module):
    """The depthwise ``ConvTranspose1d(k=3, stride=2, padding=1, output_padding=1)`` as elementwise ops.

    With those settings output step ``2j`` is ``w₁·x[j]`` and step ``2j+1`` is ``w₂·x[j] + w₀·x[j+1]``
    (``x`` past its end is 0), plus the bias; the two phases are interleaved.
    """

    def __init__(self, original: WNConvTranspose1d) -> None:
        super().__init__()
        settings = (original.stride, original.padding, original.output_padding, tuple(original.weight_v.shape[1:]))
        if settings != (2, 1, 1, (1, 3)) or original.groups != original.weight_v.shape[0]:
            raise ValueError(f"DepthwiseUpsample covers the ×2 depthwise upsampling only, not {settings}")
        weight = original.compute_weight().detach()[:, 0]  # [C, 3]
        self.register_buffer("taps", weight.unsqueeze(2), persistent=False)  # [C, 3, 1]
        self.bias = original.bias

    def forward(self, x: Tensor) -> Tensor:
        taps = self.taps.unsqueeze(0)
        following = F.pad(x[:, :, 1:], (0, 1))
        even = x * taps[:, :, 1]
        odd = x * taps[:, :, 2] + following * taps[:, :, 0]
        y = torch.stack([even, odd], dim=3).reshape(x.shape[0], x.shape[1], 2 * x.shape[2])
        return y if self.bias is None else y + self.bias.view(1, -1, 1)


def _plain_transposed(original: WNConvTranspose1d) -> nn.Module:
    return DepthwiseUpsample(original) if original.groups > 1 else plain_conv_transpose1d(original)


_PLAIN: dict[type[nn.Module], Callable[[Any], nn.Module]] = {
    ChannelLayerNorm: StaticChannelLayerNorm,
    WNConv1d: plain_conv1d,
    WNConvTranspose1d: _plain_transposed,
}


def bucket_twin(model: KokoroModel) -> KokoroModel:
    """A float32 CPU copy of ``model`` with the swaps above (the caller's model is left as it was)."""
    twin = copy.deepcopy(model).eval().to(device="cpu", dtype=torch.float32)
    twin.bert.explicit_attention = True  # plain matmuls: SDPA exports only from opset 14, and not to LiteRT
    twin.decoder.generator = BucketGenerator(twin.decoder.generator)
    swap_modules(twin, _PLAIN)
    return twin


class TextStage(nn.Module):
    """``(input_ids [1,T] int32, length [1] int32)`` → ``(d_en [1,T,H], convolved [1,H,T])``: Albert's
    projected features and the text encoder's convolution stack, zero past the length.

    ``input_ids`` carry the 0 pads (BOS/EOS) within the length, and anything after it.
    """

    def __init__(self, twin: KokoroModel) -> None:
        super().__init__()
        self.model = twin

    def forward(self, input_ids: Tensor, length: Tensor) -> tuple[Tensor, Tensor]:
        model = self.model
        ids = input_ids.long()
        mask = _steps_below(length.long(), ids.shape[1])  # [1,1,T]
        d_en = model.bert_encoder(model.bert(ids, attention_mask=mask[:, 0].long())) * mask.transpose(1, 2)
        encoder = model.text_encoder
        x = zero_padding(encoder.embedding(ids).transpose(1, 2), mask)
        for stage in encoder.cnn:
            x = zero_padding(stage(x), mask)
        return d_en, x


class AcousticStage(nn.Module):
    """``(prosody [1,H,F], asr [1,H,F], frames [1] int32, style [1,2S])`` → ``audio [1, F·600]``, zero
    past ``frames·600``, then the stages the parity check compares (``config.STAGES``: f0 and energy
    ``[2F]``, the decoder's features ``[C,2F]``, valid up to ``2·frames``). ``prosody`` is the
    predictor's shared LSTM over the aligned duration features, ``asr`` the aligned text features;
    both zero past ``frames``."""

    def __init__(self, twin: KokoroModel) -> None:
        super().__init__()
        self.model = twin

    def forward(self, prosody: Tensor, asr: Tensor, frames: Tensor, style: Tensor) -> tuple[Tensor, ...]:
        model = self.model
        predictor = model.predictor
        lengths = frames.long()
        steps = asr.shape[2]
        mask, mask2 = _steps_below(lengths, steps), _steps_below(2 * lengths, 2 * steps)
        decoder_style, prosody_style = style[:, : model.config.style_dim], style[:, model.config.style_dim :]
        with captured_stages(model) as stages:
            f0 = predictor.curve(predictor.F0, predictor.F0_proj, prosody, prosody_style, mask, mask2)
            energy = predictor.curve(predictor.N, predictor.N_proj, prosody, prosody_style, mask, mask2)
        # The decoder's two halves called here, not through a hook as the curves are: the TensorFlow
        # converter (nobuco) makes a constant of what a hook copies out of a composite module.
        features = model.decoder.features(asr, f0, energy, decoder_style, mask, mask2)
        audio = model.decoder.generator(features, decoder_style, f0, 2 * lengths, noise=False)
        return audio, stages[F0], stages[ENERGY], features[0]
