"""Lookup tables over an ONNX graph: who produces a tensor, who consumes it, what is constant.

Every mapping decision in the importer follows edges of the graph (an initializer's
consumer node, a node's output to the next node) instead of trusting tensor names,
because the quantiser de-duplicated and renamed tensors freely.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

from kokoro_tui.errors import KokoroError


@dataclass(frozen=True)
class Use:
    """One place where a tensor is read: the node and the input slot."""

    node: onnx.NodeProto
    slot: int


@dataclass
class GraphIndex:
    """Producers, consumers and initializer arrays of one ONNX graph."""

    model: onnx.ModelProto
    initializers: dict[str, onnx.TensorProto] = field(init=False)
    producers: dict[str, onnx.NodeProto] = field(init=False)
    uses: dict[str, list[Use]] = field(init=False)
    _arrays: dict[str, np.ndarray] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        graph = self.model.graph
        self.initializers = {tensor.name: tensor for tensor in graph.initializer}
        self.producers = {out: node for node in graph.node for out in node.output if out}
        uses: dict[str, list[Use]] = defaultdict(list)
        for node in graph.node:
            for slot, name in enumerate(node.input):
                if name:
                    uses[name].append(Use(node, slot))
        self.uses = dict(uses)

    @classmethod
    def load(cls, path: str | Path) -> GraphIndex:
        path = Path(path)
        if not path.is_file():
            raise KokoroError(f"ONNX model not found: {path}")
        try:
            model = onnx.load(str(path))
        except Exception as error:  # onnx raises DecodeError, ValueError, OSError...
            raise KokoroError(f"cannot read ONNX model {path}: {error}") from error
        return cls(model)

    def array(self, name: str) -> np.ndarray:
        """The initializer's values (cached; read-only view)."""
        if name not in self._arrays:
            if name not in self.initializers:
                raise KokoroError(f"ONNX graph has no initializer {name!r}")
            self._arrays[name] = numpy_helper.to_array(self.initializers[name])
        return self._arrays[name]

    def is_initializer(self, name: str) -> bool:
        return name in self.initializers

    def uses_of(self, name: str) -> list[Use]:
        return self.uses.get(name, [])

    def readers(self, tensor: str) -> list[onnx.NodeProto]:
        """Nodes that read ``tensor``, in graph order."""
        return [use.node for use in self.uses_of(tensor)]
