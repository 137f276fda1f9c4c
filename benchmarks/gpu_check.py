"""Every GPU figure the open issues ask for, in one run on a lent device machine; written to ``--out``.

No GPU has been lent to this project yet. This script is ready for the session that gets one: it needs only
torch and numpy (the device image has both; it lacks soundfile, misaki and the rest of our stack), and should
fit one 10-minute call (an estimate: it has never run on a GPU). Run it there from the repository root:

    PYTHONUNBUFFERED=1 PYTHONPATH=. python3 benchmarks/gpu_check.py --out $OUT

Real weights cannot travel (the device tool carries 64 MiB), so the network has the real shapes
(``KokoroConfig.default()``) and random weights. Its duration head is set so that every phoneme lasts
``DURATION_FRAMES`` frames (75 ms, a real sentence's pace), so the timings cover real audio lengths.
Correctness is the device against the CPU on the same random weights.

What it measures, each on the product's own code:
1. **parity**: ``KokoroModel.synthesize`` (what ``kokoro say --device cuda`` calls) on the CPU and on the
   device, fp32, noise off: equal durations, audio correlation, largest difference;
2. **stream**: the same call, warm, on 10 to 400 phonemes: seconds and x real time per chunk (issue 11);
3. **batch**: ``KokoroModel.forward`` on batches of 100-phoneme items: audio seconds per wall second
   (a model figure: no batched API sits behind ``Pipeline`` yet);
4. **finetune**: ``finetune_step.train_step`` (the step `kokoro train model` takes: bf16 autocast on CUDA,
   AdamW, clipping) on synthetic batches of real length: steps per second (issue 15);
5. **voice**: one descent step of `kokoro train voice` (speak with gradients to the style row, embed,
   backward): seconds per step, and the 40-step default's time (issue 13). It needs resemblyzer and librosa
   (carry their wheels as the device tool's README shows); where they are missing the step uses a stand-in
   embedding (a mel mean, cheaper than resemblyzer's LSTM) and the record says so.

``--device cpu --tiny`` runs the whole script at toy widths in seconds: the test suite does that, with the
packages the device image lacks hidden, so the script stays runnable until a session can use it.
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import itertools
import json
import math
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch

from kokoro_tui.model.config import SAMPLE_RATE, KokoroConfig
from kokoro_tui.model.inference import prepare_for_inference
from kokoro_tui.model.kokoro import KokoroModel

DURATION_FRAMES = 3  # per phoneme: 75 ms
STREAM_PHONEMES = (10, 30, 100, 200, 400)
PARITY_PHONEMES = (12, 60, 150, 300, 508)
BATCH_SIZES = (1, 8, 32, 64)
BATCH_PHONEMES = 100
FINETUNE_BATCHES = (1, 8)
FINETUNE_PHONEMES = 120
WINDOW_FRAMES = 48  # FinetuneJob's default decoder window
VOICE_STEPS = 40  # `kokoro train voice`'s default
VOICE_PHONEMES = 40  # a short step sentence
REPEATS = 5
POST_SCALE = 0.02  # of the random generator's last conv (see random_model)


def random_model(config: KokoroConfig, seed: int = 0) -> KokoroModel:
    """Random weights of ``config``'s shapes, every phoneme ``DURATION_FRAMES`` long.

    The generator's last conv is scaled down: it feeds ``exp()``, and at random it reached 1e12 on
    150 phonemes and would overflow on longer ones, which would make the parity figures meaningless.
    """
    torch.manual_seed(seed)
    model = KokoroModel(config)
    head = model.predictor.duration_proj.linear_layer
    with torch.no_grad():  # sigmoid(bias) summed over max_dur outputs = DURATION_FRAMES
        head.weight.zero_()
        head.bias.fill_(math.log(DURATION_FRAMES / (config.max_dur - DURATION_FRAMES)))
        model.decoder.generator.conv_post.weight_g.mul_(POST_SCALE)
    return model


def phoneme_ids(config: KokoroConfig, count: int, seed: int) -> list[int]:
    generator = torch.Generator().manual_seed(seed)
    return torch.randint(1, config.n_token, (count,), generator=generator).tolist()


def random_style(config: KokoroConfig, seed: int) -> torch.Tensor:
    return torch.randn(config.style_size, generator=torch.Generator().manual_seed(seed)) * 0.2


def audio_seconds(config: KokoroConfig, phonemes: int) -> float:
    """What ``phonemes`` phonemes last with every token (BOS and EOS included) ``DURATION_FRAMES`` long."""
    return (phonemes + 2) * DURATION_FRAMES * config.samples_per_duration / SAMPLE_RATE


def peak_gib(device: torch.device) -> float | None:
    """The device's peak allocated memory since the last reset (None on the CPU)."""
    return torch.cuda.max_memory_allocated(device) / 2**30 if device.type == "cuda" else None


def synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def timed(call: Callable[[], Any], device: torch.device, repeats: int = REPEATS, warm: int = 2) -> float:
    """Median wall seconds of ``call`` after ``warm`` untimed calls, the device synchronised around each."""
    for _ in range(warm):
        call()
    times = []
    for _ in range(repeats):
        synchronize(device)
        started = time.perf_counter()
        call()
        synchronize(device)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def parity(cpu_model: KokoroModel, model: KokoroModel, config: KokoroConfig, lengths: tuple[int, ...]) -> list[dict]:
    rows = []
    for index, count in enumerate(lengths):
        ids, style = phoneme_ids(config, count, index), random_style(config, index)
        reference = cpu_model.synthesize(ids, style, noise=False)
        result = model.synthesize(ids, style, noise=False)
        audio, expected = result.audio.float().cpu().numpy(), reference.audio.numpy()
        rows.append({
            "phonemes": count, "durations_equal": bool(torch.equal(result.durations.cpu(), reference.durations)),
            "audio_correlation": float(np.corrcoef(audio, expected)[0, 1]) if len(audio) == len(expected) else None,
            "max_abs_difference": float(np.abs(audio - expected).max()) if len(audio) == len(expected) else None,
            "peak": float(np.abs(expected).max()),
        })  # fmt: skip
    return rows


def stream(model: KokoroModel, config: KokoroConfig, device: torch.device, lengths: tuple[int, ...]) -> list[dict]:
    rows = []
    for count in lengths:
        ids, style = phoneme_ids(config, count, count), random_style(config, count)
        seconds = timed(lambda: model.synthesize(ids, style).audio.cpu(), device)  # noqa: B023
        audio_s = audio_seconds(config, count)
        rows.append({"phonemes": count, "seconds": seconds, "audio_s": audio_s, "x_real_time": audio_s / seconds})
    return rows


def batched(model: KokoroModel, config: KokoroConfig, device: torch.device, sizes: tuple[int, ...], phonemes: int) -> list[dict]:
    rows = []
    for size in sizes:
        ids = torch.tensor([[0, *phoneme_ids(config, phonemes, item), 0] for item in range(size)], device=device)
        lengths = torch.full((size,), phonemes + 2, device=device)
        styles = torch.stack([random_style(config, item) for item in range(size)]).to(device)

        def run() -> torch.Tensor:
            with torch.inference_mode():
                return model(ids, lengths, styles, 1.0).audio.cpu()

        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(device)
        seconds = timed(run, device, repeats=3, warm=1)
        audio_s = size * audio_seconds(config, phonemes)
        rows.append({"batch": size, "phonemes_each": phonemes, "seconds": seconds, "audio_s": audio_s,
                     "x_real_time": audio_s / seconds, "peak_gib": peak_gib(device)})  # fmt: skip
    return rows


def synthetic_batch(config: KokoroConfig, size: int, phonemes: int, window: int, seed: int):
    """A fine-tuning ``Batch`` of ``size`` utterances with aligned durations, pitch and energy curves, and noise as audio."""
    from kokoro_tui.training.finetune_batch import Batch

    generator = torch.Generator().manual_seed(seed)
    tokens = phonemes + 2
    frames = tokens * DURATION_FRAMES
    return Batch(
        input_ids=torch.tensor([[0, *phoneme_ids(config, phonemes, seed + item), 0] for item in range(size)]),
        input_lengths=torch.full((size,), tokens), durations=torch.full((size, tokens), DURATION_FRAMES),
        frame_lengths=torch.full((size,), frames), f0=120 + 40 * torch.rand(size, 2 * frames, generator=generator),
        energy=torch.rand(size, 2 * frames, generator=generator), style_rows=torch.full((size,), phonemes),
        window_starts=torch.randint(0, frames - window + 1, (size,), generator=generator),
        window_audio=0.1 * torch.randn(size, window * config.samples_per_duration, generator=generator),
        window_frames=window,
    )  # fmt: skip


def finetune(config: KokoroConfig, device: torch.device, sizes: tuple[int, ...], phonemes: int, window: int) -> list[dict]:
    from kokoro_tui.training.finetune_net import FinetuneNet, LossWeights
    from kokoro_tui.training.finetune_step import make_optimizer, train_step

    rows = []
    for size in sizes:
        pack = torch.stack([random_style(config, row) for row in range(config.max_tokens)])
        net = FinetuneNet(random_model(config), pack).to(device)
        net.train()
        optimizer = make_optimizer(net, 1e-4, 1e-3)
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)
        batches = [synthetic_batch(config, size, phonemes, window, seed).to(device) for seed in range(4)]
        steps = itertools.count()

        def step() -> None:
            index = next(steps)
            terms = train_step(net, batches[index % len(batches)], LossWeights(), optimizer, scheduler, 1.0,
                               torch.Generator(device=device).manual_seed(index))  # fmt: skip
            if not torch.isfinite(terms["total"]):
                raise RuntimeError(f"non-finite loss at step {index}")

        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(device)
        seconds = timed(step, device, repeats=REPEATS, warm=2)
        rows.append({"batch": size, "phonemes_each": phonemes, "window_frames": window, "seconds_per_step": seconds,
                     "steps_per_s": 1 / seconds, "peak_gib": peak_gib(device)})  # fmt: skip
    return rows


