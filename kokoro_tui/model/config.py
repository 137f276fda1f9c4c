"""Model configuration in hexgrad's ``config.json`` format, and the v1.0 facts every layer shares.

The JSON keys are kept exactly as upstream writes them so a downloaded
``config.json`` loads unchanged and ours can be read by other tools. This module imports
no torch: the text front end, the voice store and the onnx backend read their constants
(sample rate, style width, token limit, vocabulary) from here, each defined once.
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kokoro_tui.atomic import atomic_write_text
from kokoro_tui.errors import KokoroError

# The 114-symbol Kokoro v1.0 vocabulary (ids 1..177; id 0 is pad/BOS/EOS and is not listed).
# Escaped so combining marks and look-alike IPA letters stay unambiguous in review.
DEFAULT_VOCAB: dict[str, int] = {
    ";": 1, ":": 2, ",": 3, ".": 4, "!": 5, "?": 6, "\u2014": 9, "\u2026": 10,
    "\"": 11, "(": 12, ")": 13, "\u201c": 14, "\u201d": 15, " ": 16, "\u0303": 17, "\u02a3": 18,
    "\u02a5": 19, "\u02a6": 20, "\u02a8": 21, "\u1d5d": 22, "\uab67": 23, "A": 24, "I": 25, "O": 31,
    "Q": 33, "S": 35, "T": 36, "W": 39, "Y": 41, "\u1d4a": 42, "a": 43, "b": 44,
    "c": 45, "d": 46, "e": 47, "f": 48, "h": 50, "i": 51, "j": 52, "k": 53,
    "l": 54, "m": 55, "n": 56, "o": 57, "p": 58, "q": 59, "r": 60, "s": 61,
    "t": 62, "u": 63, "v": 64, "w": 65, "x": 66, "y": 67, "z": 68, "\u0251": 69,
    "\u0250": 70, "\u0252": 71, "\u00e6": 72, "\u03b2": 75, "\u0254": 76, "\u0255": 77, "\u00e7": 78, "\u0256": 80,
    "\u00f0": 81, "\u02a4": 82, "\u0259": 83, "\u025a": 85, "\u025b": 86, "\u025c": 87, "\u025f": 90, "\u0261": 92,
    "\u0265": 99, "\u0268": 101, "\u026a": 102, "\u029d": 103, "\u026f": 110, "\u0270": 111, "\u014b": 112, "\u0273": 113,
    "\u0272": 114, "\u0274": 115, "\u00f8": 116, "\u0278": 118, "\u03b8": 119, "\u0153": 120, "\u0279": 123, "\u027e": 125,
    "\u027b": 126, "\u0281": 128, "\u027d": 129, "\u0282": 130, "\u0283": 131, "\u0288": 132, "\u02a7": 133, "\u028a": 135,
    "\u028b": 136, "\u028c": 138, "\u0263": 139, "\u0264": 140, "\u03c7": 142, "\u028e": 143, "\u0292": 147, "\u0294": 148,
    "\u02c8": 156, "\u02cc": 157, "\u02d0": 158, "\u02b0": 162, "\u02b2": 164, "\u2193": 169, "\u2192": 171, "\u2197": 172,
    "\u2198": 173, "\u1d7b": 177,
}

_DEFAULT_PLBERT: dict[str, Any] = {
    "hidden_size": 768,
    "num_attention_heads": 12,
    "intermediate_size": 2048,
    "max_position_embeddings": 512,
    "num_hidden_layers": 12,
    "dropout": 0.1,
}

_DEFAULT_ISTFTNET: dict[str, Any] = {
    "upsample_rates": [10, 6],
    "upsample_kernel_sizes": [20, 12],
    "upsample_initial_channel": 512,
    "resblock_kernel_sizes": [3, 7, 11],
    "resblock_dilation_sizes": [[1, 3, 5], [1, 3, 5], [1, 3, 5]],
    "gen_istft_n_fft": 20,
    "gen_istft_hop_size": 5,
}

SAMPLE_RATE = 24_000
# The epsilon of every normalisation in the network (AdaIN, AdaLayerNorm), as upstream trained it.
NORM_EPS = 1e-5
#: the intermediate results an export is checked on besides audio and durations (``model.stages``):
#: the F0 and energy curves, two per duration frame, and the decoder's features (the generator's input)
STAGES = ("f0", "energy", "features")
# One predicted duration unit covers 600 samples (25 ms at 24 kHz), speed already applied.
SAMPLES_PER_FRAME = 600
# A voice style row: 128 decoder dims (timbre) then 128 prosody dims (``KokoroConfig.style_size``).
STYLE_DIM = 256
# Phoneme tokens one forward pass takes, BOS/EOS excluded (position embeddings 512 - 2); a
# voice pack also has this many rows, one per phoneme count.
MAX_TOKENS = 510


@dataclass
class KokoroConfig:
    """Every hyper-parameter of the network; ``plbert`` is passed to ``AlbertConfig`` as upstream does."""

    vocab: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_VOCAB))
    n_token: int = 178
    hidden_dim: int = 512
    style_dim: int = 128
    n_layer: int = 3
    max_dur: int = 50
    dropout: float = 0.2
    text_encoder_kernel_size: int = 5
    n_mels: int = 80
    dim_in: int = 64
    max_conv_dim: int = 512
    multispeaker: bool = True
    plbert: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(_DEFAULT_PLBERT))
    istftnet: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(_DEFAULT_ISTFTNET))

    @classmethod
    def default(cls, vocab: dict[str, int] | None = None) -> KokoroConfig:
        """Kokoro-82M v1.0; ``vocab`` replaces the built-in table when given."""
        config = cls()
        if vocab is not None:
            config.vocab = dict(vocab)
        config.validate()
        return config

    @classmethod
    def tiny(cls) -> KokoroConfig:
        """Same structure at toy widths, for fast random-weight tests.

        Upsample ratios and the STFT are unchanged, so one duration unit is still 600 samples.
        """
        config = cls(
            hidden_dim=32,
            style_dim=16,
            max_dur=4,
            plbert={
                "hidden_size": 32,
                "num_attention_heads": 2,
                "intermediate_size": 64,
                "max_position_embeddings": 64,
                "num_hidden_layers": 2,
                "embedding_size": 16,
                "dropout": 0.1,
            },
            istftnet={**copy.deepcopy(_DEFAULT_ISTFTNET), "upsample_initial_channel": 16},
        )
        config.validate()
        return config

    @property
    def style_size(self) -> int:
        """Width of a voice style row: decoder half + prosody half."""
        return 2 * self.style_dim

    @property
    def max_tokens(self) -> int:
        """Longest id sequence the model accepts, BOS/EOS included."""
        return int(self.plbert["max_position_embeddings"])

    @property
    def samples_per_frame(self) -> int:
        """Audio samples per F0 frame (half a duration unit)."""
        rates = 1
        for rate in self.istftnet["upsample_rates"]:
            rates *= int(rate)
        return rates * int(self.istftnet["gen_istft_hop_size"])

    @property
    def samples_per_duration(self) -> int:
        """Audio samples per predicted duration unit (600 for v1.0)."""
        return 2 * self.samples_per_frame

    def validate(self) -> None:
        """Reject configs the network cannot be built from, with a readable reason."""
        if self.hidden_dim % 2:
            raise KokoroError(f"hidden_dim must be even, got {self.hidden_dim}")
        if self.hidden_dim < 8:
            raise KokoroError(f"hidden_dim must be at least 8, got {self.hidden_dim}")
        if self.vocab and max(self.vocab.values()) >= self.n_token:
            raise KokoroError(f"vocab uses id {max(self.vocab.values())} but n_token is {self.n_token}")
        if 0 in self.vocab.values():
            raise KokoroError("vocab must not use id 0 (reserved for pad/BOS/EOS)")
        missing = {"hidden_size", "num_attention_heads", "intermediate_size", "max_position_embeddings", "num_hidden_layers"} - set(self.plbert)
        if missing:
            raise KokoroError(f"config plbert section lacks {sorted(missing)}")
        needed = set(_DEFAULT_ISTFTNET) - set(self.istftnet)
        if needed:
            raise KokoroError(f"config istftnet section lacks {sorted(needed)}")
        rates, kernels = self.istftnet["upsample_rates"], self.istftnet["upsample_kernel_sizes"]
        if len(rates) != len(kernels):
            raise KokoroError("istftnet upsample_rates and upsample_kernel_sizes differ in length")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KokoroConfig:
        """Build from a parsed config.json; unknown keys are ignored, missing ones take v1.0 values."""
        if not isinstance(data, dict):
            raise KokoroError("model config must be a JSON object")
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        try:
            config = cls(**known)
            if "vocab" in known:
                config.vocab = {str(k): int(v) for k, v in dict(known["vocab"]).items()}
        except (TypeError, ValueError) as exc:
            raise KokoroError(f"invalid model config: {exc}") from exc
        config.validate()
        return config

    @classmethod
    def from_json(cls, path: str | os.PathLike[str]) -> KokoroConfig:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise KokoroError(f"model config not found: {path}") from exc
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise KokoroError(f"cannot read model config {path}: {exc}") from exc
        return cls.from_dict(data)

    def to_json(self, path: str | os.PathLike[str]) -> None:
        atomic_write_text(path, json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n")
