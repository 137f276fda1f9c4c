"""The whole voice-embedding analysis in one data object, for the CLI report and the dashboard.

``analyze_voices(packs)`` returns a ``VoiceAnalysis`` whose fields are what a face needs:
- ``pca[view]``: PCA coords per view with names and groups, explained variance (``PcaResult``);
- ``separation[view]``: which components separate gender and language (``SeparationResult``);
- ``length``: how rows vary with utterance length, per half (``HalfLengthVariation``);
- ``centroids``: overall and group centroids with distances (``CentroidStats``);
- ``interlayer``: decoder-vs-prosody correlation (``InterlayerCorrelation``);
- ``dimensions``: per-dim variance and top dims per half (``DimensionVariance``);
- ``tsne``: a 2-D t-SNE map of the ``both`` view (``Embedding2D``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from kokoro_tui.analysis.centroids import CentroidStats, centroid_stats
from kokoro_tui.analysis.correlation import InterlayerCorrelation, interlayer_correlation
from kokoro_tui.analysis.dimensions import DimensionVariance, dimension_variance
from kokoro_tui.analysis.length_variation import HalfLengthVariation, length_variation
from kokoro_tui.analysis.pca import PcaResult, fit_pca
from kokoro_tui.analysis.separation import SeparationResult, component_separation
from kokoro_tui.analysis.tsne import Embedding2D, tsne_map
from kokoro_tui.analysis.voiceset import VIEWS, VoiceSet, voice_set


@dataclass(frozen=True)
class VoiceAnalysis:
    """Every figure of ``kokoro analyze voices``; see the module docstring for the fields."""

    voices: VoiceSet
    pca: dict[str, PcaResult]
    separation: dict[str, SeparationResult]
    length: dict[str, HalfLengthVariation]
    centroids: CentroidStats
    interlayer: InterlayerCorrelation
    dimensions: DimensionVariance
    tsne: Embedding2D


def analyze_voices(
    packs: Mapping[str, np.ndarray], *, seed: int = 0, groups: Mapping[str, str] | None = None
) -> VoiceAnalysis:
    """Run every voice analysis on ``packs`` (name -> ``[510, 1, 256]`` pack); ``groups`` as ``voice_set`` takes them."""
    voices = voice_set(packs, groups=groups)
    pca = {view: fit_pca(voices, view) for view in VIEWS}
    return VoiceAnalysis(
        voices=voices,
        pca=pca,
        separation={view: component_separation(result) for view, result in pca.items()},
        length=length_variation(voices),
        centroids=centroid_stats(voices),
        interlayer=interlayer_correlation(voices, seed=seed),
        dimensions=dimension_variance(voices),
        tsne=tsne_map(voices, "both", seed=seed),
    )
