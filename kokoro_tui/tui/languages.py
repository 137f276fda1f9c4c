"""Short language names for the dashboard's narrow columns and legends, one per code the library knows.

Built from ``text.languages.LANGUAGES``, so a language added there (Russian came after the panes)
gets a name here too instead of a blank cell or a missing key.
"""

from __future__ import annotations

from kokoro_tui.text.languages import LANGUAGES

#: Where the full name is too wide for the voice table's language column.
_SHORTER = {
    "a": "US English",
    "b": "UK English",
    "p": "Portuguese",
    "z": "Mandarin",
}
SHORT_NAMES: dict[str, str] = {code: _SHORTER.get(code, language.name) for code, language in LANGUAGES.items()}
