"""Voice creation measured: leave-one-voice-out on stock voices, and real speakers' recordings.

Leave one voice out: a stock voice speaks TARGET_TEXTS (its "recordings", at most 60 s, the real speakers'
budget); it is excluded from the blend basis and from the best-stock baseline; the made voice speaks held-out
sample text and is scored against the voice's audio of other text. Real speakers: at most 60 s of a speaker's clips
make the voice; the rest of their clips score it. Every figure comes from ``make_voice`` and
``evaluate_voice``, the functions ``kokoro train voice`` and ``kokoro eval voice`` call.

    python benchmarks/voice_cloning.py loo af_bella am_michael ... [--steps N] [--method descent|walk]
    python benchmarks/voice_cloning.py speaker /path/to/speaker_dir [--steps N]
Writes one JSON line per run to benchmarks/voice_cloning_runs.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import soundfile as sf

from kokoro_tui.home import resolve_home
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.training.differentiable_speech import DifferentiableSpeech
from kokoro_tui.training.voice_eval import evaluate_voice
from kokoro_tui.training.voice_fit import FitSettings
from kokoro_tui.training.voice_job import HISTORY_NAME, VoiceJob, make_voice, run_dir
from kokoro_tui.training.voice_space import OFFSET_UNIT
from kokoro_tui.voices.store import VoiceStore

# the stock voice's "recordings": texts the optimiser's own sentences never use. Spoken in order until
# ``--max-seconds`` (60 s, the real speakers' budget); until session 24 only the first four (about 12 s), so the
# target embedding rested on three clips and the held-out check on one
TARGET_TEXTS = (
    "Under the bridge, the fishermen mended their nets and sang quietly.",
    "It is not every day that you find a map hidden inside an old book.",
    "The children laughed as the puppy chased its tail around the kitchen.",
    "Turn left at the bakery, then walk straight until you reach the park.",
    "The postman whistled a cheerful tune while he sorted the morning letters.",
    "Grandfather kept his old watch in a small wooden box beside the bed.",
    "After the storm, the whole street was covered in broken branches and leaves.",
    "Would you mind holding the door while I carry these boxes upstairs?",
    "The baker wakes up at four o'clock to prepare the first loaves of the day.",
    "Two cats sat on the fence and stared at the birds in the hedge.",
    "Our teacher read us a story about a dragon who was afraid of the dark.",
    "The price of apples went up again, so we bought pears instead.",
    "When the lights went out, everyone in the theatre began to whisper.",
    "He painted the kitchen a pale shade of green and hung new curtains.",
    "The little boat drifted slowly toward the island as the sun went down.",
    "Remember to water the plants on the balcony while I am away.",
    "The farmer counted his cows twice, but one of them was still missing.",
)
# the stock voice's other "recordings", the reference it is scored against: eight since session 23 (two before),
# so that the reference embedding is not one or two sentences' (the voice itself then scored 0.925 for af_bella)
REFERENCE_TEXTS = (
    "She opened the window and listened to the rain falling on the roof.",
    "Our neighbours planted tomatoes, beans and sunflowers this spring.",
    "The captain checked the weather twice before the boat left the harbour.",
    "If you finish your homework early, we can go to the cinema tonight.",
    "A tall stranger in a grey coat waited patiently at the corner.",
    "Mix the flour and the butter, then add two eggs and a pinch of salt.",
    "Last summer we drove along the coast and camped beside the lighthouse.",
    "The orchestra played so softly that the audience held its breath.",
)
RUNS = Path(__file__).with_name("voice_cloning_runs.jsonl")


def write_clips(folder: Path, clips: list[tuple[str, np.ndarray]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "metadata.jsonl", "w", encoding="utf-8") as meta:
        for index, (text, audio) in enumerate(clips):
            sf.write(folder / f"{index:03d}.wav", audio, SAMPLE_RATE)
            meta.write(json.dumps({"file_name": f"{index:03d}.wav", "text": text}) + "\n")


def progress(stage: str, done: int, total: int, figures: dict[str, float]) -> None:
    if stage == "fit" and ("check_similarity" in figures or done == total):
        shown = " ".join(f"{k}={v:.3f}" for k, v in figures.items())
        print(f"  step {done}/{total} {shown}", flush=True)


def check_curve(home, name: str, start: float) -> list[list[float]]:
    """(optimisation seconds, held-out check similarity) at the start and at every check, for the plot."""
    history = json.loads((run_dir(home, name) / HISTORY_NAME).read_text(encoding="utf-8"))
    checks = [[round(row["elapsed_s"], 1), round(row["check_similarity"], 4)] for row in history if "check_similarity" in row]
    return [[0.0, round(start, 4)], *checks]


def discard(home, name: str) -> None:
    """Remove the made voice and its run from the data home: a benchmark's voices are not the user's (nor the
    tests', which count 54 voices in the test home)."""
    VoiceStore(home).remove(name)
    shutil.rmtree(run_dir(home, name))


def first_seconds(clips: list[tuple[str, np.ndarray]], max_seconds: float) -> tuple[list, float]:
    """The clips, in order, while their total stays within ``max_seconds``; and that total."""
    used, total = [], 0.0
    for text, audio in clips:
        seconds = len(audio) / SAMPLE_RATE
        if total + seconds > max_seconds:
            break
        used.append((text, audio))
        total += seconds
    return used, total


def leave_one_out(voice: str, steps: int, method: str, work: Path, max_seconds: float, seed: int = 0) -> dict:
    home = resolve_home()
    speech = DifferentiableSpeech.from_home(home, "a", "cpu")
    pack = VoiceStore(home).load(voice)
    used, total = first_seconds([(t, speech.speak_pack(pack, t)) for t in TARGET_TEXTS], max_seconds)
    write_clips(work / voice / "train", used)
    write_clips(work / voice / "ref", [(t, speech.speak_pack(pack, t)) for t in REFERENCE_TEXTS])
    del speech
    name = f"loo-{voice.replace('_', '-')}-{method}"
    started = time.perf_counter()
    job = VoiceJob(data=work / voice / "train", name=name, method=method, steps=steps, exclude=(voice,),
                   replace=True, device="cpu", seed=seed)
    result = make_voice(home, job, progress)
    made_s = time.perf_counter() - started
    evaluation = evaluate_voice(home, name, work / voice / "ref", exclude=(voice,))
    curve = check_curve(home, name, result.start_similarity)
    discard(home, name)
    itself = evaluate_voice(home, voice, work / voice / "ref", exclude=(voice,)).voice  # the ceiling, for scale
    return {"kind": "leave-one-out", "target": voice, "method": method, "steps": steps, "make_s": round(made_s, 1),
            "seconds_used": round(total, 1), "clips_used": len(used), "check_similarity": result.check_similarity,
            "start_similarity": result.start_similarity, "check_curve": curve, "evaluation": evaluation.as_dict(),
            "itself": {"similarity": itself.similarity, "wer": itself.wer}}


def speaker(directory: Path, steps: int, method: str, work: Path, max_seconds: float, seed: int = 0) -> dict:
    """The first ``max_seconds`` of clips make the voice; all later clips are the reference."""
    from kokoro_tui.training.corpus import load_corpus

    home = resolve_home()
    corpus = load_corpus(directory, "a")
    used, rest, total = [], [], 0.0
    for utterance in corpus.train:
        if total + utterance.seconds <= max_seconds and not rest:
            used.append((utterance.text or "", utterance.audio))
            total += utterance.seconds
        else:
            rest.append((utterance.text or "", utterance.audio))
    write_clips(work / directory.name / "train", used)
    write_clips(work / directory.name / "ref", rest)
    name = f"spk-{directory.name.replace('_', '-')}-{method}"
    started = time.perf_counter()
    job = VoiceJob(data=work / directory.name / "train", name=name, method=method, steps=steps, replace=True,
                   device="cpu", max_seconds=max_seconds, seed=seed)
    result = make_voice(home, job, progress)
    made_s = time.perf_counter() - started
    evaluation = evaluate_voice(home, name, work / directory.name / "ref")
    curve = check_curve(home, name, result.start_similarity)
    discard(home, name)
    return {"kind": "speaker", "target": directory.name, "method": method, "steps": steps, "make_s": round(made_s, 1),
            "seconds_used": round(total, 1), "check_similarity": result.check_similarity,
            "start_similarity": result.start_similarity, "check_curve": curve,
            "evaluation": evaluation.as_dict()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("loo", "speaker"))
    parser.add_argument("targets", nargs="+")
    parser.add_argument("--steps", type=int, default=120)
    parser.add_argument("--method", default="descent")
    parser.add_argument("--max-seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0, help="the run's seed: the walk's moves (the descent is deterministic, so it makes the same voice)")
    args = parser.parse_args()
    os.environ.setdefault("KOKORO_HOME", str(Path(__file__).resolve().parents[1] / ".test-home"))
    with tempfile.TemporaryDirectory() as tmp:
        for target in args.targets:
            if args.kind == "loo":
                record = leave_one_out(target, args.steps, args.method, Path(tmp), args.max_seconds, args.seed)
            else:
                record = speaker(Path(target), args.steps, args.method, Path(tmp), args.max_seconds, args.seed)
            record["settings"] = {k: v for k, v in asdict(FitSettings(seed=args.seed)).items() if k != "steps"}
            record["settings"]["offset_unit"] = OFFSET_UNIT
            line = json.dumps(record)
            print(line, flush=True)
            with open(RUNS, "a", encoding="utf-8") as runs:
                runs.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
