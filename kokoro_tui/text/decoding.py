"""Text from bytes that may not be valid UTF-8: decode what can be read, count what cannot.

A pipe, a file or a command-line argument can carry any bytes. Refusing the whole input for
one bad byte would lose a chapter to a stray Latin-1 character, and passing Python's
surrogate escapes on would crash the tagger, so each undecodable byte becomes U+FFFD
(which no G2P speaks) and the caller warns with the count, as ``iconv -c`` users expect.
A byte-order mark says which Unicode encoding follows (Windows' editors save UTF-16 with one); UTF-16
without one (what some Windows subtitle tools write) shows in its NUL bytes, as ``unicode_encoding`` tells.
A book file has a second chance: one that is not UTF-8 but reads cleanly as Windows-1252 (what
old text files from Windows and many Gutenberg-era files are) is read as that, with a warning.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from typing import NamedTuple

REPLACEMENT = "\ufffd"
_BOM = "\ufeff"
UTF8 = "utf-8"
#: Byte-order marks and the codec each names; UTF-32 LE's starts with UTF-16 LE's, so it is looked for first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
#: What a book file that is not UTF-8 most likely is: Windows' Western code page (printable Latin-1 and more).
LEGACY_ENCODING = "cp1252"
UTF16_LE, UTF16_BE = "utf-16-le", "utf-16-be"
_NAMES = {
    UTF8: "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", UTF16_LE: "UTF-16", UTF16_BE: "UTF-16", "utf-32": "UTF-32",
    LEGACY_ENCODING: "Windows-1252",
}
#: Bytes looked at for UTF-16 without a byte-order mark: a few KB hold some lines of any text.
UTF16_SNIFF_BYTES = 4096
# Control characters other than whitespace: no text has them, so UTF-16 that decodes to one is no text (binary data
# whose every other byte is zero, UTF-32, whose characters have two zero bytes).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Lone surrogates: what Python makes of undecodable bytes in argv and (in a C locale) stdin.
_SURROGATE = re.compile("[\ud800-\udfff]")


class Decoded(NamedTuple):
    text: str
    replaced: int  # undecodable bytes (or lone surrogates) turned into U+FFFD

    def warning(self, source: str, encoding: str = UTF8) -> str | None:
        """'3 invalid UTF-8 bytes in stdin were replaced by U+FFFD' or None."""
        if not self.replaced:
            return None
        plural = "s" if self.replaced != 1 else ""
        return f"{self.replaced} invalid {_NAMES[encoding]} byte{plural} in {source} replaced by U+FFFD (not spoken)"


def unicode_encoding(data: bytes) -> str | None:
    """The codec that ``data``'s leading byte-order mark names, else UTF-16 without a mark (``_utf16_without_bom``),
    or None: the Unicode encodings a file shows before UTF-8 is tried, and whose NUL bytes are no sign of binary."""
    marked = next((codec for bom, codec in _BOMS if data.startswith(bom)), None)
    return marked or _utf16_without_bom(data)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 LE or BE without a byte-order mark, or None: in its first few KB most characters are in the ASCII
    range, so most odd (LE) or even (BE) bytes are zero (a subtitle file's times and numbers are, whatever its
    language). What decodes to a control character is not taken: binary data with every other byte zero."""
    pairs = len(data[:UTF16_SNIFF_BYTES]) // 2
    sample = data[: 2 * pairs]
    zero_first, zero_last = sample[0::2].count(0), sample[1::2].count(0)
    codec = UTF16_BE if zero_first > zero_last else UTF16_LE
    if 2 * max(zero_first, zero_last) <= pairs:
        return None
    return codec if _is_text(sample, codec) else None


def _is_text(sample: bytes, codec: str) -> bool:
    """Whether ``sample`` decodes in ``codec`` to text without control characters, a pair of surrogates that the
    sample's end cuts in two left out."""
    try:
        text = codecs.getincrementaldecoder(codec)().decode(sample)
    except UnicodeDecodeError:
        return False
    return not _CONTROL.search(text)


def decode_bytes(data: bytes, encoding: str | None = None) -> Decoded:
    """``data`` in ``encoding`` (default: its byte-order mark's, else UTF-8), a leading mark dropped,
    with every undecodable byte replaced and counted (U+FFFD written in the data is not counted)."""
    codec = encoding or unicode_encoding(data) or UTF8
    text = data.decode(codec, errors="replace").removeprefix(_BOM)
    if REPLACEMENT not in text:
        return Decoded(text, 0)
    return Decoded(text, text.count(REPLACEMENT) - data.decode(codec, errors="ignore").count(REPLACEMENT))


def book_encoding(data: bytes) -> str:
    """The codec of a book file: its byte-order mark's, else UTF-8, else Windows-1252 if the bytes
    are not UTF-8 but hold none that Windows-1252 leaves undefined, else UTF-8 (bad bytes replaced)."""
    codec = unicode_encoding(data)
    if codec is not None:
        return codec
    for candidate in (UTF8, LEGACY_ENCODING):
        try:
            data.decode(candidate)
        except UnicodeDecodeError:
            continue
        return candidate
    return UTF8


def decode_book(data: bytes, source: str, warn: Callable[[str], None]) -> str:
    """The text of the book file ``source`` (``book_encoding``), warning when it is not UTF-8 or has bad bytes."""
    codec = book_encoding(data)
    if codec == LEGACY_ENCODING:
        warn(f"{source} is not UTF-8: read as {_NAMES[codec]}")
    decoded = decode_bytes(data, codec)
    warning = decoded.warning(source, codec)
    if warning:
        warn(warning)
    return decoded.text


def replace_invalid(text: str) -> Decoded:
    """``text`` with each lone surrogate replaced by U+FFFD, and how many there were."""
    if not _SURROGATE.search(text):
        return Decoded(text, 0)
    clean, count = _SURROGATE.subn(REPLACEMENT, text)
    return Decoded(clean, count)
