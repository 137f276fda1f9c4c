"""Mandarin number reading: Arabic numerals rewritten as Chinese numerals.

cn2an reads a number in context ("2024年" digit by digit as a year, "50%" as 百分之五十),
so the rule hands it the number with its unit character, before words are segmented. What
cn2an does not know comes first: phone numbers are said digit by digit with 幺 (yāo) for 1,
as callers say it so 1 is not mistaken for 7; other codes and long digit runs digit by
digit with 一; "3:45" is 三点四十五分 (两点 at two o'clock); "¥12" is 十二元 and "$5" 五美元;
"2024-03-05" is 二零二四年三月五日. A reader says 两, not 二, before a measure word and before
千/万/亿 ("两个人", "两千元"); a dash between numbers is 到 ("10-20人") or, high before low, a
score 比 ("3-2"), as is "2:1"; "1/2" is 二分之一, "-5" 负五; units are in rules_zh_units.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kokoro_tui.errors import MissingAssetError
from kokoro_tui.text.digit_strings import PHONE, phone_digits, reads_as_digits, spell, spell_phone
from kokoro_tui.text.rewrite import Rule
from kokoro_tui.text.rules_zh_units import MEASURE, measure_words

DIGITS = "零一二三四五六七八九"
PHONE_DIGITS = "零幺二三四五六七八九"
_CURRENCIES = {"¥": "元", "￥": "元", "$": "美元", "€": "欧元", "£": "英镑"}

# A sign only where it cannot be a hyphen ("COVID-19"); digits after letters are numbers too ("G20").
_NUMBER = re.compile(r"(?<!\d)(?:(?<![\dA-Za-z.])[-\u2212])?\d+(?:\.\d+)?(?:%|[年月日号点分秒])?")
_MOBILE = re.compile(r"(?<![\d+])1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")
_TIME = re.compile(r"(?<![\d:.])(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?![\d:])")
# A writer may name the unit after a sign as well ("¥1,500元"): the named unit is said once, in place of the sign's.
_NAMED_UNIT = "(?P<named>元|美元|欧元|英镑)?"
_MONEY = re.compile(
    r"(?P<currency>[¥￥$€£]) ?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<cents>\d{1,2}))?(?![\d.,])" + _NAMED_UNIT
)
# "¥5万", "$1.5亿": the currency is said after the scale character, 五万元, 一点五亿美元.
_SCALED_MONEY = re.compile(r"(?P<currency>[¥￥$€£]) ?(?P<amount>\d+(?:\.\d+)?[千百]?[万亿])" + _NAMED_UNIT)
_DATE = re.compile(r"(?<![\d-])(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})(?![\d-])")
_RUN = re.compile(r"(?<![\d.])(?P<whole>\d{2,})(?:\.(?P<fraction>\d+))?(?!\d|\.\d)")
# "10-20人", "1990-1995年", "20%-30%": the low end and the dash, said before the high end is.
_RANGE = re.compile(
    r"(?<![\dA-Za-z.-])(?P<low>\d+(?:\.\d+)?)(?P<percent>%?) ?[-\u2013~～] ?(?=(?P<high>\d+(?:\.\d+)?)(?P<unit>%|年)?)"
)
_RATIO = re.compile(r"(?<![\d:.])(?P<left>\d+):(?P<right>\d|\d{3,})(?![\d:])")  # "2:1", "1:1000"; "3:45" is a time
_FRACTION = re.compile(r"(?<![\d/.])(?P<top>\d{1,4})/(?P<bottom>\d{1,4})(?![\d/])")
_SPELLED = str.maketrans({**{str(digit): DIGITS[digit] for digit in range(10)}, ".": "点"})
# Measure words after which 2 is 两 ("两个人", "两年", "两公斤"), not 二 ("二月", "二号", "第二").
_MEASURE_WORDS = (
    "个 位 只 本 件 张 条 种 次 天 岁 名 家 辆 台 块 双 对 把 杯 瓶 碗 头 匹 架 座 所 间 部 首 项 门 棵 "
    "片 篇 封 颗 支 根 口 层 倍 场 届 斤 套 份 节 周 秒 点 千 万 亿 小时 分钟 公斤 公里 千克 米 吨 元 年(?!级)"
).split()
_TWO = re.compile(rf"(?<![\d.第])2(?![\d.])(?=\s?(?:{'|'.join(_MEASURE_WORDS)}))")
# 二 said 两 before 千, 万 and 亿 ("两千", "一万两千"), but not after 十 ("二十二万").
_LIANG = re.compile(r"(?<![十点])二(?=[千万亿])")
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]|\.\d)")


def currency_unit(m: re.Match[str]) -> str:
    """The unit said after an amount: the one the writer named after it, else the sign's."""
    return m["named"] or _CURRENCIES[m["currency"]]


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

    def amount(text: str) -> str:
        """A quantity in Chinese numerals, 两 where a reader says it, 负 first ("-2.5%" 负百分之二点五);
        a code or a run too long for cn2an digit by digit, as the digit-run rule says it."""
        if text[0] in "-\u2212":
            return "负" + amount(text[1:])
        if reads_as_digits(re.match(r"\d*", text).group()):
            return text.translate(_SPELLED)
        return _LIANG.sub("两", cn2an.transform(text, "an2cn"))

    def low_end(m: re.Match[str]) -> str | None:
        if float(m["low"]) >= float(m["high"]):
            # Not a range: "3-2" is a score, said 三比二.
            score = m["low"].isdecimal() and m["high"].isdecimal() and not m["percent"]
            return amount(m["low"]) + "比" if score else None
        if m["percent"] or m["unit"] == "%":
            return amount(m["low"] + "%") + "到"
        if m["unit"] == "年" and len(m["low"]) == 4:
            return spell(m["low"], DIGITS, "") + "到"
        return amount(m["low"]) + "到"

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
        unit = currency_unit(m)
        cents = (m["cents"] or "").ljust(2, "0")
        whole = m["whole"].replace(",", "")
        has_whole = whole.strip("0") != ""
        spoken_whole = amount(whole) if len(whole) <= 16 else spell(whole, DIGITS, "")
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
        spoken = amount(match.group())
        return None if spoken == match.group() else spoken

    def grouped(match: re.Match[str]) -> str:
        """'1,000,000' -> 一百万: the commas only group thousands."""
        plain = match.group().replace(",", "")
        whole = plain.partition(".")[0]
        return spell(plain, DIGITS, "") if len(whole) > 16 else amount(plain)

    return [
        Rule("mobile", _MOBILE, _mobile),
        Rule("phone", PHONE, _phone),
        Rule("date", _DATE, date),
        Rule("time", _TIME, time),
        Rule("ratio", _RATIO, lambda m: f"{amount(m['left'])}比{amount(m['right'])}"),
        Rule("scaled money", _SCALED_MONEY, lambda m: amount(m["amount"]) + currency_unit(m)),
        Rule("money", _MONEY, money),
        Rule("range", _RANGE, low_end),
        Rule("measure", MEASURE, lambda m: measure_words(m, amount)),
        Rule("fraction", _FRACTION, lambda m: amount(m.group()) if int(m["top"]) < int(m["bottom"]) else None),
        Rule("two", _TWO, lambda m: "两"),
        Rule("grouped number", _GROUPED, grouped),
        Rule("digit run", _RUN, _run),
        Rule("number", _NUMBER, speak),
    ]
