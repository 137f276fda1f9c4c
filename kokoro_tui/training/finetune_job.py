"""`kokoro train model`: fine-tune Kokoro on a speech corpus, for a new speaker or a new language.

The run lives in its ``--output`` folder: ``log.jsonl`` (the dashboard's run-log schema; the
folder is also linked from ``HOME/runs`` so the Training pane lists it), ``checkpoints/``,
``samples/``, and at the end ``model.safetensors`` (the fine-tuned weights, config inside) and
``eval.json`` (held-out figures before and after). The learned voice lands in the voice store.
Speak with both: ``kokoro say --model OUTPUT/model.safetensors --voice NAME``.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
import torch

from kokoro_tui.assets.model_store import ensure_torch_weights, model_config
from kokoro_tui.atomic import atomic_write_text
from kokoro_tui.errors import KokoroError
from kokoro_tui.home import DataHome
from kokoro_tui.model.checkpoint import save_safetensors
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.model.device import TRAINING_DEVICES, resolve_device
from kokoro_tui.model.loading import load_model
from kokoro_tui.text.frontend import TextFrontend
from kokoro_tui.text.vocab import PhonemeVocab
from kokoro_tui.training.corpus import Corpus, load_corpus
from kokoro_tui.training.distributed import Processes, process_device, process_group, replica_spread
from kokoro_tui.training.finetune_batch import collate
from kokoro_tui.training.finetune_checkpoint import (
    CHECKPOINT_DIR,
    Progress,
    checkpoint_path,
    latest_checkpoint,
    load_checkpoint,
    prune_checkpoints,
    save_checkpoint,
)
from kokoro_tui.training.finetune_data import ItemBuilder, TrainingItem, build_items
from kokoro_tui.training.finetune_eval import HeldOutScores, free_reading, held_out_scores
from kokoro_tui.training.finetune_net import FinetuneNet, LossWeights
from kokoro_tui.training.finetune_step import make_optimizer, train_step
from kokoro_tui.training.runlog import (
    LOG_NAME,
    CheckpointRecord,
    EndRecord,
    EvalRecord,
    RunLogWriter,
    SampleRecord,
    StartRecord,
    StepRecord,
    link_run,
    read_run_log,
)
from kokoro_tui.training.stop_request import stop_requests
from kokoro_tui.voices.names import validate_name
from kokoro_tui.voices.store import VoiceStore

Events = Callable[[str, int, int, dict[str, float]], None]
WEIGHTS_NAME = "model.safetensors"
EVAL_NAME = "eval.json"
SAMPLES_DIR = "samples"
#: Held out when the corpus has no validation split: every n-th utterance, at most this many.
HELD_OUT_EVERY, HELD_OUT_MAX = 10, 16
#: Prefix of the held-out figures of the untrained model in the run log (``after_`` at the end).
BEFORE, AFTER = "before_", "after_"


@dataclass(frozen=True)
class FinetuneJob:
    """What `kokoro train model` asks for: fine-tune on the speech corpus at ``corpus`` into the folder
    ``output`` (weights, checkpoints, run log, the learned voice); ``finetune`` runs it."""

    corpus: Path
    output: Path
    lang: str = "a"
    voice: str | None = None  # name of the learned voice; default: the output folder's name
    init_voice: str | None = None  # stock voice to start from; default: the nearest by speaker similarity
    steps: int = 1000
    batch_size: int = 1
    learning_rate: float = 1e-4
    voice_learning_rate: float = 1e-3
    warmup_steps: int = 20
    window_frames: int = 48  # decoder window: 1.2 s of audio per utterance and step
    checkpoint_every: int = 100
    eval_every: int = 100
    keep_checkpoints: int = 2
    max_seconds: float | None = None
    train_bert: bool = False
    train_decoder: bool = False  # off by default: see finetune_net.VOCODER for the measured reason
    train_vocoder: bool = False
    grad_clip: float = 1.0
    device: str = "auto"
    seed: int = 0
    resume: str | None = None  # None, "auto" or a checkpoint path
    force: bool = False


@dataclass(frozen=True)
class FinetuneResult:
    output: Path
    weights: Path | None  # None when the run was interrupted (its checkpoint holds the state)
    voice: str
    steps: int
    interrupted: bool
    before: HeldOutScores | None
    after: HeldOutScores | None
    problems: list[str]
    seconds: float
    steps_per_second: float


def voice_name(job: FinetuneJob) -> str:
    return job.voice or validate_name(job.output.name.lower().replace(" ", "-"))


def _check(home: DataHome, job: FinetuneJob, processes: Processes) -> None:
    """Everything a user can get wrong, said before minutes of feature extraction."""
    for name, value in (("--steps", job.steps), ("--batch-size", job.batch_size), ("--window", job.window_frames),
                        ("--checkpoint-every", job.checkpoint_every), ("--eval-every", job.eval_every),
                        ("--keep", job.keep_checkpoints)):
        if value < 1:
            raise KokoroError(f"{name} must be at least 1, got {value}")
    if not (job.learning_rate > 0 and job.voice_learning_rate >= 0):
        raise KokoroError("learning rates must be positive")
    validate_name(voice_name(job))
    resolve_device(job.device, TRAINING_DEVICES)
    if job.resume not in (None, "auto") and not Path(job.resume).is_file():
        raise KokoroError(f"no checkpoint at {job.resume}")
    if not processes.is_main:
        return
    if job.output.exists() and not job.output.is_dir():
        raise KokoroError(f"--output {job.output} is a file, not a folder")
    if VoiceStore(home).exists(voice_name(job)) and not (job.force or _resume_from(job)):
        no_checkpoint = f" and {job.output} holds no checkpoint to resume" if job.resume else ""
        raise KokoroError(f"a voice named '{voice_name(job)}' already exists{no_checkpoint}",
                          hint="choose another --voice, or --force")
    if latest_checkpoint(job.output) is not None and job.resume is None and not job.force:
        raise KokoroError(
            f"{job.output} already holds a training run", hint="--resume auto continues it, --force starts over"
        )


def _agreed_resume(job: FinetuneJob, processes: Processes) -> Path | None:
    """The checkpoint every process continues: rank 0's choice, since only rank 0 writes checkpoints. With
    ``--resume auto`` and an --output on each node's own disk, the other nodes would find none (or an old one)
    and start at another step than rank 0: one clear error instead of a run whose ranks fall out of step."""
    chosen = processes.from_main(_resume_from(job))
    if chosen is not None and not chosen.is_file():
        raise KokoroError(f"cannot resume rank {processes.rank}: {chosen}, which rank 0 continues, is not on this machine",
                          hint="give every node the same --output, on a shared file system")  # fmt: skip
    return chosen


def _resume_from(job: FinetuneJob) -> Path | None:
    """The checkpoint the run continues: --resume's file, or for ``auto`` the latest in --output (if any).

    Only a run that continues one may replace its voice without --force: the voice is then its own earlier result.
    """
    if job.resume == "auto":
        return latest_checkpoint(job.output)
    return Path(job.resume) if job.resume else None


def _prepare_output(home: DataHome, job: FinetuneJob) -> None:
    """A forced fresh start clears the run's own files (nothing else in the folder); link the run into HOME/runs."""
    if job.force and job.resume is None:
        for name in (CHECKPOINT_DIR, SAMPLES_DIR):
            shutil.rmtree(job.output / name, ignore_errors=True)
        for name in (LOG_NAME, WEIGHTS_NAME, EVAL_NAME):
            (job.output / name).unlink(missing_ok=True)
    job.output.mkdir(parents=True, exist_ok=True)
    link_run(home.runs, f"model-{voice_name(job)}", job.output)


