"""Markup a power user writes at its edges: a backslash escaping a tag, a pronunciation longer than the
model takes or written with a plain "g", and a Markdown book's own links beside its pronunciations."""

from __future__ import annotations

import pytest

from kokoro_tui.books.markup import read_markdown
from kokoro_tui.text.markup import MarkupRules, Pause, Spoken, parse_markup

RULES = MarkupRules((0.25, 4.0))


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        (r"Write \[pause:1s] to pause.", "Write  [pause:1s] to pause."),
        (r"Write \[tomato](/təmˈɑːtoʊ/) to say it.", "Write  [tomato](/təmˈɑːtoʊ/) to say it."),
        (r"A lone \[ and \] stay.", "A lone  [ and  ] stay."),
    ],
)
def test_a_backslash_makes_the_markup_it_opens_text_without_a_warning(text, spoken) -> None:
    script = parse_markup(text, RULES)
    assert script.warnings == ()
    assert script.parts == (Spoken(0, len(text)),)
    assert script.spoken == spoken  # the backslash is blanked, every offset kept


def test_an_escaped_tag_leaves_the_next_one_obeyed() -> None:
    text = r"\[pause:1s] then [pause:2s]"
    assert [part for part in parse_markup(text, RULES).parts if isinstance(part, Pause)] == [Pause(2.0, 17, 27)]


def test_a_pronunciation_longer_than_a_chunk_is_read_as_text_with_a_warning() -> None:
    phonemes = " ".join(["təmˈɑːtoʊ"] * 60)  # 599 symbols: one word no chunk of 510 could hold
    script = parse_markup(f"[word](/{phonemes}/) end.", RULES)
    assert script.parts == (Spoken(0, len(phonemes) + 15),)
    assert "599 phoneme symbols, more than the 510 the model says in one go" in script.warnings[0]


def test_a_plain_g_in_a_pronunciation_is_named_with_what_to_write() -> None:
    (warning,) = parse_markup("[Gandalf](/ˈgændɑlf/)", RULES).warnings
    assert warning.endswith("(phoneme symbols the model does not know: g; write ɡ (U+0261) for g)")


def test_a_markdown_books_own_links_are_read_as_their_text() -> None:
    source = (
        "# One\n\nSee [About us](/about-us/), [the 2019 post](/post_2019/), "
        "[tomato](/təmˈɑːtoʊ/) and [Gandalf](/ˈgændɑlf/).\n\n# Two\n\nEnd.\n"
    )
    (paragraph,) = read_markdown(source.encode("utf-8"), "book.md", print).chapters[0].paragraphs[1:]
    # the links' paths are not read (nor refused as phonemes); a pronunciation, even a mistyped one, stays
    assert paragraph == "See About us, the 2019 post, [tomato](/təmˈɑːtoʊ/) and [Gandalf](/ˈgændɑlf/)."


def test_subtitles_show_an_escaped_tag_without_its_backslash(tmp_path) -> None:
    from kokoro_tui.speech.pipeline import Pipeline
    from kokoro_tui.speech.subtitles import HIDDEN

    text = r"Type \[pause:1s] to pause."
    shown = Pipeline("af_heart", home=tmp_path, on_warning=pytest.fail).shown_text(text)
    assert shown.replace(HIDDEN, "") == "Type [pause:1s] to pause."
    assert len(shown) == len(text)  # the words' spans still index it
