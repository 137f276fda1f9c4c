"""Mandarin number reading: Arabic numerals rewritten as Chinese numerals by cn2an.

cn2an reads a number in context ("2024年" digit by digit as a year, "50%" as 百分之五十),
so the rule hands it the number with its unit character, before words are segmented.
"""

from __future__ import annotations

import re

from kokoro_tui.errors import MissingAssetError
from kokoro_tui.text.normalize import Rule

_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:%|[年月日号点分秒])?")


def rules() -> list[Rule]:
    try:
        import cn2an
    except ImportError as error:
        raise MissingAssetError(f"Mandarin needs misaki[zh] ({error})", hint="pip install 'misaki[zh]'") from None

    def speak(match: re.Match[str]) -> str | None:
        spoken = cn2an.transform(match.group(), "an2cn")
        return None if spoken == match.group() else spoken

    return [Rule("number", _NUMBER, speak)]
