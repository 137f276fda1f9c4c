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
    from kokoro_tui.assets.manifest import ONNX_NAME
    from kokoro_tui.assets.model_store import model_config, model_dir
    from kokoro_tui.convert.onnx_to_torch import onnx_to_safetensors
    from kokoro_tui.home import resolve_home
    from kokoro_tui.model.loading import load_model

    home = resolve_home()
    source = onnx_path or model_dir(home) / ONNX_NAME
    if not source.is_file():
        raise KokoroError(f"ONNX model not found: {source}", hint="run `kokoro download` or pass --onnx")
    target_dir = out or model_dir(home)
    if target_dir.exists() and not target_dir.is_dir():
        raise KokoroError(f"--out must be a directory: {target_dir}")
    config = model_config(home)

    with progress("steps") as bar:
        target, report = onnx_to_safetensors(source, target_dir, config, progress=bar)
    for line in report.lines():
        err.print(line, markup=False, soft_wrap=True)

    started = time.perf_counter()
    load_model(target, config)
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
    from kokoro_tui.model.checkpoint import save_official_pth
    from kokoro_tui.model.loading import load_model

    home = resolve_home()
    target = out or model_dir(home) / PTH_NAME
    if target.exists() and not force:
        raise KokoroError(f"{target} already exists", hint="pass --force to overwrite, or --out FILE")
    with progress("steps") as bar:
        source = ensure_torch_weights(home, progress=bar)
    started = time.perf_counter()
    state = load_model(source, model_config(home)).state_dict()
    save_official_pth(state, target)
    err.print(
        f"wrote {target} from {source.name} ({len(state)} tensors) in {time.perf_counter() - started:.2f} s",
        markup=False, soft_wrap=True,
    )  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(convert_app, name="convert")
