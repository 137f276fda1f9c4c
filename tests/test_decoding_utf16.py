"""UTF-16 without a byte-order mark (text/decoding.py), as some Windows tools write it: told by its zero bytes and read
right by `kokoro say --file`, `kokoro book` and the subtitle reader, while binary data is still refused and UTF-8
and Windows-1252 files read as before."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kokoro_tui.books.reader import read_book
from kokoro_tui.errors import KokoroError
from kokoro_tui.speech.subtitle_reader import SubtitleCue, read_subtitle_file
from kokoro_tui.text.decoding import UTF16_SNIFF_BYTES, decode_book, decode_bytes

LINE = "Le café est prêt, dit-elle à l'élève."
CJK = "日本語の字幕です。"
TEXT = f"{LINE}\n{CJK}\nThe end.\n"
SRT = f"1\r\n00:00:01,000 --> 00:00:02,500\r\n{LINE}\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\n{CJK}\r\n\r\n"
CODECS = ["utf-16-le", "utf-16-be"]


@pytest.mark.parametrize("codec", CODECS)
def test_utf16_without_a_mark_decodes_right(codec: str) -> None:
    data = TEXT.encode(codec)
    assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    assert decode_book(data, "in.txt", pytest.fail) == TEXT
    assert decode_bytes(data) == (TEXT, 0)  # `kokoro say --file` and stdin


@pytest.mark.parametrize("codec", CODECS)
def test_a_book_in_utf16_without_a_mark_is_read_not_refused_as_binary(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "book.txt"
    path.write_bytes(f"{LINE} {CJK}".encode(codec))
    assert read_book(path, pytest.fail).chapters[0].paragraphs == (f"{LINE} {CJK}",)


def test_a_character_cut_in_two_where_the_sniffing_ends_is_still_utf16() -> None:
    text = "a" * (UTF16_SNIFF_BYTES // 2 - 1) + "😀 smile"  # the emoji's surrogate pair straddles the sniffed bytes
    assert decode_bytes(text.encode("utf-16-le")) == (text, 0)


def test_an_srt_file_in_utf16le_without_a_mark_reads_its_cues(tmp_path: Path) -> None:
    path = tmp_path / "film.srt"
    path.write_bytes(SRT.encode("utf-16-le"))
    assert read_subtitle_file(path, pytest.fail) == [SubtitleCue(1, 1.0, 2.5, LINE), SubtitleCue(2, 3.0, 4.0, CJK)]


def test_binary_data_with_every_other_byte_zero_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "samples.txt"
    path.write_bytes((np.arange(2048) % 256).astype("<u2").tobytes())  # 16-bit values below 256: high bytes zero
    with pytest.raises(KokoroError, match="samples.txt is binary data, not a text book"):
        read_book(path, pytest.fail)


def test_windows_1252_is_read_as_before() -> None:
    warnings: list[str] = []
    assert decode_book(LINE.encode("cp1252"), "old.txt", warnings.append) == LINE
    assert warnings == ["old.txt is not UTF-8: read as Windows-1252"]