def _speaker_embedding(device: torch.device) -> tuple[Callable[[torch.Tensor], torch.Tensor], str]:
    """resemblyzer's differentiable embedding where resemblyzer is installed, else a stand-in of similar cost."""
    if all(importlib.util.find_spec(name) for name in ("resemblyzer", "librosa")):
        from kokoro_tui.training.speaker import SpeakerEncoder

        return SpeakerEncoder(device).embed_audio, "resemblyzer"
    from kokoro_tui.audio.features import mel_spectrogram

    def stand_in(audio: torch.Tensor) -> torch.Tensor:
        mean = mel_spectrogram(audio[None])[0].mean(dim=-1)
        return mean / mean.norm()

    return stand_in, "stand-in (mel mean): resemblyzer or librosa is not installed"


def voice_step(config: KokoroConfig, device: torch.device, phonemes: int) -> dict:
    """One descent step of voice creation: speak with gradients to the style row, embed, backward, Adam."""
    from kokoro_tui.training.differentiable_speech import DifferentiableSpeech

    speech = DifferentiableSpeech(random_model(config).to(device), frontend=None, vocab=None)  # ids given directly
    speech.model.train()
    embed, encoder = _speaker_embedding(device)
    ids = tuple(phoneme_ids(config, phonemes, 7))
    target = embed(speech.speak(random_style(config, 1).to(device), ids, grad=False)).detach()
    row = random_style(config, 2).to(device).requires_grad_()
    optimizer = torch.optim.Adam([row], lr=0.05)

    def step() -> None:
        audio, _ = speech.speak_with_pitch(row, ids)
        loss = 1 - torch.nn.functional.cosine_similarity(embed(audio), target, dim=0)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    seconds = timed(step, device, repeats=REPEATS, warm=2)
    return {"phonemes": phonemes, "encoder": encoder, "seconds_per_step": seconds,
            f"seconds_for_{VOICE_STEPS}_steps": VOICE_STEPS * seconds}  # fmt: skip


def markdown(report: dict) -> str:
    lines = [f"# GPU check on {report['device_name']}", "", f"torch {report['torch']}, config {report['config']}", ""]
    for section, rows in report["results"].items():
        rows = rows if isinstance(rows, list) else [rows]
        lines += [f"## {section}", "", "| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        for row in rows:
            lines.append("| " + " | ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in row.values()) + " |")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for gpu_check.json and gpu_check.md")
    parser.add_argument("--device", default="cuda", help="cuda (default), or cpu for a smoke run")
    parser.add_argument("--tiny", action="store_true", help="toy widths and short inputs (the test suite's smoke run)")
    args = parser.parse_args()
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit("no CUDA device here: run this on the lent device machine, or pass --device cpu --tiny")
    config = KokoroConfig.tiny() if args.tiny else KokoroConfig.default()
    small = (lambda values: tuple(v for v in values if v <= 30)[:2]) if args.tiny else (lambda values: values)  # noqa: E731
    args.out.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"device_name": torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor(),
                              "torch": torch.__version__, "config": "tiny" if args.tiny else "Kokoro-82M shapes, random weights",
                              "duration_frames_per_phoneme": DURATION_FRAMES, "results": {}}  # fmt: skip
    cpu_model = prepare_for_inference(random_model(config))
    model = prepare_for_inference(copy.deepcopy(cpu_model).to(device))
    sections: dict[str, Callable[[], Any]] = {
        "parity": lambda: parity(cpu_model, model, config, small(PARITY_PHONEMES)),
        "stream": lambda: stream(model, config, device, small(STREAM_PHONEMES)),
        "batch": lambda: batched(model, config, device, BATCH_SIZES[:2] if args.tiny else BATCH_SIZES,
                                 12 if args.tiny else BATCH_PHONEMES),
        "finetune": lambda: finetune(config, device, FINETUNE_BATCHES, 20 if args.tiny else FINETUNE_PHONEMES,
                                     8 if args.tiny else WINDOW_FRAMES),
        "voice": lambda: voice_step(config, device, 12 if args.tiny else VOICE_PHONEMES),
    }  # fmt: skip
    for name, measure in sections.items():
        started = time.perf_counter()
        report["results"][name] = measure()
        print(f"{name}: {time.perf_counter() - started:.1f} s", flush=True)
        (args.out / "gpu_check.json").write_text(json.dumps(report, indent=2) + "\n")  # after each: a timeout keeps the rest
    (args.out / "gpu_check.md").write_text(markdown(report))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
