"""Words the front end will not speak, collected so that the user is told once, in one line.

A word is skipped when its letters are in a script the language's G2P cannot read (它 would
come out as "Chinese letter") or when the G2P gives it no pronunciation at all. Skipped words
keep their place (zero-length timestamps) but make no sound; nothing disappears silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SHOWN_WORDS = 6
NO_PRONUNCIATION = "no pronunciation"


@dataclass(frozen=True)
class SkippedWord:
    text: str
    start: int  # span in the original text
    end: int
    reason: str  # "Cyrillic letters", or NO_PRONUNCIATION


@dataclass
class SkipReport:
    """A sink for ``TextFrontend.chunks(on_skip=...)`` that can describe what it received."""

    words: list[SkippedWord] = field(default_factory=list)

    def __call__(self, word: SkippedWord) -> None:
        self.words.append(word)

    def message(self, language_name: str) -> str | None:
        """'skipped 3 words: Привет, мир (Cyrillic letters, which American English cannot read); …' or None."""
        if not self.words:
            return None
        by_reason: dict[str, list[str]] = {}
        for word in self.words:
            by_reason.setdefault(word.reason, []).append(word.text)
        parts = []
        for reason, texts in by_reason.items():
            shown = ", ".join(dict.fromkeys(texts[:SHOWN_WORDS])) + (", …" if len(texts) > SHOWN_WORDS else "")
            why = reason if reason == NO_PRONUNCIATION else f"{reason}, which {language_name} cannot read"
            parts.append(f"{shown} ({why})")
        count = len(self.words)
        return f"skipped {count} word{'s' if count != 1 else ''}: " + "; ".join(parts)
