"""Undo of done, skip and snooze: the follow-up comes back as it was, the touch a done recorded
goes, the caps stop counting it; only one's own last action, within ten minutes, while nothing
else changed it; never reopened for someone now do-not-contact; on the audit trail."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from actors import owner_of
from web_support import seed


def _due(ws: Any, contact: int, account: int, on: date) -> int:
    from notnow.storage.tables import FollowUp

    with ws.db.write() as s:
        row = FollowUp(contact_id=contact, account_id=account, due=on, channel="call",
                       purpose="call back", status="due", owner_id=ws.owner_id,
                       created_at=ws.now())
        s.add(row)
        s.flush()
        return row.id


def _touches(ws: Any, contact: int) -> int:
    from notnow.storage.tables import Touch

    with ws.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Touch)
                            .where(Touch.contact_id == contact)) or 0)


def test_undo_done_skip_and_snooze(ws: Any) -> None:
    from notnow.services.followups.actions import act, undo
    from notnow.storage.tables import AuditEvent

    me = owner_of(ws)
    data = seed(ws)
    today = ws.today()
    fid = _due(ws, data.contact_id, data.account_id, today)

    closed = act(ws, me, fid, "done")
    assert closed.status.value == "done" and _touches(ws, data.contact_id) == 1
    back = undo(ws, me, fid)
    assert back.status.value == "due" and back.due == today
    assert _touches(ws, data.contact_id) == 0  # the caps no longer count it

    act(ws, me, fid, "skip")
    assert undo(ws, me, fid).status.value == "due"

    moved = act(ws, me, fid, "snooze", to=today + timedelta(days=7))
    assert moved.due > today
    assert undo(ws, me, fid).due == today

    with ws.db.read() as s:
        trail = list(s.scalars(select(AuditEvent.action).where(
            AuditEvent.entity == "followup", AuditEvent.entity_id == fid)
            .order_by(AuditEvent.id)))
    assert trail == ["followup.done", "followup.undone", "followup.skip", "followup.undone",
                     "followup.snooze", "followup.undone"]


def test_nothing_to_undo_twice_too_late_or_someone_elses(ws: Any, clock: Any) -> None:
    from notnow.errors import Conflict, NotFound
    from notnow.services.followups.actions import act, undo
    from notnow.services.team.auth import add_user

    me = owner_of(ws)
    data = seed(ws)
    fid = _due(ws, data.contact_id, data.account_id, ws.today())
    with pytest.raises(Conflict, match="nothing to undo"):
        undo(ws, me, fid)
    act(ws, me, fid, "skip")
    undo(ws, me, fid)
    with pytest.raises(Conflict, match="nothing to undo"):  # an undo is not undone
        undo(ws, me, fid)

    act(ws, me, fid, "done")
    clock.advance(minutes=11)
    with pytest.raises(Conflict, match="too late"):
        undo(ws, me, fid)

    from actors import as_id

    other = add_user(ws, me, {"name": "Tom Seller", "email": "tom@example.com"})
    with pytest.raises(NotFound):  # another person's follow-up: as if missing
        undo(ws, as_id(ws, other.id), fid)


def test_undo_never_reopens_for_someone_now_do_not_contact(ws: Any) -> None:
    from notnow.errors import NotnowError
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.followups.actions import act, undo

    me = owner_of(ws)
    data = seed(ws)
    fid = _due(ws, data.contact_id, data.account_id, ws.today())
    act(ws, me, fid, "skip")
    mark_dnc(ws, me, data.contact_id, reason="asked to stop")
    with pytest.raises(NotnowError):
        undo(ws, me, fid)
    from notnow.services.records.activity import contact_activity

    assert contact_activity(ws, me, data.contact_id).next_steps == []
