"""`kokoro book` on PDFs in columns: each column read to its foot before the next, what spans the page
(a title, an abstract, a caption, a footnote) read where it stands, and a single column with spaces
lined up by chance (a table of contents, a poem, a justified paragraph) read across as before.

The PDFs are made with fpdf2, each line of text placed at a known position on a Letter page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from kokoro_tui.books.pdf_columns import column_pieces
from kokoro_tui.books.reader import read_book

PAGE_WIDTH = 612
MARGIN = 72
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
LEADING = 12
INDENT = 12
#: Two columns of 222 points with a gutter of 24 between them, under the 468 points of text width.
LEFT_X, RIGHT_X, COLUMN_WIDTH = MARGIN, 318, 222


@dataclass(frozen=True)
class Text:
    y: float  # the baseline, in points from the top of the page
    text: str
    x: float | None = None  # from the left edge; None centres the text
    size: float = 10
    style: str = ""


def layout_pdf(path: Path, pages: Sequence[Sequence[Text]]) -> Path:
    """A PDF of Letter pages, each text in Helvetica where it says (which must fit in the text width)."""
    from fpdf import FPDF

    pdf = FPDF(format="letter", unit="pt")
    pdf.set_auto_page_break(False)
    for page in pages:
        pdf.add_page()
        for text in page:
            pdf.set_font("Helvetica", text.style, text.size)
            width = pdf.get_string_width(text.text)
            assert width <= TEXT_WIDTH, text.text
            pdf.text((PAGE_WIDTH - width) / 2 if text.x is None else text.x, text.y, text.text)
    pdf.output(str(path))
    return path


def column(
    x: float, y: float, paragraphs: Sequence[Sequence[str]], width: float = COLUMN_WIDTH, *, runs_on: bool = False
) -> list[Text]:
    """Paragraphs down a column from baseline ``y``, each first line indented (but the first paragraph's if it
    ``runs_on`` from the column before) and no space between them. Each line must fit in ``width`` points."""
    from fpdf import FPDF

    measure = FPDF(unit="pt")
    measure.set_font("Helvetica", size=10)
    texts = []
    for number, lines in enumerate(paragraphs):
        for row, line in enumerate(lines):
            indent = INDENT if row == 0 and not (runs_on and number == 0) else 0
            assert measure.get_string_width(line) + indent <= width, line
            texts.append(Text(y, line, x + indent))
            y += LEADING
    return texts


def read_paragraphs(path: Path) -> list[str]:
    return [paragraph for chapter in read_book(path, pytest.fail).chapters for paragraph in chapter.paragraphs]


def joined(*paragraphs: Sequence[str]) -> list[str]:
    """Paragraphs of lines as a reader should find them: lines joined, "hyphen-" / "ated" as one word."""
    return [" ".join(lines).replace("- ", "") for lines in paragraphs]


TITLE = "Reading Order in Two Column Pages"
AUTHORS = "Ann Author and Bob Writer"
ABSTRACT = [
    "Abstract. A page set in two columns is read down the left column and then down the right one,",
    "never across the gutter between them. This short paper shows how a reader finds the gutter.",
]
LEFT = [
    ["Printed pages often hold two columns of", "text side by side, as journals, papers and",
     "magazines do. A reader follows a column", "down to its foot before starting the next."],
    ["A machine that reads every printed line", "across the whole width of the page mixes",
     "the two columns into one meaningless hyph-", "enated jumble of half sentences."],
    ["The cure is to look for the gutter first.", "The gutter is a band of blank space run-"],
]
RIGHT = [
    ["ning down the page between the columns,", "blank on every line beside it."],
    ["Where the band stops, at a title across", "the page or at a caption, the columns",
     "stop with it and begin again below."],
    ["Narrow bands are no gutter: page numbers", "of a table of contents are no column."],
]


def two_column_page() -> list[Text]:
    """A paper's first page: title, authors and abstract across it, two columns of paragraphs, a page number."""
    head = [Text(72, TITLE, size=16, style="B"), Text(100, AUTHORS, size=11)]
    head += [Text(130 + LEADING * row, line, MARGIN) for row, line in enumerate(ABSTRACT)]
    return [*head, *column(LEFT_X, 180, LEFT), *column(RIGHT_X, 180, RIGHT, runs_on=True), Text(740, "1")]


def test_a_two_column_page_is_read_a_column_at_a_time_under_its_title_and_abstract(tmp_path):
    single = ["This page of the same paper is set in a single column across the whole width of the",
              "page, so that it is read line by line as it always was, with no gutter to be found in",
              "it, and its paragraph starts on an indented line as the ones before it did."]
    pages = [two_column_page(), column(MARGIN, 100, [single], TEXT_WIDTH)]
    paragraphs = read_paragraphs(layout_pdf(tmp_path / "paper.pdf", pages))
    left_then_right = [*LEFT[:2], LEFT[2] + RIGHT[0], *RIGHT[1:]]  # the left's last paragraph runs on at the right
    assert paragraphs == [TITLE, AUTHORS, *joined(ABSTRACT, *left_then_right, single)]
    assert "one meaningless hyphenated jumble" in paragraphs[4] and "space running down" in paragraphs[5]


