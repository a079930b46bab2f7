"""Messages written for the mail tests (our own, with the quirks of real mail), and counts of
what they led to."""

from __future__ import annotations

import mailbox
from pathlib import Path
from typing import Any

from sqlalchemy import func, select


def make(sender: str, to: str, subject: str, body: str, mid: str, *,
         date_: str = "Mon, 16 Nov 2026 10:00:00 +0000", in_reply_to: str | None = None,
         extra: str = "") -> bytes:
    """One message as a mail client writes it (CRLF line ends)."""
    head = (f"From: {sender}\nTo: {to}\nSubject: {subject}\nDate: {date_}\n"
            f"Message-ID: <{mid}>\n" + (f"In-Reply-To: <{in_reply_to}>\n" if in_reply_to
                                        else "")
            + extra + "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n")
    return (head + body + "\n").replace("\n", "\r\n").encode()


SAM = "Sam Seller <sam@vendor.io>"
DANA = "Dana Lee <dana@acme.example>"
REPLY = make(DANA, SAM, "Re: Fleet tracking", "Not now, try again in March.\n\n"
             "On Mon, 9 Nov 2026, Sam Seller <sam@vendor.io> wrote:\n> Hi Dana, a quick look?",
             "reply-1@acme.example", in_reply_to="pitch-1@vendor.io")
NEW_AT_ACME = make("Lee Park <lee.park@acme.example>", SAM, "Re: Fleet tracking",
                   "We already use a tool for that, thanks.", "lee-1@acme.example")
STRANGER = make("Someone <someone@elsewhere.example>", SAM, "Hello",
                "We do not need it at the moment.", "stranger-1@elsewhere.example")
INTERNAL = make("Kim Colleague <kim@vendor.io>", SAM, "Lunch?", "Lunch at noon?",
                "kim-1@vendor.io")
PITCH = make(SAM, DANA, "Fleet tracking", "Hi Dana, a quick look?", "pitch-1@vendor.io",
             date_="Mon, 9 Nov 2026 09:00:00 +0000")
THANKS = make(SAM, DANA, "Re: Fleet tracking", "Thanks Dana, talk in March.",
              "thanks-1@vendor.io", in_reply_to="reply-1@acme.example",
              date_="Tue, 17 Nov 2026 09:00:00 +0000")
OPT_OUT = make(DANA, SAM, "Re: Fleet tracking", "Please remove me from your mailing list and "
               "stop emailing me.", "optout-1@acme.example",
               date_="Wed, 18 Nov 2026 08:00:00 +0000")
AFTER_OPT_OUT = make(SAM, DANA, "Checking in", "Hi Dana, any news?", "after-1@vendor.io",
                     date_="Fri, 20 Nov 2026 09:00:00 +0000")


def write_mbox(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.mbox(str(path))
    for m in messages:
        box.add(m)
    box.flush()
    box.close()
    return path


def counts(ws: Any) -> dict[str, int]:
    from notnow.storage.tables import Contact, FollowUp, MailMessage, Rejection, Touch

    with ws.db.read() as s:
        def n(model: Any, *where: Any) -> int:
            return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)
        return {"mail": n(MailMessage), "rejections": n(Rejection), "touches": n(Touch),
                "contacts": n(Contact), "open": n(FollowUp, FollowUp.status.in_(
                    ("due", "snoozed")))}
