"""The htmx pages, rendered by the server: content, fragments, errors, forms and CSRF."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from actors import owner_of
from web_support import Seed, csrf, has_reader

HX = {"hx-request": "true"}


def log(app: Any, contact: int, label: str, checkback: str, **extra: Any) -> Any:
    from notnow.services.capture.log import log_rejection

    return log_rejection(app.state.ws, owner_of(app.state.ws),
                         {"label": label, "checkback": checkback, **extra},
                         contact=contact)


def test_agenda_shows_who_how_and_why(client: TestClient, app: Any, data: Seed) -> None:
    assert "Nothing due" in client.get("/").text
    log(app, data.contact_id, "no_budget", "2026-11-23")
    html = client.get("/").text
    assert "Dana Lee" in html and "Acme Corp" in html and "Why:" in html
    assert "gracious reply" in html and "said: No budget" in html
    assert 'hx-post="/followups/' in html


def test_agenda_sees_writes_at_once(client: TestClient, app: Any, data: Seed) -> None:
    assert "Nothing due" in client.get("/").text  # cached now
    log(app, data.contact_id, "not_now", "2026-11-23")
    assert "Dana Lee" in client.get("/").text


def test_done_snooze_skip_answer_with_the_row(client: TestClient, app: Any,
                                              data: Seed) -> None:
    plan = log(app, data.contact_id, "not_now", "2026-11-23").followups
    ids = [plan[0].id, plan[-1].id]  # the thank-you today, the check-back later
    h = {**HX, "x-csrf-token": csrf(client)}
    done = client.post(f"/followups/{ids[0]}/done", data={"contact_name": "Dana Lee"}, headers=h)
    assert done.status_code == 200 and "✓ Done" in done.text and f'id="task-{ids[0]}"' in done.text
    snoozed = client.post(f"/followups/{ids[1]}/snooze", data={"days": "7"}, headers=h)
    assert "Snoozed" in snoozed.text and "back on" in snoozed.text
    again = client.post(f"/followups/{ids[0]}/skip", headers=h)
    assert again.status_code == 409 and again.headers["hx-retarget"] == "#flash"
    assert "already done" in again.text
    bad = client.post(f"/followups/{ids[1]}/explode", headers=h)
    assert bad.status_code == 422


def test_page_forms_need_the_csrf_token(client: TestClient, app: Any, data: Seed) -> None:
    fid = log(app, data.contact_id, "not_now", "2026-11-23").followups[0].id
    r = client.post(f"/followups/{fid}/done", headers=HX)
    assert r.status_code == 403 and "reload the page" in r.text
    r = client.post(f"/contacts/{data.contact_id}/dnc", data={"reason": "x"})
    assert r.status_code == 403
    assert client.get(f"/api/v1/contacts/{data.contact_id}").json()["do_not_contact"] is False


def test_account_page_is_an_entry_point_map(client: TestClient, app: Any, data: Seed) -> None:
    from notnow.services.learning.journal import add_entry

    log(app, data.other_contact_id, "gatekeeper", "2026-12-01", text="He is in meetings.")
    add_entry(app.state.ws, owner_of(app.state.ws),
              "The COO is the real buyer.", account=data.account_id)
    html = client.get(f"/accounts/{data.account_id}").text
    assert html.index("Front desk") < html.index("Operations")  # departments, sorted
    assert "Decision maker" in html and "Gatekeeper" in html
    assert "Fleet tracking" in html and "He is in meetings." in re.sub(r"<[^>]+>", "", html)
    assert "The COO is the real buyer." in html
    assert "Next steps" in html and "friendly chat with Sam" in html
    assert client.get("/accounts/9999").status_code == 404


def test_contact_page_and_dnc(client: TestClient, app: Any, data: Seed) -> None:
    log(app, data.contact_id, "not_now", "2026-12-01", text="Try again in December.")
    html = client.get(f"/contacts/{data.contact_id}").text
    assert "Try again in December." in html and "open to contact" in html
    assert 'id="dnc-form"' in html
    token = csrf(client)
    r = client.post(f"/contacts/{data.contact_id}/touch",
                    data={"channel": "call", "direction": "outbound", "outcome": "no answer",
                          "csrf_token": token})
    assert r.status_code == 303
    assert "no answer" in client.get(f"/contacts/{data.contact_id}").text
    r = client.post(f"/contacts/{data.contact_id}/dnc", data={"reason": "", "csrf_token": token})
    assert r.status_code == 422 and "say why" in r.text
    r = client.post(f"/contacts/{data.contact_id}/dnc",
                    data={"reason": "asked to stop", "csrf_token": token})
    assert r.status_code == 303
    html = client.get(f"/contacts/{data.contact_id}").text
    assert 'id="dnc-banner"' in html and "asked to stop" in html
    assert re.search(r"<fieldset disabled", html) and 'id="dnc-form"' not in html
    r = client.post(f"/contacts/{data.contact_id}/touch",
                    data={"channel": "call", "direction": "outbound", "csrf_token": token})
    assert r.status_code == 409 and "do-not-contact" in r.text


def test_log_page_and_accept_with_a_label(client: TestClient, data: Seed) -> None:
    html = client.get(f"/log?contact={data.contact_id}").text
    assert f'id="contact" name="contact" value="{data.contact_id}"' in html  # chosen
    assert 'hx-post="/log/preview"' in html
    token = csrf(client)
    r = client.post("/log", data={"contact": str(data.contact_id), "label": "not_now",
                                  "checkback": "2027-02-01", "notes": "call in Feb",
                                  "csrf_token": token})
    assert r.status_code == 303 and r.headers["location"].startswith(
        f"/contacts/{data.contact_id}?logged=")
    page = client.get(r.headers["location"]).text
    assert "Logged: Not now." in page
    r = client.post("/log", data={"contact": "", "label": "price", "csrf_token": token})
    assert r.status_code == 422 and "contact" in r.text


def test_preview_fragment_with_a_label_only(client: TestClient, data: Seed) -> None:
    r = client.post("/log/preview", data={"contact": str(data.contact_id),
                                          "label": "competitor_chosen"},
                    headers={**HX, "x-csrf-token": csrf(client)})
    assert r.status_code == 200 and "<html" not in r.text
    assert 'data-label="competitor_chosen"' in r.text and 'id="plan-steps"' in r.text


@pytest.mark.skipif(not has_reader(), reason="the classifier is not in this build")
def test_preview_reads_the_pasted_email(client: TestClient, data: Seed) -> None:
    r = client.post("/log/preview", data={
        "contact": str(data.contact_id),
        "text": "Hi,\nPlease take me off your mailing list.\nThanks"},
        headers={**HX, "x-csrf-token": csrf(client)})
    assert 'data-label="do_not_contact"' in r.text and "This is an opt-out" in r.text
    assert "<mark>" in r.text


def test_search_playbook_journal_pages(client: TestClient, data: Seed) -> None:
    assert "Dana Lee" in client.get("/search", params={"q": "dana"}).text
    assert "Nothing matches" in client.get("/search", params={"q": "zzzz"}).text
    assert "Search for" in client.get("/search").text
    pb = client.get("/playbook").text
    assert "When to check back" in pb and "Never a pest" in pb
    token = csrf(client)
    r = client.post("/journal", data={"text": "A hard day.", "feelings": "tired",
                                      "csrf_token": token})
    assert r.status_code == 303
    entry = client.get(r.headers["location"]).text
    assert "A hard day." in entry and "tired" in entry
    assert client.get("/journal/999").status_code == 404


def test_errors_are_html_pages_outside_the_api(client: TestClient) -> None:
    r = client.get("/no/such/page")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "Not found" in r.text
    assert client.get("/contacts/abc").status_code == 422
    assert client.get("/login").headers["location"] == "/"  # local mode: nobody signs in


def test_static_files_ship_htmx(client: TestClient) -> None:
    r = client.get("/static/htmx.min.js")
    assert r.status_code == 200 and "htmx" in r.text[:200]
    assert client.get("/static/notnow.css").status_code == 200
    assert 'src="/static/htmx.min.js' in client.get("/").text


def test_insights_page(client: TestClient, app: Any, data: Seed) -> None:
    log(app, data.contact_id, "competitor_chosen", "2027-05-03", competitor="Trackly")
    html = client.get("/insights").text
    assert "notnow-dashboard" in html and "<svg" in html and "Insights" in html
    assert client.get("/insights", params={"since": "2099-01-01"}).status_code == 422


def test_insights_on_a_large_history_wait_for_the_worker_and_say_so(
        client: TestClient, app: Any, data: Seed, monkeypatch: pytest.MonkeyPatch) -> None:
    from notnow.services.learning import insights
    from notnow.worker import Worker
    from notnow.worker.kinds import build_registry

    monkeypatch.setattr(insights, "INLINE_ROWS", 0)  # as with 100,000 contacts
    monkeypatch.setattr(insights, "INLINE_SECONDS", 0.0)
    log(app, data.contact_id, "competitor_chosen", "2027-05-03", competitor="Trackly")
    html = client.get("/insights?since=2020-01-01").text
    assert "being computed" in html and "notnow-dashboard" not in html
    assert 'hx-get="/insights?since=2020-01-01"' in html and 'hx-trigger="every 5s"' in html
    ws = app.state.ws
    assert Worker(ws.db, build_registry(), clock=ws.clock, workspace=ws).run_once().done == 1
    html = client.get("/insights?since=2020-01-01").text
    assert "notnow-dashboard" in html and "being computed" not in html
    log(app, data.contact_id, "no_budget", "2027-06-01")
    html = client.get("/insights?since=2020-01-01").text
    assert "notnow-dashboard" in html and "newer figures are being computed" in html


def test_pages_load_nothing_from_elsewhere(client: TestClient, data: Seed) -> None:
    for path in ("/", "/log", f"/accounts/{data.account_id}", f"/contacts/{data.contact_id}",
                 "/playbook", "/insights"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert not re.search(r'(src|href)="(https?:)?//', r.text), path
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-frame-options"] == "DENY"
    assert client.get("/api/docs").status_code == 404  # no docs page pulling from a CDN


def test_agenda_sees_writes_by_another_process(client: TestClient, app: Any, data: Seed,
                                               config: Any, clock: Any) -> None:
    """Another engine (as the CLI or a second worker would be): only the data version tells."""
    from notnow.services.capture.log import log_rejection
    from notnow.services.workspace import open_workspace

    assert "Nothing due" in client.get("/").text  # cached now
    other = open_workspace(config, clock=clock)
    try:
        log_rejection(other, owner_of(other), {"label": "not_now", "checkback": "2026-11-23"},
                      contact=data.other_contact_id)
    finally:
        other.close()
    assert "Sam Ortiz" in client.get("/").text


def test_team_page_and_the_team_reading_switch(client: TestClient) -> None:
    page = client.get("/team")
    assert page.status_code == 200 and "Team-wide reading is off" in page.text
    token = csrf(client)
    r = client.post("/team/visibility", data={"team_reading": "on", "csrf_token": token})
    assert r.status_code == 303 and r.headers["location"] == "/team"
    assert "Team-wide reading is on" in client.get("/team").text
    assert client.post("/team/visibility", data={"team_reading": "maybe",
                                                 "csrf_token": token}).status_code == 422
    assert client.post("/team/visibility", data={"team_reading": "off"}).status_code == 403


def test_an_admin_hands_an_account_over_from_its_page(client: TestClient, app: Any,
                                                      data: Seed) -> None:
    assert 'id="handover"' not in client.get(f"/accounts/{data.account_id}").text  # alone
    from notnow.services.team.auth import add_user

    sam = add_user(app.state.ws, owner_of(app.state.ws), {"name": "Sam Cole",
                                                          "email": "sam@example.com"})
    page = client.get(f"/accounts/{data.account_id}").text
    assert 'id="handover"' in page and "Sam Cole" in page
    r = client.post(f"/accounts/{data.account_id}/handover",
                    data={"to_user": sam.id, "csrf_token": csrf(client)})
    assert r.status_code == 303 and r.headers["location"] == f"/accounts/{data.account_id}"
    from notnow.services.records.accounts import list_accounts
    from notnow.services.team.acting import actor_for

    assert [a.id for a in list_accounts(app.state.ws, actor_for(app.state.ws, sam.id))] == [
        data.account_id]


@pytest.mark.parametrize(("days", "says"), [(1, "back tomorrow"), (10, "back on Thu 3 Dec")])
def test_a_snoozed_row_says_when_it_is_back_in_words(app: Any, days: int, says: str) -> None:
    """It used to say "back on tomorrow"."""
    from datetime import date, timedelta
    from types import SimpleNamespace

    today = date(2026, 11, 23)
    result = SimpleNamespace(id=7, contact_id=3, due=today + timedelta(days=days))
    html = app.state.templates.get_template("_task_closed.html").render(
        result=result, action="snooze", contact_name="Dana Lee", today=today, count=None)
    assert says in html and "back on tomorrow" not in html
