"""Centroids of the voices' summary vectors: overall and per language+gender group."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kokoro_tui.analysis.voiceset import VoiceSet


@dataclass(frozen=True)
class CentroidStats:
    """Group centroids and how far apart they are, on the full 256-d summary vectors.

    - ``centroids[g]``: mean summary vector of group g; ``overall`` is the mean over all voices.
    - ``distance_to_overall[g]``: Euclidean distance from group g's centroid to ``overall``.
    - ``within_variance[g]``: mean squared Euclidean distance of g's voices to their centroid
      (summed over dims; 0 for a one-voice group).
    - ``between[i, j]``: Euclidean distance between the centroids of ``groups[i]`` and ``groups[j]``.
    """

    groups: tuple[str, ...]
    counts: dict[str, int]
    overall: np.ndarray
    centroids: dict[str, np.ndarray]
    distance_to_overall: dict[str, float]
    within_variance: dict[str, float]
    between: np.ndarray

    def to_json(self) -> dict:
        """The statistics as plain JSON types (centroid vectors excluded: they go to an .npz)."""
        return {
            "space": "mean over the 510 rows of each voice, all 256 dims; Euclidean distances",
            "definitions": {
                "distance_to_overall": "Euclidean distance from the group's centroid to the centroid of all voices",
                "within_group_variance": "mean squared Euclidean distance of the group's voices to their centroid",
                "within_group_rms_distance": "its square root: a typical voice-to-centroid distance, same unit as the others",
            },
            "groups": {
                g: {
                    "voices": self.counts[g],
                    "distance_to_overall": self.distance_to_overall[g],
                    "within_group_variance": self.within_variance[g],
                    "within_group_rms_distance": float(np.sqrt(self.within_variance[g])),
                }
                for g in self.groups
            },
            "between_group_distance": {
                "groups": list(self.groups),
                "matrix": [[float(x) for x in row] for row in self.between],
            },
        }


def centroid_stats(voices: VoiceSet) -> CentroidStats:
    """Overall and per-group centroids of ``voices`` with distances and spreads."""
    summaries = voices.summaries
    labels = np.array(voices.groups)
    groups = tuple(sorted(set(voices.groups)))
    overall = summaries.mean(axis=0)
    centroids, counts, to_overall, within = {}, {}, {}, {}
    for group in groups:
        members = summaries[labels == group]
        centre = members.mean(axis=0)
        centroids[group] = centre
        counts[group] = int(len(members))
        to_overall[group] = float(np.linalg.norm(centre - overall))
        within[group] = float(np.mean(np.sum((members - centre) ** 2, axis=1)))
    stacked = np.stack([centroids[g] for g in groups])
    between = np.linalg.norm(stacked[:, None, :] - stacked[None, :, :], axis=2)
    return CentroidStats(groups, counts, overall, centroids, to_overall, within, between)
