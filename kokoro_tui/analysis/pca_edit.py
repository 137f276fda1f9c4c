"""Voice arithmetic: move a voice along one principal direction of the stock voices.

The unit of ``amount`` is one standard deviation of the voices' scores on that component
(``PcaResult.component_std``): ``amount=2`` moves the voice as far along PC k as a voice two
standard deviations from the mean differs from the mean. Every one of the voice's 510 rows
moves by the same vector, so its summary vector's projection on PC k changes by exactly
``amount * std``, and nothing changes in the other view's dims.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np

from kokoro_tui.analysis.pca import PcaResult, fit_pca
from kokoro_tui.analysis.voiceset import view_slice, voice_set
from kokoro_tui.errors import KokoroError


def pca_shift(pca: PcaResult, component: int, amount: float) -> np.ndarray:
    """The vector (in the view's dims) that moves a voice ``amount`` std along PC ``component``."""
    return amount * pca.component_std(component) * pca.direction(component)


def pca_edit(
    packs: Mapping[str, np.ndarray],
    name: str,
    view: str,
    component: int,
    amount: float,
    *,
    basis: Collection[str] | None = None,
) -> np.ndarray:
    """Voice ``name`` moved ``amount`` std along PC ``component`` (1-based) of ``view``.

    The PCA is fitted on the voices named in ``basis`` (default: every voice in ``packs``), so an
    edit can be defined by the stock voices alone. Returns a float32 array of the same shape as
    ``packs[name]`` (``[510, 1, 256]`` or ``[510, 256]``).
    """
    if name not in packs:
        raise KokoroError(f"voice {name!r} is not among the {len(packs)} voices given")
    chosen = list(packs) if basis is None else list(basis)
    missing = [voice for voice in chosen if voice not in packs]
    if missing:
        raise KokoroError(f"basis voices not given: {', '.join(missing)}")
    dims = view_slice(view)
    pca = fit_pca(voice_set({voice: packs[voice] for voice in chosen}), view)
    original = np.asarray(packs[name])
    edited = original.astype(np.float64).reshape(original.shape[0], -1).copy()
    edited[:, dims] += pca_shift(pca, component, amount)
    return edited.reshape(original.shape).astype(np.float32)
