"""The model's anatomy: parameters per module as a tree, and tensor shapes at every stage of a forward pass.

Works on any ``torch.nn.Module``; shapes are captured with forward hooks during one real call, so
they are what the model actually computes, not what a diagram claims. Torch is only touched
through the module passed in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kokoro_tui.model.config import SAMPLE_RATE


@dataclass(frozen=True)
class ModuleNode:
    """One module: ``params`` counts every distinct parameter below it (shared weights once),
    ``own_params`` only those registered directly on it; ``share`` is ``params`` / model total."""

    path: str  # dotted name from the root, "" for the root
    kind: str  # class name
    detail: str  # the module's extra_repr, e.g. "512, 512, kernel_size=(5,)"
    params: int
    own_params: int
    share: float
    children: tuple[ModuleNode, ...] = ()

    def walk(self) -> Iterable[ModuleNode]:
        """This node and every descendant, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, path: str) -> ModuleNode:
        for node in self.walk():
            if node.path == path:
                return node
        raise KeyError(path)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "detail": self.detail,
            "params": self.params,
            "own_params": self.own_params,
            "share": self.share,
            "children": [child.to_json() for child in self.children],
        }


def _unique_params(module) -> dict[int, int]:
    return {id(p): p.numel() for p in module.parameters()}


def parameter_tree(model) -> ModuleNode:
    """Parameter counts of ``model`` and every submodule, each parameter counted once."""
    total = sum(_unique_params(model).values())

    def build(module, path: str) -> ModuleNode:
        children = tuple(
            build(child, f"{path}.{name}" if path else name) for name, child in module.named_children()
        )
        count = sum(_unique_params(module).values())
        return ModuleNode(
            path=path,
            kind=type(module).__name__,
            detail=module.extra_repr(),
            params=count,
            own_params=sum(p.numel() for p in module.parameters(recurse=False)),
            share=count / total if total else 0.0,
            children=children,
        )

    return build(model, "")


@dataclass(frozen=True)
class StageShape:
    """One module call in execution order: the shapes of its tensor inputs and outputs.

    Shapes are lists of ints; non-tensor values appear as their type name; ``depth`` is the number
    of dots in ``path`` plus one (top-level modules have depth 1, the model itself, path "", 0).
    """

    order: int
    path: str
    kind: str
    depth: int
    inputs: tuple[Any, ...]
    outputs: Any
    call: int  # how many times this module had been called before (shared ALBERT layers repeat)


def describe_value(value: Any) -> Any:
    """A tensor as its shape (list of ints); containers recursively; anything else as its type name."""
    shape = getattr(value, "shape", None)
    if shape is not None and hasattr(value, "dtype"):
        return [int(s) for s in shape]
    if isinstance(value, (tuple, list)):
        return [describe_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): describe_value(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value if not isinstance(value, str) else "str"
    items = getattr(value, "to_tuple", None)  # transformers ModelOutput
    return describe_value(items()) if callable(items) else type(value).__name__


def trace_shapes(model, run: Callable[[], Any], *, max_depth: int | None = None) -> list[StageShape]:
    """Call ``run()`` (which must call ``model``) with a forward hook on the model and every submodule
    up to ``max_depth``; the hooks are removed afterwards, even if ``run`` fails."""
    stages: list[StageShape] = []
    calls: Counter[str] = Counter()
    handles = []

    def hook_for(path: str, kind: str):
        def hook(_module, args, kwargs, output):
            inputs = tuple(describe_value(a) for a in args)
            inputs += tuple({k: describe_value(v)} for k, v in kwargs.items() if v is not None)
            depth = path.count(".") + 1 if path else 0
            stages.append(StageShape(len(stages), path, kind, depth, inputs, describe_value(output), calls[path]))
            calls[path] += 1

        return hook

    try:
        for path, module in model.named_modules():
            if path and max_depth is not None and path.count(".") + 1 > max_depth:
                continue
            handles.append(module.register_forward_hook(hook_for(path, type(module).__name__), with_kwargs=True))
        run()
    finally:
        for handle in handles:
            handle.remove()
    return stages


@dataclass(frozen=True)
class ArchitectureReport:
    """What `kokoro analyze architecture` reports.

    ``tree``: parameter tree; ``kinds``: how many modules of each class; ``stages``: module calls
    of one synthesis in execution order (hooks complete after their children, so a parent follows
    its submodules); ``sample``: the traced input and what came out.
    """

    tree: ModuleNode
    kinds: dict[str, int]
    stages: tuple[StageShape, ...]
    sample: dict[str, Any] = field(default_factory=dict)

    @property
    def total_params(self) -> int:
        return self.tree.params


def architecture_report(model, ids: list[int], style, phonemes: str = "", *, seed: int = 0) -> ArchitectureReport:
    """Parameter tree, module kinds, and the shapes of one ``model.synthesize(ids, style)`` call."""
    results = []
    stages = trace_shapes(model, lambda: results.append(model.synthesize(ids, style, noise=False, seed=seed)))
    audio, durations = results[0]
    frames = int(durations.sum())
    sample = {
        "phonemes": phonemes,
        "tokens": len(ids),
        "tokens_with_pads": len(ids) + 2,
        "style_shape": describe_value(style),
        "frames": frames,
        "audio_samples": int(audio.shape[-1]),
        "audio_seconds": int(audio.shape[-1]) / SAMPLE_RATE,
        "durations": [int(d) for d in durations],
    }
    kinds = Counter(type(m).__name__ for name, m in model.named_modules() if name)
    return ArchitectureReport(parameter_tree(model), dict(kinds.most_common()), tuple(stages), sample)
