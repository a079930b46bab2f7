"""`notnow mail …` at the prompt: import with problems reported, connect without a secret
stored, sync, list, remove — and the exit codes."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import imapclient
import pytest
from dovecot_server import PASSWORD, USER, Dovecot
from mailmaker import PITCH, REPLY, STRANGER, write_mbox

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def sam(cli, monkeypatch):  # type: ignore[no-untyped-def]
    cli("user", "add", "Sam Seller", "--email", "sam@vendor.io", "--no-password")
    monkeypatch.setenv("NOTNOW_USER", "sam@vendor.io")
    assert cli("account", "add", "Acme", "--domain", "acme.example").code == 0
    assert cli("contact", "add", "Dana Lee", "--account", "acme", "--email",
               "dana@acme.example").code == 0
    return cli


@SQLITE
def test_import_reports_what_it_did_and_what_it_could_not_read(sam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    box = write_mbox(tmp_path / "export.mbox", [PITCH, REPLY, STRANGER])
    missing = tmp_path / "nowhere.mbox"
    result = sam("mail", "import", str(box), str(missing), "--json")
    assert result.code == 0, result.err
    out = result.json()
    assert (out["read"], out["rejections"], out["touches"], out["skipped"]) == (3, 1, 1, 1)
    assert out["problems"] == [{"source": str(missing), "number": None,
                                "why": "no such file or folder"}]
    text = sam("mail", "import", str(box))
    assert text.code == 0 and " ".join(text.out.split()) == "3 messages read 3 already known"
    messages = sam("mail", "messages", "--outcome", "rejection", "--json").json()
    assert [m["message_id"] for m in messages] == ["reply-1@acme.example"]


@SQLITE
@pytest.mark.slow
def test_connect_sync_list_remove(sam, dovecot: Dovecot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = f"In{uuid.uuid4().hex[:8]}"
    raw = imapclient.IMAPClient("127.0.0.1", port=dovecot.port, ssl=False, timeout=5)
    raw.login(USER, PASSWORD)
    raw.create_folder(folder)
    raw.append(folder, REPLY)
    raw.logout()
    both = sam("mail", "connect", "work", "--host", "127.0.0.1", "--username", USER,
               "--password-env", "A", "--oauth2-token-env", "B")
    assert both.code == 1 and "exactly one" in both.err
    made = sam("mail", "connect", "work", "--host", "127.0.0.1", "--port", str(dovecot.port),
               "--username", USER, "--password-env", "NOTNOW_TEST_IMAP", "--no-tls",
               "--folder", folder, "--sent-folder", "", "--address", "sam@vendor.io", "--json")
    assert made.code == 0, made.err
    assert made.json()["secret"] == "env:NOTNOW_TEST_IMAP"
    unset = sam("mail", "sync", "work")
    assert unset.code == 1 and "NOTNOW_TEST_IMAP is not set" in unset.err
    monkeypatch.setenv("NOTNOW_TEST_IMAP", PASSWORD)
    synced = sam("mail", "sync", "work", "--json")
    assert synced.code == 0, synced.err
    assert (synced.json()["read"], synced.json()["rejections"]) == (1, 1)
    listed = sam("mail", "list", "--json").json()
    assert [b["name"] for b in listed] == ["work"] and listed[0]["last_error"] is None
    assert PASSWORD not in json.dumps([list(b.values()) for b in listed])
    assert sam("mail", "remove", "work").code == 0
    assert sam("mail", "list", "--json").json() == []
    assert sam("mail", "sync", "work").code == 1
