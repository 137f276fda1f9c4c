"""The real registry download, done once per session by the `real_home` fixture: check what it left."""

from __future__ import annotations

import json

import numpy as np

from kokoro_tui.assets.checksums import sha256_file
from kokoro_tui.assets.download import download
from kokoro_tui.assets.manifest import (
    CONFIG_NAME,
    ONNX_BYTES,
    ONNX_NAME,
    ONNX_SHA256,
    STOCK_VOICES,
    VOICE_BYTES,
    model_dir,
)
from kokoro_tui.voices.store import VoiceStore


def test_model_is_the_verified_int8_onnx(real_home):
    onnx = model_dir(real_home) / ONNX_NAME
    assert onnx.stat().st_size == ONNX_BYTES == 92_361_271
    assert sha256_file(onnx) == ONNX_SHA256 == "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"


def test_config_is_hexgrad_format_with_the_vocab(real_home):
    config = json.loads((model_dir(real_home) / CONFIG_NAME).read_text(encoding="utf-8"))
    assert {"vocab", "n_token", "hidden_dim", "style_dim", "plbert", "istftnet"} <= set(config)
    assert len(config["vocab"]) == 114 and config["vocab"]["ə"] == 83 and max(config["vocab"].values()) == 177
    assert config["plbert"]["num_hidden_layers"] == 12 and config["istftnet"]["gen_istft_n_fft"] == 20


def test_all_54_stock_voices_are_whole(real_home):
    store = VoiceStore(real_home)
    assert set(STOCK_VOICES) <= set(store.names())
    for name in STOCK_VOICES:
        info = store.info(name)
        assert info.origin == "stock" and info.path.suffix == ".bin" and info.path.stat().st_size == VOICE_BYTES
    pack = store.load("af_heart")
    assert pack.shape == (510, 1, 256) and np.isfinite(pack).all() and float(np.abs(pack).max()) > 0.1
    assert {v.lang for v in store.list()} >= set("abefhijpz")


def test_second_run_has_nothing_to_do(real_home):
    onnx = model_dir(real_home) / ONNX_NAME
    before = onnx.stat().st_mtime_ns
    report = download(real_home, source="registry")
    assert report.nothing_to_do and report.source is None
    assert onnx.stat().st_mtime_ns == before
