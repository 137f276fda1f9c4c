"""How close the made-voice space can get to a left-out stock voice, when the answer is known.

``kokoro train voice`` searches a small space (``training/voice_space.py``): a blend of the stock packs nearest
to the speaker plus an offset along a few principal directions. In a leave-one-out run the left-out pack is
known, so its least-squares projection onto a space is the best that space holds (in pack distance). Scoring
the projection as the benchmark scores a made voice (``evaluate_voice`` on the left-out voice's audio of other
text) separates the two limits of the leave-one-out figure: the space, or the search in it.

    python benchmarks/voice_space_reach.py af_bella am_michael [--spaces blend,t16,t64,t16p16]

Spaces: ``blend`` (the nearest stock packs only), ``tN`` (plus N timbre directions; t128, all of them, spans the
shipped space, t64 and t16 the ones of sessions 24 and before), ``tNpM`` (plus M directions of the prosody half),
``allblend`` (every stock pack, no offset).
Takes about a minute per space and voice on the 2-core machine; run it alone.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
from voice_cloning import REFERENCE_TEXTS, TARGET_TEXTS, first_seconds, write_clips

from kokoro_tui.home import resolve_home
from kokoro_tui.model.config import SAMPLE_RATE
from kokoro_tui.training.differentiable_speech import DifferentiableSpeech
from kokoro_tui.training.speaker import SpeakerEncoder
from kokoro_tui.training.stock_scan import rank, stock_embeddings
from kokoro_tui.training.voice_eval import evaluate_voice
from kokoro_tui.training.voice_job import BASIS_SIZE
from kokoro_tui.training.voice_space import PACK_ROWS, principal_directions
from kokoro_tui.training.voice_target import split_clips
from kokoro_tui.voices.store import VoiceStore

FIT_ITERATIONS = 600


def project(target: np.ndarray, basis: np.ndarray, directions: np.ndarray) -> tuple[np.ndarray, dict]:
    """The pack ``softmax(w)·basis + c·directions`` nearest to ``target`` in squared distance, over all 510 rows."""
    goal = torch.from_numpy(target.reshape(PACK_ROWS, -1)).double()
    packs = torch.from_numpy(basis.reshape(len(basis), PACK_ROWS, -1)).double()
    steer = torch.from_numpy(directions).double()
    logits = torch.zeros(len(basis), dtype=torch.float64, requires_grad=True)
    coefficients = torch.zeros(len(steer), dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.Adam([logits, coefficients], lr=0.05)

    def made() -> torch.Tensor:
        return torch.einsum("k,krs->rs", torch.softmax(logits, 0), packs) + coefficients @ steer

    for _ in range(FIT_ITERATIONS):
        optimiser.zero_grad()
        loss = (made() - goal).pow(2).mean()
        loss.backward()
        optimiser.step()
    with torch.no_grad():
        pack = made().reshape(PACK_ROWS, 1, -1).float().numpy()
        distance = float((made() - goal).pow(2).mean().sqrt())
    return pack, {"rms_distance": round(distance, 5), "rms_target": round(float(goal.pow(2).mean().sqrt()), 5)}


def space_parts(space: str, nearest: list[str], packs: dict[str, np.ndarray]) -> tuple[list[str], np.ndarray]:
    """The blended names and the offset directions of ``space``."""
    width = next(iter(packs.values())).reshape(PACK_ROWS, -1).shape[1]
    timbre, prosody = slice(0, width // 2), slice(width // 2, width)
    if space == "blend":
        return nearest, np.zeros((0, width))
    if space == "allblend":
        return list(packs), np.zeros((0, width))
    match = re.fullmatch(r"t(\d+)(?:p(\d+))?", space)
    if not match:
        raise SystemExit(f"unknown space {space!r}")
    halves = [(timbre, int(match[1]))] + ([(prosody, int(match[2]))] if match[2] else [])
    scaled = [vectors * scales[:, None] for vectors, scales in (principal_directions(packs, h, n) for h, n in halves)]
    return nearest, np.concatenate(scaled)


def reach(voice: str, spaces: list[str], work: Path) -> None:
    home = resolve_home()
    store = VoiceStore(home)
    speech = DifferentiableSpeech.from_home(home, "a", "cpu")
    encoder = SpeakerEncoder(speech.device)
    true_pack = store.load(voice)
    used, seconds = first_seconds([(t, speech.speak_pack(true_pack, t)) for t in TARGET_TEXTS], 60.0)
    write_clips(work / voice / "ref", [(t, speech.speak_pack(true_pack, t)) for t in REFERENCE_TEXTS])
    names = [v.name for v in store.list() if v.origin == "stock" and v.problem is None and v.name != voice]
    fitting, _ = split_clips([audio for _, audio in used], [])
    target = encoder.embed_recordings(fitting, SAMPLE_RATE)  # what make_voice ranks the stock voices by
    nearest = [item.name for item in rank(stock_embeddings(home, speech, encoder, names), target)[:BASIS_SIZE]]
    packs = {name: store.load(name) for name in names}
    del speech
    print(f"{voice}: target from {len(used)} clips ({seconds:.0f} s); nearest {', '.join(nearest)}", flush=True)
    print("| space | numbers | rms distance to the pack | eval similarity | WER |")
    print("|---|---|---|---|---|")
    for space in spaces:
        blended, directions = space_parts(space, nearest, packs)
        pack, fit = project(true_pack, np.stack([packs[n] for n in blended]), directions)
        name = f"reach-{voice.replace('_', '-')}"
        store.save(name, pack, "trained", {"projection": space, "of": voice}, replace=True)
        try:
            scores = evaluate_voice(home, name, work / voice / "ref", exclude=(voice,)).voice
        finally:
            store.remove(name)
        print(f"| {space} | {len(blended) + len(directions)} | {fit['rms_distance']:.4f} of {fit['rms_target']:.4f} "
              f"| {scores.similarity:.3f} | {scores.wer:.3f} |", flush=True)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("voices", nargs="+")
    parser.add_argument("--spaces", default="blend,t16,t64,t16p16,allblend")
    args = parser.parse_args()
    os.environ.setdefault("KOKORO_HOME", str(Path(__file__).resolve().parents[1] / ".test-home"))
    with tempfile.TemporaryDirectory() as tmp:
        for voice in args.voices:
            reach(voice, args.spaces.split(","), Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
