"""What an ONNX import did, for the CLI and logs: counts per kind, gaps, time taken."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class ImportReport:
    source: Path
    mapped: int = 0
    parameters: int = 0
    weight_initializers: int = 0
    quantization_params: int = 0
    ignored: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    ignored_by_rule: dict[str, int] = field(default_factory=dict)
    declared_gaps: dict[str, str] = field(default_factory=dict)
    dead_channels: int = 0
    seconds: float = 0.0

    def count(self, kind: str, tensors: int = 1) -> None:
        self.kinds[kind] = self.kinds.get(kind, 0) + tensors

    def lines(self) -> list[str]:
        """Human-readable summary, one fact per line."""
        out = [
            f"imported {self.source.name} in {self.seconds:.1f} s",
            f"mapped {self.mapped} tensors ({self.parameters:,} parameters) from {self.weight_initializers} initializers",
            "  by kind: " + ", ".join(f"{kind} {n}" for kind, n in sorted(self.kinds.items())),
            f"consumed {self.quantization_params} scale/zero-point initializers while dequantising",
            f"ignored {self.ignored} non-parameter initializers: "
            + ", ".join(f"{rule} {n}" for rule, n in sorted(self.ignored_by_rule.items())),
        ]
        if self.dead_channels:
            out.append(f"{self.dead_channels} weight-norm channels were zeroed by quantisation (g = 0)")
        out += [f"not in the export, filled with zeros: {key} ({why})" for key, why in self.declared_gaps.items()]
        return out

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["source"] = str(self.source)
        return data
