"""`notnow demo`: fill a workspace with a realistic, deterministic demo in one transaction.

The content (a fictional vendor, its prospects and their "no"s) lives in `data/`; its dates
are computed from the workspace's today, so the agenda is alive whenever the demo is loaded. Labels
are set directly (``label_source = "demo"``): the classifier is not run, which keeps loading fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from notnow.core.policy import Actor, may_manage_people
from notnow.errors import Conflict, PermissionDenied
from notnow.services.workspace import Workspace
from notnow.storage.tables import (
    Account,
    Autopsy,
    Base,
    Capability,
    CapabilityRequest,
    Contact,
    Deal,
    FollowUp,
    JournalEntry,
    ReferenceCustomer,
    Rejection,
    Signal,
    Touch,
)

Progress = Callable[[str], object]
_FK = {"_account": "account_id", "_contact": "contact_id", "_deal": "deal_id",
       "_rejection": "rejection_id", "_capability": "capability_id"}


def load_demo(ws: Workspace, actor: Actor, *, force: bool = False,
              progress: Progress | None = None) -> dict[str, int]:
    """Add the demo to `ws`, as the actor's work (admins only), and say how many rows of each
    kind it added.

    Refuses (Conflict) when the workspace already has accounts, unless `force`. Everything is
    written in one transaction: on any error nothing of the demo is left behind.
    """
    if not may_manage_people(actor):
        raise PermissionDenied("only an admin can load the demo into a workspace")
    say: Progress = progress or (lambda _msg: None)
    with ws.db.read() as s:
        _refuse_unless_empty(s, force)
    from notnow.services.demo.data.learning import build_plan

    say("Planning the demo…")
    plan = build_plan(today=ws.today(), now=ws.now(), user_id=actor.id)
    with ws.db.write() as s:
        _refuse_unless_empty(s, force)  # again, inside the write lock
        ids: dict[str, list[int]] = {}
        say(f"Accounts and contacts… ({len(plan.accounts)} accounts)")
        ids["_account"] = _insert(s, Account, plan.accounts, ids, want_ids=True)
        ids["_contact"] = _insert(s, Contact, plan.contacts, ids, want_ids=True)
        ids["_deal"] = _insert(s, Deal, plan.deals, ids, want_ids=True)
        say(f"Rejections… ({len(plan.rejections)})")
        ids["_rejection"] = _insert(s, Rejection, [_with_referral(r, ids)
                                                   for r in plan.rejections], ids, want_ids=True)
        say(f"Touches, signals and follow-ups… ({len(plan.followups)} follow-ups)")
        _insert(s, Touch, plan.touches, ids)
        _insert(s, Signal, plan.signals, ids)
        _insert(s, FollowUp, plan.followups, ids)
        _mark_opt_outs(s, plan.dnc, ids)
        say("Capabilities, references, journal and autopsies…")
        ids["_capability"] = _capabilities(s, plan.capabilities)
        _insert(s, CapabilityRequest, plan.requests, ids)
        _insert(s, ReferenceCustomer, plan.references, ids)
        _insert(s, JournalEntry, plan.journal, ids)
        _insert(s, Autopsy, plan.autopsies, ids)
    return {
        "accounts": len(plan.accounts),
        "contacts": len(plan.contacts),
        "deals": len(plan.deals),
        "rejections": len(plan.rejections),
        "touches": len(plan.touches),
        "follow-ups": len(plan.followups),
        "signals": len(plan.signals),
        "do-not-contact": len(plan.dnc),
        "due today": sum(1 for f in plan.followups
                         if f["status"] == "due" and f["due"] <= ws.today()),
    }


def _refuse_unless_empty(s: Session, force: bool) -> None:
    n = s.scalar(select(func.count()).select_from(Account)) or 0
    if n and not force:
        raise Conflict(f"the workspace already has {n} accounts; use --force to add the demo "
                       "anyway", field="force")


def _with_referral(row: dict[str, Any], ids: dict[str, list[int]]) -> dict[str, Any]:
    ref = row["referral"]
    if ref is None:
        return row
    out = {k: v for k, v in ref.items() if k != "_contact"}
    out["contact_id"] = ids["_contact"][ref["_contact"]]
    return row | {"referral": out}


def _resolve(row: dict[str, Any], ids: dict[str, list[int]]) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        if k in _FK:
            out[_FK[k]] = None if v is None else ids[k][v]
        else:
            out[k] = v
    return out


def _insert(s: Session, table: type[Base], rows: list[dict[str, Any]],
            ids: dict[str, list[int]], *, want_ids: bool = False) -> list[int]:
    """Insert many rows at once; with `want_ids`, return their ids in the same order."""
    if not rows:
        return []
    resolved = [_resolve(r, ids) for r in rows]
    if not want_ids:  # plain executemany: one statement for all rows
        s.execute(insert(table.__table__), resolved)  # type: ignore[arg-type]
        return []
    objects = [table(**r) for r in resolved]
    s.add_all(objects)
    s.flush()
    return [o.id for o in objects]  # type: ignore[attr-defined]


def _mark_opt_outs(s: Session, rows: list[dict[str, Any]], ids: dict[str, list[int]]) -> None:
    """After the history is in: the storage guard refuses outbound touches to opted-out people."""
    from notnow.core.model import DncSource
    from notnow.services.capture.optout import contact_identities, suppress

    for r in rows:
        cid = ids["_contact"][r["_contact"]]
        s.execute(update(Contact).where(Contact.id == cid)
                  .values(dnc_at=r["dnc_at"], dnc_reason=r["dnc_reason"],
                          dnc_source=r["dnc_source"]))
        contact = s.get(Contact, cid)
        assert contact is not None
        suppress(s, contact_identities(contact), source=DncSource(r["dnc_source"]),
                 now=r["dnc_at"])


def _capabilities(s: Session, rows: list[dict[str, Any]]) -> list[int]:
    """One row per capability key: a forced second demo reuses the capabilities already there."""
    existing = {key: cid for key, cid in s.execute(select(Capability.key, Capability.id))}
    fresh = [r for r in rows if r["key"] not in existing]
    new_ids = dict(zip([r["key"] for r in fresh], _insert(s, Capability, fresh, {}, want_ids=True),
                       strict=True))
    return [existing.get(r["key"]) or new_ids[r["key"]] for r in rows]

