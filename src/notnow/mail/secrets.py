"""Where a mailbox's secret lives: a reference stored in the database, never the secret.

    env:NOTNOW_MAIL_PASSWORD        an environment variable (read from the mapping passed in)
    keyring:notnow/sam@vendor.io    the system keyring (service/username; needs `keyring`)

`resolve_secret` returns the secret for one connection; nothing keeps or logs it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from notnow.errors import InvalidInput, NotFound

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")


@dataclass(frozen=True)
class SecretRef:
    kind: str  # "env" or "keyring"
    name: str
    username: str | None = None

    def __str__(self) -> str:
        if self.kind == "env":
            return f"env:{self.name}"
        return f"keyring:{self.name}/{self.username}"


def parse_secret_ref(text: str) -> SecretRef:
    """Read a stored reference; refuses anything that looks like a secret itself."""
    kind, sep, rest = text.partition(":")
    if sep and kind == "env" and _ENV_NAME.match(rest):
        return SecretRef("env", rest)
    if sep and kind == "keyring":
        service, slash, username = rest.partition("/")
        if slash and service and username and len(rest) <= 290 and rest.isprintable():
            return SecretRef("keyring", service, username)
    raise InvalidInput("a secret reference is env:VARIABLE or keyring:SERVICE/USERNAME "
                       "(the secret itself is never stored)", field="secret_ref")


def resolve_secret(ref: SecretRef, environ: Mapping[str, str]) -> str:
    if ref.kind == "env":
        value = environ.get(ref.name)
        if not value:
            raise NotFound(f"the environment variable {ref.name} is not set: put the mailbox's "
                           "password or access token in it", field="secret_ref")
        return value
    try:
        import keyring
    except ImportError:
        raise NotFound("the system keyring is not available (pip install keyring), or use "
                       "env:VARIABLE", field="secret_ref") from None
    try:
        value = keyring.get_password(ref.name, ref.username)
    except Exception as exc:  # no keyring backend on this machine
        raise NotFound(f"the system keyring cannot be read ({type(exc).__name__}); use "
                       "env:VARIABLE instead", field="secret_ref") from None
    if not value:
        raise NotFound(f"no secret for {ref.username} under {ref.name!r} in the system keyring",
                       field="secret_ref")
    return str(value)
