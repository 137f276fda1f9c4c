"""The Russian letters and the phones they stand for, defined once for every Russian module.

Kokoro v1.0's vocabulary lacks ʐ ɫ ʑ ɵ, so ж is ʒ, hard л is l, long soft ж is ʒː and ё is o
(docs/russian.md has the whole table and why). ц ч are the single symbols ʦ ʨ, which the
vocabulary has, so an affricate stays one token.
"""

from __future__ import annotations

VOWELS = frozenset("аеёиоуыэюя")
# Vowel letters that write j + vowel at a word start or after a vowel, ь or ъ.
IOTATED = frozenset("еёюя")
# Letters that make the consonant before them soft (е ё и ю я ь).
SOFTENING = frozenset("еёиюяь")
SIGNS = frozenset("ьъ")
CONSONANTS = frozenset("бвгджзйклмнпрстфхцчшщ")
LETTERS = VOWELS | SIGNS | CONSONANTS
ALWAYS_HARD = frozenset("жшц")
ALWAYS_SOFT = frozenset("чщй")

# The vowel a letter writes, before reduction: a o u ɨ i e.
VOWEL_OF = {"а": "a", "я": "a", "о": "o", "ё": "o", "у": "u", "ю": "u", "ы": "ɨ", "и": "i", "э": "e", "е": "e"}

SOFT = "ʲ"
LONG = "ː"
STRESS = "ˈ"
CONSONANT_PHONE = {
    "б": "b", "в": "v", "г": "ɡ", "д": "d", "ж": "ʒ", "з": "z", "й": "j", "к": "k", "л": "l", "м": "m",
    "н": "n", "п": "p", "р": "r", "с": "s", "т": "t", "ф": "f", "х": "x", "ц": "ʦ", "ч": "ʨ", "ш": "ʂ",
    "щ": "ɕ" + LONG,
}  # fmt: skip

# Voiced obstruent -> its voiceless partner (soft ones keep ʲ); в is voiced but never voices others.
DEVOICED = {"b": "p", "d": "t", "ɡ": "k", "v": "f", "z": "s", "ʒ": "ʂ", "ɣ": "x", "ʣ": "ʦ", "ʥ": "ʨ"}
VOICED = {voiceless: voiced for voiced, voiceless in DEVOICED.items()}
# Obstruents that carry no voicing partner but still make the one before them voiceless.
VOICELESS_UNPAIRED = frozenset({"ɕ"})
OBSTRUENTS = frozenset(DEVOICED) | frozenset(VOICED) | VOICELESS_UNPAIRED
# в (and вʲ) takes the voicing of what follows but does not pass voicing on.
NOT_VOICING = frozenset({"v"})
DENTAL_SIBILANTS = frozenset({"s", "z"})
DENTAL_STOPS = frozenset({"t", "d"})
HUSHING = frozenset({"ʂ", "ʒ"})
# Soft dentals that make a с or з before them soft as well ("есть", "жизнь", "здесь").
SOFT_DENTALS = frozenset({"tʲ", "dʲ", "nʲ", "sʲ", "zʲ"})

# Phonemes a Russian word may produce: every one is in Kokoro's vocabulary (a test checks it).
VOWEL_PHONES = frozenset("aoueiɨɪəɐʊɛ")
