"""Inline markup in the text front end: the parser, pronunciations reaching the phonemes, spans into the input.

Torch-free and fast: the real TextFrontend on the fake G2P of test_text_chunk (a word's phonemes are its
lower-cased letters), so every phoneme that is not a word's letters came from the markup or the lexicon.
"""

from __future__ import annotations

import re

import pytest
from test_text_chunk import fake_g2p

from kokoro_tui.books.markup import read_markdown
from kokoro_tui.errors import NothingToSayError
from kokoro_tui.text.chunk import TextChunk
from kokoro_tui.text.frontend import TextFrontend
from kokoro_tui.text.lexicon import Lexicon, make_entry
from kokoro_tui.text.markup import (
    MarkupRules,
    Pause,
    Script,
    SpeedSwitch,
    Spoken,
    VoiceSwitch,
    parse_markup,
    plain_script,
)
from kokoro_tui.text.overrides import Override
from kokoro_tui.text.script import read_script

VOICES = {"af_bella", "am_adam", "af_heart:0.7,am_adam:0.3"}
RULES = MarkupRules((0.25, 4.0), lambda spec: None if spec in VOICES else f"unknown voice {spec!r}")


def parse(text: str) -> Script:
    return parse_markup(text, RULES)


def read(text: str, lexicon: Lexicon | None = None, markup: bool = True) -> list:
    frontend = TextFrontend("a", g2p=fake_g2p)
    script = parse(text) if markup else plain_script(text)
    assert not script.warnings, script.warnings
    return list(read_script(script, frontend.chunks, None if lexicon is None else (lambda s: lexicon.find(s, "a"))))


def said(chunk: TextChunk, word: str) -> str:
    """The phonemes of ``word`` (the first of that text) in ``chunk``."""
    (found,) = [w for w in chunk.words if w.text == word][:1]
    return chunk.phonemes[found.phoneme_start : found.phoneme_end]


@pytest.mark.parametrize(
    ("tag", "cue"),
    [
        ("[pause:1.5s]", Pause(1.5, 3, 15)),
        ("[pause:500ms]", Pause(0.5, 3, 16)),
        ("[pause:2]", Pause(2.0, 3, 12)),
        ("[PAUSE: 0.25 s]", Pause(0.25, 3, 18)),
        ("[pause:60s]", Pause(60.0, 3, 14)),
        ("[voice:af_bella]", VoiceSwitch("af_bella", 3, 19)),
        ("[voice:af_heart:0.7,am_adam:0.3]", VoiceSwitch("af_heart:0.7,am_adam:0.3", 3, 35)),
        ("[speed:1.2]", SpeedSwitch(1.2, 3, 14)),
        ("[speed:0.25]", SpeedSwitch(0.25, 3, 15)),
    ],
)
def test_each_tag_becomes_its_cue_between_the_spoken_stretches(tag: str, cue) -> None:
    text = f"Hi {tag} there."
    script = parse(text)
    assert script.warnings == ()
    assert script.parts == (Spoken(0, 3), cue, Spoken(cue.end, len(text)))
    assert text[cue.start : cue.end] == tag


def test_a_pronunciation_blanks_only_its_markup_and_keeps_every_offset() -> None:
    text = "I like [tomato](/təmˈɑːtoʊ/) and [ New  York ](/nˈu jˈɔɹk/)!"
    script = parse(text)
    (part,) = script.parts
    assert [text[o.start : o.end] for o in part.overrides] == ["tomato", "New  York"]
    assert [o.phonemes for o in part.overrides] == ["təmˈɑːtoʊ", "nˈu jˈɔɹk"]
    assert [o.space_after for o in part.overrides] == [True, False]  # "!" follows the second at once
    assert len(script.spoken) == len(text)
    assert script.spoken.split() == ["I", "like", "tomato", "and", "New", "York", "!"]


