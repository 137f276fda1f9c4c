"""Terminal plots (plotext) of a voice analysis: the PCA scatter and the explained-variance bars.

Each returns the plot as a string; ``colour=False`` strips the ANSI codes (for pipes and files), so
the markers alone must tell the series apart: a voice is drawn as its language letter (lower case
female, upper case male) and each view's bars have their own shade.
"""

from __future__ import annotations

from kokoro_tui.analysis.pca import PcaResult

SHOWN_COMPONENTS = 12
# 256-colour codes readable on dark and light terminals, one per language; gender is the marker.
_COLOURS = (33, 196, 34, 201, 208, 45, 178, 93, 130)
_OTHER_MARKER = "+"  # voices without a language/gender prefix
_OTHER_COLOUR = 244
_BAR_MARKERS = ("█", "▒", "░")  # one per view, in the order of the analysis's views


def _finish(plt, width: int | None, height: int | None, colour: bool) -> str:
    plt.theme("clear")
    if width and height:
        plt.plotsize(width, height)
    built = plt.build()
    return built if colour else plt.uncolorize(built)


def _marker(group: str) -> str:
    """``a`` for an American English female voice, ``A`` for a male one; ``+`` without a prefix."""
    if group == "other":
        return _OTHER_MARKER
    return group[0].upper() if group[1] == "m" else group[0]


def pca_scatter(result: PcaResult, *, width: int | None = None, height: int | None = None, colour: bool = True) -> str:
    """PC1 vs PC2 of one view as a terminal scatter: each voice its language letter, upper case if male."""
    import plotext as plt

    plt.clear_figure()
    languages = sorted({g[0] for g in result.groups if g != "other"})
    colours = {lang: _COLOURS[i % len(_COLOURS)] for i, lang in enumerate(languages)}
    for group in sorted(set(result.groups)):
        members = [i for i, g in enumerate(result.groups) if g == group]
        plt.scatter(
            result.coords[members, 0].tolist(),
            result.coords[members, 1].tolist(),
            marker=_marker(group),
            color=colours.get(group[0], _OTHER_COLOUR) if group != "other" else _OTHER_COLOUR,
            label=group,
        )
    plt.title(f"PCA of voices, {result.view} view (letter: language, capital: male)")
    plt.xlabel(f"PC1 ({100 * result.explained_ratio[0]:.1f}% of variance)")
    plt.ylabel(f"PC2 ({100 * result.explained_ratio[1]:.1f}%)")
    return _finish(plt, width, height, colour)


def variance_bars(
    pca: dict[str, PcaResult], *, width: int | None = None, height: int | None = None, colour: bool = True
) -> str:
    """Explained variance (%) of the first components, one bar series per view."""
    import plotext as plt

    plt.clear_figure()
    shown = min(SHOWN_COMPONENTS, *(len(r.explained_ratio) for r in pca.values()))
    labels = [f"PC{k}" for k in range(1, shown + 1)]
    heights = [(100 * r.explained_ratio[:shown]).round(1).tolist() for r in pca.values()]
    markers = [_BAR_MARKERS[k % len(_BAR_MARKERS)] for k in range(len(pca))]
    plt.multiple_bar(labels, heights, labels=list(pca), marker=markers)
    plt.title("Explained variance per principal component")
    plt.xlabel("component")
    plt.ylabel("% of variance")
    return _finish(plt, width, height, colour)
