"""Waiting for a real server a test started (Radicale, PgBouncer…) to listen."""

from __future__ import annotations

import socket
import subprocess
import time


def listening(port: int, proc: subprocess.Popen[bytes], seconds: float) -> bool:
    """Whether ``proc`` listens on 127.0.0.1:``port`` within ``seconds``; False as soon as it
    has exited."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                return False
            time.sleep(0.05)
