"""One message's bytes to a `ParsedMessage`: who, when, threading, the words, and what kind.

The standard library's `email` (``policy.default``, handing headers back raw: `_RawHeaderPolicy`)
splits the message into its MIME parts; headers are read from their raw form by our own code
(`charsets.header_text`, bounded `email.utils.getaddresses`), because real mail carries raw
8-bit headers, broken encoded words and headers large enough to make a full header parser slow
(the header registry took half of all parsing time). Everything is bounded: message size,
header size, number of parts, nesting depth, addresses per header, text kept.

A message that cannot be read at all raises `MailError` (where, message number, why); anything
less is read as well as possible and noted in `ParsedMessage.problems`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from email.utils import getaddresses, parsedate_to_datetime

from notnow.errors import MailError
from notnow.mail.charsets import decode_bytes, header_text

MAX_MESSAGE_BYTES = 25 * 1024 * 1024
"""A message larger than this is refused (a sales reply is a few KB; 25 MB is the usual cap)."""
MAX_HEADER_CHARS = 64 * 1024
"""One header's value is read up to this length."""
MAX_PARTS = 500
MAX_DEPTH = 12
MAX_ADDRESSES = 500
MAX_COMMENT_DEPTH = 32
"""Comments nested deeper than this in an address header, "(((…", and the header is not read:
the standard library's address parser reads each level by calling itself, and a header of
60,000 "(" ran it to Python's recursion limit — where anything else that ran meanwhile (a
finalizer the collector called at that depth) failed too."""
MAX_TEXT_CHARS = 200_000
"""The body text kept (what `understand` reads at most)."""
MAX_FORWARDED = 5
MAX_BOUNDARY_LINES = 20_000
"""Lines starting with "--" (MIME boundaries) beyond which a message is refused unparsed."""

