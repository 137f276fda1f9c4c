"""A quick reachability check, so an offline machine learns in seconds, not after long HTTP retries.

The TCP connect (name lookup included) runs in a daemon thread that we stop waiting for after the
timeout: ``getaddrinfo`` itself ignores socket timeouts and can hang much longer on a broken resolver.
"""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit

PROBE_TIMEOUT_S = 3.0


def unreachable_reason(url: str, timeout: float = PROBE_TIMEOUT_S) -> str | None:
    """None when a TCP connection to ``url``'s host opens within ``timeout``; else a short reason."""
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        return f"bad URL {url!r}"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    outcome: list[str | None] = []

    def connect() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                outcome.append(None)
        except OSError as error:
            outcome.append(error.strerror or str(error) or type(error).__name__)

    worker = threading.Thread(target=connect, name="kokoro-probe", daemon=True)
    worker.start()
    worker.join(timeout + 0.5)
    if not outcome:
        return f"no answer from {host} within {timeout:g} s"
    reason = outcome[0]
    return None if reason is None else f"{host}: {reason}"
