"""Put a whole voice analysis on disk: figures, JSON, centroids and the text report."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np

from kokoro_tui.analysis.voices import VoiceAnalysis
from kokoro_tui.atomic import atomic_write_bytes, atomic_write_text

REPORT_NAME = "analysis_report.txt"


def _write_json(path: Path, data: dict) -> None:
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def pca_summary(analysis: VoiceAnalysis) -> dict:
    """Explained variance, components needed, separation and length variation as JSON types."""
    views = {}
    for view, result in analysis.pca.items():
        views[view] = {
            "explained_variance": result.explained_variance.tolist(),
            "explained_ratio": result.explained_ratio.tolist(),
            "cumulative": result.cumulative.tolist(),
            "components_needed": {f"{t:.2f}": n for t, n in result.components_needed.items()},
            "coords": {name: row[:3].tolist() for name, row in zip(result.names, result.coords)},
            "separation": [vars(c) for c in analysis.separation[view].components],
            "separation_measured": {  # False: the voices do not vary that factor, and its figures say nothing
                "gender": analysis.separation[view].gender_measured,
                "language": analysis.separation[view].language_measured,
            },
        }
    length = {
        half: {"within_std": r.within_std, "between_std": r.between_std, "ratio": r.ratio, "curve": r.curve.tolist()}
        for half, r in analysis.length.items()
    }
    return {"voices": list(analysis.voices.names), "groups": list(analysis.voices.groups), "views": views, "length_variation": length}


def _centroids_npz(analysis: VoiceAnalysis) -> bytes:
    stats = analysis.centroids
    buffer = io.BytesIO()
    np.savez(buffer, overall=stats.overall.astype(np.float32), **{g: c.astype(np.float32) for g, c in stats.centroids.items()})
    return buffer.getvalue()


def _interlayer_json(analysis: VoiceAnalysis) -> dict:
    result = analysis.interlayer
    return {
        "space": "Pearson r across voices between dim i (decoder) and dim j (prosody) of the summary vectors",
        "voices": result.voices,
        "mean_abs_r": result.mean_abs_r,
        "null_max_abs_r_95": result.null_max_abs_r,
        "top_pairs": [vars(p) for p in result.top_pairs],
        "matrix": {
            "rows": "decoder dims 0-127",
            "columns": "prosody dims 128-255",
            "r": [[round(float(r), 6) for r in row] for row in result.matrix],
        },
    }


def write_voice_analysis(analysis: VoiceAnalysis, out_dir: Path, report_text: str) -> list[Path]:
    """Write every output of ``kokoro analyze voices`` into ``out_dir``; returns the paths written."""
    from kokoro_tui.analysis.render import figures_dims, figures_pca

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {name: out_dir / name for name in (
        "pca_summary.json", "centroids.npz", "centroid_stats.json", "interlayer_correlation.json",
        "top_variable_dimensions.json", "pca_variance.png", "pca_2d.png", "tsne_both.png",
        "interlayer_correlation.png", "dimension_variance.png", "embedding_distributions.png",
        "length_variation.png", REPORT_NAME,
    )}
    _write_json(paths["pca_summary.json"], pca_summary(analysis))
    atomic_write_bytes(paths["centroids.npz"], _centroids_npz(analysis))
    _write_json(paths["centroid_stats.json"], analysis.centroids.to_json())
    _write_json(paths["interlayer_correlation.json"], _interlayer_json(analysis))
    _write_json(paths["top_variable_dimensions.json"], analysis.dimensions.to_json())
    figures_pca.pca_variance_figure(analysis.pca, paths["pca_variance.png"])
    figures_pca.pca_2d_figure(analysis.pca, paths["pca_2d.png"])
    figures_pca.tsne_figure(analysis.tsne, paths["tsne_both.png"])
    figures_dims.interlayer_correlation_figure(analysis.interlayer, paths["interlayer_correlation.png"])
    figures_dims.dimension_variance_figure(analysis.dimensions, paths["dimension_variance.png"])
    figures_dims.embedding_distributions_figure(analysis.voices, analysis.dimensions, paths["embedding_distributions.png"])
    figures_dims.length_variation_figure(analysis.length, paths["length_variation.png"])
    atomic_write_text(paths[REPORT_NAME], report_text)
    return list(paths.values())
