"""A traceable twin of KokoroModel for ONNX export: one utterance, any length, no noise.

The torch model decides several things in Python that a trace would freeze into the graph:
the frame count (``int(durations.sum())``), the per-item lengths of the generator, and the
unmasked AdaIN's variance shortcut (``time_var_mean`` branches on the data). Its fast CPU
paths (oneDNN int8 convolutions, numba Snake kernels) are not torch ops at all. The twin is a
copy of the model in which these pieces are swapped for plain float versions of the same
function (the parameters are the model's):

- every ``AdaIN1d`` becomes ``(1+γ)·InstanceNorm(x) + β`` (what its masked path computes);
- every ``AdaINResBlock1`` runs its unfused AdaIN → Snake → conv chain;
- every weight-normed conv becomes a plain conv holding the effective weight ``g·v/‖v‖``
  (one named initializer in the graph instead of a norm subgraph);
- ``ChannelLayerNorm`` gets its channel count as a constant;
- the ``Generator`` runs batch-1 with its STFT and iSTFT as convolutions (``stft_convs``)
  and the harmonic source without noise (the only randomness in the network), so the graph
  is deterministic and its durations equal torch's on the same inputs.

Batch size is 1, so the LSTMs run unpacked (as ``KokoroModel.synthesize`` runs them).

``half=True`` builds the fp16 graph in torch (the trace then holds float16 ops and the casts at
the region edges): everything except the duration path and the generator's float ends
(``FLOAT_ENDS``) runs in float16. Converting the fp32 ONNX afterwards with onnxruntime's copy of
onnxconverter-common's ``convert_float_to_float16`` was measured worse: it rounds every tensor between two nodes it
keeps in float32 through float16 (a cast pair on each edge), so even a graph with every node
kept float32 lost 2.2 dB of log-mel agreement.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from kokoro_tui.convert.stft_convs import ConvISTFT, ConvSTFT
from kokoro_tui.model.adain import AdaIN1d, instance_norm
from kokoro_tui.model.alignment import alignment_matrix, durations_from_logits
from kokoro_tui.model.config import STAGES
from kokoro_tui.model.generator import Generator
from kokoro_tui.model.kokoro import KokoroModel
from kokoro_tui.model.resblocks import AdaINResBlock1, snake
from kokoro_tui.model.stages import captured_stages
from kokoro_tui.model.text_encoder import ChannelLayerNorm
from kokoro_tui.model.weight_norm import WNConv1d, WNConvTranspose1d

# The generator's parts that stay float32 in every dtype (PlainGenerator attribute names): the
# harmonic source (a phase accumulated over thousands of samples, beyond fp16's 11-bit mantissa),
# the STFT/iSTFT (fixed DFT bases) and conv_post, whose output goes through exp, so its error
# becomes a gain error (our torch int8 path keeps it float32 for the same reason).
FLOAT_ENDS = ("m_source", "stft", "istft", "conv_post")


class PlainAdaIN1d(nn.Module):
    """``AdaIN1d`` over the whole utterance as one InstanceNormalization (same ``fc``)."""

    def __init__(self, original: AdaIN1d) -> None:
        super().__init__()
        self.fc = original.fc

    def forward(self, x: Tensor, style: Tensor, mask: Tensor | None = None) -> Tensor:
        gamma, beta = self.fc(style).unsqueeze(2).chunk(2, dim=1)
        return (1 + gamma) * instance_norm(x, None) + beta


class PlainResBlock(nn.Module):
    """``AdaINResBlock1`` without its fused kernels: three (AdaIN → Snake → conv)×2 residual units."""

    def __init__(self, original: AdaINResBlock1) -> None:
        super().__init__()
        self.convs1, self.convs2 = original.convs1, original.convs2
        self.adain1 = nn.ModuleList(PlainAdaIN1d(norm) for norm in original.adain1)
        self.adain2 = nn.ModuleList(PlainAdaIN1d(norm) for norm in original.adain2)
        self.alpha1, self.alpha2 = original.alpha1, original.alpha2

    def forward(self, x: Tensor, style: Tensor, mask: Tensor | None = None) -> Tensor:
        units = zip(self.convs1, self.convs2, self.adain1, self.adain2, self.alpha1, self.alpha2)
        for conv1, conv2, norm1, norm2, alpha1, alpha2 in units:
            h = conv1(snake(norm1(x, style), alpha1))
            x = x + conv2(snake(norm2(h, style), alpha2))
        return x


class PlainGenerator(nn.Module):
    """``Generator.forward`` for one utterance, its sizes taken from the tensors (so they stay dynamic)."""

    def __init__(self, original: Generator) -> None:
        super().__init__()
        self.m_source = original.m_source
        self.noise_convs, self.ups, self.conv_post = original.noise_convs, original.ups, original.conv_post
        self.noise_res = nn.ModuleList(PlainResBlock(block) for block in original.noise_res)
        self.resblocks = nn.ModuleList(PlainResBlock(block) for block in original.resblocks)
        self.num_kernels = original.num_kernels
        window = original.stft_window()
        self.stft = ConvSTFT(original.n_fft, original.hop, window)
        self.istft = ConvISTFT(original.n_fft, original.hop, window)

    def forward(self, x: Tensor, style: Tensor, f0: Tensor, f0_lengths: Tensor | None = None, **_: object) -> Tensor:
        """Decoder features ``[1,C,2F]``, F0 ``[1,2F]`` → audio ``[1, 2F·300]``.

        Called as the Decoder calls ``Generator``; its lengths and noise arguments do not apply (one
        utterance, no noise). The ``FLOAT_ENDS`` compute in float32 whatever ``x``'s dtype.
        """
        har = self.stft(self.m_source(f0.float(), noise=False)).to(x.dtype)
        for i, up in enumerate(self.ups):
            x = up(F.leaky_relu(x, 0.1))
            if i + 1 == len(self.ups):
                # F.pad(x, (1, 0), mode="reflect"), as a slice: a Pad node hides the channel count that
                # InstanceNormalization's export needs.
                x = torch.cat([x[:, :, 1:2], x], dim=2)
            x = x + self.noise_res[i](self.noise_convs[i](har), style)
            blocks = self.resblocks[i * self.num_kernels : (i + 1) * self.num_kernels]
            total = blocks[0](x, style)
            for block in blocks[1:]:
                total = total + block(x, style)
            x = total / self.num_kernels
        return self.istft(self.conv_post(F.leaky_relu(x, 0.01).float()))


def plain_conv1d(original: WNConv1d) -> nn.Conv1d:
    """A plain Conv1d holding the effective weight: the graph gets one named weight, not a weight-norm subgraph."""
    out_channels, in_channels, kernel = original.weight_v.shape
    with torch.device("meta"):
        conv = nn.Conv1d(
            in_channels, out_channels, kernel, stride=original.stride, padding=original.padding,
            dilation=original.dilation, bias=original.bias is not None,
        )  # fmt: skip
    conv.weight = nn.Parameter(original.compute_weight().detach(), requires_grad=False)
    conv.bias = original.bias
    return conv


def plain_conv_transpose1d(original: WNConvTranspose1d) -> nn.ConvTranspose1d:
    """``plain_conv1d`` for the transposed convolutions (weight ``[C_in, C_out/groups, k]``)."""
    in_channels, out_per_group, kernel = original.weight_v.shape
    with torch.device("meta"):
        conv = nn.ConvTranspose1d(
            in_channels, out_per_group * original.groups, kernel, stride=original.stride, padding=original.padding,
            output_padding=original.output_padding, groups=original.groups,
        )  # fmt: skip
    conv.weight = nn.Parameter(original.compute_weight().detach(), requires_grad=False)
    conv.bias = original.bias
    return conv


class StaticChannelLayerNorm(nn.Module):
    """``ChannelLayerNorm`` with its channel count fixed at build time: a traced ``x.shape[1]`` would be
    a graph value, and LayerNormalization needs a constant shape."""

    def __init__(self, original: ChannelLayerNorm) -> None:
        super().__init__()
        self.gamma, self.beta, self.eps = original.gamma, original.beta, original.eps
        self.channels = int(original.gamma.numel())

    def forward(self, x: Tensor) -> Tensor:
        return F.layer_norm(x.transpose(1, 2), (self.channels,), self.gamma, self.beta, self.eps).transpose(1, 2)


_PLAIN: dict[type[nn.Module], Callable[[Any], nn.Module]] = {
    AdaIN1d: PlainAdaIN1d,
    ChannelLayerNorm: StaticChannelLayerNorm,
    WNConv1d: plain_conv1d,
    WNConvTranspose1d: plain_conv_transpose1d,
}


def swap_modules(module: nn.Module, replacements: dict[type[nn.Module], Callable[[Any], nn.Module]]) -> None:
    """Replace every module below ``module`` whose type ``replacements`` names by what it makes of it."""
    for name, child in module.named_children():
        replace = replacements.get(type(child))
        if replace is None:
            swap_modules(child, replacements)
        else:
            setattr(module, name, replace(child))


class ExportedKokoro(nn.Module):
    """``(input_ids [1,T] int64, style [1,2S] float, speed [1] float)`` → ``(audio [N], durations [T] int64,
    f0 [2F], energy [2F], features [C,2F])``.

    ``input_ids`` carry the 0 pads (BOS/EOS) as the pipeline feeds them; ``N = 600·Σ durations``.
    Built on a copy: the caller's model is left as it was.
    """

    def __init__(self, model: KokoroModel, *, half: bool = False) -> None:
        super().__init__()
        twin = copy.deepcopy(model).eval().to(device="cpu", dtype=torch.float32)
        twin.bert.explicit_attention = True  # plain matmuls: SDPA exports only from opset 14, and not to LiteRT
        twin.decoder.generator = PlainGenerator(twin.decoder.generator)
        swap_modules(twin, _PLAIN)
        self.model = twin
        self.compute = torch.float16 if half else torch.float32
        predictor, generator = twin.predictor, twin.decoder.generator
        halved = [twin.text_encoder, predictor.shared, predictor.F0, predictor.N, predictor.F0_proj, predictor.N_proj]
        halved += [child for name, child in twin.decoder.named_children() if name != "generator"]
        halved += [child for name, child in generator.named_children() if name not in FLOAT_ENDS]
        for module in halved:
            module.to(self.compute)

    def forward(self, input_ids: Tensor, style: Tensor, speed: Tensor) -> tuple[Tensor, ...]:
        """Audio and durations, then the stages (``config.STAGES``) in float32, for the parity check."""
        model = self.model
        decoder_style, prosody_style = style[:, : model.config.style_dim], style[:, model.config.style_dim :]
        d = model.predictor.text_encoder(model.bert_encoder(model.bert(input_ids)), prosody_style, None, None)
        durations = durations_from_logits(model.predictor.duration_logits(d, None), speed, None)
        # A 0-d tensor, not an int: the frame count stays a graph value.
        align = alignment_matrix(durations, durations.sum())  # type: ignore[arg-type]
        en, prosody_style = (d.transpose(1, 2) @ align).to(self.compute), prosody_style.to(self.compute)
        with captured_stages(model) as stages:
            f0, energy = model.predictor.curves(en, prosody_style, None, None, None)
            asr = model.text_encoder(input_ids, None, None) @ align.to(self.compute)
            audio = model.decoder(asr, f0, energy, decoder_style.to(self.compute))
        return audio[0], durations[0], *(stages[name].float() for name in STAGES)