MALFORMED = [
    ("[pause:abc]", "is not a length"),
    ("[pause:-1s]", "is not a length"),
    ("[pause:61s]", "at most 60 seconds"),
    ("[pause:1.5s", 'no closing "]"'),
    ("[speed:9]", "from 0.25 to 4"),
    ("[speed:fast]", "from 0.25 to 4"),
    ("[voice:nobody]", "unknown voice 'nobody'"),
    ("[voice:]", "no voice named"),
    ("[pitch:+2]", "unknown tag 'pitch'"),
    ("[tomato](/təmˈɑ", 'no closing "/)"'),
    ("[tomato](/tə ʘ/)", "symbols the model does not know: ʘ"),
    ("[tomato](//)", "no phonemes"),
    ("[…](/təmˈɑːtoʊ/)", "no word inside"),
    ("tomato](/təmˈɑːtoʊ/)", 'no "[words" before it'),
]


def test_malformed_markup_stays_text_with_one_warning_naming_its_line() -> None:
    text = "First line is fine.\n" + "\n".join(f"Say {fragment} now." for fragment, _ in MALFORMED)
    script = parse(text)
    assert len(script.warnings) == len(MALFORMED)
    for line, ((fragment, reason), warning) in enumerate(zip(MALFORMED, script.warnings), 2):
        shown = fragment.split(" now")[0]
        assert warning.startswith(f'line {line}: "{shown.removeprefix("tomato")}'), warning
        assert "is read as text" in warning and reason in warning, warning
    assert script.parts == (Spoken(0, len(text)),) and script.spoken == text  # every fragment is spoken as written
    frontend = TextFrontend("a", g2p=fake_g2p)
    (chunk,) = read_script(parse("Say [pitch:+2] and [pause:abc] now."), frontend.chunks)
    assert chunk.phonemes.startswith("say pitch") and "pause" in chunk.phonemes and "abc" in chunk.phonemes


@pytest.mark.parametrize(
    "prose",
    [
        "He wrote it [sic] twice.",
        "As shown [1], [2].",
        "[Note: see below.]",
        "A [link](http://example.com).",
        "At [12:30] or [http://example.com] or [mailto:a@b.c].",
        "Stage: [pause] and [Voice over] here.",
    ],
)
def test_ordinary_brackets_are_prose_without_a_warning(prose: str) -> None:
    script = parse(prose)
    assert script.warnings == () and script.parts == (Spoken(0, len(prose)),) and script.spoken == prose


def test_no_markup_reads_every_bracket_as_written() -> None:
    text = "Wait [pause:1s] for [tomato](/təmˈɑːtoʊ/)."
    assert plain_script(text) == Script(text, text, (Spoken(0, len(text)),))
    (chunk,) = read(text, markup=False)
    assert "təmˈɑːtoʊ" in chunk.phonemes and "pause" in chunk.phonemes  # the IPA read as letters, the tag too
    assert said(chunk, "tomato") == "tomato"


def test_a_pronunciation_is_exactly_the_phonemes_of_its_words_and_spans_them() -> None:
    text = "I like [tomato](/təmˈɑːtoʊ/) soup in [New York](/nˈu jˈɔɹk/)."
    (chunk,) = read(text)
    assert chunk.phonemes == "i like təmˈɑːtoʊ soup in nˈu jˈɔɹk."
    assert chunk.text == text  # the input's own text, markup included
    assert [(w.text, text[w.start_char : w.end_char]) for w in chunk.words] == [
        ("I", "I"),
        ("like", "like"),
        ("tomato", "tomato"),
        ("soup", "soup"),
        ("in", "in"),
        ("New York", "New York"),
    ]
    assert (chunk.words[2].start_char, chunk.words[2].end_char) == (8, 14)
    assert said(chunk, "New York") == "nˈu jˈɔɹk"


