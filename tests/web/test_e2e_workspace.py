"""The browser as a full workspace, in a real browser: Debian's Chromium through Playwright,
against a real server on the demo workspace, at a desktop (1366×768) and a phone (390×844)
width.

Every page opened fails the test on a console error or an uncaught script error, and at the
phone width on sideways scrolling; axe-core (from the npm registry, hash-checked) checks every
page for serious or critical accessibility violations. Then each flow: the contact picker and a
new contact from "Log a no" without leaving it, a form that keeps what was typed, the plan that
follows the check-back date; new accounts, contacts and deals; the agenda's filters, week, bulk
actions, undo, count and shortcuts; a contact's channels at the top; insights tables that fit.

One browser and one server for the file; skipped, saying why, without Chromium or Playwright.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from actors import owner_of
from web_support import running_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE_VERSION = "4.14.1"
AXE_CACHE = Path(__file__).parent / ".axe-cache"  # git-ignored
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # 4.14.1
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # a Monday, as the rest of the suite
# htmx marks an element while its request is out (htmx-request), while its answer goes in
# (htmx-swapping, htmx-settling) and the new content for a moment after (htmx-added, which the
# stylesheet fades in); an animation that repeats for ever (a spinner) never finishes.
SETTLED = """() => !document.querySelector(
    '.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')
    && document.getAnimations().every(a => a.playState !== 'running'
        || a.effect.getComputedTiming().iterations === Infinity)"""
WIDTHS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None,
                       reason="the playwright package is not installed (pip install playwright)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    from notnow import settings
    from notnow.core.clock import FixedClock
    from notnow.services.demo.load import load_demo
    from notnow.web import create_app

    home = tmp_path_factory.mktemp("workspace")
    config = settings.load({"NOTNOW_HOME": str(home),
                            "NOTNOW_DATABASE_URL": f"sqlite:///{home / 'notnow.db'}"})
    app = create_app(config, clock=FixedClock(NOW))
    load_demo(app.state.ws, owner_of(app.state.ws))
    with running_server(app) as base:
        yield app, base
    app.state.ws.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core from the npm registry (`npm pack`), checked against its known hash and kept in
    a git-ignored cache: a third party's file, so not in the repository."""
    import shutil
    import subprocess
    import tarfile

    target = AXE_CACHE / f"axe-{AXE_VERSION}.min.js"
    if not target.exists():
        if shutil.which("npm") is None:
            pytest.skip("npm is absent: axe-core comes from the npm registry")
        AXE_CACHE.mkdir(exist_ok=True)
        packed = subprocess.run(["npm", "pack", f"axe-core@{AXE_VERSION}", "--silent",
                                 "--pack-destination", str(AXE_CACHE)],
                                capture_output=True, text=True, timeout=120)
        if packed.returncode != 0:
            pytest.skip(f"npm could not fetch axe-core {AXE_VERSION}: {packed.stderr[-300:]}")
        tarball = AXE_CACHE / packed.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as tar:
            member = tar.extractfile("package/axe.min.js")
            assert member is not None
            target.write_bytes(member.read())
        tarball.unlink()
    source = target.read_bytes()
    assert hashlib.sha256(source).hexdigest() == AXE_SHA256, f"{target} is not axe-core"
    return source.decode()


