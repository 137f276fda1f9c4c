"""`kokoro voices`: list, show, blend, import, export and remove voices in the data home's voice store."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from kokoro_tui.cli.complete import complete_lang, complete_voice
from kokoro_tui.cli.console import err, out
from kokoro_tui.cli.options import LANGUAGE_CODES, JsonOption
from kokoro_tui.errors import KokoroError

if TYPE_CHECKING:
    from kokoro_tui.voices.store import VoiceInfo

voices_app = typer.Typer(
    name="voices", help="List, inspect, blend, import, export and remove voices.", no_args_is_help=True
)

NameOption = Annotated[str, typer.Option("--name", "-n", help="Name to store the voice under: lower-case letters, digits, _ and -.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace an existing voice of the same name.")]
STDOUT = "-"  # the output file that means stdout, as for `kokoro say -o -`
FormatOption = Annotated[
    Optional[str], typer.Option("--format", help="pt, bin, npy, npz or safetensors (default: from the file suffix).")
]


def _store():
    from kokoro_tui.home import resolve_home
    from kokoro_tui.voices.store import VoiceStore

    return VoiceStore(resolve_home())


@voices_app.command("list")
def list_voices(
    lang: Annotated[
        Optional[str],
        typer.Option("--lang", "-l", help=f"Only this language: {LANGUAGE_CODES}.", autocompletion=complete_lang),
    ] = None,
    gender: Annotated[Optional[str], typer.Option("--gender", "-g", help="Only this gender: f or m.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List the voices in the store, each checked: a damaged one is marked, with its fix below the table.

    Exit 0 even when some are damaged (`kokoro doctor` exits 2 for that); only an unreadable store fails.
    """
    store = _store()
    voices = store.list(lang=lang, gender=gender)
    total = len(store.names())
    if as_json:
        print(json.dumps([{**voice.as_dict(), "fix": _fix(voice)} for voice in voices], indent=2))
    else:
        _print_table(voices)
        for voice in voices:
            if voice.problem:
                err.print(f"damaged: {voice.problem}; fix: {_fix(voice)}", markup=False, soft_wrap=True)
        if total:
            err.print(f"{len(voices)} of {total} voices in {store.root}", markup=False, soft_wrap=True)
    if not total:  # an empty store is a state, not a mistake: scripts get [] and exit 0
        err.print(f"no voices yet in {store.root}: run `kokoro download`", markup=False, soft_wrap=True)


def _fix(voice: VoiceInfo) -> str | None:
    """The command that repairs a damaged voice (doctor's words), None for a sound one."""
    if not voice.problem:
        return None
    from kokoro_tui.assets.fixes import repair_voice

    return repair_voice(voice.name, voice.origin if voice.sidecar_readable else None, voice.recipe)


def _print_table(voices: list[VoiceInfo]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False)
    for column in ("name", "language", "gender", "origin", "status"):
        table.add_column(column)
    for voice in voices:
        status = Text("damaged", style="bold red") if voice.problem else Text("ok")
        table.add_row(voice.name, voice.language or "-", voice.gender_name or "-", voice.origin, status)
    out.print(table)


@voices_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="Voice name.", autocompletion=complete_voice)], as_json: JsonOption = False
) -> None:
    """Shape, per-half statistics (decoder dims 0–127, prosody dims 128–255), origin and recipe."""
    from kokoro_tui.voices.stats import half_stats

    store = _store()
    info = store.info(name, check=True)
    if info.problem:
        raise KokoroError(f"{info.name} is damaged: {info.problem}", hint=_fix(info))
    pack = store.load(name)
    stats = half_stats(pack)
    if as_json:
        data = {**info.as_dict(), "shape": list(pack.shape), "dtype": str(pack.dtype)}
        data["halves"] = {half: values.as_dict() for half, values in stats.items()}
        print(json.dumps(data, indent=2))
        return
    from rich.table import Table

    described = ", ".join(part for part in (info.language, info.gender_name) if part) or "no language prefix"
    out.print(f"[bold]{info.name}[/]  {described}  ({info.origin})")
    out.print(f"file:   {info.path}", markup=False)
    out.print(f"shape:  {list(pack.shape)} {pack.dtype}")
    if info.recipe:
        from kokoro_tui.voices.recipe import describe_recipe

        out.print(f"recipe: {describe_recipe(info.recipe)}", markup=False)
    table = Table(box=None, pad_edge=False)
    table.add_column("half")
    for column in ("mean", "std", "min", "max", "|mean row|", "row step"):
        table.add_column(column, justify="right")
    for half, values in stats.items():
        dims = "0–127" if half == "decoder" else "128–255"
        row = (values.mean, values.std, values.min, values.max, values.mean_row_norm, values.row_step)
        table.add_row(f"{half} {dims}", *(f"{value:.4f}" for value in row))
    out.print(table)


