"""Abbreviations a Russian reader spells letter by letter: СССР, МГУ, США, USB, PDF.

An upper-case word of at most five letters is spelled when it cannot be said as a word: it
has no vowel, or two consonants in a row at its start ("МГУ"), as Russian readers do;
"ООН" and "МИД" are said as words. Latin capitals are always spelled, by their English
names as Russian speakers say them. Each letter name is stressed, like a word.
"""

from __future__ import annotations

from kokoro_tui.text.alphabet_ru import CONSONANTS, VOWELS

LONGEST = 5
CYRILLIC_NAMES = {
    "б": "бэ", "в": "вэ", "г": "гэ", "д": "дэ", "ж": "жэ", "з": "зэ", "й": "й", "к": "ка", "л": "эл",
    "м": "эм", "н": "эн", "п": "пэ", "р": "эр", "с": "эс", "т": "тэ", "ф": "эф", "х": "ха", "ц": "цэ",
    "ч": "чэ", "ш": "ша", "щ": "ща",
}  # fmt: skip
LATIN_NAMES = {
    "a": "эй", "b": "би", "c": "си", "d": "ди", "e": "и", "f": "эф", "g": "джи", "h": "эйч", "i": "ай",
    "j": "джей", "k": "кей", "l": "эл", "m": "эм", "n": "эн", "o": "оу", "p": "пи", "q": "кью", "r": "ар",
    "s": "эс", "t": "ти", "u": "ю", "v": "ви", "w": "дабл-ю", "x": "экс", "y": "уай", "z": "зед",
}  # fmt: skip


def spelled(word: str) -> list[str] | None:
    """The letter names of ``word`` when it is an abbreviation to spell, else None."""
    if not (2 <= len(word) <= LONGEST and word.isupper() and word.isalpha()):
        return None
    lower = word.lower()
    if all("a" <= char <= "z" for char in lower):
        return [LATIN_NAMES[char] for char in lower]
    if not all(char in CYRILLIC_NAMES or char in VOWELS for char in lower):
        return None
    if any(char in VOWELS for char in lower) and not (lower[0] in CONSONANTS and lower[1] in CONSONANTS):
        return None
    return [CYRILLIC_NAMES.get(char, char) for char in lower]
