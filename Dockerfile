# `kokoro serve` in a container, built with the README's setup (scripts/setup.sh), model and voices inside.
#   docker build -t kokoro-tui .
#   docker run --rm -p 8880:8880 -e KOKORO_API_KEY=secret kokoro-tui      # then http://localhost:8880/
# The assets are downloaded at build time, not at first start: every replica then starts in seconds from the
# same checked files, needs no network at run time, and no replicas race to fill a shared volume
# (docs/serving.md). The price is an image about 360 MB larger, rebuilt to take new assets.
FROM python:3.11-slim-bookworm

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONUNBUFFERED=1 \
    KOKORO_HOME=/opt/kokoro-home \
    NUMBA_CACHE_DIR=/opt/numba-cache \
    PATH=/app/.venv/bin:$PATH

WORKDIR /app
COPY pyproject.toml README.md ./
COPY scripts/setup.sh scripts/
COPY kokoro_tui/ kokoro_tui/

# setup.sh makes .venv, pins torch==2.13.0, then installs the package with its `registry` extra. That pin
# finds the CPU build on the development machines' disk; from PyPI, Linux would get the multi-GB CUDA
# build. So the same version comes first from PyTorch's CPU index (2.13.0+cpu satisfies the pin, and
# setup.sh installs no other). gcc builds webrtcvad, which PyPI has as source only; it leaves in this layer.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev \
 && python3 -m venv .venv \
 && .venv/bin/pip install --quiet torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
 && bash scripts/setup.sh \
 && apt-get purge -y --auto-remove gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*

# The model and the 54 voices (Hugging Face hub; the registry fallback would need npm), checked, and one
# sentence spoken: that converts the weights if the ONNX export was fetched and compiles the numba
# kernels into their cache, so that no replica does either at start. The cache stays writable for the
# server's user, in case a replica's CPU wants its own build of the kernels.
RUN kokoro download \
 && kokoro doctor \
 && kokoro say "Ready." -o /tmp/ready.wav \
 && rm /tmp/ready.wav \
 && mkdir -p "$NUMBA_CACHE_DIR" \
 && chmod -R a+rwX "$NUMBA_CACHE_DIR"

# The server only reads the data home: it runs as a user that cannot change it, and fetches nothing.
RUN useradd --create-home --uid 10001 kokoro
USER kokoro
ENV HF_HUB_OFFLINE=1
EXPOSE 8880
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8880/health', timeout=4)"
CMD ["kokoro", "serve", "--host", "0.0.0.0"]
