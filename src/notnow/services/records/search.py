"""One search box: accounts, contacts and rejections matching a few words."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import false, func, or_, select

from notnow.core import limits
from notnow.core.identity import fold
from notnow.core.policy import Actor
from notnow.errors import InvalidInput
from notnow.services.capture.log import rejection_public
from notnow.services.lookup import account_clause, owned, rejection_clause
from notnow.services.records.contacts import contact_public
from notnow.services.schemas import AccountPublic, ContactPublic, RejectionPublic
from notnow.services.workspace import Workspace
from notnow.storage import words
from notnow.storage.tables import Account, Contact, Rejection

MAX_QUERY = 200


class SearchResults(BaseModel):
    query: str
    accounts: list[AccountPublic]
    contacts: list[ContactPublic]
    rejections: list[RejectionPublic]

    @property
    def empty(self) -> bool:
        return not (self.accounts or self.contacts or self.rejections)


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _matching(ws: Workspace, name: str, ids: Any, q: str,
              columns: list[Any], folded_column: Any | None) -> Any:
    """Rows of ``name`` where one of ``columns`` holds ``q`` (case aside) or the folded name
    holds it (accents aside) — from the word index (:mod:`notnow.storage.words`): SQLite's
    FTS5 table, PostgreSQL's trigram indexes under the same LIKEs. A query shorter than a
    trigram is looked for at the start of the folded name (an index range)."""
    key = fold(q)
    if len(q) < words.MIN_CHARS:
        if folded_column is None or not key:
            return false()
        return _prefix(folded_column, key)
    indexed = words.contains(ids, name, q.lower(), key, ws.db.engine.dialect.name)
    if indexed is not None:
        return indexed
    pat, folded = _like(q), _like(key)
    clauses = [func.lower(c).like(pat, escape="\\") for c in columns]
    if folded_column is not None and key:  # lower(): the expression PostgreSQL's index has
        clauses.append(func.lower(folded_column).like(folded, escape="\\"))
    return or_(*clauses)


def search(ws: Workspace, actor: Actor, query: str, *, limit: int = 20) -> SearchResults:
    """Names, domains, emails, titles, departments, and the words of rejections: where the
    words occur, mid-word included; one or two characters, at the start of names."""
    q = " ".join(query.split())
    if not q:
        raise InvalidInput("type something to search for", field="q")
    if len(q) > MAX_QUERY:
        raise InvalidInput(f"keep it under {MAX_QUERY} characters", field="q")
    limits.nul_free(q, "q")
    in_accounts = _matching(ws, "accounts", Account.id, q,
                            [Account.name, Account.domain, Account.industry], Account.name_key)
    in_contacts = _matching(ws, "contacts", Contact.id, q,
                            [Contact.name, Contact.email, Contact.title, Contact.department],
                            Contact.name_key)
    in_rejections = _matching(ws, "rejections", Rejection.id, q,
                              [Rejection.text, Rejection.competitor, Rejection.capability,
                               Rejection.label], None)

    with ws.db.read() as s:
        accounts = s.scalars(select(Account).where(in_accounts, account_clause(actor))
                             .order_by(func.lower(Account.name), Account.id).limit(limit))
        contacts = s.execute(select(Contact, Account.name).join(Account)
                             .where(in_contacts, owned(actor, Contact.owner_id))
                             .order_by(func.lower(Contact.name), Contact.id).limit(limit))
        rejections = s.execute(
            select(Rejection, Contact, Account)
            .outerjoin(Contact, Contact.id == Rejection.contact_id)
            .outerjoin(Account, Account.id == Rejection.account_id)
            .where(in_rejections, rejection_clause(actor))
            .order_by(Rejection.at.desc(), Rejection.id.desc()).limit(limit))
        return SearchResults(
            query=q,
            accounts=[AccountPublic.model_validate(a) for a in accounts],
            contacts=[contact_public(c, name) for c, name in contacts],
            rejections=[rejection_public(r, c, a, actor=actor) for r, c, a in rejections],
        )


# --- the contact picker -----------------------------------------------------------------------

PICK_LIMIT = 10
TOP = "\uffff"  # above every character a folded name holds: the end of a prefix's range


class ContactChoice(BaseModel):
    """One answer of the contact picker: enough to recognise the person and log for them."""

    id: int
    name: str
    title: str | None
    account_id: int
    account_name: str
    email: str | None
    do_not_contact: bool


def _prefix(column: Any, key: str) -> Any:
    """``column`` starts with ``key``: a range the column's index answers (SQLite and
    PostgreSQL alike), checked again with LIKE so that a collation's order cannot widen it."""
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return (column >= key) & (column < key + TOP) & column.like(f"{escaped}%", escape="\\")


