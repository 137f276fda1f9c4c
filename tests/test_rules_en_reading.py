"""English reading fixes from a review: each input below was read wrongly before."""

from __future__ import annotations

import pytest

from kokoro_tui.text.normalize import normalize
from kokoro_tui.text.rules_en_pronounceable import pronounceable

READINGS = [
    # the pronoun "I" stays a pronoun; "I" is a numeral only where numbering or a monarch is clear
    ("It was the book I was reading.", "It was the book I was reading."),
    ("the part I was in", "the part I was in"),
    ("the class I taught", "the class I taught"),
    ("the type I like", "the type I like"),
    ("When I saw John I was relieved.", "When I saw John I was relieved."),
    ("When I saw Mary I had left.", "When I saw Mary I had left."),
    ("I met Paul I think", "I met Paul I think"),
    ("Chapter I", "Chapter one"),
    ("Book I begins", "Book one begins"),
    ("Act I, Scene II", "Act one, Scene two"),
    ("Volume I of the set", "Volume one of the set"),
    ("World War I", "World War one"),
    ("type I diabetes", "type one diabetes"),
    ("King George I", "King George the First"),
    ("Pope John Paul I", "Pope John Paul the First"),
    ("under King Henry I was", "under King Henry the First was"),
    ("Who followed Henry I?", "Who followed Henry the First?"),
    ("Charles I of England", "Charles the First of England"),
    ("Part I was written in 1850.", "Part one was written in eighteen fifty."),
    ("Book I was the longest.", "Book one was the longest."),
    ("World War I was terrible.", "World War one was terrible."),
    ("When Henry I died, the throne passed.", "When Henry the First died, the throne passed."),
    ("under Henry I the kingdom grew", "under Henry the First the kingdom grew"),
    ("Then I was", "Then I was"),
    ("a part I had written", "a part I had written"),
    ("Part I think is best", "Part I think is best"),
    ("He was as tall as John I was told.", "He was as tall as John I was told."),
    # a numeral that is a whole line is a heading
    ("XIV.", "fourteen."),
    ("II", "two"),
    ("Chapter\n\nXIV.\n\nIt began.", "Chapter\nfourteen.\nIt began."),
    ("I", "I"),
    ("X", "X"),
    # Dr. and St. are titles before a name, streets after a house number or at a sentence's end
    ("on Monday Dr. Smith would call", "on Monday Doctor Smith would call"),
    ("In London St. Paul's", "In London Saint Paul's"),
    ("the American Dr. Oz", "the American Doctor Oz"),
    ("123 Elm St.", "one hundred twenty-three Elm Street."),
    ("at 5 Baker St. today", "at five Baker Street today"),
    ("lives on Elm St.", "lives on Elm Street."),
    ("on 5 March Dr. Smith", "on March fifth Doctor Smith"),
    # a unit's period is read with it; it stays only where the sentence ends
    ("He was 6 ft. tall", "He was six feet tall"),
    ("10 oz. of gold", "ten ounces of gold"),
    ("180 lbs. at the time", "one hundred eighty pounds at the time"),
    ("He is 6 ft. 2 in. tall", "He is six feet two inches tall"),
    ("Run 5 km. Then rest.", "Run five kilometers. Then rest."),
    # titles and scholarly abbreviations
    ("Fr. Brown", "Father Brown"),
    ("Rev. Green", "Reverend Green"),
    ("Pres. Lincoln", "President Lincoln"),
    ("Maj. Tom", "Major Tom"),
    ("Det. Smith", "Detective Smith"),
    ("Insp. Lestrade", "Inspector Lestrade"),
    ("Mme. Curie", "Madame Curie"),
    ("Mlle. Dupont", "Mademoiselle Dupont"),
    ("Smith et al. found", "Smith et al found"),
    ("as Smith et al.", "as Smith et al."),
    ("vol. 3", "volume three"),
    ("ch. 5", "chapter five"),
    ("cf. the book", "compare the book"),
    ("ca. 1900", "circa nineteen hundred"),
    ("Ms Jones", "Miz Jones"),
    ("rev. 2 of the spec", "rev. two of the spec"),
    ("Los Angeles, CA.", "Los Angeles, CA."),
    # ranges of percentages and money
    ("10-15%", "ten to fifteen percent"),
    ("10%-15%", "ten percent to fifteen percent"),
    ("$5-10", "five to ten dollars"),
    ("$5\u2013$10", "five dollars to ten dollars"),
    ("$5-10 million", "five to ten million dollars"),
    ("-5%", "minus five percent"),
    # set phrases and mixed numbers
    ("9/11", "nine eleven"),
    ("1 1/2 cups", "one and a half cups"),
    ("2 3/4 miles", "two and three quarters miles"),
    # invisible characters inside a word, and decomposed accents
    ("won\u2060derful", "wonderful"),
    ("zero\u200bwidth", "zerowidth"),
    ("\ufeffHello", "Hello"),
    ("a \u200b b", "a b"),
    ("cafe\u0301 noir", "caf\u00e9 noir"),
    # words in capitals: a heading or a shouted word is lowered, an acronym is left to misaki
    ("MR. DARCY ARRIVES AT PEMBERLEY", "Mister Darcy arrives at Pemberley"),
    ("'STOP!' he shouted.", "'Stop!' he shouted."),
    ("CHAPTER ONE: THE BOY WHO LIVED", "Chapter one: the boy who lived"),
    ("He was VERY angry.", "He was very angry."),
    ("I DON'T CARE!", "I don't care!"),
    ("THEY STOPPED RUNNING", "They stopped running"),
    ("FBI AGENTS STORMED THE HTML OFFICE", "FBI agents stormed the HTML office"),
    ("WORLD WAR III", "World war III"),
    ("He worked for NASA and the FBI.", "He worked for NASA and the FBI."),
    ("I said NO.", "I said NO."),
    ("The BBC reported it.", "The BBC reported it."),
    # an unknown word in capitals is a name where it is spelled like a word and long or shouted
    ("HERMIONE!", "Hermione!"),
    ("Then GRISWOLD ran.", "Then Griswold ran."),
    ("'RUMPELSTILTSKIN!' she cried.", "'Rumpelstiltskin!' she cried."),
    ("HERMIONE'S wand", "Hermione's wand"),
    ("ARYA!", "Arya!"),
    ("Read XKCD today.", "Read XKCD today."),
    ("He called the NYPD.", "He called the NYPD."),
    ("The ACLU sued.", "The ACLU sued."),
    ("He watched MSNBC.", "He watched MSNBC."),
    ("THE USSR FELL", "The USSR fell"),
    # years before 1100 where the text names a year
    ("In 1066", "In ten sixty-six"),
    ("1066 AD", "ten sixty-six AD"),
    ("ca. 1050", "circa ten fifty"),
    ("It cost 1066 dollars", "It cost one thousand sixty-six dollars"),
    # a four-digit number before a unit or a counted noun is a quantity, not a year
    ("in 1024 bytes", "in one thousand twenty-four bytes"),
    ("a 2048 bit key", "a two thousand forty-eight bit key"),
    ("a 2048-bit key", "a two thousand forty-eight-bit key"),
    ("2048 miles", "two thousand forty-eight miles"),
    ("1850 soldiers died", "one thousand eight hundred fifty soldiers died"),
    ("In 1850 people moved west.", "In eighteen fifty people moved west."),
    ("1850 saw", "eighteen fifty saw"),
    ("1024 AD", "ten twenty-four AD"),
    ("1024-2048 bytes", "one thousand twenty-four to two thousand forty-eight bytes"),
    ("1914-1918", "nineteen fourteen to nineteen eighteen"),
    ("1500%", "one thousand five hundred percent"),
    ("1024px", "one thousand twenty-four pixels"),
    # British dotted times
    ("12.30 pm", "twelve thirty PM"),
    ("3.45pm", "three forty-five PM"),
    ("7.30 p.m. Then", "seven thirty PM. Then"),
    ("at 7.30", "at seven thirty"),
    ("at 7.75", "at seven point seven five"),
    ("7.30 is a number", "seven point three zero is a number"),
    # a date that can only be day first
    ("25/12/2023", "December twenty-fifth, twenty twenty-three"),
    ("on 25/12", "on December twenty-fifth"),
    ("12/11/2023", "December eleventh, twenty twenty-three"),
    # money before its noun
    ("a $20 bill", "a twenty-dollar bill"),
    ("an $80 ticket", "an eighty-dollar ticket"),
    ("a $5 million deal", "a five-million-dollar deal"),
    ("costs $20 to enter", "costs twenty dollars to enter"),
    ("a $20 or so", "a twenty dollars or so"),
    # one "the" for a list of days; "No." right before its number
    ("the 1st and 2nd of May", "the first and second of May"),
    ("the 1st, 2nd and 3rd of May", "the first, second and third of May"),
    ("No.1", "number one"),
    ("No.1 fan", "number one fan"),
    # ranges of ordinals, decades written with an apostrophe, page references, wars
    ("3rd\u20135th", "third to fifth"),
    ("the 2nd-3rd centuries", "the second to third centuries"),
    ("the 80's", "the eighties"),
    ("the 1990's", "the nineteen nineties"),
    ("1990's budget", "nineteen ninety's budget"),
    ("pp. 12-15", "pages twelve to fifteen"),
    ("see p. 5", "see page five"),
    ("John P. Smith", "John P. Smith"),
    ("WWII", "World War Two"),
    ("WW1 began", "World War One began"),
    ("Export to ONNX, then JSON or YAML.", "Export to onyx, then Jason or yammel."),
    ("the IEEE 754 standard", "the I triple E seven hundred fifty-four standard"),
    ("NGINX and TOML in DOS", "engine X and tommel in doss"),
    ("MS-DOS 6.22", "MS-doss six point twenty-two"),
    ("24/7/365", "twenty-four seven three sixty-five"),
    # versions, dotted numbers and scaled numbers
    ("v2.0", "version two point zero"),
    ("version 2.10", "version two point ten"),
    ("version 2.0.1", "version two point zero point one"),
    ("Section 3.2.1", "Section three point two point one"),
    ("192.168.1.1", "one nine two dot one six eight dot one dot one"),
    ("V8 engine", "V8 engine"),
    ("1.5M users", "one point five million users"),
    ("16B parameters", "sixteen billion parameters"),
    ("3M", "3M"),
    # two numbers after software known by its versions, or a numbered part of a document
    ("I use Python 3.12 daily.", "I use Python three point twelve daily."),
    ("Windows 3.11", "Windows three point eleven"),
    ("Ubuntu 22.04 LTS", "Ubuntu twenty-two point zero four LTS"),
    ("See Figure 2.13 and Table 4.10.", "See Figure two point thirteen and Table four point ten."),
    ("It costs 3.12 now", "It costs three point one two now"),
    ("Go 12.25 miles", "Go twelve point two five miles"),
    ("CPython 3.12", "CPython three point one two"),
    # a size at the end of a name is said as written
    ("Kokoro-82M is small.", "Kokoro eighty-two M is small."),
    ("Llama-3-70B", "Llama-3 seventy B"),
    ("GPT-4-32K", "GPT-4 thirty-two K"),
    ("a 10-15M range", "a ten to fifteen million range"),
    ("1.5-2B users", "one point five to two billion users"),
    # symbols read as words beside numbers
    ("3x faster", "three times faster"),
    ("2-3x", "two to three times"),
    ("0x1F", "0x1F"),
    ("~50 people", "about fifty people"),
    ("$5/month", "five dollars per month"),
    ("100 requests/sec", "one hundred requests per second"),
    ("day/night", "day/night"),
    ("C# and F#", "C sharp and F sharp"),
    ("w/o sugar", "without sugar"),
    ("w/ cheese", "with cheese"),
    # sizes and heights
    ("1920x1080", "one thousand nine hundred twenty by one thousand eighty"),
    ("10 x 20 cm", "ten by twenty centimeters"),
    ("2 x 3 = 6", "two times three equals six"),
    ("5'10\" tall", "five foot ten tall"),
    ("6\u20192\u201d", "six foot two"),
]

