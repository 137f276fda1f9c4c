"""`kokoro train voice|model`: a voice from recordings, or the model fine-tuned on a corpus; `kokoro eval voice`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import typer

from kokoro_tui.cli.console import err, out, progress
from kokoro_tui.cli.options import LANGUAGE_CODES, JsonOption

train_app = typer.Typer(name="train", help="Make voices from recordings; fine-tune the model on a corpus.", no_args_is_help=True)
eval_app = typer.Typer(name="eval", help="Measure a made voice against recordings of its speaker.", no_args_is_help=True)

STAGE_NAMES = {
    "read": "reading recordings", "scan": "scanning stock voices", "fit": "optimising", "samples": "samples",
    "features": "aligning and measuring", "train": "training", "evaluate": "evaluating",
}
#: Figures shown beside a bar: voice creation's similarities, fine-tuning's losses.
SHOWN_FIGURES = ("similarity", "check_similarity", "total", "mel")


@train_app.command("voice")
def train_voice(
    data: Annotated[Path, typer.Option("--data", help="Folder of recordings: train/metadata.jsonl, LJSpeech metadata.csv, RUSLAN metadata_*.csv, or plain audio files.")],
    name: Annotated[str, typer.Option("--name", "-n", help="Name of the new voice in the store: lower-case letters, digits, _ and -.")],
    lang: Annotated[str, typer.Option("--lang", "-l", help=f"Language of the recordings: {LANGUAGE_CODES}.")] = "a",
    method: Annotated[str, typer.Option("--method", help="descent (gradients through our model), walk (random-walk baseline), or quick (best stock blend, seconds).")] = "descent",
    quick: Annotated[bool, typer.Option("--quick", help="Same as --method quick: the best blend of the nearest stock voices.")] = False,
    steps: Annotated[int, typer.Option("--steps", help="Optimisation steps (about 4 s each on a 2-core CPU; most of the gain comes in the first 20).")] = 40,
    max_seconds: Annotated[Optional[float], typer.Option("--max-seconds", help="Use at most this much audio.")] = 60.0,
    device: Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")] = "auto",
    seed: Annotated[int, typer.Option("--seed", help="Seed for reproducible runs.")] = 0,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the run of this name from its checkpoint (with the same recordings and options; a larger --steps takes a finished run further).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace a voice or a run of the same name.")] = False,
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
        result = make_voice(resolve_home(), job, _bar_events(bar))
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


def _bar_events(bar) -> Callable[[str, int, int, dict[str, float]], None]:
    """A training job's ``events`` callback drawing one bar per stage on ``bar``."""
    tasks: dict[str, object] = {}

    def events(stage: str, done: int, total: int, figures: dict[str, float]) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(STAGE_NAMES.get(stage, stage), total=total, figures="")
        shown = "  ".join(f"{key} {value:.3f}" for key, value in figures.items() if key in SHOWN_FIGURES)
        bar.update(tasks[stage], completed=done, total=total, **({"figures": shown} if shown else {}))

    return events