def test_a_pronunciation_is_said_even_in_a_script_the_language_cannot_read() -> None:
    skipped: list = []
    frontend = TextFrontend("a", g2p=fake_g2p)
    text = "Say [Привет](/pɾʲivʲˈet/), Мир."
    (chunk,) = read_script(parse(text), frontend.chunks, on_skip=skipped.append)
    assert said(chunk, "Привет") == "pɾʲivʲˈet"
    assert [word.text for word in skipped] == ["Мир"]  # the other Cyrillic word is still reported


def test_chunks_and_words_after_cues_index_the_whole_input() -> None:
    text = "One two.\n[pause:1s] Three [voice:am_adam]four [tomato](/təmˈɑːtoʊ/).\n\n[speed:2]Five six."
    parts = read(text)
    kinds = [type(part).__name__ for part in parts]
    assert kinds == ["TextChunk", "Pause", "TextChunk", "VoiceSwitch", "TextChunk", "SpeedSwitch", "TextChunk"]
    chunks = [part for part in parts if isinstance(part, TextChunk)]
    for chunk in chunks:
        assert chunk.text == text[chunk.start_char : chunk.end_char]
        assert all(w.text == text[w.start_char : w.end_char] for w in chunk.words)
    assert [w.text for c in chunks for w in c.words] == ["One", "two", "Three", "four", "tomato", "Five", "six"]
    assert chunks[2].text == "four [tomato](/təmˈɑːtoʊ/)."
    assert said(chunks[2], "tomato") == "təmˈɑːtoʊ"


def test_first_max_tokens_shortens_only_the_first_spoken_chunk() -> None:
    frontend = TextFrontend("a", g2p=fake_g2p)
    text = "[pause:1s]Every single evening of the year, he went home. [pause:1s]Every single evening, he went home."
    chunks = [p for p in read_script(parse(text), frontend.chunks, first_max_tokens=40) if isinstance(p, TextChunk)]
    assert [chunk.text for chunk in chunks] == [
        "Every single evening of the year,",
        "he went home.",
        "Every single evening, he went home.",
    ]


def test_nothing_to_say_is_an_error_only_when_nothing_sounds() -> None:
    assert [type(p).__name__ for p in read("[pause:1s] ... [pause:2s]")] == ["Pause", "Pause"]
    with pytest.raises(NothingToSayError, match="besides its markup"):
        read("[voice:am_adam] [speed:2] [pause:0]")
    with pytest.raises(NothingToSayError, match="empty"):
        read("   ")
    with pytest.raises(NothingToSayError, match="only punctuation"):
        read("?! [speed:2] ...")


def test_the_lexicon_applies_where_markup_gave_no_pronunciation() -> None:
    lexicon = Lexicon([make_entry("tomato", "tˈOmAtO"), make_entry("soup", "sˈup")])
    (chunk,) = read("Tomato soup, [tomato](/təmˈɑːtoʊ/) soups.", lexicon)
    assert [chunk.phonemes[w.phoneme_start : w.phoneme_end] for w in chunk.words] == [
        "tˈOmAtO",
        "sˈup",
        "təmˈɑːtoʊ",
        "soups",
    ]


def test_a_markdown_book_keeps_its_pronunciations_as_text() -> None:
    source = "## One\n\nI like [tomato](/təmˈɑːtoʊ/), [a link](https://example.com) and [pause:1s] this.\n\n## Two\n"
    first = read_markdown(source.encode("utf-8"), "book.md", print).chapters[0]
    assert first.paragraphs[-1] == "I like [tomato](/təmˈɑːtoʊ/), a link and [pause:1s] this."


def test_override_words_keep_their_place_when_the_g2p_made_nothing_of_them() -> None:
    frontend = TextFrontend("a", g2p=lambda text: [t for t in fake_g2p(text) if t.phonemes != "zz"])
    (chunk,) = frontend.chunks("aa zz bb.", overrides=[Override(3, 5, "zˈɛd")])
    assert chunk.phonemes == "aa zˈɛd bb." and [w.text for w in chunk.words] == ["aa", "zz", "bb"]
    assert re.fullmatch(r"aa zz bb\.", chunk.text)
