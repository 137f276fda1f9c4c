"""The parameter layout (key -> shape) an import must fill, taken from our model itself."""

from __future__ import annotations

import torch

from kokoro_tui.model.config import KokoroConfig
from kokoro_tui.model.kokoro import KokoroModel


def expected_parameters(config: KokoroConfig | None = None) -> dict[str, tuple[int, ...]]:
    """Every state-dict key of ``KokoroModel(config)`` with its shape (built on the meta device, no memory)."""
    with torch.device("meta"):
        model = KokoroModel(config or KokoroConfig.default())
    return {key: tuple(value.shape) for key, value in model.state_dict().items()}
