"""Mandarin number reading: Arabic numerals rewritten as Chinese numerals.

cn2an reads a number in context ("2024年" digit by digit as a year, "50%" as 百分之五十),
so the rule hands it the number with its unit character, before words are segmented. What
cn2an does not know comes first: phone numbers are said digit by digit with 幺 (yāo) for 1,
as callers say it so 1 is not mistaken for 7; other codes and long digit runs digit by
digit with 一; "3:45" is 三点四十五分 (两点 at two o'clock); "¥12" is 十二元 and "$5" 五美元;
"2024-03-05" is 二零二四年三月五日.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kokoro_tui.errors import MissingAssetError
from kokoro_tui.text.digit_strings import PHONE, phone_digits, reads_as_digits, spell, spell_phone
from kokoro_tui.text.rewrite import Rule

DIGITS = "零一二三四五六七八九"
PHONE_DIGITS = "零幺二三四五六七八九"
_CURRENCIES = {"¥": "元", "￥": "元", "$": "美元", "€": "欧元", "£": "英镑"}

_NUMBER = re.compile(r"(?<!\d)\d+(?:\.\d+)?(?:%|[年月日号点分秒])?")
_MOBILE = re.compile(r"(?<![\d+])1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")
_TIME = re.compile(r"(?<![\d:.])(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?![\d:])")
_MONEY = re.compile(r"(?P<currency>[¥￥$€£]) ?(?P<whole>\d+)(?:\.(?P<cents>\d{1,2}))?(?![\d.])")
_DATE = re.compile(r"(?<![\d-])(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})(?![\d-])")
_RUN = re.compile(r"(?<![\d.])(?P<whole>\d{2,})(?:\.(?P<fraction>\d+))?(?!\d|\.\d)")
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]|\.\d)")


def _mobile(m: re.Match[str]) -> str:
    """'13812345678' -> 幺三八,幺二三四,五六七八: the 3-4-4 grouping callers pause at."""
    run = re.sub(r"\D", "", m.group())
    return spell_phone("", [run[:3], run[3:7], run[7:]], PHONE_DIGITS, "", ",", "")


def _phone(m: re.Match[str]) -> str | None:
    found = phone_digits(m.group())
    return None if found is None else spell_phone(m.group(), found, PHONE_DIGITS, "加", ",", "")


def _run(m: re.Match[str]) -> str | None:
    """A code or a long run of digits, one digit at a time; cn2an also gives up past 16 digits."""
    if not reads_as_digits(m["whole"]):
        return None
    spoken = spell(m["whole"], DIGITS, "")
    return spoken + (f"点{spell(m['fraction'], DIGITS, '')}" if m["fraction"] else "")


def rules() -> list[Rule]:
    try:
        import cn2an
    except ImportError as error:
        raise MissingAssetError(f"Mandarin needs misaki[zh] ({error})", hint="pip install 'misaki[zh]'") from None

    number: Callable[[int], str] = lambda n: cn2an.an2cn(str(n))  # noqa: E731

    def time(m: re.Match[str]) -> str | None:
        hour, minute = int(m["hour"]), int(m["minute"])
        second = int(m["second"]) if m["second"] else 0
        if hour > 24 or minute > 59 or second > 59:
            return None
        spoken = ("两" if hour == 2 else number(hour)) + "点"
        if minute:
            spoken += ("零" if minute < 10 else "") + number(minute) + "分"
        if second:
            spoken += number(second) + "秒"
        return spoken

    def money(m: re.Match[str]) -> str:
        """'¥12.50' -> 十二元五角, '¥12.05' -> 十二元零五分, '$1.50' -> 一点五美元."""
        unit = _CURRENCIES[m["currency"]]
        cents = (m["cents"] or "").ljust(2, "0")
        whole = m["whole"]
        has_whole = whole.strip("0") != ""
        spoken_whole = number(int(whole)) if len(whole) <= 16 else spell(whole, DIGITS, "")
        if cents == "00":
            return spoken_whole + unit
        if unit != "元":
            return f"{spoken_whole}点{spell(cents.rstrip('0'), DIGITS, '')}{unit}"
        jiao, fen = int(cents[0]), int(cents[1])
        spoken = spoken_whole + "元" if has_whole else ""
        if jiao:
            spoken += number(jiao) + "角"
        elif has_whole:
            spoken += "零"
        return spoken + (number(fen) + "分" if fen else "")

    def date(m: re.Match[str]) -> str | None:
        month, day = int(m["month"]), int(m["day"])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        return f"{spell(m['year'], DIGITS, '')}年{number(month)}月{number(day)}日"

    def speak(match: re.Match[str]) -> str | None:
        spoken = cn2an.transform(match.group(), "an2cn")
        return None if spoken == match.group() else spoken

    def grouped(match: re.Match[str]) -> str:
        """'1,000,000' -> 一百万: the commas only group thousands."""
        plain = match.group().replace(",", "")
        whole = plain.partition(".")[0]
        return spell(plain, DIGITS, "") if len(whole) > 16 else cn2an.transform(plain, "an2cn")

    return [
        Rule("mobile", _MOBILE, _mobile),
        Rule("phone", PHONE, _phone),
        Rule("date", _DATE, date),
        Rule("time", _TIME, time),
        Rule("money", _MONEY, money),
        Rule("grouped number", _GROUPED, grouped),
        Rule("digit run", _RUN, _run),
        Rule("number", _NUMBER, speak),
    ]
