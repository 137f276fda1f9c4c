"""Which files of this book's earlier ``--split-chapters`` runs a run replaces, removed so that a folder
holds one version of each chapter.

A batch (``--chapters 11-20``) or a run after the book changed (a chapter retitled, chapters gone) would
otherwise leave an old version beside the new one. Only what is surely ours and surely replaced goes:

- the book's work folder records the names of the files its runs wrote into each folder, and only
  those are candidates: a file put there by hand, or another book's (two books may share a folder),
  is never touched, whatever its name; so is any file written before the record existed;
- a candidate is named ``NN - Title.FMT`` in this run's audio format (flac files stay beside a run
  in mp3: two formats side by side are asked for), is not one of this run's files, and NN is a
  chapter this run was asked for or beyond the book's last; a chapter outside the chosen ones is
  another batch's and stays, even if the book has changed since;
- its subtitles and word timings (the same name with .srt, .vtt, .ass, .json) go with it, unless an
  audio file of that name in another format is still there.

A run records the names it is about to write before it writes them (``claim``): one stopped halfway through
its files leaves none of them unrecorded, so a later run can still replace them.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from kokoro_tui.books.outputs import SPLIT_FORMATS, SPLIT_NAME, SUBTITLE_FORMATS, TIMINGS_FORMAT
from kokoro_tui.books.workfolder import WorkFolder
from kokoro_tui.errors import path_error

_BESIDE = (*SUBTITLE_FORMATS, TIMINGS_FORMAT)


def _replaced(name: str, fmt: str, chosen: Collection[int], count: int) -> bool:
    match = SPLIT_NAME.match(name)
    return match is not None and match[3] == fmt and (int(match[1]) in chosen or int(match[1]) > count)


def _beside(name: str, stems: set[str], output: Path, fmt: str) -> bool:
    """Whether ``name`` is the subtitles or timings of a removed file, and of no audio file still there."""
    stem, _, suffix = name.rpartition(".")
    return (
        suffix in _BESIDE and stem in stems
        and not any((output / f"{stem}.{other}").exists() for other in SPLIT_FORMATS if other != fmt)
    )


def claim(work: WorkFolder, output: Path, names: Collection[str]) -> None:
    """Record ``names`` as this book's files in ``output`` before they are written. A name claimed but never
    written is harmless: only files still there are ever removed (``remove_replaced``)."""
    work.record_split_files(output, work.split_files(output) | set(names))


def remove_replaced(
    work: WorkFolder, output: Path, written: Collection[Path], fmt: str, chosen: Collection[int], count: int
) -> list[Path]:
    """Remove the files of earlier runs in ``output`` that this run's ``written`` files replace; returns them.

    ``chosen``: the chapter numbers (from 1) this run was asked for; ``count``: the book's chapters.
    """
    names = {path.name for path in written}
    earlier = {name for name in work.split_files(output) - names if (output / name).is_file()}
    work.record_split_files(output, earlier | names)  # first, so a failed removal forgets nothing of ours
    audio = {name for name in earlier if _replaced(name, fmt, chosen, count)}
    stems = {name.rpartition(".")[0] for name in audio}
    gone = sorted(audio | {name for name in earlier if _beside(name, stems, output, fmt)})
    for name in gone:
        try:
            os.unlink(output / name)
        except FileNotFoundError:
            pass
        except OSError as error:
            raise path_error("remove", output / name, error) from error
    work.record_split_files(output, (earlier - set(gone)) | names)
    return [output / name for name in gone]
