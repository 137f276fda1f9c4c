"""The allocator tuning that lets the generator's big activations reuse freed heap pages."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kokoro_tui.model.allocator import keep_freed_memory

# A chain of convolutions over 51 MB activations, as the generator's upsampling stages make them.
# Untuned glibc mmaps each one and faults in its pages again on every pass (200,016 faults per pass
# here); tuned, the first pass grows the heap and later passes reuse it (0 faults here).
PROBE = """
import resource, torch
from kokoro_tui.model.allocator import keep_freed_memory
assert keep_freed_memory()
torch.set_num_threads(1)
conv = torch.nn.Conv1d(64, 64, 3, padding=1)
signal = torch.randn(1, 64, 200_000)
def faults():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    with torch.inference_mode():
        activation = signal
        for _ in range(4):
            activation = torch.nn.functional.leaky_relu(conv(activation))
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
print(*(faults() for _ in range(3)))
"""
PAGES_PER_ACTIVATION = 64 * 200_000 * 4 // 4096


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="mallopt is glibc's")
def test_later_passes_reuse_the_heap_instead_of_faulting_pages_in_again():
    # A fresh process, so that no earlier test has already shaped the heap.
    run = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    first, *later = (int(count) for count in run.stdout.split())
    assert first > PAGES_PER_ACTIVATION, "the first pass must fault its activations in"
    assert max(later) < PAGES_PER_ACTIVATION // 10, f"page faults per pass: {first}, {later}"


def test_the_setting_is_applied_once():
    assert keep_freed_memory() is keep_freed_memory()


def test_kernel_caches_are_bounded_unless_the_user_chose(monkeypatch):
    from kokoro_tui.model.allocator import bound_kernel_caches

    monkeypatch.delenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY", raising=False)
    monkeypatch.setenv("LRU_CACHE_CAPACITY", "7")
    bound_kernel_caches()
    import os

    assert os.environ["ONEDNN_PRIMITIVE_CACHE_CAPACITY"] == "256"
    assert os.environ["LRU_CACHE_CAPACITY"] == "7"


RELEASE_PROBE = """
import torch
from kokoro_tui.model.allocator import keep_freed_memory, return_freed_memory
assert keep_freed_memory()
def rss_mib():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20
activations = [torch.ones(16 * 2**20) for _ in range(4)]  # 256 MiB written, then freed: the heap keeps it
del activations
held = rss_mib()
print(return_freed_memory(), round(held - rss_mib()))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_freed_pages_go_back_between_utterances():
    run = subprocess.run([sys.executable, "-c", RELEASE_PROBE], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    released, dropped_mib = run.stdout.split()
    assert released == "True" and int(dropped_mib) > 200, f"RSS fell by {dropped_mib} MiB of 256"


@pytest.mark.parametrize(("seconds", "trims"), [(2.0, 0), (9.0, 3)])
def test_the_generator_trims_its_heap_between_blocks_only_on_long_chunks(monkeypatch, seconds, trims):
    """Long chunks: the resident set stays near the live tensors. Short ones: no page faults for nothing."""
    import torch

    from kokoro_tui.model import generator as generator_module
    from kokoro_tui.model.config import SAMPLE_RATE, KokoroConfig

    calls = []
    monkeypatch.setattr(generator_module, "return_freed_memory", lambda: calls.append(1))
    config = KokoroConfig.tiny()
    generator = generator_module.Generator(config.style_dim, config.istftnet, SAMPLE_RATE).eval()
    steps = round(seconds * SAMPLE_RATE / generator.frame_scale)
    channels = config.istftnet["upsample_initial_channel"]
    with torch.inference_mode():
        audio = generator(torch.randn(1, channels, steps), torch.randn(1, config.style_dim), torch.full((1, steps), 120.0))
    assert audio.shape == (1, steps * generator.frame_scale)
    assert len(calls) == trims * 2  # before each of the 3 blocks of each of the 2 stages
