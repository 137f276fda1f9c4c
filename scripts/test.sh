#!/usr/bin/env bash
# Set everything up (package, test tools, registry assets) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh registry,dev,litert
# The LiteRT converter lives in its own environment (see the script); tests/test_convert_litert.py runs it.
bash scripts/setup_litert_converter.sh
# So does the TensorFlow converter (TensorFlow 2.15 + nobuco); tests/test_convert_tf.py runs it.
bash scripts/setup_tf_converter.sh
# The server's web page is tested in Debian's Chromium (tests/test_server_page.py), driven by Playwright:
# its own browser download needs the internet. Where there is no apt-get, that test skips and says why.
if ! command -v chromium >/dev/null && command -v apt-get >/dev/null; then
    as_root=$([ "$(id -u)" = 0 ] || echo sudo)
    { $as_root apt-get update -qq && $as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends chromium >/dev/null; } \
        || echo "warning: could not install chromium; tests/test_server_page.py will fail" >&2
fi
exec "${KOKORO_VENV:-.venv}/bin/python" -m pytest -q "$@"
