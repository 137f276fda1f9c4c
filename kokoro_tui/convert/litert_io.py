"""The interface of our LiteRT export: its files, signature names, buckets, how a bucket is chosen.

Shared by the exporter (torch side) and the litert backend, which runs without torch, so this
module imports no third-party package. An export is a folder:

- ``model.tflite``: two signatures per bucket length, all sharing one copy of the weights (see
  ``convert/bucket_graph.py`` for what each stage computes):
  - ``text_<T>``: ``input_ids`` int32 [1,T], ``length`` int32 [1] → ``d_en`` [1,T,H],
    ``convolved`` [1,H,T] (outputs in that order);
  - ``acoustic_<F>``: ``prosody`` [1,H,F], ``asr`` [1,H,F], ``frames`` int32 [1], ``style`` [1,256]
    → ``audio`` [1, 600·F], then ``f0`` and ``energy`` [2F] and the decoder's ``features`` [C,2F]
    (``model.config.STAGES``, for the parity check; exports made before them return audio only);
- ``host.npz``: the weights of the LSTMs and per-token layers the host runs (``backends/litert_host.py``);
- ``export.json``: what the folder is (``EXPORT_FORMAT``), its quantization and buckets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from kokoro_tui.errors import KokoroError

GRAPH_FILE = "model.tflite"
HOST_FILE = "host.npz"
DESCRIPTION_FILE = "export.json"
EXPORT_FORMAT = "kokoro-tui litert 1"
TEXT = "text"
ACOUSTIC = "acoustic"
TEXT_INPUTS = ("input_ids", "length")
ACOUSTIC_INPUTS = ("prosody", "asr", "frames", "style")
# Buckets: each one costs about a minute of conversion, and the interpreter's XNNPACK delegate packs
# the weights once per signature when it starts (measured with 14 buckets: 3.8 GB of RSS in fp32,
# 2.0 GB in int8, before any activations), so there are few of them, at the price of padding.
# Token buckets (BOS/EOS included), up to the model's 512-token limit: the text stage is cheap, so
# padding it costs little.
TOKEN_BUCKETS = (128, 512)
# Frame buckets, 40 frames a second, doubling (at most 2x the valid work, 1.4x on average) up to
# 2,048 frames (51 s), what 510 phonemes take at speed 0.6 or faster.
FRAME_BUCKETS = (96, 192, 384, 768, 1536, 2048)
QUANTIZATIONS = ("none", "int8")
# The parameters the host runs, by state-dict prefix (everything else is in the graph).
HOST_PREFIXES = ("predictor.text_encoder.", "predictor.lstm.", "predictor.duration_proj.", "predictor.shared.",
                 "text_encoder.lstm.")  # fmt: skip
_SIGNATURE = re.compile(r"^(text|acoustic)_(\d+)$")


def signature_name(stage: str, size: int) -> str:
    return f"{stage}_{size}"


def buckets_of(signatures: Iterable[str]) -> dict[str, tuple[int, ...]]:
    """``{"text": (...), "acoustic": (...)}``: the bucket sizes a file's signature names offer."""
    found: dict[str, list[int]] = {TEXT: [], ACOUSTIC: []}
    for name in signatures:
        match = _SIGNATURE.match(name)
        if match:
            found[match.group(1)].append(int(match.group(2)))
    return {stage: tuple(sorted(sizes)) for stage, sizes in found.items()}


def parse_buckets(option: str, text: str | None) -> tuple[int, ...] | None:
    """``"64,512"`` → ``(64, 512)``, None for None; a KokoroError naming ``option`` for anything else."""
    if text is None:
        return None
    try:
        return tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        raise KokoroError(f"{option} takes comma-separated lengths, got {text!r}") from None


def bucket_for(size: int, buckets: Sequence[int]) -> int | None:
    """The smallest bucket that holds ``size``, or None when none does."""
    return next((bucket for bucket in sorted(buckets) if bucket >= size), None)
