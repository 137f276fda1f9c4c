"""Whether a word in capitals no dictionary knows can be read as a word: "GRISWOLD" can, "NYPD" cannot.

An initialism is rarely built like an English word, so the word's spelling is checked against
English phonotactics: it starts with a consonant cluster English words start with ("GR", not
"NC" or "LG"), ends with one they end with ("LD", not "CD" or "SSR"), and every cluster
between vowels splits into such an ending and such a start ("HEATH|CLIFF"). Vowel runs are
short and never one letter three times ("IEEE", "AAAS"). "Y" is a consonant where it opens the
word or follows a vowel and a vowel follows it ("YES", "BEYOND"), a vowel elsewhere ("TYRION",
"WYOMING"). Four-letter initialisms with vowels ("ACLU", "UCLA") pass this test, so
rules_en_caps asks for more letters or more context.
"""

from __future__ import annotations

import re
from itertools import groupby

# Consonant clusters that start English words (and names English readers meet: "Dj", "Vl", "Zh").
_ONSETS = frozenset(
    (
        "b c d f g h j k l m n p q r s t v w x y z "
        "bl br ch cl cr dj dr dw fl fr gh gl gn gr gw kh kl kn kr kw ph pl pn pr ps rh "
        "sc sh sk sl sm sn sp sq st sv sw th tr ts tw vl wh wr zh "
        "chl chr phl phr sch scr shr sph spl spr str thr"
    ).split()
)
# Consonant clusters that end them.
_CODAS = frozenset(
    (
        "b c d f g h j k l m n p r s t v w x z "
        "bs ch ck cs ct dd ds ff fs ft gg gh gn gs ks lb lc ld lf lk ll lm ln lp ls lt lv mb mn mp ms "
        "nc nd ng nk nn ns nt nx nz ph pt ps rb rc rd rf rg rk rl rm rn rp rr rs rt rv "
        "sh sk sm sp ss st th ts tt tz wk ws wn wl xt zz "
        "cks cts fth ght lds lfs lks lls lms lps lpt lts mbs mps mpt nch nds ngs nks nsk nth nts pts "
        "rch rck rds rks rld rls rms rns rps rsh rst rth rts rtz sks sps sts tch thm ths wns xth ghts ngth"
    ).split()
)
_LONGEST_VOWELS = 3
_TRIPLED = re.compile(r"(.)\1\1")


def _runs(word: str) -> list[tuple[bool, str]]:
    """``word`` cut into alternating vowel and consonant runs, each as (is_vowel, letters)."""

    def vowel(index: int) -> bool:
        letter = word[index]
        if letter == "y":
            opens = index == 0 or word[index - 1] in "aeiou"
            return not (opens and index + 1 < len(word) and word[index + 1] in "aeiou")
        return letter in "aeiou"

    return [(key, "".join(word[i] for i in group)) for key, group in groupby(range(len(word)), key=vowel)]


def _splits(cluster: str) -> bool:
    """Whether a cluster between two vowels is one syllable's ending followed by the next one's start."""
    return any(
        (not cluster[:cut] or cluster[:cut] in _CODAS) and (not cluster[cut:] or cluster[cut:] in _ONSETS)
        for cut in range(len(cluster) + 1)
    )


def pronounceable(word: str) -> bool:
    """Whether ``word`` (letters only, any case) is spelled the way English words are."""
    word = word.lower()
    if not (word.isascii() and word.isalpha()):
        return False
    runs = _runs(word)
    vowels = [letters for is_vowel, letters in runs if is_vowel]
    if not vowels or any(len(run) > _LONGEST_VOWELS or _TRIPLED.search(run) for run in vowels):
        return False
    for index, (is_vowel, letters) in enumerate(runs):
        if is_vowel:
            continue
        if index == 0:
            fits = letters in _ONSETS
        elif index == len(runs) - 1:
            fits = letters in _CODAS
        else:
            fits = _splits(letters)
        if not fits:
            return False
    return True
