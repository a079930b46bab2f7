"""What an account's page and a contact's page show, each read in one transaction.

A page is one use case: its parts — the record, its activity, its trail, the journal, the
references, who it may be handed to — are read by their own services inside one
:meth:`~notnow.storage.engine.Database.reading`, so the page takes one connection and one
transaction however many parts it has (six for an account; they took six before).
"""

from __future__ import annotations

from typing import Any

from notnow.core.policy import Actor, may_manage_people
from notnow.services.learning import journal
from notnow.services.learning.autopsy import closest_for_account
from notnow.services.records import accounts, activity, contacts
from notnow.services.team.audit import audit_trail
from notnow.services.team.auth import list_users
from notnow.services.workspace import Workspace

PEOPLE_SHOWN = 200
"""The most people (and deals) an account's page shows — the best ways in first — and it
says how many there are."""


def account_page(ws: Workspace, actor: Actor, account_id: int) -> dict[str, Any]:
    """The account with the first :data:`PEOPLE_SHOWN` contacts and deals the actor may see
    and how many there are (:func:`accounts.show_account`), and its ``activity``, ``trail``,
    ``journal`` (the last five entries), ``references`` (the three closest), ``heirs``, and
    ``names``: the name of every contact it shows or whose next step it lists."""
    with ws.db.reading():
        shown = accounts.show_account(ws, actor, account_id, limit=PEOPLE_SHOWN, ways_in=True)
        steps = activity.account_activity(ws, actor, account_id)
        names = {c.id: c.name for c in shown["contacts"]}
        names.update(contacts.names_of(
            ws, actor, {f.contact_id for f in steps.next_steps} - names.keys()))
        return {
            **shown,
            "activity": steps,
            "names": names,
            "trail": trail(ws, actor, account=account_id),
            "journal": journal.journal_for_account(ws, actor, account_id, limit=5),
            "references": closest_for_account(ws, actor, account_id, n=3),
            "heirs": heirs(ws, actor),
        }


def contact_page(ws: Workspace, actor: Actor, contact_id: int) -> dict[str, Any]:
    """The contact (``c``), their ``activity``, ``trail`` and the account's ``journal`` (the
    last three entries)."""
    with ws.db.reading():
        person = contacts.show_contact(ws, actor, contact_id)
        return {
            "c": person,
            "activity": activity.contact_activity(ws, actor, contact_id),
            "trail": trail(ws, actor, contact=contact_id),
            "journal": journal.journal_for_account(ws, actor, person.account_id, limit=3),
        }


def trail(ws: Workspace, actor: Actor, **which: int) -> list[Any] | None:
    """The record's audit trail (its last 50 events) for managers and admins; None for
    others, whose pages do not show one."""
    if not (actor.is_admin or actor.is_manager):
        return None
    return audit_trail(ws, actor, limit=50, **which)  # type: ignore[arg-type]


def heirs(ws: Workspace, actor: Actor) -> list[tuple[int, str]]:
    """Whom an admin may hand an account to: the team's active people (none for others, or
    when there is nobody else)."""
    if not may_manage_people(actor):
        return []
    people = [(u.id, u.name) for u in list_users(ws, actor) if u.active]
    return people if len(people) > 1 else []
