"""Our Kokoro in training mode with frozen weights: text in, audio out, gradients back to the style row.

Voice creation and its evaluation speak through this one object, so the audio the optimiser sees
is the audio the user will hear (the fp32 network; ``kokoro say`` on CPU uses int8 generator
convolutions, 0.57 dB log-mel from fp32, see the README's speed table).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor

from kokoro_tui.assets.model_store import ensure_torch_weights, model_config
from kokoro_tui.home import DataHome
from kokoro_tui.model.config import MAX_TOKENS, SAMPLE_RATE
from kokoro_tui.model.device import resolve_device
from kokoro_tui.model.kokoro import KokoroModel
from kokoro_tui.model.loading import load_model
from kokoro_tui.model.stages import F0, captured_stages
from kokoro_tui.text.frontend import TextFrontend
from kokoro_tui.text.vocab import PhonemeVocab


class DifferentiableSpeech:
    rate = SAMPLE_RATE

    def __init__(self, model: KokoroModel, frontend: TextFrontend, vocab: PhonemeVocab) -> None:
        self.model = model.requires_grad_(False)
        self.device = model.device
        self.frontend = frontend
        self.vocab = vocab
        self._ids: dict[str, tuple[int, ...]] = {}

    @classmethod
    def from_home(cls, home: DataHome, lang: str = "a", device: str = "auto") -> DifferentiableSpeech:
        """The real model of the data home (imported from the ONNX export on first use)."""
        config = model_config(home)
        model = load_model(ensure_torch_weights(home), config, resolve_device(device))
        return cls(model, TextFrontend(lang), PhonemeVocab(config.vocab))

    def ids(self, text: str) -> tuple[int, ...]:
        """Phoneme ids of ``text``, cut to what one forward pass takes."""
        if text not in self._ids:
            encoded = self.vocab.encode(self.frontend.phonemize(text))
            self._ids[text] = tuple(encoded.ids)[: MAX_TOKENS - 2]
        return self._ids[text]

    def speak(self, row: Tensor, ids: tuple[int, ...], *, grad: bool = True, seed: int | None = 0) -> Tensor:
        """24 kHz audio ``[N]`` of ``ids`` spoken with style ``row`` ``[256]``; deterministic for a seed."""
        input_ids = torch.tensor([[0, *ids, 0]], device=self.device)
        lengths = torch.tensor([len(ids) + 2], device=self.device)
        with torch.set_grad_enabled(grad):
            result = self.model(input_ids, lengths, row.reshape(1, -1).to(self.device), 1.0, noise=False, seed=seed)
        return result.audio[0]

    def speak_with_pitch(self, row: Tensor, ids: tuple[int, ...], *, seed: int | None = 0) -> tuple[Tensor, Tensor]:
        """``speak`` with gradients, plus the F0 curve ``[2F]`` (Hz) the predictor spoke it from."""
        with captured_stages(self.model) as stages:
            audio = self.speak(row, ids, seed=seed)
        return audio, stages[F0]

    def speak_pack(self, pack: np.ndarray, text: str) -> np.ndarray:
        """Audio of ``text`` with a whole ``[510, 1, 256]`` pack, the row picked as the pipeline picks it."""
        ids = self.ids(text)
        rows = np.asarray(pack, dtype=np.float32).reshape(pack.shape[0], -1)
        row = torch.from_numpy(rows[min(len(ids) - 1, rows.shape[0] - 1)])
        return self.speak(row, ids, grad=False).cpu().numpy()
