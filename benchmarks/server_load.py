"""`kokoro serve` under load, as its users meet it: a real server process, real HTTP clients, each backend in one run.

For each backend (``--backend torch``, the default, and ``--backend onnx``, one after the other, never
both at once), a `kokoro serve` subprocess on a loopback port, its RSS sampled every 0.2 s, then:

1. Load: ``--clients`` threads post streamed ``/v1/audio/speech`` requests back to back for
   ``--seconds``, texts and voices drawn from a varied pool (a short sentence, two sentences, a
   five-sentence paragraph; stock voices and a blend). Audio received per wall second, time to the
   first byte and to the last (p50, p95), 429s and errors. A stream still running at the end is
   abandoned there; its audio so far counts.
2. First byte of a streamed paragraph on the idle, warm server: the median of 5 (target <= 0.5 s).
3. Memory: ``--requests`` mixed requests, two at a time; the server's RSS, idle, once the first 50
   (half of a shorter run) are done against its RSS after the last (target: at most 100 MiB of growth).

Requests are numbered and each number draws its text and voice the same way for every backend.
Prints a markdown table and appends one JSON line to benchmarks/server_load_runs.jsonl.

    python benchmarks/server_load.py [--backends torch,onnx] [--clients 4] [--seconds 60] \
        [--requests 1000] [--format pcm] [--home DIR] [--max-minutes 30]

Needs a data home with the model, the voices and, for onnx, the ONNX export (``kokoro download``).
``--max-minutes`` is shared out among the backends still to run; a phase that reaches its backend's
share stops at the next request (a load stream at once) and the output says so. The memory phase
lasts as long as its synthesis: on the 2-core machine an estimated 1-2 s per request from the
README's speeds, so 1000 requests for both backends need more than the default 30 minutes (raise
``--max-minutes`` or lower ``--requests``). Run it alone: another busy process changes every figure.
"""

from __future__ import annotations

import argparse
import http.client
import io
import itertools
import json
import math
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Self

from process_memory import RssSampler, psutil, rss_mib

KOKORO = [sys.executable, "-m", "kokoro_tui"]
RESULTS = Path(__file__).with_name("server_load_runs.jsonl")
HOST = "127.0.0.1"
SPEECH_PATH, HEALTH_PATH, VOICES_PATH = "/v1/audio/speech", "/health", "/v1/audio/voices"
FORMATS = ("pcm", "mp3")
SAMPLE_RATE = 24_000
PCM_BYTES_PER_SECOND = 2 * SAMPLE_RATE  # 16-bit mono
READ_BYTES = 64 * 1024
REQUEST_TIMEOUT_S = 120  # one read may wait behind every other stream's chunk
PROBE_TIMEOUT_S = 2
STARTUP_TIMEOUT_S = 300  # imports, model load and the server's own warm-up
STOP_TIMEOUT_S = 15
IDLE_TIMEOUT_S = 60  # for abandoned streams to be closed at their next turn
POLL_S = 0.2
RSS_EVERY_S = 0.2
FIRST_BYTE_RUNS = 5
FIRST_BYTE_TARGET_S = 0.5
FIRST_BYTE_VOICE = "af_heart"
WARM_REQUESTS = 50
MEMORY_CLIENTS = 2
GROWTH_TARGET_MIB = 100
ERROR_EXAMPLES = 3

