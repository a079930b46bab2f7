"""Webhooks: subscriptions, signed deliveries with retries, and a Slack-compatible target.

* **Signature** — the Standard Webhooks scheme: ``webhook-id`` (the event's id, the same on
  every retry: receivers de-duplicate by it), ``webhook-timestamp`` (this attempt, Unix
  seconds) and ``webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`` — computed
  by the ``standardwebhooks`` package, the specification's own reference library.
* **Secrets** — a webhook's secret (``whsec_`` + base64 of 32 random bytes) is generated and
  shown once, then kept sealed with the workspace key; or it is read from an environment
  variable named when the webhook is added (``--secret-env``), and never stored. Signing needs
  the secret itself, so a hash, as for feed tokens, cannot do (`reach.secrets`). A Slack
  incoming-webhook URL *is* its secret: it is sealed (or read from the env var) the same way,
  and shown redacted.
* **Deliveries** — each event is queued once per subscribed webhook (``webhook_deliveries``,
  with the exact body); `deliver` makes one attempt, `record_outcome` keeps what came of it.
  2xx is delivered; 410 Gone disables the webhook; anything else (3xx included: redirects are
  not followed; timeouts; refused connections) is retried on the back-off of `BACKOFF` — the
  specification's example schedule, from 5 s to 24 h, about three days in all, with ±10 %
  jitter — or later when the receiver sends ``Retry-After``. After the last attempt the
  delivery is marked failed.
* **Where requests may go** — http and https only, no user name or password in the URL; the
  host is resolved once and the connection made to that very address (no DNS re-binding);
  link-local (cloud metadata), multicast and unspecified addresses are always refused; with
  ``TargetPolicy(refuse_private=True)`` — the setting for team mode — private and loopback
  addresses too (``allow_loopback`` keeps loopback for tests and for a receiver on the same
  machine). Each request times out after ``TargetPolicy.timeout`` (15 s, as the specification
  recommends).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import http.client
import ipaddress
import json
import secrets as _random
import socket
import ssl
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from notnow import __version__
from notnow.errors import InvalidInput, NotFound, NotnowError
from notnow.reach.events import EVENT_TYPES, Event, apply_opt_out, slack_message, webhook_test
from notnow.reach.secrets import SecretBox, check_env_name, read_env
from notnow.storage.engine import Database
from notnow.storage.tables import Contact, Webhook, WebhookDelivery

BACKOFF: tuple[timedelta, ...] = (
    timedelta(0), timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30),
    timedelta(hours=2), timedelta(hours=5), timedelta(hours=10), timedelta(hours=14),
    timedelta(hours=20), timedelta(hours=24))
"""How long after a failed attempt the next one is made: attempt n (0-based) waits BACKOFF[n]."""
MAX_ATTEMPTS = len(BACKOFF)
KINDS = ("standard", "slack")
USER_AGENT = f"notnow-webhooks/{__version__}"
SECRET_PREFIX = "whsec_"


class TargetRefused(InvalidInput):
    """The webhook's address is one notnow will not send to."""

    code = "target_refused"


@dataclass(frozen=True)
class TargetPolicy:
    """Where deliveries may go, and how long one may take."""

    refuse_private: bool = False
    allow_loopback: bool = True
    timeout: float = 15.0


@dataclass(frozen=True)
class WebhookInfo:
    id: int
    url: str  # shown as stored: a Slack URL redacted
    kind: str
    events: list[str]
    secret: str  # where the secret is: "sealed" or "env:NAME"
    active: bool
    disabled_reason: str | None
    created_by: int | None
    created_at: datetime
    owner_id: int | None = None  # None: the workspace's; else one person's own target

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "url": self.url, "kind": self.kind, "events": self.events,
                "secret": self.secret, "active": self.active,
                "disabled_reason": self.disabled_reason, "created_by": self.created_by,
                "created_at": self.created_at.isoformat(), "owner_id": self.owner_id}


@dataclass(frozen=True)
class NewWebhook:
    webhook: WebhookInfo
    secret: str | None  # the generated signing secret: shown once, never again


