"""Tiny random Kokoro models and data homes that hold them, shared by the export and training tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch

from kokoro_tui.assets.manifest import CONFIG_NAME, SAFETENSORS_NAME
from kokoro_tui.assets.model_store import model_dir
from kokoro_tui.home import DataHome
from kokoro_tui.model.checkpoint import save_safetensors
from kokoro_tui.model.config import KokoroConfig
from kokoro_tui.model.kokoro import KokoroModel
from kokoro_tui.voices.store import VoiceStore

SPECTRAL = 11  # the harmonic spectrum's magnitude channels; its 11 phase channels follow


def tiny_kokoro() -> KokoroModel:
    """The tiny config with real 256-wide styles and 510 phonemes (stock voices and text fit it).

    Three settings make it speak like a trained model where it matters here: a voiced F0 (150 Hz,
    not the random curve near 0 Hz), durations of 1 to 4 frames, and no weight on the excitation
    spectrum's phase. A random network weighs that phase like signal, but in silent bins it is
    the argument of rounding noise, which no two FFT implementations share (see
    convert/stft_convs.py); the real model's parity, phase included, is measured in the benchmark.
    """
    tiny = KokoroConfig.tiny()
    config = dataclasses.replace(tiny, style_dim=128, plbert={**tiny.plbert, "max_position_embeddings": 512})
    torch.manual_seed(7)
    model = KokoroModel(config).eval()
    with torch.no_grad():
        model.predictor.F0_proj.bias.fill_(150.0)
        model.predictor.duration_proj.linear_layer.weight.mul_(40.0)
        for conv in model.decoder.generator.noise_convs:
            conv.weight[:, SPECTRAL:] = 0.0
    return model


def tiny_home(root: Path, model: KokoroModel) -> DataHome:
    """A data home holding the tiny model as its weights and two random stock voices."""
    home = DataHome(root)
    folder = model_dir(home)
    folder.mkdir(parents=True)
    save_safetensors(model.state_dict(), folder / SAFETENSORS_NAME, model.config)
    model.config.to_json(folder / CONFIG_NAME)
    for seed, voice in enumerate(("af_heart", "am_adam")):
        pack = (0.3 * np.random.default_rng(seed).standard_normal((510, 1, 256))).astype(np.float32)
        VoiceStore(home).save(voice, pack, "stock")
    return home


def torch_on_one_thread() -> Iterator[None]:
    """torch on one thread meanwhile, for a module fixture (``yield from`` it): two OpenMP threads on
    a shared 2-core machine turned each tiny LSTM call from 3 ms into 1.6 s (threads spinning at
    barriers while another process runs)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def one_thread_tiny_home(root: Path) -> Iterator[DataHome]:
    """``tiny_home`` for a module fixture, with torch on one thread meanwhile (several threads spin
    against each other on a busy machine); ``yield from`` it."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield tiny_home(root, tiny_kokoro())
    torch.set_num_threads(threads)
