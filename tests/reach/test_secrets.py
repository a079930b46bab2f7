"""The workspace key and secret references: sealed secrets open only with their key; the key
file is made once, readable by its owner only; references name where a secret is."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from notnow.errors import InvalidInput, NotFound
from notnow.reach.secrets import SecretBox, check_ref, load_or_create_key, resolve


def test_key_file_is_made_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "reach.key"
    key = load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == key
    box = SecretBox(key)
    sealed = box.seal("whsec_abc")
    assert "whsec_abc" not in sealed and box.open(sealed) == "whsec_abc"
    with pytest.raises(InvalidInput, match="cannot be opened with this workspace key"):
        SecretBox(SecretBox.generate_key()).open(sealed)
    with pytest.raises(InvalidInput, match="not a valid key"):
        SecretBox(b"short")


def test_references_name_where_the_secret_is() -> None:
    assert resolve("env:CALDAV_PW", environ={"CALDAV_PW": "s3cret"}) == "s3cret"
    with pytest.raises(NotFound, match="CALDAV_PW that holds the password is not set"):
        resolve("env:CALDAV_PW", environ={})
    for bad in ("s3cret", "env:", "env:1X", "vault:x", "keyring:"):
        with pytest.raises(InvalidInput, match="secret"):
            check_ref(bad)
    assert check_ref("keyring:notnow-caldav") == "keyring:notnow-caldav"
