"""iSTFTNet generator: upsampling convs + MRF blocks predict a magnitude/phase spectrogram, then ``torch.istft``.

Excitation, its STFT and the final iSTFT run item by item (they are cheap) so that
reflect padding and interpolation edges see each item's true end; the convolutional
body runs batched with padding masks.

In inference on a long chunk the heap's free pages go back before each residual block
(``allocator.return_freed_memory``). The blocks' audio-rate tensors come and go in sizes that glibc's heap
cannot reuse exactly, so without it the resident set grew by about 30 MB per second of a chunk's audio
where 14 MB were live; a book's long chunks then peaked at 1.5 GB and more. Below ``_TRIM_FROM_SECONDS``
the memory saved is small and the page faults after each trim are not: 35-45 ms of a 0.45 s first chunk.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from kokoro_tui.model.allocator import return_freed_memory
from kokoro_tui.model.masking import length_mask, zero_padding
from kokoro_tui.model.meta_build import building_on_meta
from kokoro_tui.model.resblocks import AdaINResBlock1
from kokoro_tui.model.source import SourceModuleHnNSF
from kokoro_tui.model.weight_norm import WNConv1d, WNConvTranspose1d

_TRIM_FROM_SECONDS = 8.0  # of audio: shorter chunks keep their freed pages between blocks (see above)


class Generator(nn.Module):
    """Decoder features ``[B,C,2F]`` + F0 ``[B,2F]`` → audio ``[B, 2F·upsample·hop]``."""

    def __init__(self, style_dim: int, istftnet: dict[str, Any], sample_rate: int) -> None:
        super().__init__()
        rates: list[int] = list(istftnet["upsample_rates"])
        kernels: list[int] = list(istftnet["upsample_kernel_sizes"])
        channels: int = istftnet["upsample_initial_channel"]
        res_kernels: list[int] = list(istftnet["resblock_kernel_sizes"])
        res_dilations: list[list[int]] = [list(d) for d in istftnet["resblock_dilation_sizes"]]
        self.n_fft: int = istftnet["gen_istft_n_fft"]
        self.hop: int = istftnet["gen_istft_hop_size"]
        self.rates = rates
        self.num_kernels = len(res_kernels)
        self.frame_scale = self.hop
        for rate in rates:
            self.frame_scale *= rate

        self.trim_from_steps = round(_TRIM_FROM_SECONDS * sample_rate / self.frame_scale)
        self.m_source = SourceModuleHnNSF(sample_rate, self.frame_scale)
        self.noise_convs = nn.ModuleList()
        self.noise_res = nn.ModuleList()
        self.ups = nn.ModuleList()
        self.resblocks = nn.ModuleList()
        spec_channels = self.n_fft + 2
        for i, (rate, kernel) in enumerate(zip(rates, kernels)):
            c_in, c_out = channels // 2**i, channels // 2 ** (i + 1)
            self.ups.append(WNConvTranspose1d(c_in, c_out, kernel, stride=rate, padding=(kernel - rate) // 2))
            if i + 1 < len(rates):
                stride = 1
                for later in rates[i + 1 :]:
                    stride *= later
                self.noise_convs.append(nn.Conv1d(spec_channels, c_out, 2 * stride, stride=stride, padding=(stride + 1) // 2))
                self.noise_res.append(AdaINResBlock1(c_out, 7, [1, 3, 5], style_dim))
            else:
                self.noise_convs.append(nn.Conv1d(spec_channels, c_out, 1))
                self.noise_res.append(AdaINResBlock1(c_out, 11, [1, 3, 5], style_dim))
            for k, dilations in zip(res_kernels, res_dilations):
                self.resblocks.append(AdaINResBlock1(c_out, k, dilations, style_dim))
        self.conv_post = WNConv1d(channels // 2 ** len(rates), spec_channels, 7, padding=3)
        window = torch.empty(self.n_fft) if building_on_meta() else self.stft_window()
        self.register_buffer("window", window, persistent=False)

    def stft_window(self) -> Tensor:
        """The periodic Hann window of the inverse STFT (computed, so the checkpoint does not hold it)."""
        return torch.hann_window(self.n_fft, periodic=True)

    def _stft(self, audio: Tensor) -> Tensor:
        """``[N]`` → ``[n_fft+2, N/hop+1]`` (magnitude ‖ phase), centred, reflect-padded.

        Always in float32 at least: FFTs have no bfloat16 kernels, so under training's mixed
        precision the half-precision network output is widened here (a no-op in fp32).
        """
        audio = audio.float() if audio.dtype in (torch.bfloat16, torch.float16) else audio
        spec = torch.stft(
            audio, self.n_fft, self.hop, self.n_fft, window=self.window.to(audio.dtype),
            center=True, pad_mode="reflect", return_complex=True,
        )
        return torch.cat([spec.abs(), spec.angle()], dim=0)

    def _istft(self, post: Tensor, length: int) -> Tensor:
        """``conv_post`` output ``[n_fft+2, frames]`` → audio ``[length]``: log-magnitude ‖ phase via sin (float32 at least, as ``_stft``)."""
        post = post.float() if post.dtype in (torch.bfloat16, torch.float16) else post
        bins = self.n_fft // 2 + 1
        spec = torch.polar(torch.exp(post[:bins]), torch.sin(post[bins:]))
        return torch.istft(spec, self.n_fft, self.hop, self.n_fft, window=self.window.to(post.dtype), center=True, length=length)

    def harmonic_spectrum(
        self, f0: Tensor, f0_lengths: Sequence[int], *, noise: bool, generator: torch.Generator | None
    ) -> Tensor:
        """Excitation spectra ``[B, n_fft+2, L·up/hop+1]`` (zero past each item's end), gradient-free as upstream."""
        frames = f0.shape[1] * self.frame_scale // self.hop + 1
        with torch.no_grad():
            spectra = []
            for item, length in enumerate(f0_lengths):
                source = self.m_source(f0[item : item + 1, :length], noise=noise, generator=generator)[0]
                spectrum = self._stft(source)
                spectra.append(F.pad(spectrum, (0, frames - spectrum.shape[1])))
            return torch.stack(spectra)

    def forward(
        self,
        x: Tensor,
        style: Tensor,
        f0: Tensor,
        f0_lengths: Tensor | None = None,
        *,
        noise: bool = True,
        generator: torch.Generator | None = None,
    ) -> Tensor:
        """Returns ``[B, L·up]`` audio, zero past each item's ``f0_lengths[b]·up`` samples."""
        batch, steps = f0.shape
        lengths = [steps] * batch if f0_lengths is None else [int(n) for n in f0_lengths.tolist()]
        har = self.harmonic_spectrum(f0, lengths, noise=noise, generator=generator)
        batched = f0_lengths is not None and batch > 1
        rate_lengths = torch.tensor(lengths, device=x.device)
        mask = length_mask(rate_lengths, steps) if batched else None
        for i, up in enumerate(self.ups):
            x = F.leaky_relu(x, 0.1)
            x = up(zero_padding(x, mask))
            rate_lengths = rate_lengths * self.rates[i]
            last = i + 1 == len(self.ups)
            if last:
                x = F.pad(x, (1, 0), mode="reflect")
                rate_lengths = rate_lengths + 1
            mask = length_mask(rate_lengths, x.shape[2]) if batched else None
            # Inference sums in place: each of these tensors is one of the largest the model makes.
            in_place = not torch.is_grad_enabled()
            blocks = self.resblocks[i * self.num_kernels : (i + 1) * self.num_kernels]
            noise = self.noise_convs[i](har)
            if in_place:  # in the blocks' layout, so that they need no copies of their own
                x = blocks[0].inference_layout(x)
                noise = self.noise_res[i].inference_layout(noise)
            source = self.noise_res[i](noise, style, mask, consume=in_place)
            del noise
            x = x.add_(source) if in_place else x + source
            del source
            total = None
            for j, block in enumerate(blocks):
                if in_place and steps >= self.trim_from_steps:
                    return_freed_memory()  # see the module's docstring
                # The last block may sum into x itself: nothing reads x after it.
                out = block(x, style, mask, consume=in_place and j + 1 == len(blocks))
                total = out if total is None else total.add_(out) if in_place else total + out
                del out
            x = total.div_(self.num_kernels) if in_place else total / self.num_kernels
        post = self.conv_post(zero_padding(F.leaky_relu(x, 0.01), mask))
        samples = steps * self.frame_scale
        audio = []
        for item, length in enumerate(lengths):
            frames = length * self.frame_scale // self.hop + 1
            wave = self._istft(post[item, :, :frames], length * self.frame_scale)
            audio.append(F.pad(wave, (0, samples - wave.shape[0])))
        return torch.stack(audio)
