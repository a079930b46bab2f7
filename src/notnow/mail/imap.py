"""Reading a mailbox over IMAP, and placing drafts in it, on IMAPClient.

Why IMAPClient (4.1) over imap-tools (1.16), measured on a local Dovecot with 1,000 messages
(`bench/bench_mail.py --imap`): fetching the raw messages in batches of 200 took 0.12 s with
IMAPClient and 0.31–0.39 s with imap-tools, which parses every message into an
`email.message.Message` and hands back a re-serialised copy (28 KB of the 525 KB differed: line
ends), where we need the exact bytes we de-duplicate and parse ourselves. Both have no
dependencies, both do XOAUTH2, STARTTLS, APPEND with flags, and are maintained (2024–2026
releases); IMAPClient also returns UIDVALIDITY/UIDNEXT from SELECT and has IDLE.

    with ImapClient(ImapSettings(host=…, username=…, secret=…)) as imap:
        state = imap.select("INBOX")            # FolderState(uidvalidity, uidnext, exists)
        for uid, raw in imap.fetch_new(last_uid=41, batch=200):   # only UIDs > 41
            …
        imap.append_draft("Drafts", draft_bytes)

Secrets (password, bearer token) are passed in by the caller, who reads them from an
environment variable or the keyring; they are never logged, and never in an error message.
Every failure becomes `MailServerError` with a `reason` (``auth``, ``tls``, ``connect``,
``timeout``, ``folder``, ``cut``, ``protocol``) and a sentence a person can act on.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import TracebackType
from typing import Any

from notnow.errors import MailServerError

DEFAULT_TIMEOUT = 30.0
DEFAULT_BATCH = 200
MAX_FETCH_BYTES = 25 * 1024 * 1024
"""A message larger than this is not fetched (its UID is reported as skipped)."""


class Security(StrEnum):
    TLS = "tls"            # implicit TLS, port 993
    STARTTLS = "starttls"  # plain connection upgraded with STARTTLS, port 143
    NONE = "none"          # plain text: loopback and tests only


class AuthKind(StrEnum):
    PASSWORD = "password"
    OAUTH2 = "oauth2"      # XOAUTH2 with a bearer token the person supplies


DEFAULT_PORTS = {Security.TLS: 993, Security.STARTTLS: 143, Security.NONE: 143}


@dataclass(frozen=True)
class ImapSettings:
    host: str
    username: str
    secret: str = field(repr=False)
    """The password or the OAuth2 access token (never printed: repr hides it)."""
    port: int | None = None
    security: Security = Security.TLS
    auth: AuthKind = AuthKind.PASSWORD
    timeout: float = DEFAULT_TIMEOUT
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port or DEFAULT_PORTS[self.security]}"


@dataclass(frozen=True)
class FolderState:
    folder: str
    uidvalidity: int
    uidnext: int | None
    exists: int


@dataclass(frozen=True)
class Fetched:
    uid: int
    data: bytes
    internal_date: datetime | None = None


@dataclass(frozen=True)
class Skipped:
    uid: int
    why: str


class ImapClient:
    """One connection, opened by `connect()` or `with`; closed by `close()`."""

    def __init__(self, settings: ImapSettings) -> None:
        self.settings = settings
        self._client: Any = None
        self.folder: FolderState | None = None

    # -- connecting -------------------------------------------------------------------------

    def __enter__(self) -> ImapClient:
        self.connect()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def connect(self) -> None:
        import imapclient

        s = self.settings
        port = s.port or DEFAULT_PORTS[s.security]
        context = s.ssl_context or ssl.create_default_context()
        try:
            client = imapclient.IMAPClient(
                s.host, port=port, ssl=s.security is Security.TLS,
                ssl_context=context if s.security is Security.TLS else None,
                timeout=s.timeout)
        except BaseException as exc:
            raise self._error(exc, "connecting") from None
        self._client = client
        try:
            if s.security is Security.STARTTLS:
                client.starttls(context)
            if s.auth is AuthKind.OAUTH2:
                client.oauth2_login(s.username, s.secret)
            else:
                client.login(s.username, s.secret)
        except BaseException as exc:
            self._abandon()
            raise self._error(exc, "logging in") from None

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.logout()
        except Exception:
            try:
                client.shutdown()
            except Exception:
                pass

    def _abandon(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.shutdown()
            except Exception:
                pass

    @property
    def client(self) -> Any:
        if self._client is None:
            raise MailServerError(f"not connected to {self.settings.where}", reason="cut",
                                  server=self.settings.where)
        return self._client

    # -- folders ----------------------------------------------------------------------------

    def folders(self) -> list[str]:
        return [str(name) for _flags, _sep, name in self._call("listing folders",
                                                               self.client.list_folders)]

    def special_folder(self, flag: str) -> str | None:
        """The folder marked with a SPECIAL-USE flag (``\\Drafts``, ``\\Sent``), if any."""
        try:
            found = self.client.find_special_folder(flag.encode())
        except Exception:
            return None
        return str(found) if found else None

    def select(self, folder: str, *, readonly: bool = True) -> FolderState:
        client = self.client
        try:
            info = client.select_folder(folder, readonly=readonly)
        except BaseException as exc:
            if _is_no_response(exc):
                raise MailServerError(
                    f"the folder {folder!r} does not exist on {self.settings.where} "
                    "(check the name: folders are case-sensitive and may be nested, "
                    "like 'INBOX/Sent')", reason="folder", server=self.settings.where) from None
            raise self._error(exc, f"opening the folder {folder!r}") from None
        uidvalidity = info.get(b"UIDVALIDITY")
        if uidvalidity is None:
            raise MailServerError(f"{self.settings.where} gave no UIDVALIDITY for {folder!r}: "
                                  "this server cannot be synced incrementally",
                                  reason="protocol", server=self.settings.where)
        uidnext = info.get(b"UIDNEXT")
        self.folder = FolderState(folder, int(uidvalidity),
                                  int(uidnext) if uidnext is not None else None,
                                  int(info.get(b"EXISTS", 0)))
        return self.folder

    # -- reading ----------------------------------------------------------------------------

    def uids_after(self, last_uid: int) -> list[int]:
        """UIDs above `last_uid`, ascending. Servers answer ``UID n:*`` with the last message
        even when n is above every UID (RFC 3501 §6.4.8; Dovecot does): filtered here."""
        if self.folder is not None and self.folder.exists == 0:
            return []
        if (self.folder is not None and self.folder.uidnext is not None
                and self.folder.uidnext <= last_uid + 1):
            return []
        found = self._call("searching for new messages", self.client.search,
                           ["UID", f"{last_uid + 1}:*"])
        return sorted(int(uid) for uid in found if int(uid) > last_uid)

    def fetch(self, uids: Sequence[int], *, batch: int = DEFAULT_BATCH
              ) -> Iterator[Fetched | Skipped]:
        """The raw messages of `uids`, in UID order, `batch` at a time. Messages deleted
        meanwhile are skipped silently; messages over `MAX_FETCH_BYTES` are reported."""
        ordered = sorted(set(uids))
        for i in range(0, len(ordered), batch):
            chunk = ordered[i:i + batch]
            sizes = self._call("reading message sizes", self.client.fetch, chunk,
                               ["RFC822.SIZE"])
            wanted = []
            for uid in chunk:
                size = int(sizes.get(uid, {}).get(b"RFC822.SIZE", 0))
                if uid not in sizes:
                    continue
                if size > MAX_FETCH_BYTES:
                    yield Skipped(uid, f"larger than {MAX_FETCH_BYTES // 2**20} MB")
                else:
                    wanted.append(uid)
            if not wanted:
                continue
            data = self._call("reading messages", self.client.fetch, wanted,
                              ["BODY.PEEK[]", "INTERNALDATE"])
            for uid in wanted:
                item = data.get(uid)
                if item is None:
                    continue
                raw = item.get(b"BODY[]")
                if not isinstance(raw, bytes):
                    yield Skipped(uid, "the server sent no body")
                    continue
                when = item.get(b"INTERNALDATE")
                yield Fetched(uid, raw, when if isinstance(when, datetime) else None)

    def fetch_new(self, last_uid: int, *, batch: int = DEFAULT_BATCH
                  ) -> Iterator[Fetched | Skipped]:
        return self.fetch(self.uids_after(last_uid), batch=batch)

    # -- writing ----------------------------------------------------------------------------

    def append_draft(self, folder: str, message: bytes, *,
                     when: datetime | None = None) -> int | None:
        """Place `message` in `folder` with the ``\\Draft`` flag (never sent). Returns its
        UID when the server says it (UIDPLUS), else None."""
        def append() -> Any:
            return self.client.append(folder, message, flags=(b"\\Draft",), msg_time=when)

        try:
            answer = append()
        except BaseException as exc:
            if _is_no_response(exc):
                raise MailServerError(
                    f"cannot save the draft: the folder {folder!r} does not exist on "
                    f"{self.settings.where} (set the drafts folder of this mailbox)",
                    reason="folder", server=self.settings.where) from None
            raise self._error(exc, "saving the draft") from None
        text = answer.decode("ascii", "replace") if isinstance(answer, bytes) else str(answer)
        # "[APPENDUID 1733490000 7] Append completed."
        if "APPENDUID" in text.upper():
            try:
                return int(text.upper().split("APPENDUID", 1)[1].split("]", 1)[0].split()[1])
            except (IndexError, ValueError):
                return None
        return None

    # -- errors -----------------------------------------------------------------------------

    def _call(self, doing: str, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            raise self._error(exc, doing) from None

    def _error(self, exc: BaseException, doing: str) -> MailServerError | BaseException:
        if isinstance(exc, KeyboardInterrupt | SystemExit | MailServerError):
            return exc
        where = self.settings.where
        reason, what = _explain(exc, self.settings)
        return MailServerError(f"{doing} ({where}): {what}", reason=reason, server=where)


def _is_no_response(exc: BaseException) -> bool:
    """The server answered NO because the folder does not exist."""
    import imaplib

    if not isinstance(exc, imaplib.IMAP4.error) or isinstance(exc, imaplib.IMAP4.abort):
        return False
    text = str(exc).lower()
    return any(word in text for word in ("nonexistent", "doesn't exist", "does not exist",
                                         "not exist", "no such", "unknown mailbox",
                                         "trycreate", "not found"))


def _explain(exc: BaseException, s: ImapSettings) -> tuple[str, str]:
    """(reason, plain words) for an exception from the socket, TLS or IMAP layers."""
    import imaplib

    from imapclient.exceptions import LoginError

    text = _scrub(str(exc), s.secret)
    if isinstance(exc, LoginError) or (isinstance(exc, imaplib.IMAP4.error)
                                       and "authenticat" in text.lower()):
        if s.auth is AuthKind.OAUTH2:
            return "auth", ("the OAuth2 token was refused (expired or without IMAP access): "
                            "get a new access token and set it again")
        return "auth", ("the user name or password was refused (for Gmail and Microsoft 365 "
                        "use an app password or OAuth2)")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "tls", f"the server's TLS certificate cannot be trusted ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        hint = (" — is this port plain text? try --starttls or --no-tls"
                if s.security is Security.TLS else "")
        return "tls", f"the TLS handshake failed ({exc.reason or text}){hint}"
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timeout", f"no answer within {s.timeout:g} s"
    if isinstance(exc, socket.gaierror):
        return "connect", f"the host name {s.host!r} cannot be resolved"
    if isinstance(exc, ConnectionRefusedError):
        return "connect", "the connection was refused (wrong port, or no IMAP server there)"
    if isinstance(exc, ConnectionError | EOFError | imaplib.IMAP4.abort | BrokenPipeError):
        return "cut", "the connection was cut; the next sync goes on from where this stopped"
    if isinstance(exc, OSError):
        return "connect", f"cannot connect ({exc.strerror or text})"
    if isinstance(exc, imaplib.IMAP4.error):
        if "starttls" in text.lower():
            return "tls", "the server does not offer STARTTLS (try --tls)"
        return "protocol", f"the server said: {text[:200]}"
    return "protocol", f"{type(exc).__name__}: {text[:200]}"


def _scrub(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text
