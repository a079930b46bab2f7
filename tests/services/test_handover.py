"""Handing records from one person to another: all of them, one account's or one contact's;
admins only, audited; what a person wrote (journal, feelings) stays theirs."""

from __future__ import annotations

from typing import Any

import pytest

from actors import owner_of, user
from web_support import seed


def _sara_leaves(ws: Any) -> tuple[Any, Any, Any, Any]:
    from notnow.services.capture.log import log_rejection
    from notnow.services.learning.journal import add_entry

    sara, tom = user(ws, "Sara"), user(ws, "Tom")
    first = seed(ws, sara, name="Acme")
    second = seed(ws, sara, name="Globex")
    for data in (first, second):
        log_rejection(ws, sara, {"label": "not_now", "feelings": "tired"},
                      contact=data.contact_id)
    add_entry(ws, sara, "Acme never listened", account=first.account_id)
    return sara, tom, first, second


def test_a_leaving_salesperson_hands_everything_over(ws: Any) -> None:
    from notnow.errors import NotFound
    from notnow.services.capture.log import list_rejections
    from notnow.services.followups.agenda import agenda
    from notnow.services.learning.journal import list_entries
    from notnow.services.records.accounts import list_accounts
    from notnow.services.team.audit import audit_trail
    from notnow.services.team.handover import hand_over

    sara, tom, first, _ = _sara_leaves(ws)
    due = len(agenda(ws, sara, ws.today().replace(year=2030)))
    result = hand_over(ws, owner_of(ws), from_user="sara@example.com", to=tom.id)
    assert (result.accounts, result.contacts, result.deals) == (2, 4, 2)
    assert result.followups >= due > 0
    assert {a.name for a in list_accounts(ws, tom)} == {"Acme", "Globex"}
    assert list_accounts(ws, sara) == []
    assert len(agenda(ws, tom, ws.today().replace(year=2030))) == due
    mine = list_rejections(ws, tom)
    assert len(mine) == 2 and {r.feelings for r in mine} == {None}  # Sara's feelings: hers
    assert {r.feelings for r in list_rejections(ws, owner_of(ws))} == {None}
    assert [e.text for e in list_entries(ws, sara)] == ["Acme never listened"]
    assert list_entries(ws, sara)[0].account_name is None  # no longer hers to read
    with pytest.raises(NotFound):  # nor to filter her journal by
        list_entries(ws, sara, account=first.account_id)
    trail = audit_trail(ws, owner_of(ws), action="record")
    assert sum(e.action == "records.handed_over" for e in trail) == 1
    moved = {(e.entity, e.entity_id) for e in trail if e.action == "record.handed_over"}
    assert ("account", first.account_id) in moved and ("contact", first.contact_id) in moved


def test_one_account_or_one_contact(ws: Any) -> None:
    from notnow.services.records.accounts import list_accounts
    from notnow.services.records.contacts import list_contacts
    from notnow.services.team.handover import hand_over

    sara, tom, first, second = _sara_leaves(ws)
    one = hand_over(ws, owner_of(ws), to="tom@example.com", account=second.account_id)
    assert (one.from_user_id, one.accounts, one.contacts, one.deals) == (sara.id, 1, 2, 1)
    assert [a.name for a in list_accounts(ws, tom)] == ["Globex"]
    person = hand_over(ws, owner_of(ws), to=tom.id, contact=first.other_contact_id)
    assert (person.accounts, person.contacts, person.deals) == (0, 1, 0)
    assert {c.name for c in list_contacts(ws, tom, account=first.account_id)} == {"Sam Ortiz"}
    assert {c.name for c in list_contacts(ws, sara, account=first.account_id)} == {"Dana Lee"}


def test_only_admins_and_clear_refusals(ws: Any) -> None:
    from notnow.errors import InvalidInput, PermissionDenied
    from notnow.services.team.auth import disable_user
    from notnow.services.team.handover import hand_over

    sara, tom, first, _ = _sara_leaves(ws)
    boss = user(ws, "Max", "manager")
    for who in (sara, boss):
        with pytest.raises(PermissionDenied):
            hand_over(ws, who, from_user=sara.id, to=tom.id)
    bad: list[tuple[dict[str, Any], str]] = [
        ({"to": sara.id, "from_user": sara.id}, "to"),
        ({"to": tom.id}, "from_user"),
        ({"to": tom.id, "account": first.account_id, "contact": first.contact_id}, "contact"),
    ]
    for kwargs, field in bad:
        with pytest.raises(InvalidInput) as refused:
            hand_over(ws, owner_of(ws), **kwargs)
        assert refused.value.field == field
    disable_user(ws, owner_of(ws), tom.id)
    with pytest.raises(InvalidInput, match="disabled"):
        hand_over(ws, owner_of(ws), from_user=sara.id, to=tom.id)


def test_cli_handover(cli: Any) -> None:
    cli("init")
    cli("user", "add", "Sam Cole", "--email", "sam@example.com", "--no-password")
    cli("account", "add", "Acme Corp")
    cli("contact", "add", "Dana Ruiz", "--account", "acme")
    done = cli("reassign", "--from", "owner", "--to", "sam@example.com", "--json")
    assert done.code == 0 and done.json()["accounts"] == 1 and done.json()["contacts"] == 1
    again = cli("reassign", "--to", "sam@example.com", "--account", "acme")
    assert again.code == 1 and "already" in again.err