class Tab:
    """A page at one width that remembers every console error and script error it saw."""

    def __init__(self, page: Any, width: str, base: str) -> None:
        self.page, self.width, self.base = page, width, base
        self.errors: list[str] = []
        self.expected: list[str] = []  # console errors a step causes on purpose (a 4xx form)
        page.on("console", lambda m: self.errors.append(f"console: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"script: {e}"))

    @property
    def phone(self) -> bool:
        return self.width == "phone"

    def go(self, path: str) -> Any:
        """Open ``path`` and wait until what the page asks for as it loads (the live reading
        on "Log a no") has come back and settled: a page is checked as a person sees it, not
        halfway through a swap, faded in."""
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (path, response)
        self.settle()
        self.fits(path)
        return response

    def settle(self) -> None:
        """No htmx request on its way, no swap settling, no animation under way."""
        self.page.wait_for_function(SETTLED)

    def fits(self, what: str) -> None:
        """No sideways scrolling at the phone width."""
        if self.phone:
            extra = self.page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert extra <= 0, f"{what}: scrolls sideways by {extra}px at 390px"

    def expect_refusal(self, status: int) -> None:
        """A form this step submits on purpose answers ``status`` (Chromium logs that)."""
        self.expected.append(f"status of {status}")

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(x in e for x in self.expected)]


@pytest.fixture(params=list(WIDTHS))
def tab(request: pytest.FixtureRequest, browser: Any, server: tuple[Any, str]) -> Iterator[Tab]:
    context = browser.new_context(viewport=WIDTHS[request.param])
    page = context.new_page()
    page.set_default_timeout(10_000)
    t = Tab(page, request.param, server[1])
    yield t
    context.close()
    assert t.unexpected() == [], f"errors in the browser at {t.width} width: {t.unexpected()}"


def axe_check(tab: Tab, source: str, what: str) -> list[str]:
    """Serious and critical violations on the page. Colours do not change with the width:
    their contrast (the slowest rule) is checked at the desktop width only."""
    tab.page.evaluate(source)  # through the DevTools protocol: the page's CSP stays as it is
    found = tab.page.evaluate("""async (phone) => {
        const rules = phone ? {'color-contrast': {enabled: false}} : {};
        const r = await axe.run(document, {resultTypes: ['violations'], rules});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3)
                 .map(n => n.target.join(' ')).join(' | '));
    }""", tab.phone)
    return [f"{what} at {tab.width}: {v}" for v in found]


def _ids(app: Any) -> dict[str, int]:
    """A demo account, contact and journal entry to open."""
    from sqlalchemy import select

    from notnow.storage.tables import Contact, JournalEntry

    with app.state.ws.db.read() as s:
        c = s.scalars(select(Contact).where(Contact.phone.is_not(None),
                                            Contact.dnc_at.is_(None)).order_by(Contact.id)).first()
        j = s.scalar(select(JournalEntry.id).order_by(JournalEntry.id))
        assert c is not None
        return {"contact": c.id, "account": c.account_id, "journal": j or 0}


def test_every_page_fits_has_no_error_and_passes_axe(tab: Tab, server: tuple[Any, str],
                                                     axe_source: str) -> None:
    app, _ = server
    ids = _ids(app)
    pages = ["/", "/?view=week", "/?overdue=1", "/log", f"/log?contact={ids['contact']}",
             "/accounts", f"/accounts/{ids['account']}", f"/contacts/{ids['contact']}",
             "/accounts/new", f"/contacts/new?account={ids['account']}",
             f"/deals/new?account={ids['account']}", "/journal", "/insights", "/playbook",
             "/search?q=a"]
    if ids["journal"]:
        pages.append(f"/journal/{ids['journal']}")
    violations: list[str] = []
    for path in pages:
        tab.go(path)
        violations += axe_check(tab, axe_source, path)
    assert violations == [], "\n".join(violations)


def test_a_page_is_checked_once_what_it_asks_for_on_load_has_settled(tab: Tab) -> None:
    """"Log a no" asks for its reading as it loads. On a busy machine that answer can land
    while axe is reading the page, half faded in, and its grey text then fails the contrast
    rule (a CI failure). Opening a page waits for it: here the answer is held back a second,
    and the page is only looked at once it is in and has settled."""
    import time

    def slow(r: Any) -> None:
        time.sleep(1.0)  # the browser's page load goes on meanwhile
        r.continue_()

    tab.page.route("**/log/preview", slow)
    try:
        tab.go("/log")
        assert tab.page.evaluate(SETTLED)
        assert tab.page.query_selector("#reading-card") is not None, "looked at before the reading"
    finally:
        tab.page.unroute("**/log/preview")


def test_log_a_no_with_a_new_contact_a_kept_form_and_a_live_plan(tab: Tab) -> None:
    from playwright.sync_api import expect

    page, w = tab.page, tab.width
    who, firm = f"Mira Quist {w}", f"Brightwave {w}"
    tab.go("/log")
    # a new contact without leaving the page: the account first (it does not exist yet)
    page.click("details.quick > summary")
    page.fill("#q-account", firm)
    page.fill("#q-name", who)
    tab.expect_refusal(422)
    page.click("#q-submit")
    page.wait_for_selector("#q-add-account")
    assert page.input_value("#q-name") == who  # kept
    page.click("#q-add-account")
    page.wait_for_selector("#quick-note")
    page.fill("#q-email", f"mira.{w}@brightwave.example")
    page.click("#q-submit")
    expect(page.locator("#contact")).not_to_have_value("")
    assert who in page.inner_text("#contact-chosen") and page.url.endswith("/log")
    tab.fits("log, a contact added")

    # sent without their words: the page comes back as typed, the problem by the field
    page.fill("#notes", "they sounded rushed")
    page.fill("#feelings", "a bit deflated")
    page.click("#accept")
    page.wait_for_selector("#text-error")
    assert page.inner_text("#text-error") == "Paste their words, or choose a label."
    assert page.input_value("#notes") == "they sounded rushed"
    assert page.input_value("#feelings") == "a bit deflated"
    assert who in page.inner_text("#contact-chosen")
    assert "--" not in page.inner_text("main")

    # the plan follows the label and the check-back date
    page.select_option("#label", "not_now")
    page.wait_for_selector("#plan-steps")
    later = (NOW.date() + timedelta(days=200)).isoformat()
    page.fill("#checkback", later)
    shown = date.fromisoformat(later).strftime("%-d %b %Y")
    expect(page.locator("#plan-steps")).to_contain_text(shown)
    page.click("#accept")
    page.wait_for_url(re.compile(r"/contacts/\d+\?logged=\d+"))
    assert "Logged: Not now." in page.inner_text("#logged")
    tab.fits("the contact after logging")

    # the picker finds them again, by a later word of the name, from the keyboard
    tab.go("/log")
    page.fill("#contact-q", "quist")
    page.wait_for_selector("#contact-options .pick-option")
    assert not page.is_hidden("#contact-options")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#contact")).not_to_have_value("")
    assert who in page.inner_text("#contact-chosen")


def test_the_live_plan_reads_each_change_after_the_one_under_way(
        tab: Tab, server: tuple[Any, str]) -> None:
    """A change made while the reading of the one before is still on its way (a slow
    server) is read after it, not by cutting it off: the plan shown at the end is the latest
    one, and nothing is aborted (htmx reports an aborted request as a console error, which
    fails the test). The first reading is held back by the browser until the second change
    has been made."""
    from playwright.sync_api import expect

    page = tab.page
    tab.go(f"/log?contact={_ids(server[0])['contact']}")
    page.wait_for_selector("#reading")
    held: list[Any] = []
    holding = [False]

    def route(r: Any) -> None:
        if holding[0] and not held:
            held.append(r)  # the first change's reading: answered only when released
        else:
            r.continue_()

    page.route("**/log/preview", route)
    holding[0] = True
    page.select_option("#label", "not_now")
    for _ in range(50):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the first reading was never sent"
    later = (NOW.date() + timedelta(days=150)).isoformat()
    shown = date.fromisoformat(later).strftime("%-d %b %Y")
    page.fill("#checkback", later)
    page.wait_for_timeout(500)  # a second reading sent at once has had its answer by now
    held[0].continue_()
    expect(page.locator("#plan-steps")).to_contain_text(shown)
    page.wait_for_timeout(500)  # nothing older lands on top of it afterwards
    expect(page.locator("#plan-steps")).to_contain_text(shown)
    page.unroute("**/log/preview")


def test_new_account_contact_and_deal(tab: Tab) -> None:
    page, w = tab.page, tab.width
    tab.go("/accounts")
    page.click("#new-account")
    page.wait_for_url(re.compile(r"/accounts/new$"))
    page.fill("#domain", f"northwind-{w}.example")
    tab.expect_refusal(422)
    page.click("#account-form button[type=submit]")
    page.wait_for_selector("#name-error")
    assert page.input_value("#domain") == f"northwind-{w}.example"
    assert page.get_attribute("#name", "aria-invalid") == "true"
    page.fill("#name", f"Northwind {w}")
    page.click("#account-form button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/\d+$"))
    account_url = page.url
    page.click("text=Add a contact")
    page.fill("#name", f"Ana Lopes {w}")
    page.fill("#phone", "+351 21 555 0199")
    page.fill("#email", f"ana.{w}@northwind.example")
    page.click("#contact-form button[type=submit]")
    page.wait_for_url(re.compile(r"/contacts/\d+$"))
    tab.fits("a new contact")
    call = page.locator("#call-link")
    assert call.get_attribute("href") == "tel:+351215550199"
    assert page.locator("#mail-link").get_attribute("href") == f"mailto:ana.{w}@northwind.example"
    box = call.bounding_box()
    assert box is not None and box["y"] + box["height"] <= WIDTHS[w]["height"], \
        "the contact's number is on the first screen"
    page.goto(account_url)
    page.click("text=Add a deal")
    page.fill("#offer", f"Route planning {w}")
    page.fill("#value", "12000")
    page.click("#deal-form button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/\d+#deals$"))
    assert f"Route planning {w}" in page.inner_text("main")


