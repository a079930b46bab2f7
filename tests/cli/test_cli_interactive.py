"""`notnow log` in a real terminal: it asks for what is missing, shows what it read, lets the
salesperson correct the label, and schedules the plan on accept."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal")


class Terminal:
    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     close_fds=True)
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"never saw {text!r}; screen so far:\n{self.seen}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 4096).decode("utf-8", "replace")
                except OSError:
                    chunk = ""
                if not chunk:
                    if self.proc.poll() is not None:
                        raise AssertionError(f"ended before {text!r}:\n{self.seen}")
                    continue
                self.seen += chunk
        return self.seen

    def send(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def close(self) -> int:
        try:
            while True:
                ready, _, _ = select.select([self.master], [], [], 10)
                if not ready:
                    break
                chunk = os.read(self.master, 4096)
                if not chunk:
                    break
                self.seen += chunk.decode("utf-8", "replace")
        except OSError:
            pass
        try:
            code = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"still running; screen:\n{self.seen}") from None
        os.close(self.master)
        return code


def _notnow() -> str:
    exe = Path(sys.executable).with_name("notnow")
    if not exe.exists():
        pytest.skip("the notnow script is not installed next to this Python")
    return str(exe)


def test_log_asks_shows_corrects_and_schedules(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("account", "add", "Acme Corp", "--country", "US")
    cli("contact", "add", "Dana Ruiz", "--account", "acme", "--email", "dana@acme.com")
    env = {**os.environ, "COLUMNS": "120", "TERM": "dumb"}
    term = Terminal([_notnow(), "log"], env)
    term.expect("Contact")
    term.send("dana@acme.com")
    term.expect("prospect's words")
    term.send("We signed with Orbitask last month. Try me again next September.")
    screen = term.expect("Label (Enter to accept)")
    assert "competitor_chosen" in screen and "Orbitask" in screen
    term.send("")  # accept the reading
    term.expect("Accept the plan and schedule it?")
    term.send("y")
    term.expect("Write the autopsy now")  # a loss to a competitor: the review is offered
    term.send("n")
    assert term.close() == 0, term.seen
    assert "Scheduled" in term.seen
    rejections = cli("rejections", "--json").json()
    assert rejections[0]["label"] == "competitor_chosen"
    assert rejections[0]["competitor"] == "Orbitask"
    plan = cli("plan", str(rejections[0]["id"]), "--json").json()
    assert plan["followups"] or any(s["scheduled"] for s in plan["steps"])


def test_log_label_correction_is_kept(cli) -> None:  # type: ignore[no-untyped-def]
    cli("account", "add", "Acme Corp", "--country", "US")
    cli("contact", "add", "Dana Ruiz", "--account", "acme", "--email", "dana@acme.com")
    env = {**os.environ, "COLUMNS": "120", "TERM": "dumb"}
    term = Terminal([_notnow(), "log", "--contact", "dana", "--text",
                     "Honestly it is just too much money for what it does."], env)
    term.expect("Label (Enter to accept)")
    term.send("no_budget")
    term.expect("Accept the plan and schedule it?")
    term.send("n")
    term.send("n")  # no autopsy now, if one is offered
    assert term.close() == 0, term.seen
    rej = cli("rejections", "--json").json()[0]
    assert rej["label"] == "no_budget" and rej["label_source"] == "manual"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # a terminal flow: one backend
def test_log_asks_why_opt_out_words_are_not_one(cli) -> None:  # type: ignore[no-untyped-def]
    cli("account", "add", "Acme Corp", "--country", "US")
    cli("contact", "add", "Dana Ruiz", "--account", "acme", "--email", "dana@acme.com")
    env = {**os.environ, "COLUMNS": "120", "TERM": "dumb"}
    term = Terminal([_notnow(), "log", "--contact", "dana", "--text",
                     "Please remove me from your mailing list."], env)
    screen = term.expect("Label (Enter to accept)")
    assert "do_not_contact" in screen
    term.send("not_now")
    term.expect("Accept the plan and schedule it?")
    term.send("y")
    term.expect("Why is it not an opt-out")
    term.send("the newsletter only; we spoke after")
    term.send("n")  # no autopsy now, if one is offered
    assert term.close() == 0, term.seen
    rej = cli("rejections", "--json").json()[0]
    assert rej["label"] == "not_now"
    assert rej["override_reason"] == "the newsletter only; we spoke after"
    assert cli("contact", "show", "dana", "--json").json()["do_not_contact"] is False
