"""Logging a no through the API and the page: the same one call as the CLI — one transaction,
the whole plan within the caps, and opt-out words never overridden silently (issue 10)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select

from actors import owner_of
from promises import broken_promises
from web_support import Seed, csrf

API = "/api/v1"
OPT_OUT_WORDS = "Please remove me from your mailing list."


@contextmanager
def commits() -> Iterator[list[int]]:
    """How many transactions every engine commits in the block (reads roll back)."""
    seen: list[int] = []

    def count(_conn: Any) -> None:
        seen.append(1)

    event.listen(Engine, "commit", count)
    try:
        yield seen
    finally:
        event.remove(Engine, "commit", count)


def _stored(ws: Any) -> dict[str, int]:
    from notnow.storage.tables import FollowUp, Rejection, TrainingExample

    with ws.db.read() as s:
        return {name: len(list(s.scalars(select(table.id))))
                for name, table in (("rejections", Rejection), ("examples", TrainingExample),
                                    ("followups", FollowUp))}


def test_the_api_logs_plans_and_schedules_within_the_caps(client: TestClient, app: Any,
                                                         data: Seed) -> None:
    """It used to store and schedule the check-back only, with no caps: five "try me in
    April" gave five emails on one day."""
    first: Counter[str] = Counter()
    for _ in range(5):
        with commits() as seen:
            r = client.post(f"{API}/rejections", json={"contact_id": data.contact_id,
                                                        "text": "Not now, try me in April."})
        assert r.status_code == 201, r.text
        assert len(seen) == 1
        rules = Counter(f["rule"] for f in r.json()["followups"])
        assert rules["check-back"] == 1
        first = first if _ else rules
    # the first no gets the whole plan; after several in a row the plan lets them rest
    assert first["gentle-nurture"] >= 1 and rules["gentle-nurture"] == 0
    body = r.json()
    assert not broken_promises(app.state.ws)
    plan = client.get(f"{API}/rejections/{body['id']}/plan").json()
    assert {s["rule"] for s in plan["steps"] if s["scheduled"]} == set(rules)


def test_the_api_refuses_opt_out_words_under_another_label(client: TestClient, app: Any,
                                                          data: Seed) -> None:
    sent = {"contact_id": data.contact_id, "text": OPT_OUT_WORDS, "label": "not_now"}
    r = client.post(f"{API}/rejections", json=sent)
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "opt_out_detected" and error["field"] == "not_opt_out"
    assert "remove me" in error["message"]
    assert _stored(app.state.ws) == {"rejections": 0, "examples": 0, "followups": 0}
    why = "they asked to leave the newsletter, not to stop talking"
    r = client.post(f"{API}/rejections", json=sent, params={"not_opt_out": why})
    assert r.status_code == 201, r.text
    assert r.json()["override_reason"] == why and r.json()["label"] == "not_now"
    contact = client.get(f"{API}/contacts/{data.contact_id}").json()
    assert contact["do_not_contact"] is False


def test_the_page_asks_why_keeps_what_was_typed_and_logs_in_one_step(
        client: TestClient, app: Any, data: Seed) -> None:
    token = csrf(client)
    form = {"contact": str(data.contact_id), "text": OPT_OUT_WORDS, "label": "not_now",
            "notes": "she laughed", "csrf_token": token}
    r = client.post("/log", data=form)
    assert r.status_code == 409
    assert "read as an opt-out" in r.text and 'name="not_opt_out"' in r.text
    assert OPT_OUT_WORDS in r.text and "she laughed" in r.text
    assert re.search(r'<option value="not_now" selected>', r.text)
    assert _stored(app.state.ws)["rejections"] == 0
    preview = client.post("/log/preview", data={k: v for k, v in form.items()
                                                if k != "csrf_token"},
                          headers={"hx-request": "true", "x-csrf-token": token})
    assert 'id="opt-out-check"' in preview.text and 'name="not_opt_out"' in preview.text
    why = "an old newsletter, not us"
    with commits() as seen:
        r = client.post("/log", data={**form, "not_opt_out": why})
    assert r.status_code == 303, r.text
    assert len(seen) == 1  # stored, the correction learned and the plan scheduled together
    assert _stored(app.state.ws)["examples"] == 1 and _stored(app.state.ws)["followups"] > 0
    from notnow.services.capture.log import list_rejections

    [rej] = list_rejections(app.state.ws, owner_of(app.state.ws))
    assert rej.override_reason == why and rej.label.value == "not_now"


def test_the_cli_logs_in_one_transaction(cli: Any) -> None:  # type: ignore[no-untyped-def]
    cli("account", "add", "Acme", "--country", "US")
    cli("contact", "add", "Dana Ruiz", "--account", "acme", "--email", "dana@acme.example")
    with commits() as seen:
        out = cli("log", "--contact", "dana", "--text", "Budget is gone, try me in April.",
                  "--label", "not_now", "--yes", "--json")
    assert out.code == 0, out.err
    assert len(seen) == 1
    assert out.json()["followups"]