SHORT = [
    "Hello there.",
    "The train leaves at half past seven.",
    "Could you pass me the salt, please?",
    "We sold 1,250 tickets on the fourth of July.",
    "Nobody expected the meeting to end so early.",
]
TWO_SENTENCES = [
    "The old lighthouse stood at the edge of the cliff. Every evening the keeper climbed its narrow stairs.",
    "I called the office twice this morning. Nobody answered, so I left a message with my number.",
    "Dr. Patel will see you at 3:45 pm. Please bring your insurance card and a list of your medicines.",
    "Is this the right way to the station? I think we should have turned left at the bakery.",
    "The recipe needs two cups of flour and a pinch of salt. Mix them well before you add the eggs.",
]
PARAGRAPHS = [
    (
        "Ships passing in the night relied on the lighthouse's steady beam to find their way home. On the fourth "
        "of March, 1921, a storm broke the glass of the lantern room. The keeper mended it by dawn, with three "
        "panes he had kept for twenty years. \"Nothing lasts,\" he liked to say, \"but a light that is kept.\" "
        "The children of the village did not believe him."
    ),
    (
        "Our quarterly revenue grew by 12 percent, to 4.3 million dollars. Most of the growth came from the new "
        "subscription plans, which launched in February. Costs rose more slowly, mainly because we moved the "
        "servers to a cheaper provider. We expect the next quarter to be quieter. Still, the team has every "
        "reason to be proud of these results."
    ),
    (
        "Before you start, make sure the device is switched off and unplugged. Remove the four screws on the back "
        "panel with a small screwdriver. Lift the panel gently; the cable underneath is short and easy to tear. "
        "Replace the battery, paying attention to its orientation. Then put everything back in the reverse order "
        "and charge it for at least two hours."
    ),
]
TEXTS = [*SHORT, *TWO_SENTENCES, *PARAGRAPHS]
VOICES = ["af_heart", "am_adam", "bf_emma", "am_michael", "af_bella(2)+af_sky(1)", "af_heart(1)+am_adam(1)"]
VOICE_NAME = re.compile(r"[a-z]{2}_[a-z0-9]+")


class BackendFailed(Exception):
    """The backend's server could not start or serve; the message is its one line in the output."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get_json(port: int, path: str) -> Any | None:
    """GET ``path`` as JSON; None while nothing answers."""
    connection = http.client.HTTPConnection(HOST, port, timeout=PROBE_TIMEOUT_S)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return json.loads(response.read()) if response.status == 200 else None
    except (OSError, http.client.HTTPException, ValueError):
        return None
    finally:
        connection.close()


class Server:
    """`kokoro serve --backend BACKEND` as a subprocess on a free loopback port, logging to ``log``;
    a context manager, so the process is ended however the run ends (Ctrl-C included)."""

    def __init__(self, backend: str, home: Path, log: Path) -> None:
        self.backend, self.log = backend, log
        self.port = free_port()
        self.started = time.perf_counter()
        with log.open("wb") as sink:
            self.process = subprocess.Popen(
                [*KOKORO, "serve", "--host", HOST, "--port", str(self.port), "--backend", backend],
                stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, "KOKORO_HOME": str(home)},
            )  # fmt: skip
        self.rss = RssSampler(self.process.pid, RSS_EVERY_S)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.rss.stop()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def last_log_line(self) -> str:
        lines = [line.strip() for line in self.log.read_text(errors="replace").splitlines() if line.strip()]
        return lines[-1] if lines else "(no output)"

    def check_alive(self) -> None:
        if (code := self.process.poll()) is not None:
            raise BackendFailed(f"the server exited (code {code}): {self.last_log_line()}")

    def wait_ready(self, until: float) -> dict[str, Any]:
        """Wait for /health (the server answers once its model is loaded and warmed); its answer."""
        while time.perf_counter() < until:
            self.check_alive()
            if (health := get_json(self.port, HEALTH_PATH)) is not None:
                return health
            time.sleep(POLL_S)
        raise BackendFailed(f"no answer on /health {time.perf_counter() - self.started:.0f} s after the start")

    def wait_idle(self) -> float:
        """Wait until no request is admitted (abandoned streams closed); the RSS then, in MiB."""
        until = time.perf_counter() + IDLE_TIMEOUT_S
        while time.perf_counter() < until:
            self.check_alive()
            health = get_json(self.port, HEALTH_PATH)
            if health is not None and health["active_requests"] == 0 and (rss := rss_mib(self.process.pid)):
                return rss
            time.sleep(POLL_S)
        raise BackendFailed(f"still busy {IDLE_TIMEOUT_S} s after the last request ended")


@dataclass
class Outcome:
    status: int  # HTTP status; 0 when none came
    ttfb_s: float | None = None  # request sent to first body byte
    total_s: float | None = None  # to the last byte; None when abandoned at the end of a timed phase
    audio_s: float = 0.0
    error: str | None = None
    retry_after_s: float = 0.0


def audio_seconds(data: bytes, fmt: str) -> float:
    if fmt == "pcm" or not data:
        return len(data) / PCM_BYTES_PER_SECOND
    import av  # the server's own encoder library, so no new dependency

    with av.open(io.BytesIO(data), format=fmt) as container:
        return sum(frame.samples for frame in container.decode(audio=0)) / SAMPLE_RATE


def speak(port: int, text: str, voice: str, fmt: str, cut_at: float | None = None) -> Outcome:
    """One streamed POST /v1/audio/speech, read as it arrives; with ``cut_at`` (a perf_counter time),
    abandoned there like a listener who leaves, keeping the audio received before it."""
    body = json.dumps({"model": "kokoro", "input": text, "voice": voice, "response_format": fmt, "stream": True})
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
    started = time.perf_counter()
    parts: list[bytes] = []
    outcome = Outcome(0)
    try:
        connection.request("POST", SPEECH_PATH, body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        outcome.status = response.status
        if response.status != 200:
            outcome.error = f"{response.status} {response.read()[:200].decode(errors='replace')}"
            outcome.retry_after_s = float(response.getheader("Retry-After") or 0)
            return outcome
        while data := response.read1(READ_BYTES):
            now = time.perf_counter()
            if cut_at is not None and now > cut_at:
                break
            if not parts:
                outcome.ttfb_s = now - started
            parts.append(data)
        else:
            outcome.total_s = time.perf_counter() - started
    except (OSError, http.client.HTTPException) as error:
        outcome.error = f"{type(error).__name__}: {error}"
    finally:
        connection.close()
    outcome.audio_s = audio_seconds(b"".join(parts), fmt)
    return outcome


def draw(index: int, voices: list[str]) -> tuple[str, str]:
    """Request ``index``'s text and voice: the same for every backend, whatever the timing."""
    rng = random.Random(index)
    return rng.choice(TEXTS), rng.choice(voices)