def _split(corpus: Corpus, items: list[TrainingItem]) -> tuple[list[TrainingItem], list[TrainingItem]]:
    """(train, held out): the corpus's own validation split, else every ``HELD_OUT_EVERY``-th utterance."""
    validation_ids = {utterance.id for utterance in corpus.validation}
    if validation_ids:
        return [i for i in items if i.id not in validation_ids], [i for i in items if i.id in validation_ids]
    if len(items) < 4:
        return items, []
    held = set(list(range(HELD_OUT_EVERY - 1, len(items), HELD_OUT_EVERY))[:HELD_OUT_MAX] or [len(items) - 1])
    return [item for i, item in enumerate(items) if i not in held], [item for i, item in enumerate(items) if i in held]


def _start_pack(home: DataHome, job: FinetuneJob, corpus: Corpus, device: torch.device, report: Events) -> tuple[str, np.ndarray]:
    """The stock voice training starts from: the user's choice, else the one whose speaker sounds nearest."""
    store = VoiceStore(home)
    if job.init_voice:
        return job.init_voice, store.load(job.init_voice)
    from kokoro_tui.training.differentiable_speech import DifferentiableSpeech
    from kokoro_tui.training.speaker import SpeakerEncoder
    from kokoro_tui.training.stock_scan import rank, stock_embeddings

    names = [v.name for v in store.list() if v.origin == "stock" and v.problem is None]
    if not names:
        raise KokoroError("no stock voice to start from", hint="run `kokoro download`, or name one with --init-voice")
    speech = DifferentiableSpeech.from_home(home, "a", str(device.type))
    encoder = SpeakerEncoder(speech.device)
    target = encoder.embed_recordings([u.audio for u in corpus.train[:32]], SAMPLE_RATE)
    ranked = rank(stock_embeddings(home, speech, encoder, names, lambda d, t: report("scan", d, t, {})), target)
    return ranked[0].name, store.load(ranked[0].name)