@dataclass(frozen=True)
class Delivery:
    """One attempt's worth: where, what, and with which secret."""

    id: int
    webhook_id: int
    url: str
    kind: str
    event_id: str
    event_type: str
    body: str
    attempt: int  # attempts already made
    secret: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    status_code: int | None = None
    error: str | None = None
    retry_at: datetime | None = None  # None: delivered, or no more attempts
    disable: str | None = None  # a reason to switch the webhook off (410 Gone)


# --- checks -----------------------------------------------------------------------------------


def parse_events(spec: str | Sequence[str]) -> list[str]:
    """``"rejection.logged,followup.due"`` → a checked, de-duplicated list."""
    names = spec.split(",") if isinstance(spec, str) else list(spec)
    out: list[str] = []
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        if name not in EVENT_TYPES:
            raise InvalidInput(f"unknown event {name!r}; the events are: "
                               f"{', '.join(EVENT_TYPES)}", field="events")
        if name not in out:
            out.append(name)
    if not out:
        raise InvalidInput("name at least one event", field="events")
    return out


def check_url(url: str) -> str:
    """A webhook URL's form: http(s), a host, no credentials, no spaces."""
    if len(url) > 2000 or any(c.isspace() for c in url):
        raise InvalidInput("a webhook URL has no spaces and at most 2,000 characters",
                           field="url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise TargetRefused(f"only http:// and https:// URLs can receive webhooks, not "
                            f"{parts.scheme or 'this'}:", field="url")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("put no user name or password in a webhook URL: the signature "
                            "proves who is sending", field="url")
    try:
        parts.port  # noqa: B018 — raises on a bad port
    except ValueError:
        raise InvalidInput("the URL's port is not a number from 1 to 65535", field="url") from None
    if not parts.hostname:
        raise InvalidInput("the URL has no host", field="url")
    return url


def vet_address(ip: str, policy: TargetPolicy) -> None:
    """Refuse an address a webhook must not reach (see the module's docstring)."""
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    if addr.is_link_local or addr.is_multicast or addr.is_unspecified:
        raise TargetRefused(f"{ip} is a link-local, multicast or unspecified address: "
                            "webhooks are never sent there", field="url")
    if addr.is_loopback:
        if policy.refuse_private and not policy.allow_loopback:
            raise TargetRefused(f"{ip} is on this machine, and this workspace refuses "
                                "private addresses", field="url")
        return
    if policy.refuse_private and (addr.is_private or addr.is_reserved):
        raise TargetRefused(f"{ip} is a private address, and this workspace refuses private "
                            "addresses (team mode)", field="url")


