"""Units after a number in Hindi text ("100 किमी", "5 kg", "25°C"), said in full.

Hindi news shortens units to किमी, किग्रा, सेमी or writes them in Latin letters; espeak-ng
reads "किमी" as a word ("kimi"), spells "kg" as English letters and drops the degree sign of
"25°C" ("पच्चीस सी"). A unit is read as one only right after a number.
"""

from __future__ import annotations

from kokoro_tui.text.rewrite import alternation
from kokoro_tui.text.rules_hi_letters import LETTER

UNITS = {
    "किमी/घंटा": "किलोमीटर प्रति घंटा", "km/h": "किलोमीटर प्रति घंटा", "किमी": "किलोमीटर", "km": "किलोमीटर",
    "सेमी": "सेंटीमीटर", "cm": "सेंटीमीटर", "मिमी": "मिलीमीटर", "mm": "मिलीमीटर", "m": "मीटर",
    "किग्रा": "किलोग्राम", "kg": "किलोग्राम", "ग्रा": "ग्राम", "g": "ग्राम", "mg": "मिलीग्राम",
    "मिली": "मिलीलीटर", "ml": "मिलीलीटर", "l": "लीटर", "L": "लीटर",
    "°C": "डिग्री सेल्सियस", "℃": "डिग्री सेल्सियस", "°": "डिग्री",
}  # fmt: skip
SYMBOLS = alternation(UNITS)
END = rf"(?!{LETTER}|/)"  # the unit is not the start of a longer word