def _logged_before(log: Path) -> HeldOutScores | None:
    """The held-out figures of the untrained model, as the first part of a resumed run logged them."""
    names = [field.name for field in fields(HeldOutScores)]
    for record in read_run_log(log):
        if record.kind == "eval" and all(f"{BEFORE}{name}" in record.metrics for name in names):
            return HeldOutScores(**{name: record.metrics[f"{BEFORE}{name}"] for name in names})
    return None


def _schedule(job: FinetuneJob) -> Callable[[int], float]:
    """Linear warm-up, then cosine decay to a tenth of the peak: the usual fine-tuning schedule."""

    def factor(step: int) -> float:
        if step < job.warmup_steps:
            return (step + 1) / job.warmup_steps
        progress = (step - job.warmup_steps) / max(1, job.steps - job.warmup_steps)
        return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0)))

    return factor


def _step_seed(job: FinetuneJob, step: int, rank: int) -> int:
    return (job.seed * 1_000_003 + step) * 131 + rank


def _settings(job: FinetuneJob, processes: Processes, start_voice: str, items: list[TrainingItem]) -> dict[str, Any]:
    """What a resumed run must share with the run it continues."""
    return {
        "lang": job.lang, "steps": job.steps, "batch_size": job.batch_size, "learning_rate": job.learning_rate,
        "voice_learning_rate": job.voice_learning_rate, "warmup_steps": job.warmup_steps, "window_frames": job.window_frames,
        "train_bert": job.train_bert, "train_decoder": job.train_decoder, "train_vocoder": job.train_vocoder, "seed": job.seed, "world_size": processes.world, "start_voice": start_voice,
        "items": [item.id for item in items],
    }


def _stop_agreed(requested: bool, processes: Processes, device: torch.device) -> bool:
    """All processes stop at the same step, or DDP would wait forever for the ones that went on."""
    if not processes.distributed:
        return requested
    flag = torch.tensor([1.0 if requested else 0.0], device=device)
    torch.distributed.all_reduce(flag, op=torch.distributed.ReduceOp.MAX)
    return bool(flag.item())


def _validation_losses(net: FinetuneNet, items: list[TrainingItem], job: FinetuneJob, weights: LossWeights) -> dict[str, float]:
    """Mean weighted loss terms on the held-out items, with fixed windows and noise: comparable across steps."""
    totals: dict[str, float] = {}
    net.eval()
    with torch.no_grad():
        for index, item in enumerate(items):
            generator = torch.Generator().manual_seed(index)
            batch = collate([item], job.window_frames, net.model.config.samples_per_duration, net.base_pack.shape[0], generator)
            noise = torch.Generator(device=net.model.device).manual_seed(index)
            for name, value in net(batch.to(net.model.device), weights, noise).items():
                totals[f"val_{name}"] = totals.get(f"val_{name}", 0.0) + float(value) / len(items)
    net.train()
    return totals


