"""Units written in Latin letters or symbols after a Mandarin number, said in Chinese.

Chinese news writes "25℃", "-5°C", "2.5kg" and "120km/h"; the G2P knows only Han characters
and Latin words, so "℃" reached the model as a raw symbol and "kg" was spelled as English
letters. A reader says 二十五摄氏度, 零下五摄氏度, 二点五公斤, 一百二十公里每小时.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kokoro_tui.text.rewrite import alternation

UNITS = {
    "km/h": "公里每小时", "km²": "平方公里", "m²": "平方米", "km": "公里", "cm": "厘米", "mm": "毫米",
    "m": "米", "kg": "公斤", "mg": "毫克", "g": "克", "ml": "毫升", "mL": "毫升", "L": "升", "l": "升",
    "℃": "摄氏度", "°C": "摄氏度", "°": "度",
}  # fmt: skip
BELOW_ZERO = "零下"  # how a temperature under zero is said, where a plain number is 负

_SYMBOLS = alternation(UNITS)
MEASURE = re.compile(
    rf"(?<![\dA-Za-z.])(?P<sign>[-\u2212])?(?P<amount>\d+(?:\.\d+)?) ?(?P<unit>{_SYMBOLS})(?![A-Za-z/²])"
)


def measure_words(m: re.Match[str], number: Callable[[str], str]) -> str:
    """'-5℃' -> 零下五摄氏度, '2kg' -> 两公斤; ``number`` says an amount ("2.5" -> 二点五)."""
    unit = UNITS[m["unit"]]
    temperature = unit.endswith("度")
    amount = "两" if m["amount"] == "2" and not temperature else number(m["amount"])
    if m["sign"]:
        amount = (BELOW_ZERO if temperature else "负") + amount
    return amount + unit
