"""Finding a record for the acting person: by id, email or an unambiguous name, never beyond
what the policy (:mod:`notnow.core.policy`) lets them read or change.

Every service reaches records through these functions (or filters its lists with
:func:`owned`), so no interface can forget who is acting. A record the actor may not read is
reported exactly like one that does not exist. Names match whatever their case and accents
("lucia" finds "Lucía").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, false, func, or_, select, true
from sqlalchemy.orm import Session

from notnow.core.identity import fold
from notnow.core.policy import Actor, readable_owners, writable_owners
from notnow.errors import Ambiguous, InvalidInput, NotFound
from notnow.storage import words
from notnow.storage.tables import Account, Contact, Deal, FollowUp, Rejection, Touch, User

T = TypeVar("T", Account, Contact)
MAX_ID = 2**31 - 1


def owned(actor: Actor, column: Any, *, write: bool = False) -> ColumnElement[bool]:
    """A WHERE clause: rows whose owner ``column`` the actor may read (or change)."""
    owners = writable_owners(actor) if write else readable_owners(actor)
    if owners is None:
        return true()
    if not owners:
        return false()
    return column.in_(sorted(owners))  # type: ignore[no-any-return]


def visible_contacts(actor: Actor, *, write: bool = False) -> Any:
    """The ids of the contacts the actor may read (or change), as a subquery."""
    return select(Contact.id).where(owned(actor, Contact.owner_id, write=write))


def account_clause(actor: Actor, *, write: bool = False) -> ColumnElement[bool]:
    """Accounts the actor may read: their own, or where they own a contact (for changes:
    the account's owner only)."""
    own = owned(actor, Account.owner_id, write=write)
    if write or readable_owners(actor) is None:
        return own
    return or_(own, Account.id.in_(select(Contact.account_id).where(
        owned(actor, Contact.owner_id))))


def by_contact(actor: Actor, column: Any, *, write: bool = False) -> ColumnElement[bool]:
    """Rows (rejections, touches, signals) whose contact the actor may read (or change)."""
    if (writable_owners(actor) if write else readable_owners(actor)) is None:
        return true()
    return column.in_(visible_contacts(actor, write=write))  # type: ignore[no-any-return]


def rejection_clause(actor: Actor, *, write: bool = False) -> ColumnElement[bool]:
    """Rejections of contacts the actor may read; one without a contact goes by its account."""
    if (writable_owners(actor) if write else readable_owners(actor)) is None:
        return true()
    return or_(Rejection.contact_id.in_(visible_contacts(actor, write=write)),
               Rejection.contact_id.is_(None) & Rejection.account_id.in_(
                   select(Account.id).where(owned(actor, Account.owner_id, write=write))))


def record_id(ref: str | int, *, field: str, kind: str) -> int | None:
    """The id in ``ref`` when it is one (bounded: no overflow reaches the database)."""
    text = str(ref).strip()
    if not text.isdigit():
        return None
    value = int(text)
    if not 1 <= value <= MAX_ID:
        raise NotFound(f"no {kind} with id {text}", field=field)
    return value


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


def _by_name(session: Session, model: type[T], ref: str, where: ColumnElement[bool]) -> list[T]:
    """Exact (folded) name matches, else names that contain the words, for ``where`` rows."""
    wanted = fold(ref)
    if not wanted:
        return []
    exact = list(session.scalars(select(model).where(model.name_key == wanted, where)
                                 .order_by(model.id).limit(20)))
    if exact:
        return exact
    like = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    # lower(): the expression of PostgreSQL's trigram index; on SQLite, the FTS5 word index
    # (notnow.storage.words) — names that contain the words without reading every name
    inside = func.lower(model.name_key).like(f"%{like}%", escape="\\")
    indexed = words.contains(model.id, model.__tablename__, "", wanted,
                             session.get_bind().dialect.name, folded_only=True)
    return list(session.scalars(
        select(model).where(inside, where, *([indexed] if indexed is not None else []))
        .order_by(model.id).limit(20)))


def resolve_account(session: Session, actor: Actor, ref: str | int, *, field: str = "account",
                    write: bool = False) -> Account:
    text = str(ref).strip()
    where = account_clause(actor, write=write)
    rid = record_id(text, field=field, kind="account")
    if rid is not None:
        acc = session.scalar(select(Account).where(Account.id == rid, where))
        if acc is None:
            raise NotFound(f"no account with id {text}", field=field)
        return acc
    if not text:
        raise InvalidInput("name the account", field=field)
    if "@" in text or ("." in text and " " not in text):
        domain = text.split("@")[-1].lower()
        rows = list(session.scalars(select(Account).where(
            func.lower(Account.domain) == domain, where).order_by(Account.id)))
        if rows:
            return _pick(rows, "account", text, field)
    return _pick(_by_name(session, Account, text, where), "account", text, field)


def resolve_contact(session: Session, actor: Actor, ref: str | int, *, field: str = "contact",
                    account_id: int | None = None, write: bool = False) -> Contact:
    text = str(ref).strip()
    where = owned(actor, Contact.owner_id, write=write)
    rid = record_id(text, field=field, kind="contact")
    if rid is not None:
        contact = session.scalar(select(Contact).where(Contact.id == rid, where))
        if contact is None:
            raise NotFound(f"no contact with id {text}", field=field)
        return contact
    if not text:
        raise InvalidInput("name the contact", field=field)
    if account_id is not None:
        where = where & (Contact.account_id == account_id)
    if "@" in text:
        rows = list(session.scalars(select(Contact).where(
            func.lower(Contact.email) == text.lower(), where).order_by(Contact.id)))
        return _pick(rows, "contact", text, field)
    return _pick(_by_name(session, Contact, text, where), "contact", text, field)


def get_deal(session: Session, actor: Actor, ref: str | int, *, field: str = "deal",
             write: bool = False) -> Deal:
    rid = record_id(ref, field=field, kind="deal")
    deal = None if rid is None else session.scalar(
        select(Deal).where(Deal.id == rid, owned(actor, Deal.owner_id, write=write)))
    if deal is None:
        raise NotFound(f"no deal with id {str(ref).strip()!r}", field=field)
    return deal


def get_rejection(session: Session, actor: Actor, ref: str | int, *, field: str = "rejection",
                  write: bool = False) -> Rejection:
    rid = record_id(ref, field=field, kind="rejection")
    rej = None if rid is None else session.scalar(
        select(Rejection).where(Rejection.id == rid, rejection_clause(actor, write=write)))
    if rej is None:
        raise NotFound(f"no rejection with id {str(ref).strip()!r}", field=field)
    return rej


def get_touch(session: Session, actor: Actor, ref: str | int, *, field: str = "touch",
              write: bool = False) -> Touch:
    rid = record_id(ref, field=field, kind="touch")
    row = None if rid is None else session.scalar(
        select(Touch).where(Touch.id == rid, by_contact(actor, Touch.contact_id, write=write)))
    if row is None:
        raise NotFound(f"no touch with id {str(ref).strip()!r}", field=field)
    return row


def get_followup(session: Session, actor: Actor, ref: str | int, *, field: str = "id",
                 write: bool = False) -> FollowUp:
    rid = record_id(ref, field=field, kind="follow-up")
    row = None if rid is None else session.scalar(
        select(FollowUp).where(FollowUp.id == rid, owned(actor, FollowUp.owner_id, write=write)))
    if row is None:
        raise NotFound(f"no follow-up with id {str(ref).strip()}", field=field)
    return row


def resolve_user(session: Session, ref: str | int, *, field: str = "user") -> User:
    """A user from an id, an email or a name (case and accents do not matter)."""
    text = str(ref).strip()
    rid = record_id(text, field=field, kind="user")
    if rid is not None:
        user = session.get(User, rid)
    else:
        user = session.scalar(select(User).where(func.lower(User.email) == text.lower())
                              .order_by(User.id).limit(1))
        if user is None and text:
            wanted = fold(text)
            user = next((u for u in session.scalars(select(User).order_by(User.id))
                         if fold(u.name) == wanted), None)
    if user is None:
        raise NotFound(f"no user {text!r}", field=field)
    return user


def resolve_person(session: Session, ref: str | int, *, allowed: Callable[[int], bool],
                   field: str = "user") -> User:
    """A person whose work the actor may look at (``allowed(user_id)``, a policy function);
    anyone else is reported exactly like nobody, so that who is on another team is not
    revealed."""
    try:
        user: User | None = resolve_user(session, ref, field=field)
    except NotFound:
        user = None
    if user is None or not allowed(user.id):
        raise NotFound(f"no one called {str(ref).strip()!r} in your team", field=field)
    return user