def resolve(host: str, port: int, policy: TargetPolicy) -> str:
    """The one address the request goes to, vetted."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise NotFound(f"cannot find the host {host}: {exc.strerror}", field="url") from None
    ips = [str(info[4][0]) for info in infos]
    for ip in ips:  # one bad answer refuses the host: no picking a good one among them
        vet_address(ip, policy)
    return ips[0]


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(_random.token_bytes(32)).decode()


def check_secret(secret: str, *, where: str) -> str:
    raw = secret.removeprefix(SECRET_PREFIX)
    try:
        size = len(base64.b64decode(raw + "==", validate=False))
    except (binascii.Error, ValueError):
        size = 0
    if not secret.startswith(SECRET_PREFIX) or not 24 <= size <= 64:
        raise InvalidInput(f"the secret in {where} is not a Standard Webhooks secret: it must "
                           "be whsec_ followed by the base64 of 24 to 64 random bytes",
                           field="secret")
    return secret


def sign(secret: str, event_id: str, timestamp: int, body: str) -> str:
    """``v1,<base64 HMAC-SHA256>`` of ``id.timestamp.body`` (Standard Webhooks)."""
    from standardwebhooks.webhooks import Webhook as Signer

    return Signer(secret).sign(event_id, datetime.fromtimestamp(timestamp, UTC), body)


def _redact(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/…"


# --- subscriptions ----------------------------------------------------------------------------


def _info(row: Webhook) -> WebhookInfo:
    source = f"env:{row.secret_env}" if row.secret_env else "sealed"
    return WebhookInfo(row.id, row.url, row.kind, list(row.events), source, row.active,
                       row.disabled_reason, row.created_by, row.created_at, row.owner_id)


def add_webhook(db: Database, url: str, events: str | Sequence[str], *, created_by: int | None,
                now: datetime, box: SecretBox | None = None, secret_env: str | None = None,
                kind: str = "standard", owner_id: int | None = None) -> NewWebhook:
    """Subscribe ``url`` to ``events``. The signing secret (or, for Slack, the URL) is read
    from ``secret_env`` when given; else a secret is made, sealed with ``box``, and returned
    once."""
    if kind not in KINDS:
        raise InvalidInput(f"a webhook is {' or '.join(KINDS)}, not {kind!r}", field="kind")
    check_url(url)
    wanted = parse_events(events)
    if secret_env is not None:
        check_env_name(secret_env, field="secret_env")
    elif box is None:
        raise InvalidInput("no workspace key to seal the secret with: pass --secret-env",
                           field="secret_env")
    shown: str | None = None
    sealed: str | None = None
    stored_url = url
    if kind == "slack":
        stored_url = _redact(url)
        if secret_env is None and box is not None:
            sealed = box.seal(url)
    elif secret_env is None and box is not None:
        shown = new_secret()
        sealed = box.seal(shown)
    with db.write() as s:
        row = Webhook(url=stored_url, kind=kind, events=wanted, secret_env=secret_env,
                      secret_sealed=sealed, active=True, created_by=created_by, created_at=now,
                      owner_id=owner_id)
        s.add(row)
        s.flush()
        return NewWebhook(_info(row), shown)


def list_webhooks(db: Database) -> list[WebhookInfo]:
    with db.read() as s:
        return [_info(r) for r in s.scalars(select(Webhook).order_by(Webhook.id))]


def remove_webhook(db: Database, webhook_id: int) -> WebhookInfo:
    """Remove a webhook and its delivery log."""
    with db.write() as s:
        row = s.get(Webhook, webhook_id)
        if row is None:
            raise NotFound(f"no webhook with id {webhook_id}", field="id")
        info = _info(row)
        s.query(WebhookDelivery).filter(WebhookDelivery.webhook_id == webhook_id).delete()
        s.delete(row)
        return info


# --- queueing ---------------------------------------------------------------------------------


def _body_for(kind: str, event: Event) -> str:
    if kind == "slack":
        return json.dumps(slack_message(event), separators=(",", ":"), ensure_ascii=False)
    return event.body()


def enqueue(db: Database, event: Event, now: datetime, *,
            only_webhook: int | None = None) -> list[int]:
    """Queue ``event`` in a transaction of its own (see `queue_event`)."""
    with db.write() as s:
        return queue_event(s, event, now, only_webhook=only_webhook)


def queue_event(s: Session, event: Event, now: datetime, *,
                only_webhook: int | None = None,
                allow: Callable[[Webhook], bool] | None = None) -> list[int]:
    """Queue ``event`` for every active webhook subscribed to it (or for one webhook, whatever
    it subscribes to: the test button), in the caller's transaction — so that a use case and
    the events it causes are committed together (an outbox). ``allow`` narrows the webhooks
    further (the services: a person's own target gets only what that person may read).
    Returns the deliveries' ids; none when the opt-out rule stops the event."""
    if event.type not in EVENT_TYPES:
        raise InvalidInput(f"unknown event {event.type!r}", field="type")
    opted: bool | None = None
    if event.contact is not None:
        dnc = s.scalar(select(Contact.dnc_at).where(Contact.id == event.contact.id))
        opted = dnc is not None or event.contact.do_not_contact
    allowed = apply_opt_out(event, opted_out=opted)
    if allowed is None:
        return []
    q = select(Webhook).where(Webhook.active.is_(True))
    if only_webhook is not None:
        q = select(Webhook).where(Webhook.id == only_webhook)
    hooks = [h for h in s.scalars(q) if only_webhook is not None or event.type in h.events]
    if allow is not None:
        hooks = [h for h in hooks if allow(h)]
    if only_webhook is not None and not hooks:
        raise NotFound(f"no webhook with id {only_webhook}", field="id")
    queued = set(s.scalars(select(WebhookDelivery.webhook_id)
                           .where(WebhookDelivery.event_id == allowed.id)))
    hooks = [h for h in hooks if h.id not in queued]  # the same event twice: queued once
    rows = [WebhookDelivery(webhook_id=h.id, event_id=allowed.id, event_type=allowed.type,
                            contact_id=allowed.contact.id if allowed.contact else None,
                            body=_body_for(h.kind, allowed), status="pending", attempt=0,
                            next_attempt_at=now, created_at=now) for h in hooks]
    s.add_all(rows)
    s.flush()
    return [r.id for r in rows]


def due_deliveries(db: Database, now: datetime, *, limit: int = 100) -> list[int]:
    """Pending deliveries whose next attempt is due, oldest first (a look, not a claim)."""
    with db.read() as s:
        return list(s.scalars(
            select(WebhookDelivery.id)
            .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)))