class _RawHeaderPolicy(EmailPolicy):
    """``policy.default`` whose headers are handed back as their raw strings.

    We decode every header we keep ourselves (`charsets.header_text`, bounded); letting the
    header registry parse each Content-Type the parser and our walk look at cost half of all
    parsing time (bench/bench_mail.py: 271 → 1,100+ messages/s on one core)."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        if hasattr(value, "name"):
            return str(value)
        return value.replace("\r\n", "\n").replace("\n ", " ").replace("\n\t", " ")


_POLICY = _RawHeaderPolicy()
_PARSER = BytesParser(policy=_POLICY)
_MSG_ID = re.compile(r"<([^<>\s]{1,900})>")
_BARE_ID = re.compile(r"^\s*([^<>\s@]{1,450}@[^<>\s@]{1,450})\s*$")
_STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
_ADDRESS_IN_TEXT = re.compile(r"[A-Za-z0-9._%+'=-]{1,64}@[A-Za-z0-9-]{1,63}"
                              r"(?:\.[A-Za-z0-9-]{1,63}){1,8}")
_BOUNCE_FROM = re.compile(r"^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon|"
                          r"mail\.delivery\.subsystem|microsoftexchange[0-9a-f]*)@", re.I)
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(?:undeliver(?:able|ed)|undelivered mail returned to sender|delivery status notification"
    r" \((?:failure|delay)\)|mail delivery (?:failed|failure|subsystem)|failure notice"
    r"|returned mail|delivery failure|message not delivered|nondeliverable|unzustellbar"
    r"|nicht zustellbar|non remis|non distribuable|échec de la remise|no se puede entregar"
    r"|no entregado|onbestelbaar|niet bezorgd|olevererbart|kan ikke leveres|ikke leveret"
    r"|non recapitabile|mancato recapito|não entregue)", re.I)
_BOUNCE_BODY = re.compile(
    r"(?:could not be delivered|wasn't able to deliver|was not delivered|delivery has failed"
    r"|permanent(?:ly)? (?:error|fatal)|user unknown|no such user|mailbox (?:unavailable|not found)"
    r"|address (?:rejected|not found)|recipient address rejected|does not exist"
    r"|konnte nicht zugestellt|n'a pas pu être remis|no se pudo entregar|kon niet worden bezorgd)",
    re.I)
_ORIGINAL_MARKER = re.compile(
    r"^(?:-+ ?(?:original message|this is a copy of the message|below this line is a copy)"
    r"|original message headers:|--- below this line|content-type: message/rfc822)", re.I | re.M)
_NO_REPLY = re.compile(r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|noreply|notifications?|"
                       r"bounces?|mailer|newsletter|news|info-?mail)[+@.-]", re.I)


@dataclass(frozen=True)
class Address:
    """One mailbox: `email` lower-cased and trimmed; `name` the display name, decoded."""

    email: str
    name: str = ""

    @property
    def domain(self) -> str:
        return self.email.rsplit("@", 1)[-1]


@dataclass(frozen=True)
class FailedRecipient:
    """One recipient a bounce reports: the address, its status code (5.1.1) and diagnostic."""

    email: str
    status: str | None = None
    action: str | None = None
    diagnostic: str | None = None

    @property
    def permanent(self) -> bool:
        return self.status is None or self.status.startswith("5")


@dataclass(frozen=True)
class Forwarded:
    """A message forwarded inside this one (message/rfc822), read one level deep."""

    from_: Address | None
    subject: str
    date: datetime | None
    text: str


@dataclass(frozen=True)
class ParsedMessage:
    """What notnow needs of one message. Text fields never hold control characters."""

    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    from_: Address | None
    sender: Address | None
    reply_to: tuple[Address, ...]
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    date: datetime | None
    subject: str
    text: str
    """The whole body as plain text (HTML-only bodies converted), quotes included."""
    html_only: bool
    auto_submitted: str | None
    """RFC 3834 ``Auto-Submitted`` value when it is not ``no`` (auto-replied, auto-generated…)."""
    auto_reply_headers: tuple[str, ...]
    """Other headers that mark an automatic reply (X-Autoreply, X-Autorespond,
    Precedence: auto_reply, X-Auto-Response-Suppress on a reply, …)."""
    precedence: str | None
    list_id: str | None
    list_unsubscribe: str | None
    return_path_empty: bool
    is_bounce: bool
    failed_recipients: tuple[FailedRecipient, ...]
    forwarded: tuple[Forwarded, ...]
    attachments: int
    size: int
    fingerprint: str
    """A stable key for de-duplication: the Message-ID's hash, else a hash of the content."""
    problems: tuple[str, ...] = field(default=())
    """What could not be read well (a part left out, an address dropped), in plain words."""

    @property
    def recipients(self) -> tuple[Address, ...]:
        return self.to + self.cc

    @property
    def own_words(self) -> str:
        """The sender's own words: quoted history and signature stripped."""
        from notnow.mail.reply import own_words

        return own_words(self.text)

    def understand_headers(self) -> dict[str, str]:
        """The headers `notnow.understand.analyze(headers=…)` reads."""
        out = {"subject": self.subject}
        if self.from_ is not None:
            out["from"] = self.from_.email
        if self.auto_submitted:
            out["auto-submitted"] = self.auto_submitted
        if self.precedence:
            out["precedence"] = self.precedence
        for name in self.auto_reply_headers:
            key, _, value = name.partition(": ")
            out.setdefault(key.lower(), value or "yes")
        return out


def message_id_hash(message_id: str) -> str:
    """The de-duplication key of a Message-ID (hex SHA-256 of its normalised form)."""
    return hashlib.sha256(message_id.strip().strip("<>").lower().encode("utf-8",
                          "surrogatepass")).hexdigest()


