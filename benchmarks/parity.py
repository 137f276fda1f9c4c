"""Parity of our PyTorch model (weights imported from the int8 ONNX) with onnxruntime on that ONNX.

Usage: python benchmarks/parity.py [--home DIR | --onnx FILE --voices DIR] [--sentences N]
                                   [--no-asr] [--threads 2] [--json OUT]

Both sides get the same phoneme ids, the same style row and speed 1; ours runs with
noise=False (the export has no source noise). Per utterance we measure:
- per-token integer durations: fraction equal, fraction within ±1 frame (BOS/EOS included);
- total length ratio ours / ONNX;
- log-mel distance (mean |Δ| in dB) and correlation, after normalising both to unit RMS
  (the export's iSTFT is 1.5x louder than torch.istft) and cutting to the common length;
  once a token's duration differs the frames after it are shifted, so we also give the
  distance along the best dynamic-time-warping path (spectral content without timing);
- level facts: RMS ratio ONNX / ours away from the edges, and the peak of the export's first
  10 samples relative to the rest (its iSTFT divides them by tiny window sums);
- word error rate of each side with pocketsphinx's bundled en-us model (audio resampled to 16 kHz).

Voice row rule: hexgrad's Python pipeline, ``row = len(phonemes) - 1`` (phoneme characters
before vocab filtering). The phoneme strings below were produced once with misaki (US for
af_heart/am_adam, GB for bf_emma) from the listed sentences and are embedded so the
benchmark does not depend on the text front end.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from kokoro_tui.evaluation.intelligibility import Recogniser, word_error_rate
from kokoro_tui.evaluation.spectral import mel_agreement, rms
from kokoro_tui.text.vocab import PhonemeVocab


@dataclass(frozen=True)
class Sentence:
    words: str
    us: str
    gb: str


SENTENCES: tuple[Sentence, ...] = (
    Sentence("The quick brown fox jumps over the lazy dog.",
             "ðə kwˈɪk bɹˈWn fˈɑks ʤˈʌmps ˈOvəɹ ðə lˈAzi dˈɔɡ.",
             "ðə kwˈɪk bɹˈWn fˈɒks ʤˈʌmps ˈQvə ðə lˈAzi dˈɒɡ."),
    Sentence("Please call me when you get home tonight.",
             "plˈiz kˈɔl mˌi wˌɛn ju ɡɛt hˈOm tənˈIt.",
             "plˈiːz kˈɔːl mˌiː wˌɛn juː ɡɛt hˈQm tənˈIt."),
    Sentence("We need three more chairs for the meeting room.",
             "wˌi nˈid θɹˈi mˈɔɹ ʧˈɛɹz fɔɹ ðə mˈiTɪŋ ɹˈum.",
             "wˌiː nˈiːd θɹˈiː mˈɔː ʧˈɛːz fɔː ðə mˈiːtɪŋ ɹˈuːm."),
    Sentence("She sells fresh bread at the market every morning.",
             "ʃˌi sˈɛlz fɹˈɛʃ bɹˈɛd æt ðə mˈɑɹkət ˈɛvəɹi mˈɔɹnɪŋ.",
             "ʃˌiː sˈɛlz fɹˈɛʃ bɹˈɛd at ðə mˈɑːkɪt ˈɛvəɹi mˈɔːnɪŋ."),
    Sentence("The weather will be sunny and warm tomorrow.",
             "ðə wˈɛðəɹ wɪl bi sˈʌni ænd wˈɔɹm təmˈɑɹO.",
             "ðə wˈɛðə wɪl biː sˈʌni and wˈɔːm tʊmˈɒɹQ."),
    Sentence("Can you open the window in the kitchen?",
             "kˌæn ju ˈOpᵊn ðə wˈɪndO ɪn ðə kˈɪʧᵊn?",
             "kˌan juː ˈQpᵊn ðə wˈɪndQ ɪn ðə kˈɪʧɪn?"),
    Sentence("My brother is reading a book about old ships.",
             "mˌI bɹˈʌðəɹ ɪz ɹˈidɪŋ ɐ bˈʊk əbˈWt ˈOld ʃˈɪps.",
             "mˌI bɹˈʌðə ɪz ɹˈiːdɪŋ ɐ bˈʊk əbˈWt ˈQld ʃˈɪps."),
    Sentence("Turn left at the next street and walk two blocks.",
             "tˈɜɹn lˈɛft æt ðə nˈɛkst stɹˈit ænd wˈɔk tˈu blˈɑks.",
             "tˈɜːn lˈɛft at ðə nˈɛkst stɹˈiːt and wˈɔːk tˈuː blˈɒks."),
    Sentence("The children played in the garden after school.",
             "ðə ʧˈɪldɹᵊn plˈAd ɪn ðə ɡˈɑɹdən ˈæftəɹ skˈul.",
             "ðə ʧˈɪldɹᵊn plˈAd ɪn ðə ɡˈɑːdᵊn ˈɑːftə skˈuːl."),
    Sentence("I would like a cup of tea with milk, please.",
             "ˌI wʊd lˈIk ɐ kˈʌp ʌv tˈi wɪð mˈɪlk, plˈiz.",
             "ˌI wʊd lˈIk ɐ kˈʌp ɒv tˈiː wɪð mˈɪlk, plˈiːz."),
    Sentence("Our train leaves the station at seven in the morning.",
             "ˌWəɹ tɹˈAn lˈivz ðə stˈAʃən æt sˈɛvən ɪn ðə mˈɔɹnɪŋ.",
             "ˌWə tɹˈAn lˈiːvz ðə stˈAʃᵊn at sˈɛvᵊn ɪn ðə mˈɔːnɪŋ."),
    Sentence("He forgot his keys on the table again.",
             "hˌi fəɹɡˈɑt hɪz kˈiz ˌɔn ðə tˈAbᵊl əɡˈɛn.",
             "hˌiː fəɡˈɒt hɪz kˈiːz ˌɒn ðə tˈAbᵊl əɡˈɛn."),
)  # fmt: skip

# Voice -> which phonemisation it speaks.
VOICES: dict[str, str] = {"af_heart": "us", "am_adam": "us", "bf_emma": "gb"}


@dataclass
class Row:
    voice: str
    sentence: int
    tokens: int
    durations_equal: float
    durations_within_1: float
    length_ratio: float
    mel_distance_db: float
    mel_correlation: float
    mel_distance_dtw_db: float
    level_ratio: float
    onnx_head_peak: float
    wer_ours: float | None = None
    wer_onnx: float | None = None


def style_row(pack: np.ndarray, phonemes: str) -> np.ndarray:
    """hexgrad's Python rule: row = len(phonemes) - 1 (characters, before vocab filtering)."""
    rows = pack.reshape(-1, pack.shape[-1])
    return rows[min(max(len(phonemes) - 1, 0), rows.shape[0] - 1)]