def claim_due(db: Database, now: datetime, *, limit: int = 50,
              lease: timedelta = timedelta(minutes=15)) -> list[int]:
    """Take up to ``limit`` due deliveries for this process: their next attempt is moved
    ``lease`` ahead, so another worker does not take them meanwhile (on PostgreSQL rows another
    worker is claiming are skipped, not waited for); if this process dies, they come due again
    when the lease ends."""
    with db.write() as s:
        q = (select(WebhookDelivery.id)
             .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
             .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit))
        if not db.is_sqlite:  # SQLite's BEGIN IMMEDIATE already makes claims one at a time
            q = q.with_for_update(skip_locked=True)
        ids = list(s.scalars(q))
        if ids:
            s.execute(update(WebhookDelivery).where(WebhookDelivery.id.in_(ids))
                      .values(next_attempt_at=now + lease))
        return ids


@dataclass(frozen=True)
class Prepared:
    """A batch made ready: what to attempt, and what is settled without an attempt."""

    deliveries: list[Delivery]
    settled: dict[int, Outcome]  # e.g. a secret that cannot be read: a failed attempt
    skipped: int  # suppressed (opt-out) or cancelled (webhook off): marked, not attempted


def prepare(db: Database, ids: Sequence[int], *, box: SecretBox | None,
            environ: Mapping[str, str], now: datetime) -> Prepared:
    """Load deliveries to attempt, in one transaction. Not attempted: one no longer pending,
    one whose webhook is switched off (marked ``cancelled``), one whose contact opted out since
    it was queued (marked ``suppressed``: only ``contact.opted_out`` may name them)."""
    deliveries: list[Delivery] = []
    settled: dict[int, Outcome] = {}
    skipped = 0
    with db.write() as s:
        rows = list(s.scalars(select(WebhookDelivery).where(WebhookDelivery.id.in_(ids))
                              .order_by(WebhookDelivery.id)))
        hooks = {h.id: h for h in s.scalars(select(Webhook).where(
            Webhook.id.in_({r.webhook_id for r in rows})))}
        contact_ids = {r.contact_id for r in rows if r.contact_id is not None
                       and r.event_type != "contact.opted_out"}
        opted = set(s.scalars(select(Contact.id).where(
            Contact.id.in_(contact_ids), Contact.dnc_at.is_not(None)))) if contact_ids else set()
        secrets: dict[int, tuple[str, str | None] | NotnowError] = {}
        for row in rows:
            if row.status != "pending":
                continue
            hook = hooks.get(row.webhook_id)
            if hook is None or not hook.active:
                row.status, row.next_attempt_at = "cancelled", None
                row.last_error = "the webhook was switched off"
                skipped += 1
                continue
            if row.contact_id in opted and row.event_type != "contact.opted_out":
                row.status, row.next_attempt_at = "suppressed", None
                row.last_error = "the contact opted out: only contact.opted_out may name them"
                skipped += 1
                continue
            if hook.id not in secrets:
                try:
                    secrets[hook.id] = _target(hook, box, environ)
                except NotnowError as exc:
                    secrets[hook.id] = exc
            target = secrets[hook.id]
            if isinstance(target, NotnowError):
                settled[row.id] = Outcome(False, error=target.message, retry_at=next_attempt_at(
                    row.attempt + 1, now, row.event_id))
                continue
            deliveries.append(Delivery(row.id, hook.id, target[0], hook.kind, row.event_id,
                                       row.event_type, row.body, row.attempt, target[1]))
    return Prepared(deliveries, settled, skipped)


