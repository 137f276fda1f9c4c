"""`kokoro train model` on a tiny random Kokoro and a Russian corpus spoken by espeak-ng: the whole path.

Alignment, features, the teacher-forced losses, checkpoints and resume, Ctrl-C, strict loading,
torchrun with two CPU processes, the run log, the voice in the store and `say --model`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from tiny_models import tiny_home, tiny_kokoro
from typer.testing import CliRunner

from kokoro_tui.cli.main import app
from kokoro_tui.errors import KokoroError
from kokoro_tui.home import ENV_VAR, DataHome
from kokoro_tui.model.checkpoint import load_state_file
from kokoro_tui.training.espeak_corpus import RUSSIAN_SENTENCES, build_espeak_corpus
from kokoro_tui.training.finetune_checkpoint import latest_checkpoint
from kokoro_tui.training.finetune_job import FinetuneJob, finetune
from kokoro_tui.training.forced_alignment import transfer_durations
from kokoro_tui.training.runlog import read_run_log
from kokoro_tui.voices.store import VoiceStore

STEPS = 4


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_espeak_corpus(tmp_path_factory.mktemp("espeak") / "ru", RUSSIAN_SENTENCES[:12])


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataHome:
    built = tiny_home(tmp_path / "home", tiny_kokoro())
    monkeypatch.setenv(ENV_VAR, str(built.root))
    return built


def job(corpus: Path, output: Path, **changes) -> FinetuneJob:
    settings = dict(lang="ru", init_voice="af_heart", steps=STEPS, checkpoint_every=2, eval_every=2, window_frames=16)
    return FinetuneJob(corpus=corpus, output=output, **{**settings, **changes})


def test_durations_follow_the_warping_path_and_stay_valid() -> None:
    identity = np.stack([np.arange(20), np.arange(20)], axis=1)
    assert transfer_durations(np.array([2, 3, 5]), identity, 10).tolist() == [2, 3, 5]
    doubled = np.stack([np.repeat(np.arange(20), 2), np.arange(40)], axis=1)  # the target is twice as slow
    assert transfer_durations(np.array([2, 3, 5]), doubled, 20).tolist() == [4, 6, 10]
    squeezed = transfer_durations(np.array([1, 1, 8, 1, 1]), np.stack([np.arange(24), np.zeros(24, int)], axis=1), 5)
    assert squeezed.tolist() == [1, 1, 1, 1, 1]  # every token keeps a frame, the total is the recording's
    with pytest.raises(ValueError):
        transfer_durations(np.array([1, 1, 1]), identity, 2)


def test_the_cli_fine_tunes_on_russian_and_say_speaks_the_result(home: DataHome, corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "run"
    args = ["train", "model", "--corpus", str(corpus), "--lang", "ru", "--output", str(output), "--voice", "ru_tiny",
            "--init-voice", "af_heart", "--steps", str(STEPS), "--checkpoint-every", "2", "--eval-every", "2",
            "--window", "16", "--train-decoder", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["steps"] == STEPS and not summary["interrupted"] and summary["voice"] == "ru_tiny"
    assert set(summary["before"]) == set(summary["after"]) == {"mel_db", "duration_ms", "length_pct", "f0_st"}

    state = load_state_file(output / "model.safetensors")
    base = tiny_kokoro().state_dict()
    changed = [name for name, tensor in state.items() if not torch.equal(tensor, base[name])]
    assert any(name.startswith("decoder.") for name in changed) and any(name.startswith("predictor.") for name in changed)
    assert not any(name.startswith(("bert.", "decoder.generator.")) for name in changed)  # frozen unless asked
    assert VoiceStore(home).info("ru_tiny").origin == "trained"
    assert (home.runs / "model-ru_tiny").resolve() == output.resolve()  # the dashboard lists the run

    records = read_run_log(output / "log.jsonl")
    kinds = [record.kind for record in records]
    assert kinds[0] == "start" and kinds[-1] == "end" and records[-1].status == "completed"
    assert [r.step for r in records if r.kind == "step"] == list(range(1, STEPS + 1))
    warmup = FinetuneJob.warmup_steps  # the rate each step used, not the next step's: 1/20, 2/20, ... of the peak
    assert [r.lr for r in records if r.kind == "step"] == pytest.approx([1e-4 * k / warmup for k in range(1, STEPS + 1)])
    assert {"checkpoint", "sample", "eval"} <= set(kinds)
    assert all((output / r.path).is_file() for r in records if r.kind == "sample")
    assert json.loads((output / "eval.json").read_text())["steps"] == STEPS

    spoken = CliRunner().invoke(app, ["say", "Привет, как дела?", "--lang", "ru", "--voice", "ru_tiny",
                                      "--model", str(output / "model.safetensors"), "-o", str(tmp_path / "x.wav")])
    assert spoken.exit_code == 0, spoken.output
    assert (tmp_path / "x.wav").stat().st_size > 1000

    again = CliRunner().invoke(app, args)
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_ctrl_c_saves_and_a_resumed_run_equals_an_uninterrupted_one(home: DataHome, corpus: Path, tmp_path: Path) -> None:
    straight = finetune(home, job(corpus, tmp_path / "straight", voice="straight"))
    handler = signal.getsignal(signal.SIGINT)  # default_int_handler, or SIG_IGN in a background job

    def interrupt_at_two(stage: str, done: int, total: int, figures: dict[str, float]) -> None:
        if stage == "train" and done == 2:
            os.kill(os.getpid(), signal.SIGINT)  # as Ctrl-C: handled between steps, not mid-update

    stopped = finetune(home, job(corpus, tmp_path / "resumed", voice="resumed"), interrupt_at_two)
    assert stopped.interrupted and stopped.steps == 2 and stopped.weights is None
    assert latest_checkpoint(tmp_path / "resumed").name == "step-0000002.pt"
    assert read_run_log(tmp_path / "resumed" / "log.jsonl")[-1].status == "interrupted"
    assert signal.getsignal(signal.SIGINT) is handler  # handlers restored

    resumed = finetune(home, job(corpus, tmp_path / "resumed", voice="resumed", resume="auto"))
    assert resumed.steps == STEPS and not resumed.interrupted
    assert resumed.before == straight.before and resumed.after == straight.after  # "before" read back from the log
    first, second = load_state_file(straight.weights), load_state_file(resumed.weights)
    assert all(torch.equal(first[name], second[name]) for name in first)
    base = tiny_kokoro().state_dict()
    assert all(torch.equal(first[name], base[name]) for name in first if name.startswith(("bert.", "decoder.")))
    store = VoiceStore(home)
    assert np.array_equal(store.load("straight"), store.load("resumed"))


def test_a_checkpoint_of_another_run_is_refused(home: DataHome, corpus: Path, tmp_path: Path) -> None:
    finetune(home, job(corpus, tmp_path / "run", voice="first", steps=2))
    checkpoint = latest_checkpoint(tmp_path / "run")
    with pytest.raises(KokoroError, match="settings changed: learning_rate"):
        finetune(home, job(corpus, tmp_path / "other", voice="other", steps=2, learning_rate=3e-4, resume=str(checkpoint)))
    payload = torch.load(checkpoint, weights_only=True)
    del payload["net"]["model.decoder.F0_conv.bias"]
    torch.save(payload, checkpoint)
    with pytest.raises(KokoroError, match="1 missing: model.decoder.F0_conv.bias"):
        finetune(home, job(corpus, tmp_path / "run", voice="first", steps=2, resume=str(checkpoint), force=True))
    with pytest.raises(KokoroError, match="already holds a training run"):
        finetune(home, job(corpus, tmp_path / "run", voice="third", steps=2))


def test_resume_auto_with_nothing_to_resume_keeps_an_existing_voice(home: DataHome, corpus: Path, tmp_path: Path) -> None:
    """--resume auto into a fresh --output starts from step 0: it used to replace a voice of the same name."""
    pack = VoiceStore(home).load("af_heart")
    VoiceStore(home).save("alice", pack, "trained")
    with pytest.raises(KokoroError, match=f"voice named 'alice' already exists and {tmp_path / 'fresh'} holds no checkpoint"):
        finetune(home, job(corpus, tmp_path / "fresh", voice="alice", resume="auto"))
    assert not (tmp_path / "fresh").exists()
    assert np.array_equal(VoiceStore(home).load("alice"), pack)


def test_two_processes_under_torchrun_stay_equal(home: DataHome, corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "ddp"
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
               "-m", "kokoro_tui", "train", "model", "--corpus", str(corpus), "--lang", "ru", "--output", str(output),
               "--voice", "ddp", "--init-voice", "af_heart", "--steps", "3", "--checkpoint-every", "1",
               "--eval-every", "3", "--window", "16", "--device", "cpu"]
    environment = {**os.environ, ENV_VAR: str(home.root), "OMP_NUM_THREADS": "1"}
    finished = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr[-3000:]
    records = read_run_log(output / "log.jsonl")
    spreads = [r.metrics["replica_spread"] for r in records if r.kind == "eval" and "replica_spread" in r.metrics]
    assert spreads == [0.0, 0.0, 0.0]
    start = next(r for r in records if r.kind == "start")
    assert start.config["world_size"] == 2
    assert records[-1].status == "completed"

def test_the_process_group_waits_out_rank_zeros_feature_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rank 0 extracts every item's features while the others wait at a barrier: torch's default timeout
    (10 min NCCL, 30 min gloo) aborted a first multi-GPU run on a big corpus."""
    from kokoro_tui.training import distributed

    joined: dict = {}
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("RANK", "1")
    monkeypatch.setattr(torch.distributed, "is_initialized", lambda: False)
    monkeypatch.setattr(torch.distributed, "init_process_group", lambda backend, **options: joined.update(options))
    monkeypatch.setattr(torch.distributed, "destroy_process_group", lambda: None)
    with distributed.process_group(torch.device("cpu")) as processes:
        assert processes.rank == 1 and processes.world == 2
    assert joined["timeout"] == distributed.GROUP_TIMEOUT
    assert distributed.GROUP_TIMEOUT.total_seconds() >= 4 * 3600


