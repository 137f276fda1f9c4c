"""`kokoro convert`: int8 ONNX -> our safetensors, and our weights -> the official .pth layout.

Reports and progress go to stderr; nothing is written to stdout.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from kokoro_tui.cli.console import err, progress
from kokoro_tui.errors import KokoroError

convert_app = typer.Typer(
    help="Convert Kokoro weights between the int8 ONNX, our safetensors and the official .pth layout.",
    no_args_is_help=True,
)


@convert_app.command("onnx-to-torch")
def onnx_to_torch(
    onnx_path: Annotated[
        Optional[Path], typer.Option("--onnx", help="The int8 ONNX export (default: the data home's model).")
    ] = None,
    out: Annotated[
        Optional[Path], typer.Option("--out", "-o", help="Directory for model.safetensors + config.json (default: the data home's model dir).")
    ] = None,
) -> None:
    """Dequantise the int8 ONNX into float PyTorch weights (model.safetensors) and check they load."""
    from kokoro_tui.assets.manifest import CONFIG_NAME, ONNX_NAME, SAFETENSORS_NAME
    from kokoro_tui.assets.model_store import model_config, model_dir
    from kokoro_tui.convert.model_layout import expected_parameters
    from kokoro_tui.convert.onnx_import import import_onnx
    from kokoro_tui.home import resolve_home
    from kokoro_tui.model.checkpoint import load_state_file, save_safetensors, strict_load
    from kokoro_tui.model.kokoro import KokoroModel

    home = resolve_home()
    source = onnx_path or model_dir(home) / ONNX_NAME
    if not source.is_file():
        raise KokoroError(f"ONNX model not found: {source}", hint="run `kokoro download` or pass --onnx")
    target_dir = out or model_dir(home)
    if target_dir.exists() and not target_dir.is_dir():
        raise KokoroError(f"--out must be a directory: {target_dir}")
    config = model_config(home)

    with progress("steps") as bar:
        task = bar.add_task("importing", total=None)
        result = import_onnx(
            source, expected_parameters(config), progress=lambda done, total: bar.update(task, completed=done, total=total)
        )
    target = target_dir / SAFETENSORS_NAME
    save_safetensors(result.state, target, config)
    if not (target_dir / CONFIG_NAME).is_file():
        config.to_json(target_dir / CONFIG_NAME)
    for line in result.report.lines():
        err.print(line, markup=False, soft_wrap=True)

    started = time.perf_counter()
    strict_load(KokoroModel(config), load_state_file(target))
    err.print(f"wrote {target}; it loads into the model in {time.perf_counter() - started:.2f} s", markup=False, soft_wrap=True)


@convert_app.command("torch-to-pth")
def torch_to_pth(
    out: Annotated[
        Optional[Path], typer.Option("--out", "-o", help="Output .pth file (default: kokoro-v1_0.pth in the data home's model dir).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
) -> None:
    """Write the data home's weights in hexgrad's official kokoro-v1_0.pth layout."""
    from kokoro_tui.assets.manifest import PTH_NAME
    from kokoro_tui.assets.model_store import ensure_torch_weights, model_config, model_dir
    from kokoro_tui.home import resolve_home
    from kokoro_tui.model.checkpoint import load_state_file, save_official_pth, strict_load
    from kokoro_tui.model.kokoro import KokoroModel

    home = resolve_home()
    target = out or model_dir(home) / PTH_NAME
    if target.exists() and not force:
        raise KokoroError(f"{target} already exists", hint="pass --force to overwrite, or --out FILE")
    with progress("steps") as bar:
        source = ensure_torch_weights(home, progress=bar)
    started = time.perf_counter()
    state = load_state_file(source)
    strict_load(KokoroModel(model_config(home)), state)
    save_official_pth(state, target)
    err.print(
        f"wrote {target} from {source.name} ({len(state)} tensors) in {time.perf_counter() - started:.2f} s",
        markup=False, soft_wrap=True,
    )  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(convert_app, name="convert")