def drive(port: int, fmt: str, voices: list[str], clients: int, indices: Iterator[int], until: float,
          cut: bool) -> list[Outcome]:  # fmt: skip
    """``clients`` threads posting the numbered requests back to back until ``indices`` runs out or
    ``until`` passes; with ``cut``, a stream still running at ``until`` is abandoned there."""
    outcomes: list[Outcome] = []
    lock = threading.Lock()

    def client() -> None:
        while time.perf_counter() < until:
            with lock:
                index = next(indices, None)
            if index is None:
                return
            outcome = speak(port, *draw(index, voices), fmt, until if cut else None)
            with lock:
                outcomes.append(outcome)
            time.sleep(outcome.retry_after_s)  # as a 429 asks

    # Daemon threads: a Ctrl-C in join() ends the run without waiting for them.
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * q / 100) - 1)]


def summarise(outcomes: list[Outcome], wall_s: float) -> dict[str, Any]:
    served = [o for o in outcomes if o.status == 200 and o.error is None]
    finished = [o.total_s for o in served if o.total_s is not None]
    firsts = [o.ttfb_s for o in served if o.ttfb_s is not None]
    failed = [o.error for o in outcomes if o.error is not None and o.status != 429]
    audio = sum(o.audio_s for o in served)
    return {
        "requests": len(outcomes), "finished": len(finished), "cut_at_end": len(served) - len(finished),
        "audio_s": audio, "audio_per_wall_s": audio / wall_s if wall_s > 0 else None,
        "ttfb_p50_s": percentile(firsts, 50), "ttfb_p95_s": percentile(firsts, 95),
        "total_p50_s": percentile(finished, 50), "total_p95_s": percentile(finished, 95),
        "rejected_429": sum(o.status == 429 for o in outcomes), "errors": len(failed),
        "error_examples": list(dict.fromkeys(failed))[:ERROR_EXAMPLES],
    }  # fmt: skip


