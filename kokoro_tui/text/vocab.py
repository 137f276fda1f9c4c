"""Phoneme strings to Kokoro token ids and back.

Symbols the vocabulary lacks cannot reach the model; they are dropped, but counted and
reported, so a G2P that emits something Kokoro never learned is visible instead of silent.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kokoro_tui.errors import KokoroError, MissingAssetError


@dataclass(frozen=True)
class Encoded:
    ids: list[int]
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
    def from_file(cls, path: str | Path) -> "PhonemeVocab":
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

    def encode(self, phonemes: str) -> Encoded:
        ids: list[int] = []
        unknown: Counter[str] = Counter()
        for symbol in phonemes:
            index = self.ids.get(symbol)
            if index is None:
                unknown[symbol] += 1
            else:
                ids.append(index)
        return Encoded(ids, unknown)

    def decode(self, ids: Iterable[int]) -> str:
        """Phonemes for ``ids``; the pad id 0 and unknown ids are skipped."""
        return "".join(self.symbols.get(int(index), "") for index in ids if int(index) != 0)
