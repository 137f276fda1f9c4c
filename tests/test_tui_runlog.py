"""The run-log schema: writer, incremental tail, half-written lines, folding into a run state."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from kokoro_tui.training.demo_run import write_demo_run
from kokoro_tui.training.runlog import (
    SCHEMA_VERSION,
    CheckpointRecord,
    EndRecord,
    EvalRecord,
    RunLogFormatError,
    RunLogTail,
    RunLogWriter,
    RunState,
    SampleRecord,
    StartRecord,
    StepRecord,
    decode_record,
    encode_record,
    list_runs,
    read_run_log,
)

RECORDS = [
    StartRecord(run="r1", config={"lr": 1e-4, "voice": "af_heart"}, total_steps=10, time=1.0),
    StepRecord(step=1, epoch=0, losses={"mel": 0.9, "dur": 0.3}, lr=1e-5, elapsed_s=0.5, eta_s=4.5, time=2.0),
    EvalRecord(step=1, metrics={"val_mel": 1.1}, time=3.0),
    CheckpointRecord(step=1, path="checkpoints/step-1.safetensors", time=4.0),
    EndRecord(status="completed", step=1, message="ok", time=5.0),
    SampleRecord(step=1, path="samples/step-1.wav", text="Hello there.", time=4.5),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: record.kind)
def test_every_kind_round_trips_as_one_versioned_line(record):
    line = encode_record(record)
    assert line.endswith("\n") and line.count("\n") == 1
    payload = json.loads(line)
    assert payload["v"] == SCHEMA_VERSION and payload["kind"] == record.kind
    assert decode_record(line) == record


def test_non_finite_losses_are_written_as_null_and_skipped_in_history():
    record = StepRecord(step=3, epoch=0, losses={"mel": float("nan"), "dur": 0.2}, lr=float("inf"), elapsed_s=1.0)
    payload = json.loads(encode_record(record))
    assert payload["losses"]["mel"] is None and payload["lr"] is None
    state = RunState("r")
    state.apply(decode_record(encode_record(record)))
    assert "mel" not in state.loss_history and state.loss_history["dur"] == [(3, 0.2)]


def test_decode_rejects_newer_schema_and_skips_unknown_kinds():
    with pytest.raises(RunLogFormatError, match="newer"):
        decode_record(json.dumps({"v": SCHEMA_VERSION + 1, "kind": "step"}))
    with pytest.raises(RunLogFormatError, match="version"):
        decode_record(json.dumps({"kind": "step"}))
    with pytest.raises(RunLogFormatError, match="bad step"):
        decode_record(json.dumps({"v": 1, "kind": "step", "step": 1}))
    assert decode_record(json.dumps({"v": 1, "kind": "lr_finder", "x": 1})) is None


def test_writer_stamps_time_and_reader_reads_back(tmp_path):
    path = tmp_path / "run" / "log.jsonl"
    before = time.time()
    with RunLogWriter(path) as log:
        log.write(StartRecord(run="run", total_steps=2))
        log.write(StepRecord(step=1, epoch=0, losses={"mel": 1.0}, lr=1e-4, elapsed_s=0.1))
    records = read_run_log(path)
    assert [record.kind for record in records] == ["start", "step"]
    assert all(record.time >= before for record in records)


def test_tail_keeps_a_half_written_line_until_its_newline(tmp_path):
    path = tmp_path / "log.jsonl"
    first, second = encode_record(RECORDS[0]), encode_record(RECORDS[1])
    path.write_text(first + second[:17])
    tail = RunLogTail(path)
    assert tail.poll() == [RECORDS[0]]
    assert tail.poll() == []
    with open(path, "a") as handle:
        handle.write(second[17:])
    assert tail.poll() == [RECORDS[1]]
    assert tail.bad_lines == 0


def test_tail_counts_garbage_lines_and_restarts_after_truncation(tmp_path):
    path = tmp_path / "log.jsonl"
    path.write_text(encode_record(RECORDS[0]) + "{not json\n" + encode_record(RECORDS[1]))
    tail = RunLogTail(path)
    assert tail.poll() == [RECORDS[0], RECORDS[1]]
    assert tail.bad_lines == 1
    path.write_text(encode_record(RECORDS[2]))
    assert tail.poll() == [RECORDS[2]]
    assert tail.restarted


def test_tail_of_a_missing_file_is_empty_until_it_appears(tmp_path):
    tail = RunLogTail(tmp_path / "later" / "log.jsonl")
    assert tail.poll() == []
    with RunLogWriter(tmp_path / "later" / "log.jsonl") as log:
        log.write(RECORDS[0])
    assert tail.poll() == [RECORDS[0]]


def test_tail_follows_a_run_written_concurrently(tmp_path):
    run_dir = tmp_path / "live"
    demo = {"steps": 60, "interval_s": 0.002, "eval_every": 20}
    writer = threading.Thread(target=write_demo_run, args=(run_dir,), kwargs=demo)
    writer.start()
    tail, state = RunLogTail(run_dir / "log.jsonl"), RunState("live", run_dir)
    samples = []
    deadline = time.monotonic() + 30
    while state.end is None and time.monotonic() < deadline:
        for record in tail.poll():
            state.apply(record)
            if state.sample and state.sample.step not in samples:
                samples.append(state.sample.step)
        time.sleep(0.001)
    writer.join()
    assert state.status == "completed"
    assert [step for step, _ in state.loss_history["mel"]] == list(range(1, 61))
    assert tail.bad_lines == 0
    assert samples == [20, 40, 60] and state.sample_path == run_dir / "samples" / "step-000060.wav"
    assert state.steps_per_s > 0  # its value is the writer's real pace, which a loaded machine does not keep


def test_demo_run_folds_into_a_coherent_state(tmp_path):
    path = write_demo_run(tmp_path / "demo", steps=120, eval_every=40, checkpoint_every=60)
    state = RunState("demo")
    for record in read_run_log(path):
        state.apply(record)
    assert state.config["demo"] is True and state.total_steps == 120
    assert state.progress == 1.0 and state.status == "completed"
    assert [e.step for e in state.evals] == [40, 80, 120]
    assert [c.step for c in state.checkpoints] == [60, 120]
    assert state.sample.step == 120 and state.sample.text
    mel = [value for _, value in state.loss_history["mel"]]
    assert sum(mel[-10:]) < sum(mel[:10])
    assert state.last_step.eta_s == 0


def test_unfinished_demo_run_is_running(tmp_path):
    path = write_demo_run(tmp_path / "r", steps=10, finish=False)
    state = RunState("r")
    for record in read_run_log(path):
        state.apply(record)
    assert state.status == "running" and state.progress == 1.0


def test_list_runs_only_lists_dirs_with_a_log_newest_first(tmp_path):
    write_demo_run(tmp_path / "old", steps=2)
    write_demo_run(tmp_path / "new", steps=2)
    (tmp_path / "empty").mkdir()
    os.utime(tmp_path / "old" / "log.jsonl", (1, 1))
    assert [run.name for run in list_runs(tmp_path)] == ["new", "old"]
    assert list_runs(tmp_path / "missing") == []


def _state_at(*times: float) -> RunState:
    """A running run whose start and steps were written at ``times``."""
    state = RunState("r")
    state.apply(StartRecord(run="r", total_steps=100, time=times[0]))
    for step, stamp in enumerate(times[1:], 1):
        state.apply(StepRecord(step=step, epoch=0, losses={"mel": 1.0}, lr=1e-4, elapsed_s=stamp - times[0], time=stamp))
    return state


def test_a_quiet_run_is_stalled_after_ten_minutes_or_three_of_its_own_longest_gaps():
    brisk = _state_at(1000.0, 1001.0, 1002.0)
    assert not brisk.stalled(1002.0 + 599) and brisk.stalled(1002.0 + 601)
    assert brisk.silent_for(1002.0 + 601) == pytest.approx(601)
    assert not brisk.stalled(1002.0 + 601, last_write=1500.0)  # the file was written later than the last record

    slow = _state_at(1000.0, 1400.0, 1800.0)  # a step every 400 s: quiet spells up to 1200 s are its pace
    assert slow.stall_after_s == 1200 and not slow.stalled(1800.0 + 1100) and slow.stalled(1800.0 + 1300)

    restarted = _state_at(0.0, 1.0)
    restarted.apply(StartRecord(run="r", total_steps=100, time=5000.0))  # hours of downtime are not its pace
    assert restarted.stall_after_s == 600

    brisk.apply(EndRecord(status="completed", step=2, time=1003.0))
    assert not brisk.stalled(1e9)


def test_tail_reports_a_cut_off_last_line_and_the_file_time(tmp_path):
    path = tmp_path / "log.jsonl"
    path.write_text(encode_record(RECORDS[0]) + encode_record(RECORDS[1])[:20])
    os.utime(path, (1234.0, 1234.0))
    tail = RunLogTail(path)
    assert tail.poll() == [RECORDS[0]]
    assert tail.partial and tail.mtime == 1234.0 and tail.bad_lines == 0


def test_a_new_writer_ends_a_cut_off_line_so_its_first_record_survives(tmp_path):
    path = tmp_path / "log.jsonl"
    path.write_text(encode_record(RECORDS[0]) + encode_record(RECORDS[1])[:20])
    with RunLogWriter(path) as log:
        log.write(RECORDS[2])
    tail = RunLogTail(path)
    assert tail.poll() == [RECORDS[0], RECORDS[2]]
    assert tail.bad_lines == 1 and not tail.partial
    with RunLogWriter(path) as log:  # a log that ends cleanly gets no empty line
        log.write(RECORDS[3])
    assert path.read_text().count("\n\n") == 0


def test_the_latest_sample_is_resolved_against_the_run_dir_unless_absolute(tmp_path):
    state = RunState("r", tmp_path)
    assert state.sample is None and state.sample_path is None  # as in every log written before samples existed
    state.apply(SampleRecord(step=5, path="samples/a.wav", text="First."))
    assert state.sample_path == tmp_path / "samples" / "a.wav" and state.sample.text == "First."
    state.apply(SampleRecord(step=5, path="/elsewhere/b.wav"))  # written after, at the same step: the latest
    assert state.sample_path == Path("/elsewhere/b.wav") and state.sample.step == 5
    bare = RunState("r")  # no run dir to resolve against: the path as logged
    bare.apply(SampleRecord(step=1, path="c.wav"))
    assert bare.sample_path == Path("c.wav")


def _steps(state: RunState, steps: range, first_s: float, seconds_per_step: float) -> None:
    for index, step in enumerate(steps):
        state.apply(StepRecord(step=step, epoch=0, losses={}, lr=None, elapsed_s=first_s + index * seconds_per_step))


def test_step_rate_follows_the_last_minute_of_the_runs_own_clock():
    state = RunState("r")
    _steps(state, range(1, 2), 30.0, 1.0)  # 30 s of start-up before the first step: not part of the pace
    assert state.steps_per_s is None
    _steps(state, range(2, 121), 31.0, 1.0)
    assert state.steps_per_s == pytest.approx(1.0)
    _steps(state, range(121, 361), 149.25, 0.25)  # four times faster: 60 s later the window holds only that
    assert state.steps_per_s == pytest.approx(4.0)
    _steps(state, range(370, 1000, 10), 214.0, 5.0)  # logged every 10 steps at 2 steps/s
    assert state.steps_per_s == pytest.approx(2.0)

    _steps(state, range(1000, 1002), 0.5, 10.0)  # resumed: the new process's clock starts again at 0
    assert state.steps_per_s == pytest.approx(0.1)
    state.apply(StartRecord(run="r"))  # restarted from scratch: no pace until two steps say so
    _steps(state, range(1, 2), 1.0, 1.0)
    assert state.steps_per_s is None


def test_rate_and_sample_follow_a_log_appended_while_read(tmp_path):
    path = tmp_path / "log.jsonl"
    tail, state = RunLogTail(path), RunState("r", tmp_path)

    def fold() -> None:
        for record in tail.poll():
            state.apply(record)

    with RunLogWriter(path) as log:
        log.write(StartRecord(run="r", total_steps=100))
        for step in range(1, 21):
            log.write(StepRecord(step=step, epoch=0, losses={"mel": 1.0}, lr=1e-4, elapsed_s=2.0 * step))
        log.write(SampleRecord(step=20, path="samples/step-000020.wav"))
        fold()
        assert state.steps_per_s == pytest.approx(0.5) and state.sample_path == tmp_path / "samples/step-000020.wav"
        step_line = encode_record(StepRecord(step=21, epoch=0, losses={"mel": 0.9}, lr=1e-4, elapsed_s=40.5))
        sample_line = encode_record(SampleRecord(step=21, path="samples/step-000021.wav", text="Again."))
        with open(path, "a") as handle:  # the writer is in the middle of a line
            handle.write(step_line + sample_line[:25])
        fold()
        assert state.last_step.step == 21 and state.sample.step == 20
        with open(path, "a") as handle:
            handle.write(sample_line[25:])
        fold()
        assert state.sample.step == 21 and state.sample.text == "Again."
        assert state.steps_per_s == pytest.approx((21 - 1) / (40.5 - 2.0))  # all of it is within the last minute
