"""Speed of our PyTorch Kokoro against onnxruntime on the same int8 ONNX, same phonemes, in one run.

Reports seconds of audio produced per second of compute (×real time) for our fp32 model,
our model with int8 generator convolutions, and onnxruntime, and their ratios; plus the int8
audio error against fp32 (STFT-magnitude cosine, log-spectral distance). Runs are
interleaved so machine-load drift hits all alike; the best of ``--repeats`` is kept. Process
CPU time is printed too: on a shared machine it is the steadier basis for the ratio.

``--quality`` also speaks a few English sentences with all three and reports, against our
fp32 audio, the level- and timing-free log-mel distance (DTW) and each one's pocketsphinx WER,
so the int8 error can be compared with the ONNX export's own distance from fp32.

    python benchmarks/speed.py --onnx /tmp/assets/kokoro-v1.0.int8.onnx \
        --voice /tmp/assets/voices/af_heart.bin [--weights model.safetensors] [--threads 2]

Without ``--weights`` the float weights are imported from the ONNX first (not timed).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch

from kokoro_tui.backends.onnx_runtime import OnnxKokoro
from kokoro_tui.backends.onnx_synthesizer import correct_onnx_audio
from kokoro_tui.model.allocator import keep_freed_memory
from kokoro_tui.model.checkpoint import strict_load
from kokoro_tui.model.config import SAMPLE_RATE, KokoroConfig
from kokoro_tui.model.inference import use_int8_convs
from kokoro_tui.model.kokoro import KokoroModel
from kokoro_tui.model.loading import load_model as load_weights
from kokoro_tui.text.vocab import PhonemeVocab

# About 9 s of speech: long enough that per-call overheads do not dominate.
PASSAGE = (
    "ðə nˈɔɹθ wˈɪnd ænd ðə sˈʌn wɜɹ dɪspjˈuːtɪŋ wˈɪtʃ wʌz ðə stɹˈɔŋɡɚ, "
    "wˈɛn ɐ tɹˈævəlɚ kˈeɪm ɐlˈɔŋ ɹˈæpt ɪn ɐ wˈɔɹm klˈoʊk. "
    "ðeɪ ɐɡɹˈiːd ðæt ðə wˈʌn hˌuː fˈɜɹst səksˈiːdᵻd ɪn mˈeɪkɪŋ ðə tɹˈævəlɚ tˈeɪk hɪz klˈoʊk ˈɔf "
    "ʃʊd bi kənsˈɪdɚd stɹˈɔŋɡɚ ðɐn ðɪ ˈʌðɚ."
)
SENTENCES = [
    "The old lighthouse stood at the edge of the cliff, watching over the quiet harbor.",
    "Every evening, the keeper climbed the narrow stairs to light the great lamp.",
    "Ships passing in the night relied on its steady beam to find their way home.",
    "Please call Stella and ask her to bring these things with her from the store.",
]


def load_model(onnx_path: Path, weights: Path | None) -> KokoroModel:
    """Our model from ``weights``, else from the ONNX imported in memory; in eval mode."""
    if weights is not None:
        return load_weights(weights).eval()
    from kokoro_tui.convert.onnx_import import import_onnx

    model = KokoroModel(KokoroConfig.default())
    strict_load(model, import_onnx(onnx_path).state)
    return model.eval()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onnx", type=Path, default=Path("/tmp/assets/kokoro-v1.0.int8.onnx"))
    parser.add_argument("--voice", type=Path, default=Path("/tmp/assets/voices/af_heart.bin"))
    parser.add_argument("--weights", type=Path, default=None)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--phonemes", default=PASSAGE)
    parser.add_argument("--quality", action="store_true", help="also measure mel distance and WER on SENTENCES")
    parser.add_argument("--glibc-default", action="store_true",
                        help="keep glibc's mmap thresholds (as before kokoro_tui.model.allocator) to see their cost")
    args = parser.parse_args()

    if not args.glibc_default:
        keep_freed_memory()  # what load_model does for every user of the library

    torch.set_num_threads(args.threads)
    model = load_model(args.onnx, args.weights)
    config = model.config
    ids = PhonemeVocab(config.vocab).encode(args.phonemes).ids
    pack = np.fromfile(args.voice, dtype=np.float32).reshape(-1, config.style_size)
    style = pack[min(len(args.phonemes) - 1, len(pack) - 1)]
    onnx_backend = OnnxKokoro(args.onnx, threads=args.threads)

    def ours(int8: bool) -> np.ndarray:
        use_int8_convs(model, int8)
        return model.synthesize(ids, torch.from_numpy(style.copy()), noise=False).audio.numpy()

    runs = {
        "torch fp32": lambda: ours(False),
        "torch int8": lambda: ours(True),
        "onnx int8": lambda: onnx_backend.synthesize(ids, style)[0],
    }
    audio = {name: run() for name, run in runs.items()}  # warm-up; also keeps each backend's audio
    best = dict.fromkeys(runs, float("inf"))
    cpu = dict.fromkeys(runs, float("inf"))
    for _ in range(args.repeats):
        for name, run in runs.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            run()
            best[name] = min(best[name], time.perf_counter() - started)
            cpu[name] = min(cpu[name], time.process_time() - cpu_started)

    speed = {name: audio[name].shape[0] / SAMPLE_RATE / best[name] for name in runs}
    allocator = "glibc default" if args.glibc_default else "freed blocks kept"
    print(f"phonemes: {len(ids)}  threads: {args.threads}  repeats: {args.repeats} (best kept)  allocator: {allocator}")
    for name in runs:
        seconds = audio[name].shape[0] / SAMPLE_RATE
        print(f"{name:>10}: {seconds:6.2f} s audio in {best[name]:6.2f} s = {speed[name]:5.2f}x real time"
              f"  ({speed[name] / speed['onnx int8']:.2f}x onnx)"
              f"  | CPU time {cpu[name]:6.2f} s ({cpu['onnx int8'] / cpu[name]:.2f}x onnx)")
    cosine, distance = spectral_error(audio["torch fp32"], audio["torch int8"])
    print(f"int8 vs fp32 audio: STFT-magnitude cosine {cosine:.4f}, log-spectral distance {distance:.2f} dB")
    if args.quality:
        report_quality(model, onnx_backend, args.voice)


def report_quality(model: KokoroModel, onnx_backend: OnnxKokoro, voice: Path) -> None:
    """Mean log-mel DTW distance to our fp32 audio and WER per backend, over SENTENCES."""
    from kokoro_tui.evaluation.intelligibility import Recogniser, word_error_rate
    from kokoro_tui.evaluation.spectral import mel_agreement
    from kokoro_tui.text.frontend import TextFrontend

    frontend, recognise = TextFrontend("a"), Recogniser()
    pack = np.fromfile(voice, dtype=np.float32).reshape(-1, model.config.style_size)
    names = ("torch fp32", "torch int8", "onnx int8")
    distance, errors = dict.fromkeys(names, 0.0), dict.fromkeys(names, 0.0)
    for sentence in SENTENCES:
        phonemes = "".join(chunk.phonemes for chunk in frontend.chunks(sentence))
        ids = PhonemeVocab(model.config.vocab).encode(phonemes).ids
        style = pack[min(len(phonemes) - 1, len(pack) - 1)]
        audio = {}
        for name, int8 in (("torch fp32", False), ("torch int8", True)):
            use_int8_convs(model, int8)
            audio[name] = model.synthesize(ids, torch.from_numpy(style.copy()), noise=False).audio.numpy()
        audio["onnx int8"] = correct_onnx_audio(onnx_backend.synthesize(ids, style)[0])
        for name in names:
            distance[name] += mel_agreement(audio["torch fp32"], audio[name]).dtw_distance_db / len(SENTENCES)
            errors[name] += word_error_rate(sentence, recognise(audio[name])) / len(SENTENCES)
    for name in names:
        print(f"{name:>10}: log-mel DTW distance to torch fp32 {distance[name]:5.2f} dB, WER {errors[name]:.3f}")


def spectral_error(reference: np.ndarray, other: np.ndarray) -> tuple[float, float]:
    """STFT-magnitude cosine and RMS log-spectral distance; waveform cosine is meaningless here
    because tiny F0 differences shift the harmonic phase."""
    window = torch.hann_window(512)
    mags = [
        torch.stft(torch.from_numpy(a.copy()), 512, 128, window=window, return_complex=True).abs()
        for a in (reference, other)
    ]
    a, b = mags
    cosine = float((a * b).sum() / (a.norm() * b.norm()))
    distance = float(((20 * torch.log10(a + 1e-5) - 20 * torch.log10(b + 1e-5)) ** 2).mean().sqrt())
    return cosine, distance


if __name__ == "__main__":
    main()