def _from_main_worker(rank: int, init_file: str, results: dict) -> None:
    from kokoro_tui.training.distributed import Processes

    torch.distributed.init_process_group("gloo", init_method=f"file://{init_file}", rank=rank, world_size=2)
    try:
        results[rank] = Processes(rank, 2).from_main(Path(f"/node{rank}/step-{rank}.pt") if rank == 0 else None)
    finally:
        torch.distributed.destroy_process_group()


def test_every_process_follows_rank_zeros_checkpoint(tmp_path: Path) -> None:
    """Only rank 0 writes checkpoints: with --output on each node's own disk, `--resume auto` found another
    (or no) checkpoint on the other nodes, whose ranks then started at another step and hung at the end."""
    import torch.multiprocessing as mp

    from kokoro_tui.training import finetune_job
    from kokoro_tui.training.distributed import Processes

    results = mp.Manager().dict()
    mp.spawn(_from_main_worker, args=(str(tmp_path / "rendezvous"), results), nprocs=2, join=True)
    assert results[0] == results[1] == Path("/node0/step-0.pt")

    class SecondNode(Processes):
        def from_main(self, value):
            return tmp_path / "on-rank-0s-disk" / "step-00000004.pt"

    job = FinetuneJob(corpus=tmp_path, lang="ru", output=tmp_path / "out", resume="auto")
    with pytest.raises(KokoroError, match="cannot resume rank 1: .*step-00000004.pt, which rank 0 continues, is not on"):
        finetune_job._agreed_resume(job, SecondNode(1, 2))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"--corpus": "{tmp}/none"}, "error: no speech corpus at {tmp}/none"),
        ({"--steps": "0"}, "error: --steps must be at least 1, got 0"),
        ({"--keep": "0"}, "error: --keep must be at least 1, got 0"),
        ({"--keep": "-1"}, "error: --keep must be at least 1, got -1"),
        ({"--device": "tpu"}, "error: unknown device 'tpu'"),
        ({"--resume": "{tmp}/none.pt"}, "error: no checkpoint at {tmp}/none.pt"),
        ({"--voice": "Bad Name"}, "error: invalid voice name 'Bad Name'"),
    ],
)
def test_bad_input_is_one_line(home: DataHome, corpus: Path, tmp_path: Path, changes: dict, message: str) -> None:
    options = {"--corpus": str(corpus), "--output": str(tmp_path / "out"), "--lang": "ru", "--init-voice": "af_heart"}
    options.update({flag: value.format(tmp=tmp_path) for flag, value in changes.items()})
    result = CliRunner().invoke(app, ["train", "model", *[part for pair in options.items() for part in pair]])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(message.format(tmp=tmp_path)) and result.stderr.count("\n") == 1, result.stderr
    assert not (tmp_path / "out").exists()


