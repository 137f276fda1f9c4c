"""`kokoro train voice`: a voice from a speaker's recordings; `kokoro eval voice`: how close it came."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kokoro_tui.cli.console import err, out, progress
from kokoro_tui.cli.options import JsonOption

train_app = typer.Typer(name="train", help="Make voices from recordings.", no_args_is_help=True)
eval_app = typer.Typer(name="eval", help="Measure a made voice against recordings of its speaker.", no_args_is_help=True)

STAGE_NAMES = {"read": "reading recordings", "scan": "scanning stock voices", "fit": "optimising", "samples": "samples"}


@train_app.command("voice")
def train_voice(
    data: Annotated[Path, typer.Option("--data", help="Folder of recordings: train/metadata.jsonl, LJSpeech metadata.csv, RUSLAN metadata_*.csv, or plain audio files.")],
    name: Annotated[str, typer.Option("--name", "-n", help="Name of the new voice in the store ([a-z0-9_-]+).")],
    lang: Annotated[str, typer.Option("--lang", "-l", help="Language of the recordings (a, b, ...).")] = "a",
    method: Annotated[str, typer.Option("--method", help="descent (gradients through our model), walk (random-walk baseline), or quick (best stock blend, seconds).")] = "descent",
    quick: Annotated[bool, typer.Option("--quick", help="Same as --method quick: the best blend of the nearest stock voices.")] = False,
    steps: Annotated[int, typer.Option("--steps", help="Optimisation steps (about 4 s each on a 2-core CPU; most of the gain comes in the first 20).")] = 40,
    max_seconds: Annotated[Optional[float], typer.Option("--max-seconds", help="Use at most this much audio.")] = 60.0,
    device: Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")] = "auto",
    seed: Annotated[int, typer.Option("--seed", help="Seed for reproducible runs.")] = 0,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the unfinished run of this name from its checkpoint.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace a voice or an unfinished run of the same name.")] = False,
    exclude: Annotated[Optional[list[str]], typer.Option("--exclude", help="Leave this stock voice out of the blend (repeatable).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Make a Kokoro voice from recordings of one speaker; it lands in the voice store.

    Progress is on stderr, the run log and checkpoint in HOME/runs/voice-NAME (the dashboard's
    Training pane follows it), three samples of held-out text beside them.
    """
    import json

    from kokoro_tui.home import resolve_home
    from kokoro_tui.training.voice_job import VoiceJob, make_voice

    job = VoiceJob(
        data=data, name=name, lang=lang, method="quick" if quick else method, steps=steps, max_seconds=max_seconds, device=device,
        seed=seed, resume=resume, replace=force, exclude=tuple(exclude or ()),
    )
    with progress("eta") as bar:
        tasks: dict[str, object] = {}

        def events(stage: str, done: int, total: int, figures: dict[str, float]) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(STAGE_NAMES.get(stage, stage), total=total, figures="")
            shown = "  ".join(f"{key} {value:.3f}" for key, value in figures.items() if key in ("similarity", "check_similarity"))
            bar.update(tasks[stage], completed=done, total=total, **({"figures": shown} if shown else {}))

        result = make_voice(resolve_home(), job, events)
    for problem in result.problems:
        err.print(f"left out: {problem}", markup=False, soft_wrap=True)
    summary = {
        "voice": result.voice.name,
        "similarity": round(result.check_similarity, 4),
        "start_similarity": round(result.start_similarity, 4),
        "best_stock": result.best_stock.name,
        "best_stock_similarity": round(result.best_stock.similarity, 4),
        "run_dir": str(result.run_dir),
        "samples": [str(path) for path in result.samples],
        "seconds": round(result.seconds, 1),
    }
    if as_json:
        out.print_json(json.dumps(summary))
        return
    err.print(
        f"saved voice '{result.voice.name}' in {result.seconds:.0f} s: similarity {result.check_similarity:.3f} on "
        f"held-out text and recordings (start blend {result.start_similarity:.3f}; best stock voice "
        f"{result.best_stock.name} {result.best_stock.similarity:.3f})",
        markup=False, soft_wrap=True,
    )
    err.print(f"samples: {', '.join(summary['samples']) or 'none'}; run log: {result.run_dir}", markup=False, soft_wrap=True)
    err.print(f"try it: kokoro say --voice {result.voice.name} \"Hello there.\"", markup=False, soft_wrap=True)


@eval_app.command("voice")
def eval_voice(
    name: Annotated[str, typer.Argument(help="The voice to measure (a store name or a voice file).")],
    ref: Annotated[Path, typer.Option("--ref", help="Folder of the speaker's recordings the voice was NOT made from.")],
    lang: Annotated[str, typer.Option("--lang", "-l", help="Language of the recordings.")] = "a",
    device: Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")] = "auto",
    as_json: JsonOption = False,
) -> None:
    """Similarity to held-out recordings, the best stock voice's, WER, and pitch and timbre distances."""
    import json

    from kokoro_tui.home import resolve_home
    from kokoro_tui.training.voice_eval import evaluate_voice

    with progress("eta") as bar:
        task = bar.add_task("evaluating", total=None, figures="")
        report = evaluate_voice(resolve_home(), name, ref, lang, device,
                                lambda done, total: bar.update(task, completed=done, total=total))
    if as_json:
        out.print_json(json.dumps(report.as_dict()))
        return
    for line in report.lines():
        out.print(line, markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(train_app)
    app.add_typer(eval_app)
