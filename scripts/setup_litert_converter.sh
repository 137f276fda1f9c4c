#!/usr/bin/env bash
# A second environment, ./.venv-litert, for `kokoro convert export --to litert` only.
# litert-torch brings torchao and JAX, hundreds of MB that speaking never needs. The export it writes lands in the shared data home, where `kokoro say --backend litert` (run from
# ./.venv, with the light `litert` extra) finds it.
# Usage: bash scripts/setup_litert_converter.sh; then .venv-litert/bin/kokoro convert export --to litert
set -euo pipefail
cd "$(dirname "$0")/.."
KOKORO_VENV="${KOKORO_LITERT_VENV:-.venv-litert}" bash scripts/setup.sh registry,litert,litert-convert
