"""Reach fixtures: a migrated database with people and follow-ups, and real peers on loopback —
a Radicale CalDAV server, an aiosmtpd SMTP sink and an HTTP receiver for webhooks.

Rows are written through the storage layer (no services): these tests pin what reach does with
the tables, whatever the service layer above them looks like.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from reach_support import free_port

from listening import listening, stop
from notnow.storage.engine import Database, open_database


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'notnow.db'}")
    yield database
    database.dispose()


# --- Radicale ---------------------------------------------------------------------------------


@dataclass
class Radicale:
    url: str
    username: str
    password: str


RADICALE_CONFIG = """[server]
hosts = 127.0.0.1:{port}
[auth]
type = htpasswd
htpasswd_filename = {folder}/users
htpasswd_encryption = plain
delay = 0
[storage]
filesystem_folder = {folder}/collections
[rights]
type = owner_only
[logging]
level = warning
"""


@pytest.fixture(scope="session")
def radicale() -> Iterator[Radicale]:
    try:
        import radicale  # noqa: F401
    except ImportError:
        pytest.skip("Radicale is not installed (pip install -e '.[test]')")
    folder = tempfile.mkdtemp(prefix="notnow-radicale-")
    port = free_port()
    Path(folder, "users").write_text("ann:s3cret-pass\n")
    config = Path(folder, "config")
    config.write_text(RADICALE_CONFIG.format(port=port, folder=folder))
    proc = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        if not listening(port, proc, 15):
            proc.kill()
            err = proc.communicate()[1].decode(errors="replace")
            pytest.skip(f"Radicale did not start: {err[-500:]}")
        yield Radicale(f"http://127.0.0.1:{port}/", "ann", "s3cret-pass")
    finally:
        stop(proc)
        if proc.stderr is not None:
            proc.stderr.close()
        shutil.rmtree(folder, ignore_errors=True)


# --- SMTP sink --------------------------------------------------------------------------------


@dataclass
class SmtpSink:
    host: str
    port: int
    messages: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    try:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword
    except ImportError:
        pytest.skip("aiosmtpd is not installed (pip install -e '.[test]')")
    sink = SmtpSink("127.0.0.1", free_port())

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            sink.messages.append(message_from_bytes(envelope.original_content))
            return "250 OK"

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> Any:
        if isinstance(auth_data, LoginPassword):
            sink.logins.append((auth_data.login.decode(), auth_data.password.decode()))
            return AuthResult(success=auth_data.password == b"mail-pass", handled=False)
        return AuthResult(success=False, handled=False)

    controller = Controller(Handler(), hostname=sink.host, port=sink.port,
                            authenticator=authenticator, auth_require_tls=False,
                            auth_required=False)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


# --- HTTP receiver ----------------------------------------------------------------------------


@dataclass
class Receiver:
    """A webhook receiver on loopback. It can fail for a while (``fail_next`` requests, or until
    ``fail_until`` on the monotonic clock) and de-duplicates by ``webhook-id``."""

    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    seen_ids: dict[str, int] = field(default_factory=dict)
    fail_next: int = 0
    fail_status: int = 503
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def unique(self) -> list[str]:
        return list(self.seen_ids)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state: Receiver | None = None

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else each answer waits ~40 ms for a delayed ACK

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def do_POST(self) -> None:
            assert state is not None
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with state.lock:
                failing = state.fail_next > 0
                if failing:
                    state.fail_next -= 1
                record = {"path": self.path, "headers": {k.lower(): v for k, v in
                                                         self.headers.items()},
                          "body": body, "failed": failing}
                state.requests.append(record)
                if not failing:
                    wid = record["headers"].get("webhook-id", f"anon-{len(state.requests)}")
                    state.seen_ids[wid] = state.seen_ids.get(wid, 0) + 1
            if state.delay:  # processed, but answers slowly
                time.sleep(state.delay)
            status = state.fail_status if failing else 200
            reply = json.dumps({"ok": not failing}).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
            except (BrokenPipeError, ConnectionResetError):  # the sender gave up waiting
                self.close_connection = True

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state = Receiver(f"http://127.0.0.1:{server.server_address[1]}/hooks/notnow")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()

