"""One search box: accounts, contacts and rejections matching a few words."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, or_, select

from notnow.core import limits
from notnow.core.identity import fold
from notnow.core.policy import Actor
from notnow.errors import InvalidInput
from notnow.services.capture.log import rejection_public
from notnow.services.lookup import account_clause, owned, rejection_clause
from notnow.services.records.contacts import contact_public
from notnow.services.schemas import AccountPublic, ContactPublic, RejectionPublic
from notnow.services.workspace import Workspace
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


def search(ws: Workspace, actor: Actor, query: str, *, limit: int = 20) -> SearchResults:
    """Names, domains, emails, titles, departments, and the words of rejections."""
    q = " ".join(query.split())
    if not q:
        raise InvalidInput("type something to search for", field="q")
    if len(q) > MAX_QUERY:
        raise InvalidInput(f"keep it under {MAX_QUERY} characters", field="q")
    limits.nul_free(q, "q")
    pat = _like(q)
    folded = _like(fold(q))

    def has(col: Any) -> Any:
        return func.lower(col).like(pat, escape="\\")

    with ws.db.read() as s:
        accounts = s.scalars(select(Account).where(or_(has(Account.name), has(Account.domain),
                                                       has(Account.industry),
                                                       Account.name_key.like(folded,
                                                                             escape="\\")),
                                                   account_clause(actor))
                             .order_by(func.lower(Account.name)).limit(limit))
        contacts = s.execute(select(Contact, Account.name).join(Account)
                             .where(or_(has(Contact.name), has(Contact.email),
                                        has(Contact.title), has(Contact.department),
                                        Contact.name_key.like(folded, escape="\\")),
                                    owned(actor, Contact.owner_id))
                             .order_by(func.lower(Contact.name)).limit(limit))
        rejections = s.execute(
            select(Rejection, Contact, Account)
            .outerjoin(Contact, Contact.id == Rejection.contact_id)
            .outerjoin(Account, Account.id == Rejection.account_id)
            .where(or_(has(Rejection.text), has(Rejection.competitor),
                       has(Rejection.capability), has(Rejection.label)),
                   rejection_clause(actor))
            .order_by(Rejection.at.desc()).limit(limit))
        return SearchResults(
            query=q,
            accounts=[AccountPublic.model_validate(a) for a in accounts],
            contacts=[contact_public(c, name) for c, name in contacts],
            rejections=[rejection_public(r, c, a, actor=actor) for r, c, a in rejections],
        )
