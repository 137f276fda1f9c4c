"""Texts a voice being made speaks: short, varied sentences for the steps, others for the checks.

Short sentences (2–3 s of audio) keep a step cheap while giving resemblyzer several partial
windows. The check and sample sentences never appear among the step sentences, so the reported
similarity is on text the optimiser never spoke. English only: for other languages the corpus's
own transcripts are used (see ``voice_job``).
"""

from __future__ import annotations

#: spoken in turn, one per step: sixteen, so that 40 steps hear each two or three times. With four (ten times
#: each) the made voices scored 0.008-0.015 lower on new text for two of three targets (benchmarks/voice_cloning.md)
STEP_TEXTS: tuple[str, ...] = (
    "The old lighthouse keeper climbed the stairs every evening before sunset.",
    "Please remember to bring the blue folder to the meeting on Thursday.",
    "A gentle breeze carried the smell of fresh bread across the quiet square.",
    "Why would anyone leave a perfectly good bicycle out in the rain?",
    "Nobody expected the quiet student to win the chess tournament.",
    "Turn the oven down a little, or the pie will burn on top.",
    "We watched the fireworks from the roof of my uncle's garage.",
    "Is it true that the river froze solid during the winter of ninety?",
    "Seven yellow kites floated high above the crowded beach.",
    "She thanked the driver, grabbed her umbrella and hurried inside.",
    "The doctor asked him to breathe slowly and count to five.",
    "Honestly, I think the second version of the song sounds better.",
    "A flock of sheep blocked the narrow road for almost an hour.",
    "Could we move the party to Sunday, when everyone is free?",
    "The judge listened carefully, then closed the thick brown file.",
    "Fresh snow covered the valley, and the village looked brand new.",
)
CHECK_TEXTS: tuple[str, ...] = (
    "My grandmother always said that patience is the key to a good garden.",
    "The train to the coast leaves from platform nine at half past eight.",
)
SAMPLE_TEXTS: tuple[str, ...] = (
    "Scientists have discovered a new species of frog deep in the rainforest.",
    "Could you tell me the way to the library? I think I am lost.",
    "Every chapter of this book begins with a short poem about the sea.",
)
#: what ``kokoro eval voice`` speaks: the samples and five more, so that a word error rate rests on
#: about 150 words (3 sentences gave steps of 0.02, as large as the tolerance it is judged by)
EVAL_TEXTS: tuple[str, ...] = SAMPLE_TEXTS + (
    "The museum will be closed on Monday while the workers repair the roof.",
    "He poured a cup of strong coffee and read the letter twice.",
    "Thousands of birds fly south when the weather begins to turn cold.",
    "We should have taken the earlier bus, but nobody wanted to wake up.",
    "Her favourite painting shows a small boat on a calm, silver lake.",
)