GB_READINGS = [
    ("12/25/2023", "the twenty-fifth of December, twenty twenty-three"),
    ("12/11/2023", "the twelfth of November, twenty twenty-three"),
    ("in 1066", "in ten sixty-six"),
    ("10 x 20 cm", "ten by twenty centimetres"),
    ("1850 soldiers", "one thousand eight hundred and fifty soldiers"),
]


@pytest.mark.parametrize(("written", "spoken"), READINGS)
def test_american_reading(written: str, spoken: str) -> None:
    assert normalize(written, "a").text == spoken


@pytest.mark.parametrize(("written", "spoken"), GB_READINGS)
def test_british_reading(written: str, spoken: str) -> None:
    assert normalize(written, "b").text == spoken


def test_lowered_capitals_map_back_to_the_written_word() -> None:
    text = "MR. DARCY ARRIVES"
    norm = normalize(text, "a")
    at = norm.text.index("arrives")
    assert text[slice(*norm.source_span(at, at + len("arrives")))] == "ARRIVES"


def test_deleted_invisible_character_keeps_the_word_on_its_source() -> None:
    text = "a won\u2060derful day"
    norm = normalize(text, "a")
    at = norm.text.index("wonderful")
    assert norm.source_span(at, at + len("wonderful")) == (2, 12)


