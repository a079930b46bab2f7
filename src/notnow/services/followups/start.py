"""A useful Today for someone just starting: when their agenda is empty, what they have and
what to do first — add and log, ask for records to be handed over, or look ahead to the next
follow-up planned. Read-only, for the acting person's own work."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy import func, select

from notnow.core.policy import Actor
from notnow.services.lookup import owned
from notnow.services.workspace import Workspace
from notnow.storage.tables import Account, Contact, FollowUp, Rejection

OPEN = ("due", "snoozed")


class StartHints(BaseModel):
    accounts: int
    contacts: int
    rejections: int
    planned: int
    """Open follow-ups after the day asked for."""
    next_due: date | None
    steps: list[str]
    """What to do first, each in words with the command."""


def start_hints(ws: Workspace, actor: Actor, day: date) -> StartHints:
    """What the actor has and what to do first, for an agenda with nothing due on ``day``."""
    with ws.db.read() as s:
        accounts = int(s.scalar(select(func.count()).select_from(Account).where(
            owned(actor, Account.owner_id, write=True))) or 0)
        mine = select(Contact.id).where(owned(actor, Contact.owner_id, write=True))
        contacts = int(s.scalar(select(func.count()).select_from(mine.subquery())) or 0)
        rejections = int(s.scalar(select(func.count()).select_from(Rejection).where(
            Rejection.contact_id.in_(mine))) or 0)
        planned, next_due = s.execute(
            select(func.count(), func.min(FollowUp.due)).where(
                FollowUp.owner_id == actor.id, FollowUp.status.in_(OPEN),
                FollowUp.due > day)).one()
    steps: list[str] = []
    if not accounts and not contacts:
        steps += [
            'Add the company you sell to: notnow account add "Acme Corp" --country US',
            'Add the person you talk to: notnow contact add "Dana Ruiz" --account acme '
            "--email dana@acme.com",
            "Log the last no you heard, in their words: notnow log --contact dana@acme.com "
            '--text "…" — notnow plans the comeback and brings it back here on the day.',
            "Taking over someone's accounts? An admin hands them to you: notnow reassign "
            f'--to "{actor.name}" --from THEIR-NAME',
        ]
    elif not rejections and not planned:
        steps += [
            "Log the last no each of your contacts gave you: notnow log --contact CONTACT "
            '--text "…"',
            "Or start reaching out, within the caps: notnow cadence CONTACT --schedule",
        ]
    if planned and next_due is not None:
        steps.append(f"Next: {planned} follow-up(s) planned, the first on "
                     f"{next_due.isoformat()} (notnow agenda --date {next_due.isoformat()})")
    return StartHints(accounts=accounts, contacts=contacts, rejections=rejections,
                      planned=int(planned or 0), next_due=next_due, steps=steps)
