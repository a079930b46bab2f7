"""The team deployment of docs/deploy.md, in real processes on one PostgreSQL (issue 16):
`notnow serve --team --workers 2` and two `notnow worker` processes work together — what the
web processes accept, the workers carry out exactly once, and each web process sees it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from web_support import free_port

CLI = [sys.executable, "-c", "from notnow.cli.main import run; run()"]


@contextmanager
def _receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A webhook receiver on loopback: what it was sent, in order."""
    got: list[dict[str, Any]] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                got.append({"id": self.headers.get("webhook-id"), **json.loads(body)})
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", got
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def _process(args: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen([*CLI, *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=60)
        if proc.stderr is not None:
            proc.stderr.close()


def _call(base: str, token: str, method: str, path: str,
          body: dict[str, Any] | None = None) -> tuple[int, Any]:
    """One request on a new connection (so the two uvicorn workers share the requests): the
    answer's status and JSON body."""
    req = urllib.request.Request(f"{base}{path}", method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": f"Bearer {token}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, json.loads(r.read() or b"null")


@pytest.mark.slow
def test_web_workers_and_job_workers_on_one_database(
        ws: Any, db_url: str, tmp_path: Path) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("several server and worker processes share PostgreSQL (docs/deploy.md)")
    from actors import owner_of
    from notnow.reach.webhooks import new_secret
    from notnow.services.reach.webhooks import add_webhook
    from notnow.services.team.auth import add_user, create_token

    me = owner_of(ws)
    add_user(ws, me, {"name": "Ada Admin", "email": "ada@example.com", "role": "admin",
                      "password": "a long enough password"})
    token = create_token(ws, me, "deploy test").token
    secret = new_secret()
    # the real clock: a worker's recurring job comes back after its period (30 s for webhooks)
    env = {**os.environ, "NOTNOW_HOME": str(tmp_path), "NOTNOW_DATABASE_URL": db_url,
           "NO_COLOR": "1", "HOOK_SECRET": secret, "NOTNOW_USER": "ada@example.com"}
    for name in ("NOTNOW_DEV", "NOTNOW_NOW"):
        env.pop(name, None)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with ExitStack() as stack:
        url, got = stack.enter_context(_receiver())
        add_webhook(ws, me, url, "rejection.logged", secret_env="HOOK_SECRET")
        web = stack.enter_context(_process(["serve", "--team", "--port", str(port),
                                            "--workers", "2"], env))
        deadline = time.monotonic() + 120  # three processes to start on a busy machine
        while True:
            try:
                assert _call(base, token, "GET", "/api/v1/me")[0] == 200
                break
            except OSError:
                assert web.poll() is None, web.stderr.read() if web.stderr else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        workers = [stack.enter_context(_process(["worker", "--poll", "0.5"], env))
                   for _ in range(2)]

        acme = _call(base, token, "POST", "/api/v1/accounts", {"name": "Acme"})[1]
        logged = []
        for i in range(6):
            person = _call(base, token, "POST", "/api/v1/contacts", {
                "name": f"Person {i}", "email": f"p{i}@acme.example",
                "account_id": acme["id"]})[1]
            status, rejection = _call(base, token, "POST", "/api/v1/rejections", {
                "contact_id": person["id"], "text": "Not now, try me again in March."})
            assert status == 201
            logged.append(rejection["id"])

        deadline = time.monotonic() + 180
        while len(got) < len(logged) and time.monotonic() < deadline:
            assert all(w.poll() is None for w in workers), "a worker stopped"
            time.sleep(0.3)
        time.sleep(2)  # time for a second delivery, were there one
        assert sorted(e["data"]["rejection"]["id"] for e in got) == sorted(logged)
        assert len({e["id"] for e in got}) == len(got)  # each event delivered once

        agendas = [_call(base, token, "GET", "/api/v1/agenda?day=2030-01-02&limit=500")[1]
                   for _ in range(6)]  # new connections: both web processes answer
        for agenda in agendas:
            assert {i["contact_name"] for i in agenda["items"]} >= {f"Person {i}"
                                                                  for i in range(6)}
        for w in workers:  # SIGTERM: the job in hand finishes, the worker exits cleanly
            w.terminate()
            assert w.wait(timeout=60) == 0