@voices_app.command("blend")
def blend_voices(
    spec: Annotated[
        str,
        typer.Argument(
            help="Blend spec, e.g. 'af_heart:0.7,am_adam:0.3' (weights are normalised).", autocompletion=complete_voice
        ),
    ],
    name: NameOption,
    force: ForceOption = False,
) -> None:
    """Blend voices into a new one; weights are divided by their sum, negative weights subtract."""
    from kokoro_tui.voices.blend import blend, normalise_weights, parse_blend_spec

    store = _store()
    pairs = parse_blend_spec(spec)
    weights = normalise_weights([weight for _, weight in pairs])
    pack = blend([store.load(voice) for voice, _ in pairs], [weight for _, weight in pairs])
    recipe = {"blend": [{"voice": voice, "weight": round(float(w), 6)} for (voice, _), w in zip(pairs, weights)]}
    info = store.save(name, pack, "blended", recipe, replace=force)
    terms = " + ".join(f"{w:.2f}·{voice}" for (voice, _), w in zip(pairs, weights))
    err.print(f"saved {info.name} = {terms} → {info.path}", markup=False)


@voices_app.command("import")
def import_voice(
    file: Annotated[Path, typer.Argument(help="Voice file: .pt, .bin, .npy, .npz or .safetensors.")],
    name: Annotated[Optional[str], typer.Option("--name", "-n", help="Store name (default: the file name).")] = None,
    force: ForceOption = False,
) -> None:
    """Check a voice file and copy it into the store."""
    from kokoro_tui.voices.formats import read_voice_file

    pack = read_voice_file(file)
    info = _store().save(name or file.stem, pack, "imported", {"source": str(file.resolve())}, replace=force)
    err.print(f"imported {info.name} → {info.path}", markup=False)


@voices_app.command("export")
def export_voice(
    name: Annotated[str, typer.Argument(help="Voice name, file or blend spec.", autocompletion=complete_voice)],
    file: Annotated[str, typer.Argument(help="Output file, or '-' for stdout (needs a pipe and --format).")],
    fmt: FormatOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
) -> None:
    """Write a voice to a file in another format (e.g. .pt for hexgrad's pipeline, .bin for kokoro.js)."""
    from kokoro_tui.atomic import check_writable, refuse_existing
    from kokoro_tui.voices.formats import FORMATS, format_of, voice_bytes, write_voice_file

    to_stdout = file == STDOUT
    fmt = fmt.lower().lstrip(".") if fmt else None
    if fmt is not None and fmt not in FORMATS:
        raise KokoroError(f"unknown voice format '{fmt}'; use one of {', '.join(FORMATS)}")
    if to_stdout:
        _check_stdout(fmt)
    else:
        fmt = fmt or format_of(file, hint="or pass --format")
        check_writable(file)  # first: a folder in the way is told as such
        refuse_existing(file, force, "choose another file")
    pack = _store().resolve(name)
    if to_stdout:
        from kokoro_tui.speech.audio_io import write_all

        write_all(sys.stdout.buffer, voice_bytes(pack, fmt))  # block by block: a reader leaving is seen
        return
    err.print(f"wrote {write_voice_file(file, pack, fmt)}", markup=False)


def _check_stdout(fmt: str | None) -> None:
    """A voice is binary, so it goes to a pipe or a file, never to a terminal; and '-' has no suffix to name a format."""
    if sys.stdout.isatty():
        raise KokoroError("refusing to write a voice to a terminal", hint="give an output file, or pipe/redirect stdout")
    if fmt is None:
        raise KokoroError("writing a voice to stdout needs --format", hint="e.g. --format bin")


@voices_app.command("remove")
def remove_voice(
    names: Annotated[list[str], typer.Argument(help="Voice names.", autocompletion=complete_voice)],
    force: Annotated[bool, typer.Option("--force", help="Remove stock voices too.")] = False,
) -> None:
    """Delete voices you made, blended or imported (stock voices only with --force).

    Every name is checked before any voice goes, so a typo in the list removes nothing."""
    from kokoro_tui.assets.manifest import STOCK_VOICES

    store = _store()
    checked = (store.removable(name, stock=force, stock_names=STOCK_VOICES) for name in names)
    stored = dict.fromkeys(info.name for info in checked)  # in order, once each
    for name in stored:
        info = store.remove(name, stock=force, stock_names=STOCK_VOICES)
        err.print(f"removed {info.name} ({info.origin}) from {info.path.parent}", markup=False)


def register(app: typer.Typer) -> None:
    from kokoro_tui.cli.analyze import register_pca_edit

    register_pca_edit(voices_app)
    app.add_typer(voices_app, name="voices")
