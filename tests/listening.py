"""A real server a test started (Radicale, PgBouncer…): waiting for it to listen, stopping it."""

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


def stop(proc: subprocess.Popen[bytes], seconds: float = 10) -> None:
    """Ask it to stop; kill it if it has not within ``seconds``."""
    proc.terminate()
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
