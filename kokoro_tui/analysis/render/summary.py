"""The readable voice-analysis report (``analysis_report.txt``): the key figures as plain text."""

from __future__ import annotations

from collections import Counter

import numpy as np

from kokoro_tui.analysis.separation import ComponentSeparation, SeparationResult
from kokoro_tui.analysis.voices import VoiceAnalysis
from kokoro_tui.analysis.voiceset import describe_group

CURVE_ROWS = (1, 10, 50, 100, 200, 510)
RANKED = 3


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _heading(title: str) -> list[str]:
    return ["", title, "-" * len(title)]


def _overview(analysis: VoiceAnalysis) -> list[str]:
    voices = analysis.voices
    counts = Counter(voices.groups)
    lines = [
        "Kokoro voice-embedding analysis",
        "===============================",
        f"{len(voices)} voices, {_plural(len(counts), 'group')} (language + gender from the name prefix, or a made voice's recipe).",
        "Each voice is summarised by the mean of its 510 style rows; dims 0-127 condition the",
        "decoder (timbre), dims 128-255 the prosody predictor.",
    ]
    lines += [f"  {g:<6} {counts[g]:>3}  {describe_group(g)}" for g in sorted(counts)]
    return lines


def _pca(analysis: VoiceAnalysis) -> list[str]:
    lines = _heading("PCA of the summary vectors")
    for view, result in analysis.pca.items():
        shown = ", ".join(f"PC{k + 1} {100 * r:.1f}%" for k, r in enumerate(result.explained_ratio[:5]))
        needed = ", ".join(f"{t:.0%}: {n}" for t, n in result.components_needed.items())
        lines.append(f"{view:<8} {shown}")
        lines.append(f"{'':<8} components needed for {needed} (of {len(result.explained_ratio)})")
    return lines


def _length(analysis: VoiceAnalysis) -> list[str]:
    lines = _heading("Variation of the style rows with utterance length")
    lines.append("ratio = mean over voices of the row-to-row std / between-voice std of the summaries")
    for half, result in analysis.length.items():
        curve = ", ".join(f"row {r}: {result.curve[r - 1]:.2f}" for r in CURVE_ROWS if r <= len(result.curve))
        lines.append(
            f"{half:<8} within {result.within_std:.4f}, between {result.between_std:.4f}, ratio {result.ratio:.2f}"
        )
        lines.append(f"{'':<8} distance of a row from its voice mean / between-voice spread: {curve}")
    return lines


def _describe_gender(c: ComponentSeparation) -> str:
    side = "male higher" if c.gender_r > 0 else "female higher"
    return f"PC{c.component}: r = {c.gender_r:+.2f}, t = {c.gender_t:+.2f}, p = {c.gender_p:.1e} ({side})"


def _describe_language(c: ComponentSeparation) -> str:
    return (
        f"PC{c.component}: eta² = {c.language_eta2:.2f}, F = {c.language_f:.1f}, p = {c.language_p:.1e}, "
        f"silhouette = {c.language_silhouette:+.2f}"
    )


def _separation(analysis: VoiceAnalysis) -> list[str]:
    lines = _heading("Which principal components separate gender and language")
    lines += [
        "gender: point-biserial r of the PC score with male=1/female=0 and its t statistic;",
        "language: one-way ANOVA F, eta² (share of the PC's variance explained by language),",
        "silhouette of the languages along that PC alone. Languages with a single voice fit",
        "their own mean exactly, so eta² of a late PC dominated by one voice can look high: read",
        "it with its p-value and the PC's share of variance.",
    ]
    first = next(iter(analysis.separation.values()))  # which factors vary is the same in every view
    lines += _unmeasured(first)
    if not (first.gender_measured or first.language_measured):
        return lines
    for view, result in analysis.separation.items():
        lines.append(f"{view} view ({_plural(result.voices, 'voice')} with a known prefix):")
        by_gender = sorted(result.components, key=lambda c: -abs(c.gender_r))[:RANKED]
        by_language = sorted(result.components, key=lambda c: -c.language_eta2)[:RANKED]
        if result.gender_measured:
            lines += [f"  gender    {_describe_gender(c)}" for c in by_gender]
        if result.language_measured:
            lines += [f"  language  {_describe_language(c)}" for c in by_language]
    lines.append("In short:")
    lines += [_summary_sentence(view, result) for view, result in analysis.separation.items()]
    return lines


