"""The torch backend: our KokoroModel from the data home's weights, set up for inference."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from kokoro_tui.assets.model_store import ensure_torch_weights, model_config
from kokoro_tui.errors import KokoroError
from kokoro_tui.home import DataHome
from kokoro_tui.model import snake_kernels
from kokoro_tui.model.allocator import return_freed_memory
from kokoro_tui.model.device import resolve_device
from kokoro_tui.model.inference import prepare_for_inference
from kokoro_tui.model.int8 import int8_available
from kokoro_tui.model.loading import load_model
from kokoro_tui.text.vocab import PhonemeVocab


class TorchSynthesizer:
    """``weights``: a model file of our own (``kokoro train model`` writes one) instead of the home's."""

    def __init__(self, home: DataHome, device: str, precision: str = "fp32", weights: Path | None = None) -> None:
        int8 = precision == "int8"
        if int8 and not int8_available():
            raise KokoroError("this torch build has no oneDNN int8 convolutions", hint="use precision fp32")
        self.device = torch.device("cpu") if int8 else resolve_device(device)
        if self.device.type == "cpu":
            snake_kernels.preload()  # while the weights load
        if weights is None:
            config = model_config(home)
            model = load_model(ensure_torch_weights(home), config, self.device)
        else:
            model = load_model(weights, device=self.device)  # config from the file; errors are one line
            config = model.config
        self.model = prepare_for_inference(model, int8=int8)
        self.vocab = PhonemeVocab(config.vocab)

    def synthesize(
        self, ids: Sequence[int], style: np.ndarray, speed: float, seed: int | None
    ) -> tuple[np.ndarray, np.ndarray]:
        style_tensor = torch.from_numpy(np.ascontiguousarray(style, dtype=np.float32)).to(self.device)
        result = self.model.synthesize(list(ids), style_tensor, speed, noise=True, seed=seed)
        audio = result.audio.detach().float().cpu().numpy().reshape(-1)
        durations = result.durations.detach().cpu().numpy().reshape(-1).astype(np.int64)
        return_freed_memory()  # the utterance's activations are freed: its pages go back (see allocator)
        return audio, durations

    def synthesize_batch(
        self, items: Sequence[tuple[Sequence[int], np.ndarray, float]], seed: int | None
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Several utterances (``synthesize``'s ids, style and speed each) in one padded forward pass, sharing the
        cost of a call (``Pipeline.synthesize_many``). Each comes back as ``synthesize`` returns it, cut to its own
        audio and its ``len(ids) + 2`` durations; only its noise differs, drawn for the whole batch in turn (and
        with int8 convolutions the rounding, their activation scales being the whole batch's)."""
        lengths = [len(ids) + 2 for ids, _, _ in items]  # BOS and EOS, the pad id 0, around each
        input_ids = torch.zeros((len(items), max(lengths)), dtype=torch.long)
        for row, (ids, _, _) in enumerate(items):
            input_ids[row, 1 : lengths[row] - 1] = torch.as_tensor(list(ids), dtype=torch.long)
        styles = np.stack([np.asarray(style, np.float32).reshape(-1) for _, style, _ in items])
        speeds = torch.tensor([speed for _, _, speed in items], dtype=torch.float32)
        with torch.inference_mode():
            result = self.model(
                input_ids.to(self.device), torch.tensor(lengths, device=self.device),
                torch.from_numpy(styles).to(self.device, self.model.dtype), speeds.to(self.device),
                noise=True, seed=seed,
            )
            audio = result.audio.float().cpu().numpy()
            samples = result.audio_lengths.tolist()
            durations = result.durations.cpu().numpy().astype(np.int64)
        del result
        return_freed_memory()  # the batch's activations are freed: their pages go back (see allocator)
        return [(audio[row, : samples[row]].copy(), durations[row, : lengths[row]]) for row in range(len(items))]