def _write_sample(net: FinetuneNet, item: TrainingItem, output: Path, step: int) -> Path:
    """The held-out item as the network speaks it now, through the writer every WAV of the project uses."""
    from kokoro_tui.speech.audio_io import open_file_writer

    path = output / SAMPLES_DIR / f"step-{step:07d}.wav"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_file_writer(path, "wav") as writer:
        writer.write(free_reading(net, item.ids.tolist())[0])
    return path


def finetune(home: DataHome, job: FinetuneJob, events: Events | None = None) -> FinetuneResult:
    """Run (or resume) the fine-tuning ``job``; ``events(stage, done, total, figures)`` reports progress."""
    report = events or (lambda *_: None)
    started = time.perf_counter()
    device = resolve_device(job.device, TRAINING_DEVICES)
    with process_group(device) as processes:
        device = process_device(device, processes)
        _check(home, job, processes)
        corpus = load_corpus(job.corpus, job.lang, job.max_seconds, require_text=True,
                             progress=lambda d, t: report("read", d, t, {}))
        config = model_config(home)
        model = load_model(ensure_torch_weights(home), config, device)
        start_voice, pack = _start_pack(home, job, corpus, device, report)
        builder = ItemBuilder(model, TextFrontend(job.lang), PhonemeVocab(config.vocab), pack, home.ensure(home.cache / "finetune"))
        utterances = corpus.train + corpus.validation
        if processes.is_main:  # the others then read every item from the cache
            items, problems = build_items(builder, utterances, lambda d, t: report("features", d, t, {}))
        processes.barrier()
        if not processes.is_main:
            items, problems = build_items(builder, utterances)
        train, held_out = _split(corpus, items)
        if not train:
            raise KokoroError(f"no usable utterance in {job.corpus}", hint="; ".join(problems[:3]))
        if processes.is_main:
            _prepare_output(home, job)
        processes.barrier()
        return _train(home, job, processes, device, model, pack, start_voice, train, held_out,
                      [str(p) for p in corpus.problems] + problems, started, report)