def _unmeasured(result: SeparationResult) -> list[str]:
    """Why a factor has no figures: the selected voices do not vary it."""
    lines = []
    if not result.gender_measured:
        lines.append("Gender is not measured: the voices with a known prefix are not of both genders.")
    if not result.language_measured:
        lines.append("Language is not measured: that needs two languages, one of them with two voices or more.")
    return lines


def _summary_sentence(view: str, result: SeparationResult) -> str:
    gender, language = result.best_gender, result.best_language
    parts = []
    if result.gender_measured:
        parts.append(f"gender is carried most by PC{gender.component} (|r| = {abs(gender.gender_r):.2f})")
    if result.language_measured:
        parts.append(f"language is carried most by PC{language.component} (eta² = {language.language_eta2:.2f})")
    return f"  {view}: {', '.join(parts)}."


def _centroids(analysis: VoiceAnalysis) -> list[str]:
    stats = analysis.centroids
    lines = _heading("Group centroids (Euclidean, full 256-d summary vectors)")
    lines.append("to overall: centroid distance to the centroid of all voices; within rms: root mean squared")
    lines.append("distance of the group's voices to their own centroid (0 for a one-voice group).")
    lines.append(f"{'group':<6} {'voices':>6} {'to overall':>11} {'within rms':>11}")
    for g in stats.groups:
        lines.append(
            f"{g:<6} {stats.counts[g]:>6} {stats.distance_to_overall[g]:>11.3f} {np.sqrt(stats.within_variance[g]):>11.3f}"
        )
    if len(stats.groups) > 1:
        upper = np.triu_indices(len(stats.groups), k=1)
        distances = stats.between[upper]
        names = [f"{stats.groups[i]}-{stats.groups[j]}" for i, j in zip(*upper)]
        near, far = np.argmin(distances), np.argmax(distances)
        lines.append(f"closest groups {names[near]} ({distances[near]:.3f}), farthest {names[far]} ({distances[far]:.3f})")
    return lines


def _interlayer(analysis: VoiceAnalysis) -> list[str]:
    result = analysis.interlayer
    above = int(np.sum(np.abs(result.matrix) > result.null_max_abs_r))
    lines = _heading("Decoder-vs-prosody correlation across voices")
    lines.append(
        f"mean |r| = {result.mean_abs_r:.3f}; the largest |r| reached by chance (95th percentile over shuffles) is "
        f"{result.null_max_abs_r:.2f}; {above} of {result.matrix.size} pairs exceed it."
    )
    lines.append(f"top {len(result.top_pairs)} pairs by |r| (decoder dim, prosody dim, r):")
    lines += [f"  {p.decoder_dim:>3} {p.prosody_dim:>3} {p.r:+.3f}" for p in result.top_pairs]
    return lines


def _dimensions(analysis: VoiceAnalysis) -> list[str]:
    result = analysis.dimensions
    lines = _heading("Most variable dims across voices (variance of the summary vectors)")
    for half, dims in result.top.items():
        lines.append(f"{half:<8} " + ", ".join(f"{d} ({result.variance[d]:.4f})" for d in dims))
    return lines


def voice_report_text(analysis: VoiceAnalysis) -> str:
    """The whole report as one string (what ``analysis_report.txt`` holds and the dashboard shows)."""
    sections = (_overview, _pca, _length, _separation, _centroids, _interlayer, _dimensions)
    return "\n".join(line for section in sections for line in section(analysis)) + "\n"
