"""A set of voice packs as one array, with the names, groups and views every analysis shares.

A Kokoro voice pack is ``[510, 1, 256]`` float32: one 256-d style row per utterance length.
Dims 0–127 condition the decoder (timbre), dims 128–255 the prosody predictor. Most analyses
work on a voice's *summary vector*, the mean of its 510 rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from kokoro_tui.errors import KokoroError
from kokoro_tui.text.languages import LANGUAGES
from kokoro_tui.voices.names import GENDERS, gender_of, language_of
from kokoro_tui.voices.pack import HALF, ROWS, STYLE_DIM

#: The three views of a style vector: name -> slice of the 256 dims.
VIEWS: dict[str, slice] = {
    "decoder": slice(0, HALF),
    "prosody": slice(HALF, STYLE_DIM),
    "both": slice(0, STYLE_DIM),
}


def view_slice(view: str) -> slice:
    """The dims of ``view``; a KokoroError names the valid views otherwise."""
    try:
        return VIEWS[view]
    except KeyError:
        raise KokoroError(f"unknown view {view!r}", hint=f"use one of {', '.join(VIEWS)}") from None


def as_rows(pack: np.ndarray, name: str = "voice") -> np.ndarray:
    """A pack as ``[510, 256]`` float64, accepting ``[510, 1, 256]`` or ``[510, 256]``."""
    array = np.asarray(pack)
    if array.ndim == 3 and array.shape[1] == 1:
        array = array[:, 0, :]
    if array.ndim != 2 or array.shape[1] != STYLE_DIM or array.shape[0] < 1:
        raise KokoroError(f"voice {name!r} has shape {tuple(np.shape(pack))}, expected [510, 1, 256]")
    return array.astype(np.float64)


def group_of(name: str, lang: str | None = None, gender: str | None = None) -> str:
    """The language+gender group of a voice, e.g. ``af`` for ``af_heart``; ``other`` if unknown.

    ``lang`` and ``gender`` are what the voice store knows of it (``VoiceInfo``): a made voice named freely
    (``my_narrator``) has them from its recipe or its parent voice, where its name has no prefix to tell.
    """
    lang, gender = lang or language_of(name), gender or gender_of(name)
    return f"{lang}{gender}" if lang in LANGUAGES and gender in GENDERS else "other"


def groups_of(infos: Iterable[Any]) -> dict[str, str]:
    """Each voice's group from the store's ``VoiceInfo`` (name, lang, gender), for ``voice_set``'s ``groups``."""
    return {info.name: group_of(info.name, info.lang, info.gender) for info in infos}


def describe_group(group: str) -> str:
    """``af`` -> ``American English female``."""
    if group == "other":
        return "other (no language/gender prefix)"
    return f"{LANGUAGES[group[0]].name} {GENDERS[group[1]]}"


@dataclass(frozen=True)
class VoiceSet:
    """Voices stacked for analysis.

    ``packs`` is ``[N, rows, 256]`` float64, ``summaries`` ``[N, 256]`` (mean over rows),
    ``groups[i]`` the language+gender prefix of ``names[i]``.
    """

    names: tuple[str, ...]
    groups: tuple[str, ...]
    packs: np.ndarray
    summaries: np.ndarray

    def __len__(self) -> int:
        return len(self.names)

    def view(self, view: str) -> np.ndarray:
        """Summary vectors restricted to ``view``: ``[N, 128]`` or ``[N, 256]``."""
        return self.summaries[:, view_slice(view)]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(g[0] if g != "other" else "?" for g in self.groups)

    @property
    def genders(self) -> tuple[str, ...]:
        return tuple(g[1] if g != "other" else "?" for g in self.groups)


def voice_set(
    packs: Mapping[str, np.ndarray], *, minimum: int = 3, groups: Mapping[str, str] | None = None
) -> VoiceSet:
    """Stack ``packs`` (name -> pack) in name order; at least ``minimum`` voices are needed for PCA.
    ``groups``: a voice's group where the store knows it (``groups_of``), else its name tells (``group_of``)."""
    if len(packs) < minimum:
        raise KokoroError(f"need at least {minimum} voices to analyse, got {len(packs)}")
    names = tuple(sorted(packs))
    rows = [as_rows(packs[name], name) for name in names]
    lengths = {r.shape[0] for r in rows}
    if len(lengths) != 1:
        raise KokoroError(f"voices have different row counts {sorted(lengths)}; expected {ROWS} each")
    stacked = np.stack(rows)
    summaries = stacked.mean(axis=1)
    if np.all(summaries == summaries[0]):  # copies of one voice: no spread for PCA or t-SNE to scale by
        raise KokoroError(f"the {len(names)} voices are copies of one voice: nothing to compare")
    return VoiceSet(
        names=names,
        groups=tuple((groups or {}).get(n) or group_of(n) for n in names),
        packs=stacked,
        summaries=summaries,
    )
