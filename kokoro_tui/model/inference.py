"""The inference setup step: what a synthesizer does to a freshly loaded model, and to the process.

Loading stays pure so that training and export get the model as it is; speaking needs eval
mode, the glibc and oneDNN tuning of ``allocator`` (process-wide, hence explicit here), and
optionally int8 generator convolutions on the CPU.
"""

from __future__ import annotations

from torch import nn

from kokoro_tui.model.allocator import bound_kernel_caches, keep_freed_memory
from kokoro_tui.model.int8 import int8_available
from kokoro_tui.model.weight_norm import WeightNormed, WNConv1d

# Only the generator's convs switch: they are ~90 % of the work. conv_post stays fp32 (it feeds
# exp(), so its errors become gain errors), and so do the decoder's 1,024-channel blocks, whose
# per-call weight re-quantisation costs more than int8 saves at 40-80 frames/s (measured: slower
# and a larger audio error than leaving them fp32).
_INT8_PREFIX = "decoder.generator."
_KEEP_FP32 = "conv_post"


def use_int8_convs(model: nn.Module, enabled: bool = True) -> int:
    """Switch the generator's weight-normed convs to int8 inference (or back); returns how many switched.

    Raises ``RuntimeError`` on a build without oneDNN; CPU only (CUDA tensors keep fp32).
    """
    if enabled and not int8_available():
        raise RuntimeError("this torch build has no oneDNN int8 convolutions")
    count = 0
    for name, module in model.named_modules():
        if isinstance(module, WNConv1d) and name.startswith(_INT8_PREFIX) and not name.endswith(_KEEP_FP32):
            module.int8 = enabled
            count += 1
    return count


def tune_process_for_inference() -> None:
    """Process-wide settings for fast CPU synthesis (see ``allocator``); idempotent."""
    keep_freed_memory()
    bound_kernel_caches()


def fold_weight_norms(model: nn.Module) -> int:
    """Fold every weight-normed layer (see ``WeightNormed.fold``); returns how many."""
    layers = [module for module in model.modules() if isinstance(module, WeightNormed)]
    for layer in layers:
        layer.fold()
    return len(layers)


def prepare_for_inference(model: nn.Module, int8: bool = False) -> nn.Module:
    """Eval mode, the process tuned for synthesis, weight norms folded, and int8 generator convs when
    asked; returns ``model``."""
    tune_process_for_inference()
    model.eval()
    fold_weight_norms(model)
    use_int8_convs(model, int8)
    return model