def parse_message(data: bytes, *, source: str | None = None,
                  number: int | None = None) -> ParsedMessage:
    """Read one message. Raises `MailError(source, number, why)` when it cannot be read."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise MailError("not bytes", source=source, number=number)
    data = bytes(data)
    if len(data) > MAX_MESSAGE_BYTES:
        raise MailError(f"too large ({len(data) // (1024 * 1024)} MB; the limit is "
                        f"{MAX_MESSAGE_BYTES // (1024 * 1024)} MB)", source=source, number=number)
    if not data.strip():
        raise MailError("empty message", source=source, number=number)
    data = _normalise_line_ends(data)
    if data.count(b"\n--") > MAX_BOUNDARY_LINES:
        # the parser builds every part before we can count them: refuse a part bomb up front
        raise MailError(f"more than {MAX_BOUNDARY_LINES} MIME boundary lines: not read",
                        source=source, number=number)
    try:
        msg = _PARSER.parsebytes(data)
    except RecursionError as exc:
        raise MailError("MIME parts nested too deeply to read", source=source,
                        number=number) from exc
    except Exception as exc:  # the stdlib parser is lenient; this is a last resort
        raise MailError(f"cannot be parsed as a message ({type(exc).__name__}: {exc})",
                        source=source, number=number) from exc
    try:
        return _read(msg, data)
    except MailError as exc:
        raise MailError(exc.why, source=source, number=number) from exc
    except (RecursionError, MemoryError) as exc:
        raise MailError("too deeply nested or too large to read", source=source,
                        number=number) from exc
    except Exception as exc:
        raise MailError(f"cannot be read ({type(exc).__name__}: {exc})", source=source,
                        number=number) from exc


def _normalise_line_ends(data: bytes) -> bytes:
    """CRLF and lone CR (old Mac mail) become LF, so headers and boundaries are found."""
    if b"\r" not in data:
        return data
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


class _Headers:
    """Raw header values by lower-cased name (first occurrence wins; all kept for lists)."""

    def __init__(self, msg: Message) -> None:
        self.all: dict[str, list[str]] = {}
        for name, value in msg.raw_items():
            key = str(name).strip().lower()
            raw = str(value)
            if len(raw) > MAX_HEADER_CHARS:
                raw = raw[:MAX_HEADER_CHARS]
            self.all.setdefault(key, []).append(raw)

    def raw(self, name: str) -> str | None:
        values = self.all.get(name)
        return values[0] if values else None

    def text(self, name: str) -> str | None:
        raw = self.raw(name)
        return None if raw is None else header_text(raw)


def _read(msg: Message, data: bytes) -> ParsedMessage:
    headers = _Headers(msg)
    if not headers.all:
        raise MailError("no headers: this is not an email message")
    problems: list[str] = []
    if msg.defects and any("Header" in type(d).__name__ for d in msg.defects):
        problems.append("malformed headers were read leniently")
    for name in ("from", "subject", "message-id", "date"):
        if len(headers.all.get(name, ())) > 1:
            problems.append(f"{len(headers.all[name])} {name.title()} headers: the first is used")

    from_list = _addresses(headers.raw("from"), problems, "From")
    sender = _addresses(headers.raw("sender"), problems, "Sender")
    message_id = _first_id(headers.raw("message-id"))
    in_reply_to = _first_id(headers.raw("in-reply-to"))
    references = tuple(_MSG_ID.findall(headers.raw("references") or ""))[-100:]
    subject = headers.text("subject") or ""

    walker = _Walker(problems)
    walker.walk(msg, 0, top=True)
    text = walker.text()[:MAX_TEXT_CHARS]

    auto_submitted = (headers.text("auto-submitted") or "").lower().split(";", 1)[0].strip()
    precedence = (headers.text("precedence") or "").lower().strip() or None
    auto_headers = []
    for name in ("x-autoreply", "x-autorespond", "x-auto-response", "x-autogenerated"):
        value = (headers.text(name) or "").strip().lower()
        if value and value not in ("no", "false", "0"):
            auto_headers.append(f"{name}: {value}")
    if precedence == "auto_reply":
        auto_headers.append("precedence: auto_reply")
    suppress = (headers.text("x-auto-response-suppress") or "").strip()
    if suppress.lower() == "all" and (in_reply_to or references):
        # what Exchange puts on its out-of-office replies (Outlook's own mail merges say
        # "DR, RN, NRN, OOF, AutoReply" and are no replies)
        auto_headers.append(f"x-auto-response-suppress: {suppress}")
    return_path = headers.raw("return-path")
    return_path_empty = return_path is not None and return_path.strip() in ("<>", "")

    from_ = from_list[0] if from_list else None
    failed = list(walker.failed)
    for value in headers.all.get("x-failed-recipients", ()):
        for addr in _addresses(value, problems, "X-Failed-Recipients"):
            if all(f.email != addr.email for f in failed):
                failed.append(FailedRecipient(addr.email))
    is_bounce = walker.dsn or bool(failed) or _looks_like_bounce(from_, subject, text,
                                                                 return_path_empty)
    if is_bounce and not failed:
        failed = _failed_from_text(text, from_)

    fingerprint = (message_id_hash(message_id) if message_id else
                   "c:" + hashlib.sha256(data).hexdigest())
    return ParsedMessage(
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
        from_=from_,
        sender=sender[0] if sender else None,
        reply_to=tuple(_addresses(headers.raw("reply-to"), problems, "Reply-To")),
        to=tuple(_addresses_all(headers.all.get("to", ()), problems, "To")),
        cc=tuple(_addresses_all(headers.all.get("cc", ()), problems, "Cc")),
        date=_date(headers),
        subject=subject,
        text=text,
        html_only=walker.html_only,
        auto_submitted=auto_submitted if auto_submitted not in ("", "no") else None,
        auto_reply_headers=tuple(auto_headers),
        precedence=precedence,
        list_id=headers.text("list-id"),
        list_unsubscribe=headers.text("list-unsubscribe"),
        return_path_empty=return_path_empty,
        is_bounce=is_bounce,
        failed_recipients=tuple(failed),
        forwarded=tuple(walker.forwarded),
        attachments=walker.attachments,
        size=len(data),
        fingerprint=fingerprint,
        problems=tuple(problems),
    )


def normalise_address(value: str) -> str | None:
    """`value` as a comparable address (lower-cased, trimmed), or None when it is not one."""
    email = value.strip().strip("<>").strip().lower()
    if email.startswith("mailto:"):
        email = email[len("mailto:"):]
    if len(email) > 320 or email.count("@") != 1:
        return None
    local, domain = email.split("@")
    if not local or not domain or "." not in domain.strip(".") or domain.startswith("."):
        return None
    if any(ch <= " " or ch in "<>()[],;:\\\"" or ch == "\x7f" for ch in domain):
        return None
    if any(ch <= " " or ch in "<>\\" or ch == "\x7f" for ch in local):
        return None
    return email.rstrip(".")


def _addresses(raw: str | None, problems: list[str], name: str) -> list[Address]:
    return _addresses_all([raw] if raw is not None else [], problems, name)


def _addresses_all(raws: list[str] | tuple[str, ...], problems: list[str],
                   name: str) -> list[Address]:
    found: list[Address] = []
    seen: set[str] = set()
    for raw in raws:
        if any("\udc80" <= ch <= "\udcff" for ch in raw):
            raw = header_text(raw)
        raw = raw.replace("\r", " ").replace("\n", " ")
        if _comment_depth(raw) > MAX_COMMENT_DEPTH:
            problems.append(f"{name}: cannot be read as addresses (comments nested more than "
                            f"{MAX_COMMENT_DEPTH} deep)")
            continue
        try:
            pairs = getaddresses([raw])
        except (RecursionError, ValueError, IndexError):
            problems.append(f"{name}: cannot be read as addresses")
            continue
        for display, addr in pairs:
            if len(found) >= MAX_ADDRESSES:
                problems.append(f"{name}: more than {MAX_ADDRESSES} addresses, the rest ignored")
                return found
            email = normalise_address(header_text(addr)) if addr else None
            if email is None:
                if addr or display:
                    problems.append(f"{name}: {header_text(addr or display)[:80]!r} is not an "
                                    "email address")
                continue
            if email in seen:
                continue
            seen.add(email)
            found.append(Address(email, header_text(display).strip("\"' ") if display else ""))
    return found


def _comment_depth(raw: str) -> int:
    """How deep parentheses nest in ``raw``, at most (quoted text and escapes counted too: a
    header this counts too deep is one no address is written like)."""
    if "(" not in raw:
        return 0
    depth = deepest = 0
    for ch in raw:
        if ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")" and depth:
            depth -= 1
    return deepest


def _first_id(raw: str | None) -> str | None:
    if not raw:
        return None
    found = _MSG_ID.search(raw)
    if found:
        return found.group(1)
    bare = _BARE_ID.match(raw)
    return bare.group(1) if bare else None


def _date(headers: _Headers) -> datetime | None:
    candidates = [headers.raw("date")]
    # no usable Date: the newest Received header says when it arrived
    candidates += [r.rsplit(";", 1)[-1] for r in headers.all.get("received", ())[:1] if ";" in r]
    for raw in candidates:
        if not raw:
            continue
        try:
            value = parsedate_to_datetime(header_text(raw))
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
        if value is None:
            continue
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return None


def _disposition(part: Message) -> str:
    value = str(part.get("content-disposition", "") or "")
    return value.split(";", 1)[0].strip().lower()


def _is_attachment(part: Message) -> bool:
    if _disposition(part) == "attachment":
        return True
    try:
        return bool(part.get_param("name") or part.get_filename())
    except Exception:
        return True


class _Walker:
    """Walks the MIME tree once, with limits, collecting text, DSN facts and forwards."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        self.parts = 0
        self.plain: list[str] = []
        self.html: list[str] = []
        self.attachments = 0
        self.dsn = False
        self.failed: list[FailedRecipient] = []
        self.forwarded: list[Forwarded] = []
        self.html_only = False
        self.tnef = False
        self.chars = 0

    def text(self) -> str:
        if any(p.strip() for p in self.plain):
            return "\n\n".join(p for p in self.plain if p.strip()).strip("\n")
        if self.html:
            from notnow.understand.htmltext import html_to_text

            self.html_only = True
            out = []
            for source in self.html:
                plain, _ = html_to_text(source)
                out.append(_tidy(plain))
            return "\n\n".join(o for o in out if o.strip())
        if self.tnef:
            self.problems.append("the body is only in winmail.dat (TNEF), which is not read")
        return ""

    def walk(self, part: Message, depth: int, *, top: bool = False) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            if self.parts == MAX_PARTS + 1:
                self.problems.append(f"more than {MAX_PARTS} MIME parts: the rest ignored")
            return
        if depth > MAX_DEPTH:
            self.problems.append(f"MIME nesting deeper than {MAX_DEPTH}: the rest ignored")
            return
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            self._delivery_status(part)
            return
        if part.is_multipart():
            if ctype == "multipart/report":
                report = str(part.get_param("report-type") or "").lower()
                self.dsn = self.dsn or report == "delivery-status"
            payload = part.get_payload()
            children = [c for c in payload if isinstance(c, Message)] if isinstance(
                payload, list) else []
            if ctype == "multipart/alternative":
                self._alternative(children, depth)
                return
            if ctype == "message/rfc822" or (ctype.startswith("message/") and children):
                self._forward(children, depth)
                return
            for child in children:
                if isinstance(child, Message):
                    self.walk(child, depth + 1)
            return
        if ctype in ("application/ms-tnef", "application/vnd.ms-tnef") or (
                (part.get_filename() or "").lower() == "winmail.dat"):
            self.tnef = True
            self.attachments += 1
            return
        if ctype.startswith("text/") and not _is_attachment(part):
            if ctype == "text/html":
                self._add(self.html, part)
            elif ctype in ("text/plain", "text/enriched", "text/rfc822-headers") and (
                    ctype == "text/plain" or top):
                if ctype != "text/rfc822-headers":
                    self._add(self.plain, part)
            return
        self.attachments += 1

    def _alternative(self, children: list[Message], depth: int) -> None:
        plain = [c for c in children if isinstance(c, Message)
                 and c.get_content_type() == "text/plain"]
        if plain:
            text = _decoded(plain[0], self.problems)
            if text.strip():
                self._keep(self.plain, text)
                return
        for child in children:  # html, or a nested multipart/related
            if isinstance(child, Message) and child.get_content_type() != "text/plain":
                self.walk(child, depth + 1)
                return

    def _forward(self, children: list[Message], depth: int) -> None:
        for inner in children:
            if not isinstance(inner, Message):
                continue
            if len(self.forwarded) >= MAX_FORWARDED:
                return
            sub = _Walker(self.problems)
            sub.parts = self.parts
            sub.walk(inner, depth + 1, top=True)
            self.parts = sub.parts
            headers = _Headers(inner)
            sender = _addresses(headers.raw("from"), [], "From")
            self.forwarded.append(Forwarded(
                from_=sender[0] if sender else None, subject=headers.text("subject") or "",
                date=_date(headers), text=sub.text()[:MAX_TEXT_CHARS]))
            self.attachments += 1

    def _delivery_status(self, part: Message) -> None:
        self.dsn = True
        payload = part.get_payload()
        blocks: list[Message] = [b for b in payload if isinstance(b, Message)] if isinstance(
            payload, list) else []
        if not blocks and isinstance(payload, str):  # unparsed: read the fields ourselves
            text = payload
            blocks = [_PARSER.parsebytes(chunk.encode("utf-8", "surrogateescape"))
                      for chunk in re.split(r"\n\s*\n", text)[:MAX_ADDRESSES] if chunk.strip()]
        for block in blocks[:MAX_ADDRESSES]:
            raw = {str(k).lower(): header_text(str(v)) for k, v in block.raw_items()}
            recipient = raw.get("final-recipient") or raw.get("original-recipient")
            if not recipient:
                continue
            email = normalise_address(recipient.split(";", 1)[-1])
            if email is None:
                continue
            action = (raw.get("action") or "").lower() or None
            status = raw.get("status")
            found = _STATUS.search(status or "")
            status = found.group(0) if found else None
            if action in ("delivered", "relayed", "expanded"):
                continue
            self.failed.append(FailedRecipient(email, status, action,
                                               (raw.get("diagnostic-code") or "")[:500] or None))

    def _add(self, into: list[str], part: Message) -> None:
        self._keep(into, _decoded(part, self.problems))

    def _keep(self, into: list[str], text: str) -> None:
        room = MAX_TEXT_CHARS - self.chars
        if room <= 0:
            return
        text = text[:room]
        self.chars += len(text)
        into.append(text)