def level_facts(ours: np.ndarray, onnx: np.ndarray, edge: int = 600) -> tuple[float, float]:
    """(RMS of ONNX / RMS of ours over [edge, -edge), peak |onnx[:10]| / peak |onnx[10:]|)."""
    return rms(onnx[edge:-edge]) / rms(ours[edge:-edge]), float(np.max(np.abs(onnx[:10])) / np.max(np.abs(onnx[10:])))


def voice_file(voices_dir: Path, name: str) -> Path:
    """The voice pack file ``name.<format>`` in ``voices_dir`` (sidecar .json files are skipped)."""
    from kokoro_tui.voices.formats import FORMATS

    for fmt in FORMATS:
        if (voices_dir / f"{name}.{fmt}").is_file():
            return voices_dir / f"{name}.{fmt}"
    raise FileNotFoundError(f"no voice pack {name} in {voices_dir}")


def load_models(onnx_path: Path, threads: int):
    """(our KokoroModel with weights imported from ``onnx_path``, OnnxKokoro on the same file)."""
    import torch

    from kokoro_tui.backends.onnx_runtime import OnnxKokoro
    from kokoro_tui.convert.onnx_import import import_onnx
    from kokoro_tui.model.checkpoint import strict_load
    from kokoro_tui.model.config import KokoroConfig
    from kokoro_tui.model.kokoro import KokoroModel

    torch.set_num_threads(threads)
    model = KokoroModel(KokoroConfig.default())
    strict_load(model, import_onnx(onnx_path).state)
    return model.eval(), OnnxKokoro(onnx_path, threads=threads)


