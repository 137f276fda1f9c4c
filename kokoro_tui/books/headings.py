"""Chapters of text without markup (plain text, a PDF without bookmarks), found by their headings.

A heading is a short paragraph that opens with "Chapter 12", "CHAPTER IV.", "Part Two", "Book the
First" or a word such as "Prologue", and stands alone: nothing or a title follows, not the rest of a
sentence ("Part I liked best was the ending."). Roman numerals count in capitals only, so that "Book
did well" is no "Book D". A contents list set as separate paragraphs (Project Gutenberg's often are)
repeats the headings ahead of the chapters: a heading followed by nothing but short lines whose
"Chapter 12" comes again later is such an entry, and stays in the text before it (the front matter)
instead of opening a chapter of its own. Without any heading, a short paragraph after a long gap
(three or more blank lines, as Project Gutenberg's texts set chapters) opens a section. Without
either, the text is one chapter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kokoro_tui.books.book import Chapter, chapter, count_words

_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
    "first second third fourth fifth sixth seventh eighth ninth tenth last"
).split()
_NUMBER = rf"(?:\d+|[IVXLCDM]+|(?i:(?:the\s+)?(?:{'|'.join(_NUMBER_WORDS)})(?:-[a-z]+)?))"
_SECTION_WORD = "(?i:prologue|epilogue|preface|foreword|introduction|afterword|interlude)"
_HEADING = re.compile(rf"^(?:(?i:chapter|part|book)\s+{_NUMBER}\b|{_SECTION_WORD}\b)")
#: What may stand between "Chapter 12" and its title.
_SEPARATORS = ".:-–—"
#: A word that ends a sentence inside a title; short capitalised ones are abbreviations ("Mr. Bennet").
_SENTENCE_END = re.compile(r"(\w+)[.!?;]\s")
MAX_HEADING_WORDS = 12
#: A short line right after a heading is its subtitle ("CHAPTER I." then "Down the Rabbit-Hole").
MAX_SUBTITLE_WORDS = 8
#: Blank lines before a paragraph that make it a section title when the text has no headings.
SECTION_GAP = 3


@dataclass(frozen=True)
class Paragraph:
    text: str
    gap: int = 1  # blank lines before it


def _is_title(rest: str) -> bool:
    """Whether what follows "Chapter 12" is nothing or a title, not the rest of a sentence."""
    title = rest.strip()
    if title[:1] in _SEPARATORS:
        title = title[1:].strip()
    elif title[:1].islower() or title[:1] in "'’":  # "Part I liked it", "Chapter I'm in"
        return False
    return all(len(word) <= 3 and word[0].isupper() for word in _SENTENCE_END.findall(title))


def _heading_key(text: str) -> str | None:
    """``chapter iv`` for "CHAPTER IV. The Storm": what names the chapter, however a contents list sets it;
    None if ``text`` is no heading."""
    match = _HEADING.match(text)
    if count_words(text) > MAX_HEADING_WORDS or match is None or not _is_title(text[match.end() :]):
        return None
    return " ".join(match[0].lower().split())


def is_heading(text: str) -> bool:
    return _heading_key(text) is not None


def _contents_entries(texts: Sequence[str], heads: Sequence[int]) -> set[int]:
    """The heads of a contents list: followed by nothing but short lines, their "Chapter 12" coming again later."""
    keys = [_heading_key(texts[head]) for head in heads]
    ends = [*heads[1:], len(texts)]
    return {
        head
        for n, (head, end) in enumerate(zip(heads, ends))
        if keys[n] in keys[n + 1 :]
        and all(count_words(text) <= MAX_SUBTITLE_WORDS for text in texts[head + 1 : end])
    }


def _is_subtitle(text: str) -> bool:
    return count_words(text) <= MAX_SUBTITLE_WORDS and not text.rstrip().endswith((".", "!", "?")) and not is_heading(text)


def heading_title(texts: Sequence[str], start: int, end: int) -> str:
    """The title of the chapter whose heading is ``texts[start]``: the heading, and its subtitle if one follows."""
    title = texts[start].strip()
    if start + 1 < end and _is_subtitle(texts[start + 1]):
        joiner = " " if title.endswith((".", ":", "-", "—")) else ": "
        title = f"{title}{joiner}{texts[start + 1].strip()}"
    return title


def chapters_at(texts: Sequence[str], starts: Sequence[tuple[int, str]], opening_title: str) -> list[Chapter]:
    """Chapters that begin at the paragraphs ``starts`` (index, title) and run to the next; the text
    before the first one is an opening chapter named ``opening_title``. Empty chapters are dropped."""
    bounds = [(0, opening_title), *starts] if not starts or starts[0][0] > 0 else list(starts)
    found = []
    for (begin, title), (end, _) in zip(bounds, [*bounds[1:], (len(texts), "")]):
        made = chapter(title, list(texts[begin:end]))
        if made is not None:
            found.append(made)
    return found


def split_chapters(paragraphs: Sequence[Paragraph], opening_title: str) -> list[Chapter]:
    """Chapters at the headings, else at the long gaps, else one chapter named ``opening_title``."""
    texts = [p.text for p in paragraphs]
    heads = [i for i, text in enumerate(texts) if is_heading(text)]
    listed = _contents_entries(texts, heads)
    heads = [head for head in heads if head not in listed]
    if not heads:
        heads = [i for i, p in enumerate(paragraphs) if i and p.gap >= SECTION_GAP and count_words(p.text) <= MAX_SUBTITLE_WORDS]
    ends = [*heads[1:], len(texts)]
    return chapters_at(texts, [(i, heading_title(texts, i, end)) for i, end in zip(heads, ends)], opening_title)
