"""`kokoro eval voice`: how close a voice is to a speaker, on recordings and text it was not made from.

Three kinds of figures, for the voice and for the best stock voice (the baseline any user has):
- resemblyzer similarity of held-out text spoken by the voice to the reference recordings;
- pocketsphinx word error rate of the same audio (English only: the recogniser is English);
- F0 mean and spread in semitones (pYIN) and the mean MFCC envelope (13 coefficients without the
  energy term), each against the reference recordings.
Speaker similarity is easy to overfit when loss and metric share an encoder; the F0 spread and the
MFCC envelope are the independent check (the optimiser matches the mean pitch of its own clips).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from kokoro_tui.errors import KokoroError
from kokoro_tui.evaluation.intelligibility import Recogniser, word_error_rate
from kokoro_tui.home import DataHome
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.text.languages import is_english, language
from kokoro_tui.training.corpus import Corpus, load_corpus
from kokoro_tui.training.differentiable_speech import DifferentiableSpeech
from kokoro_tui.training.prosody_targets import semitones
from kokoro_tui.training.speaker import SpeakerEncoder, cosine
from kokoro_tui.training.stock_scan import rank, stock_embeddings
from kokoro_tui.training.voice_texts import EVAL_TEXTS
from kokoro_tui.voices.store import VoiceStore

F0_RANGE_HZ = (50.0, 500.0)
N_MFCC = 13
#: pYIN is slow (about half real time): the speaker's pitch and timbre come from this many clips
TRAIT_CLIPS = 20
#: Transcripts of the reference a non-English voice is made to speak (there are no built-in sentences)
EVAL_TRANSCRIPTS = 3


@dataclass(frozen=True)
class VoiceScores:
    voice: str
    similarity: float
    wer: float | None
    f0_mean_semitones: float
    f0_spread_semitones: float
    mfcc_distance: float


@dataclass(frozen=True)
class VoiceEvaluation:
    reference: str
    clips: int
    texts: int
    voice: VoiceScores
    best_stock: VoiceScores

    def as_dict(self) -> dict:
        return asdict(self)

    def lines(self) -> list[str]:
        def row(s: VoiceScores) -> str:
            wer = "   n/a" if s.wer is None else f"{s.wer:6.3f}"
            return (f"{s.voice:<16} {s.similarity:10.3f} {wer}  {s.f0_mean_semitones:+12.2f} "
                    f"{s.f0_spread_semitones:+13.2f} {s.mfcc_distance:13.2f}")

        return [
            f"reference: {self.reference} ({self.clips} recordings); {self.texts} held-out texts spoken",
            f"{'voice':<16} {'similarity':>10} {'   WER'}  {'F0 mean (st)':>12} {'F0 spread (st)':>13} {'MFCC distance':>13}",
            row(self.voice),
            row(self.best_stock),
            f"gain over the best stock voice: {self.voice.similarity - self.best_stock.similarity:+.3f} similarity",
        ]


@dataclass(frozen=True)
class _PitchTimbre:
    f0_mean: float
    f0_spread: float
    mfcc: np.ndarray


def _pitch_timbre(clips: Sequence[np.ndarray]) -> _PitchTimbre:
    """F0 statistics (semitones, voiced frames of all clips) and the mean MFCC envelope."""
    import librosa

    pitches, mfccs = [], []
    for clip in clips:
        f0, voiced, _ = librosa.pyin(clip, fmin=F0_RANGE_HZ[0], fmax=F0_RANGE_HZ[1], sr=SAMPLE_RATE, frame_length=2048)
        pitches.append(semitones(f0[voiced & np.isfinite(f0)]))
        mfccs.append(librosa.feature.mfcc(y=clip, sr=SAMPLE_RATE, n_mfcc=N_MFCC)[1:])
    voiced_semitones = np.concatenate(pitches) if pitches else np.zeros(0)
    mean = float(voiced_semitones.mean()) if voiced_semitones.size else float("nan")
    spread = float(voiced_semitones.std()) if voiced_semitones.size else float("nan")
    return _PitchTimbre(mean, spread, np.concatenate(mfccs, axis=1).mean(axis=1))


def _scores(
    label: str,
    audio: list[np.ndarray],
    texts: Sequence[str],
    reference: np.ndarray,
    reference_traits: _PitchTimbre,
    encoder: SpeakerEncoder,
    recogniser: Recogniser | None,
) -> VoiceScores:
    similarity = float(np.mean([cosine(encoder.embed_recording(clip, SAMPLE_RATE), reference) for clip in audio]))
    wer = None
    if recogniser is not None:
        wer = float(np.mean([word_error_rate(text, recogniser(clip)) for text, clip in zip(texts, audio)]))
    traits = _pitch_timbre(audio)
    return VoiceScores(
        label, similarity, wer,
        traits.f0_mean - reference_traits.f0_mean,
        traits.f0_spread - reference_traits.f0_spread,
        float(np.linalg.norm(traits.mfcc - reference_traits.mfcc)),
    )


def _texts(lang: str, corpus: Corpus, reference_dir: Path) -> list[str]:
    """What both voices speak: English's built-in sentences, else the first of the reference's transcripts."""
    if is_english(lang):
        return list(EVAL_TEXTS)
    texts = [u.text for u in corpus.train if u.text][:EVAL_TRANSCRIPTS]
    if not texts:
        raise KokoroError(
            f"evaluating a voice in language '{lang}' needs transcripts, and {reference_dir} has none",
            hint="give --ref a folder with a metadata file holding the text",
        )
    return texts


def evaluate_voice(
    home: DataHome,
    voice: str,
    reference_dir: Path,
    lang: str = "a",
    device: str = "auto",
    progress: Callable[[int, int], None] | None = None,
    exclude: Sequence[str] = (),
) -> VoiceEvaluation:
    """Score ``voice`` and the stock voice nearest to the speaker of ``reference_dir`` (not one of ``exclude``)."""
    report = progress or (lambda *_: None)
    lang = language(lang).code  # "en-us" is "a": the built-in sentences and the recogniser are English's
    corpus = load_corpus(reference_dir, lang)
    clips = [u.audio for u in corpus.train + corpus.validation]
    texts = _texts(lang, corpus, reference_dir)
    store = VoiceStore(home)
    pack = store.resolve(voice)
    speech = DifferentiableSpeech.from_home(home, lang, device)
    encoder = SpeakerEncoder(speech.device)
    reference = encoder.embed_recordings(clips, SAMPLE_RATE)
    stock = [v.name for v in store.list() if v.origin == "stock" and v.problem is None and v.name != voice
             and v.name not in exclude]
    nearest = rank(stock_embeddings(home, speech, encoder, stock), reference)[0].name
    steps = 2 * len(texts) + 2
    spoken: dict[str, list[np.ndarray]] = {}
    for index, (label, voice_pack) in enumerate(((voice, pack), (nearest, store.load(nearest)))):
        spoken[label] = []
        for offset, text in enumerate(texts, 1):
            spoken[label].append(speech.speak_pack(voice_pack, text))
            report(index * len(texts) + offset, steps)
    recogniser = Recogniser() if is_english(lang) else None
    reference_traits = _pitch_timbre(clips[:TRAIT_CLIPS])
    report(steps - 1, steps)
    made = _scores(voice, spoken[voice], texts, reference, reference_traits, encoder, recogniser)
    baseline = _scores(nearest, spoken[nearest], texts, reference, reference_traits, encoder, recogniser)
    report(steps, steps)
    return VoiceEvaluation(str(reference_dir), len(clips), len(texts), made, baseline)
