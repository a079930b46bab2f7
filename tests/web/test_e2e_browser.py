"""End to end in a real browser: Debian's Chromium through Playwright, against a real server.

Skipped, saying why, when /usr/bin/chromium or the playwright package is missing.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from actors import as_id, owner_of
from web_support import Seed, has_reader, running_server, seed

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "correct horse battery"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None,
                       reason="the playwright package is not installed (pip install playwright)"),
]
needs_reader = pytest.mark.skipif(not has_reader(), reason="the classifier is not in this build")


def has_followup_actions() -> bool:
    return importlib.util.find_spec("notnow.services.followups.actions") is not None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(params=["sqlite"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """One database kind is enough in the browser (the API tests cover PostgreSQL)."""
    return f"sqlite:///{tmp_path / 'notnow.db'}"


@pytest.fixture
def local(config: Any, clock: Any) -> Iterator[tuple[Any, str]]:
    from notnow.web import create_app

    app = create_app(config, clock=clock)
    with running_server(app) as base:
        yield app, base
    app.state.ws.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def api(page: Any, method: str, path: str, body: dict[str, Any] | None = None,
        form: dict[str, str] | None = None) -> dict[str, Any]:
    """Send a request from inside the page, as its own scripts would (cookies, CSRF header)."""
    result: dict[str, Any] = page.evaluate(
        """async ([method, path, body, form]) => {
            const csrf = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token'];
            const headers = {'X-CSRF-Token': csrf};
            let payload;
            if (form) { payload = new URLSearchParams(form); }
            else if (body) { payload = JSON.stringify(body);
                             headers['Content-Type'] = 'application/json'; }
            const r = await fetch(path, {method, headers, body: payload, redirect: 'manual'});
            const text = await r.text();
            let json = null; try { json = JSON.parse(text); } catch (e) {}
            return {status: r.status, json, text};
        }""", [method, path, body, form])
    return result


def _due(ws: Any, data: Seed, label: str, on: str, contact: int | None = None) -> None:
    """A no stored without its plan, and one check-back for it due ``on`` (a plan would
    schedule several steps; the agenda tests want one row per person)."""
    from datetime import date as day

    from notnow.services.capture.log import log_rejection
    from notnow.storage.tables import FollowUp

    rej = log_rejection(ws, owner_of(ws), {"label": label, "checkback": on},
                        contact=contact or data.contact_id, schedule=False)
    with ws.db.write() as s:
        s.add(FollowUp(contact_id=rej.contact_id, account_id=rej.account_id,
                       rejection_id=rej.id, due=day.fromisoformat(on), channel="email",
                       purpose="check back as agreed", why="they said when", status="due",
                       rule="check-back", owner_id=ws.owner_id, created_at=ws.now()))


@needs_reader
def test_log_a_rejection_by_pasting_an_email_and_accept_the_plan(local: Any, page: Any) -> None:
    app, base = local
    data = seed(app.state.ws)
    page.goto(f"{base}/log?contact={data.contact_id}")
    page.fill("#text", "Hi,\n\nThanks for the proposal. Our budget is frozen until the new "
                       "fiscal year, so not now.\n\nBest,\nDana")
    page.wait_for_selector("#read-label")
    read = page.get_attribute("#read-label", "data-label")
    assert read in ("no_budget", "not_now")
    assert page.locator("#evidence mark").count() >= 1
    page.click("#accept")
    page.wait_for_url(re.compile(r"/contacts/\d+\?logged=\d+"))
    assert "Logged:" in page.inner_text("#logged")
    stored = api(page, "GET", f"/api/v1/rejections?contact_id={data.contact_id}")
    rej = stored["json"]["items"][0]
    assert rej["label"] == read and rej["label_source"] == "model"
    assert rej["text"].startswith("Hi,")
    steps = api(page, "GET", f"/api/v1/contacts/{data.contact_id}/activity")["json"]
    assert steps["next_steps"], "accepting the plan schedules the comeback"
    assert page.locator("text=" + steps["next_steps"][0]["purpose"]).count() >= 1


@needs_reader
def test_correct_the_label_before_accepting(local: Any, page: Any) -> None:
    app, base = local
    data = seed(app.state.ws)
    page.goto(f"{base}/log?contact={data.contact_id}")
    page.fill("#text", "We already signed with another vendor last week.")
    page.wait_for_selector("#read-label")
    page.select_option("#label", "price")
    page.wait_for_selector("text=You corrected it")
    page.click("#accept")
    page.wait_for_url(re.compile(r"/contacts/\d+\?logged=\d+"))
    rej = api(page, "GET", "/api/v1/rejections")["json"]["items"][0]
    assert rej["label"] == "price" and rej["label_source"] == "manual"


@pytest.mark.skipif(not has_followup_actions(), reason="follow-up actions are not built yet")
def test_work_the_agenda_in_place(local: Any, page: Any) -> None:
    app, base = local
    ws = app.state.ws
    data = seed(ws)
    today = ws.today().isoformat()
    _due(ws, data, "not_now", today)
    _due(ws, data, "price", today, contact=data.other_contact_id)
    from notnow.services.records.contacts import add_contact

    third = add_contact(ws, owner_of(ws),
                        {"name": "Lu Chen", "role": "user"}, account=data.account_id)
    _due(ws, data, "no_need", today, contact=third.id)
    page.goto(base + "/")
    rows = page.locator("#agenda > li")
    assert rows.count() == 3
    first, second, last = (rows.nth(i).get_attribute("id") for i in range(3))
    page.locator(f"#{first} button:has-text('Done')").click()
    page.wait_for_selector(f"#{first}.closed")
    assert "Done" in page.inner_text(f"#{first}")
    focused = page.evaluate("document.activeElement.closest('li') && "
                            "document.activeElement.closest('li').id")
    assert focused == second  # the keyboard moves on to the next person
    page.select_option(f"#{second} select", "7")
    page.locator(f"#{second} button:has-text('Snooze')").click()
    page.wait_for_selector(f"#{second}.closed")
    assert "Snoozed" in page.inner_text(f"#{second}")
    page.locator(f"#{last} button:has-text('Skip')").click()
    page.wait_for_selector(f"#{last}.closed")
    assert "Skipped" in page.inner_text(f"#{last}")
    page.reload()
    assert page.locator("#agenda > li").count() == 0
    assert "Nothing due" in page.inner_text("main")
    later = api(page, "GET", f"/api/v1/agenda?day={date.fromordinal(ws.today().toordinal() + 8)}")
    assert [i["contact_id"] for i in later["json"]["items"]] == [data.other_contact_id]


def test_do_not_contact_makes_every_scheduling_control_refuse(local: Any, page: Any) -> None:
    app, base = local
    ws = app.state.ws
    data = seed(ws)
    _due(ws, data, "not_now", ws.today().isoformat())
    followup = api_followups(ws, data.contact_id)
    page.goto(f"{base}/contacts/{data.contact_id}")
    assert page.locator(f"#task-{followup}").count() == 1
    page.fill("#dnc-reason", "asked us to stop calling")
    page.click("#dnc-form button[type=submit]")
    page.wait_for_selector("#dnc-banner")
    assert "asked us to stop calling" in page.inner_text("#dnc-banner")
    assert page.locator(f"#task-{followup}").count() == 0  # cancelled
    assert page.locator("#touch-form fieldset").get_attribute("disabled") is not None
    assert page.locator("#touch-submit").is_disabled()
    assert page.locator("#touch-channel").is_disabled()
    assert page.locator("#dnc-form").count() == 0

    touch = api(page, "POST", f"/contacts/{data.contact_id}/touch",
                form={"channel": "call", "direction": "outbound"})
    assert touch["status"] == 409 and "do-not-contact" in touch["text"]
    via_api = api(page, "POST", "/api/v1/touches", {"contact_id": data.contact_id,
                                                   "channel": "email"})
    assert via_api["status"] == 409 and via_api["json"]["error"]["code"] == "do_not_contact"
    for action in ("snooze", "done", "skip"):
        moved = api(page, "POST", f"/followups/{followup}/{action}", form={"days": "3"})
        assert moved["status"] >= 400, action
    logged = api(page, "POST", "/api/v1/rejections", {"contact_id": data.contact_id,
                                                     "label": "not_now",
                                                     "checkback": "2027-03-01"})
    # their words are kept (they may matter later), but nothing is scheduled from them
    assert logged["status"] == 201, logged
    assert logged["json"]["followups"] == []
    agenda = api(page, "GET", "/api/v1/agenda?day=2027-12-31")["json"]["items"]
    assert all(i["contact_id"] != data.contact_id for i in agenda)
    page.goto(f"{base}/log?contact={data.contact_id}")
    assert "do not contact" in page.inner_text("#contact-chosen")
    page.select_option("#label", "not_now")
    page.fill("#checkback", "2027-03-01")
    page.click("#accept")
    page.wait_for_url(re.compile(r"/contacts/\d+\?logged=\d+"))
    assert "asked us to stop calling" in page.inner_text("#dnc-banner")
    later = api(page, "GET", "/api/v1/agenda?day=2027-12-31")["json"]["items"]
    assert all(i["contact_id"] != data.contact_id for i in later)


def api_followups(ws: Any, contact_id: int) -> int:
    from notnow.services.records.activity import contact_activity

    return contact_activity(ws, owner_of(ws), contact_id).next_steps[0].id


# --- team mode --------------------------------------------------------------------------------


@pytest.fixture
def team(config: Any, clock: Any) -> Iterator[tuple[Any, str]]:
    from notnow.services.team.auth import add_user
    from notnow.web import create_app

    app = create_app(config, clock=clock, team=True)
    ws = app.state.ws
    boss = add_user(ws, owner_of(ws),
                    {"name": "Max Manager", "email": "max@example.com", "role": "manager",
                         "password": PASSWORD})
    add_user(ws, owner_of(ws),
             {"name": "Sara Seller", "email": "sara@example.com", "password": PASSWORD},
             manager=boss.id)
    add_user(ws, owner_of(ws),
             {"name": "Tom Seller", "email": "tom@example.com", "password": PASSWORD})
    with running_server(app) as base:
        yield app, base
    ws.close()


def login(page: Any, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/journal")
    page.wait_for_url(re.compile(r"/login\?next=/journal"))
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")


def test_team_login_roles_and_private_journals(team: Any, browser: Any) -> None:
    from notnow.services.learning.journal import add_entry
    from notnow.services.team.auth import list_users

    app, base = team
    ws = app.state.ws
    ids = {u.email: u.id for u in list_users(ws, owner_of(ws))}
    secret = add_entry(ws, as_id(ws, ids["sara@example.com"]), "Lost Acme; I felt dismissed.")

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    login(page, base, "tom@example.com", "not the password")
    assert "wrong email or password" in page.inner_text("#login-error")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/journal")
    assert "Tom Seller" in page.inner_text("header")
    cookie = next(c for c in context.cookies() if c["name"] == "notnow_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    response = page.goto(f"{base}/journal/{secret.id}")
    assert response is not None and response.status == 404
    assert "felt dismissed" not in page.content()
    assert api(page, "GET", f"/api/v1/journal/{secret.id}")["status"] == 404
    sara_agenda = api(page, "GET", f"/api/v1/agenda?user_id={ids['sara@example.com']}")
    assert sara_agenda["status"] == 404
    forged = page.evaluate("""async () => (await fetch('/api/v1/accounts', {method: 'POST',
        headers: {'Content-Type': 'application/json'}, body: '{"name": "x"}'})).status""")
    assert forged == 403  # no CSRF header
    context.close()

    context = browser.new_context()
    page = context.new_page()
    login(page, base, "max@example.com")
    page.wait_for_url(f"{base}/journal")
    assert api(page, "GET", f"/api/v1/agenda?user_id={ids['sara@example.com']}")["status"] \
        == 200
    assert api(page, "GET", f"/api/v1/journal/{secret.id}")["status"] == 404
    page.goto(f"{base}/journal/{secret.id}")
    assert "felt dismissed" not in page.content()
    context.close()

    context = browser.new_context()
    page = context.new_page()
    login(page, base, "sara@example.com")
    page.wait_for_url(f"{base}/journal")
    assert "felt dismissed" in page.inner_text("main")
    page.goto(f"{base}/journal/{secret.id}")
    assert "felt dismissed" in page.inner_text("#journal-entry")
    context.close()