def usable_voices(port: int) -> list[str]:
    """The VOICES whose every part is in the server's store (a small test home lacks most)."""
    listed = get_json(port, VOICES_PATH)
    names = {voice["name"] for voice in listed["voices"]} if listed else set()
    return [voice for voice in VOICES if set(VOICE_NAME.findall(voice)) <= names]


def start_phase(server: Server, fmt: str, until: float, result: dict[str, Any]) -> list[str]:
    """Wait for the server, then speak a short sentence in each usable voice so that no phase pays a
    first use. Returns the voices."""
    health = server.wait_ready(min(until, time.perf_counter() + STARTUP_TIMEOUT_S))
    result["ready_s"] = time.perf_counter() - server.started
    result["server_max_requests"] = health["max_requests"]
    voices = usable_voices(server.port)
    if FIRST_BYTE_VOICE not in voices:
        raise BackendFailed(f"the home has no {FIRST_BYTE_VOICE} voice")
    result["voices"] = voices
    if missing := [voice for voice in VOICES if voice not in voices]:
        print(f"{server.backend}: not in the home, left out of the voice pool: {', '.join(missing)}", flush=True)
    for voice in voices:
        warm = speak(server.port, SHORT[0], voice, fmt)
        if warm.error is not None:
            raise BackendFailed(f"warm-up request ({voice}) failed: {warm.error}")
    result["rss_warm_mib"] = server.wait_idle()
    return voices


def load_phase(server: Server, voices: list[str], args: argparse.Namespace, until: float,
               result: dict[str, Any]) -> None:  # fmt: skip
    seconds = min(args.seconds, until - time.perf_counter())
    if seconds < args.seconds:
        result["stopped_early"].append(f"load phase cut to {max(seconds, 0):.0f} s of {args.seconds:.0f} s (time cap)")
    if seconds <= 0:
        return
    started = time.perf_counter()
    outcomes = drive(server.port, args.format, voices, args.clients, itertools.count(), started + seconds, cut=True)
    result["load"] = {**summarise(outcomes, seconds), "seconds": seconds, "wall_s": time.perf_counter() - started}
    result["rss_after_load_mib"] = server.wait_idle()


def first_byte_phase(server: Server, fmt: str, until: float, result: dict[str, Any]) -> None:
    """Paragraphs one at a time on the idle server, each read to its end so that the next is alone."""
    firsts: list[float] = []
    for run in range(FIRST_BYTE_RUNS):
        if time.perf_counter() >= until:
            result["stopped_early"].append(f"first byte measured {run} of {FIRST_BYTE_RUNS} times (time cap)")
            break
        alone = speak(server.port, PARAGRAPHS[run % len(PARAGRAPHS)], FIRST_BYTE_VOICE, fmt)
        if alone.ttfb_s is None:
            raise BackendFailed(f"paragraph request failed: {alone.error}")
        firsts.append(alone.ttfb_s)
    result["first_byte_alone_s"] = sorted(firsts)
    result["first_byte_alone_median_s"] = statistics.median(firsts) if firsts else None


def memory_phase(server: Server, voices: list[str], args: argparse.Namespace, until: float,
                 result: dict[str, Any]) -> None:  # fmt: skip
    """RSS on the idle server after the warm requests and after the last; growth only when both ran in full."""
    warm_count = warm_requests(args.requests)
    warm = drive(server.port, args.format, voices, MEMORY_CLIENTS, iter(range(warm_count)), until, cut=False)
    rss_warm = server.wait_idle()
    rest = drive(server.port, args.format, voices, MEMORY_CLIENTS, iter(range(warm_count, args.requests)), until,
                 cut=False)  # fmt: skip
    rss_last = server.wait_idle()
    done = len(warm) + len(rest)
    result["memory"] = {
        "requests": done, "rss_after_warm_mib": rss_warm, "rss_after_last_mib": rss_last,
        "growth_mib": rss_last - rss_warm if len(warm) == warm_count and rest else None,
        "errors": sum(o.error is not None for o in warm + rest),
    }  # fmt: skip
    if done < args.requests:
        result["stopped_early"].append(f"memory phase stopped after {done} of {args.requests} requests (time cap)")


