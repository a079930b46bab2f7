"""The insights page kept ready (issue 14): figures stored with the data version they were
computed at, shown at once while current, recomputed by the worker — not the request — on a
large history, and never shown beyond the scope the person may see."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from actors import owner_of, user


def _render(rep: Any) -> str:
    return f"<p>{rep.scope.describe()}: {rep.kpis[0][1] if rep.kpis else '-'}</p>"


def _no(ws: Any, actor: Any, name: str = "Lucía Pérez") -> None:
    from notnow.services.capture.log import log_rejection
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact

    acc = add_account(ws, actor, {"name": f"{name} Inc"})
    c = add_contact(ws, actor, {"name": name}, account=acc.id)
    log_rejection(ws, actor, {"label": "no_budget"}, contact=c.id)


def _jobs(ws: Any) -> list[Any]:
    from notnow.storage.tables import Job

    with ws.db.read() as s:
        return list(s.execute(select(Job.kind, Job.key, Job.status)))


def _work(ws: Any) -> Any:
    from notnow.worker import Worker
    from notnow.worker.kinds import build_registry

    return Worker(ws.db, build_registry(), clock=ws.clock, workspace=ws).run_once()


def test_a_small_history_is_computed_in_the_request_and_kept_until_the_data_changes(
        ws: Any) -> None:
    from notnow.services.learning import insights

    owner = owner_of(ws)
    _no(ws, owner)
    calls: list[str] = []

    def render(rep: Any) -> str:
        calls.append(rep.scope.describe())
        return _render(rep)

    first = insights.figures(ws, owner, render)
    assert first.current and first.body is not None and len(calls) == 1
    again = insights.figures(ws, owner, render)
    assert again.body == first.body and len(calls) == 1  # kept: not computed again
    _no(ws, owner, "Olle Berg")  # a write: the version changes
    later = insights.figures(ws, owner, render)
    assert later.current and len(calls) == 2
    assert _jobs(ws) == []


def test_a_large_history_is_computed_by_the_worker_and_the_last_figures_shown_meanwhile(
        ws: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from notnow.services.learning import insights

    monkeypatch.setattr(insights, "INLINE_ROWS", 0)
    monkeypatch.setattr(insights, "INLINE_SECONDS", 0.0)
    owner = owner_of(ws)
    _no(ws, owner)
    waiting = insights.figures(ws, owner, _render)
    assert waiting.body is None and not waiting.current
    assert [k for k, _, st in _jobs(ws) if st == "pending"] == [insights.KIND]
    insights.figures(ws, owner, _render)  # a second look queues no second job
    assert len(_jobs(ws)) == 1
    assert _work(ws).done == 1
    ready = insights.figures(ws, owner, None)  # type: ignore[arg-type]  (not rendered here)
    assert ready.current and ready.body is not None and "whole team" in ready.body
    _no(ws, owner, "Olle Berg")
    stale = insights.figures(ws, owner, _render)
    assert not stale.current and stale.body == ready.body and stale.computed_at is not None
    assert _work(ws).done == 1
    assert insights.figures(ws, owner, _render).current


def test_each_scope_is_kept_apart_and_a_salesperson_sees_only_their_own(ws: Any) -> None:
    from notnow.errors import NotFound
    from notnow.services.learning import insights

    owner = owner_of(ws)
    ana, ben = user(ws, "Ana"), user(ws, "Ben")
    _no(ws, ana)
    _no(ws, ben, "Olle Berg")
    mine = insights.figures(ws, ana, _render)
    assert mine.body is not None and "Ana" in mine.body
    team = insights.figures(ws, owner, _render)
    assert team.body is not None and "whole team" in team.body
    assert insights.figures(ws, ana, _render).body == mine.body
    with pytest.raises(NotFound):
        insights.figures(ws, ana, _render, for_user=ben.id)
