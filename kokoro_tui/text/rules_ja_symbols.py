"""Number notations OpenJTalk misreads in Japanese text, rewritten into what a reader says.

OpenJTalk reads "¥1,000" as "えん せん" (the sign first, as written), "25℃" as "にじゅうご
シー", drops the minus of "-5度", reads the colon of "10:30" as a pause and "1/2" as
"いち に". A reader says せんえん, にじゅうごど, マイナスごど, じゅうじさんじゅっぷん and
にぶんのいち, so these are given to OpenJTalk as "1,000円", "25度", "マイナス5度",
"10時30分" and "2分の1", which it then reads with its own counters. The commas of "1,000"
are dropped: after "、" (a comma by then) OpenJTalk read ",1,000" as "いち、ぜろぜろぜろ".
"""

from __future__ import annotations

import re

_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
PATTERN = re.compile(
    rf"(?P<yen>[¥￥]\s?(?P<price>{_AMOUNT}))"
    rf"|(?P<degrees>(?P<temperature>{_AMOUNT})\s?(?:℃|°C|°))"
    r"|(?P<minus>(?<![\dA-Za-z)])[-\u2212](?=\d))"
    r"|(?P<clock>(?<![\d:.])(?P<hour>\d{1,2}):(?P<minute>\d{2})(?![\d:]))"
    r"|(?P<fraction>(?<![\d/.])(?P<top>\d{1,4})/(?P<bottom>\d{1,4})(?![\d/]))"
    r"|(?P<grouped>(?<![\d.])(?<!\d,)\d{1,3}(?:,\d{3})+(?![\d,]))"
)


def rewrite(m: re.Match[str]) -> str | None:
    """What OpenJTalk is given for the match, or None to leave it as written."""
    if m["yen"]:
        return f"{m['price'].replace(',', '')}円"
    if m["grouped"]:
        return m["grouped"].replace(",", "")
    if m["degrees"]:
        return f"{m['temperature'].replace(',', '')}度"
    if m["minus"]:
        return "マイナス"
    if m["clock"]:
        hour, minute = int(m["hour"]), int(m["minute"])
        if hour > 24 or minute > 59:
            return None
        return f"{hour}時" + (f"{minute}分" if minute else "")
    top, bottom = int(m["top"]), int(m["bottom"])
    return f"{bottom}分の{top}" if 0 < top < bottom else None


def rewrites(text: str) -> dict[int, tuple[int, str]]:
    """Start of each rewritten stretch of ``text`` -> its end and what OpenJTalk is given."""
    found = {}
    for m in PATTERN.finditer(text):
        spoken = rewrite(m)
        if spoken is not None:
            found[m.start()] = (m.end(), spoken)
    return found
