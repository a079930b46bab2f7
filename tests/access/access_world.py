"""A team of six and their work, for the access matrix: every record carries its owner's marker.

People (``users.manager_id`` draws the teams)::

    Ada   admin
    Max   manager ── Sara (salesperson), Pia (salesperson)      one team
    Mo    manager ── Tom (salesperson)                          another team

Ada, Max, Sara, Pia and Tom each own a full set of records, made through the services as they
would make them: an account, two contacts, an open deal and a won one, a logged rejection (with
notes, feelings, a competitor and a capability), a touch, a signal, open follow-ups, an
autopsy, a reference customer and a private journal entry. Tom also has a contact at Sara's
account (handed over to him), with a rejection of his there that asks for a capability named
with his marker.

Every text a person writes carries a marker naming its owner, so that a leak is found in any
answer — JSON, HTML, CLI output or a file — without knowing its shape:

* ``zqr<tag>`` — a record's words (names, offers, notes, outcomes, competitor…);
* ``zqf<tag>`` — the feelings written with a rejection (private to the author);
* ``zqj<tag>`` — a journal entry (private to the author);
* ``zqu<tag>`` — the person's own name.

The markers share the prefix ``zq``, so one search for ``zq`` finds everything, and a page that
echoes the query echoes no marker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from itertools import count
from typing import Any

from actors import owner_of

PEOPLE = {  # tag: (name, role, manager tag)
    "ada": ("Ada Zquada", "admin", None),
    "max": ("Max Zqumax", "manager", None),
    "mo": ("Mo Zqumo", "manager", None),
    "sara": ("Sara Zqusara", "salesperson", "max"),
    "pia": ("Pia Zqupia", "salesperson", "max"),
    "tom": ("Tom Zqutom", "salesperson", "mo"),
}
OWNERS = ("ada", "max", "sara", "pia", "tom")
"""Whose records exist (Mo has none)."""
MISSING = 2_000_000_000
"""An id that no record has (within the bounds every id is checked against)."""


def email(tag: str) -> str:
    return f"{tag}@team.example"


def record_marker(tag: str) -> str:
    return f"zqr{tag}"


@dataclass
class World:
    ws: Any
    users: dict[str, int]
    tokens: dict[str, str]
    """The API token of each person (the matrix acts through them)."""
    token_ids: dict[str, int]
    records: dict[str, dict[str, int]]
    _serial: count[int] = field(default_factory=lambda: count(1))
    stored: int | None = None
    """The matrix's fingerprint of what is stored, while nothing ran since it was read."""
    read: tuple[int, int] | None = None
    """(SQLite's data version, the fingerprint) when the fingerprint was last read."""
    _probe: Any = None

    def data_version(self) -> int | None:
        """SQLite's ``PRAGMA data_version`` on a connection of the matrix's own, which never
        writes: it changes whenever another connection commits. None on PostgreSQL."""
        if self.ws.db.path is None:
            return None
        if self._probe is None:
            import sqlite3

            self._probe = sqlite3.connect(self.ws.db.path)
        return int(self._probe.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        if self._probe is not None:
            self._probe.close()

    def actor(self, tag: str) -> Any:
        from actors import as_id

        return as_id(self.ws, self.users[tag])

    def ids(self, tag: str) -> dict[str, int]:
        """The ids of ``tag``'s standing records (and the person's user id); a second account
        or deal (for a merge) is the same one again: a merge refused never gets that far."""
        ids = dict(self.records[tag])
        ids.setdefault("account2", ids["account"])
        ids.setdefault("deal2", ids["deal"])
        return ids

    def fresh(self, what: str, tag: str) -> dict[str, int]:
        """New records of ``tag`` for a change that is allowed (it may close or mark them):
        a follow-up, contact or rejection gets an account of its own, so that no cap counts
        what another probe did."""
        from notnow.services.records.accounts import add_account
        from notnow.services.records.contacts import add_contact

        n = next(self._serial)
        self.stored = None
        ids = self.ids(tag)
        if what == "user":
            ids["user"] = _add_user(self.ws, f"Extra {n}", f"extra{n}@team.example",
                                    "salesperson", None)
            return ids
        if what == "token":
            from notnow.services.team.auth import create_token

            ids["token"] = create_token(self.ws, self.actor(tag), f"spare {n}").id
            return ids
        who = self.actor(tag)
        acc = add_account(self.ws, who, {"name": f"{record_marker(tag)} Fresh {n}",
                                         "country": "US", "timezone": "America/Chicago"})
        con = add_contact(self.ws, who, {"name": f"Fay {record_marker(tag)} {n}",
                                         "email": f"fay{n}.{tag}@fresh.example"},
                          account=acc.id)
        ids.update(account=acc.id, contact=con.id)
        if what == "followup":
            from notnow.services.followups.actions import next_attempt_for

            fid = next_attempt_for(self.ws, who, con.id, schedule=True).followup_id
            assert fid is not None
            ids["followup"] = fid
        elif what == "rejection":
            from notnow.services.capture.log import log_rejection

            rej = log_rejection(self.ws, who, {
                "label": "competitor_chosen", "competitor": f"Rival {record_marker(tag)}",
                "at": self.ws.now() - timedelta(days=1)}, contact=con.id, schedule=False)
            ids["rejection"] = rej.id
        elif what == "pair":  # the same person twice, for a merge
            ids["contact2"] = add_contact(self.ws, who, {"name": f"Fay {record_marker(tag)} "
                                                         f"{n} again"}, account=acc.id).id
        elif what == "account_pair":
            ids["account2"] = add_account(self.ws, who, {"name": f"{record_marker(tag)} "
                                                         f"Fresh {n} Inc"}).id
        elif what in ("deal", "deal_pair"):
            ids["deal"] = self._deal(who, tag, acc.id, n)
            if what == "deal_pair":
                ids["deal2"] = self._deal(who, tag, acc.id, n)
        elif what.startswith("trash_"):  # a record in the trash, to restore
            from notnow.services.records.trash import delete_record

            kind = what.removeprefix("trash_")
            if kind == "deal":
                ids["deal"] = self._deal(who, tag, acc.id, n)
            elif kind == "rejection":
                from notnow.services.capture.log import log_rejection

                ids["rejection"] = log_rejection(self.ws, who, {"label": "not_now"},
                                                 contact=con.id, schedule=False).id
            delete_record(self.ws, who, kind, ids[kind])
        else:
            assert what == "contact", what
        return ids

    def _deal(self, who: Any, tag: str, account: int, n: int) -> int:
        from notnow.services.records.deals import add_deal

        return add_deal(self.ws, who, {"offer": f"{record_marker(tag)} offer {n}"},
                        account=account).id


def _add_user(ws: Any, name: str, mail: str, role: str, manager: int | None) -> int:
    from notnow.services.team.auth import add_user

    return add_user(ws, owner_of(ws), {"name": name, "email": mail, "role": role},
                    manager=manager).id


def build(ws: Any) -> World:
    """The people, a token each, and each owner's records (about a second on SQLite)."""
    from notnow.services.team.auth import create_token

    users: dict[str, int] = {}
    for tag, (name, role, manager) in PEOPLE.items():
        users[tag] = _add_user(ws, name, email(tag), role,
                               users[manager] if manager else None)
    world = World(ws=ws, users=users, tokens={}, token_ids={}, records={})
    for tag in OWNERS:
        token = create_token(ws, world.actor(tag), "matrix")
        world.tokens[tag], world.token_ids[tag] = token.token, token.id
    for tag in OWNERS:
        world.records[tag] = _records(world, tag)
    _share(world)
    return world


def _share(world: World) -> None:
    """Tom's contact at Sara's account (handed to him), with his rejection there: Sara's
    account page must not show them to Sara or her manager."""
    from notnow.services.capture.log import log_rejection
    from notnow.services.records.contacts import add_contact
    from notnow.services.team.handover import hand_over

    ws, admin, m = world.ws, world.actor("ada"), record_marker("tom")
    kim = add_contact(ws, admin, {"name": f"Kim {m}", "email": "kim.tom@acme.example"},
                      account=world.records["sara"]["account"])
    hand_over(ws, admin, to=world.users["tom"], contact=kim.id)
    log_rejection(ws, world.actor("tom"), {"label": "missing_capability",
                                           "capability": f"an export to {m} format",
                                           "notes": f"{m} at Sara's",
                                           "at": ws.now() - timedelta(days=3)},
                  contact=kim.id)


def _records(world: World, tag: str) -> dict[str, int]:
    from notnow.services.capture.log import log_rejection
    from notnow.services.capture.touches import record_touch
    from notnow.services.followups.actions import record_signal
    from notnow.services.learning.autopsy import add_reference, save_autopsy
    from notnow.services.learning.journal import add_entry
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.services.records.deals import add_deal, set_deal_status

    ws, who, m = world.ws, world.actor(tag), record_marker(tag)
    acc = add_account(ws, who, {"name": f"{m} Corp", "country": "US", "employees": 240,
                                "industry": "Logistics", "timezone": "America/Chicago",
                                "rapport_notes": f"{m} rapport"})
    dana = add_contact(ws, who, {"name": f"Dana {m}", "email": f"dana.{tag}@acme.example",
                                 "title": "COO", "role": "decision_maker",
                                 "department": "Operations"}, account=acc.id)
    sam = add_contact(ws, who, {"name": f"Sam {m}", "email": f"sam.{tag}@acme.example",
                                "role": "influencer"}, account=acc.id)
    deal = add_deal(ws, who, {"offer": f"{m} suite", "value": 48000, "stage": "proposal"},
                    account=acc.id, contact=dana.id)
    won = add_deal(ws, who, {"offer": f"{m} renewal", "value": 9000}, account=acc.id)
    set_deal_status(ws, who, won.id, "won")
    record_touch(ws, who, {"channel": "call", "outcome": f"{m} voicemail",
                           "at": ws.now() - timedelta(days=20)}, contact=sam.id)
    record_signal(ws, who, sam.id, "visited", note=f"{m} pricing page")
    rej = log_rejection(ws, who, {
        "text": f"We chose another vendor for now, sorry. ({m})", "label": "competitor_chosen",
        "competitor": f"Rival {m}", "capability": "single sign-on", "notes": f"{m} notes",
        "feelings": f"zqf{tag} felt brushed off", "at": ws.now() - timedelta(days=2)},
        contact=dana.id, deal=deal.id)
    assert rej.followups, "the plan schedules follow-ups"
    save_autopsy(ws, who, rej.id, {"listened_to_need": "no", "winner": f"Rival {m}"})
    entry = add_entry(ws, who, f"zqj{tag} what happened", feelings=f"zqj{tag} how it felt",
                      account=acc.id)
    add_reference(ws, who, {"name": f"{m} Reference", "note": f"{m} story",
                            "offer": "Fleet tracking"}, account=acc.id)
    return {"account": acc.id, "contact": dana.id, "contact2": sam.id, "deal": deal.id,
            "rejection": rej.id, "followup": rej.followups[0].id, "journal": entry.id,
            "user": world.users[tag]}
