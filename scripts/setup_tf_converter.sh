#!/usr/bin/env bash
# A third environment, ./.venv-tf, for `kokoro convert export --to tf` only (TensorFlow 2.15 and nobuco: see the
# tf-convert extra in pyproject.toml). The SavedModel it writes lands in the shared data home.
# Usage: bash scripts/setup_tf_converter.sh; then .venv-tf/bin/kokoro convert export --to tf
set -euo pipefail
cd "$(dirname "$0")/.."
KOKORO_VENV="${KOKORO_TF_VENV:-.venv-tf}" bash scripts/setup.sh registry,tf-convert
