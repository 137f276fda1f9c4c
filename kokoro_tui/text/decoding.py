"""Text from bytes that may not be valid UTF-8: decode what can be read, count what cannot.

A pipe, a file or a command-line argument can carry any bytes. Refusing the whole input for
one bad byte would lose a chapter to a stray Latin-1 character, and passing Python's
surrogate escapes on would crash the tagger, so each undecodable byte becomes U+FFFD
(which no G2P speaks) and the caller warns with the count, as ``iconv -c`` users expect.
"""

from __future__ import annotations

import re
from typing import NamedTuple

REPLACEMENT = "\ufffd"
_UTF8_REPLACEMENT = REPLACEMENT.encode("utf-8")
_BOM = "\ufeff"
# Lone surrogates: what Python makes of undecodable bytes in argv and (in a C locale) stdin.
_SURROGATE = re.compile("[\ud800-\udfff]")


class Decoded(NamedTuple):
    text: str
    replaced: int  # undecodable bytes (or lone surrogates) turned into U+FFFD

    def warning(self, source: str) -> str | None:
        """'3 invalid UTF-8 bytes in stdin were replaced by U+FFFD' or None."""
        if not self.replaced:
            return None
        plural = "s" if self.replaced != 1 else ""
        return f"{self.replaced} invalid UTF-8 byte{plural} in {source} replaced by U+FFFD (not spoken)"


def decode_bytes(data: bytes) -> Decoded:
    """UTF-8 (a leading byte-order mark dropped) with every undecodable byte replaced and counted."""
    text = data.decode("utf-8", errors="replace").removeprefix(_BOM)
    return Decoded(text, text.count(REPLACEMENT) - data.count(_UTF8_REPLACEMENT))


def replace_invalid(text: str) -> Decoded:
    """``text`` with each lone surrogate replaced by U+FFFD, and how many there were."""
    if not _SURROGATE.search(text):
        return Decoded(text, 0)
    clean, count = _SURROGATE.subn(REPLACEMENT, text)
    return Decoded(clean, count)
