"""One G2P per language, built on first use and kept: loading spaCy takes seconds."""

from __future__ import annotations

import threading

from kokoro_tui.text.languages import is_english, language
from kokoro_tui.text.tokens import G2P

_CACHE: dict[str, G2P] = {}
_LOCK = threading.Lock()

def _build(code: str) -> G2P:
    if is_english(code):
        from kokoro_tui.text.g2p_en import EnglishG2P

        return EnglishG2P(british=code == "b")
    if code == "z":
        from kokoro_tui.text.g2p_zh import MandarinG2P

        return MandarinG2P()
    if code == "j":
        from kokoro_tui.text.g2p_ja import JapaneseG2P

        return JapaneseG2P()
    if code == "r":
        from kokoro_tui.text.g2p_ru import RussianG2P

        return RussianG2P()
    from kokoro_tui.text.g2p_espeak import EspeakG2P

    return EspeakG2P(language(code).espeak)


def load_g2p(code: str) -> G2P:
    """The G2P for language ``code``, shared by every caller in this process."""
    code = language(code).code
    with _LOCK:
        if code not in _CACHE:
            _CACHE[code] = _build(code)
        return _CACHE[code]
