"""Secrets that reach needs in clear to do its job — and never keeps in clear.

A feed token is only ever compared, so it is kept as a hash (`feed.hash_token`). A webhook's
signing secret, a Slack URL, an SMTP or CalDAV password must be *used*, so a hash cannot do.
They live in one of three places, named by a reference:

* ``env:NAME`` — an environment variable of the processes that send (the operator's choice);
* ``keyring:SERVICE`` — the system keyring (`keyring` package), looked up with the account's
  user name (a person's own machine);
* sealed — encrypted with the workspace key (Fernet: AES-128-CBC + HMAC-SHA256, from the
  ``cryptography`` package) and stored in the database. The key is a file outside the database
  (or an env var in team mode, where several machines must share it): a copy of the database
  alone does not reveal the secret.

Configuration is passed in: the environment is a mapping argument, the key bytes an argument.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from notnow.errors import InvalidInput, NotFound

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")


class SecretBox:
    """Seals and opens short secrets with the workspace key."""

    def __init__(self, key: bytes) -> None:
        from cryptography.fernet import Fernet

        try:
            self._fernet = Fernet(key)
        except ValueError:
            raise InvalidInput("the workspace key is not a valid key (32 url-safe base64 "
                               "bytes); make one with `notnow` or "
                               "cryptography.fernet.Fernet.generate_key()",
                               field="secret_key") from None

    @staticmethod
    def generate_key() -> bytes:
        from cryptography.fernet import Fernet

        return Fernet.generate_key()

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise InvalidInput("a stored secret cannot be opened with this workspace key: was "
                               "the key file replaced? Add the webhook again",
                               field="secret_key") from None


def load_or_create_key(path: Path) -> bytes:
    """The workspace key from ``path``, made (readable by its owner only) on first use."""
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = SecretBox.generate_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key + b"\n")
    return key


def check_env_name(name: str, *, field: str) -> str:
    if not ENV_NAME.match(name):
        raise InvalidInput(f"{name!r} is not an environment variable name (letters, digits "
                           "and _, not starting with a digit)", field=field)
    return name


def read_env(name: str, environ: Mapping[str, str], *, what: str) -> str:
    value = environ.get(name)
    if not value:
        raise NotFound(f"the environment variable {name} that holds {what} is not set in this "
                       "process", field=name)
    return value


def resolve(ref: str, *, environ: Mapping[str, str], username: str | None = None,
            what: str = "the password") -> str:
    """The secret a reference (``env:NAME`` or ``keyring:SERVICE``) points to."""
    kind, _, name = ref.partition(":")
    if kind == "env":
        return read_env(check_env_name(name, field="secret"), environ, what=what)
    if kind == "keyring":
        try:
            import keyring
        except ImportError:
            raise NotFound("the keyring package is not installed: pip install keyring, or "
                           "use env:NAME", field="secret") from None
        value = keyring.get_password(name, username or "")
        if not value:
            raise NotFound(f"the keyring has no password for service {name!r} and user "
                           f"{username!r}", field="secret")
        return str(value)
    raise InvalidInput(f"{ref!r} is not a secret reference: use env:NAME or keyring:SERVICE",
                       field="secret")


def check_ref(ref: str) -> str:
    """A reference's form, checked when it is stored (the secret itself is read when used)."""
    kind, _, name = ref.partition(":")
    if kind == "env":
        check_env_name(name, field="secret")
    elif kind != "keyring" or not name or len(ref) > 200:
        raise InvalidInput(f"{ref!r} is not a secret reference: use env:NAME or "
                           "keyring:SERVICE", field="secret")
    return ref
