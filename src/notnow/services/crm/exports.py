"""`notnow export --for hubspot|pipedrive|salesforce|csv`: the results, back to the CRM.

For every record notnow imported from that CRM (it has the CRM's id) and the actor may read:
the reason its latest no was given (taxonomy label and the prospect's words), the next
check-back, do-not-contact, the last touch and how many; and the touches notnow recorded for
those contacts (never the ones it imported). The files themselves are written by
:func:`notnow.crm.write_files`, keyed by the CRM's ids, so importing them updates the right
records. `csv` covers every CRM's records, with their ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from notnow.core.model import Channel, Direction
from notnow.core.policy import Actor, may_read
from notnow.crm import Kind, Outcome, Source, TouchOut, WrittenFile, write_files
from notnow.errors import InvalidInput
from notnow.services.facts import OPEN as OPEN_STATUSES
from notnow.services.workspace import Workspace
from notnow.storage.tables import Account, Contact, Deal, ExternalId, FollowUp, Rejection, Touch

KINDS = {"contact": Kind.CONTACT, "deal": Kind.DEAL, "account": Kind.ACCOUNT}
MODELS: dict[str, type[Contact] | type[Deal] | type[Account]] = {
    "contact": Contact, "deal": Deal, "account": Account}


def export_results(ws: Workspace, actor: Actor, target: str, folder: Path, *,
                   overwrite: bool = False) -> list[WrittenFile]:
    """Write the files for ``target`` into ``folder``; returns what was written."""
    try:
        source = Source(target.strip().lower())
    except ValueError:
        raise InvalidInput(f"unknown CRM '{target}': say hubspot, pipedrive, salesforce or "
                           "csv", field="--for") from None
    with ws.db.read() as s:
        return write_files(source, _outcomes(s, actor, source), _touches(s, actor, source),
                           folder, overwrite=overwrite)


def _ids(s: Session, source: Source, kind: str) -> Iterator[tuple[int, str]]:
    q = select(ExternalId.entity_id, ExternalId.external_id).where(
        ExternalId.entity_kind == kind).order_by(ExternalId.id)
    if source is not Source.CSV:
        q = q.where(ExternalId.source == source.value)
    for entity_id, external_id in s.execute(q):
        yield int(entity_id), str(external_id)


def _outcomes(s: Session, actor: Actor, source: Source) -> Iterator[Outcome]:
    for kind, out_kind in KINDS.items():
        model = MODELS[kind]
        for entity_id, crm_id in list(_ids(s, source, kind)):
            row: Contact | Deal | Account | None = s.get(model, entity_id)  # type: ignore[assignment]
            if row is None or not may_read(actor, row.owner_id):
                continue
            column = {"contact": Rejection.contact_id, "deal": Rejection.deal_id,
                      "account": Rejection.account_id}[kind]
            fu_column = {"contact": FollowUp.contact_id, "deal": FollowUp.deal_id,
                         "account": FollowUp.account_id}[kind]
            latest = s.scalars(select(Rejection).where(column == entity_id)
                               .order_by(Rejection.at.desc(), Rejection.id.desc()).limit(1)
                               ).first()
            checkback: date | None = s.scalar(select(func.min(FollowUp.due)).where(
                fu_column == entity_id, FollowUp.status.in_(OPEN_STATUSES)))
            dnc, since, last, count = False, None, None, None
            if isinstance(row, Contact):
                dnc = row.dnc_at is not None
                since = row.dnc_at.date() if row.dnc_at else None
                last_at, n = s.execute(select(func.max(Touch.at), func.count(Touch.id))
                                       .where(Touch.contact_id == row.id)).one()
                last = last_at.date() if last_at is not None else None
                count = int(n)
            if latest is None and checkback is None and not dnc and not count:
                continue  # nothing notnow knows that the CRM does not
            yield Outcome(kind=out_kind, crm_id=crm_id,
                          reason=latest.label if latest is not None else None,
                          words=latest.text if latest is not None else None,
                          next_checkback=checkback, do_not_contact=dnc, dnc_since=since,
                          last_touch=last, touches=count)


def _touches(s: Session, actor: Actor, source: Source) -> Iterator[TouchOut]:
    imported = select(ExternalId.entity_id).where(ExternalId.entity_kind == "touch")
    deals = dict(s.execute(select(ExternalId.entity_id, ExternalId.external_id).where(
        ExternalId.entity_kind == "deal",
        *([] if source is Source.CSV else [ExternalId.source == source.value]))).all())
    for contact_id, crm_id in list(_ids(s, source, "contact")):
        c = s.get(Contact, contact_id)
        if c is None or not may_read(actor, c.owner_id):
            continue
        for t in s.scalars(select(Touch).where(Touch.contact_id == contact_id,
                                               Touch.id.not_in(imported)).order_by(Touch.at)):
            yield TouchOut(notnow_id=t.id, contact_crm_id=crm_id, at=t.at,
                           channel=Channel(t.channel), direction=Direction(t.direction),
                           outcome=t.outcome,
                           deal_crm_id=deals.get(t.deal_id) if t.deal_id else None)