def measure(backend: str, home: Path, log: Path, args: argparse.Namespace, until: float,
            result: dict[str, Any]) -> None:  # fmt: skip
    """Every phase on one server, filling ``result`` as it goes, so a failure keeps what was measured."""
    with Server(backend, home, log) as server:
        try:
            voices = start_phase(server, args.format, until, result)
            print(f"{backend}: ready in {result['ready_s']:.1f} s, RSS {result['rss_warm_mib']:.0f} MiB", flush=True)
            load_phase(server, voices, args, until, result)
            first_byte_phase(server, args.format, until, result)
            memory_phase(server, voices, args, until, result)
            server.check_alive()
        finally:
            if "ready_s" in result:  # a server that never came up has no peak worth a figure
                result["peak_rss_mib"] = server.rss.peak_mib


def warm_requests(requests: int) -> int:
    """Requests of the memory phase done before its first RSS reading: half of a short run's."""
    return min(WARM_REQUESTS, requests // 2)


def machine() -> dict[str, Any]:
    """The CPUs and thread counts; torch's default here is the server's (same environment, and kokoro sets none)."""
    import torch

    from kokoro_tui.backends.onnx_synthesizer import ONNX_THREADS

    cpuinfo = Path("/proc/cpuinfo")
    models = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE) if cpuinfo.exists() else []
    return {"cpus": os.cpu_count(), "cpu": models[0] if models else platform.processor(),
            "torch_threads": torch.get_num_threads(), "onnx_threads": ONNX_THREADS,
            "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"), "python": platform.python_version(),
            "psutil": psutil is not None}  # fmt: skip


def cell(value: Any, unit: str = "", digits: int = 2) -> str:
    """A table cell: "–" for a figure not measured."""
    if value is None:
        return "–"
    return f"{value:.{digits}f}{unit}" if isinstance(value, float) else f"{value}{unit}"


def verdict(value: float | None, limit: float) -> str:
    return "" if value is None else (" (met)" if value <= limit else " (missed)")


def column(result: dict[str, Any], args: argparse.Namespace) -> dict[str, str]:
    """One backend's figures for the table, by row label."""
    load, memory = result.get("load", {}), result.get("memory", {})
    first_byte, growth = result.get("first_byte_alone_median_s"), memory.get("growth_mib")
    rss_warm, rss_last = memory.get("rss_after_warm_mib"), memory.get("rss_after_last_mib")
    return {
        "server ready (process start to /health)": cell(result.get("ready_s"), " s", 1),
        "RSS after warm-up": cell(result.get("rss_warm_mib"), " MiB", 0),
        "peak RSS (sampled every 0.2 s)": cell(result.get("peak_rss_mib"), " MiB", 0),
        f"load, {args.clients} clients × {args.seconds:.0f} s: requests (finished, cut at the end)":
            f"{cell(load.get('requests'))} ({cell(load.get('finished'))}, {cell(load.get('cut_at_end'))})",
        "load: audio seconds per wall second": cell(load.get("audio_per_wall_s"), "×"),
        "load: first byte p50 / p95": f"{cell(load.get('ttfb_p50_s'), ' s')} / {cell(load.get('ttfb_p95_s'), ' s')}",
        "load: whole request p50 / p95":
            f"{cell(load.get('total_p50_s'), ' s')} / {cell(load.get('total_p95_s'), ' s')}",
        "load: 429 / errors": f"{cell(load.get('rejected_429'))} / {cell(load.get('errors'))}",
        f"paragraph alone: first byte, median of {FIRST_BYTE_RUNS} (target ≤ {FIRST_BYTE_TARGET_S} s)":
            cell(first_byte, " s") + verdict(first_byte, FIRST_BYTE_TARGET_S),
        f"memory: requests, {MEMORY_CLIENTS} at a time (errors)":
            f"{cell(memory.get('requests'))} ({cell(memory.get('errors'))})",
        f"memory: RSS after the first {warm_requests(args.requests)} / after the last":
            f"{cell(rss_warm, ' MiB', 0)} / {cell(rss_last, ' MiB', 0)}",
        f"memory: growth (target ≤ {GROWTH_TARGET_MIB} MiB)":
            cell(growth, " MiB", 0) + verdict(growth, GROWTH_TARGET_MIB),
    }  # fmt: skip


