"""Whether a transcript can stand for its recording in the given language.

Training pairs the phonemes of the transcript with the audio. Letters of a script the language's
G2P cannot read are skipped or spelt out as noise, so the audio would hold words the phonemes do
not: the pair teaches the wrong alignment, and the take is better left out.
"""

from __future__ import annotations

from kokoro_tui.text.languages import Language
from kokoro_tui.text.writing_systems import foreign_scripts


def transcript_problem(text: str, language: Language) -> str | None:
    """Why ``text`` cannot be a training transcript in ``language``, or None when it can."""
    if not text:
        return "empty transcript"
    scripts = foreign_scripts(text, language.code)
    if scripts:
        names = " and ".join(script.title() for script in scripts)
        return f"transcript has {names} letters, which {language.name} cannot read"
    return None
