"""Moving a follow-up only ever postpones it, and never into an out-of-office; the latest answer
replaces the plan, so repeated "try me in April" gives one check-back, not five."""

from __future__ import annotations

from datetime import date
from typing import Any

from actors import owner_of
from web_support import seed


def test_five_april_logs_give_one_check_back(ws: Any) -> None:
    from notnow.services.capture.log import log_rejection
    from notnow.services.followups.agenda import agenda

    me = owner_of(ws)
    data = seed(ws)
    for _ in range(5):
        log_rejection(ws, me, {"text": "Not now, try me in April.", "label": "not_now",
                               "checkback": "2027-04-01"}, contact=data.contact_id)
    april = [i for i in agenda(ws, me, date(2027, 4, 30)) if i.contact_id == data.contact_id]
    assert len([i for i in april if i.due >= date(2027, 4, 1)]) == 1
    same_day: dict[date, int] = {}
    for i in april:
        same_day[i.due] = same_day.get(i.due, 0) + 1
    assert max(same_day.values()) == 1


def test_snooze_never_lands_inside_an_out_of_office(ws: Any) -> None:
    from notnow.services.capture.log import log_rejection
    from notnow.services.followups.actions import act
    from notnow.storage.tables import FollowUp

    me = owner_of(ws)
    data = seed(ws)
    # their out-of-office: away until 2026-12-18 (what fell due meanwhile is replaced)
    log_rejection(ws, me, {"label": "auto_reply", "checkback": "2026-12-18"},
                  contact=data.contact_id)
    with ws.db.write() as s:  # a follow-up from elsewhere (an import, an older version)
        row = FollowUp(contact_id=data.contact_id, account_id=data.account_id,
                       due=date(2026, 11, 25), channel="call", purpose="call back",
                       status="due", owner_id=ws.owner_id, created_at=ws.now())
        s.add(row)
        s.flush()
        fid = row.id
    moved = act(ws, me, fid, "snooze", to=date(2026, 12, 10))
    assert moved.due > date(2026, 12, 18)
