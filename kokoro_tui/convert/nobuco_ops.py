"""nobuco, made ready for our model: importable without torchvision, and taught the ops it lacks.

nobuco (PyTorch → Keras, op by op) imports torchvision unconditionally, to trace and convert
torchvision's detection ops; our model uses none of them. Where torchvision cannot load (the
registry's only build for torch 2.13 needs CUDA torch), a stand-in module with the names nobuco
touches takes its place, in the converting process only.

Converters added or mended, each a direct TensorFlow equivalent of the torch op (nobuco checks every
converted op's output against torch while it converts):

- ``torch.remainder`` (the harmonic source's phase wrap) → ``tf.math.floormod``, the same sign rule;
- ``torch.atan`` (the STFT's phase) → ``tf.math.atan``;
- ``Tensor.index_select`` (the STFT's mirrored edge) → ``tf.gather``;
- ``F.interpolate(mode="linear")`` (the source's phase upsampling) → a bilinear ``tf.image.resize``
  over a unit-width image, whose half-pixel centres are torch's ``align_corners=False``;
- ``F.conv_transpose1d``: nobuco refuses torch's default ``output_padding=0`` (it compares it with
  ``(0,)``), so the arguments are passed on as tuples.
"""

from __future__ import annotations

import functools
import sys
import types

import torch
import torch.nn.functional as F

from kokoro_tui.convert.tf_io import import_tensorflow
from kokoro_tui.errors import KokoroError

_LIBRARIES: list[object] = []  # keeps the stand-in op defined: a Library unregisters its ops when collected


@functools.cache
def load_nobuco() -> types.ModuleType:
    """The nobuco module with our converters registered (once per process); a KokoroError if absent."""
    hint = "bash scripts/setup_tf_converter.sh, then .venv-tf/bin/kokoro convert export --to tf"
    import_tensorflow(hint)
    _ensure_torchvision()
    try:
        import nobuco
    except ImportError:
        raise KokoroError("TensorFlow export needs nobuco, which is not installed here", hint=hint) from None
    _register(nobuco)
    return nobuco


def _ensure_torchvision() -> None:
    try:
        import torchvision  # noqa: F401
    except Exception:  # noqa: BLE001 - a CUDA-only build raises RuntimeError while importing, not ImportError
        for name in [name for name in sys.modules if name == "torchvision" or name.startswith("torchvision.")]:
            del sys.modules[name]
        _install_torchvision_stand_in()


def _install_torchvision_stand_in() -> None:
    """Modules named as torchvision's, holding only what nobuco's import-time code reads."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise NotImplementedError("torchvision is not installed")

    root, ops, boxes, poolers, transforms, functional, utils = (types.ModuleType(name) for name in (
        "torchvision", "torchvision.ops", "torchvision.ops.boxes", "torchvision.ops.poolers",
        "torchvision.transforms", "torchvision.transforms.functional", "torchvision.utils"))  # fmt: skip
    boxes._upcast = boxes.nms = boxes.batched_nms = refuse
    ops.boxes, ops.poolers, ops.nms, ops.batched_nms = boxes, poolers, refuse, refuse
    ops.StochasticDepth = type("StochasticDepth", (torch.nn.Module,), {})
    ops.FrozenBatchNorm2d = type("FrozenBatchNorm2d", (torch.nn.Module,), {})
    transforms.functional = functional
    root.ops, root.transforms, root.utils = ops, transforms, utils
    for module in (root, ops, boxes, poolers, transforms, functional, utils):
        sys.modules[module.__name__] = module
    if not hasattr(torch.ops.torchvision, "nms"):  # nobuco's nms converter names the op itself
        library = torch.library.Library("torchvision", "DEF")
        library.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
        _LIBRARIES.append(library)


def _register(nobuco: types.ModuleType) -> None:
    import tensorflow as tf
    from nobuco import ChannelOrderingStrategy
    from nobuco.node_converters.convolution import converter_conv_transpose1d
    from nobuco.node_converters.interpolation import converter_interpolate

    same_layout = ChannelOrderingStrategy.MINIMUM_TRANSPOSITIONS
    torch_layout = ChannelOrderingStrategy.FORCE_PYTORCH_ORDER

    @nobuco.converter(torch.remainder, channel_ordering_strategy=same_layout)
    def remainder(input, other, *, out=None):  # noqa: ANN001, ANN202, A002 - nobuco passes torch's signature
        return lambda input, other, *, out=None: tf.math.floormod(input, other)

    @nobuco.converter(torch.atan, channel_ordering_strategy=same_layout)
    def atan(input, *, out=None):  # noqa: ANN001, ANN202, A002
        return lambda input, *, out=None: tf.math.atan(input)

    @nobuco.converter(torch.Tensor.index_select, torch.index_select, channel_ordering_strategy=torch_layout)
    def index_select(input, dim, index, *, out=None):  # noqa: ANN001, ANN202, A002
        return lambda input, dim, index, *, out=None: tf.gather(input, index, axis=dim)

    stock_interpolate = converter_interpolate.convert_func
    nobuco.unregister_converter(F.interpolate)

    @nobuco.converter(F.interpolate, channel_ordering_strategy=torch_layout)
    def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,  # noqa: ANN001, ANN202, A002
                    recompute_scale_factor=None, antialias=False):  # fmt: skip
        if mode != "linear":
            return stock_interpolate(input, size, scale_factor, mode, align_corners, recompute_scale_factor, antialias)
        if align_corners or antialias or size is not None or float(scale_factor) != int(scale_factor):
            raise NotImplementedError("linear interpolation by a whole scale factor only")
        factor = int(scale_factor)

        def resize(input, *_args, **_kwargs):  # noqa: ANN001, ANN202, A002
            image = tf.expand_dims(tf.transpose(input, (0, 2, 1)), 2)  # [B, L, 1, C]
            resized = tf.image.resize(image, tf.stack([tf.shape(image)[1] * factor, 1]), method="bilinear")
            return tf.transpose(tf.squeeze(resized, 2), (0, 2, 1))

        return resize

    stock_conv_transpose = converter_conv_transpose1d.convert_func
    nobuco.unregister_converter(F.conv_transpose1d)

    def as_tuple(value: int | tuple[int, ...]) -> tuple[int, ...]:
        return (value,) if isinstance(value, int) else tuple(value)

    @nobuco.converter(F.conv_transpose1d)
    def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,  # noqa: ANN001, ANN202, A002
                         dilation=1):  # fmt: skip
        return stock_conv_transpose(input, weight, bias, as_tuple(stride), as_tuple(padding),
                                    as_tuple(output_padding), groups, as_tuple(dilation))  # fmt: skip
