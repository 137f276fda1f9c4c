"""Respell a Russian word as it is said, before the letter rules read it.

The exceptions of ``exceptions_ru`` first (что is "што"), then the clusters Russian
simplifies in every word: стн здн лнц рдц (and вств in чувство, здравствуйте) lose a
consonant (честный, поздно, солнце, сердце), сч зч жч are щ (счастье, мужчина), тч дч a long ч (лётчик),
тц дц a long ц (двадцать), гк гч have х (лёгкий), -тся -ться end in ца, and a final
-ого -его has в (его, нового), unless the г belongs to the stem (много, дорого).
Every vowel letter stays in place, so the stress found for the written word still holds.
"""

from __future__ import annotations

import re

from kokoro_tui.text.exceptions_ru import STEM_OGO, STEMS, WORDS

_ADJECTIVE_ENDING = r"(?:ий|ая|ое|ие|ого|ому|им|ом|ой|ую|их|ими)$"
_CLUSTERS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), spoken)
    for pattern, spoken in (
        (r"стн", "сн"),
        (r"здн", "зн"),
        (r"(?<=[уа])вств", "ств"),
        (r"лнц", "нц"),
        (r"рдц", "рц"),
        (r"н[тд]ск", "нск"),
        (r"стск", "сск"),
        (r"стл", "сл"),
        (r"[сзж]ч|[сз]щ", "щ"),
        (r"[тд]ч", "чч"),
        (r"[тд]ц", "цц"),
        (r"г(?=[кч])", "х"),
        (rf"[тд]ск(?={_ADJECTIVE_ENDING})", "цк"),
        (r"[тд]ств(?=(?:о|а|у|е|ом|ами|ах)$)", "цтв"),
        (r"ть?ся$", "ца"),
    )
)
_GENITIVE_G = re.compile(r"(?<=[ое])го$")


def respell(word: str) -> str:
    """``word`` (lower case, Russian letters only) as it is said; the same vowels in the same places."""
    spoken = WORDS.get(word)
    if spoken is not None:
        return spoken
    for stem, replacement in STEMS.items():
        if word.startswith(stem):
            word = replacement + word[len(stem) :]
            break
    for pattern, replacement in _CLUSTERS:
        word = pattern.sub(replacement, word)
    if word not in STEM_OGO:
        word = _GENITIVE_G.sub("во", word)
    return word
