"""The speech-corpus reader: each layout, each reason a recording is left out, resampling and trimming."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile

from kokoro_tui.audio.resample import resample
from kokoro_tui.audio.trim import TRIM_MARGIN_SECONDS, trim_silence
from kokoro_tui.errors import KokoroError
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.training import corpus_audio
from kokoro_tui.training.corpus import Corpus, CorpusProblem, load_corpus
from kokoro_tui.training.corpus_audio import LONGEST_SECONDS

RNG = np.random.default_rng(7)


def tone(seconds: float, rate: int, hz: float = 220.0, amplitude: float = 0.3) -> np.ndarray:
    """A steady vowel stand-in: a sine with a little noise, so it is neither silent nor clipped."""
    t = np.arange(round(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * hz * t) + 0.01 * RNG.standard_normal(t.size)).astype(np.float32)


def silence(seconds: float, rate: int) -> np.ndarray:
    """Room tone at -80 dBFS."""
    return (1e-4 * RNG.standard_normal(round(seconds * rate))).astype(np.float32)


def write(path: Path, audio: np.ndarray, rate: int = 16_000) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(path, audio, rate)
    return path


def take(path: Path, seconds: float = 1.0, rate: int = 16_000) -> Path:
    """A usable recording: speech-like sound between short silences."""
    return write(path, np.concatenate([silence(0.2, rate), tone(seconds, rate), silence(0.2, rate)]), rate)


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")


# layouts


def test_jsonl_with_train_and_validation_splits(tmp_path):
    take(tmp_path / "train" / "a.wav", 1.0, 16_000)
    stereo = np.stack([tone(1.2, 44_100, amplitude=0.6), np.zeros(round(1.2 * 44_100), np.float32)], axis=1)
    write(tmp_path / "train" / "sub" / "b.wav", stereo, 44_100)
    take(tmp_path / "validation" / "c.wav", 0.8)
    write_jsonl(tmp_path / "train" / "metadata.jsonl", [
        {"file_name": "a.wav", "text": "First take."},
        {"file_name": "sub/b.wav", "text": "  Second take.  "},
    ])
    write_jsonl(tmp_path / "validation" / "metadata.jsonl", [{"file_name": "c.wav", "text": "Held out."}])

    corpus = load_corpus(tmp_path)

    assert corpus.layout == "jsonl"
    assert [(u.id, u.text) for u in corpus.train] == [("train/a", "First take."), ("train/sub/b", "Second take.")]
    assert [u.id for u in corpus.validation] == ["validation/c"]
    assert corpus.problems == []
    for utterance in corpus.train + corpus.validation:
        assert utterance.audio.dtype == np.float32 and utterance.audio.ndim == 1
    stereo_take = corpus.train[1]
    assert stereo_take.path == tmp_path / "train" / "sub" / "b.wav"
    assert np.abs(stereo_take.audio).max() == pytest.approx(0.3, abs=0.05)  # the two channels averaged
    assert stereo_take.seconds == pytest.approx(1.2, abs=2 * TRIM_MARGIN_SECONDS)
    assert corpus.seconds == pytest.approx(sum(u.seconds for u in corpus.train))


def test_the_same_file_name_in_both_splits_is_two_recordings(tmp_path):
    """Ids were relative to each split's folder: both were `audio/0001`, and fine-tuning dropped the training copy."""
    for split in ("train", "validation"):
        take(tmp_path / split / "audio" / "0001.wav")
        write_jsonl(tmp_path / split / "metadata.jsonl", [{"file_name": "audio/0001.wav", "text": split}])
    corpus = load_corpus(tmp_path)
    assert [u.id for u in corpus.train] == ["train/audio/0001"]
    assert [u.id for u in corpus.validation] == ["validation/audio/0001"]


def test_top_level_jsonl_prefers_the_stress_marked_text(tmp_path):
    take(tmp_path / "001.wav")
    write_jsonl(tmp_path / "metadata.jsonl", [
        {"file_name": "001.wav", "text": "hello", "text_with_stress_marks": "h+ello", "duration_s": 1.4},
    ])
    corpus = load_corpus(tmp_path)
    assert corpus.layout == "jsonl" and corpus.validation == []
    assert [(u.id, u.text) for u in corpus.train] == [("001", "h+ello")]


def test_ljspeech_reads_the_normalized_column_when_there_is_one(tmp_path):
    take(tmp_path / "wavs" / "LJ001-0001.wav")
    take(tmp_path / "wavs" / "LJ001-0002.wav")
    (tmp_path / "metadata.csv").write_text(
        'LJ001-0001|It costs $5 "today".|It costs five dollars "today".\nLJ001-0002|Just the text.\n', encoding="utf-8"
    )
    corpus = load_corpus(tmp_path)
    assert corpus.layout == "ljspeech"
    assert [(u.id, u.text) for u in corpus.train] == [
        ("LJ001-0001", 'It costs five dollars "today".'),
        ("LJ001-0002", "Just the text."),
    ]


