"""The architecture report: ``architecture.json`` (everything) and ``architecture_report.txt`` (readable)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kokoro_tui.analysis.architecture import ArchitectureReport, ModuleNode
from kokoro_tui.atomic import atomic_write_text

TREE_DEPTH = 3
FLOW_DEPTH = 4


def format_shape(value: Any) -> str:
    """``[1, 7, 512]`` for a tensor shape, containers as tuples of those, other values by name."""
    if isinstance(value, list) and all(isinstance(v, int) for v in value):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, list):
        return "(" + ", ".join(format_shape(v) for v in value) + ")"
    if isinstance(value, dict):
        return ", ".join(f"{k}={format_shape(v)}" for k, v in value.items())
    return str(value)


def _tree_lines(node: ModuleNode, depth: int, max_depth: int) -> list[str]:
    name = node.path.rsplit(".", 1)[-1] if node.path else "model"
    layer = f"{node.kind}({node.detail})" if node.detail else node.kind
    label = f"{'  ' * depth}{name}: {layer}"
    lines = [f"{label:<92} {node.params:>12,} {100 * node.share:>7.2f}%"]
    if depth < max_depth:
        for child in node.children:
            lines += _tree_lines(child, depth + 1, max_depth)
    elif node.children:
        hidden = sum(1 for _ in node.walk()) - 1
        lines.append(f"{'  ' * (depth + 1)}… {hidden} submodules")
    return lines


def architecture_text(report: ArchitectureReport) -> str:
    """Totals, the parameter tree with shares, module kinds, and the traced data flow."""
    sample = report.sample
    lines = [
        "Kokoro model architecture",
        "=========================",
        f"{report.total_params:,} parameters (shared weights counted once).",
        "",
        "Parameters per module (share of total)",
        "--------------------------------------",
    ]
    lines += [f"  {c.path:<16} {c.params:>12,} {100 * c.share:>6.2f}%  {c.kind}" for c in report.tree.children]
    lines += ["", f"Module tree to depth {TREE_DEPTH} (layer, parameters, share)", "-" * 48]
    lines += _tree_lines(report.tree, 0, TREE_DEPTH)
    lines += ["", "Layer kinds (number of modules)", "-------------------------------"]
    lines += [f"  {kind:<24} {count:>5}" for kind, count in report.kinds.items()]
    lines += [
        "",
        f"Data flow for a sample sentence (module calls to depth {FLOW_DEPTH}, in execution order)",
        "-" * 72,
        f"phonemes: {sample.get('phonemes', '')}",
        f"{sample.get('tokens_with_pads')} token ids with BOS/EOS, style {format_shape(sample.get('style_shape'))}, "
        f"{sample.get('frames')} frames of 25 ms -> {sample.get('audio_samples')} samples "
        f"({sample.get('audio_seconds', 0):.2f} s at 24 kHz)",
        "A parent module is listed after the submodules it called.",
    ]
    shown = [stage for stage in report.stages if stage.depth <= FLOW_DEPTH]
    names = [(stage.path or "model") + (f" (call {stage.call + 1})" if stage.call else "") for stage in shown]
    width = max((len(n) for n in names), default=0)
    kind_width = max((len(stage.kind) for stage in shown), default=0)
    for name, stage in zip(names, shown):
        inputs = ", ".join(format_shape(v) for v in stage.inputs)
        lines.append(f"  {name:<{width}}  {stage.kind:<{kind_width}}  in {inputs}  ->  out {format_shape(stage.outputs)}")
    return "\n".join(lines) + "\n"


def architecture_json(report: ArchitectureReport) -> dict[str, Any]:
    return {
        "total_params": report.total_params,
        "tree": report.tree.to_json(),
        "kinds": report.kinds,
        "sample": report.sample,
        "stages": [asdict(stage) for stage in report.stages],
    }


def write_architecture(report: ArchitectureReport, out_dir: Path) -> list[Path]:
    """Write ``architecture.json`` and ``architecture_report.txt`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, text_path = out_dir / "architecture.json", out_dir / "architecture_report.txt"
    atomic_write_text(json_path, json.dumps(architecture_json(report), indent=1) + "\n")
    atomic_write_text(text_path, architecture_text(report))
    return [json_path, text_path]
