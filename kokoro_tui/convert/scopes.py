"""Turn ONNX node scopes and parameter-named initializers into our module paths.

The exporter wrapped the model as ``encoder`` (bert, bert_encoder, predictor, text_encoder)
and ``decoder`` (the Decoder, again named ``decoder``), scoped the predictor's F0/N/shared
submodules directly under ``/encoder/``, and unrolled Albert's shared layer into copies
suffixed ``_1`` ... ``_11``. These rules undo exactly that (architecture.md §5.3 step 1).
"""

from __future__ import annotations

import re

from kokoro_tui.errors import KokoroError

# Leading module-path rewrites, longest match first.
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("encoder.bert_encoder", "bert_encoder"),
    ("encoder.bert", "bert"),
    ("encoder.text_encoder", "text_encoder"),
    ("encoder.predictor", "predictor"),
    ("decoder.decoder", "decoder"),
)
# Predictor submodules the exporter scoped directly under /encoder/.
_BARE_PREDICTOR = re.compile(r"^encoder\.((?:F0|N)\.\d+|shared|F0_proj|N_proj)(\.|$)")
# Albert's unrolled copies: attention_3, query_11, LayerNorm_2, full_layer_layer_norm_11 ...
_UNROLLED = re.compile(
    r"^(attention|query|key|value|dense|ffn|ffn_output|LayerNorm|full_layer_layer_norm)_\d+$"
)


def _rewrite_prefix(dotted: str) -> str:
    match = _BARE_PREDICTOR.match(dotted)
    if match:
        return "predictor." + dotted[len("encoder.") :]
    for old, new in _PREFIXES:
        if dotted == old or dotted.startswith(old + "."):
            return new + dotted[len(old) :]
    raise KokoroError(f"ONNX scope {dotted!r} is outside the known encoder/decoder modules")


def module_path(node_name: str) -> str:
    """``/decoder/decoder/asr_res/asr_res.0/Conv_quant`` -> ``decoder.asr_res.0``.

    The last component is the op and is dropped; a component that starts with the
    previous one plus a dot (``cnn.0/cnn.0.0``) replaces it, as nn.Sequential children do.
    """
    parts = [part for part in node_name.split("/") if part][:-1]
    if not parts:
        raise KokoroError(f"ONNX node {node_name!r} has no module scope")
    dotted: list[str] = []
    for part in parts:
        part = _UNROLLED.sub(r"\1", part)
        if dotted and part.startswith(dotted[-1] + "."):
            dotted[-1] = part
        else:
            dotted.append(part)
    return _rewrite_prefix(".".join(dotted))


def key_from_parameter_name(name: str) -> str:
    """``decoder.decoder.generator.ups.0.bias`` -> ``decoder.generator.ups.0.bias``."""
    return _rewrite_prefix(name)


def is_parameter_name(name: str) -> bool:
    """True for initializers named after a module parameter (``encoder.…``/``decoder.decoder.…``)."""
    return name.startswith(("encoder.", "decoder.decoder."))
