"""Shared look of every figure: colour by language, marker by gender, one legend entry per group."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from kokoro_tui.analysis.voiceset import describe_group
from kokoro_tui.text.languages import LANGUAGES

# Colour-blind-safe qualitative palette (Okabe–Ito plus two), one colour per language.
_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000", "#8C564B")
LANGUAGE_COLOURS = dict(zip(LANGUAGES, _PALETTE))
OTHER_COLOUR = "#999999"
GENDER_MARKERS = {"f": "o", "m": "^"}
DPI = 150


def group_colour(group: str) -> str:
    return LANGUAGE_COLOURS.get(group[0], OTHER_COLOUR) if group != "other" else OTHER_COLOUR


def group_marker(group: str) -> str:
    return GENDER_MARKERS.get(group[1], "s") if group != "other" else "s"


def group_label(group: str, count: int) -> str:
    return f"{group}: {describe_group(group)} ({count})"


def new_figure(width: float, height: float) -> Figure:
    """A figure with an Agg canvas attached, independent of pyplot's global state."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def scatter_groups(axes, coords, groups: Sequence[str], *, size: float = 28) -> None:
    """Scatter 2-D ``coords`` with one artist (and legend entry) per group."""
    for group in sorted(set(groups)):
        members = [i for i, g in enumerate(groups) if g == group]
        axes.scatter(
            coords[members, 0],
            coords[members, 1],
            s=size,
            c=group_colour(group),
            marker=group_marker(group),
            edgecolors="white",
            linewidths=0.5,
            label=group_label(group, len(members)),
        )


def save_figure(figure: Figure, path) -> None:
    """Write ``figure`` as PNG atomically (a crash never leaves a half-written image).

    Light zlib compression: lossless like the default, and the encoding no longer dominates the time.
    """
    from kokoro_tui.atomic import atomic_path

    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