def test_pruning_keeps_the_checkpoint_just_written(tmp_path: Path) -> None:
    from kokoro_tui.training.finetune_checkpoint import checkpoint_path, prune_checkpoints

    for step in (1, 2, 3):
        checkpoint_path(tmp_path, step).parent.mkdir(exist_ok=True)
        checkpoint_path(tmp_path, step).write_bytes(b"")
    prune_checkpoints(tmp_path, 0)
    assert latest_checkpoint(tmp_path) == checkpoint_path(tmp_path, 3)
    assert len(list(checkpoint_path(tmp_path, 3).parent.iterdir())) == 1


@pytest.mark.parametrize("saved", [torch.zeros(510, 1, 256), {"net": {}}], ids=["voice pack", "foreign dict"])
def test_a_file_that_is_not_a_training_checkpoint_is_named(tmp_path: Path, saved: object) -> None:
    """A voice pack's .pt is a bare tensor: torch loads it, and `.get` on it was a traceback."""
    from kokoro_tui.training.finetune_checkpoint import load_checkpoint

    path = tmp_path / "af_heart.pt"
    torch.save(saved, path)
    net = torch.nn.Linear(2, 2)
    optimizer = torch.optim.AdamW(net.parameters())
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)
    with pytest.raises(KokoroError) as raised:
        load_checkpoint(path, net, optimizer, scheduler, {})
    assert str(raised.value) == f"{path} is not a kokoro training checkpoint"


