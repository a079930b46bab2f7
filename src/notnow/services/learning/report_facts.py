"""The loss report's kept figures: worked out once, used until a write changes them.

The costliest things the report counts are, over every contact's whole history, which
outbound touches broke a cap (a pass of window functions, ``report_sql.verdicts``) and what
each contact did (its first answer, its attempts and channels, its latest touch, its latest
answer and no, which the check-backs are measured against: ``report_sql.FACTS``). They only
change when the contact's history, time zone or account does, or the caps do; so the report
keeps them (``cap_hits``, ``contact_facts``) and works out again only those of the contacts
the database has marked since (``storage.report_stale``: triggers, whatever writes), before
it counts:

* :func:`refresh` (in its own short write transaction, one at a time) works out the marked
  contacts' verdicts and facts, and lets go of the marks it read — a write committed
  meanwhile leaves its mark, with a larger ``n``. What was kept with other caps, or other
  rules (``report_sql.verdict_basis``, ``facts_basis``), is all worked out again;
* :func:`touch_groups`, :func:`contact_groups` and :func:`checkback_groups` (in the report's
  read transaction) count what is kept of every contact not marked, and work out the marked
  ones there and then, with the same SQL: whatever committed between the refresh and the
  report's snapshot, the figures are those of the history the report sees. When what is
  kept is not of the caps asked for, they work everything out, as the report always did.

``tests/services/test_report_kept.py`` pins both paths to the enforced rules
(:func:`notnow.core.caps.touches_over_caps`, the silence rule) and the check-backs to the
figures worked out anew, on random histories changed after the figures were kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from notnow.core.playbook import Settings
from notnow.services.learning import report_sql as R
from notnow.storage.engine import Database
from notnow.storage.locks import try_lock_named
from notnow.storage.tables import ReportBasis, ReportStale

SEEN = "SELECT contact_id FROM report_seen"
HITS, FACTS = "cap_hits", "contact_facts"


def _kept_basis(s: Session, name: str) -> str | None:
    return s.scalar(select(ReportBasis.basis).where(ReportBasis.name == name))


def _bases(settings: Settings) -> dict[str, str]:
    """What each kept table is worked out with (the contacts' facts: the rules alone)."""
    return {HITS: R.verdict_basis(settings), FACTS: R.facts_basis()}


def refresh(db: Database, settings: Settings) -> int | None:
    """Work out again the kept verdicts and facts of the contacts marked stale (of every
    contact, for what was kept on another basis); how many contacts were marked, or None when
    another refresh is under way (the report then works the marked ones out itself)."""
    def work(s: Session, name: str, among: str | None) -> None:
        if name == HITS:
            R.keep_verdicts(s, settings, among)
        else:
            R.keep_facts(s, among)

    bases = _bases(settings)
    with db.read() as s:  # most reports: nothing written since the last one
        if (s.scalar(select(ReportStale.contact_id).limit(1)) is None
                and all(_kept_basis(s, name) == basis for name, basis in bases.items())):
            return 0
    with db.write() as s:
        if not try_lock_named(s, "report-facts"):
            return None
        pg = R.postgres(s)
        if pg:
            s.execute(text("SET LOCAL jit = off"))
            s.execute(text("SET LOCAL work_mem = '32MB'"))
            s.execute(text("CREATE TEMP TABLE report_seen ON COMMIT DROP AS "
                           "SELECT contact_id, n FROM report_stale"))
        else:  # keyed: SQLite looks each mark up in it (PostgreSQL hashes it)
            s.execute(text("DROP TABLE IF EXISTS temp.report_seen"))
            s.execute(text("CREATE TEMP TABLE report_seen "
                           "(contact_id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"))
            s.execute(text("INSERT INTO report_seen SELECT contact_id, n FROM report_stale"))
        marked = int(s.scalar(text("SELECT COUNT(*) FROM report_seen")) or 0)
        for name, basis in bases.items():
            if _kept_basis(s, name) == basis:
                if marked:
                    s.execute(text(f"DELETE FROM {name} WHERE contact_id IN ({SEEN})"))
                    work(s, name, SEEN)
            else:
                s.execute(text(f"DELETE FROM {name}"))
                work(s, name, None)
                s.merge(ReportBasis(name=name, basis=basis))
        # only the marks read above: one a writer has grown since stays; on PostgreSQL one a
        # writer holds now is left as well (it is being grown), never waited for: a writer
        # marking several contacts and this refresh never wait for each other
        read = ("SELECT m.contact_id FROM report_stale m JOIN report_seen x "
                "ON x.contact_id = m.contact_id AND x.n = m.n")
        if pg:
            read += " FOR UPDATE OF m SKIP LOCKED"
        s.execute(text(f"DELETE FROM report_stale WHERE contact_id IN ({read})"))
        if not pg:
            s.execute(text("DROP TABLE IF EXISTS temp.report_seen"))
    return marked


def touch_groups(s: Session, f: R.Filter, settings: Settings) -> list[tuple[Any, ...]]:
    """(author id, outbound touches, of which cap hits, of which at or after an opt-out), as
    :func:`report_sql.touch_groups` gives them: from the kept verdicts where they hold."""
    if _kept_basis(s, HITS) != R.verdict_basis(settings):
        return list(R.touch_groups(s, f, settings))
    figures: dict[Any, list[int]] = {}
    for author, outbound in R.outbound_groups(s, f):
        figures[author] = [int(outbound), 0, 0]
    for author, opted in R.opted_groups(s, f):
        figures.setdefault(author, [0, 0, 0])[2] += int(opted)
    for author, hits in R.kept_hit_groups(s, f):
        figures.setdefault(author, [0, 0, 0])[1] += int(hits)
    for author, _outbound, hits, _opted in R.touch_groups(s, f, settings, among=R.STALE):
        figures.setdefault(author, [0, 0, 0])[1] += int(hits or 0)
    return [(author, *counts) for author, counts in figures.items()]


def contact_groups(s: Session, f: R.Filter, as_of: date, idle_days: int
                   ) -> list[tuple[Any, ...]]:
    """The contacts grouped alike, as :func:`report_sql.contact_groups` gives them: from the
    kept facts where they hold."""
    if _kept_basis(s, FACTS) != R.facts_basis():
        return list(R.contact_groups(s, f, as_of, idle_days))
    groups: dict[tuple[Any, ...], int] = {}
    for rows in (R.kept_contact_groups(s, f, as_of, idle_days),
                 R.contact_groups(s, f, as_of, idle_days, among=R.STALE)):
        for *alike, n in rows:
            key = tuple(alike)
            groups[key] = groups.get(key, 0) + int(n)
    return [(*alike, n) for alike, n in groups.items()]


def checkback_groups(s: Session, f: R.Filter, as_of: date) -> Iterator[tuple[Any, ...]]:
    """The check-backs grouped alike, as :func:`report_sql.checkback_groups` gives them: each
    contact's latest answer and no from its kept facts where they hold."""
    return R.checkback_groups(s, f, as_of, kept=_kept_basis(s, FACTS) == R.facts_basis())


__all__ = ["checkback_groups", "contact_groups", "refresh", "touch_groups"]