@train_app.command("model")
def train_model(
    corpus: Annotated[Path, typer.Option("--corpus", help="Speech corpus: RUSLAN metadata_*.csv + wavs/, LJSpeech metadata.csv, or train/metadata.jsonl.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Run folder: log, checkpoints, samples, then model.safetensors and eval.json.")],
    lang: Annotated[str, typer.Option("--lang", "-l", help=f"Language of the corpus: {LANGUAGE_CODES} (ru for r).")] = "a",
    voice: Annotated[Optional[str], typer.Option("--voice", help="Name of the learned voice in the store (default: the output folder's name).")] = None,
    init_voice: Annotated[Optional[str], typer.Option("--init-voice", help="Stock voice to start from (default: the nearest to the speaker).")] = None,
    steps: Annotated[int, typer.Option("--steps", help="Optimiser steps (about 3 s each on a 2-core CPU at batch 1).")] = 1000,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Utterances per step and process.")] = 1,
    learning_rate: Annotated[float, typer.Option("--lr", help="Peak learning rate of the network.")] = 1e-4,
    voice_lr: Annotated[float, typer.Option("--voice-lr", help="Learning rate of the voice offset.")] = 1e-3,
    window: Annotated[int, typer.Option("--window", help="Decoder window per utterance, in 25 ms frames.")] = 48,
    checkpoint_every: Annotated[int, typer.Option("--checkpoint-every", help="Save a checkpoint every N steps.")] = 100,
    eval_every: Annotated[int, typer.Option("--eval-every", help="Held-out losses and a sample every N steps.")] = 100,
    keep: Annotated[int, typer.Option("--keep", help="Checkpoints kept (each about 1 GB).")] = 2,
    max_seconds: Annotated[Optional[float], typer.Option("--max-seconds", help="Use at most this much audio.")] = None,
    train_bert: Annotated[bool, typer.Option("--train-bert", help="Also fine-tune Albert (frozen by default).")] = False,
    train_decoder: Annotated[bool, typer.Option("--train-decoder", help="Also fine-tune the decoder's acoustic blocks (frozen by default: spectral losses alone cost intelligibility, see benchmarks/finetune.md).")] = False,
    train_vocoder: Annotated[bool, typer.Option("--train-vocoder", help="With --train-decoder, also its iSTFTNet vocoder.")] = False,
    device: Annotated[str, typer.Option("--device", help="auto, cpu, cuda or mps.")] = "auto",
    seed: Annotated[int, typer.Option("--seed", help="Seed for reproducible runs.")] = 0,
    resume: Annotated[Optional[str], typer.Option("--resume", help="auto (the latest checkpoint in --output) or a checkpoint file.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Start over in an --output that holds a run; replace a voice of the same name.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Fine-tune Kokoro on a speech corpus (a new speaker, or a new language); the voice lands in the store.

    Ctrl-C saves a checkpoint and stops; --resume auto continues. Several GPUs or machines:
    torchrun --nproc_per_node N -m kokoro_tui train model ... (see the README).
    """
    import json
    import os

    if device == "mps":  # before torch loads: the few operators MPS lacks run on the CPU
        os.environ.setdefault("PYTORCH_ENABLE_MPS_FALLBACK", "1")
    from kokoro_tui.home import resolve_home
    from kokoro_tui.training.finetune_job import FinetuneJob, finetune

    job = FinetuneJob(
        corpus=corpus, output=output, lang=lang, voice=voice, init_voice=init_voice, steps=steps, batch_size=batch_size,
        learning_rate=learning_rate, voice_learning_rate=voice_lr, window_frames=window, checkpoint_every=checkpoint_every,
        eval_every=eval_every, keep_checkpoints=keep, max_seconds=max_seconds, train_bert=train_bert, train_decoder=train_decoder, train_vocoder=train_vocoder, device=device,
        seed=seed, resume=resume, force=force,
    )
    with progress("eta") as bar:
        result = finetune(resolve_home(), job, _bar_events(bar))
    for problem in result.problems:
        err.print(f"left out: {problem}", markup=False, soft_wrap=True)
    summary = {
        "output": str(result.output), "weights": result.weights and str(result.weights), "voice": result.voice,
        "steps": result.steps, "interrupted": result.interrupted, "steps_per_second": round(result.steps_per_second, 4),
        "before": result.before and result.before.as_metrics(), "after": result.after and result.after.as_metrics(),
    }
    if as_json:
        out.print_json(json.dumps(summary))
    if result.interrupted:
        err.print(f"stopped at step {result.steps}; checkpoint saved in {result.output}; --resume auto continues",
                  markup=False, soft_wrap=True)
        raise typer.Exit(130)
    if as_json:
        return
    if result.before and result.after:
        for name, before in result.before.as_metrics().items():
            err.print(f"held out {name}: {before:.3f} -> {result.after.as_metrics()[name]:.3f}", markup=False)
    err.print(f"{result.steps} steps at {result.steps_per_second:.2f}/s; weights {result.weights}; voice '{result.voice}'",
              markup=False, soft_wrap=True)
    err.print(f"try it: kokoro say --model {result.weights} --voice {result.voice} \"...\"", markup=False, soft_wrap=True)


@eval_app.command("voice")
def eval_voice(
    name: Annotated[str, typer.Argument(help="The voice to measure (a store name or a voice file).")],
    ref: Annotated[Path, typer.Option("--ref", help="Folder of the speaker's recordings the voice was NOT made from.")],
    lang: Annotated[str, typer.Option("--lang", "-l", help=f"Language of the recordings: {LANGUAGE_CODES}.")] = "a",
    device: Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")] = "auto",
    as_json: JsonOption = False,
) -> None:
    """Similarity to held-out recordings, the best stock voice's, WER, and pitch and timbre distances."""
    import json

    from kokoro_tui.home import resolve_home
    from kokoro_tui.training.voice_eval import evaluate_voice

    with progress("eta") as bar:  # drawn from the first figure on, so bad input stays one line
        events = _bar_events(bar)
        report = evaluate_voice(resolve_home(), name, ref, lang, device,
                                lambda done, total: events("evaluate", done, total, {}))
    if as_json:
        out.print_json(json.dumps(report.as_dict()))
        return
    for line in report.lines():
        out.print(line, markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(train_app)
    app.add_typer(eval_app)
