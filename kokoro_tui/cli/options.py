"""Option aliases shared by every command group, defined once so flags read the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kokoro_tui.cli.complete import complete_lang, complete_voice
from kokoro_tui.text.languages import LANGUAGES

LANGUAGE_CODES = ",".join(LANGUAGES)  # in the help of every --lang
STDIN = "-"  # as the TEXT argument or the --file of a command: read stdin, as `cat -` does

JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]
VoiceOption = Annotated[
    str,
    typer.Option(
        "--voice",
        "-v",
        help="Voice name, voice file, or blend: 'af_heart:0.7,am_adam:0.3' or Kokoro-FastAPI's 'af_heart(7)+am_adam(3)'.",
        autocompletion=complete_voice,
    ),
]
LangOption = Annotated[
    Optional[str],
    typer.Option(
        "--lang", "-l", help=f"Language code {LANGUAGE_CODES} (default: from the voice prefix).", autocompletion=complete_lang
    ),
]
TextFileOption = Annotated[
    Optional[Path], typer.Option("--file", "-f", help=f"Read the text from a file ('{STDIN}': stdin).")
]
DeviceOption = Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")]
SpeedOption = Annotated[float, typer.Option("--speed", "-s", help="Speaking rate, 0.25 to 4; 1.0 is normal.")]
BackendOption = Annotated[str, typer.Option("--backend", help="torch, onnx, litert or tf.")]
PrecisionOption = Annotated[
    str, typer.Option("--precision", help="auto (int8 convolutions for torch on the CPU, else fp32), fp32 or int8.")
]
OutDirOption = Annotated[Optional[Path], typer.Option("--out", "-o", help="Output directory.")]
SeedOption = Annotated[Optional[int], typer.Option("--seed", help="Seed for the harmonic-source noise.")]
# The brackets are escaped: help is rich markup.
NoMarkupOption = Annotated[
    bool,
    typer.Option(
        "--no-markup", help=r"Read brackets as written: no \[word](/IPA/), \[pause:1s], \[voice:…], \[speed:…]."
    ),
]
ModelOption = Annotated[
    Optional[Path],
    typer.Option("--model", help="Model file: ONNX for --backend onnx (default: the home's export, else the public one), an export folder for litert and tf, or fine-tuned .safetensors for torch.", show_default=False),
]  # fmt: skip
