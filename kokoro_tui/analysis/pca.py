"""Principal components of the voices' summary vectors, per view (decoder, prosody, both).

Components are numbered from 1 everywhere users see them (PC1 has the largest variance);
arrays are indexed from 0, so PC k is ``components[k - 1]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kokoro_tui.analysis.voiceset import VoiceSet, view_slice
from kokoro_tui.errors import KokoroError

#: Variance levels for which the report gives the number of components needed.
THRESHOLDS: tuple[float, ...] = (0.80, 0.90, 0.95)


@dataclass(frozen=True)
class PcaResult:
    """PCA of one view.

    ``coords[i, k]`` is voice ``names[i]``'s score on PC k+1. ``explained_variance`` is the
    variance of those scores across voices (ddof=1), so ``sqrt(explained_variance[k])`` is the
    standard deviation that ``pca_edit`` uses as its unit.
    """

    view: str
    names: tuple[str, ...]
    groups: tuple[str, ...]
    mean: np.ndarray  # [d]
    components: np.ndarray  # [k, d], unit rows
    explained_variance: np.ndarray  # [k]
    explained_ratio: np.ndarray  # [k]
    coords: np.ndarray  # [N, k]

    @property
    def cumulative(self) -> np.ndarray:
        return np.cumsum(self.explained_ratio)

    @property
    def components_needed(self) -> dict[float, int]:
        """Smallest number of components whose cumulative explained variance reaches each threshold."""
        cumulative = self.cumulative
        return {t: int(min(np.searchsorted(cumulative, t - 1e-12) + 1, len(cumulative))) for t in THRESHOLDS}

    def component_std(self, component: int) -> float:
        """Standard deviation of the voices' scores on PC ``component`` (1-based)."""
        return float(np.sqrt(self.explained_variance[self._index(component)]))

    def direction(self, component: int) -> np.ndarray:
        """Unit direction of PC ``component`` (1-based) in the view's dims."""
        return self.components[self._index(component)]

    def _index(self, component: int) -> int:
        count = len(self.explained_variance)
        if not 1 <= component <= count:
            raise KokoroError(f"component {component} out of range", hint=f"the {self.view} view has PC1..PC{count}")
        return component - 1


def fit_pca(voices: VoiceSet, view: str) -> PcaResult:
    """PCA of the summary vectors in ``view``; keeps the N-1 components that can carry variance.

    Voices that do not differ in the view (copies, or edits of one voice in the other view) leave no
    variance to share out: every ratio would be 0/0, so that is refused in words.
    """
    from sklearn.decomposition import PCA

    data = voices.summaries[:, view_slice(view)]
    if not np.ptp(data, axis=0).any():
        raise KokoroError(
            f"the {len(voices)} voices do not differ in the {view} view: there is nothing to analyse there",
            hint="add voices that differ in it: an edit of one view leaves the other as it was",
        )
    count = min(len(voices) - 1, data.shape[1])
    pca = PCA(n_components=count, svd_solver="full").fit(data)
    return PcaResult(
        view=view,
        names=voices.names,
        groups=voices.groups,
        mean=pca.mean_,
        components=pca.components_,
        explained_variance=pca.explained_variance_,
        explained_ratio=pca.explained_variance_ratio_,
        coords=pca.transform(data),
    )
