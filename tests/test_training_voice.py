"""Voice creation: the voice space, the descent loop and its checkpoints on a tiny random model;
the command's errors; and one real leave-one-voice-out run at a reduced budget."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import torch
from typer.testing import CliRunner

from kokoro_tui.cli.main import app
from kokoro_tui.model.config import SAMPLE_RATE, KokoroConfig
from kokoro_tui.model.kokoro import KokoroModel
from kokoro_tui.text.frontend import TextFrontend
from kokoro_tui.text.vocab import PhonemeVocab
from kokoro_tui.training.differentiable_speech import DifferentiableSpeech
from kokoro_tui.training.prosody_targets import VOICED_HZ, semitones
from kokoro_tui.training.runlog import read_run_log
from kokoro_tui.training.speaker import SpeakerEncoder, cosine
from kokoro_tui.training.voice_fit import FitSettings, fit_voice, pitch_error
from kokoro_tui.training.voice_space import OFFSET_UNIT, PACK_ROWS, StockBasis, VoiceParameters
from kokoro_tui.training.voice_target import SpeakerTarget, mean_pitch
from kokoro_tui.training.voice_texts import CHECK_TEXTS, EVAL_TEXTS, STEP_TEXTS

TEXTS = ["Hi there.", "Good day."]


class PhonemesAsText:
    """A G2P that returns its input: the tiny model's tests give phonemes directly, with no spaCy to load."""

    def __call__(self, text: str) -> str:
        return text


def tiny_speech() -> DifferentiableSpeech:
    torch.manual_seed(0)
    model = KokoroModel(KokoroConfig.tiny())
    with torch.no_grad():
        model.predictor.F0_proj.bias.fill_(150.0)
    frontend = TextFrontend("a")
    frontend.phonemize = lambda text: "hˈaɪ ðˈɛɹ." if text == TEXTS[0] else "ɡʊd dˈeɪ."  # type: ignore[method-assign]
    return DifferentiableSpeech(model, frontend, PhonemeVocab.default())


def tiny_basis(width: int) -> StockBasis:
    rng = np.random.default_rng(1)
    packs = {f"v{i}": rng.normal(0, 0.3, (PACK_ROWS, 1, width)).astype(np.float32) for i in range(4)}
    return StockBasis.from_packs(packs, ["v0", "v1", "v2"])


def target_for(speech: DifferentiableSpeech, encoder: SpeakerEncoder, width: int) -> SpeakerTarget:
    """The target is another random style's audio, so the loop has somewhere to go."""
    torch.manual_seed(5)
    row = torch.randn(width) * 0.3
    audio = speech.speak(row, speech.ids(TEXTS[0]), grad=False).numpy()
    embedding = encoder.embed_recording(audio, SAMPLE_RATE)
    from kokoro_tui.training.voice_target import spectral_envelope

    envelope = spectral_envelope(torch.from_numpy(audio)).numpy()
    return SpeakerTarget(embedding, envelope, embedding, 1, 1)


