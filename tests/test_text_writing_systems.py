"""The text's script against the voice's language: Han, kana and Devanagari need their languages."""

from __future__ import annotations

import pytest

from kokoro_tui.text.writing_systems import dominant_script, script_warning


@pytest.mark.parametrize(("text", "script"), [
    ("你好，今天天气很好。", "han"),
    ("こんにちは、元気ですか。", "kana"),
    ("私は学生です。", "kana"),  # kanji with kana is Japanese
    ("नमस्ते दुनिया", "devanagari"),
    ("Hello there.", None),
    ("I said 你好 to everyone in the room", None),  # a few Han letters in English text
    ("123 !!! ...", None),
    ("", None),
])
def test_dominant_script(text, script):
    assert dominant_script(text) == script


@pytest.mark.parametrize(("text", "lang"), [
    ("你好，今天天气很好。", "z"), ("你好，今天天气很好。", "j"), ("こんにちは", "j"), ("नमस्ते दुनिया", "h"),
    ("Hello there.", "z"), ("Hello there.", "j"), ("Hello there.", "h"), ("Hello there.", "a"),
])
def test_no_warning_when_the_language_reads_the_script(text, lang):
    assert script_warning(text, lang, "voice") is None


def test_warnings_name_the_voice_or_the_language_to_change():
    assert script_warning("你好，今天天气很好。", "a", "af_heart") == (
        "the text looks Chinese but voice af_heart reads American English; pass --voice zf_xiaobei or --lang z"
    )
    assert script_warning("こんにちは、元気ですか。", "z", "zf_xiaobei") == (
        "the text looks Japanese but voice zf_xiaobei reads Mandarin Chinese; pass --voice jf_alpha or --lang j"
    )
    assert script_warning("नमस्ते दुनिया", "e") == "the text looks Hindi but it is read as Spanish; pass --lang h"