def _target(hook: Webhook, box: SecretBox | None,
            environ: Mapping[str, str]) -> tuple[str, str | None]:
    """Where to send and with which secret: (url, secret)."""
    if hook.kind == "slack":
        url = (read_env(hook.secret_env, environ, what="the Slack webhook URL")
               if hook.secret_env else _open(box, hook.secret_sealed))
        return check_url(url), None
    secret = check_secret(
        read_env(hook.secret_env, environ, what="the webhook's signing secret")
        if hook.secret_env else _open(box, hook.secret_sealed),
        where=f"env var {hook.secret_env}" if hook.secret_env else "the database")
    return hook.url, secret


def load_delivery(db: Database, delivery_id: int, *, box: SecretBox | None,
                  environ: Mapping[str, str], now: datetime | None = None) -> Delivery | None:
    """One delivery ready to attempt, or None (see `prepare`); a secret that cannot be read
    raises."""
    ready = prepare(db, [delivery_id], box=box, environ=environ,
                    now=now or datetime.now(UTC))
    if ready.settled:
        raise InvalidInput(ready.settled[delivery_id].error or "cannot send", field="secret")
    return ready.deliveries[0] if ready.deliveries else None


def _open(box: SecretBox | None, sealed: str | None) -> str:
    if box is None or sealed is None:
        raise NotFound("no workspace key to open the webhook's secret with", field="secret")
    return box.open(sealed)


# --- sending ----------------------------------------------------------------------------------


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a vetted IP address, with the certificate checked for the URL's host name."""

    def __init__(self, ip: str, port: int, server_hostname: str, timeout: float,
                 context: ssl.SSLContext) -> None:
        super().__init__(ip, port, timeout=timeout, context=context)
        self._server_hostname = server_hostname
        self._tls = context

    def connect(self) -> None:
        sock = socket.create_connection((self.host, self.port), self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self._server_hostname)


class HttpSender:
    """POSTs over kept-alive connections, one per (scheme, address, port, host). Not
    thread-safe: use one per thread."""

    def __init__(self, policy: TargetPolicy | None = None) -> None:
        self.policy = policy or TargetPolicy()
        self._pool: dict[tuple[str, str, int, str], http.client.HTTPConnection] = {}
        self._tls = ssl.create_default_context()

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> tuple[int, dict[str,
                                                                                       str]]:
        parts = urlsplit(check_url(url))
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        ip = resolve(host, port, self.policy)
        key = (parts.scheme, ip, port, host)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = dict(headers)
        sent["Host"] = parts.netloc
        sent["Content-Length"] = str(len(body))
        for reuse in (True, False):
            conn = self._pool.get(key) if reuse else None
            fresh = conn is None
            if conn is None:
                conn = (_PinnedHTTPS(ip, port, host, self.policy.timeout, self._tls)
                        if parts.scheme == "https"
                        else http.client.HTTPConnection(ip, port, timeout=self.policy.timeout))
                self._pool[key] = conn
            try:
                conn.request("POST", target, body=body, headers=sent)
                answer = conn.getresponse()
                answer.read(64 * 1024)
                status, got = answer.status, {k.lower(): v for k, v in answer.getheaders()}
                if answer.will_close or not answer.isclosed():
                    self._drop(key)
                return status, got
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self._drop(key)
                if fresh:  # a new connection failed: that is the answer
                    raise
            except BaseException:
                self._drop(key)
                raise
        raise ConnectionError("the connection was closed twice")  # pragma: no cover

    def _drop(self, key: tuple[str, str, int, str]) -> None:
        conn = self._pool.pop(key, None)
        if conn is not None:
            conn.close()

    def close(self) -> None:
        for key in list(self._pool):
            self._drop(key)

    def __enter__(self) -> HttpSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def retry_after(value: str | None, now: datetime) -> timedelta | None:
    """A ``Retry-After`` header (seconds or an HTTP date) as a wait, at most a day."""
    if not value:
        return None
    try:
        wait = timedelta(seconds=int(value.strip()))
    except ValueError:
        try:
            wait = parsedate_to_datetime(value) - now
        except (TypeError, ValueError):
            return None
    return min(max(wait, timedelta(0)), timedelta(days=1))


