"""The demo's content, written for notnow: a fictional vendor, its prospects and their "no"s.

Nothing here is copied from the field notes or the development data; every sentence was written
for the demo. The loader (`notnow.services.demo.load`) turns it into rows; `plan.py` decides
who says what and when, relative to the workspace's today.

Markup inside a reply's text (removed before storing, offsets kept as evidence):

- ``[[words]]`` — the phrase that carries the reply's label; ``[[words|label]]`` carries another
  label (one of ``also``).
- ``<<words>>`` — the prospect's time hint; ``Reply.hint`` says how to date it.
- ``{first}``, ``{name}``, ``{title}``, ``{company}``, ``{city}``, ``{country_name}``, ``{me}``,
  ``{vendor}``, ``{product}``, ``{ref}`` and ``{ref_dept}`` (a colleague the prospect points to),
  ``{ret}`` (an out-of-office return date) — filled from the contact, account and plan.

Modules: ``replies_a/b/c`` (the prospects' words), ``accounts`` (companies, names, titles),
``catalogue`` (vendor, products, the salesperson's tasks, journal, autopsies), ``markup``
(marks to evidence, hints to dates), ``plan`` (who says what, when), ``schedule`` and ``today``
(follow-ups and the day's agenda), ``learning`` (outcomes, opt-outs, capabilities; `build_plan`).
"""

from __future__ import annotations

from dataclasses import dataclass

Hint = tuple[str, int]
"""How to date a time hint, relative to the day the reply came in:

``("days"|"weeks"|"months", n)``; ``("next_quarter", 0)``; ``("quarter", q)`` — the next start of
quarter q; ``("month", m)`` — the next 1st of month m; ``("next_year", 0)``; ``("fiscal", 0)`` — the
account's next fiscal-year start; ``("renewal", m)`` — some weeks before the next 1st of month m;
``("return", n)`` — an out-of-office return in n days.
"""


@dataclass(frozen=True)
class Reply:
    """One prospect reply or call note, with what it means."""

    label: str
    stage: str
    channel: str
    text: str
    hint: Hint | None = None
    role: str | None = None  # the kind of contact who would say it
    also: tuple[str, ...] = ()
    competitor: str | None = None
    capability: str | None = None
    notes: str | None = None
    feelings: str | None = None


def R(label: str, stage: str, channel: str, text: str, **kw: object) -> Reply:  # noqa: N802
    """Short constructor for the reply tables."""
    return Reply(label, stage, channel, text, **kw)  # type: ignore[arg-type]


def all_replies() -> list[Reply]:
    from notnow.services.demo.data import replies_a, replies_b, replies_c

    return [*replies_a.REPLIES, *replies_b.REPLIES, *replies_c.REPLIES]
