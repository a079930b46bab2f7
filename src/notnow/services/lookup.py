"""Finding a record from what a person types: an id, an email, or an unambiguous name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from notnow.errors import Ambiguous, NotFound
from notnow.storage.tables import Account, Contact, Deal, Rejection, User

T = TypeVar("T", Account, Contact)


def _pick(rows: Sequence[T], kind: str, ref: str, field: str) -> T:
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise NotFound(f"no {kind} matches {ref!r}", field=field)
    shown = []
    for r in rows[:10]:
        email = r.email if isinstance(r, Contact) else r.domain
        shown.append(f"{r.name} (id {r.id}{', ' + email if email else ''})")
    raise Ambiguous(f"{ref!r} matches {len(rows)} {kind}s; use an id or email", field=field,
                    candidates=shown)


def _by_name(session: Session, model: type[T], ref: str) -> list[T]:
    wanted = ref.strip().lower()
    exact = list(session.scalars(select(model).where(func.lower(model.name) == wanted)
                                 .order_by(model.id).limit(20)))
    if exact:
        return exact
    like = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return list(session.scalars(
        select(model).where(func.lower(model.name).like(f"%{like}%", escape="\\"))
        .order_by(model.id).limit(20)))


def resolve_account(session: Session, ref: str | int, *, field: str = "account") -> Account:
    text = str(ref).strip()
    if text.isdigit():
        acc = session.get(Account, int(text))
        if acc is None:
            raise NotFound(f"no account with id {text}", field=field)
        return acc
    if "@" in text or ("." in text and " " not in text):
        domain = text.split("@")[-1].lower()
        rows = list(session.scalars(select(Account).where(func.lower(Account.domain) == domain)))
        if rows:
            return _pick(rows, "account", text, field)
    return _pick(_by_name(session, Account, text), "account", text, field)


def resolve_contact(session: Session, ref: str | int, *, field: str = "contact",
                    account_id: int | None = None) -> Contact:
    text = str(ref).strip()
    if text.isdigit():
        contact = session.get(Contact, int(text))
        if contact is None:
            raise NotFound(f"no contact with id {text}", field=field)
        return contact
    if "@" in text:
        rows = list(session.scalars(
            select(Contact).where(func.lower(Contact.email) == text.lower())))
        return _pick(rows, "contact", text, field)
    rows = _by_name(session, Contact, text)
    if account_id is not None:
        rows = [r for r in rows if r.account_id == account_id]
    return _pick(rows, "contact", text, field)


def get_deal(session: Session, ref: str | int, *, field: str = "deal") -> Deal:
    text = str(ref).strip()
    deal = session.get(Deal, int(text)) if text.isdigit() else None
    if deal is None:
        raise NotFound(f"no deal with id {text!r}", field=field)
    return deal


def get_rejection(session: Session, ref: str | int, *, field: str = "rejection") -> Rejection:
    text = str(ref).strip()
    rej = session.get(Rejection, int(text)) if text.isdigit() else None
    if rej is None:
        raise NotFound(f"no rejection with id {text!r}", field=field)
    return rej


def resolve_user(session: Session, ref: str | int, *, field: str = "user") -> User:
    """A user from an id, an email or a name (case does not matter)."""
    text = str(ref).strip()
    if text.isdigit():
        user = session.get(User, int(text))
    else:
        user = session.scalar(select(User).where(
            (func.lower(User.email) == text.lower()) | (func.lower(User.name) == text.lower())
        ).order_by(User.id).limit(1))
    if user is None:
        raise NotFound(f"no user {text!r}", field=field)
    return user
