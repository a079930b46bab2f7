"""`notnow serve` refuses unsafe binds; `notnow user add|list|disable|token` manage the team."""

from __future__ import annotations

import json
from typing import Any

import pytest


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.8.9.1", True), ("localhost", True), ("::1", True),
    ("[::1]", True), ("0.0.0.0", False), ("192.168.1.20", False), ("example.com", False),
])
def test_is_loopback(host: str, loopback: bool) -> None:
    from notnow.cli.serve import is_loopback

    assert is_loopback(host) is loopback


def test_serve_beyond_loopback_needs_team(cli: Any) -> None:
    r = cli("serve", "--host", "0.0.0.0")
    assert r.code == 1 and "--team" in r.err and "0.0.0.0" in r.err


def test_team_mode_needs_someone_who_can_sign_in(cli: Any) -> None:
    r = cli("serve", "--team", "--host", "0.0.0.0")
    assert r.code == 1 and "notnow user add" in r.err


def test_user_add_list_disable_token(cli: Any) -> None:
    r = cli("user", "add", "Ada Admin", "--email", "ada@example.com", "--role", "admin",
            "--password-stdin", stdin="a long passphrase\n")
    assert r.code == 0, r.err
    assert "Ada Admin <ada@example.com> as admin" in r.out + r.err
    r = cli("user", "add", "Sam", "--email", "sam@example.com", "--manager", "ada@example.com",
            "--no-password", "--json")
    assert r.code == 0 and json.loads(r.out)["manager_id"] is not None
    users = json.loads(cli("user", "list", "--json").out)
    assert [u["email"] for u in users] == [None, "ada@example.com", "sam@example.com"]
    assert all("password" not in json.dumps(u) for u in users)
    tok = cli("user", "token", "sam@example.com", "--name", "crm sync")
    assert tok.code == 0 and tok.out.strip().startswith("nn_") and "shown once" in tok.err
    r = cli("user", "disable", "sam@example.com")
    assert r.code == 0 and "Disabled Sam" in r.out + r.err
    assert json.loads(cli("user", "list", "--json").out)[2]["active"] is False
    r = cli("user", "disable", "ada@example.com")
    assert r.code == 1 and "last admin" in r.err


def test_user_add_bad_input(cli: Any) -> None:
    r = cli("user", "add", "X", "--email", "x@example.com", "--password-stdin", stdin="short\n")
    assert r.code == 1 and "password" in r.err
    r = cli("user", "add", "X", "--email", "x@example.com", "--role", "boss", "--no-password")
    assert r.code == 1 and "role" in r.err
    r = cli("user", "add", "X", "--email", "nope", "--no-password")
    assert r.code == 1 and "email" in r.err


@pytest.mark.slow
def test_serve_runs_a_real_server_with_workers(tmp_path: Any) -> None:
    """`notnow serve --workers 2` in its own process answers pages and the API on loopback."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    from web_support import free_port

    port = free_port()
    env = {**os.environ, "NOTNOW_HOME": str(tmp_path), "NOTNOW_DATABASE_URL": ""}
    cmd = [sys.executable, "-c", "from notnow.cli.main import run; run()", "serve", "--port",
           str(port), "--workers", "2"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90  # two processes to start on a busy machine
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/me") as r:
                    me = json.loads(r.read())
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert me["role"] == "admin"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as r:
            assert r.status == 200 and b"Today" in r.read()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stderr is not None:
            proc.stderr.close()
