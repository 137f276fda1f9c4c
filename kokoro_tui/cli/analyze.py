"""`kokoro analyze voices|architecture`, and `kokoro voices pca-edit` (wired by `register_pca_edit`).

The commands load data, call ``kokoro_tui.analysis``, and hand the results to ``kokoro_tui.analysis.render``.
Files go to --out (default: the data home's ``analysis/``); stdout lists what was written.
"""

from __future__ import annotations

import fnmatch
import math
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from kokoro_tui.cli.complete import complete_voice
from kokoro_tui.cli.console import err
from kokoro_tui.cli.options import OutDirOption
from kokoro_tui.errors import KokoroError
from kokoro_tui.voices.names import DEFAULT_VOICE, unknown_voice

_WILDCARDS = "*?["  # what makes a --voices entry a shell pattern
# The farthest `pca-edit` moves a voice, in standard deviations: the stock voices lie within ±4.6 on every
# component, and farther out the model's speech breaks down (af_heart along PC1: at 30 its audio clips, at
# 100 it is not finite, and `say` wrote silence).
MAX_AMOUNT = 10.0

VoicesSelection = Annotated[
    str,
    typer.Option(
        "--voices",
        help="'stock' (the downloaded voices), 'all' (also blended, imported, edited), or comma-separated "
        "voice names / shell patterns, e.g. 'af_*,am_*,bf_emma'.",
    ),
]


def select_voices(available: list[str], selection: str, stock: list[str] | None = None) -> list[str]:
    """Names matching ``selection`` ('stock', 'all' or comma-separated names/patterns), in store order.

    'stock' keeps the analysis (and its component numbering, which `pca-edit` uses) that of the
    downloaded voices, however many voices the user has made since. Case is ignored, as everywhere a
    voice is named.
    """
    if selection.strip() == "all":
        return list(available)
    if selection.strip() == "stock":
        return [name for name in available if stock is None or name in stock]
    chosen: list[str] = []
    for pattern in (p.strip() for p in selection.split(",") if p.strip()):
        chosen += [m for m in _matches(available, pattern) if m not in chosen]
    return chosen


def _matches(available: list[str], pattern: str) -> list[str]:
    """The voices one name or shell pattern of --voices picks; a KokoroError saying why when none."""
    from kokoro_tui.voices.blend import is_blend_spec

    if is_blend_spec(pattern):
        raise KokoroError(
            f"--voices takes voice names and patterns, not a blend ({pattern!r})",
            hint="save the blend with `kokoro voices blend SPEC --name NAME`, then name it here",
        )
    matches = [name for name in available if fnmatch.fnmatchcase(name.lower(), pattern.lower())]
    if matches:
        return matches
    if any(mark in pattern for mark in _WILDCARDS):
        raise KokoroError(f"no voice matches {pattern!r}", hint="`kokoro voices list` shows the voices")
    raise unknown_voice(pattern, available)


def _store():
    from kokoro_tui.home import resolve_home
    from kokoro_tui.voices.store import VoiceStore

    return VoiceStore(resolve_home())


def _out_dir(out_dir: Path | None) -> Path:
    """--out, else the data home's ``analysis/``; checked now, so an unusable folder fails before the work."""
    from kokoro_tui.atomic import check_writable_dir
    from kokoro_tui.home import resolve_home

    target = out_dir if out_dir is not None else resolve_home().analysis
    check_writable_dir(target)
    return target


def _note(line: str) -> None:
    """One line on stderr, as written: no rich markup read into paths, no wrapping at the terminal's width."""
    err.print(line, markup=False, soft_wrap=True)


def analyze_voices_command(
    voices: VoicesSelection = "stock",
    out_dir: OutDirOption = None,
    plot: Annotated[bool, typer.Option("--plot", help="Also draw the PCA scatter and variance bars in the terminal.")] = False,
) -> None:
    """PCA, centroids, correlations and per-dim variance of the voice embeddings, as figures and a report."""
    from kokoro_tui.analysis.render.summary import voice_report_text
    from kokoro_tui.analysis.render.writer import write_voice_analysis
    from kokoro_tui.analysis.voices import analyze_voices
    from kokoro_tui.analysis.voiceset import groups_of

    started = time.perf_counter()
    store = _store()
    infos = store.list()
    stock = [info.name for info in infos if info.origin == "stock"]
    names = select_voices(store.names(), voices, stock)
    if len(names) < 3:
        hint = "run `kokoro download`" if voices.strip() in ("all", "stock") else "name at least 3 voices in --voices"
        raise KokoroError(f"need at least 3 voices to analyse, {len(names)} selected", hint=hint)
    target = _out_dir(out_dir)
    _note(f"analysing {len(names)} voices…")
    analysis = analyze_voices({name: store.load(name) for name in names}, groups=groups_of(infos))
    paths = write_voice_analysis(analysis, target, voice_report_text(analysis))
    for path in paths:
        print(path)
    if plot:
        from kokoro_tui.analysis.render.terminal import pca_scatter, variance_bars

        colour = sys.stdout.isatty()
        print(pca_scatter(analysis.pca["both"], colour=colour))
        print(variance_bars(analysis.pca, colour=colour))
    _note(f"wrote {len(paths)} files to {target} in {time.perf_counter() - started:.1f} s")


