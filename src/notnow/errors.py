"""The one exception tree of notnow.

Every error that a user can cause or meet is one of these; the CLI turns them into
``Error: …`` on stderr with exit code 1, the API into a 4xx JSON body::

    NotnowError                      base; ``.code`` names it in JSON, ``.status`` = HTTP status
    ├── InvalidInput                 a value is wrong: names the field (and file/line when known)
    │   ├── PlaybookInvalid          a playbook file does not validate (file, line, what)
    │   └── MailError                a message cannot be read (file, message number, why)
    ├── NotFound                     no record with that id / name / email
    ├── Ambiguous                    a name matches several records: lists the candidates
    ├── Conflict                     the request contradicts what is stored (e.g. duplicate)
    │   └── ContactHeld              a possible opt-out waits for a decision: nothing scheduled
    ├── DoNotContact                 the contact opted out: no touch or follow-up, ever
    ├── CapExceeded                  a frequency cap or quiet period forbids this touch now
    ├── CoolingOff                   a reply cannot be sent before the cooling-off period ends
    ├── PermissionDenied             the current user may not see or do this
    ├── AuthenticationFailed         login failed / missing or bad token
    ├── RateLimited                  too many attempts
    ├── MailServerError              a mail server refused or failed (login, TLS, folder, cut)
    └── StorageError                 the database cannot be used
        ├── DatabaseTooNew           written by a newer notnow than this one
        ├── DatabaseLocked           another process holds the write lock
        └── DatabaseReadOnly         the file or folder is not writable
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class NotnowError(Exception):
    """Base of all errors notnow raises on purpose."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, field: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = {k: v for k, v in details.items() if v is not None}

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body


class InvalidInput(NotnowError):
    code = "invalid_input"
    status = 422

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        file: str | None = None,
        line: int | None = None,
        **details: Any,
    ) -> None:
        where = []
        if file is not None:
            where.append(f"{file}" + (f", line {line}" if line is not None else ""))
        elif line is not None:
            where.append(f"line {line}")
        if field is not None:
            where.append(f"field '{field}'")
        full = f"{', '.join(where)}: {message}" if where else message
        super().__init__(full, field=field, file=file, line=line, **details)
        self.file = file
        self.line = line


class PlaybookInvalid(InvalidInput):
    code = "playbook_invalid"


class MailError(InvalidInput):
    """One message that cannot be read: where it is (file, message number) and why."""

    code = "mail_invalid"

    def __init__(self, why: str, *, source: str | None = None,
                 number: int | None = None) -> None:
        where = source or "message"
        if number is not None:
            where += f", message {number}"
        NotnowError.__init__(self, f"{where}: {why}", source=source, number=number, why=why)
        self.file = source
        self.line = None
        self.source = source
        self.number = number
        self.why = why


class NotFound(NotnowError):
    code = "not_found"
    status = 404


class Ambiguous(NotnowError):
    code = "ambiguous"
    status = 409

    def __init__(self, message: str, *, candidates: Sequence[str], field: str | None = None):
        listing = "; ".join(candidates)
        super().__init__(f"{message} — candidates: {listing}", field=field,
                         candidates=list(candidates))
        self.candidates = list(candidates)


class Conflict(NotnowError):
    code = "conflict"
    status = 409


class DoNotContact(NotnowError):
    """Raised whenever anything would reach a contact who opted out."""

    code = "do_not_contact"
    status = 409

    def __init__(
        self,
        contact: str,
        *,
        since: str | None,
        reason: str | None,
        source: str | None,
        action: str = "contact",
    ) -> None:
        parts = [f"{contact} is do-not-contact"]
        if since:
            parts.append(f"since {since}")
        msg = " ".join(parts)
        if reason:
            msg += f" (reason: {reason}"
            msg += f"; source: {source})" if source else ")"
        elif source:
            msg += f" (source: {source})"
        super().__init__(f"cannot {action}: {msg}", contact=contact, since=since,
                         reason=reason, source=source)


class ContactHeld(Conflict):
    """Raised when something would be scheduled for a contact held until a person decides
    whether their words were an opt-out."""

    code = "contact_held"

    def __init__(self, contact: str, *, reason: str | None, action: str = "schedule") -> None:
        held = f"{contact} is held until you decide" + (f": {reason}" if reason else "")
        super().__init__(f"cannot {action}: {held} (notnow confirm)", field="contact",
                         contact=contact, reason=reason)


class CapExceeded(NotnowError):
    code = "cap_exceeded"
    status = 409


class CoolingOff(NotnowError):
    code = "cooling_off"
    status = 409


class PermissionDenied(NotnowError):
    code = "permission_denied"
    status = 403


class AuthenticationFailed(NotnowError):
    code = "authentication_failed"
    status = 401


class RateLimited(NotnowError):
    code = "rate_limited"
    status = 429


class MailServerError(NotnowError):
    """A mail server could not be used; the message says what to check, in plain words."""

    code = "mail_server_error"
    status = 502

    def __init__(self, message: str, *, reason: str, server: str | None = None) -> None:
        super().__init__(message, reason=reason, server=server)
        self.reason = reason
        self.server = server


class StorageError(NotnowError):
    code = "storage_error"
    status = 503


class DatabaseTooNew(StorageError):
    code = "database_too_new"


class DatabaseLocked(StorageError):
    code = "database_locked"


class DatabaseReadOnly(StorageError):
    code = "database_read_only"
