"""Figures about single dims: decoder-vs-prosody correlation, per-dim variance, value distributions,
and how the style rows vary with utterance length."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kokoro_tui.analysis.correlation import InterlayerCorrelation
from kokoro_tui.analysis.dimensions import DimensionVariance
from kokoro_tui.analysis.length_variation import HalfLengthVariation
from kokoro_tui.analysis.render.style import new_figure, save_figure
from kokoro_tui.analysis.voiceset import HALF, VoiceSet

HALF_COLOURS = {"decoder": "#0072B2", "prosody": "#D55E00"}


def interlayer_correlation_figure(result: InterlayerCorrelation, path: Path) -> None:
    """Heat map of Pearson r between every decoder dim and every prosody dim, top pairs circled."""
    figure = new_figure(8, 7)
    ax = figure.subplots()
    image = ax.imshow(result.matrix, cmap="RdBu_r", vmin=-1, vmax=1, origin="lower", interpolation="nearest")
    colourbar = figure.colorbar(image, ax=ax, shrink=0.8)
    colourbar.set_label("Pearson r across voices")
    top = result.top_pairs
    ax.scatter(
        [p.prosody_dim - HALF for p in top],
        [p.decoder_dim for p in top],
        s=40,
        facecolors="none",
        edgecolors="black",
        linewidths=0.8,
        label=f"top {len(top)} pairs by |r|",
    )
    ticks = np.arange(0, HALF + 1, 32)
    ax.set_xticks(ticks, [str(HALF + t) for t in ticks])
    ax.set_yticks(ticks)
    ax.set_xlabel("prosody dim (128–255)")
    ax.set_ylabel("decoder dim (0–127)")
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(
        f"Decoder vs prosody dims: correlation across {result.voices} voices\n"
        f"mean |r| = {result.mean_abs_r:.3f}; chance max |r| (95 % of shuffles) = {result.null_max_abs_r:.2f}",
        fontsize=10,
    )
    save_figure(figure, path)


def dimension_variance_figure(result: DimensionVariance, path: Path) -> None:
    """Variance across voices of each of the 256 dims, halves coloured, the top dims labelled."""
    figure = new_figure(12, 4.2)
    ax = figure.subplots()
    dims = np.arange(len(result.variance))
    for half, colour in HALF_COLOURS.items():
        span = dims[:HALF] if half == "decoder" else dims[HALF:]
        ax.bar(span, result.variance[span], width=1.0, color=colour, label=f"{half} half")
    for half, top in result.top.items():
        for d in top[:5]:
            ax.annotate(str(d), (d, result.variance[d]), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=6)
    ax.set_xlim(-1, len(dims))
    ax.set_xlabel("style dim")
    ax.set_ylabel("variance across voices (style units²)")
    ax.legend(fontsize=8)
    ax.set_title("Per-dim variance of the voice summary vectors (top 5 dims per half labelled)", fontsize=10)
    save_figure(figure, path)


def embedding_distributions_figure(voices: VoiceSet, dimensions: DimensionVariance, path: Path) -> None:
    """Left: value histograms of all summary-vector entries per half. Right: the top dims across voices."""
    figure = new_figure(13, 4.5)
    left, right = figure.subplots(1, 2, width_ratios=[1, 2])
    bins = np.linspace(voices.summaries.min(), voices.summaries.max(), 60)
    for half, colour in HALF_COLOURS.items():
        values = voices.summaries[:, :HALF] if half == "decoder" else voices.summaries[:, HALF:]
        left.hist(values.ravel(), bins=bins, color=colour, histtype="step", linewidth=1.5, label=f"{half} half", density=True)
    left.set_xlabel("value of a summary-vector entry (style units)")
    left.set_ylabel("density")
    left.legend(fontsize=8)
    left.set_title("All entries, all voices", fontsize=10)
    shown = [d for half in HALF_COLOURS for d in dimensions.top[half][:6]]
    parts = right.boxplot(
        [voices.summaries[:, d] for d in shown], patch_artist=True, widths=0.6, medianprops={"color": "black"}
    )
    for box, d in zip(parts["boxes"], shown):
        box.set_facecolor(HALF_COLOURS["decoder" if d < HALF else "prosody"])
        box.set_alpha(0.6)
    right.set_xticks(np.arange(1, len(shown) + 1), [str(d) for d in shown])
    right.set_xlabel("style dim (6 most variable per half; blue decoder, orange prosody)")
    right.set_ylabel("value across voices (style units)")
    right.set_title("Most variable dims: distribution across voices", fontsize=10)
    figure.suptitle(f"Distribution of voice summary-vector values ({len(voices)} voices)")
    save_figure(figure, path)


def length_variation_figure(length: dict[str, HalfLengthVariation], path: Path) -> None:
    """Row-vs-summary distance as a function of utterance length, relative to the between-voice spread."""
    figure = new_figure(9, 4.2)
    ax = figure.subplots()
    for half, result in length.items():
        rows = np.arange(1, len(result.curve) + 1)
        ax.plot(rows, result.curve, color=HALF_COLOURS[half], label=f"{half} half (mean ratio {result.ratio:.2f})")
    ax.axhline(1.0, color="grey", linestyle=":", linewidth=0.8, label="= between-voice spread")
    ax.set_xscale("log")
    ax.set_xlabel("style row, 1-based (≈ phoneme count of the utterance)")
    ax.set_ylabel("RMS distance of row from voice mean\n÷ RMS between-voice std")
    ax.legend(fontsize=8)
    ax.set_title("How much a voice's style row changes with utterance length", fontsize=10)
    save_figure(figure, path)