def analyze_architecture_command(
    out_dir: OutDirOption = None,
    text: Annotated[str, typer.Option("--text", help="Sample sentence whose tensor shapes are traced.")] = (
        "The quick brown fox jumps over the lazy dog."
    ),
    voice: Annotated[
        str, typer.Option("--voice", "-v", help="Voice used for the traced forward pass.", autocompletion=complete_voice)
    ] = DEFAULT_VOICE,
) -> None:
    """Parameter counts per module, the layer structure, and tensor shapes at every stage of the real model."""
    from kokoro_tui.analysis.architecture import architecture_report
    from kokoro_tui.analysis.render.architecture import write_architecture

    started = time.perf_counter()
    target = _out_dir(out_dir)
    report = architecture_report(*_real_model_inputs(text, voice))
    paths = write_architecture(report, target)
    for path in paths:
        print(path)
    _note(f"traced {len(report.stages)} module calls in {time.perf_counter() - started:.1f} s")


def _real_model_inputs(text: str, voice: str):
    """The home's model on the CPU, the sample's phoneme ids, and the voice's style row for that length.

    The voice (a name, a file or a blend, as everywhere) and the text are read before the model loads, so a
    mistake in either is told at once.
    """
    import torch

    from kokoro_tui.assets.model_store import ensure_torch_weights, model_config
    from kokoro_tui.home import resolve_home
    from kokoro_tui.model.loading import load_model
    from kokoro_tui.speech.pipeline import Pipeline
    from kokoro_tui.text.vocab import PhonemeVocab
    from kokoro_tui.voices.pack import select_style

    home = resolve_home()
    pack = _store().resolve(voice)
    pipeline = Pipeline(voice=voice, home=home)
    chunk = next(iter(pipeline.text_chunks(text)), None)
    if chunk is None:
        raise KokoroError(f"nothing speakable in {text!r}")
    config = model_config(home)
    model = load_model(ensure_torch_weights(home), config).eval()
    ids = PhonemeVocab(config.vocab).encode(chunk.phonemes).ids
    style = torch.from_numpy(select_style(pack, len(chunk.phonemes)))
    return model, ids, style, chunk.phonemes


def pca_edit_command(
    name: Annotated[
        str, typer.Argument(help="Voice to edit: a name, a voice file or a blend.", show_default=False, autocompletion=complete_voice)
    ],
    component: Annotated[int, typer.Option("--component", "-k", help="Principal component, 1 = largest variance.")],
    amount: Annotated[
        float,
        typer.Option(
            "--amount", "-a", help=f"How far to move, in standard deviations of the stock voices on that PC (at most ±{MAX_AMOUNT:g})."
        ),
    ],
    new_name: Annotated[str, typer.Option("--name", "-n", help="Name of the new voice.", show_default=False)],
    view: Annotated[str, typer.Option("--view", help="decoder (timbre), prosody, or both.")] = "both",
    force: Annotated[bool, typer.Option("--force", help="Replace an existing voice of the same name.")] = False,
) -> None:
    """Make a new voice by moving NAME along one principal direction of the stock voices."""
    from kokoro_tui.analysis.pca_edit import pca_edit
    from kokoro_tui.analysis.voiceset import view_slice

    view_slice(view)
    if not math.isfinite(amount):
        raise KokoroError(f"--amount must be a finite number of standard deviations, got {amount:g}")
    if abs(amount) > MAX_AMOUNT:
        raise KokoroError(
            f"--amount {amount:g} moves {name} beyond the values a voice can hold",
            hint=f"stay within ±{MAX_AMOUNT:g}: the stock voices lie within about ±5 standard deviations",
        )
    store = _store()
    infos = store.list()
    stock = [info.name for info in infos if info.origin == "stock"]
    from_stock = len(stock) >= 3
    basis = stock if from_stock else [info.name for info in infos]
    packs = {voice: store.load(voice) for voice in basis}
    packs[name] = store.resolve(name)
    edited = pca_edit(packs, name, view, component, amount, basis=basis)
    recipe = {
        "operation": "pca-edit",
        "source": name,
        "view": view,
        "component": component,
        "amount": amount,
        "unit": "standard deviations of the basis voices' scores on that principal component",
        "basis": "stock voices" if from_stock else "all voices",
        "basis_voices": len(basis),
    }
    info = store.save(new_name, edited, "edited", recipe, replace=force)
    print(info.path)
    _note(f"{new_name}: {name} moved {amount:+g} std along PC{component} of the {view} view ({len(basis)} basis voices)")


def register(app: typer.Typer) -> None:
    analyze = typer.Typer(help="Analyse the voice embeddings and the model architecture.", no_args_is_help=True)
    analyze.command("voices")(analyze_voices_command)
    analyze.command("architecture")(analyze_architecture_command)
    app.add_typer(analyze, name="analyze")


def register_pca_edit(voices_app: typer.Typer) -> None:
    """Add `pca-edit` to the `kokoro voices` group (called by the voices module's register)."""
    voices_app.command("pca-edit")(pca_edit_command)