def next_attempt_at(attempts_made: int, now: datetime, event_id: str,
                    wait_at_least: timedelta | None = None) -> datetime | None:
    """When to try again after ``attempts_made`` attempts failed; None when that was the last.
    The jitter (±10 %) is derived from the event id, so it is the same on every run."""
    if attempts_made >= MAX_ATTEMPTS:
        return None
    wait = BACKOFF[attempts_made]
    spread = int.from_bytes(hashlib.blake2b(f"{event_id}:{attempts_made}".encode(),
                                            digest_size=2).digest(), "big") / 65535
    wait = wait * (0.9 + 0.2 * spread)
    if wait_at_least is not None:
        wait = max(wait, wait_at_least)
    return now + wait


def deliver(delivery: Delivery, *, now: datetime, sender: HttpSender) -> Outcome:
    """Make one attempt. Never raises for what the receiver or the network does: it all ends
    in the outcome, with the time of the next attempt when there is one."""
    body = delivery.body.encode()
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    if delivery.kind == "standard":
        if delivery.secret is None:
            raise InvalidInput("a standard webhook needs its secret to sign", field="secret")
        stamp = int(now.timestamp())
        headers.update({"webhook-id": delivery.event_id, "webhook-timestamp": str(stamp),
                        "webhook-signature": sign(delivery.secret, delivery.event_id, stamp,
                                                  delivery.body)})
    made = delivery.attempt + 1
    try:
        status, answer = sender.post(delivery.url, body, headers)
    except TargetRefused as exc:
        return Outcome(False, error=exc.message, disable=exc.message)
    except NotnowError as exc:
        return Outcome(False, error=exc.message,
                       retry_at=next_attempt_at(made, now, delivery.event_id))
    except TimeoutError:
        return Outcome(False, error=f"no answer within {sender.policy.timeout:g} s",
                       retry_at=next_attempt_at(made, now, delivery.event_id))
    except (OSError, http.client.HTTPException) as exc:
        what = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return Outcome(False, error=f"cannot reach the receiver: {what or type(exc).__name__}",
                       retry_at=next_attempt_at(made, now, delivery.event_id))
    if 200 <= status < 300:
        return Outcome(True, status)
    if status == 410:
        return Outcome(False, status, "the receiver answered 410 Gone: webhook switched off",
                       disable="the receiver answered 410 Gone")
    note = " (redirects are not followed: update the URL)" if 300 <= status < 400 else ""
    return Outcome(False, status, f"the receiver answered {status}{note}",
                   next_attempt_at(made, now, delivery.event_id,
                                   retry_after(answer.get("retry-after"), now)))


def record_outcomes(db: Database, outcomes: Mapping[int, Outcome], now: datetime) -> None:
    """Keep what came of the attempts, in one transaction (and switch off a webhook that
    answered 410 or whose address is refused)."""
    if not outcomes:
        return
    rows = []
    for delivery_id, outcome in outcomes.items():
        status = ("delivered" if outcome.delivered
                  else "pending" if outcome.retry_at is not None else "failed")
        rows.append({"d": delivery_id, "st": status, "code": outcome.status_code,
                     "next": outcome.retry_at, "err": outcome.error,
                     "done": now if outcome.delivered else None})
    with db.write() as s:
        s.connection().execute(
            update(WebhookDelivery).where(WebhookDelivery.id == bindparam("d"))
            .values(attempt=WebhookDelivery.attempt + 1, status=bindparam("st"),
                    status_code=bindparam("code"), next_attempt_at=bindparam("next"),
                    last_error=bindparam("err"), delivered_at=bindparam("done")), rows)
        off = {i: o.disable for i, o in outcomes.items() if o.disable}
        if off:
            for delivery_id, reason in off.items():
                hook = s.scalar(select(WebhookDelivery.webhook_id)
                                .where(WebhookDelivery.id == delivery_id))
                s.execute(update(Webhook).where(Webhook.id == hook)
                          .values(active=False, disabled_reason=reason))


