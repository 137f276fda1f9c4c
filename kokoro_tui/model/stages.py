"""The intermediate results an export must reproduce: the prosody curves and the decoder's features.

``kokoro convert export --check`` compares an export with torch stage by stage, so that a
difference in the audio can be traced to the prosody predictor (F0 and energy curves, two per
duration frame) or to the decoder (its features, the generator's input), not only seen.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from torch import Tensor

from kokoro_tui.model.config import STAGES
from kokoro_tui.model.kokoro import KokoroModel

F0, ENERGY, FEATURES = STAGES


@contextmanager
def captured_stages(model: KokoroModel) -> Iterator[dict[str, Tensor]]:
    """Within the block, each forward pass of ``model`` (one utterance) leaves its F0 and energy
    curves ``[2F]`` and decoder features ``[C, 2F]`` in the yielded dict, the last pass's winning.

    Works on the export twins too: it hooks the modules by their place in the model.
    """
    found: dict[str, Tensor] = {}

    def keep(name: str):  # noqa: ANN202 - a forward hook
        return lambda _module, _inputs, out: found.__setitem__(name, out[0, 0])

    hooks = [
        model.predictor.F0_proj.register_forward_hook(keep(F0)),
        model.predictor.N_proj.register_forward_hook(keep(ENERGY)),
        model.decoder.generator.register_forward_pre_hook(lambda _module, args: found.__setitem__(FEATURES, args[0][0])),
    ]
    try:
        yield found
    finally:
        for hook in hooks:
            hook.remove()
