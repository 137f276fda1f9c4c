"""`kokoro convert`: int8 ONNX -> our safetensors, our weights -> the official .pth layout, and
`kokoro convert export --to onnx|litert|tf`: our model -> a variable-length ONNX file in fp32, fp16 or
int8, a LiteRT export (bucketed graph + host LSTMs) with float or int8 weights, or a TensorFlow
SavedModel (dynamic-length stages + host LSTMs).

Reports and progress go to stderr; nothing is written to stdout.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple, Optional

import click
import typer
from typer.core import TyperGroup

from kokoro_tui.cli.console import err, progress
from kokoro_tui.errors import KokoroError

if TYPE_CHECKING:
    from kokoro_tui.assets.progress import ProgressSink
    from kokoro_tui.convert.litert_export import LiteRTResult
    from kokoro_tui.convert.onnx_export import ExportResult
    from kokoro_tui.convert.parity import ExportRunner, ParityCase
    from kokoro_tui.convert.tf_export import TFResult
    from kokoro_tui.home import DataHome
    from kokoro_tui.model.config import KokoroConfig
    from kokoro_tui.model.kokoro import KokoroModel

EXPORT_COMMAND = "export"


class ExportByDefault(TyperGroup):
    """`kokoro convert --to onnx ...` is `kokoro convert export --to onnx ...`: options straight after `convert`
    (other than --help) belong to `export`, the way issue #16 and the other tools' users spell it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0].startswith("-") and args[0] not in ctx.help_option_names:
            args = [EXPORT_COMMAND, *args]
        return super().parse_args(ctx, args)


convert_app = typer.Typer(
    cls=ExportByDefault,
    help="Convert Kokoro weights between the int8 ONNX, our safetensors and the official .pth layout; export to "
    "ONNX, LiteRT or TensorFlow (`kokoro convert --to onnx` is `kokoro convert export --to onnx`).",
    no_args_is_help=True,
)

# What `export` writes.
EXPORT_TARGETS = ("onnx", "litert", "tf")
# Other names a TensorFlow user may ask for: they get the SavedModel.
TENSORFLOW_ALIASES = ("tensorflow", "savedmodel", "saved_model")
# LiteRT is TensorFlow Lite's new name, and its export is a .tflite: the old name asks for the same thing.
LITERT_ALIAS = "tflite"
# (voice, sentence) utterances of `export --check`: short, medium and long, two voices; one sentence
# each, so that each is one chunk, one call of the model.
CHECK_TEXTS: tuple[tuple[str, str], ...] = (
    ("af_heart", "Hello, this is Kokoro speaking from your terminal."),
    ("am_adam", "Please call me when you get home tonight, and bring the blue umbrella with you."),
    ("af_heart", "The quick brown fox jumps over the lazy dog, while the children play in the garden after "
                 "school and the weather stays sunny and warm until the evening."),
)  # fmt: skip


@convert_app.command("onnx-to-torch")
def onnx_to_torch(
    onnx_path: Annotated[
        Optional[Path], typer.Option("--onnx", help="The int8 ONNX export (default: the data home's model).")
    ] = None,
    out: Annotated[
        Optional[Path], typer.Option("--out", "-o", help="Directory for model.safetensors + config.json (default: the data home's model dir).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing model.safetensors.")] = False,
) -> None:
    """Dequantise the int8 ONNX into float PyTorch weights (model.safetensors) and check they load."""
    from kokoro_tui.assets.manifest import ONNX_NAME, SAFETENSORS_NAME
    from kokoro_tui.assets.model_store import model_config, model_dir
    from kokoro_tui.atomic import check_writable, refuse_existing
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
    refuse_existing(target_dir / SAFETENSORS_NAME, force, "--out DIR")
    check_writable(target_dir / SAFETENSORS_NAME)  # now, not after the dequantisation
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
    from kokoro_tui.atomic import check_writable, refuse_existing
    from kokoro_tui.home import resolve_home
    from kokoro_tui.model.checkpoint import save_official_pth
    from kokoro_tui.model.loading import load_model

    home = resolve_home()
    target = out or model_dir(home) / PTH_NAME
    refuse_existing(target, force, "--out FILE")
    check_writable(target)  # now, not after loading the weights
    with progress("steps") as bar:
        source = ensure_torch_weights(home, progress=bar)
    started = time.perf_counter()
    state = load_model(source, model_config(home)).state_dict()
    save_official_pth(state, target)
    err.print(
        f"wrote {target} from {source.name} ({len(state)} tensors) in {time.perf_counter() - started:.2f} s",
        markup=False, soft_wrap=True,
    )  # fmt: skip