def test_composed_accent_maps_back_to_both_characters() -> None:
    text = "le cafe\u0301 noir"
    norm = normalize(text, "a")
    at = norm.text.index("caf\u00e9")
    start, end = norm.source_span(at, at + 4)
    assert text[start:end] == "cafe\u0301"
    at = norm.text.index("noir")
    assert text[slice(*norm.source_span(at, at + 4))] == "noir"


def test_cyrillic_stress_marks_are_not_composed() -> None:
    assert "\u0300" in normalize("все\u0300", "r").text  # NFC would make it one letter, U+0450


# Names no dictionary knows, and initialisms misaki should spell.
WORDLIKE = "Griswold Hermione Katniss Daenerys Tyrion Heathcliff Rumpelstiltskin Fitzwilliam Azkaban Wyoming".split()
INITIALISMS = "HTML XKCD NPR NYPD USSR OECD NCAA CNBC ESPN ISBN CMYK LGBTQ MSNBC HTTPS UNHCR NHTSA IEEE AAAS".split()


@pytest.mark.parametrize("word", WORDLIKE)
def test_names_are_pronounceable(word: str) -> None:
    assert pronounceable(word.upper())


@pytest.mark.parametrize("word", INITIALISMS)
def test_initialisms_are_not_pronounceable(word: str) -> None:
    assert not pronounceable(word)
