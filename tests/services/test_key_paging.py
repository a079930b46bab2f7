"""Pages by key (`notnow.services.paging`): the lists of contacts, accounts and opt-outs, paged
by the token of where each page ended, are the whole list, in its order, whatever the names
(accents, case, ties, names longer than the key), page sizes and reader; and a deep page is read
from the list's index from where the last one ended, never walked to (an offset 900,000 rows in
took 0.9 s on a million contacts)."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from test_lists_in_order import _plan, _sorts, _statement_of

from actors import owner_of, user

NAMES = st.one_of(
    st.sampled_from(["Lucía Pérez", "lucia perez", "LUCIA  PEREZ", "Łukasz", "Zoë", "zoe",
                     "Ana", "ana", "Ángel", "Ölaf", "O'Neil", "Ng", "李雷", "Straße"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
            max_size=8).filter(str.strip),
    # 300 characters whose folded form is longer: names that differ past the key's 300
    st.sampled_from(["ßa", "ßb", "ﬁa", "ﬁb"]).map(lambda end: "x" * 298 + end),
    # the longest token: 300 characters of four bytes each
    st.sampled_from(["𝔘", "😀", "𠀋"]).map(lambda ch: ch * 300),
)


def _walk(first: Callable[..., list[Any]], size: int) -> list[Any]:
    """The whole list, a page of ``size`` at a time, each after the token of the one before."""
    from notnow.services.paging import next_after

    seen: list[Any] = []
    after = None
    while True:
        rows = first(limit=size + 1, after=after)
        seen += rows[:size]
        after = next_after(rows, size)
        if after is None:
            assert len(rows) <= size
            return seen


@settings(max_examples=8, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(names=st.lists(st.tuples(NAMES, st.booleans(), st.booleans(), st.integers(0, 2)),
                      min_size=1, max_size=8),
       size=st.integers(1, 4))
def test_pages_by_key_are_the_whole_list_in_order(ws: Any, clock: Any,
                                                  names: list[tuple[str, bool, bool, int]],
                                                  size: int) -> None:
    """Each example adds people to what the examples before stored (ties and all) and walks
    every list as the owner and as a salesperson."""
    from notnow.services.capture.log import list_rejections, log_rejection
    from notnow.services.capture.optout import list_dnc, mark_dnc
    from notnow.services.records import accounts, contacts, deals
    from notnow.services.team.audit import audit_trail

    owner = owner_of(ws)
    sara = _sara(ws)
    for name, hers, opt_out, later in names:
        who = sara if hers else owner
        acc = accounts.add_account(ws, who, {"name": name})
        c = contacts.add_contact(ws, who, {"name": name}, account=acc.id)
        if hers or opt_out:
            deals.add_deal(ws, who, {"offer": "Seats"}, account=acc.id)
        if later:  # a no now and then (some at the same moment: ties by id)
            log_rejection(ws, who, {"label": "not_now"}, contact=c.id, schedule=False)
        if opt_out:
            clock.advance(seconds=later)  # some opt-outs at the same moment: ties by id
            mark_dnc(ws, who, c.id, reason="asked")

    for actor in (owner, sara):
        for listed in (lambda actor=actor, **kw: contacts.list_contacts(ws, actor, **kw),
                       lambda actor=actor, **kw: accounts.list_accounts(ws, actor, **kw),
                       lambda actor=actor, **kw: list_dnc(ws, actor, **kw),
                       lambda actor=actor, **kw: list_rejections(ws, actor, **kw),
                       lambda actor=actor, **kw: deals.list_deals(ws, actor, **kw),
                       *([lambda actor=actor, **kw: audit_trail(ws, actor, **{
                           **kw, "limit": min(kw["limit"], 10_000)})]
                         if actor is owner else [])):
            whole = listed(limit=10_000)
            assert _walk(listed, size) == whole
            by_offset = [r for start in range(0, len(whole), size)
                         for r in listed(limit=size, offset=start)]
            assert by_offset == whole


def _sara(ws: Any) -> Any:
    from notnow.services.team.acting import actor_for
    from notnow.storage.tables import User

    with ws.db.read() as s:
        uid = s.scalar(select(User.id).where(User.name == "Sara"))
    return actor_for(ws, uid) if uid is not None else user(ws, "Sara")


@pytest.fixture
def listed(ws: Any) -> dict[str, Any]:
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.records import accounts, contacts

    owner, sara = owner_of(ws), user(ws, "Sara")
    from notnow.services.capture.log import log_rejection
    from notnow.services.records import deals

    for n, who in enumerate((owner, sara, owner, sara)):
        acc = accounts.add_account(ws, who, {"name": f"Account {n}"})
        for name in ("Ana", "Bea", "Cy"):
            c = contacts.add_contact(ws, who, {"name": name}, account=acc.id)
            log_rejection(ws, who, {"label": "not_now"}, contact=c.id, schedule=False)
            mark_dnc(ws, who, c.id, reason="asked")
        deals.add_deal(ws, who, {"offer": "Seats"}, account=acc.id)
        deals.add_deal(ws, who, {"offer": "Support"}, account=acc.id)
    return {"admin": owner, "sara": sara}


@pytest.mark.parametrize("who", ["admin", "sara"])
@pytest.mark.parametrize("kind", ["contacts", "accounts", "dnc", "rejections", "audit",
                                  "deals"])
def test_a_page_after_a_token_is_read_from_the_index_where_the_last_ended(
        ws: Any, listed: dict[str, Any], who: str, kind: str) -> None:
    from notnow.services.capture.log import list_rejections
    from notnow.services.capture.optout import list_dnc
    from notnow.services.paging import next_after
    from notnow.services.records import accounts, contacts, deals
    from notnow.services.team.audit import audit_trail

    actor = listed[who]
    if kind == "audit" and who == "sara":  # the trail is for managers and admins
        from notnow.errors import PermissionDenied

        with pytest.raises(PermissionDenied):
            audit_trail(ws, actor, after="WzFd")
        return
    call, table = {"contacts": (contacts.list_contacts, "contacts"),
                   "accounts": (accounts.list_accounts, "accounts"),
                   "dnc": (list_dnc, "contacts"),
                   "rejections": (list_rejections, "rejections"),
                   "audit": (audit_trail, "audit_events"),
                   "deals": (deals.list_deals, "deals")}[kind]
    rows = call(ws, actor, limit=2)
    token = next_after(rows, 1)
    assert call(ws, actor, limit=5, after=token)[0] == rows[1]
    statement, params = _statement_of(ws, lambda: call(ws, actor, limit=5, after=token), table)
    plan = _plan(ws, statement, params)
    if ws.db.is_sqlite and who == "sara" and kind != "contacts":
        return  # by owner first, then sorted: SQLite's planner rightly prefers it on few rows
    if kind == "rejections" and not ws.db.is_sqlite:
        # read in time order from the report's index (time, label, …): only rejections of
        # the same instant are put in id order among themselves
        assert "Presorted Key: rejections.at" in plan, plan
        plan = plan.replace("Incremental Sort", "").replace("Sort Key", "")
    assert not _sorts(plan), plan
    if not ws.db.is_sqlite and not (kind == "accounts" and who == "sara"):
        # the position starts the index scan, not a filter over what it walked from the top
        # (a salesperson's accounts are theirs or where they own a contact: a filter anyway)
        first = {"contacts": "name_key", "accounts": "name_key", "dnc": "dnc_at",
                 "rejections": "at", "audit": "id", "deals": "id"}[kind]  # its first column
        bound = re.compile(rf"\b{first}\)?(::\w+)? [<>]=? ")
        assert any(bound.search(line) for line in plan.split(" | ") if "Index Cond:" in line), plan


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("token", [
    "", "!!!", "%%%", "A" * 2049, _b64(b"not json"), _b64(b"\xff\xfe"), _b64(b"{}"),
    _b64(b'["Ana"]'), _b64(b'["Ana", 1, 2]'), _b64(b'["Ana", "b"]'), _b64(b'["Ana", -1]'),
    _b64(b'["Ana", 0]'), _b64(b'["Ana", 1.5]'), _b64(b'["Ana", true]'),
    _b64(b'["Ana", 100000000000000000000000]'), _b64(b'["A\\u0000na", 1]'),
    _b64(b'[null, 1]'), _b64(('["' + "a" * 301 + '", 1]').encode()),
    _b64(b"[" * 1500)])  # nested deeper than Python's recursion limit: was a 500
def test_a_token_that_names_no_place_is_refused_with_the_field(ws: Any, token: str) -> None:
    """Not base64, not JSON, not [name, id], an id out of range, a NUL, too long: a 422 on
    ``after``, before any statement."""
    from notnow.errors import InvalidInput
    from notnow.services.capture.optout import list_dnc
    from notnow.services.records import contacts

    for call in (contacts.list_contacts, list_dnc):
        with pytest.raises(InvalidInput) as caught:
            call(ws, owner_of(ws), after=token)
        assert caught.value.field == "after"
        with pytest.raises(InvalidInput) as caught:  # and with an offset: that first
            call(ws, owner_of(ws), after=token, offset=1)
        assert caught.value.field == "offset" and "not both" in str(caught.value)
    from notnow.services.capture.optout import NEWEST_FIRST
    from notnow.services.paging import Keyset

    with pytest.raises(InvalidInput):  # a name where an instant belongs
        NEWEST_FIRST.decode(Keyset.token(("Ana", 3)))


def test_a_nested_token_never_reaches_the_json_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read to Python's recursion limit, the JSON reader made whatever else ran at that depth
    fail (a finalizer the collector called): a nested token is refused before it is read."""
    from types import SimpleNamespace

    from notnow.errors import InvalidInput
    from notnow.services import paging
    from notnow.services.records.contacts import BY_NAME

    read: list[str] = []

    def reading(text: str) -> list[object]:
        read.append(text)
        return []

    monkeypatch.setattr(paging, "json", SimpleNamespace(loads=reading))
    for raw in (b"[" * 1500, b'[["a"], 1]', b'[{"a": 1}, 1]', b'["a", [1]]'):
        with pytest.raises(InvalidInput):
            BY_NAME.decode(_b64(raw))
    assert read == []


@settings(max_examples=300, deadline=None)
@given(name=st.text(alphabet=st.characters(blacklist_categories=["Cs"],
                                           blacklist_characters="\x00"),
                    min_size=1, max_size=300),
       row=st.integers(1, 2**63 - 1))
def test_any_name_comes_back_from_its_token(name: str, row: int) -> None:
    """Brackets, braces, quotes and backslashes inside a name are text, not nesting."""
    from notnow.services.paging import Keyset
    from notnow.services.records.contacts import BY_NAME

    assert BY_NAME.decode(Keyset.token((name, row))) == (name, row)
