"""Russian letters to phones for one phonological word: a word with the prepositions leaning on it.

"в городе" is said as one word, so vowel reduction counts syllables across "в", and the
voicing of "в" follows the "г". The word's parts (preposition, host; or the halves of
"кто-то") come back separately so each keeps its own phones for word timestamps.

Per letter: consonants are soft before е ё и ю я ь (ж ш ц never, ч щ й always), е ё ю я
write j after a vowel, ь, ъ or a word start, и after ь is ji and after a hard preposition ɨ,
vowels are reduced by ``reduction_ru``. Then ``assimilation_ru`` fixes voicing and length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kokoro_tui.text.alphabet_ru import (
    ALWAYS_HARD,
    ALWAYS_SOFT,
    CONSONANT_PHONE,
    CONSONANTS,
    IOTATED,
    SIGNS,
    SOFT,
    SOFTENING,
    STRESS,
    VOWEL_OF,
    VOWELS,
)
from kokoro_tui.text.assimilation_ru import assimilate
from kokoro_tui.text.reduction_ru import After, Position, vowel_phone


@dataclass(frozen=True)
class Part:
    """Lower-case Russian letters, and which of its vowels is stressed (0-based), None for a clitic."""

    letters: str
    stress: int | None


def _positions(parts: Sequence[Part]) -> list[Position]:
    """The stress position of every vowel of the phonological word, in order.

    A vowel after a stress of its own part is posttonic even when another part's stress follows
    ("северо-запад"). A word without any stress ("и", "но" said alone) leans on the next word: all
    its vowels are pretonic and the last one is the first pretonic.
    """
    stressed: list[bool] = []
    after_own_stress: list[bool] = []
    for part in parts:
        count = sum(letter in VOWELS for letter in part.letters)
        stressed += [part.stress == index for index in range(count)]
        after_own_stress += [part.stress is not None and index > part.stress for index in range(count)]
    positions = []
    for index, is_stressed in enumerate(stressed):
        ahead = stressed[index + 1 :]
        if is_stressed:
            positions.append(Position.STRESSED)
        elif after_own_stress[index] or (True not in ahead and any(stressed[:index])):
            positions.append(Position.POSTTONIC)
        elif True in ahead:
            positions.append(Position.FIRST_PRETONIC if ahead.index(True) == 0 else Position.PRETONIC)
        else:
            positions.append(Position.FIRST_PRETONIC if index == len(stressed) - 1 else Position.PRETONIC)
    return positions


def _is_soft(letters: str, index: int) -> bool:
    """Whether the consonant at ``index`` is soft: by itself (ч щ й), or by what follows it.

    A doubled consonant ("Россия") is soft or hard as its second half is.
    """
    letter = letters[index]
    if letter in ALWAYS_SOFT:
        return True
    if letter in ALWAYS_HARD:
        return False
    following = letters[index + 1] if index + 1 < len(letters) else ""
    if following == letter:
        return _is_soft(letters, index + 1)
    return following in SOFTENING


def _after(letters: str, index: int, soft: bool) -> After:
    previous = letters[index - 1]
    if previous == "й":
        return After.NOTHING  # "майонез": a vowel after j is reduced as after a vowel
    if previous in "жш":
        return After.HUSHING
    if previous == "ц":
        return After.TS
    return After.SOFT if soft else After.HARD


def _consonant(letters: str, index: int) -> str:
    letter = letters[index]
    phone = CONSONANT_PHONE[letter]
    soft = letter not in ALWAYS_SOFT and _is_soft(letters, index)
    return phone + SOFT if soft else phone


def _vowel(letters: str, index: int, position: Position, after_hard_part: bool) -> str:
    """The vowel at ``index``, with j before it where it is written by an iotated letter."""
    letter = letters[index]
    previous = letters[index - 1] if index else ""
    glide = ""
    iotated = letter in IOTATED and (not previous or previous in VOWELS or previous in SIGNS)
    if iotated or (letter == "и" and previous == "ь"):  # "соловьи": ji
        glide, after = "j", After.SOFT
    elif previous in CONSONANTS:
        after = _after(letters, index, _is_soft(letters, index - 1))
    elif not previous and after_hard_part:
        after = After.HARD  # "с игрой": и after a hard consonant of the preposition is ɨ
    else:
        after = After.NOTHING
    phone = vowel_phone(VOWEL_OF[letter], position, after)
    return glide + (STRESS + phone if position is Position.STRESSED else phone)


def transcribe(parts: Sequence[Part]) -> list[list[str]]:
    """The phones of each part of one phonological word (stress marked on its vowel)."""
    positions = iter(_positions(parts))
    phones: list[list[str]] = []
    previous = ""  # the last letter of the part before
    for part in parts:
        letters = part.letters
        previous_hard = previous in CONSONANTS and previous not in ALWAYS_SOFT
        current: list[str] = []
        for index, letter in enumerate(letters):
            if letter in VOWELS:
                position = next(positions)
                if index == 0 and position is Position.PRETONIC and previous not in CONSONANTS:
                    position = Position.FIRST_PRETONIC  # a word-initial vowel: "огород" ɐɡɐrot
                current.append(_vowel(letters, index, position, previous_hard))
            elif letter in CONSONANTS:
                current.append(_consonant(letters, index))
        phones.append(current)
        previous = letters[-1:] or previous
    return assimilate(phones)