def _train(
    home: DataHome, job: FinetuneJob, processes: Processes, device: torch.device, model, pack: np.ndarray,
    start_voice: str, train: list[TrainingItem], held_out: list[TrainingItem], problems: list[str],
    started: float, report: Events,
) -> FinetuneResult:
    from torch.nn.parallel import DistributedDataParallel
    from torch.utils.data.distributed import DistributedSampler

    net = FinetuneNet(model, torch.from_numpy(np.asarray(pack, dtype=np.float32)), job.train_bert, job.train_decoder,
                      job.train_vocoder).to(device)
    net.train()
    optimizer = make_optimizer(net, job.learning_rate, job.voice_learning_rate)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, _schedule(job))
    settings = _settings(job, processes, start_voice, train)
    resume_from = _agreed_resume(job, processes)
    progress = Progress()
    if resume_from is not None:
        progress = load_checkpoint(resume_from, net, optimizer, scheduler, settings)
    wrapped = DistributedDataParallel(net, device_ids=[device.index] if device.type == "cuda" else None) \
        if processes.distributed else net
    sampler = DistributedSampler(range(len(train)), processes.world, processes.rank, shuffle=True, seed=job.seed)
    weights = LossWeights()
    writer = RunLogWriter(job.output / LOG_NAME) if processes.is_main else None
    before = after = None
    first_step, interrupted, saved_step = progress.step, False, progress.step

    def checkpoint() -> None:
        nonlocal saved_step
        spread = replica_spread(net, processes)
        if processes.is_main:
            if processes.distributed:
                writer.write(EvalRecord(progress.step, {"replica_spread": spread}))
            path = checkpoint_path(job.output, progress.step)
            save_checkpoint(path, net, optimizer, scheduler, progress, settings)
            prune_checkpoints(job.output, job.keep_checkpoints)
            writer.write(CheckpointRecord(progress.step, str(path.relative_to(job.output))))
        saved_step = progress.step

    def evaluate() -> None:
        if processes.is_main and held_out:
            writer.write(EvalRecord(progress.step, _validation_losses(net, held_out, job, weights)))
            sample = _write_sample(net, held_out[0], job.output, progress.step)
            writer.write(SampleRecord(progress.step, str(sample.relative_to(job.output))))

    try:
        if processes.is_main:
            config = {**{k: str(v) if isinstance(v, Path) else v for k, v in asdict(job).items()}, "start_voice": start_voice,
                      "train_utterances": len(train), "held_out": len(held_out), "world_size": processes.world}
            writer.write(StartRecord(f"model-{voice_name(job)}", config, job.steps))
            if held_out and progress.step == 0:
                before = held_out_scores(net, held_out)
                writer.write(EvalRecord(0, {f"{BEFORE}{k}": v for k, v in before.as_metrics().items()}))
                evaluate()
            elif held_out:
                before = _logged_before(job.output / LOG_NAME)
        loop_started = time.perf_counter()
        with stop_requests() as stop:
            while progress.step < job.steps:
                if _stop_agreed(stop.requested, processes, device):
                    interrupted = True
                    break
                sampler.set_epoch(progress.epoch)
                order = list(sampler)
                batches = [order[i : i + job.batch_size] for i in range(0, len(order), job.batch_size)]
                if progress.batches_in_epoch >= len(batches):
                    progress = Progress(progress.step, progress.epoch + 1, 0)
                    continue
                seed = _step_seed(job, progress.step, processes.rank)
                batch = collate([train[i] for i in batches[progress.batches_in_epoch]], job.window_frames,
                                model.config.samples_per_duration, net.base_pack.shape[0], torch.Generator().manual_seed(seed))
                lr = scheduler.get_last_lr()[0]  # the rate this step uses: train_step moves the schedule on
                terms = train_step(wrapped, batch.to(device), weights, optimizer, scheduler, job.grad_clip,
                                   torch.Generator(device=device).manual_seed(seed))
                progress = Progress(progress.step + 1, progress.epoch, progress.batches_in_epoch + 1)
                elapsed = time.perf_counter() - loop_started
                rate = (progress.step - first_step) / elapsed
                figures = {name: float(value.detach()) for name, value in terms.items()}
                if processes.is_main:
                    writer.write(StepRecord(progress.step, progress.epoch, figures, lr, elapsed,
                                            (job.steps - progress.step) / rate if rate > 0 else None))
                report("train", progress.step, job.steps, figures)
                if progress.step % job.eval_every == 0 and progress.step < job.steps:
                    evaluate()
                if progress.step % job.checkpoint_every == 0:
                    checkpoint()
        loop_ended = time.perf_counter()
        if progress.step != saved_step:
            checkpoint()
        weights_path = None
        if not interrupted and processes.is_main:
            evaluate()
            weights_path = job.output / WEIGHTS_NAME
            save_safetensors(net.model.state_dict(), weights_path, model.config)
            recipe = {"model": str(weights_path.resolve()), "start_voice": start_voice, "steps": progress.step,
                      "corpus": str(job.corpus), "lang": job.lang}
            VoiceStore(home).save(voice_name(job), net.voice_pack().numpy(), "trained", recipe,
                                  replace=job.force or resume_from is not None)
            if held_out:
                after = held_out_scores(net, held_out)
                writer.write(EvalRecord(progress.step, {f"{AFTER}{k}": v for k, v in after.as_metrics().items()}))
            scores = {"before": before and before.as_metrics(), "after": after and after.as_metrics(),
                      "held_out": [item.id for item in held_out], "steps": progress.step}
            atomic_write_text(job.output / EVAL_NAME, json.dumps(scores, indent=2) + "\n")
        processes.barrier()
    except BaseException as error:
        if writer is not None:
            status = "failed" if isinstance(error, Exception) else "interrupted"
            writer.write(EndRecord(status, progress.step, str(error).splitlines()[0] if str(error) else type(error).__name__))
            writer.close()
        raise
    if writer is not None:
        message = "stopped; --resume auto continues from the checkpoint" if interrupted else f"voice {voice_name(job)} saved"
        writer.write(EndRecord("interrupted" if interrupted else "completed", progress.step, message))
        writer.close()
    rate = (progress.step - first_step) / max(loop_ended - loop_started, 1e-9)
    return FinetuneResult(job.output, weights_path, voice_name(job), progress.step, interrupted, before, after,
                          problems, time.perf_counter() - started, rate)