def parity_cases(home: DataHome, config: KokoroConfig, texts: Sequence[tuple[str, str]]) -> list[ParityCase]:
    """One parity case per (voice, text): the phonemes of the text's first chunk (as the pipeline cuts
    it) from our text front end, and the voice's style row for that length (the pipeline's rule)."""
    from kokoro_tui.convert.parity import ParityCase
    from kokoro_tui.speech.pipeline import Pipeline, load_voice
    from kokoro_tui.text.vocab import PhonemeVocab
    from kokoro_tui.voices.pack import select_style

    vocab = PhonemeVocab(config.vocab)
    cases = []
    for voice, text in texts:
        phonemes = next(iter(Pipeline(voice=voice, home=home).text_chunks(text))).phonemes
        style = select_style(load_voice(home, voice), len(phonemes))
        cases.append(ParityCase(f"{voice} {len(phonemes)} phonemes", vocab.encode(phonemes).ids, style))
    return cases


@convert_app.command(EXPORT_COMMAND)
def export(
    to: Annotated[
        str, typer.Option("--to", help="The format to write: onnx, litert (also accepted as tflite) or tf (a "
                          "SavedModel).", show_default=False),
    ],
    dtype: Annotated[str, typer.Option("--dtype", help="onnx: fp32, fp16 or int8.")] = "fp32",
    opset: Annotated[
        Optional[int], typer.Option("--opset", help="onnx: the opset (default: the lowest this graph exports at).")
    ] = None,
    quantize: Annotated[str, typer.Option("--quantize", help="litert: none or int8 (weights).")] = "none",
    token_buckets: Annotated[
        Optional[str], typer.Option("--token-buckets", help="litert: phoneme-token lengths to export, e.g. 64,512.")
    ] = None,
    frame_buckets: Annotated[
        Optional[str], typer.Option("--frame-buckets", help="litert: frame lengths (40 a second) to export.")
    ] = None,
    out: Annotated[
        Optional[Path],
        typer.Option("--out", "-o", help="Output (default: in the data home's model dir, kokoro-<dtype>.onnx, "
                     "the folder kokoro-litert-<quantize> or the folder kokoro-tf)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output.")] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="Compare the export with our torch model on 3 sentences; JSON report beside it."),
    ] = False,
) -> None:
    """Export our model (any length up to 510 phonemes, our audio level, durations out) for another runtime."""
    from kokoro_tui.assets.model_store import ensure_torch_weights, model_config
    from kokoro_tui.atomic import refuse_existing
    from kokoro_tui.home import resolve_home
    from kokoro_tui.model.loading import load_model

    kind = {LITERT_ALIAS: "litert", **dict.fromkeys(TENSORFLOW_ALIASES, "tf")}.get(to.lower(), to.lower())
    if kind not in EXPORT_TARGETS:
        raise KokoroError(f"cannot export to {to!r}", hint=f"choose {', '.join(EXPORT_TARGETS)}")
    if kind == "litert":
        writer = _litert_writer(quantize, token_buckets, frame_buckets, dtype, opset)
    elif kind == "tf":
        writer = _tf_writer(dtype, opset, quantize, token_buckets, frame_buckets)
    else:
        writer = _onnx_writer(dtype, opset, quantize, token_buckets, frame_buckets)
    home = resolve_home()
    target = out or writer.default_target(home)
    refuse_existing(target, force, "--out PATH")
    writer.check_target(target)
    config = model_config(home)
    cases = parity_cases(home, config, CHECK_TEXTS) if check else []  # a missing voice shows now, not after the export
    with progress("steps") as bar:
        model = load_model(ensure_torch_weights(home, progress=bar), config).eval()
        result = writer.write(model, target, bar)
    err.print(f"wrote {result.path} ({result.size_bytes / 1e6:.1f} MB, {writer.label}) in {result.seconds:.1f} s",
              markup=False, soft_wrap=True)  # fmt: skip
    if check:
        _check(model, result.path, cases, writer.runner(result.path))


class _Writer(NamedTuple):
    """One export format, as `export` drives it: options already checked."""

    label: str
    default_target: Callable[[DataHome], Path]
    check_target: Callable[[Path], None]
    write: Callable[[KokoroModel, Path, ProgressSink], ExportResult | LiteRTResult | TFResult]
    runner: Callable[[Path], tuple[ExportRunner, str] | None]