def _three_due(app: Any, w: str) -> list[int]:
    from notnow.services.records.accounts import add_account
    from notnow.services.records.contacts import add_contact
    from notnow.storage.tables import FollowUp

    ws = app.state.ws
    me = owner_of(ws)
    acc = add_account(ws, me, {"name": f"Agenda Works {w}"})
    people = [add_contact(ws, me, {"name": f"{n} {w}"}, account=acc.id)
              for n in ("Ola Nord", "Per Sund", "Kim Vik")]
    ids = []
    with ws.db.write() as s:
        for c in people:
            row = FollowUp(contact_id=c.id, account_id=acc.id, due=ws.today(), channel="note",
                           purpose="send the case study", why="they asked for it",
                           status="due", rule="test", owner_id=ws.owner_id,
                           created_at=ws.now())
            s.add(row)
            s.flush()
            ids.append(row.id)
    return ids


def _count(page: Any) -> int:
    text = page.inner_text("#agenda-count")
    found = re.match(r"(\d+)", text)
    return int(found.group(1)) if found else 0


def test_agenda_filters_week_bulk_undo_count_and_shortcuts(tab: Tab,
                                                           server: tuple[Any, str]) -> None:
    from playwright.sync_api import expect

    page = tab.page
    a, b, c = _three_due(server[0], tab.width)
    tab.go("/?channel=note")
    before = _count(page)
    assert before >= 3 and page.locator(f"#task-{a}").count() == 1

    page.locator(f"#task-{a} button[data-key=d]").click()
    page.wait_for_selector(f"#task-{a}.closed")
    expect(page.locator("#agenda-count")).to_have_text(re.compile(rf"^{before - 1} "))
    page.locator(f"#task-{a} button.undo").click()
    page.wait_for_selector(f"#task-{a}:not(.closed) button[data-key=d]")
    assert _count(page) == before

    # several at once, then all back
    page.check(f"#pick-{b}")
    page.check(f"#pick-{c}")
    page.click("#bulk-skip-button")
    page.wait_for_selector(f"#task-{c}.closed")
    assert page.locator(f"#task-{b}.closed").count() == 1
    assert "2 follow-ups skipped." in page.inner_text("#flash")
    assert _count(page) == before - 2
    page.click("#undo-all")
    page.wait_for_selector(f"#task-{b}:not(.closed)")
    page.wait_for_selector(f"#task-{c}:not(.closed)")
    assert _count(page) == before
    tab.fits("the agenda after bulk actions")

    # the keyboard alone: move to a row, done, undo; ? shows the shortcuts
    page.focus(f"#task-{b}")
    page.keyboard.press("d")
    page.wait_for_selector(f"#task-{b}.closed")
    page.focus(f"#task-{b}")
    page.keyboard.press("u")
    page.wait_for_selector(f"#task-{b}:not(.closed)")
    page.focus("body")
    page.keyboard.press("?")
    assert page.get_attribute("#shortcuts", "open") is not None
    assert page.locator("#shortcuts kbd", has_text="z").count() == 1

    # filters and the week ahead
    page.select_option("#f-channel", "call")
    page.click("#apply-filters")
    page.wait_for_url(re.compile(r"channel=call"))
    assert page.locator(f"#task-{a}").count() == 0
    page.click("#week-view")
    page.wait_for_url(re.compile(r"view=week"))
    assert page.inner_text("h1") == "This week"
    tab.fits("the week")


def test_insights_tables_fit_at_both_widths(tab: Tab) -> None:
    tab.go("/insights")
    clipped = tab.page.evaluate("""() => Array.from(document.querySelectorAll(
            '.notnow-dashboard table')).filter(t => {
        const box = t.parentElement;
        const scrolls = getComputedStyle(box).overflowX === 'auto';
        return t.scrollWidth > box.clientWidth + 1 && !scrolls;
    }).length""")
    assert clipped == 0
    if not tab.phone:
        wider = tab.page.evaluate("""() => Array.from(document.querySelectorAll(
            '.notnow-dashboard .table-scroll')).filter(b => b.scrollWidth > b.clientWidth + 1)
            .length""")
        assert wider == 0, "at 1366px every table shows whole"
