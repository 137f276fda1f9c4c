"""Hindi abbreviations, said in full.

espeak-ng reads "डॉ. शर्मा" as "डॉ" and a full stop, so the sentence was cut after the title;
"नं." and "प्रो." it reads as syllables. Titles stand before a name, "नं." before a number.
"""

from __future__ import annotations

import re

from kokoro_tui.text.rewrite import Rule, alternation
from kokoro_tui.text.rules_hi_letters import LETTER

TITLES = {"डॉ.": "डॉक्टर", "डॉ": "डॉक्टर", "प्रो.": "प्रोफ़ेसर", "कु.": "कुमारी", "सु.": "सुश्री", "स्व.": "स्वर्गीय"}
REFERENCES = {"नं.": "नंबर", "क्र.": "क्रमांक"}


RULES = [
    Rule(
        "title",
        re.compile(rf"(?<!{LETTER})(?:{alternation(TITLES)})(?!{LETTER})(?=\s*[^\W\d_])"),
        lambda m: TITLES[m.group()],
    ),
    Rule(
        "reference",
        re.compile(rf"(?<!{LETTER})(?:{alternation(REFERENCES)})(?=\s*\d)"),
        lambda m: REFERENCES[m.group()],
    ),
]
