"""Phoneme strings to Kokoro token ids and back: the one tokenizer of the project.

Symbols the vocabulary lacks cannot reach the model; they are dropped, but counted and
reported, so a G2P that emits something Kokoro never learned is visible instead of silent.
Each phoneme character also keeps the index of the token it became, so word timestamps
(from per-token durations) and training alignments can map back to the phoneme string.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kokoro_tui.errors import KokoroError, MissingAssetError
from kokoro_tui.model.config import DEFAULT_VOCAB

# How many distinct missing symbols a message names before it ends in "…".
SHOWN_MISSING = 12


@dataclass(frozen=True)
class Encoded:
    """``ids`` without the BOS/EOS pads; ``token_of_char[i]`` is the index of phoneme character ``i``'s
    token in ``[BOS, *ids, EOS]`` (so the first kept character is 1), or -1 where it was dropped."""

    ids: list[int]
    token_of_char: list[int] = field(default_factory=list)
    unknown: Counter[str] = field(default_factory=Counter)

    def describe_unknown(self) -> str:
        """'2 unknown phoneme symbols dropped: ❓×1, ʘ×1' or '' when none."""
        if not self.unknown:
            return ""
        listed = ", ".join(f"{symbol}×{count}" for symbol, count in self.unknown.most_common())
        total = sum(self.unknown.values())
        return f"{total} unknown phoneme symbol{'s' if total != 1 else ''} dropped: {listed}"


class PhonemeVocab:
    """A phoneme-symbol -> id table (Kokoro's ``config.json`` ``vocab``)."""

    def __init__(self, vocab: Mapping[str, int]) -> None:
        if not vocab:
            raise KokoroError("the phoneme vocabulary is empty")
        self.ids = dict(vocab)
        self.symbols = {index: symbol for symbol, index in self.ids.items()}

    @classmethod
    def default(cls) -> PhonemeVocab:
        """Kokoro v1.0's 114 symbols."""
        return cls(DEFAULT_VOCAB)

    @classmethod
    def from_file(cls, path: str | Path) -> PhonemeVocab:
        """Read a ``config.json`` or ``vocab.json`` (both keep the table under "vocab")."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise MissingAssetError(f"no vocabulary file at {path}", hint="run `kokoro download`") from None
        except (OSError, ValueError) as error:
            raise KokoroError(f"cannot read the vocabulary {path}: {error}") from None
        table = data.get("vocab", data) if isinstance(data, dict) else None
        if not isinstance(table, dict) or not all(isinstance(v, int) for v in table.values()):
            raise KokoroError(f"{path} has no phoneme vocabulary (a 'vocab' object of symbol: id)")
        return cls(table)

    def __contains__(self, symbol: object) -> bool:
        return symbol in self.ids

    def __len__(self) -> int:
        return len(self.ids)

    def encode(self, phonemes: str) -> Encoded:
        """Ids of the known symbols, the token index of every character, and the dropped symbols."""
        ids: list[int] = []
        token_of_char: list[int] = []
        unknown: Counter[str] = Counter()
        for symbol in phonemes:
            index = self.ids.get(symbol)
            if index is None:
                unknown[symbol] += 1
                token_of_char.append(-1)
            else:
                ids.append(index)
                token_of_char.append(len(ids))  # index 0 is BOS
        return Encoded(ids, token_of_char, unknown)

    def decode(self, ids: Iterable[int]) -> str:
        """Phonemes for ``ids``; the pad id 0 and unknown ids are skipped."""
        return "".join(self.symbols.get(int(index), "") for index in ids if int(index) != 0)

    def missing(self, phonemes: str, limit: int = SHOWN_MISSING) -> list[str]:
        """The distinct non-space symbols of ``phonemes`` this vocabulary lacks, in order, at most
        ``limit`` (then "…"): the model cannot say them, so the user should know which were dropped."""
        absent = list(dict.fromkeys(ch for ch in phonemes if not ch.isspace() and ch not in self.ids))
        return absent[:limit] + ["…"] if len(absent) > limit else absent

    def speaks_any(self, phonemes: str) -> bool:
        """Whether at least one non-space symbol of ``phonemes`` becomes a token."""
        return any(not ch.isspace() and ch in self.ids for ch in phonemes)