def report(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    """The markdown table, backends side by side, then every backend's failure and early stop."""
    columns = {name: column(result, args) for name, result in results.items()}
    labels = next(iter(columns.values()))
    lines = [f"| `kokoro serve`, {args.format} | {' | '.join(columns)} |", f"|---|{'---|' * len(columns)}"]
    lines += [f"| {label} | {' | '.join(values[label] for values in columns.values())} |" for label in labels]
    notes = [f"{name}: {result['error']}" for name, result in results.items() if "error" in result]
    notes += [f"{name}: stopped early: {note}" for name, result in results.items() for note in result["stopped_early"]]
    return "\n".join([*lines, "", *notes] if notes else lines)


def rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [rounded(item) for item in value]
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="torch,onnx", help="comma-separated, run one after the other")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients in the load phase")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load phase")
    parser.add_argument("--requests", type=int, default=1000, help="requests of the memory phase")
    parser.add_argument("--format", choices=FORMATS, default="pcm", help="response_format of every request")
    parser.add_argument("--home", type=Path, default=None, help="data home (default: KOKORO_HOME or the usual)")
    parser.add_argument("--max-minutes", type=float, default=30.0, help="cap on the whole run")
    parser.add_argument("--results", type=Path, default=RESULTS, help="JSON lines file to append the run to")
    args = parser.parse_args()
    from kokoro_tui.home import resolve_home

    # SIGTERM unwinds like Ctrl-C, so the server is stopped either way.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    run_until = time.perf_counter() + 60 * args.max_minutes
    home = resolve_home(args.home).root
    backends = [name.strip() for name in args.backends.split(",") if name.strip()]
    settings = {key: str(value) if isinstance(value, Path) else value for key, value in vars(args).items()}
    run = {"kind": "server_load", "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
           "machine": machine(), "settings": {**settings, "home": str(home), "backends": backends,
           "first_byte_runs": FIRST_BYTE_RUNS, "warm_requests": warm_requests(args.requests),
           "memory_clients": MEMORY_CLIENTS, "rss_every_s": RSS_EVERY_S}}  # fmt: skip
    results: dict[str, dict[str, Any]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="server_load_") as scratch:
            for index, backend in enumerate(backends):
                share = (run_until - time.perf_counter()) / (len(backends) - index)
                results[backend] = result = {"stopped_early": []}
                if share <= 0:
                    result["error"] = "not run: the time cap was reached"
                    continue
                try:
                    measure(backend, home, Path(scratch) / f"{backend}.log", args, time.perf_counter() + share, result)
                except BackendFailed as error:
                    result["error"] = f"left out: {error}"
                    print(f"{backend}: {result['error']}", flush=True)
    except KeyboardInterrupt:  # the server is already stopped; show what was measured, record nothing
        print(f"\n{report(results, args)}\n\ninterrupted: nothing appended to {args.results}")
        return 130
    run["backends"] = results
    print(f"\n{report(results, args)}")
    with args.results.open("a", encoding="utf-8") as out:
        out.write(json.dumps(rounded(run), ensure_ascii=False) + "\n")
    print(f"\nappended to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