def pick_contacts(ws: Workspace, actor: Actor, query: str, *, limit: int = PICK_LIMIT,
                  write: bool = True) -> list[ContactChoice]:
    """Contacts for a type-ahead: whose name (or a later word of it, e.g. the family name),
    email or account name starts with what was typed, whatever its case and accents — the
    contacts the actor may change (``write``, as logging a no needs) or read.

    The starts of names, emails and companies are ranges of indexes (``contacts.name_key``,
    ``contacts.email_key``, ``accounts.name_key``): a few milliseconds at any size. A later
    word of a name (a family name) is looked for only when those gave fewer than ``limit``,
    in the word index (:mod:`notnow.storage.words`: a space and the word are one trigram
    phrase), so words nobody has cost an index probe, not a read of every name
    (``bench/bench_pages.py``). Names first, then emails, then the people at the first
    ``limit`` matching companies, then later words.
    """
    q = " ".join(query.split())
    if len(q) > MAX_QUERY:
        raise InvalidInput(f"keep it under {MAX_QUERY} characters", field="q")
    limits.nul_free(q, "q")
    key = fold(q)
    if not key:
        return []
    limit = max(1, min(limit, 50))
    mine = owned(actor, Contact.owner_id, write=write)
    found: dict[int, ContactChoice] = {}

    def take(stmt: Any) -> None:
        for row in s.execute(stmt.limit(limit)):
            if len(found) < limit and row.id not in found:
                found[row.id] = ContactChoice(id=row.id, name=row.name, title=row.title,
                                              account_id=row.account_id,
                                              account_name=row.account_name, email=row.email,
                                              do_not_contact=row.dnc_at is not None)

    base = select(Contact.id, Contact.name, Contact.title, Contact.account_id, Contact.email,
                  Contact.dnc_at, Account.name.label("account_name")) \
        .join(Account, Account.id == Contact.account_id)
    with ws.db.read() as s:
        take(base.where(_prefix(Contact.name_key, key), mine)
             .order_by(Contact.name_key, Contact.id))
        if len(found) < limit:
            take(base.where(_prefix(Contact.email_key, key), mine)
                 .order_by(Contact.email_key, Contact.id))
        if len(found) < limit:  # the people at the first companies, by the companies' names
            firms = [i for (i,) in s.execute(
                select(Account.id).where(_prefix(Account.name_key, key), account_clause(actor))
                .order_by(Account.name_key, Account.id).limit(limit))]
            if firms:
                take(base.where(Contact.account_id.in_(firms), mine)
                     .order_by(Account.name_key, Account.id, Contact.name_key, Contact.id))
        if len(found) < limit and " " not in key and len(key) >= 2:
            escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            later = func.lower(Contact.name_key).like(f"% {escaped}%", escape="\\")
            indexed = words.contains(Contact.id, "contacts", "", " " + key,
                                     ws.db.engine.dialect.name, folded_only=True)
            take(base.where(later, mine, *([indexed] if indexed is not None else []))
                 .order_by(Contact.name_key, Contact.id))
    return list(found.values())


def _choice(c: Contact, account_name: str) -> ContactChoice:
    return ContactChoice(id=c.id, name=c.name, title=c.title, account_id=c.account_id,
                         account_name=account_name, email=c.email,
                         do_not_contact=c.dnc_at is not None)


def chosen_contact(ws: Workspace, actor: Actor, contact_id: int | None, *,
                   write: bool = True) -> ContactChoice | None:
    """The picker's answer for one id (a page opened with a contact chosen), or None when the
    actor may not change (``write``) or read that contact — as if it did not exist."""
    if contact_id is None:
        return None
    with ws.db.read() as s:
        row = s.execute(select(Contact, Account.name)
                        .join(Account, Account.id == Contact.account_id)
                        .where(Contact.id == contact_id, owned(actor, Contact.owner_id,
                                                               write=write))).first()
        return None if row is None else _choice(*row)


def chosen_account(ws: Workspace, actor: Actor, account_id: int | None, *,
                   write: bool = True) -> AccountPublic | None:
    """An account the actor may change (``write``) or read, by id; None as if missing."""
    if account_id is None:
        return None
    with ws.db.read() as s:
        acc = s.scalar(select(Account).where(Account.id == account_id,
                                             account_clause(actor, write=write)))
        return None if acc is None else AccountPublic.model_validate(acc)