def record_outcome(db: Database, delivery_id: int, outcome: Outcome, now: datetime) -> None:
    """Keep what came of one attempt."""
    record_outcomes(db, {delivery_id: outcome}, now)


@dataclass(frozen=True)
class SendReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0

    def __add__(self, other: SendReport) -> SendReport:
        return SendReport(self.delivered + other.delivered, self.retrying + other.retrying,
                          self.failed + other.failed, self.skipped + other.skipped)


def send_batch(db: Database, ids: Sequence[int], *, now: datetime, sender: HttpSender,
               box: SecretBox | None, environ: Mapping[str, str]) -> tuple[SendReport,
                                                                           dict[int, Outcome]]:
    """Prepare, attempt and record a batch of deliveries: two short transactions around the
    requests. What the worker's job runs."""
    ready = prepare(db, ids, box=box, environ=environ, now=now)
    outcomes = dict(ready.settled)
    for delivery in ready.deliveries:
        outcomes[delivery.id] = deliver(delivery, now=now, sender=sender)
    record_outcomes(db, outcomes, now)
    delivered = sum(1 for o in outcomes.values() if o.delivered)
    retrying = sum(1 for o in outcomes.values() if not o.delivered and o.retry_at)
    report = SendReport(delivered, retrying, len(outcomes) - delivered - retrying,
                        ready.skipped)
    return report, outcomes


def send_one(db: Database, delivery_id: int, *, now: datetime, sender: HttpSender,
             box: SecretBox | None, environ: Mapping[str, str]) -> Outcome | None:
    """One delivery (the test button, a retry by hand). None when there was nothing to send.
    A secret that cannot be read counts as a failed attempt, retried later: the operator may
    set the variable meanwhile."""
    _, outcomes = send_batch(db, [delivery_id], now=now, sender=sender, box=box,
                             environ=environ)
    return outcomes.get(delivery_id)


def send_due(db: Database, *, now: datetime, sender: HttpSender, box: SecretBox | None,
             environ: Mapping[str, str], limit: int = 1000, batch: int = 50) -> SendReport:
    """Claim and attempt every delivery due now, ``batch`` at a time, up to ``limit``."""
    report = SendReport()
    while limit > 0:
        ids = claim_due(db, now, limit=min(batch, limit),
                        lease=timedelta(seconds=sender.policy.timeout * batch + 60))
        if not ids:
            break
        limit -= len(ids)
        done, _ = send_batch(db, ids, now=now, sender=sender, box=box, environ=environ)
        report = report + done
    return report


def send_test(db: Database, webhook_id: int, *, now: datetime, sender: HttpSender,
              box: SecretBox | None, environ: Mapping[str, str]) -> Outcome:
    """The test button: a ``webhook.test`` event to one webhook, sent now, kept in its log."""
    ids = enqueue(db, webhook_test(now), now, only_webhook=webhook_id)
    outcome = send_one(db, ids[0], now=now, sender=sender, box=box, environ=environ)
    return outcome or Outcome(False, error="the webhook is switched off")


def delivery_log(db: Database, webhook_id: int, *, limit: int = 50) -> list[dict[str, Any]]:
    """The latest deliveries of one webhook, newest first (no bodies: they may name people)."""
    with db.read() as s:
        rows = s.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id)
                         .order_by(WebhookDelivery.id.desc()).limit(limit))
        return [{"id": r.id, "event_id": r.event_id, "event_type": r.event_type,
                 "status": r.status, "attempt": r.attempt, "status_code": r.status_code,
                 "next_attempt_at": r.next_attempt_at, "delivered_at": r.delivered_at,
                 "last_error": r.last_error} for r in rows]
