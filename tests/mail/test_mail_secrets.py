"""Secret references: only where the secret is, never the secret; clear errors."""

from __future__ import annotations

import pytest

from notnow.errors import InvalidInput, NotFound
from notnow.mail.secrets import SecretRef, parse_secret_ref, resolve_secret


def test_env_reference_round_trip_and_resolve() -> None:
    ref = parse_secret_ref("env:NOTNOW_MAIL_PASSWORD")
    assert ref == SecretRef("env", "NOTNOW_MAIL_PASSWORD")
    assert str(ref) == "env:NOTNOW_MAIL_PASSWORD"
    assert resolve_secret(ref, {"NOTNOW_MAIL_PASSWORD": "s3cret"}) == "s3cret"
    with pytest.raises(NotFound, match="NOTNOW_MAIL_PASSWORD is not set"):
        resolve_secret(ref, {})


def test_keyring_reference() -> None:
    ref = parse_secret_ref("keyring:notnow/sam@vendor.io")
    assert (ref.kind, ref.name, ref.username) == ("keyring", "notnow", "sam@vendor.io")
    assert str(ref) == "keyring:notnow/sam@vendor.io"


@pytest.mark.parametrize("text", ["hunter2", "env:", "env:1BAD", "env:A B", "keyring:nouser",
                                  "password:hunter2", "keyring:/x"])
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_secret_ref(text)
    assert "hunter2" not in str(info.value)  # what might be a secret is never repeated
