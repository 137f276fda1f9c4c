"""Fine-tuning measured: the aligner against known truth, and held-out figures before and after a CPU run.

    python benchmarks/finetune.py align
        Two Kokoro voices read the same sentences at different speeds; one reading's durations are
        recovered from the other by our aligner and compared with the truth (boundary error in ms),
        beside the naive baseline of stretching the predicted durations to the recording's length.
    python benchmarks/finetune.py run CORPUS --lang r --steps 300 [--max-seconds 1200] [--speaker]
        ``finetune()`` (what ``kokoro train model`` calls) on the 2-core CPU, then the held-out
        figures it reports (mel distance, duration and F0 error). ``--speaker`` (English corpora)
        also speaks the held-out transcripts with the model before and after and scores them
        against the held-out recordings: resemblyzer similarity and pocketsphinx WER.

Each result is one JSON line in benchmarks/finetune_runs.jsonl.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

from kokoro_tui.assets.model_store import ensure_torch_weights, model_config
from kokoro_tui.home import resolve_home
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.model.loading import load_model
from kokoro_tui.training.finetune_job import EVAL_NAME, FinetuneJob, finetune
from kokoro_tui.training.forced_alignment import align_recording
from kokoro_tui.voices.store import VoiceStore

RESULTS = Path(__file__).with_name("finetune_runs.jsonl")
ALIGN_TEXTS = (
    "The quick brown fox jumps over the lazy dog, and then it runs away into the forest.",
    "She sells sea shells by the sea shore; the shells she sells are surely seashells.",
    "In nineteen eighty four, the weather was cold and the roads were covered with snow.",
    "Would you like a cup of tea, or shall we go straight to the station?",
    "Our neighbours painted their fence bright yellow last summer.",
    "Please remember to switch off the lights before you leave the office.",
)
# (voice whose reading is the "recording", voice and speed of the model's reading we align from)
ALIGN_PAIRS = (("af_heart", "am_michael", 1.2), ("bf_emma", "af_bella", 0.85), ("am_adam", "bm_george", 1.0))


def _record(entry: dict) -> None:
    with RESULTS.open("a") as handle:
        handle.write(json.dumps(entry) + "\n")
    print(json.dumps(entry, indent=1))


def align_accuracy() -> None:
    from kokoro_tui.training.differentiable_speech import DifferentiableSpeech

    home = resolve_home()
    speech = DifferentiableSpeech.from_home(home, "a", "cpu")
    store = VoiceStore(home)

    def read(text: str, voice: str, speed: float) -> tuple[np.ndarray, np.ndarray]:
        ids = speech.ids(text)
        row = torch.from_numpy(store.load(voice).reshape(510, -1)[len(ids) - 1])[None]
        with torch.no_grad():
            out = speech.model(torch.tensor([[0, *ids, 0]]), torch.tensor([len(ids) + 2]), row, speed, noise=False)
        return out.audio[0].numpy(), out.durations[0].numpy()

    ours, stretched, tokens = [], [], 0
    for truth_voice, model_voice, speed in ALIGN_PAIRS:
        for text in ALIGN_TEXTS:
            recording, truth = read(text, truth_voice, 1.0)
            reference, predicted = read(text, model_voice, speed)
            found = align_recording(reference, predicted, recording, 600)
            true_ends = np.cumsum(truth)[:-1]
            ours.extend(np.abs(np.cumsum(found)[:-1] - true_ends) * 25.0)
            stretched.extend(np.abs(np.cumsum(predicted)[:-1] * truth.sum() / predicted.sum() - true_ends) * 25.0)
            tokens += len(truth)
    _record({
        "kind": "align", "pairs": [list(p) for p in ALIGN_PAIRS], "sentences": len(ALIGN_TEXTS), "boundaries": len(ours),
        "ours_mean_ms": round(float(np.mean(ours)), 1), "ours_median_ms": round(float(np.median(ours)), 1),
        "ours_p90_ms": round(float(np.percentile(ours, 90)), 1), "within_25ms": round(float(np.mean(np.array(ours) <= 25)), 3),
        "stretch_mean_ms": round(float(np.mean(stretched)), 1), "stretch_p90_ms": round(float(np.percentile(stretched, 90)), 1),
    })


def _speaker_scores(model, pack: np.ndarray, items, utterances, lang: str) -> dict[str, float]:
    """Similarity of the held-out transcripts spoken by ``model`` to the held-out recordings, and their WER."""
    from kokoro_tui.evaluation.intelligibility import Recogniser, word_error_rate
    from kokoro_tui.training.finetune_eval import free_reading
    from kokoro_tui.training.finetune_net import FinetuneNet
    from kokoro_tui.training.speaker import SpeakerEncoder, cosine

    net = FinetuneNet(model, torch.from_numpy(pack.reshape(pack.shape[0], -1))).eval()
    spoken = [free_reading(net, item.ids.tolist())[0] for item in items]
    encoder = SpeakerEncoder("cpu")
    similarity = cosine(encoder.embed_recordings(spoken, SAMPLE_RATE),
                        encoder.embed_recordings([u.audio for u in utterances], SAMPLE_RATE))
    recogniser = Recogniser()
    wer = np.mean([word_error_rate(u.text, recogniser(audio)) for u, audio in zip(utterances, spoken)])
    recorded_wer = np.mean([word_error_rate(u.text, recogniser(u.audio)) for u in utterances])
    return {"similarity": round(float(similarity), 4), "wer": round(float(wer), 4), "recordings_wer": round(float(recorded_wer), 4)}


def run(args: argparse.Namespace) -> None:
    home = resolve_home()
    output = Path(args.output)
    job = FinetuneJob(corpus=Path(args.corpus), output=output, lang=args.lang, voice=args.voice, steps=args.steps,
                      max_seconds=args.max_seconds, checkpoint_every=args.steps, eval_every=args.eval_every, force=True,
                      init_voice=args.init_voice, seed=args.seed, train_decoder=args.train_decoder,
                      train_vocoder=args.train_vocoder)
    started = time.perf_counter()

    def events(stage: str, done: int, total: int, figures: dict[str, float]) -> None:
        if stage == "train" and done % 10 == 0:
            shown = {k: round(v, 3) for k, v in figures.items()}
            print(f"[{time.perf_counter() - started:6.0f} s] step {done}/{total} {shown}", flush=True)
        elif stage != "train" and done == total:
            print(f"[{time.perf_counter() - started:6.0f} s] {stage} done ({total})", flush=True)

    result = finetune(home, job, events)
    scores = json.loads((output / EVAL_NAME).read_text())
    entry = {
        "kind": "run", "corpus": str(args.corpus), "lang": args.lang, "steps": result.steps, "max_seconds": args.max_seconds,
        "seconds": round(result.seconds, 1), "steps_per_second": round(result.steps_per_second, 4),
        "torch_threads": torch.get_num_threads(), "train_decoder": args.train_decoder, "train_vocoder": args.train_vocoder, "before": scores["before"], "after": scores["after"],
        "held_out": len(scores["held_out"]), "problems": len(result.problems),
    }
    if args.speaker:
        from kokoro_tui.text.frontend import TextFrontend
        from kokoro_tui.text.vocab import PhonemeVocab
        from kokoro_tui.training.corpus import load_corpus
        from kokoro_tui.training.finetune_data import ItemBuilder

        config = model_config(home)
        corpus = load_corpus(args.corpus, args.lang, args.max_seconds)
        by_id = {u.id: u for u in corpus.train + corpus.validation}
        utterances = [by_id[name] for name in scores["held_out"]]
        base = load_model(ensure_torch_weights(home), config, "cpu")
        start_pack = VoiceStore(home).load(json.loads((output / "log.jsonl").read_text().splitlines()[0])["config"]["start_voice"])
        builder = ItemBuilder(base, TextFrontend(args.lang), PhonemeVocab(config.vocab), start_pack, home.cache / "finetune")
        items = [builder.build(u) for u in utterances]
        entry["speaker_before"] = _speaker_scores(base, start_pack, items, utterances, args.lang)
        tuned = load_model(result.weights, device="cpu")
        entry["speaker_after"] = _speaker_scores(tuned, VoiceStore(home).load(result.voice), items, utterances, args.lang)
    _record(entry)
    VoiceStore(home).remove(result.voice)  # a benchmark's voice is not the user's (nor the tests': they count 54)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("align")
    runner = commands.add_parser("run")
    runner.add_argument("corpus")
    runner.add_argument("--lang", default="a")
    runner.add_argument("--steps", type=int, default=300)
    runner.add_argument("--eval-every", type=int, default=50)
    runner.add_argument("--max-seconds", type=float, default=None)
    runner.add_argument("--output", default="/tmp/kokoro-finetune-bench")
    runner.add_argument("--voice", default="finetune-bench")
    runner.add_argument("--init-voice", default=None)
    runner.add_argument("--seed", type=int, default=0)
    runner.add_argument("--train-decoder", action="store_true")
    runner.add_argument("--train-vocoder", action="store_true")
    runner.add_argument("--speaker", action="store_true")
    args = parser.parse_args(argv)
    align_accuracy() if args.command == "align" else run(args)


if __name__ == "__main__":
    main(sys.argv[1:])
