"""Which normalisation rules a language gets.

English is rewritten fully (numbers, dates, money, addresses, abbreviations) because its G2P
reads words only. espeak-ng reads plain integers in its own language, so Spanish, French,
Italian and Portuguese (rules_romance) and Hindi (rules_hi) rewrite only what it garbles:
phone numbers, dates, times, money, decimals and long digit runs. Mandarin numbers go to
cn2an after the phone, time and money rules of rules_zh. Russian (rules_ru) is read by rules
alone, so every number is rewritten, in the case and gender its context asks for.
"""

from __future__ import annotations

from functools import lru_cache

from kokoro_tui.text import punctuation, rules_en, rules_hi, rules_romance, rules_ru, rules_zh
from kokoro_tui.text.languages import is_english, language
from kokoro_tui.text.rewrite import NormalizedText, Rule, rewrite


@lru_cache(maxsize=None)
def rules_for(code: str) -> tuple[Rule, ...]:
    code = language(code).code
    if is_english(code):
        specific = rules_en.rules(british=code == "b")
    elif code == "z":
        specific = rules_zh.rules()
    elif code == "h":
        specific = rules_hi.rules()
    elif code == "r":
        specific = rules_ru.rules()
    elif code in rules_romance.LEXICONS:
        specific = rules_romance.rules(code)
    else:
        specific = []
    return tuple(specific + punctuation.RULES)


def normalize(text: str, code: str) -> NormalizedText:
    """``text`` as it will be spoken in language ``code``, with the map back to ``text``."""
    return rewrite(text, rules_for(code))
