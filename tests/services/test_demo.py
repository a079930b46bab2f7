"""`notnow demo`: a realistic, deterministic demo that makes the agenda alive.

Most checks read one demo loaded into a real SQLite file (module fixture); loading on every
backend, refusing a non-empty workspace and rolling back on failure use fresh workspaces.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from actors import owner_of
from notnow import settings
from notnow.core.businessdays import is_business_day
from notnow.core.clock import FixedClock
from notnow.core.model import Label, Role, Stage
from notnow.errors import Conflict
from notnow.services.demo.load import load_demo
from notnow.services.followups.agenda import agenda
from notnow.services.workspace import Workspace, open_workspace
from notnow.storage.tables import (
    Account,
    Autopsy,
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

DEMO_NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # a Monday
TABLES = (Account, Contact, Deal, Rejection, Touch, Signal, FollowUp, Capability,
          CapabilityRequest, ReferenceCustomer, JournalEntry, Autopsy)
SHARED = Path("/work/shared")


def _open(home: Path, now: datetime = DEMO_NOW) -> Workspace:
    return open_workspace(settings.load({"NOTNOW_HOME": str(home)}), clock=FixedClock(now))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, dict[str, int]]]:
    ws = _open(tmp_path_factory.mktemp("demo"))
    summary = load_demo(ws, owner_of(ws))
    yield ws, summary
    ws.close()


def _rows(ws: Workspace, table: Any) -> list[Any]:
    with ws.db.read() as s:
        rows = list(s.scalars(select(table).order_by(table.id)))
        s.expunge_all()  # keep the loaded values after the read transaction ends
        return rows


def _count(ws: Workspace, table: Any) -> int:
    with ws.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


def _dump(ws: Workspace, table: Any) -> list[dict[str, Any]]:
    return [{c.name: getattr(r, c.key) for c in table.__table__.columns}
            for r in _rows(ws, table)]


# --- what is in it -------------------------------------------------------------------------

def test_summary_counts_what_was_stored(demo: tuple[Workspace, dict[str, int]]) -> None:
    ws, summary = demo
    assert summary["accounts"] == _count(ws, Account) >= 30
    assert summary["contacts"] == _count(ws, Contact) >= 80
    assert summary["deals"] == _count(ws, Deal) > 0
    assert summary["rejections"] == _count(ws, Rejection) >= 150
    assert summary["touches"] == _count(ws, Touch) > summary["rejections"]
    assert summary["follow-ups"] == _count(ws, FollowUp) > 0
    assert summary["signals"] == _count(ws, Signal) > 0


def test_accounts_span_countries_sizes_and_fiscal_years(
        demo: tuple[Workspace, dict[str, int]]) -> None:
    ws, _ = demo
    accounts = _rows(ws, Account)
    countries = {a.country for a in accounts}
    assert {"US", "GB", "DE", "FR", "CA", "AU", "NL", "ES", "SE", "IN", "JP", "BR"} <= countries
    sizes = [a.employees for a in accounts]
    assert min(sizes) <= 10 and max(sizes) >= 15_000
    assert {4, 7, 10} <= {a.fiscal_year_start for a in accounts}
    assert len({a.industry for a in accounts}) >= 15
    for a in accounts:
        assert a.timezone and "/" in a.timezone
        assert a.rapport_notes and a.domain


def test_contacts_have_roles_and_reachable_details(demo: tuple[Workspace, dict[str, int]]) -> None:
    ws, _ = demo
    accounts = {a.id: a for a in _rows(ws, Account)}
    contacts = _rows(ws, Contact)
    roles = Counter(c.role for c in contacts)
    for role in (Role.GATEKEEPER, Role.DECISION_MAKER, Role.INFLUENCER, Role.USER,
                 Role.EXECUTIVE):
        assert roles[role.value] >= 3, role
    for c in contacts:
        assert c.email and c.email.endswith("@" + accounts[c.account_id].domain)
        assert c.title and c.department
    assert sum(1 for c in contacts if c.phone) > len(contacts) // 2
    assert sum(1 for c in contacts if c.linkedin) > len(contacts) // 3
    assert len({c.name for c in contacts}) == len(contacts)


def test_rejections_cover_every_label_and_stage(demo: tuple[Workspace, dict[str, int]]) -> None:
    ws, _ = demo
    rejections = _rows(ws, Rejection)
    labels = Counter(r.label for r in rejections)
    stages = Counter(r.stage for r in rejections)
    assert {label.value for label in Label} == set(labels)
    assert min(labels.values()) >= 5
    assert {s.value for s in Stage} == set(stages)
    assert min(stages.values()) >= 10
    assert len({r.text for r in rejections}) == len(rejections)
    assert {r.label_source for r in rejections} == {"demo"}
    assert len({r.channel for r in rejections}) >= 4
    assert sum(1 for r in rejections if r.feelings) >= 40
    assert sum(1 for r in rejections if r.notes) >= 60
    assert sum(1 for r in rejections if r.competitor) >= 10
    assert sum(1 for r in rejections if r.capability) >= 10
    assert sum(1 for r in rejections if r.referral) >= 8


def test_evidence_spans_point_into_the_words(demo: tuple[Workspace, dict[str, int]]) -> None:
    ws, _ = demo
    for r in _rows(ws, Rejection):
        assert r.text and "[[" not in r.text and "<<" not in r.text and "{" not in r.text
        assert any(e["label"] == r.label for e in r.evidence), r.text
        for e in r.evidence:
            assert r.text[e["start"]:e["end"]] == e["text"]
        if r.checkback_phrase:
            assert r.checkback_phrase in r.text


def test_time_hints_become_later_checkbacks(demo: tuple[Workspace, dict[str, int]]) -> None:
    ws, _ = demo
    accounts = {a.id: a for a in _rows(ws, Account)}
    hinted = [r for r in _rows(ws, Rejection) if r.checkback is not None]
    assert len(hinted) >= 30
    for r in hinted:
        assert r.checkback > r.at.date(), r.text
        assert is_business_day(r.checkback, accounts[r.account_id].country), r.checkback
    back = [r for r in _rows(ws, Rejection) if r.return_date is not None]
    assert back and all(r.label == Label.AUTO_REPLY.value for r in back)


def test_opt_outs_are_marked_and_never_followed_up(demo: tuple[Workspace, dict[str, int]]) -> None:
    ws, _ = demo
    dnc = [c for c in _rows(ws, Contact) if c.dnc_at is not None]
    opt_outs = [r for r in _rows(ws, Rejection) if r.label == Label.DO_NOT_CONTACT.value]
    assert len(dnc) >= 3 and {c.id for c in dnc} == {r.contact_id for r in opt_outs}
    ids = {c.id for c in dnc}
    for c in dnc:
        assert c.dnc_source == "prospect"
        assert c.dnc_reason and c.dnc_reason.startswith("“")
    assert not [f for f in _rows(ws, FollowUp) if f.contact_id in ids]
    dnc_at = {c.id: c.dnc_at for c in dnc}
    late = [t for t in _rows(ws, Touch) if t.contact_id in ids and t.direction == "outbound"
            and t.at > dnc_at[t.contact_id]]
    assert not late


def test_agenda_today_is_a_believable_day(demo: tuple[Workspace, dict[str, int]]) -> None:
    ws, summary = demo
    today = ws.today()
    items = agenda(ws, owner_of(ws), today)
    assert 8 <= len(items) <= 20
    assert summary["due today"] == len(items)
    assert len({i.channel for i in items}) >= 3
    assert len({i.purpose for i in items}) >= 6
    assert len({i.contact_id for i in items}) == len(items)
    assert all(i.why for i in items)
    assert any(i.due == today for i in items) and any(i.due < today for i in items)
    assert all((today - i.due).days <= 14 for i in items)


def test_the_days_after_have_work(demo: tuple[Workspace, dict[str, int]]) -> None:
    ws, _ = demo
    rows = [f for f in _rows(ws, FollowUp) if f.status == "due"]
    today = ws.today()
    for n in range(1, 8):
        day = today + timedelta(days=n)
        if day.weekday() < 5:
            assert sum(1 for f in rows if f.due == day) >= 1, day
    assert sum(1 for f in rows if f.due > today + timedelta(days=60)) >= 20
    past = [f for f in _rows(ws, FollowUp) if f.status == "done"]
    assert past and all(f.closed_at is not None for f in past)


def test_history_spans_the_past_year(demo: tuple[Workspace, dict[str, int]]) -> None:
    ws, _ = demo
    now = ws.now()
    touches = _rows(ws, Touch)
    ats = [t.at.replace(tzinfo=UTC) for t in touches]
    assert max(ats) <= now and min(ats) >= now - timedelta(days=400)
    assert now - min(ats) > timedelta(days=300)
    channels = Counter(t.channel for t in touches)
    for channel in ("call", "voicemail", "email", "linkedin", "note", "parcel", "drop_in",
                    "meeting"):
        assert channels[channel] >= 1, channel
    kinds = {s.kind for s in _rows(ws, Signal)}
    assert {"opened", "replied", "ignored", "referred"} <= kinds


def test_no_became_yes_and_learning_is_seeded(demo: tuple[Workspace, dict[str, int]]) -> None:
    ws, _ = demo
    rejections = _rows(ws, Rejection)
    won = [d for d in _rows(ws, Deal) if d.status == "won"]
    assert len(won) >= 2
    for d in won:
        earlier = [r for r in rejections if r.account_id == d.account_id
                   and r.label not in ("interested", "auto_reply") and r.at < d.closed_at]
        assert earlier, d.offer
    assert {d.status for d in _rows(ws, Deal)} >= {"open", "won", "lost", "nurturing"}
    assert len({d.currency for d in _rows(ws, Deal)}) >= 6
    caps = _rows(ws, Capability)
    assert any(c.status == "shipped" for c in caps) and len(caps) >= 5
    assert _count(ws, CapabilityRequest) >= len(caps)
    assert any(ref.account_id is not None for ref in _rows(ws, ReferenceCustomer))
    journal = _rows(ws, JournalEntry)
    assert journal and {j.author_id for j in journal} == {ws.owner_id}
    assert _rows(ws, Autopsy)


# --- how it loads --------------------------------------------------------------------------

def test_loads_on_every_backend(ws: Workspace) -> None:
    said: list[str] = []
    summary = load_demo(ws, owner_of(ws), progress=said.append)
    assert len(said) >= 3
    assert summary["rejections"] == _count(ws, Rejection)
    assert 8 <= len(agenda(ws, owner_of(ws), ws.today())) <= 20


def test_same_clock_same_demo(demo: tuple[Workspace, dict[str, int]], tmp_path: Path) -> None:
    first, _ = demo
    second = _open(tmp_path)
    try:
        load_demo(second, owner_of(second))
        for table in TABLES:
            assert _dump(first, table) == _dump(second, table), table.__tablename__
    finally:
        second.close()


def test_dates_follow_the_clock(demo: tuple[Workspace, dict[str, int]], tmp_path: Path) -> None:
    first, _ = demo
    later = _open(tmp_path, DEMO_NOW + timedelta(days=100))
    try:
        load_demo(later, owner_of(later))

        def newest(ws: Workspace) -> date:
            return max(r.at for r in _rows(ws, Rejection)).date()

        assert (newest(later) - newest(first)).days >= 90
        assert 8 <= len(agenda(later, owner_of(later), later.today())) <= 20
    finally:
        later.close()


def test_refuses_a_workspace_with_data_unless_forced(ws: Workspace) -> None:
    from notnow.services.records.accounts import add_account

    add_account(ws, owner_of(ws), {"name": "Our real customer"})
    with pytest.raises(Conflict, match="already has 1 accounts; use --force"):
        load_demo(ws, owner_of(ws))
    assert _count(ws, Account) == 1
    assert _count(ws, Contact) == _count(ws, Rejection) == _count(ws, FollowUp) == 0
    first = load_demo(ws, owner_of(ws), force=True)
    second = load_demo(ws, owner_of(ws),
                       force=True)  # twice: shared capabilities are reused, not doubled
    assert _count(ws, Account) == 1 + first["accounts"] + second["accounts"]
    assert _count(ws, Rejection) == first["rejections"] * 2


def test_a_failure_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import notnow.services.demo.load as demo_module

    def broken(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(demo_module, "_mark_opt_outs", broken)
    ws = _open(tmp_path)
    try:
        with pytest.raises(RuntimeError, match="disk on fire"):
            load_demo(ws, owner_of(ws))
        for table in TABLES:
            assert _count(ws, table) == 0, table.__tablename__
    finally:
        ws.close()


def test_cli_demo_then_agenda(cli: Any) -> None:
    loaded = cli("demo", "--json")
    assert loaded.code == 0, loaded.err
    assert loaded.json()["accounts"] >= 30
    again = cli("demo")
    assert again.code == 1 and "--force" in again.err
    day = cli("agenda", "--json")
    assert day.code == 0 and 8 <= len(json.loads(day.out)) <= 20


# --- the words are our own -----------------------------------------------------------------

@pytest.mark.skipif(not SHARED.exists(), reason="the shared seeds and dev data are not here")
def test_demo_words_are_not_copied_from_seeds_or_dev_data() -> None:
    from notnow.services.demo.data import all_replies
    from notnow.services.demo.data.markup import unmark

    sources = [p.read_text(encoding="utf-8", errors="replace").lower()
               for p in sorted((SHARED / "seeds").glob("*.txt"))]
    for line in (SHARED / "data" / "dev_rejections.jsonl").read_text().splitlines():
        if line.strip():
            sources.append(str(json.loads(line).get("text", "")).lower())
    corpus = "\n".join(sources)
    for reply in all_replies():
        words = unmark(reply.text, reply.label).text.lower().split()
        for i in range(len(words) - 7):
            chunk = " ".join(words[i:i + 8])
            if "{" not in chunk:
                assert chunk not in corpus, chunk