def _decoded(part: Message, problems: list[str]) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        problems.append("a text part could not be decoded")
        return ""
    if not isinstance(payload, bytes):
        return ""
    charset = None
    try:
        charset = part.get_param("charset")
    except Exception:
        pass
    text = decode_bytes(payload, str(charset) if isinstance(charset, str) else None)
    return _tidy(text)


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if text.startswith("\ufeff"):
        text = text[1:]
    return "".join(ch if ch >= " " or ch in "\n\t" else " " for ch in text) if any(
        ch < " " and ch not in "\n\t" for ch in text) else text


def _looks_like_bounce(from_: Address | None, subject: str, text: str,
                       return_path_empty: bool) -> bool:
    by_sender = from_ is not None and _BOUNCE_FROM.match(from_.email) is not None
    by_subject = _BOUNCE_SUBJECT.match(subject) is not None
    if by_sender and (by_subject or return_path_empty):
        return True
    return (by_sender or by_subject) and _BOUNCE_BODY.search(text[:20_000]) is not None


def _failed_from_text(text: str, from_: Address | None) -> list[FailedRecipient]:
    """Failed recipients of a bounce without a DSN part: addresses above the copy of the
    original message, next to a status code where there is one."""
    head = text[:20_000]
    marker = _ORIGINAL_MARKER.search(head)
    if marker:
        head = head[:marker.start()]
    found: list[FailedRecipient] = []
    seen = {from_.email} if from_ else set()
    for match in _ADDRESS_IN_TEXT.finditer(head):
        email = normalise_address(match.group(0))
        if email is None or email in seen or _BOUNCE_FROM.match(email):
            continue
        seen.add(email)
        window = head[match.end():match.end() + 300]
        status = _STATUS.search(window)
        found.append(FailedRecipient(email, status.group(0) if status else None, "failed"))
        if len(found) >= 50:
            break
    return found


def is_no_reply_address(email: str) -> bool:
    """no-reply@, notifications@, bounces+…@ and the like: nobody reads them."""
    return _NO_REPLY.match(email) is not None