def test_a_training_step_runs_under_bfloat16_autocast(home: DataHome, corpus: Path) -> None:
    """The dtype plumbing of CUDA's mixed precision, checked on the CPU: FFTs and losses stay float32."""
    from kokoro_tui.text.frontend import TextFrontend
    from kokoro_tui.text.vocab import PhonemeVocab
    from kokoro_tui.training.corpus import load_corpus
    from kokoro_tui.training.finetune_batch import collate
    from kokoro_tui.training.finetune_data import ItemBuilder
    from kokoro_tui.training.finetune_net import FinetuneNet, LossWeights

    model = tiny_kokoro().train()
    pack = VoiceStore(home).load("af_heart")
    builder = ItemBuilder(model, TextFrontend("ru"), PhonemeVocab(model.config.vocab), pack, home.cache / "finetune")
    items = [builder.build(u) for u in load_corpus(corpus, "ru").train[:2]]
    net = FinetuneNet(model, torch.from_numpy(pack))
    batch = collate(items, 16, 600, 510, torch.Generator().manual_seed(0))
    with torch.autocast("cpu", dtype=torch.bfloat16):
        terms = net(batch, LossWeights())
    assert terms["total"].dtype == torch.float32 and torch.isfinite(terms["total"])
    terms["total"].backward()
    assert net.voice_offset.grad is not None and torch.isfinite(net.voice_offset.grad).all()
