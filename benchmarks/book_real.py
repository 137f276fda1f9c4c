"""Real books through `kokoro book`, as a user runs it: nothing lost, as intelligible as sentence by sentence, bounded memory.

For each book:

1. ``kokoro book FILE -o OUT.m4b --word-timings`` as a whole process: wall time, peak RSS, hours of
   audio and hours of audio per hour of compute.
2. Every word of every chapter (the text the book reader hands the pipeline, kept in the timings
   JSON) must lie inside a timed word: the words left out are counted and shown.
3. WER on sampled pages (runs of whole paragraphs of about ``--page-words`` words): pocketsphinx
   on the page cut out of the M4B by its word timings, against the same page spoken sentence by
   sentence through ``Pipeline`` (same voice, a new stream per sentence), both against the text.

    python benchmarks/book_real.py BOOK [BOOK ...] [--home DIR] [--pages 3] [--json OUT]

Books used so far: ``alice.txt`` (Alice's Adventures in Wonderland, Project Gutenberg #11) and
``constitution.txt`` (the US Constitution), both public domain and both shipped in the sdist of
PyPI's ``wordcloud==1.9.6`` (``examples/``): ``pip download --no-deps --no-binary :all:
wordcloud==1.9.6`` and untar. Run it alone: another busy process changes every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av
import numpy as np

KOKORO = [sys.executable, "-m", "kokoro_tui"]
RATE = 24_000
WORD = re.compile(r"\w+(?:['’]\w+)*")
SENTENCE_END = re.compile(r"(?<=[.!?;:])[\"'’”)]*\s+")


def render(home: Path, book: Path, out: Path) -> dict[str, float]:
    """The whole `kokoro book` process: wall time and peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [*KOKORO, "book", str(book), "-o", str(out), "--word-timings"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "KOKORO_HOME": str(home)},
    )  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"kokoro book {book} failed (status {status})")
    return {"wall_s": time.perf_counter() - started, "peak_rss_mib": usage.ru_maxrss / 1024}


def decode(path: Path) -> np.ndarray:
    """The file's audio as 24 kHz mono float32."""
    resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
    parts = []
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            parts.extend(resampled.to_ndarray().reshape(-1) for resampled in resampler.resample(frame))
    return np.concatenate(parts).astype(np.float32)


def missing_words(chapter: dict) -> list[str]:
    """Words of the chapter's text that no timed word covers (read from the timings JSON)."""
    from kokoro_tui.books.timeline import untimed_words
    from kokoro_tui.speech.types import WordTimestamp

    timed = [WordTimestamp(w["word"], w["start"], w["end"], w["start_char"], w["end_char"]) for w in chapter["words"]]
    return untimed_words(chapter["text"], timed)


def pages(chapters: list[dict], count: int, page_words: int, seed: int) -> list[tuple[dict, int, int]]:
    """``count`` pages: (chapter, first char, end char) runs of whole paragraphs of about ``page_words`` words."""
    found = []
    for chapter in chapters:
        text, start = chapter["text"], 0
        while start < len(text):
            end = start
            while end < len(text) and len(WORD.findall(text[start:end])) < page_words:
                following = text.find("\n\n", end + 1)
                end = len(text) if following < 0 else following
            found.append((chapter, start, end))
            start = end + 2
    return random.Random(seed).sample(found, min(count, len(found)))


def page_audio(book_audio: np.ndarray, chapter: dict, start: int, end: int) -> np.ndarray:
    """The page cut from the book's audio by the timings of its first and last words."""
    words = [word for word in chapter["words"] if start <= word["start_char"] < end]
    first, last = words[0]["start"], words[-1]["end"]
    return book_audio[int(first * RATE) : int(last * RATE) + RATE // 4]


def sentence_by_sentence(pipeline, text: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    audio = []
    for sentence in SENTENCE_END.split(text.replace("\n\n", " ")):
        if WORD.search(sentence):
            audio.extend(chunk.audio for chunk in pipeline.stream(sentence))
            audio.append(np.zeros(RATE // 5, np.float32))
    return np.concatenate(audio)


def scratch_home(home: Path, scratch: Path) -> Path:
    """A data home sharing ``home``'s model, voices and caches but with no book work folders, so
    every run renders the whole book (and leaves nothing behind in ``home``)."""
    fresh = scratch / "home"
    fresh.mkdir()
    for entry in home.iterdir():
        if entry.name not in ("books", "runs"):
            (fresh / entry.name).symlink_to(entry.resolve())
    return fresh


def measure(home: Path, book: Path, scratch: Path, page_count: int, page_words: int) -> dict[str, object]:
    from kokoro_tui import Pipeline
    from kokoro_tui.evaluation.intelligibility import Recogniser, word_error_rate

    out = scratch / f"{book.stem}.m4b"
    result: dict[str, object] = {"book": book.name, **render(home, book, out)}
    timings = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    chapters = timings["chapters"]
    audio = decode(out)
    hours = len(audio) / RATE / 3600
    lost = [word for chapter in chapters for word in missing_words(chapter)]
    result.update({
        "chapters": len(chapters), "words": sum(len(WORD.findall(c["text"])) for c in chapters),
        "timed_words": sum(len(c["words"]) for c in chapters), "words_missing": len(lost), "missing_examples": lost[:20],
        "audio_hours": hours, "audio_hours_per_compute_hour": hours / (result["wall_s"] / 3600),  # type: ignore[operator]
    })  # fmt: skip
    recognise, pipeline = Recogniser(), Pipeline(voice="af_heart", home=home, on_warning=lambda message: None)
    rows = []
    for chapter, start, end in pages(chapters, page_count, page_words, seed=len(book.name)):
        text = chapter["text"][start:end]
        rows.append({
            "chapter": chapter["title"], "words": len(WORD.findall(text)),
            "wer_book": word_error_rate(text, recognise(page_audio(audio, chapter, start, end))),
            "wer_sentences": word_error_rate(text, recognise(sentence_by_sentence(pipeline, text))),
        })  # fmt: skip
    result["pages"] = rows
    for key in ("wer_book", "wer_sentences"):
        result[key] = float(np.mean([row[key] for row in rows]))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("books", type=Path, nargs="+")
    parser.add_argument("--home", type=Path, default=None, help="data home (default: KOKORO_HOME or the usual)")
    parser.add_argument("--pages", type=int, default=3, help="sampled pages per book for the WER comparison")
    parser.add_argument("--page-words", type=int, default=150)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    from kokoro_tui.home import resolve_home

    results = []
    with tempfile.TemporaryDirectory() as scratch:
        home = scratch_home(resolve_home(args.home).root, Path(scratch))
        for book in args.books:
            row = measure(home, book, Path(scratch), args.pages, args.page_words)
            results.append(row)
            print(f"{row['book']}: {row['chapters']} chapters, {row['words']} words, {row['audio_hours']:.2f} h of audio "
                  f"in {row['wall_s'] / 3600:.2f} h ({row['audio_hours_per_compute_hour']:.2f} h per hour), "
                  f"peak RSS {row['peak_rss_mib']:.0f} MiB; words missing from the timings: {row['words_missing']} "
                  f"{row['missing_examples']}; WER on {len(row['pages'])} pages: book {row['wer_book']:.3f}, "
                  f"sentence by sentence {row['wer_sentences']:.3f}", flush=True)  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
