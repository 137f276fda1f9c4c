"""Which principal components separate gender and which separate language, as measured.

Per component:
- gender: point-biserial r between the PC score and male (1) / female (0), and its t statistic
  ``t = r sqrt((n-2)/(1-r²))`` with n-2 degrees of freedom;
- language: one-way ANOVA F of the scores across languages, with eta² (the share of the
  component's variance explained by language) and the silhouette of the languages on that axis.
Voices without a language/gender prefix are left out of these measures. A factor the selection
does not vary (only female voices, or every language with a single voice) cannot be measured: its
figures are then the no-information values (r = 0, p = 1), and ``gender_measured`` /
``language_measured`` say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kokoro_tui.analysis.correlation import cross_correlation
from kokoro_tui.analysis.pca import PcaResult


@dataclass(frozen=True)
class ComponentSeparation:
    """How PC ``component`` (1-based) of one view lines up with gender and with language."""

    component: int
    gender_r: float  # point-biserial, positive: male voices score higher
    gender_t: float
    gender_p: float
    language_f: float
    language_p: float
    language_eta2: float
    language_silhouette: float


@dataclass(frozen=True)
class SeparationResult:
    """Separation measures for every component of one view, plus the best component for each factor."""

    view: str
    components: tuple[ComponentSeparation, ...]
    voices: int
    gender_measured: bool  # both genders among the voices with a known prefix
    language_measured: bool  # two languages or more, one of them with two voices or more

    @property
    def best_gender(self) -> ComponentSeparation:
        return max(self.components, key=lambda c: abs(c.gender_r))

    @property
    def best_language(self) -> ComponentSeparation:
        return max(self.components, key=lambda c: c.language_eta2)


def _gender_measurable(male: np.ndarray) -> bool:
    return bool(male.any() and not male.all())


def _language_measurable(languages: np.ndarray) -> bool:
    """An ANOVA needs two groups, and some variance within a group."""
    return 2 <= len(np.unique(languages)) < len(languages)


def _gender(coords: np.ndarray, male: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Point-biserial r, t and p of every column of ``coords`` with the male indicator."""
    from sklearn.feature_selection import f_classif

    count = coords.shape[1]
    if not _gender_measurable(male):
        return np.zeros(count), np.zeros(count), np.ones(count)
    r = cross_correlation(coords, male[:, None].astype(float))[:, 0]
    t = r * np.sqrt((len(male) - 2) / np.maximum(1.0 - r * r, 1e-300))
    # A two-group ANOVA is the pooled t-test (F = t²), so its p-value is the t-test's.
    _, p = f_classif(coords, male)
    return r, t, np.nan_to_num(p, nan=1.0)


def silhouettes(coords: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Mean silhouette of ``labels`` along each column of ``coords`` taken alone (1-D distances).

    Same definition as scikit-learn's ``silhouette_score`` (a point alone in its label scores 0),
    computed for all columns at once.
    """
    names, index = np.unique(labels, return_inverse=True)
    onehot = np.eye(len(names))[index]  # [N, L]
    sizes = onehot.sum(axis=0)  # [L]
    distances = np.abs(coords.T[:, :, None] - coords.T[:, None, :])  # [k, N, N]
    sums = distances @ onehot  # [k, N, L]
    own_size = sizes[index]
    own = np.take_along_axis(sums, index[None, :, None], axis=2)[:, :, 0]
    a = own / np.maximum(own_size - 1, 1)
    means = sums / sizes
    means[:, np.arange(len(index)), index] = np.inf
    b = means.min(axis=2)
    denominator = np.maximum(a, b)
    s = np.divide(b - a, denominator, out=np.zeros_like(a), where=denominator > 0)
    s[:, own_size == 1] = 0.0
    return s.mean(axis=1)


def _language(coords: np.ndarray, languages: np.ndarray) -> tuple[np.ndarray, ...]:
    """ANOVA F, p, eta² and silhouette of the languages along every column of ``coords``."""
    from sklearn.feature_selection import f_classif

    count = coords.shape[1]
    if not _language_measurable(languages):
        return np.zeros(count), np.ones(count), np.zeros(count), np.zeros(count)
    labels = np.unique(languages)
    f, p = f_classif(coords, languages)
    centred = coords - coords.mean(axis=0)
    total = np.sum(centred**2, axis=0)
    between = sum(np.sum(languages == lab) * centred[languages == lab].mean(axis=0) ** 2 for lab in labels)
    eta2 = np.divide(between, total, out=np.zeros_like(total), where=total > 0)
    return np.nan_to_num(f), np.nan_to_num(p, nan=1.0), eta2, silhouettes(coords, languages)


def component_separation(pca: PcaResult, *, components: int | None = None) -> SeparationResult:
    """Gender and language separation of the first ``components`` PCs (all if None)."""
    known = np.array([g != "other" for g in pca.groups])
    male = np.array([g[1] == "m" for g in pca.groups])[known]
    languages = np.array([g[0] for g in pca.groups])[known]
    count = pca.coords.shape[1] if components is None else min(components, pca.coords.shape[1])
    coords = pca.coords[known, :count]
    r, t, p = _gender(coords, male)
    f, fp, eta2, silhouette = _language(coords, languages)
    rows = tuple(
        ComponentSeparation(k + 1, float(r[k]), float(t[k]), float(p[k]), float(f[k]), float(fp[k]), float(eta2[k]), float(silhouette[k]))
        for k in range(count)
    )
    return SeparationResult(pca.view, rows, int(known.sum()), _gender_measurable(male), _language_measurable(languages))
