"""Which sound a Russian vowel letter makes: its stress position and the consonant before it decide.

Only the stressed vowel keeps its full quality. Unstressed о and а merge: into ɐ in the
syllable right before the stress and at the start of a word (akanye), into ə everywhere
else. After a soft consonant е я а merge into ɪ (ikanye), except after the stress, where
я and а are ə. After the always-hard ж ш ц an и is ɨ and a pretonic е is ɨ too.
"""

from __future__ import annotations

from enum import Enum


class Position(Enum):
    STRESSED = "stressed"
    FIRST_PRETONIC = "first pretonic"  # the syllable right before the stress, or a word-initial vowel
    PRETONIC = "pretonic"  # further before the stress
    POSTTONIC = "posttonic"


class After(Enum):
    """What comes before the vowel: a soft consonant (or j), a hard one, ж/ш, ц, or nothing."""

    SOFT = "soft"
    HARD = "hard"
    HUSHING = "hushing"  # ж ш: always hard
    TS = "ts"  # ц: always hard, but a posttonic е after it is ə, not ɨ
    NOTHING = "nothing"  # a word start or another vowel

    @property
    def is_hard(self) -> bool:
        return self in (After.HARD, After.HUSHING, After.TS)


def vowel_phone(vowel: str, position: Position, after: After) -> str:
    """The phone for ``vowel`` (a o u ɨ i e: the letter's vowel before reduction)."""
    if vowel == "u":
        return "u" if position is Position.STRESSED else "ʊ"
    if vowel == "ɨ":
        return "ɨ"
    if vowel == "i":
        if after.is_hard:
            return "ɨ"
        return "i" if position is Position.STRESSED else "ɪ"
    if position is Position.STRESSED:
        if vowel == "e":
            return "e" if after is After.SOFT else "ɛ"
        return vowel
    if vowel == "e":
        if after in (After.HUSHING, After.TS):
            return "ə" if position is Position.POSTTONIC and after is After.TS else "ɨ"
        return "ɪ"
    # a or o, unstressed
    if position is Position.POSTTONIC:
        return "ə"
    if after is After.SOFT:
        return "ɪ"
    return "ɐ" if position is Position.FIRST_PRETONIC else "ə"
