"""PCA and t-SNE figures: explained variance, the PC1–PC2 plane per view, the t-SNE map."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kokoro_tui.analysis.pca import PcaResult
from kokoro_tui.analysis.render.style import new_figure, save_figure, scatter_groups
from kokoro_tui.analysis.tsne import Embedding2D

VIEW_TITLES = {
    "decoder": "decoder half (dims 0–127, timbre)",
    "prosody": "prosody half (dims 128–255)",
    "both": "full style vector (dims 0–255)",
}


def pca_variance_figure(pca: dict[str, PcaResult], path: Path) -> None:
    """Per view: explained variance per component (bars) and cumulative (line) with 80/90/95 % marks.

    Shows all N-1 components that carry variance; a tick marks where each threshold is reached.
    """
    figure = new_figure(13, 4.2)
    axes = figure.subplots(1, len(pca), sharey=True)
    for ax, (view, result) in zip(np.atleast_1d(axes), pca.items()):
        shown = len(result.explained_ratio)
        ks = np.arange(1, shown + 1)
        ax.bar(ks, 100 * result.explained_ratio, color="#0072B2", label="per component")
        ax.plot(ks, 100 * result.cumulative, color="#D55E00", marker=".", markersize=3, label="cumulative")
        for threshold, needed in result.components_needed.items():
            ax.axhline(100 * threshold, color="grey", linewidth=0.6, linestyle=":")
            ax.plot([needed], [100 * result.cumulative[needed - 1]], "k|", markersize=8)
            ax.annotate(
                f"{threshold:.0%} at {needed} PCs",
                (1, 100 * threshold),
                xytext=(0, 2),
                textcoords="offset points",
                fontsize=7,
                color="dimgrey",
            )
        ax.set_title(VIEW_TITLES[view], fontsize=10)
        ax.set_xlabel("principal component")
        ax.set_xlim(0.3, shown + 0.7)
        ax.set_ylim(0, 100)
    first = np.atleast_1d(axes)[0]
    first.set_ylabel("explained variance (% of total)")
    first.legend(loc="center right", fontsize=8)
    voices = len(next(iter(pca.values())).names)
    figure.suptitle(f"PCA of voice summary vectors (mean over 510 rows), {voices} voices")
    save_figure(figure, path)


def pca_2d_figure(pca: dict[str, PcaResult], path: Path) -> None:
    """Per view: every voice on the PC1–PC2 plane, coloured by language, marker by gender."""
    figure = new_figure(13, 5.2)
    axes = np.atleast_1d(figure.subplots(1, len(pca)))
    for ax, (view, result) in zip(axes, pca.items()):
        scatter_groups(ax, result.coords[:, :2], result.groups)
        ax.set_xlabel(f"PC1 score ({100 * result.explained_ratio[0]:.1f} % of variance)")
        ax.set_ylabel(f"PC2 score ({100 * result.explained_ratio[1]:.1f} % of variance)")
        ax.set_title(VIEW_TITLES[view], fontsize=10)
        ax.axhline(0, color="lightgrey", linewidth=0.5, zorder=0)
        ax.axvline(0, color="lightgrey", linewidth=0.5, zorder=0)
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside right center", fontsize=7, title="group (voices)", title_fontsize=8)
    figure.suptitle("Voices on the first two principal components (colour: language, marker: ○ female, △ male)")
    save_figure(figure, path)


def tsne_figure(embedding: Embedding2D, path: Path) -> None:
    """The t-SNE map with every voice labelled by name."""
    figure = new_figure(9, 7)
    ax = figure.subplots()
    scatter_groups(ax, embedding.coords, embedding.groups, size=40)
    for (x, y), name in zip(embedding.coords, embedding.names):
        ax.annotate(name.split("_", 1)[-1], (x, y), xytext=(3, 3), textcoords="offset points", fontsize=6)
    ax.set_xlabel("t-SNE 1 (no unit)")
    ax.set_ylabel("t-SNE 2 (no unit)")
    figure.legend(loc="outside right center", fontsize=7, title="group (voices)", title_fontsize=8)
    ax.set_title(
        f"t-SNE of standardised summary vectors, {VIEW_TITLES[embedding.view]}\n"
        f"perplexity {embedding.perplexity:g}; neighbourhoods are meaningful, distances are not",
        fontsize=10,
    )
    save_figure(figure, path)