def _onnx_writer(dtype: str, opset: int | None, quantize: str, token_buckets: str | None,
                 frame_buckets: str | None) -> _Writer:  # fmt: skip
    from kokoro_tui.assets.model_store import onnx_export_path
    from kokoro_tui.atomic import check_writable
    from kokoro_tui.convert.onnx_export import DEFAULT_OPSET, check_export_options, export_onnx

    if quantize != "none" or token_buckets is not None or frame_buckets is not None:
        raise KokoroError("--quantize and the bucket options apply to --to litert", hint="use --dtype for ONNX")
    chosen = DEFAULT_OPSET if opset is None else opset
    check_export_options(dtype, chosen)
    return _Writer(
        f"{dtype}, opset {chosen}", lambda home: onnx_export_path(home, dtype), check_writable,
        lambda model, target, bar: export_onnx(model, target, dtype, chosen, progress=bar), lambda path: None,
    )  # fmt: skip


def _litert_writer(quantize: str, token_buckets: str | None, frame_buckets: str | None, dtype: str,
                   opset: int | None) -> _Writer:  # fmt: skip
    from kokoro_tui.assets.model_store import litert_export_path
    from kokoro_tui.atomic import check_writable_dir
    from kokoro_tui.convert.litert_export import check_litert_options, export_litert, litert_torch_module
    from kokoro_tui.convert.litert_io import FRAME_BUCKETS, TOKEN_BUCKETS, parse_buckets

    if dtype != "fp32" or opset is not None:
        raise KokoroError("--dtype and --opset apply to --to onnx", hint="use --quantize for LiteRT")
    tokens = parse_buckets("--token-buckets", token_buckets) or TOKEN_BUCKETS
    frames = parse_buckets("--frame-buckets", frame_buckets) or FRAME_BUCKETS
    check_litert_options(quantize, tokens, frames)
    litert_torch_module()  # not installed: say so now, not after loading the model

    def runner(path: Path) -> tuple[ExportRunner, str]:
        from kokoro_tui.backends.litert_runtime import LiteRTKokoro

        return LiteRTKokoro(path).synthesize_stages, f"litert {quantize}"

    return _Writer(
        f"LiteRT, weights {quantize}, {len(tokens)} token + {len(frames)} frame buckets",
        lambda home: litert_export_path(home, quantize), lambda target: check_writable_dir(target.parent),
        lambda model, target, bar: export_litert(model, target, quantize, tokens, frames, progress=bar), runner,
    )  # fmt: skip


def _tf_writer(dtype: str, opset: int | None, quantize: str, token_buckets: str | None,
               frame_buckets: str | None) -> _Writer:  # fmt: skip
    from kokoro_tui.assets.model_store import tf_export_path
    from kokoro_tui.atomic import check_writable_dir
    from kokoro_tui.convert.nobuco_ops import load_nobuco
    from kokoro_tui.convert.tf_export import export_tf

    if dtype != "fp32" or opset is not None or quantize != "none" or token_buckets is not None \
            or frame_buckets is not None:  # fmt: skip
        raise KokoroError("--dtype, --opset, --quantize and the bucket options do not apply to --to tf",
                          hint="the SavedModel is float32 and takes any length")  # fmt: skip
    load_nobuco()  # not installed: say so now, not after loading the model

    def runner(path: Path) -> tuple[ExportRunner, str]:
        from kokoro_tui.backends.tf_runtime import TFKokoro

        return TFKokoro(path).synthesize_stages, "tf"

    return _Writer(
        "TensorFlow SavedModel, float32, dynamic length", tf_export_path,
        lambda target: check_writable_dir(target.parent), lambda model, target, bar: export_tf(model, target, bar),
        runner,
    )  # fmt: skip


def _check(
    model: KokoroModel, path: Path, cases: Sequence[ParityCase], runner: tuple[ExportRunner, str] | None
) -> None:
    """`export --check`: parity with the torch model, printed and written beside the export."""
    from kokoro_tui.convert.parity import check_parity, report_path
    from kokoro_tui.evaluation.spectral import mel_agreement

    with progress("steps") as bar:
        task = bar.add_task("checking parity", total=len(cases))
        report = check_parity(model, path, cases, mel_agreement, on_case=lambda: bar.advance(task), runner=runner)
    for line in report.lines():
        err.print(line, markup=False, soft_wrap=True)
    report.write_json(report_path(path))
    err.print(f"wrote {report_path(path)}", markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(convert_app, name="convert")
