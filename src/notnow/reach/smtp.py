"""Sending mail through the workspace's SMTP server (``smtplib``, nothing else needed).

The settings are one row of ``smtp_settings``: host, port, security (``starttls`` — the usual
submission on 587 —, ``tls`` — implicit TLS on 465 —, or ``none``), user name, the *name* of the
environment variable that holds the password (never the password), and the From address. A
password is never sent over an unencrypted connection except to this very machine.
"""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from notnow.errors import InvalidInput, NotnowError
from notnow.reach.secrets import check_env_name, read_env
from notnow.storage.engine import Database
from notnow.storage.tables import SmtpSettings

SECURITY = ("starttls", "tls", "none")


class SendFailed(NotnowError):
    """The mail server could not be reached or refused the message."""

    code = "send_failed"
    status = 502


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    from_address: str
    port: int = 587
    security: str = "starttls"
    username: str | None = None
    password_env: str | None = None
    timeout: float = 30.0

    def check(self) -> SmtpConfig:
        if not self.host or len(self.host) > 255 or any(c.isspace() for c in self.host):
            raise InvalidInput("give the mail server's host name", field="host")
        if not 1 <= self.port <= 65535:
            raise InvalidInput("the port is a number from 1 to 65535", field="port")
        if self.security not in SECURITY:
            raise InvalidInput(f"security is one of {', '.join(SECURITY)}", field="security")
        if "@" not in parseaddr(self.from_address)[1]:
            raise InvalidInput(f"{self.from_address!r} is not an email address",
                               field="from_address")
        if self.password_env is not None:
            check_env_name(self.password_env, field="password_env")
            if self.username is None:
                raise InvalidInput("a password needs a user name", field="username")
        if self.security == "none" and self.password_env and not _is_loopback(self.host):
            raise InvalidInput("refusing to send a password unencrypted: use starttls or tls "
                               "(security 'none' with a password only for this machine)",
                               field="security")
        return self

    def public(self) -> dict[str, Any]:
        """The settings as shown: the password's variable name, never a password."""
        return {k: v for k, v in asdict(self).items() if k != "timeout"}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def save_settings(db: Database, config: SmtpConfig, now: datetime) -> SmtpConfig:
    config.check()
    with db.write() as s:
        row = s.get(SmtpSettings, 1) or SmtpSettings(id=1)
        row.host, row.port, row.security = config.host, config.port, config.security
        row.username, row.password_env = config.username, config.password_env
        row.from_address, row.updated_at = config.from_address, now
        s.add(row)
    return config


def load_settings(db: Database) -> SmtpConfig | None:
    with db.read() as s:
        row = s.get(SmtpSettings, 1)
        if row is None:
            return None
        return SmtpConfig(row.host, row.from_address, row.port, row.security, row.username,
                          row.password_env)


def send(config: SmtpConfig, messages: Sequence[EmailMessage], *,
         environ: Mapping[str, str]) -> None:
    """Send ``messages`` over one connection. Raises `SendFailed` with what went wrong, in
    words (never the password)."""
    config.check()
    password = (read_env(config.password_env, environ, what="the SMTP password")
                if config.password_env else None)
    where = f"{config.host}:{config.port}"
    try:
        client: smtplib.SMTP
        if config.security == "tls":
            client = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        with client:
            client.ehlo()
            if config.security == "starttls":
                if not client.has_extn("starttls"):
                    raise SendFailed(f"the mail server {where} does not offer STARTTLS: use "
                                     "security 'tls' (port 465) or check the port")
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if config.username and password is not None:
                client.login(config.username, password)
            for message in messages:
                if "From" not in message:
                    message["From"] = config.from_address
                client.send_message(message)
    except SendFailed:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise SendFailed(f"the mail server {where} refused the user name or password "
                         f"({exc.smtp_code})") from None
    except smtplib.SMTPRecipientsRefused as exc:
        refused = ", ".join(sorted(exc.recipients))
        raise SendFailed(f"the mail server {where} refused the recipient(s) {refused}") from None
    except smtplib.SMTPResponseException as exc:
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) \
            else str(exc.smtp_error)
        raise SendFailed(f"the mail server {where} answered {exc.smtp_code}: {text}") from None
    except TimeoutError:
        raise SendFailed(f"the mail server {where} did not answer within "
                         f"{config.timeout:g} s") from None
    except ssl.SSLError as exc:
        raise SendFailed(f"no secure connection to {where}: {exc.reason}") from None
    except (OSError, smtplib.SMTPException) as exc:
        what = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise SendFailed(f"cannot send through {where}: {what}") from None
