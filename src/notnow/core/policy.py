"""Who may see and change what: the one policy every service applies.

A record belongs to a person (its ``owner``: the account's, contact's, deal's or follow-up's
owner; a rejection, touch or signal belongs to its contact's owner). From the acting person:

* a **salesperson** reads and changes their own records;
* a **manager** reads and changes their own and their team's: the people who report to them,
  and their reports in turn (``users.manager_id``, transitively);
* an **admin** reads and changes everyone's records and manages people;
* **private** things — a journal, the feelings written with a rejection — are read by their
  author only: not by a manager, not by an admin;
* with the team setting **team-wide reading** (off by default) everyone may also *read* every
  record (never change it, never read what is private).

A record the actor may not read does not exist for them: the services answer "not found", so
its existence is not revealed. Records with no owner (written before ownership was kept) are
an admin's to see and hand out.
"""

from __future__ import annotations

from dataclasses import dataclass

from notnow.core.model import UserRole


@dataclass(frozen=True, slots=True)
class Actor:
    """The person a command or request acts for."""

    id: int
    name: str
    role: UserRole
    team: frozenset[int] = frozenset()
    """The people whose work this actor manages, self included (a salesperson: only self)."""
    email: str | None = None
    is_owner: bool = False
    team_reading: bool = False
    """The workspace's team setting: everyone may read everyone's records."""

    @property
    def is_admin(self) -> bool:
        return self.role == UserRole.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.role == UserRole.MANAGER


def readable_owners(actor: Actor) -> frozenset[int] | None:
    """The owners whose records ``actor`` may read; None: every owner (and no owner)."""
    if actor.is_admin or actor.team_reading:
        return None
    return actor.team | {actor.id}


def writable_owners(actor: Actor) -> frozenset[int] | None:
    """The owners whose records ``actor`` may change; None: every owner (and no owner)."""
    if actor.is_admin:
        return None
    return actor.team | {actor.id}


def may_read(actor: Actor, owner_id: int | None) -> bool:
    owners = readable_owners(actor)
    return owners is None or (owner_id is not None and owner_id in owners)


def may_write(actor: Actor, owner_id: int | None) -> bool:
    owners = writable_owners(actor)
    return owners is None or (owner_id is not None and owner_id in owners)


def may_read_private(actor: Actor, author_id: int | None) -> bool:
    """A journal entry or a rejection's feelings: their author only, whatever the role."""
    return author_id is not None and author_id == actor.id


def may_manage_people(actor: Actor) -> bool:
    """Add and disable users, hand records from one person to another, erase a contact."""
    return actor.is_admin


def may_set_visibility(actor: Actor) -> bool:
    """Turn team-wide reading on or off: admins."""
    return actor.is_admin


def may_read_audit(actor: Actor, owner_id: int | None) -> bool:
    """The audit trail of a record: managers and admins, for records they may read."""
    return (actor.is_admin or actor.is_manager) and may_read(actor, owner_id)


def may_export_person(actor: Actor, owner_id: int | None) -> bool:
    """Export everything held about a contact: an admin, or the salesperson who owns them."""
    return actor.is_admin or (owner_id is not None and owner_id == actor.id)


def may_change_playbook(actor: Actor) -> bool:
    """The team's playbook (caps, cadences, check-back defaults) is set by admins."""
    return actor.is_admin


def may_teach(actor: Actor) -> bool:
    """Retrain the team's reading model (every salesperson's readings change): admins, like
    the playbook."""
    return actor.is_admin


def may_see_figures_of(actor: Actor, user_id: int | None) -> bool:
    """Report figures of one person (``user_id``) or of everyone the actor manages (None)."""
    if user_id is None:
        return actor.is_admin or actor.is_manager
    return actor.is_admin or user_id in actor.team or user_id == actor.id


def figures_scope(actor: Actor) -> frozenset[int] | None:
    """Whose work a team report covers: everyone for an admin, a manager's team otherwise."""
    return None if actor.is_admin else actor.team | {actor.id}
