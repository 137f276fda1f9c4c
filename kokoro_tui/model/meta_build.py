"""Building modules on the meta device without importing torch's compiler.

Models are built on the meta device and then take the loaded weights (``model.loading``): no
random initialisation and no second copy of the weights. But several torch operations have no
meta kernel of their own (``normal_``, ``norm``, ``arange``, ``hann_window``) and run through
torch's reference implementations, whose first call imports ``torch._dynamo``: 1.4-2 s of every
cold start, for values that the loaded weights replace anyway. Module constructors therefore
make empty tensors on the meta device and compute values only on a real one;
``tests/test_model_loading.py`` checks that loading a model leaves torch's compiler unimported.
"""

from __future__ import annotations

import torch
from torch import nn


def building_on_meta() -> bool:
    """Whether tensors made now land on the meta device (inside ``with torch.device("meta")``)."""
    return torch.empty(0).is_meta


def embedding(rows: int, width: int, *, std: float = 1.0, padding_idx: int | None = None) -> nn.Embedding:
    """``nn.Embedding(rows, width)`` initialised as torch does (normal with ``std``, the padding row zero),
    except on the meta device, where nothing is computed."""
    weight = torch.empty(rows, width)
    if not weight.is_meta:
        with torch.no_grad():
            weight.normal_(0.0, std)
            if padding_idx is not None:
                weight[padding_idx].zero_()
    return nn.Embedding(rows, width, padding_idx=padding_idx, _weight=weight)
