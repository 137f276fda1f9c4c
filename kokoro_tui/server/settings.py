"""What `kokoro serve` (or a test) tells the server: where to listen, what to run, and its limits."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

# Hosts that only this machine can reach; any other bind address gets a warning at start-up.
LOOPBACK_NAMES = frozenset({"localhost"})


@dataclass(frozen=True)
class ServerSettings:
    """Every knob of the server; the defaults are what `kokoro serve` uses without options.

    ``max_requests`` bounds the speech requests admitted at once (being synthesised or waiting
    for their turn on the model); the next one gets 429. ``max_whole_audio_s`` bounds the audio of a
    response that is not streamed, which the server holds until its end: two hours, which the longest
    input read at the slowest speed stays under (20,000 characters at 0.25x are about 90 minutes), so
    only markup pauses reach it. ``home`` is the data home (None: the usual resolution,
    ``KOKORO_HOME`` included).
    """

    host: str = "127.0.0.1"
    port: int = 8880
    device: str = "auto"
    backend: str = "torch"
    precision: str = "auto"
    api_key: str | None = None
    max_input_chars: int = 20_000
    max_requests: int = 8
    max_whole_audio_s: float = 7200.0
    home: Path | None = None

    @property
    def local_only(self) -> bool:
        """True when the bind address is a loopback one, so no other machine can connect."""
        if self.host in LOOPBACK_NAMES:
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:  # a host name: it may resolve to anything
            return False