def test_ruslan_reads_only_the_stress_marked_table(tmp_path):
    for name in ("000001_RUSLAN", "000002_RUSLAN"):
        take(tmp_path / "wavs" / f"{name}.wav")
    (tmp_path / "metadata_RU_NSH.csv").write_text("000001_RUSLAN|s+ame w+ords\n000002_RUSLAN|m+ore\n", encoding="utf-8")
    (tmp_path / "metadata_plain.csv").write_text("000001_RUSLAN|same words\n000002_RUSLAN|more\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.layout == "ruslan"
    assert [(u.id, u.text) for u in corpus.train] == [("000001_RUSLAN", "s+ame w+ords"), ("000002_RUSLAN", "m+ore")]


def test_a_plain_folder_of_audio_has_no_text(tmp_path):
    take(tmp_path / "b.flac")
    take(tmp_path / "a.wav")
    take(tmp_path / "more" / "c.ogg", rate=22_050)
    take(tmp_path / "more" / "d.mp3", rate=48_000)
    (tmp_path / "notes.txt").write_text("not audio", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.layout == "folder"
    assert [(u.id, u.text) for u in corpus.train] == [("a", None), ("b", None), ("more/c", None), ("more/d", None)]


def test_require_text_refuses_a_folder_without_transcripts(tmp_path):
    take(tmp_path / "a.wav")
    with pytest.raises(KokoroError, match="no transcripts"):
        load_corpus(tmp_path, require_text=True)


def test_a_folder_matching_no_layout_names_the_folder_and_what_was_expected(tmp_path):
    (tmp_path / "readme.txt").write_text("nothing to hear", encoding="utf-8")
    with pytest.raises(KokoroError) as raised:
        load_corpus(tmp_path)
    message = str(raised.value)
    assert str(tmp_path) in message and "metadata.jsonl" in message and "metadata.csv" in message
    assert "\n" not in message
    with pytest.raises(KokoroError, match="no such folder"):
        load_corpus(tmp_path / "absent")


def test_an_unknown_language_is_refused(tmp_path):
    take(tmp_path / "a.wav")
    with pytest.raises(KokoroError, match="unknown language code 'x'"):
        load_corpus(tmp_path, lang="x")


# problems


@pytest.fixture(scope="module")
def flawed(tmp_path_factory) -> tuple[Path, Corpus]:
    """One jsonl corpus holding one good take and one of every flaw."""
    root = tmp_path_factory.mktemp("flawed")
    take(root / "good.wav")
    take(root / "cyrillic.wav")
    take(root / "empty_text.wav")
    write(root / "short.wav", np.concatenate([silence(1.0, 16_000), tone(0.2, 16_000), silence(1.0, 16_000)]))
    write(root / "long.wav", tone(LONGEST_SECONDS + 1, 16_000))
    write(root / "clipped.wav", np.clip(4 * tone(1.0, 16_000), -1, 1))
    write(root / "silent.wav", silence(1.0, 16_000))
    write(root / "zeros.wav", np.zeros(16_000, np.float32))
    (root / "garbage.wav").write_bytes(b"definitely not a RIFF header" * 20)
    (root / "truncated.wav").write_bytes(take(root / "whole.wav").read_bytes()[:30])
    records = [{"file_name": f"{name}.wav", "text": "Some words."} for name in (
        "good", "short", "long", "clipped", "silent", "zeros", "garbage", "truncated", "absent",
    )]
    records += [
        {"file_name": "cyrillic.wav", "text": "Some Привет words."},
        {"file_name": "empty_text.wav", "text": "  "},
        {"file_name": "good.wav", "text": "Some words again."},
    ]
    write_jsonl(root / "metadata.jsonl", records)
    with (root / "metadata.jsonl").open("a", encoding="utf-8") as metadata:
        metadata.write("{not json\n")
    return root, load_corpus(root)


@pytest.mark.parametrize(
    ("file", "reason"),
    [
        ("short.wav", "too short: 0.30 s after trimming silence (at least 0.5 s)"),
        ("long.wav", f"too long: {LONGEST_SECONDS + 1:.1f} s after trimming silence (at most 30 s; fine-tuning cannot"),
        ("clipped.wav", "clipped: "),
        ("silent.wav", "silent: peak -"),
        ("zeros.wav", "silent: every sample is zero"),
        ("garbage.wav", "unreadable: Format not recognised."),
        ("truncated.wav", "unreadable: "),
        ("absent.wav", "missing: listed on line 9 of metadata.jsonl"),
        ("cyrillic.wav", "transcript has Cyrillic letters, which American English cannot read"),
        ("empty_text.wav", "empty transcript"),
        ("good.wav", "listed again on line 12 of metadata.jsonl (line 1 kept)"),
        ("metadata.jsonl", "line 13: not a JSON object with a file_name"),
    ],
)
def test_each_flawed_file_is_named_with_its_reason(flawed, file, reason):
    root, corpus = flawed
    found = [problem.reason for problem in corpus.problems if problem.file == root / file]
    assert len(found) == 1 and found[0].startswith(reason), found
    assert "\n" not in found[0]


def test_the_flawed_corpus_keeps_only_the_good_take(flawed):
    root, corpus = flawed
    assert [u.id for u in corpus.train] == ["good"]
    assert len(corpus.problems) == 12
    assert str(CorpusProblem(root / "x.wav", "why")) == f"{root / 'x.wav'}: why"


def test_a_clip_share_under_the_limit_is_not_clipping(tmp_path):
    """A take normalised to full scale touches the rail at its loudest peak only."""
    noise = RNG.standard_normal(48_000).astype(np.float32)
    normalised = write(tmp_path / "normalised.wav", noise / np.abs(noise).max(), 48_000)
    assert load_corpus(tmp_path).train[0].path == normalised


def test_a_very_long_file_is_refused_from_its_header(tmp_path, monkeypatch):
    """Its length alone rules it out, so it is never decoded."""
    monkeypatch.setattr(corpus_audio, "UNREAD_BEYOND_SECONDS", 2.0)
    decoded: list[str] = []
    read = soundfile.read
    monkeypatch.setattr(soundfile, "read", lambda file, **options: decoded.append(file) or read(file, **options))
    write(tmp_path / "lecture.wav", tone(3.0, 16_000))
    take(tmp_path / "short_enough.wav", 1.0)
    corpus = load_corpus(tmp_path)
    assert decoded == [str(tmp_path / "short_enough.wav")]
    assert [str(problem) for problem in corpus.problems] == [
        f"{tmp_path / 'lecture.wav'}: too long: 3.0 s (at most 30 s; fine-tuning cannot take longer utterances)"
    ]


def test_nothing_usable_is_an_error_naming_the_first_problem(tmp_path):
    write(tmp_path / "silent.wav", silence(1.0, 16_000))
    with pytest.raises(KokoroError, match=r"no usable training recording in .* \(folder layout\): 1 left out.*silent"):
        load_corpus(tmp_path)


# max_seconds and progress


def test_max_seconds_keeps_a_prefix_in_metadata_order(tmp_path):
    names = ["d", "b", "c", "a"]
    for name in names:
        take(tmp_path / f"{name}.wav", 1.0)
    write_jsonl(tmp_path / "metadata.jsonl", [{"file_name": f"{name}.wav", "text": name} for name in names])
    corpus = load_corpus(tmp_path, max_seconds=2.5)
    assert [u.id for u in corpus.train] == ["d", "b"]
    assert corpus.seconds <= 2.5
    with pytest.raises(KokoroError, match="max_seconds=0.5 is shorter than the first usable recording"):
        load_corpus(tmp_path, max_seconds=0.5)


def test_progress_counts_every_recording_up_to_the_total(tmp_path):
    for name in ("a", "b", "c"):
        take(tmp_path / "train" / f"{name}.wav")
    take(tmp_path / "validation" / "v.wav")
    write_jsonl(tmp_path / "train" / "metadata.jsonl", [{"file_name": f"{n}.wav", "text": n} for n in "abc"])
    write_jsonl(tmp_path / "validation" / "metadata.jsonl", [{"file_name": "v.wav", "text": "v"}])
    calls: list[tuple[int, int]] = []
    load_corpus(tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    calls.clear()
    load_corpus(tmp_path, max_seconds=1.5, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 4), (3, 4), (4, 4)]  # the cut-off skips straight past the rest of train


# resampling and trimming


@pytest.mark.parametrize("rate", [16_000, 44_100])
def test_resampling_keeps_a_1khz_sine_at_1khz(rate):
    t = np.arange(rate) / rate  # one second
    out = resample(np.sin(2 * np.pi * 1000 * t).astype(np.float32), rate)
    assert out.dtype == np.float32
    assert out.size == SAMPLE_RATE
    spectrum = np.abs(np.fft.rfft(out * np.hanning(out.size)))
    assert np.fft.rfftfreq(out.size, 1 / SAMPLE_RATE)[spectrum.argmax()] == pytest.approx(1000, abs=1)
    middle = out[SAMPLE_RATE // 4 : -SAMPLE_RATE // 4]
    assert np.abs(middle).max() == pytest.approx(1.0, abs=0.01)


def test_resampling_at_the_model_rate_changes_nothing():
    audio = tone(0.1, SAMPLE_RATE)
    assert np.array_equal(resample(audio, SAMPLE_RATE), audio)


def test_trimming_cuts_the_edges_and_keeps_the_inner_pause():
    rate = SAMPLE_RATE
    word = tone(0.4, rate)
    audio = np.concatenate([silence(0.5, rate), word, silence(0.3, rate), word, silence(0.6, rate)])
    trimmed = trim_silence(audio, rate)
    assert trimmed.size / rate == pytest.approx(1.1 + 2 * TRIM_MARGIN_SECONDS, abs=0.011)
    start = round(TRIM_MARGIN_SECONDS * rate)
    assert np.array_equal(trimmed[start : start + word.size], word)
    pause = trimmed[start + word.size : start + word.size + round(0.3 * rate)]
    assert np.abs(pause).max() < 1e-3


def test_trimming_silence_alone_leaves_nothing():
    assert trim_silence(np.zeros(4800, np.float32), SAMPLE_RATE).size == 0
    assert trim_silence(np.zeros(0, np.float32), SAMPLE_RATE).size == 0
