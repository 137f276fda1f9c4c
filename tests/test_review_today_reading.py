"""English numbers beside today's reading rules (versions after a name, scaled ranges): a money range with a scale,
and a measure after a name that numbers versions or sections."""

from __future__ import annotations

import pytest

from kokoro_tui.text.normalize import normalize

READINGS = [
    # the scale of a money range is its low end's too, decimal or not
    ("$1.5-2M", "one point five to two million dollars"),
    ("€1.5-2.5 million", "one point five to two point five million euros"),
    ("$5-10M", "five to ten million dollars"),
    ("$4.99-9.99", "four dollars and ninety-nine cents to nine dollars and ninety-nine cents"),
    # a unit after the number makes it a measure, not a version or a section number
    ("Step 2.50 cups of flour", "Step two point five zero cups of flour"),
    ("Section 3.14 kg", "Section three point one four kilograms"),
    ("Python 3.12 users", "Python three point twelve users"),
    ("Table 1.10", "Table one point ten"),
    ("3.14 kg", "three point one four kilograms"),
]


@pytest.mark.parametrize(("text", "spoken"), READINGS)
def test_reading(text: str, spoken: str) -> None:
    assert normalize(text, "a").text == spoken
