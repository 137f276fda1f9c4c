"""Make a voice from recordings, end to end: the one function ``kokoro train voice`` and Python users call.

Stages: read the corpus (``training.corpus``), measure the target speaker, rank the stock voices
(``stock_scan``), start from the blend of the nearest ones, then descend (``voice_fit``) or walk
(``voice_walk``), or stop there (``quick``). The voice lands in the store with its recipe and
metrics; the run directory ``HOME/runs/voice-NAME`` holds the run log the dashboard follows, the
checkpoint ``--resume`` continues from, and three samples of held-out text.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from kokoro_tui.atomic import atomic_write_text
from kokoro_tui.errors import KokoroError
from kokoro_tui.home import DataHome
from kokoro_tui.model.device import resolve_device
from kokoro_tui.text.languages import is_english, language
from kokoro_tui.training.corpus import Corpus, load_corpus
from kokoro_tui.training.differentiable_speech import DifferentiableSpeech
from kokoro_tui.training.runlog import (
    LOG_NAME,
    EndRecord,
    EvalRecord,
    RunLogWriter,
    SampleRecord,
    StartRecord,
    read_run_log,
)
from kokoro_tui.training.speaker import SpeakerEncoder
from kokoro_tui.training.stock_scan import Ranked, rank, stock_embeddings
from kokoro_tui.training.voice_fit import FitResult, FitSettings, check_similarity, fit_voice
from kokoro_tui.training.voice_space import StockBasis, VoiceParameters
from kokoro_tui.training.voice_target import SpeakerTarget, speaker_target
from kokoro_tui.training.voice_texts import CHECK_TEXTS, SAMPLE_TEXTS, STEP_TEXTS
from kokoro_tui.training.voice_walk import WalkSettings, walk_voice
from kokoro_tui.voices.names import language_of, validate_name
from kokoro_tui.voices.store import VoiceInfo, VoiceStore

METHODS = ("descent", "walk", "quick")
CHECKPOINT_NAME = "checkpoint.pt"
START_NAME = "start.json"
#: what a resumed run must share with the run it continues (``_run_settings``)
SETTINGS_NAME = "settings.json"
#: every step's figures and wall time, for plots of similarity over time
HISTORY_NAME = "history.json"
#: the start blend: this many nearest stock voices, weighted by softmax(similarity × SHARPNESS)
BASIS_SIZE = 8
SHARPNESS = 20.0

Events = Callable[[str, int, int, dict[str, float]], None]


@dataclass(frozen=True)
class VoiceJob:
    """What `kokoro train voice` asks for: a new voice ``name`` made from the recordings at ``data``
    (``method`` descent or walk, at most ``steps`` steps or ``max_seconds``); ``make_voice`` runs it."""

    data: Path
    name: str
    lang: str = "a"
    method: str = "descent"
    steps: int = 40
    max_seconds: float | None = 60.0
    device: str = "auto"
    seed: int = 0
    resume: bool = False
    replace: bool = False
    #: stock voices left out of the basis (leave-one-voice-out evaluation)
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class VoiceJobResult:
    voice: VoiceInfo
    check_similarity: float
    start_similarity: float
    best_stock: Ranked
    run_dir: Path
    samples: list[Path]
    seconds: float
    problems: list[str] = field(default_factory=list)


def run_dir(home: DataHome, name: str) -> Path:
    return home.runs / f"voice-{name}"


def make_voice(home: DataHome, job: VoiceJob, events: Events | None = None) -> VoiceJobResult:
    """Make ``job.name`` from the recordings in ``job.data``; ``events(stage, done, total, figures)`` reports progress."""
    report = events or (lambda *_: None)
    # one code from here on ("en-us" is "a"): the blend's language, the built-in texts and the recipe compare it
    job = replace(job, lang=language(job.lang).code)
    resuming = _validate(home, job)
    started = time.perf_counter()
    corpus = load_corpus(job.data, job.lang, job.max_seconds, progress=lambda d, t: report("read", d, t, {}))
    texts, check_texts = _texts(job.lang, corpus)
    directory = run_dir(home, job.name)
    _prepare_run_dir(directory, job)
    with RunLogWriter(directory / LOG_NAME) as log:  # opened first, so the dashboard shows the run at once
        log.write(StartRecord(f"voice-{job.name}", _config(job, corpus), _total_steps(job)))
        try:
            speech = DifferentiableSpeech.from_home(home, job.lang, job.device)
            encoder = SpeakerEncoder(speech.device)
            target = speaker_target(encoder, [u.audio for u in corpus.train], [u.audio for u in corpus.validation])
            parameters, best_stock = _start_voice(home, job, speech, encoder, target, check_texts, directory, report)
            log.write(EvalRecord(0, {"best_stock_similarity": best_stock.similarity}))
            result = _optimise(
                job, speech, encoder, parameters, target, texts, check_texts, directory / CHECKPOINT_NAME, log, report
            )
            recipe = _recipe(job, corpus, target, parameters, result, best_stock)
            voice = VoiceStore(home).save(job.name, result.pack, "trained", recipe, replace=job.replace or resuming)
            samples = _write_samples(speech, result.pack, directory, log, result.best_step, report)
            atomic_write_text(directory / HISTORY_NAME, json.dumps(result.history) + "\n")
        except KeyboardInterrupt:
            message = "stopped by the user" + ("" if job.method == "walk" else "; --resume continues from the last checkpoint")
            log.write(EndRecord("interrupted", _last_step(log.path), message))
            raise
        except Exception as error:
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            log.write(EndRecord("failed", _last_step(log.path), message))
            raise
        log.write(EndRecord("completed", _last_step(log.path), f"voice {job.name} saved"))
    return VoiceJobResult(
        voice, result.check_similarity, result.start_similarity, best_stock, directory, samples,
        time.perf_counter() - started, [str(problem) for problem in corpus.problems],
    )


def _last_step(log: Path) -> int:
    """The last step done, as the run log's ``end`` record says it: the latest ``step`` record's (a resumed
    descent's earlier steps count), 0 before the first. The voice is the best step's, which may be earlier."""
    steps = [record.step for record in read_run_log(log) if record.kind == "step"]
    return steps[-1] if steps else 0


def _start_voice(
    home: DataHome,
    job: VoiceJob,
    speech: DifferentiableSpeech,
    encoder: SpeakerEncoder,
    target: SpeakerTarget,
    check_texts: list[str],
    directory: Path,
    report: Events,
) -> tuple[VoiceParameters, Ranked]:
    """The start blend of the nearest stock voices, and the nearest one scored on the held-out check."""
    store = VoiceStore(home)
    names = [v.name for v in store.list() if v.origin == "stock" and v.problem is None and v.name not in job.exclude]
    if not names:
        raise KokoroError("no stock voice to start from", hint="run `kokoro download`")
    embeddings = stock_embeddings(home, speech, encoder, names, lambda d, t: report("scan", d, t, {}))
    ranked = rank(embeddings, target.embedding)
    start = _start(directory, blend_candidates(ranked, job.lang))
    packs = {name: store.load(name) for name in names}
    parameters = VoiceParameters(StockBasis.from_packs(packs, start["names"]), start["weights"])
    nearest = ranked[0].name
    return parameters, Ranked(nearest, check_similarity(speech, encoder, packs[nearest], check_texts, target.check_embedding))


def blend_candidates(ranked: list[Ranked], lang: str) -> list[Ranked]:
    """The ranked stock voices a blend may use: those of ``lang`` (English: American and British) when there
    are at least ``BASIS_SIZE`` of them, else all. The blend's prosody half is what speaks the text: ranked by
    timbre alone, French and Hindi packs took 0.82 of a real English speaker's blend, and her voice's WER was
    0.127 against 0.089 with English packs only (similarity 0.905 and 0.913; benchmarks/voice_cloning.md)."""
    same = [item for item in ranked if _same_language(language_of(item.name), lang)]
    return same if len(same) >= BASIS_SIZE else ranked


def _same_language(voice_lang: str | None, lang: str) -> bool:
    return voice_lang == lang or (voice_lang is not None and is_english(voice_lang) and is_english(lang))


def _resuming(home: DataHome, job: VoiceJob) -> bool:
    """Whether the run continues a checkpoint (a walk keeps none): the one case where it may replace its voice
    without ``replace``, the voice then being its own earlier result."""
    return job.resume and job.method != "walk" and (run_dir(home, job.name) / CHECKPOINT_NAME).is_file()


def _validate(home: DataHome, job: VoiceJob) -> bool:
    """Refuse what a user can get wrong, before any work; return whether the run continues a checkpoint."""
    validate_name(job.name)
    if job.method not in METHODS:
        raise KokoroError(f"unknown method {job.method!r}; use one of {', '.join(METHODS)}")
    if job.steps < 1:
        raise KokoroError(f"--steps must be at least 1, got {job.steps}")
    resolve_device(job.device)  # a missing GPU is said before minutes of reading recordings
    if job.resume and job.method == "walk":
        raise KokoroError("--resume continues a descent from its checkpoint, and a walk keeps none",
                          hint="run the walk again without --resume")
    resuming = _resuming(home, job)
    if resuming:
        _check_same_settings(run_dir(home, job.name), job)
    elif not job.resume and not job.replace and (run_dir(home, job.name) / CHECKPOINT_NAME).exists():
        raise KokoroError(
            f"a run for '{job.name}' with a checkpoint is in {run_dir(home, job.name)}",
            hint="--resume continues it (a larger --steps takes a finished one further), --force starts over",
        )
    if VoiceStore(home).exists(job.name) and not (job.replace or resuming):
        no_checkpoint = f" and {run_dir(home, job.name)} holds no checkpoint to resume" if job.resume else ""
        raise KokoroError(f"a voice named '{job.name}' already exists{no_checkpoint}",
                          hint="choose another --name, or --force")
    return resuming


def _run_settings(job: VoiceJob) -> dict[str, Any]:
    """What the checkpoint's voice, start blend and best-so-far depend on: the speaker's recordings and how
    they are read, the stock voices blended and the seed. ``steps`` may grow, to take a finished run further."""
    return {"data": str(Path(job.data).resolve()), "lang": job.lang, "method": job.method,
            "max_seconds": job.max_seconds, "seed": job.seed, "exclude": sorted(job.exclude)}  # fmt: skip


def _check_same_settings(directory: Path, job: VoiceJob) -> None:
    """A resumed run with other recordings or settings would go on from a best voice scored against them."""
    try:
        saved = json.loads((directory / SETTINGS_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # a run from before the settings were kept: nothing to compare
    changed = sorted(key for key, value in _run_settings(job).items() if saved.get(key) != value)
    if changed:
        raise KokoroError(f"cannot resume the run in {directory}: it was started with other {', '.join(changed)}",
                          hint="give the same options as that run, or --force to start over")  # fmt: skip


def _prepare_run_dir(directory: Path, job: VoiceJob) -> None:
    """A fresh run starts in an empty directory; ``resume`` keeps the checkpoint and the start blend."""
    if directory.exists() and not job.resume:
        shutil.rmtree(directory)  # _validate refused this unless it holds no checkpoint or --force was given
    directory.mkdir(parents=True, exist_ok=True)
    if not (directory / SETTINGS_NAME).exists():
        atomic_write_text(directory / SETTINGS_NAME, json.dumps(_run_settings(job), indent=2) + "\n")


def _texts(lang: str, corpus: Corpus) -> tuple[list[str], list[str]]:
    """English has built-in step and check sentences; other languages speak the corpus's transcripts."""
    if is_english(lang):
        return list(STEP_TEXTS), list(CHECK_TEXTS)
    transcripts = [u.text for u in corpus.train + corpus.validation if u.text]
    if len(transcripts) < 2:
        raise KokoroError(f"making a voice for language '{lang}' needs at least two recordings with transcripts")
    return transcripts[:-1][:8], transcripts[-1:]


def _start(directory: Path, ranked: list[Ranked]) -> dict[str, Any]:
    """The start blend, kept in the run directory so a resumed run blends the same voices."""
    path = directory / START_NAME
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    nearest = ranked[:BASIS_SIZE]
    scores = np.array([item.similarity for item in nearest]) * SHARPNESS
    weights = np.exp(scores - scores.max())
    start = {"names": [item.name for item in nearest], "weights": (weights / weights.sum()).round(6).tolist()}
    atomic_write_text(path, json.dumps(start, indent=2) + "\n")
    return start


def _total_steps(job: VoiceJob) -> int:
    return 0 if job.method == "quick" else job.steps


def _optimise(
    job: VoiceJob,
    speech: DifferentiableSpeech,
    encoder: SpeakerEncoder,
    parameters: VoiceParameters,
    target: SpeakerTarget,
    texts: list[str],
    check_texts: list[str],
    checkpoint: Path,
    log: RunLogWriter,
    report: Events,
) -> FitResult:
    def step_report(done: int, total: int, figures: dict[str, float]) -> None:
        report("fit", done, total, figures)

    if job.method == "walk":
        settings = WalkSettings(steps=job.steps, seed=job.seed)
        return walk_voice(speech, encoder, parameters, target, texts, check_texts, settings, log=log, report=step_report)
    steps = 0 if job.method == "quick" else job.steps
    settings = FitSettings(steps=steps, seed=job.seed)
    return fit_voice(
        speech, encoder, parameters, target, texts, check_texts, settings,
        checkpoint=checkpoint, log=log, report=step_report,
    )


def _config(job: VoiceJob, corpus: Corpus) -> dict[str, Any]:
    config = {key: (str(value) if isinstance(value, Path) else value) for key, value in asdict(job).items()}
    config.update(kind="voice", layout=corpus.layout, clips=len(corpus.train), seconds=round(corpus.seconds, 1))
    return config


def _recipe(
    job: VoiceJob, corpus: Corpus, target: SpeakerTarget, parameters: VoiceParameters, result: FitResult,
    best_stock: Ranked,
) -> dict[str, Any]:
    return {
        "operation": "train-voice",
        "lang": job.lang,
        "method": job.method,
        "data": str(Path(job.data).resolve()),
        "clips": len(corpus.train),
        "seconds": round(corpus.seconds, 1),
        "fit_clips": target.fit_clips,
        "check_clips": target.check_clips,
        "blend": [{"voice": name, "weight": weight} for name, weight in parameters.recipe().items()][:BASIS_SIZE],
        "offset_rms": round(parameters.penalty().item() ** 0.5, 4),
        "steps": job.steps,
        "best_step": result.best_step,
        "seed": job.seed,
        "metrics": {
            "check_similarity": round(result.check_similarity, 4),
            "start_similarity": round(result.start_similarity, 4),
            "best_stock": best_stock.name,
            "best_stock_similarity": round(best_stock.similarity, 4),
        },
    }


def _write_samples(
    speech: DifferentiableSpeech, pack: np.ndarray, directory: Path, log: RunLogWriter, step: int, report: Events
) -> list[Path]:
    """Speak the sample texts with the made voice (from ``step``); each is logged once its file is whole."""
    from kokoro_tui.speech.audio_io import open_file_writer

    paths = []
    for index, text in enumerate(SAMPLE_TEXTS if is_english(speech.frontend.lang) else (), 1):
        path = directory / "samples" / f"sample-{index}.wav"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open_file_writer(path, "wav") as writer:
            writer.write(speech.speak_pack(pack, text))
        log.write(SampleRecord(step, path.relative_to(directory).as_posix(), text))
        paths.append(path)
        report("samples", index, len(SAMPLE_TEXTS), {})
    return paths