def test_step_sentences_are_many_and_never_the_ones_that_score_the_voice() -> None:
    """The check and the evaluation judge text the optimiser never spoke, and a default run hears each step
    sentence at most three times (with four sentences, ten times each, the voices fitted those sentences)."""
    assert not set(STEP_TEXTS) & (set(CHECK_TEXTS) | set(EVAL_TEXTS))
    assert len(set(STEP_TEXTS)) == len(STEP_TEXTS)
    assert -(-FitSettings().steps // len(STEP_TEXTS)) <= 3


def test_voice_space_keeps_the_packs_length_dependence_and_starts_at_the_blend() -> None:
    basis = tiny_basis(8)
    parameters = VoiceParameters(basis, [0.5, 0.25, 0.25])
    expected = 0.5 * basis.packs[0] + 0.25 * basis.packs[1] + 0.25 * basis.packs[2]
    assert parameters.pack().shape == (PACK_ROWS, 1, 8)
    np.testing.assert_allclose(parameters.pack()[:, 0], expected, atol=1e-5)
    np.testing.assert_allclose(parameters.row(10).detach().numpy(), expected[9], atol=1e-5)
    assert float(parameters.penalty().detach()) == 0.0
    assert list(parameters.recipe()) == ["v0", "v1", "v2"]


def test_the_offset_reaches_every_timbre_axis_in_one_unit_and_leaves_prosody_alone() -> None:
    """The stock timbres fill few axes of the timbre half; a left-out voice lies off their span. The offset
    therefore covers the whole timbre half, one unit per axis whatever the stock spread along it (counted in
    spreads, the low-spread axes were out of reach: benchmarks/voice_cloning.md, session 25)."""
    width = 16
    rng = np.random.default_rng(2)
    # stock packs whose timbre halves vary along two axes only
    axes = np.linalg.qr(rng.normal(size=(width // 2, 2)))[0].T
    packs = {}
    for i in range(5):
        rows = rng.normal(0, 0.2, (PACK_ROWS, width)).astype(np.float32)
        rows[:, : width // 2] = rng.normal(0, 0.3, 2) @ axes
        packs[f"v{i}"] = rows.reshape(PACK_ROWS, 1, width)
    basis = StockBasis.from_packs(packs, ["v0", "v1"])
    assert basis.directions.shape == (width // 2, width)
    np.testing.assert_allclose(basis.directions @ basis.directions.T, np.eye(width // 2), atol=1e-5)
    np.testing.assert_array_equal(basis.directions[:, width // 2 :], 0.0)
    parameters = VoiceParameters(basis)
    with torch.no_grad():
        parameters.coefficients[-1] = 1.0  # an axis along which no stock voice varies
    moved = parameters.pack()[0, 0] - VoiceParameters(basis).pack()[0, 0]
    np.testing.assert_allclose(np.linalg.norm(moved), OFFSET_UNIT, rtol=1e-4)
    np.testing.assert_allclose(moved[width // 2 :], 0.0, atol=1e-7)
    np.testing.assert_allclose(axes @ moved[: width // 2], 0.0, atol=1e-6)  # off the stock span


def test_a_blend_starts_from_voices_of_the_speakers_language_when_there_are_enough() -> None:
    """Ranked by timbre alone, French and Hindi packs took most of an English speaker's blend and her WER
    rose by six words in 156 (benchmarks/voice_cloning.md, session 25)."""
    from kokoro_tui.training.stock_scan import Ranked
    from kokoro_tui.training.voice_job import BASIS_SIZE, blend_candidates

    names = ["ff_siwis", "hf_alpha", "af_kore", "bf_emma", "zf_xiaoni", *[f"af_v{i}" for i in range(BASIS_SIZE)]]
    ranked = [Ranked(name, 0.9 - 0.01 * index) for index, name in enumerate(names)]
    english = blend_candidates(ranked, "a")
    assert [item.name for item in english[:3]] == ["af_kore", "bf_emma", "af_v0"]
    assert all(item.name[0] in "ab" for item in english)
    assert [item.name for item in blend_candidates(ranked, "b")] == [item.name for item in english]
    assert blend_candidates(ranked, "f") == ranked  # one French voice: too few to blend, so all
    assert blend_candidates(ranked, "r") == ranked  # no Russian stock voice


def test_the_stock_scan_cache_keeps_each_languages_embeddings_apart(tmp_home, tiny_voice) -> None:
    """Stock voices read the scan text through the caller's front end: a Russian run's embeddings were
    served to a later Japanese run (and the other way round), so the first language decided the ranking."""
    from types import SimpleNamespace

    from kokoro_tui.training.stock_scan import stock_embeddings
    from kokoro_tui.voices.store import VoiceStore

    VoiceStore(tmp_home).save("af_heart", tiny_voice, "stock")
    spoken: list[str] = []

    def speech(lang: str) -> SimpleNamespace:
        def speak_pack(pack: np.ndarray, text: str) -> np.ndarray:
            spoken.append(lang)
            return np.full(4, float(ord(lang)), np.float32)

        return SimpleNamespace(frontend=SimpleNamespace(lang=lang), rate=SAMPLE_RATE, speak_pack=speak_pack)

    encoder = SimpleNamespace(embed_recording=lambda audio, rate: np.array([audio[0], 1.0], np.float32))
    russian = stock_embeddings(tmp_home, speech("r"), encoder, ["af_heart"])["af_heart"]
    japanese = stock_embeddings(tmp_home, speech("j"), encoder, ["af_heart"])["af_heart"]
    again = stock_embeddings(tmp_home, speech("r"), encoder, ["af_heart"])["af_heart"]
    assert russian[0] == ord("r") and japanese[0] == ord("j") and np.array_equal(again, russian)
    assert spoken == ["r", "j"]  # the second Russian scan came from the cache


def test_the_differentiable_embedding_matches_resemblyzers_own() -> None:
    """Same weights, same mel, same partial windows: the loss's embedding is resemblyzer's computation
    (voice activity trimming aside, which the differentiable path leaves out on purpose)."""
    import librosa
    from resemblyzer.audio import normalize_volume

    encoder = SpeakerEncoder()
    rng = np.random.default_rng(0)
    t = np.arange(int(2.5 * SAMPLE_RATE)) / SAMPLE_RATE
    pitch = 120 + 30 * np.sin(2 * np.pi * 0.7 * t)
    voiced = np.sin(2 * np.pi * np.cumsum(pitch) / SAMPLE_RATE) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))
    audio = (0.3 * voiced + 0.01 * rng.normal(size=t.size)).astype(np.float32)
    wav = normalize_volume(librosa.resample(audio, orig_sr=SAMPLE_RATE, target_sr=16_000), -30, increase_only=True)
    official = encoder.network.embed_utterance(wav)
    ours = encoder.embed_audio(torch.from_numpy(audio)).detach().numpy()
    assert cosine(official, ours) > 0.999


def test_descent_moves_the_voice_and_logs_each_step(tmp_path: Path) -> None:
    from kokoro_tui.training.runlog import RunLogWriter

    speech, encoder = tiny_speech(), SpeakerEncoder()
    width = speech.model.config.style_size
    parameters = VoiceParameters(tiny_basis(width))
    target = target_for(speech, encoder, width)
    with RunLogWriter(tmp_path / "log.jsonl") as log:
        result = fit_voice(speech, encoder, parameters, target, TEXTS, TEXTS[:1], FitSettings(steps=4, check_every=2),
                           log=log)
    kinds = [record.kind for record in read_run_log(tmp_path / "log.jsonl")]
    assert kinds.count("step") == 4 and kinds.count("eval") == 3  # the start, step 2, step 4
    assert float(parameters.coefficients.abs().sum()) > 0
    assert [row["step"] for row in result.history] == [1, 2, 3, 4]
    assert result.pack.shape == (PACK_ROWS, 1, width) and np.isfinite(result.pack).all()


def test_the_pitch_term_pulls_the_predicted_pitch_towards_the_speakers() -> None:
    from dataclasses import replace

    speech, encoder = tiny_speech(), SpeakerEncoder()
    with torch.no_grad():  # the tiny model's pitch barely depends on the style: make it audible
        speech.model.predictor.F0_proj.weight.mul_(100.0)
    width = speech.model.config.style_size
    parameters = VoiceParameters(tiny_basis(width))
    ids = speech.ids(TEXTS[0])
    with torch.no_grad():
        _, f0 = speech.speak_with_pitch(parameters.row(len(ids)), ids)
    start = float(semitones(f0[f0 > VOICED_HZ]).mean())
    target = replace(target_for(speech, encoder, width), pitch=start + 1.0)
    settings = FitSettings(steps=8, check_every=8, pitch_weight=1.0, envelope_weight=0.0, offset_weight=0.0,
                           blend_lr=1.0)

    def final_error(pitch_weight: float) -> float:
        fit = fit_voice(speech, encoder, VoiceParameters(tiny_basis(width)), target, TEXTS[:1], TEXTS[:1],
                        replace(settings, pitch_weight=pitch_weight))
        errors = [row["pitch_st"] for row in fit.history]
        assert errors[0] == pytest.approx(-1.0, abs=1e-3)
        return errors[-1]

    # From 1 semitone under the speaker, 8 steps; the tiny model cannot follow all the way (it stops near
    # 0.6 however long it runs) and without the term the similarity alone pushes the pitch further away.
    pulled, unpulled = final_error(1.0), final_error(0.0)
    assert abs(pulled) < 0.8
    assert abs(pulled) < abs(unpulled) - 0.5


def test_mean_pitch_of_recordings_is_their_voiced_f0_in_semitones() -> None:
    seconds = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    tone = 0.3 * np.sin(2 * np.pi * 220.0 * seconds).astype(np.float32)
    silence = np.zeros(SAMPLE_RATE // 2, np.float32)
    assert mean_pitch([np.concatenate([silence, tone])]) == pytest.approx(float(semitones(np.float64(220.0))), abs=0.2)
    assert np.isnan(mean_pitch([silence]))
    assert float(pitch_error(torch.tensor([5.0, 5.0]), 12.0)) == 0.0  # nothing voiced: no pitch term
    assert float(pitch_error(torch.tensor([200.0, 5.0]), float("nan"))) == 0.0  # no target pitch


def test_resume_reaches_what_an_unbroken_run_reaches(tmp_path: Path) -> None:
    speech, encoder = tiny_speech(), SpeakerEncoder()
    width = speech.model.config.style_size
    target = target_for(speech, encoder, width)

    def run(steps: int, checkpoint: Path | None) -> VoiceParameters:
        parameters = VoiceParameters(tiny_basis(width))
        fit_voice(speech, encoder, parameters, target, TEXTS, TEXTS[:1], FitSettings(steps=steps, check_every=1),
                  checkpoint=checkpoint)
        return parameters

    straight = run(2, None)
    checkpoint = tmp_path / "checkpoint.pt"
    run(1, checkpoint)
    resumed = run(2, checkpoint)
    torch.testing.assert_close(resumed.coefficients, straight.coefficients, rtol=0, atol=1e-6)
    torch.testing.assert_close(resumed.logits, straight.logits, rtol=0, atol=1e-6)


def test_a_damaged_checkpoint_is_one_clear_error(tmp_path: Path) -> None:
    from kokoro_tui.errors import KokoroError

    speech, encoder = tiny_speech(), SpeakerEncoder()
    width = speech.model.config.style_size
    checkpoint = tmp_path / "checkpoint.pt"
    checkpoint.write_bytes(b"not a checkpoint")
    with pytest.raises(KokoroError, match="cannot resume"):
        fit_voice(speech, encoder, VoiceParameters(tiny_basis(width)), target_for(speech, encoder, width), TEXTS,
                  TEXTS[:1], FitSettings(steps=2), checkpoint=checkpoint)


def test_a_voice_pack_is_not_taken_for_a_checkpoint(tmp_path: Path) -> None:
    from kokoro_tui.errors import KokoroError
    from kokoro_tui.training.voice_checkpoint import load_checkpoint
    from kokoro_tui.training.voice_fit import FitState

    path = tmp_path / "checkpoint.pt"
    torch.save(torch.zeros(510, 1, 256), path)
    parameters = torch.nn.Linear(2, 2)
    with pytest.raises(KokoroError) as raised:
        load_checkpoint(path, parameters, torch.optim.Adam(parameters.parameters()), FitState)
    assert str(raised.value) == f"{path} is not a kokoro training checkpoint"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--data", "{missing}", "--name", "x"], "no such folder"),
        (["--data", "{empty}", "--name", "x"], "no speech corpus"),
        (["--data", "{good}", "--name", "Bad Name"], "name"),
        (["--data", "{good}", "--name", "x", "--method", "magic"], "unknown method"),
        (["--data", "{good}", "--name", "x", "--steps", "0"], "at least 1"),
        (["--data", "{good}", "--name", "x", "--lang", "xx"], "unknown language code"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_home, tmp_path: Path, arguments: list[str], message: str) -> None:
    good = tmp_path / "good"
    good.mkdir()
    sf.write(good / "a.wav", np.zeros(SAMPLE_RATE, dtype=np.float32), SAMPLE_RATE)
    (tmp_path / "empty").mkdir()
    paths = {"missing": tmp_path / "nope", "empty": tmp_path / "empty", "good": good}
    result = CliRunner().invoke(app, ["train", "voice", *[a.format(**paths) for a in arguments]])
    assert result.exit_code == 2, result.output
    assert message in result.output.lower() and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) <= 2


def test_evaluating_in_another_language_without_transcripts_is_one_line(tmp_home, tmp_path: Path, assert_user_error) -> None:
    """A plain folder has no text for a French voice to speak: an empty list reached np.concatenate."""
    folder = tmp_path / "plain"
    folder.mkdir()
    seconds = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    sf.write(folder / "a.wav", (0.3 * np.sin(2 * np.pi * 220 * seconds)).astype(np.float32), SAMPLE_RATE)
    result = CliRunner().invoke(app, ["eval", "voice", "af_heart", "--ref", str(folder), "--lang", "f"])
    assert_user_error(result, f"evaluating a voice in language 'f' needs transcripts, and {folder} has none")


def test_resume_without_a_checkpoint_keeps_an_existing_voice(tmp_home, tmp_path: Path, tiny_voice) -> None:
    """--resume with no checkpoint starts afresh: it used to replace a voice of the same name at the end."""
    from kokoro_tui.errors import KokoroError
    from kokoro_tui.training.voice_job import VoiceJob, make_voice
    from kokoro_tui.voices.store import VoiceStore

    VoiceStore(tmp_home).save("alice", tiny_voice, "trained")
    with pytest.raises(KokoroError, match="voice named 'alice' already exists and .* holds no checkpoint to resume"):
        make_voice(tmp_home, VoiceJob(data=tmp_path / "unread", name="alice", resume=True, device="cpu"))
    assert np.array_equal(VoiceStore(tmp_home).load("alice"), tiny_voice)


def test_a_resume_with_other_recordings_or_settings_is_refused(tmp_home, tmp_path: Path) -> None:
    """The checkpoint's best voice was scored against the first run's recordings; going on with other ones
    (or another seed, language or left-out voices) kept it silently. A walk keeps no checkpoint at all."""
    from kokoro_tui.errors import KokoroError
    from kokoro_tui.training.voice_job import CHECKPOINT_NAME, VoiceJob, _prepare_run_dir, make_voice, run_dir

    first = VoiceJob(data=tmp_path / "alice-recordings", name="alice", device="cpu")
    directory = run_dir(tmp_home, "alice")
    _prepare_run_dir(directory, first)
    (directory / CHECKPOINT_NAME).write_bytes(b"a checkpoint")
    for changed, named in (({"seed": 1}, "seed"), ({"data": tmp_path / "bob"}, "data"), ({"exclude": ("af_bella",)}, "exclude")):
        again = VoiceJob(**{**first.__dict__, **changed, "resume": True})
        with pytest.raises(KokoroError, match=f"cannot resume the run in .*: it was started with other {named} \\("):
            make_voice(tmp_home, again)
    with pytest.raises(KokoroError, match="a walk keeps none"):
        make_voice(tmp_home, VoiceJob(**{**first.__dict__, "method": "walk", "resume": True}))
    with pytest.raises(KokoroError, match="a run for 'alice' with a checkpoint is in"):
        make_voice(tmp_home, first)


def test_a_failed_run_logs_the_last_step_it_did(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The end record's step is the last step done (docs/run-log.md); it said 0 for a failed or stopped run."""
    from tiny_models import tiny_home, tiny_kokoro

    from kokoro_tui.home import ENV_VAR
    from kokoro_tui.training.espeak_corpus import RUSSIAN_SENTENCES, build_espeak_corpus
    from kokoro_tui.training.voice_job import VoiceJob, make_voice, run_dir

    home = tiny_home(tmp_path / "home", tiny_kokoro())
    monkeypatch.setenv(ENV_VAR, str(home.root))
    corpus = build_espeak_corpus(tmp_path / "ru", RUSSIAN_SENTENCES[:3])

    def fail_after_two(stage: str, done: int, total: int, figures: dict[str, float]) -> None:
        if stage == "fit" and done == 2:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        make_voice(home, VoiceJob(data=corpus, name="ru-voice", lang="r", steps=4, device="cpu"), fail_after_two)
    end = read_run_log(run_dir(home, "ru-voice") / "log.jsonl")[-1]
    assert (end.kind, end.status, end.step, end.message) == ("end", "failed", 2, "disk full")


@pytest.mark.real
def test_leave_one_voice_out_improves_on_its_start_blend(real_home, tmp_path: Path) -> None:
    """af_bella speaks four sentences; without af_bella in the basis, ten descent steps beat the start blend
    on the held-out sentence.

    The run's home shares the real model and scan cache but has its own copy of the voices, so the
    made voice never shows up in other tests' listings; the basis is the American voices, to keep it short.
    """
    import shutil

    from kokoro_tui.home import DataHome
    from kokoro_tui.training.voice_job import VoiceJob, make_voice
    from kokoro_tui.voices.store import VoiceStore

    home = DataHome(tmp_path / "home")
    home.root.mkdir()
    real_home.cache.mkdir(parents=True, exist_ok=True)
    (home.root / real_home.models.name).symlink_to(real_home.models)
    (home.root / real_home.cache.name).symlink_to(real_home.cache)
    shutil.copytree(real_home.voices, home.voices)
    speech = DifferentiableSpeech.from_home(home, "a", "cpu")
    pack = VoiceStore(home).load("af_bella")
    data = tmp_path / "bella"
    (data / "train").mkdir(parents=True)
    (data / "validation").mkdir()
    lines = {
        "train": ["Under the bridge, the fishermen mended their nets and sang quietly.",
                  "The children laughed as the puppy chased its tail around the kitchen.",
                  "Turn left at the bakery, then walk straight until you reach the park."],
        "validation": ["She opened the window and listened to the rain falling on the roof."],
    }
    for split, texts in lines.items():
        rows = []
        for index, text in enumerate(texts):
            sf.write(data / split / f"{index}.wav", speech.speak_pack(pack, text), SAMPLE_RATE)
            rows.append(json.dumps({"file_name": f"{index}.wav", "text": text}) + "\n")
        (data / split / "metadata.jsonl").write_text("".join(rows))
    del speech
    others = tuple(name for name in VoiceStore(home).names() if not name.startswith(("af_", "am_")))
    job = VoiceJob(data=data, name="loo-bella", steps=10, exclude=("af_bella", *others), device="cpu")
    result = make_voice(home, job)
    assert result.check_similarity > result.start_similarity + 0.005  # held-out text and clip (+0.011 measured)
    history = json.loads((result.run_dir / "history.json").read_text())
    first, last = (np.mean([row["similarity"] for row in part]) for part in (history[:3], history[-3:]))
    assert last > first + 0.02  # and on the fitting clips, which the descent optimises directly
    assert result.best_stock.name != "af_bella"
    saved = VoiceStore(home).info("loo-bella")
    assert saved.origin == "trained" and saved.recipe["metrics"]["check_similarity"] == round(result.check_similarity, 4)
    assert len(result.samples) == 3 and all(sf.info(p).samplerate == SAMPLE_RATE for p in result.samples)
    assert (result.run_dir / "checkpoint.pt").exists()
