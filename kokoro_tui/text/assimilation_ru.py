"""Voicing and length across the phones of one Russian phonological word.

A cluster of obstruents takes the voicing of its last member (regressive assimilation:
"сделать" zd, "вход" fx, "в книге" fk), and the word's last obstruents are voiceless
(final devoicing: "год" ɡot, "гвоздь" ɡvostʲ). в follows its neighbour but never voices
another consonant ("твой" stays tv). с з before ш ж become ш ж ("сшить", "без шапки"), and
two equal consonants of one word before a vowel are one long one ("касса" kasːə). с з т д н before a soft dental (or ч щ) are soft as well ("есть" jesʲtʲ).
"""

from __future__ import annotations

from collections.abc import Sequence

from kokoro_tui.text.alphabet_ru import (
    DENTAL_SIBILANTS,
    DENTAL_STOPS,
    DEVOICED,
    HUSHING,
    LONG,
    NOT_VOICING,
    OBSTRUENTS,
    SOFT,
    SOFT_DENTALS,
    STRESS,
    VOICED,
    VOWEL_PHONES,
)


def _is_vowel(phone: str) -> bool:
    return phone.lstrip(STRESS)[:1] in VOWEL_PHONES


def _voice(phone: str, voiced: bool) -> str:
    """``phone`` made voiced or voiceless, where it has a partner (softness and length kept)."""
    base, rest = phone[0], phone[1:]
    partner = (VOICED if voiced else DEVOICED).get(base)
    return partner + rest if partner else phone


def _voicing(phones: list[str]) -> None:
    """Right to left: each obstruent takes the voicing of the obstruent after it; the last is voiceless."""
    following: bool | None = False  # False: voiceless follows (the word's end); None: no obstruent follows
    for index in range(len(phones) - 1, -1, -1):
        phone = phones[index]
        base = phone[:1]
        if base not in OBSTRUENTS:
            following = None
            continue
        if following is not None:
            phone = phones[index] = _voice(phone, following)
        voiced = phone[0] in DEVOICED
        following = None if voiced and phone[0] in NOT_VOICING else voiced


def _sibilants(phones: list[str]) -> None:
    """с з before ш ж take their place of articulation ("без шапки" bʲɪʂ ʂapkʲɪ)."""
    for index in range(len(phones) - 1):
        if phones[index][:1] in DENTAL_SIBILANTS and phones[index + 1][:1] in HUSHING:
            phones[index] = phones[index + 1][0]


def _softness(phones: list[str]) -> None:
    """с з before a soft т д н с з, т д before a soft т д, and н before ч щ, are soft too
    ("есть" jesʲtʲ, "жизнь" ʒɨzʲnʲ, "идти" ɪtʲtʲi)."""
    for index in range(len(phones) - 2, -1, -1):
        phone, following = phones[index], phones[index + 1]
        if (
            (phone in DENTAL_SIBILANTS and following in SOFT_DENTALS)
            or (phone in DENTAL_STOPS and following in ("tʲ", "dʲ"))
            or (phone == "n" and following[:1] in "ʨɕ")
        ):
            phones[index] = phone + SOFT


def _lengthen(phones: list[str]) -> list[str]:
    """Two equal consonants before a vowel are one long consonant; elsewhere one short one."""
    merged: list[str] = []
    for index, phone in enumerate(phones):
        if merged and merged[-1].rstrip(LONG) == phone.rstrip(LONG) and not _is_vowel(phone):
            following = phones[index + 1] if index + 1 < len(phones) else ""
            long = _is_vowel(following) or phone.endswith(LONG)  # щ (ɕː) is long by itself
            merged[-1] = phone.rstrip(LONG) + (LONG if long else "")
            continue
        merged.append(phone)
    return merged


def assimilate(parts: Sequence[Sequence[str]]) -> list[list[str]]:
    """Voicing, place and softness assimilation over the whole word; length inside each part."""
    flat = [phone for part in parts for phone in part]
    _voicing(flat)
    _sibilants(flat)
    _softness(flat)
    result: list[list[str]] = []
    start = 0
    for part in parts:
        result.append(_lengthen(flat[start : start + len(part)]))
        start += len(part)
    return result