def compare(model, backend, sentence: Sentence, voice: str, pack: np.ndarray, recogniser: Recogniser | None, index: int) -> Row:
    import torch

    phonemes = sentence.us if VOICES[voice] == "us" else sentence.gb
    ids = PhonemeVocab(model.config.vocab).encode(phonemes).ids
    style = style_row(pack, phonemes)
    ours = model.synthesize(ids, torch.from_numpy(style), noise=False)
    ours_audio, ours_durations = ours.audio.float().cpu().numpy(), ours.durations.cpu().numpy()
    onnx_audio, onnx_durations = backend.synthesize(ids, style)
    difference = np.abs(ours_durations - onnx_durations)
    distance, correlation, warped = mel_agreement(ours_audio, onnx_audio)
    level_ratio, head_peak = level_facts(ours_audio, onnx_audio)
    row = Row(
        voice=voice,
        sentence=index,
        tokens=len(ids),
        durations_equal=float(np.mean(difference == 0)),
        durations_within_1=float(np.mean(difference <= 1)),
        length_ratio=ours_audio.size / onnx_audio.size,
        mel_distance_db=distance,
        mel_correlation=correlation,
        mel_distance_dtw_db=warped,
        level_ratio=level_ratio,
        onnx_head_peak=head_peak,
    )
    if recogniser is not None:
        row.wer_ours = word_error_rate(sentence.words, recogniser(ours_audio))
        row.wer_onnx = word_error_rate(sentence.words, recogniser(onnx_audio))
    return row


def run(onnx_path: Path, voices_dir: Path, sentences: int, asr: bool, threads: int) -> list[Row]:
    from kokoro_tui.voices.formats import read_voice_file

    model, backend = load_models(onnx_path, threads)
    recogniser = Recogniser() if asr else None
    rows = []
    for voice in VOICES:
        pack = read_voice_file(voice_file(voices_dir, voice))
        for index, sentence in enumerate(SENTENCES[:sentences]):
            rows.append(compare(model, backend, sentence, voice, pack, recogniser, index))
    return rows


def summary(rows: list[Row]) -> dict[str, float]:
    def mean(field: str) -> float:
        values = [getattr(r, field) for r in rows if getattr(r, field) is not None]
        return statistics.fmean(values) if values else float("nan")

    tokens = sum(r.tokens + 2 for r in rows)
    return {
        "utterances": len(rows),
        "durations_equal": sum(r.durations_equal * (r.tokens + 2) for r in rows) / tokens,
        "durations_within_1": sum(r.durations_within_1 * (r.tokens + 2) for r in rows) / tokens,
        "length_ratio_min": min(r.length_ratio for r in rows),
        "length_ratio_max": max(r.length_ratio for r in rows),
        "mel_distance_db": mean("mel_distance_db"),
        "mel_correlation": mean("mel_correlation"),
        "mel_correlation_min": min(r.mel_correlation for r in rows),
        "mel_distance_dtw_db": mean("mel_distance_dtw_db"),
        "level_ratio": mean("level_ratio"),
        "onnx_head_peak_max": max(r.onnx_head_peak for r in rows),
        "wer_ours": mean("wer_ours"),
        "wer_onnx": mean("wer_onnx"),
    }


def _markdown(rows: list[Row]) -> str:
    lines = [
        "| voice | # | tokens | dur = | dur ±1 | length ratio | log-mel Δ dB | log-mel r | DTW Δ dB | level ONNX/ours | WER ours | WER onnx |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        wer = (f"{r.wer_ours:.2f} | {r.wer_onnx:.2f}") if r.wer_ours is not None else "– | –"
        lines.append(
            f"| {r.voice} | {r.sentence} | {r.tokens} | {r.durations_equal:.3f} | {r.durations_within_1:.3f} | "
            f"{r.length_ratio:.4f} | {r.mel_distance_db:.2f} | {r.mel_correlation:.4f} | {r.mel_distance_dtw_db:.2f} | {r.level_ratio:.3f} | {wer} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, help="data home holding the ONNX and the voices")
    parser.add_argument("--onnx", type=Path, help="the int8 ONNX (default: the data home's)")
    parser.add_argument("--voices", type=Path, help="directory with af_heart, am_adam, bf_emma (default: the data home's)")
    parser.add_argument("--sentences", type=int, default=len(SENTENCES))
    parser.add_argument("--no-asr", action="store_true", help="skip the pocketsphinx word error rates")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write rows and summary here")
    args = parser.parse_args()

    from kokoro_tui.assets.manifest import ONNX_NAME, model_dir
    from kokoro_tui.home import resolve_home

    home = resolve_home(args.home)
    onnx_path = args.onnx or model_dir(home) / ONNX_NAME
    voices_dir = args.voices or home.voices
    started = time.perf_counter()
    rows = run(onnx_path, voices_dir, args.sentences, not args.no_asr, args.threads)
    totals = summary(rows)
    print(_markdown(rows))
    print()
    print(json.dumps(totals, indent=2))
    print(f"took {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({"rows": [asdict(r) for r in rows], "summary": totals}, indent=2))


if __name__ == "__main__":
    main()
