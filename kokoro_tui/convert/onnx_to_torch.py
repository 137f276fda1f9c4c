"""The int8 ONNX export into our float safetensors: what first use and `kokoro convert onnx-to-torch` both run."""

from __future__ import annotations

from pathlib import Path

from kokoro_tui.assets.manifest import CONFIG_NAME, SAFETENSORS_NAME
from kokoro_tui.assets.progress import NullProgress, ProgressSink
from kokoro_tui.convert.import_report import ImportReport
from kokoro_tui.convert.model_layout import expected_parameters
from kokoro_tui.convert.onnx_import import import_onnx
from kokoro_tui.model.checkpoint import save_safetensors
from kokoro_tui.model.config import KokoroConfig


def onnx_to_safetensors(
    onnx_path: Path, target_dir: Path, config: KokoroConfig, progress: ProgressSink | None = None
) -> tuple[Path, ImportReport]:
    """Dequantise ``onnx_path`` into ``target_dir/model.safetensors`` (atomically, config in its metadata);
    writes ``config.json`` beside it unless one is there. Returns the weights' path and the import report."""
    sink = progress or NullProgress()
    task = sink.add_task("importing ONNX weights", total=None)
    result = import_onnx(
        onnx_path, expected_parameters(config), progress=lambda done, total: sink.update(task, total=total, completed=done)
    )
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / SAFETENSORS_NAME
    save_safetensors(result.state, target, config)
    if not (target_dir / CONFIG_NAME).is_file():
        config.to_json(target_dir / CONFIG_NAME)
    return target, result.report
