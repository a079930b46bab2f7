"""Screenshots of the main pages, on the demo workspace, at desktop and phone width.

    python scripts/screenshots.py [--out docs/screenshots]

Starts the app on a fresh demo workspace in a temporary folder (loopback only) and drives
Debian's Chromium (/usr/bin/chromium) through Playwright. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SIZES = {"desktop": (1280, 860), "phone": (390, 844)}
EMAIL = """Hi Sam,

Thanks for the proposal and for your patience. We've looked at it carefully, but the budget
for this is gone for the year and everything new is frozen until our fiscal year starts in
April. Happy to pick it up again then.

Best,
Claire

--
Claire Harrington | Operations Director
"""


def start(home: Path) -> tuple[Any, str]:
    import socket

    import uvicorn

    from notnow import settings
    from notnow.services.demo.load import load_demo
    from notnow.services.team.auth import actor_for
    from notnow.services.workspace import open_workspace
    from notnow.web import create_app

    config = settings.load({"NOTNOW_HOME": str(home)})
    ws = open_workspace(config)
    owner = actor_for(ws, ws.owner_id)
    assert owner is not None
    load_demo(ws, owner, force=True)
    ws.close()
    app = create_app(config)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def shoot(base: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from notnow.services.workspace import Workspace  # noqa: F401 - the app is in-process

    made = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height},
                                    device_scale_factor=2 if size == "phone" else 1)
            account = _first_link(page, base + "/accounts", "/accounts/")
            page.goto(base + account)
            contact = page.locator("a.person").first.get_attribute("href") or "/contacts/1"
            shots = [("agenda", "/", None), ("account", account, None),
                     ("contact", contact, None), ("playbook", "/playbook", None),
                     ("insights", "/insights", None), ("log", "/log", _paste_email)]
            for name, path, action in shots:
                page.goto(base + path)
                if action is not None:
                    action(page)
                target = out / f"{name}-{size}.png"
                full = size == "desktop" and name != "insights"
                page.screenshot(path=str(target), full_page=full)
                made.append(target)
            page.close()
        browser.close()
    return made


def _first_link(page: Any, url: str, prefix: str) -> str:
    page.goto(url)
    href = page.locator(f"table a[href^='{prefix}']").first.get_attribute("href")
    return str(href)


def _paste_email(page: Any) -> None:
    """Choose Claire Harrington with the contact picker, as a person would, and paste."""
    page.fill("#contact-q", "harrington")
    page.wait_for_selector("#contact-options .pick-option", timeout=10_000)
    page.keyboard.press("Enter")
    page.wait_for_selector("#contact-chosen strong", timeout=10_000)
    page.fill("#text", EMAIL)
    page.wait_for_selector("#plan-steps", timeout=10_000)
    page.evaluate("document.querySelector('#text').scrollTop = 0")
    if page.viewport_size["width"] < 700:  # on a phone the reading is under the form
        page.evaluate("document.querySelector('#reading').scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"needs Chromium at {CHROMIUM} (apt-get install chromium)", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server, base = start(Path(tmp))
        try:
            for path in shoot(base, args.out):
                print(path)
        finally:
            server.should_exit = True
    return 0


if __name__ == "__main__":
    sys.exit(main())