def test_columns_stop_at_a_caption_across_the_page_and_above_a_footnote(tmp_path):
    above_left = [["Above the figure the left column opens", "the page with a paragraph of its own,",
                   "a short one that fills four lines of", "the column."]]
    above_right = [["And the right column beside it carries", "on with a second paragraph up here",
                    "that is just as short, four lines in", "all."]]
    caption = ["Figure 1. A caption set across the whole width of the page, under a figure that spans both",
               "of the columns, breaks them: the text above it is read before the caption, the rest after it."]
    below_left = [["Below the caption the left column takes", "up the text again with a third",
                   "paragraph, four lines long like the", "others."]]
    below_right = [["The right column ends the page with its", "fourth paragraph, just above the note",
                    "at the foot of the page, and then it", "stops."]]
    note = ["1 A footnote across the bottom of the page is read last, after both of the columns above it."]
    page = [*column(LEFT_X, 100, above_left), *column(RIGHT_X, 100, above_right),
            *[Text(300 + LEADING * row, line, MARGIN) for row, line in enumerate(caption)],
            *column(LEFT_X, 350, below_left), *column(RIGHT_X, 350, below_right), Text(420, note[0], MARGIN, size=8)]
    paragraphs = read_paragraphs(layout_pdf(tmp_path / "caption.pdf", [page]))
    assert paragraphs == joined(*above_left, *above_right, caption, *below_left, *below_right, note)


def test_three_columns_are_read_left_to_right(tmp_path):
    width = 144
    first = [["The first of three narrow", "columns, as a magazine", "sets them, opens here."],
             ["A second paragraph in it", "runs to the foot."]]
    second = [["The middle column goes", "on with the story in its", "own short paragraph,"],
              ["and then it starts one", "more of two lines."]]
    third = [["And the third column at", "the right brings it to a", "close at the end here,"],
             ["with a last word or two", "under the rest."]]
    page = [*column(MARGIN, 100, first, width), *column(234, 100, second, width), *column(396, 100, third, width)]
    assert read_paragraphs(layout_pdf(tmp_path / "three.pdf", [page])) == joined(*first, *second, *third)


#: A table of contents: titles, and page numbers at the right margin.
CONTENTS = [
    [(MARGIN, "The Beginning of the Long Road"), (520, "1")],
    [(MARGIN, "Into the Forest"), (520, "23")],
    [(MARGIN, "A House by the Lake"), (520, "57")],
    [(MARGIN, "The Road Home Again"), (520, "101")],
]
#: A poem in half-lines parted by a wide space, with a line number every other line.
POEM = [
    [(100, "So the old song ran on"), (230, "over hill and water,")],
    [(100, "and the young ones sang"), (230, "it after their fathers,"), (480, "2")],
    [(100, "till the hall was bright"), (230, "with the sound of it,")],
    [(100, "and no one there slept"), (230, "until the morning."), (480, "4")],
]
#: A justified paragraph whose widest spaces line up on four lines.
JUSTIFIED = [
    [(MARGIN, "This paragraph is set justified, with its words spread out to fill the line")],
    [(MARGIN, "from one side to the other; here and"), (300, "there its widest spaces line up, one")],
    [(MARGIN, "under the other, four lines in a row"), (300, "down the page, though it is a single")],
    [(MARGIN, "column all the same, and it is read"), (300, "straight across from its left margin")],
    [(MARGIN, "to the right one, with its lines not"), (300, "parted in the middle by the spaces,")],
    [(MARGIN, "to its right margin, line by line, as the print is meant to be read by all.")],
]


@pytest.mark.parametrize("lines", [CONTENTS, POEM, JUSTIFIED], ids=["contents", "poem", "justified"])
def test_a_single_column_with_spaces_lined_up_is_read_across(tmp_path, lines):
    """The page numbers and the half-lines are too narrow for columns, the paragraph's band too short to
    stand apart from the lines around it."""
    page = [Text(100 + LEADING * row, text, x) for row, line in enumerate(lines) for x, text in line]
    read_across = " ".join(text for line in lines for _, text in line)
    assert read_paragraphs(layout_pdf(tmp_path / "single.pdf", [page])) == [read_across]


def test_column_pieces_split_at_the_gutter_and_keep_a_page_in_one_column_whole():
    left = ["The left column of this page has some", "lines of text that fill it up well", "and goes on for a",
            "while, then it stops."]
    right = ["While the right column beside it goes", "on with lines of its own down the", "page, one after the",
             "other, to its foot."]
    page = ["A TITLE ACROSS THE WHOLE WIDTH OF THIS PAGE, FROM ONE SIDE TO THE OTHER", ""]
    page += [f"{a:<45}{b}" for a, b in zip(left, right)]
    assert column_pieces(page) == [[*page[:2], *left], right]
    assert column_pieces(page[:2]) == [page[:2]]
    assert column_pieces([]) == [[]]


def test_a_column_line_set_into_the_gutter_is_parted_at_its_space():
    """pypdf sets a line of narrow letters wider than it prints, up to the next column's text; one such line in
    ten still leaves the gutter, and the line is parted at the space before the next column's text."""
    left = [f"line {row} of the left column reads on" for row in range(12)]
    right = [f"and line {row} of the right one as well" for row in range(12)]
    page = [f"{a:<45}{b}" for a, b in zip(left, right)]
    left[5] = "a line of little illicit lilies fills it up"
    page[5] = f"{left[5]:<45}{right[5]}"
    assert column_pieces(page) == [left, right]
