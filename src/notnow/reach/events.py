"""The events notnow tells other tools about, their JSON payloads, and the opt-out rule.

Payloads follow the Standard Webhooks shape — ``{"type", "timestamp", "data"}`` — and are thin:
ids, names and the facts a receiving tool acts on; never a journal, feelings or the prospect's
own words.

**An opted-out contact's details go out only as ``contact.opted_out``** (`apply_opt_out`): an
event about that contact (a rejection logged, a follow-up due) is not sent at all, and an event
about their account (a deal won) goes out without them. The rule is applied when an event is
queued and again just before each attempt, so an opt-out between the two also stops it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

EVENT_TYPES: dict[str, str] = {
    "rejection.logged": "A rejection was logged: label, stage, channel and check-back date.",
    "followup.due": "A follow-up is due today: who, how, and why now.",
    "contact.opted_out": "A contact opted out: never contact them again, in any tool.",
    "deal.won_after_no": "A deal was won with an account that had said no before.",
    "webhook.test": "A test event, sent by `notnow webhook test` or the settings page.",
}
"""The catalogue: every event type a webhook can subscribe to, with what it means."""

CONTACT_EVENTS = frozenset({"rejection.logged", "followup.due"})
"""Events about one contact: not sent at all when that contact opted out."""


@dataclass(frozen=True, slots=True)
class ContactRef:
    id: int
    name: str
    email: str | None = None
    role: str | None = None
    do_not_contact: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "email": self.email, "role": self.role}


@dataclass(frozen=True, slots=True)
class AccountRef:
    id: int
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened. ``id`` becomes the ``webhook-id`` of every delivery of it."""

    type: str
    occurred_at: datetime
    data: dict[str, Any]
    contact: ContactRef | None = None
    id: str = field(default_factory=lambda: new_event_id())
    owner_id: int | None = None
    """Whose record the event is about (never sent): a person's own target gets only events
    about records that person may read."""

    def envelope(self) -> dict[str, Any]:
        data = dict(self.data)
        if self.contact is not None:
            data["contact"] = self.contact.to_dict()
        return {"type": self.type, "timestamp": _iso(self.occurred_at), "data": data}

    def body(self) -> str:
        """The exact bytes to send and sign: compact JSON, UTF-8."""
        return json.dumps(self.envelope(), separators=(",", ":"), ensure_ascii=False,
                          default=_json)


def new_event_id() -> str:
    return "msg_" + uuid.uuid4().hex


def _iso(instant: datetime) -> str:
    return instant.isoformat().replace("+00:00", "Z")


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot send {type(value).__name__} in an event")


def apply_opt_out(event: Event, *, opted_out: bool | None = None) -> Event | None:
    """The event as it may go out, or None when it must not. ``opted_out`` overrides what the
    event's contact says (the database is asked again before each attempt)."""
    if event.contact is None:
        return event
    out = event.contact.do_not_contact if opted_out is None else opted_out
    if not out or event.type == "contact.opted_out":
        return event
    if event.type in CONTACT_EVENTS:
        return None
    return replace(event, contact=None)


# --- builders ---------------------------------------------------------------------------------


def rejection_logged(*, rejection_id: int, at: datetime, label: str, stage: str | None,
                     channel: str | None, checkback: date | None, contact: ContactRef,
                     account: AccountRef, owner: str | None = None,
                     competitor: str | None = None) -> Event:
    return Event("rejection.logged", at, {
        "rejection": {"id": rejection_id, "label": label, "stage": stage, "channel": channel,
                      "checkback": checkback, "competitor": competitor},
        "account": account.to_dict(), "owner": owner}, contact)


def followup_due(*, followup_id: int, due: date, channel: str, purpose: str, why: str | None,
                 contact: ContactRef, account: AccountRef, at: datetime,
                 owner: str | None = None) -> Event:
    """Its id is derived from the follow-up and the day, so a daily job that queues the day's
    due follow-ups twice queues each once."""
    return Event("followup.due", at, {
        "followup": {"id": followup_id, "due": due, "channel": channel, "purpose": purpose,
                     "why": why},
        "account": account.to_dict(), "owner": owner}, contact,
        id=f"msg_due_{followup_id}_{due:%Y%m%d}")


def contact_opted_out(*, contact: ContactRef, account: AccountRef, since: datetime,
                      source: str) -> Event:
    """The one event that names an opted-out contact: so that other tools stop too."""
    return Event("contact.opted_out", since, {
        "account": account.to_dict(), "since": since, "source": source,
        "instruction": "do not contact this person again, by any channel"},
        replace(contact, do_not_contact=True))


def deal_won_after_no(*, deal_id: int, offer: str, value: Decimal | None, currency: str,
                      won_at: datetime, first_no_at: datetime, label_then: str,
                      account: AccountRef, contact: ContactRef | None = None,
                      owner: str | None = None) -> Event:
    return Event("deal.won_after_no", won_at, {
        "deal": {"id": deal_id, "offer": offer, "value": value, "currency": currency},
        "first_no_at": first_no_at, "label_then": label_then,
        "days_from_no_to_win": (won_at - first_no_at).days,
        "account": account.to_dict(), "owner": owner}, contact)


def webhook_test(at: datetime) -> Event:
    return Event("webhook.test", at, {"message": "notnow can reach this endpoint"})


# --- Slack-compatible incoming webhooks -------------------------------------------------------


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _headline(event: Event) -> str:
    d = event.data
    who = _slack_escape(event.contact.name) if event.contact else "someone"
    account = _slack_escape(d.get("account", {}).get("name", "")) if d.get("account") else ""
    at = f" at {account}" if account else ""
    if event.type == "rejection.logged":
        r = d["rejection"]
        back = f"; check back {_json(r['checkback'])}" if r.get("checkback") else ""
        return f"A no from {who}{at}: {r['label'].replace('_', ' ')}{back}"
    if event.type == "followup.due":
        f = d["followup"]
        return f"Due today: {f['channel'].replace('_', ' ')} {who}{at}"
    if event.type == "contact.opted_out":
        return f"{who}{at} opted out: do not contact them again"
    if event.type == "deal.won_after_no":
        days = d["days_from_no_to_win"]
        return f"Won{at} {days} days after a no ({d['label_then'].replace('_', ' ')})"
    return _slack_escape(str(d.get("message", event.type)))


def slack_message(event: Event) -> dict[str, Any]:
    """The event for a Slack (or Mattermost, Rocket.Chat…) incoming webhook: ``text`` for
    notifications, ``blocks`` for the channel."""
    headline = _headline(event)
    details: list[str] = []
    d = event.data
    if event.type == "followup.due":
        details.append(_slack_escape(d["followup"]["purpose"]))
        if d["followup"].get("why"):
            details.append("_Why:_ " + _slack_escape(d["followup"]["why"]))
    if event.type == "deal.won_after_no":
        details.append(_slack_escape(d["deal"]["offer"]))
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{headline}*"}}]
    if details:
        blocks.append({"type": "section",
                       "text": {"type": "mrkdwn", "text": "\n".join(details)}})
    blocks.append({"type": "context", "elements": [
        {"type": "mrkdwn", "text": f"notnow · {event.type}"}]})
    return {"text": headline, "blocks": blocks}
