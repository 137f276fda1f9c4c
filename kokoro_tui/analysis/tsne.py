"""A 2-D t-SNE map of the voices' summary vectors: neighbourhoods, not distances, are meaningful."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kokoro_tui.analysis.voiceset import VoiceSet, view_slice


@dataclass(frozen=True)
class Embedding2D:
    """``coords[i]`` is the 2-D position of ``names[i]``; the axes have no unit."""

    view: str
    names: tuple[str, ...]
    groups: tuple[str, ...]
    coords: np.ndarray  # [N, 2]
    perplexity: float


def tsne_map(voices: VoiceSet, view: str = "both", *, seed: int = 0) -> Embedding2D:
    """t-SNE of the standardised summary vectors (PCA-initialised, fixed seed: reproducible).

    Exact gradients: for tens of voices they are faster than Barnes-Hut and have no approximation.
    """
    from sklearn.manifold import TSNE

    data = voices.summaries[:, view_slice(view)]
    std = data.std(axis=0)
    data = np.divide(data - data.mean(axis=0), std, out=np.zeros_like(data), where=std > 0)
    perplexity = float(max(2.0, min(10.0, (len(voices) - 1) / 3)))
    coords = TSNE(n_components=2, perplexity=perplexity, init="pca", method="exact", random_state=seed).fit_transform(data)
    return Embedding2D(view, voices.names, voices.groups, coords, perplexity)
