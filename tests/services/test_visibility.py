"""Team-wide reading: off by default, set by admins (audited), and what it opens — reading
everyone's records — and what it never opens: changing them, journals, feelings, figures."""

from __future__ import annotations

from typing import Any

import pytest

from actors import owner_of, user
from web_support import seed


def _tom_and_sara(ws: Any) -> tuple[Any, Any, Any, Any]:
    from notnow.services.capture.log import log_rejection
    from notnow.services.learning.journal import add_entry

    tom, sara = user(ws, "Tom"), user(ws, "Sara")
    data = seed(ws, tom, name="Tom's account")
    rej = log_rejection(ws, tom, {"label": "not_now", "notes": "call after the merger",
                                  "feelings": "gutted"}, contact=data.contact_id)
    entry = add_entry(ws, tom, "I rushed the pricing", feelings="embarrassed")
    return tom, sara, (data, rej), entry


def test_off_by_default_and_only_an_admin_turns_it_on_audited(ws: Any) -> None:
    from notnow.errors import PermissionDenied
    from notnow.services.team.audit import audit_trail
    from notnow.services.team.visibility import set_team_reading, visibility

    boss = user(ws, "Max", "manager")
    sara = user(ws, "Sara", manager=boss)
    assert visibility(ws, sara).team_reading is False
    for who in (sara, boss):
        with pytest.raises(PermissionDenied) as refused:
            set_team_reading(ws, who, True)
        assert refused.value.field == "team_reading"
    assert set_team_reading(ws, owner_of(ws), True).team_reading is True
    assert visibility(ws, sara).team_reading is True
    assert set_team_reading(ws, owner_of(ws), False).team_reading is False
    trail = audit_trail(ws, owner_of(ws), action="team.visibility")
    assert [(e.before, e.after) for e in trail] == [
        ({"team_reading": True}, {"team_reading": False}),
        ({"team_reading": False}, {"team_reading": True})]
    assert all(e.actor_id == ws.owner_id for e in trail)


def test_it_opens_reading_and_nothing_else(ws: Any) -> None:
    from notnow.errors import NotFound, PermissionDenied
    from notnow.services.capture.log import list_rejections, log_rejection
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.followups.actions import act
    from notnow.services.learning.journal import get_entry, list_entries
    from notnow.services.learning.reports import report
    from notnow.services.records.contacts import list_contacts, show_contact
    from notnow.services.team.acting import actor_for
    from notnow.services.team.visibility import set_team_reading

    tom, sara, (data, rej), entry = _tom_and_sara(ws)
    with pytest.raises(NotFound):  # off: Tom's work does not exist for Sara
        show_contact(ws, sara, data.contact_id)
    set_team_reading(ws, owner_of(ws), True)
    sara = actor_for(ws, sara.id)  # the setting is read when a request or command starts
    assert sara is not None and sara.team_reading
    assert show_contact(ws, sara, data.contact_id).name == "Dana Lee"
    assert [c.id for c in list_contacts(ws, sara)] == [data.contact_id, data.other_contact_id]
    shown = list_rejections(ws, sara)
    assert [r.notes for r in shown] == ["call after the merger"]
    assert shown[0].feelings is None  # feelings stay their author's
    assert list_rejections(ws, tom)[0].feelings == "gutted"
    refused: list[Any] = [
        lambda: mark_dnc(ws, sara, data.contact_id, reason="mine now"),
        lambda: log_rejection(ws, sara, {"label": "not_now"}, contact=data.contact_id),
        lambda: act(ws, sara, rej.followups[0].id, "skip"),
        lambda: get_entry(ws, sara, entry.id),
        lambda: report(ws, sara, for_user=tom.id),
    ]
    for attempt in refused:
        with pytest.raises(NotFound):
            attempt()
    assert list_entries(ws, sara) == []
    with pytest.raises(PermissionDenied):  # the team's figures stay a manager's
        report(ws, sara, team=True)


def test_cli_shows_and_sets_it(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    cli("init")
    cli("user", "add", "Sam Cole", "--email", "sam@example.com", "--no-password")
    shown = cli("user", "visibility", "--json")
    assert shown.code == 0 and shown.json() == {"team_reading": False}
    turned = cli("user", "visibility", "--team-reading", "on")
    assert turned.code == 0 and "Team-wide reading is on" in turned.err
    assert cli("user", "visibility", "--json").json() == {"team_reading": True}
    bad = cli("user", "visibility", "--team-reading", "maybe")
    assert bad.code == 1 and "--team-reading" in bad.err
    monkeypatch.setenv("NOTNOW_USER", "sam@example.com")
    refused = cli("user", "visibility", "--team-reading", "off")
    assert refused.code == 1 and "only an admin" in refused.err
    assert cli("user", "visibility", "--json").json() == {"team_reading": True}
