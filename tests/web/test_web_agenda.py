"""The agenda page as a workspace: filters, the week ahead, several at once, undo, and the
header's count that follows each action."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from actors import owner_of
from web_support import Seed, csrf

HX = {"hx-request": "true"}


def due(app: Any, contact: int, on: date, *, channel: str = "email",
        label: str | None = None) -> int:
    """One follow-up for ``contact`` due ``on`` (after a no with ``label``, if given)."""
    from notnow.services.capture.log import log_rejection
    from notnow.storage.tables import Contact, FollowUp

    ws = app.state.ws
    rej = None
    if label:
        rej = log_rejection(ws, owner_of(ws), {"label": label}, contact=contact,
                            schedule=False)
    with ws.db.write() as s:
        c = s.get(Contact, contact)
        assert c is not None
        row = FollowUp(contact_id=contact, account_id=c.account_id, due=on, channel=channel,
                       purpose=f"reach out by {channel}", why="as planned", status="due",
                       rule="test", owner_id=ws.owner_id, created_at=ws.now(),
                       rejection_id=rej.id if rej else None)
        s.add(row)
        s.flush()
        return row.id


@pytest.fixture
def three(app: Any, data: Seed) -> dict[str, int]:
    from notnow.services.records.contacts import add_contact

    ws = app.state.ws
    today = ws.today()
    lu = add_contact(ws, owner_of(ws), {"name": "Lu Chen"}, account=data.account_id)
    return {"dana": due(app, data.contact_id, today, channel="call", label="no_budget"),
            "sam": due(app, data.other_contact_id, today - timedelta(days=3), channel="email"),
            "lu": due(app, lu.id, today + timedelta(days=4), channel="linkedin")}


def shown(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'<li class="task" id="task-(\d+)"', html)}


def test_filters_and_the_week_ahead(client: TestClient, three: dict[str, int]) -> None:
    assert shown(client.get("/").text) == {three["dana"], three["sam"]}
    week = client.get("/?view=week").text
    assert shown(week) == set(three.values())
    assert "This week" in week and "to reach this week" in week
    assert shown(client.get("/?channel=call").text) == {three["dana"]}
    assert shown(client.get("/?label=no_budget").text) == {three["dana"]}
    assert shown(client.get("/?overdue=1").text) == {three["sam"]}
    assert shown(client.get("/?view=week&channel=linkedin").text) == {three["lu"]}
    nothing = client.get("/?channel=meeting").text
    assert "Nothing due that matches" in nothing
    assert shown(client.get("/?channel=not-a-channel").text) == {three["dana"], three["sam"]}


def test_an_action_updates_the_count_and_can_be_undone(client: TestClient,
                                                       three: dict[str, int]) -> None:
    page = client.get("/").text
    assert '<span id="agenda-count">2 people to reach, ripest first</span>' in page
    headers = {**HX, "x-csrf-token": csrf(client)}
    view = {"view": "day"}
    r = client.post(f"/followups/{three['dana']}/done", data={**view, "contact_name": "Dana"},
                    headers=headers)
    assert r.status_code == 200 and "✓ Done" in r.text
    assert '<span id="agenda-count" hx-swap-oob="true">1 person to reach' in r.text
    assert f'hx-post="/followups/{three["dana"]}/undo"' in r.text
    r = client.post(f"/followups/{three['dana']}/undo", data=view, headers=headers)
    assert r.status_code == 200
    assert f'<li class="task" id="task-{three["dana"]}"' in r.text  # the row, as it was
    assert '<span id="agenda-count" hx-swap-oob="true">2 people' in r.text
    again = client.post(f"/followups/{three['dana']}/undo", data=view, headers=headers)
    assert again.status_code == 409 and "nothing to undo" in again.text
    # from a contact's page (no agenda view): the row changes, no count is sent
    r = client.post(f"/followups/{three['dana']}/skip", headers=headers)
    assert r.status_code == 200 and "agenda-count" not in r.text


def test_several_at_once_and_undo_them_all(client: TestClient, app: Any, data: Seed,
                                           three: dict[str, int]) -> None:
    from notnow.services.capture.optout import mark_dnc

    headers = {**HX, "x-csrf-token": csrf(client)}
    ids = [three["dana"], three["sam"]]
    r = client.post("/followups/bulk", data={"ids": ids, "action": "snooze", "days": "7",
                                             "view": "day"}, headers=headers)
    assert r.status_code == 200
    for fid in ids:
        assert f'id="task-{fid}" tabindex="-1" hx-swap-oob="true"' in r.text
    assert "2 follow-ups snoozed." in r.text and 'id="undo-all"' in r.text
    assert '<span id="agenda-count" hx-swap-oob="true">nothing due</span>' in r.text
    assert shown(client.get("/").text) == set()

    r = client.post("/followups/bulk", data={"ids": ids, "action": "undo", "view": "day"},
                    headers=headers)
    assert r.status_code == 200 and "2 follow-ups taken back." in r.text
    assert shown(client.get("/").text) == set(ids)

    ws = app.state.ws
    mark_dnc(ws, owner_of(ws), data.other_contact_id, reason="asked to stop")
    r = client.post("/followups/bulk", data={"ids": [*ids, three["lu"]], "action": "done",
                                             "view": "week"}, headers=headers)
    # Sam's follow-up was cancelled with the opt-out: that row says why, the others are done
    assert r.status_code == 200 and "2 follow-ups done." in r.text
    assert f'id="task-{three["sam"]}-error"' in r.text
    r = client.post("/followups/bulk", data={"ids": [three["sam"]], "action": "done"},
                    headers=headers)
    assert r.status_code == 409  # nothing could be done: the refusal itself
    r = client.post("/followups/bulk", data={"action": "done"}, headers=headers)
    assert r.status_code == 422


def test_the_shortcuts_are_on_the_page(client: TestClient, three: dict[str, int]) -> None:
    html = client.get("/").text
    assert 'id="shortcuts"' in html and "(press ?)" in html
    for key in ("j", "k", "x", "d", "z", "s", "u", "o", "w"):
        assert f"<kbd>{key}</kbd>" in html
    assert 'aria-keyshortcuts="d"' in html and 'aria-keyshortcuts="z"' in html
