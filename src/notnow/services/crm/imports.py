"""`notnow import FILE…`: a CRM's export files into notnow, as one unit, for one actor.

:func:`import_files` opens every file first (a file that cannot be read refuses the whole
import: nothing of it is stored), then streams them — companies, then people, then deals,
then activities — in **one write transaction**: killed half-way, nothing is kept, and running
it again does it all. Records are written in batches (:meth:`_Import.batch`), each in a
savepoint: new companies, people and deals in a few Core statements, records found by their CRM
id and unchanged left as they are; whatever the bulk path does not take, and every record of a
batch that fails, is written record by record (:meth:`_Import.one`), each in a savepoint of its
own, so a bad row (or a record a guard refuses) is reported with its file, line and column and
never leaves half a record; the rows after it go on.

What the bulk path writes, it writes by the same rules: storage's column limits
(:func:`guards.check_row`), the normal forms and the suppression list for every new contact
(:func:`guards.identity_values_many`, under :func:`guards.lock_suppression_list`), and the
lost reasons and opt-outs of the contacts it created through :mod:`notnow.services.crm.lost`
(pinned to ``log_rejection`` and ``apply_dnc`` by tests). The rest goes through the guarded
paths: a lost reason of any other contact through
:func:`notnow.services.capture.log.log_rejection` (with ``schedule=False``: a CRM's lost reason
is history, its plan waits — docs/crm.md, "Lost reasons"), an activity a touch through
:func:`notnow.services.capture.touches.add_touch` (counting for the caps; one to a
do-not-contact contact is refused and reported), an opt-out column of a contact that existed,
or whose identities another row shares, through
:func:`notnow.services.capture.optout.apply_dnc`; storage's guard marks a contact written
through the ORM whose identity is already suppressed. Each distinct lost reason is read once.

Records keep their CRM ids (``external_ids``): importing the same or a newer export updates
them and says what changed. Ownership: a CRM owner who is a notnow user the actor may change
the records of owns what the CRM says they own; any other owner (unknown, or beyond the
actor's rights — the two are not told apart) is reported, and their records go to ``owner``
(``--owner``, who must be someone the actor may change the records of) or to the actor.
A salesperson therefore imports into their own records only.

``dry_run`` does the very same in the transaction, then rolls it back: what it reports is what
would happen.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from notnow.core.identity import fold
from notnow.core.model import DealStatus, Direction, DncSource
from notnow.core.policy import Actor, may_write
from notnow.crm import (
    CrmAccount,
    CrmActivity,
    CrmContact,
    CrmDeal,
    CrmFile,
    CrmRecord,
    Kind,
    MappingMemory,
    Ref,
    RowProblem,
    Source,
    open_export,
)
from notnow.errors import InvalidInput, NotnowError
from notnow.services.crm.lost import (
    Lost,
    OptOuts,
    Person,
    insert_rows,
    sharing_identities,
    store_lost,
)
from notnow.services.lookup import owned, resolve_person
from notnow.services.schemas import RejectionCreate, validate
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage import guards
from notnow.storage.tables import (
    Account,
    Contact,
    Deal,
    ExternalId,
    ImportBatch,
    ImportChange,
    User,
    Webhook,
    name_key,
)

MAX_FILES = 20
MAX_PROBLEMS_KEPT = 500
"""Problems listed in the report (all are counted)."""
MAX_VALUE = Decimal("999999999999.99")
BATCH = 1000
"""Records written together (one savepoint, a few statements per kind)."""
ACCOUNT_FIELDS = ("name", "domain", "website", "industry", "employees", "country", "region",
                  "city")
CONTACT_COLUMNS = ("name", "email", "phone", "title", "role", "account_id", "owner_id",
                   "dnc_at")
DEAL_COLUMNS = ("offer", "value", "currency", "stage", "status", "contact_id", "closed_at",
                "account_id", "owner_id")
PERSON_COLUMNS = ("account_id", "owner_id", "name", "email", "phone", "linkedin", "dnc_at",
                  "dnc_reason", "dnc_source", "held_at", "hold_reason")
KIND_ORDER = {Kind.ACCOUNT: 0, Kind.CONTACT: 1, Kind.DEAL: 2, Kind.ACTIVITY: 3}
CLOSED_LIKE = {DealStatus.LOST.value, DealStatus.NURTURING.value, DealStatus.WALKED_AWAY.value}

Progress = Callable[[int, int], None]
"""Called as the import goes: (bytes read so far, bytes in all the files)."""


@dataclass(frozen=True)
class ImportFile:
    """A file to import: where it is, and the name to report it by."""

    path: Path
    name: str | None = None


class ProblemPublic(BaseModel):
    file: str
    line: int
    column: str | None = None
    why: str
    value: str | None = None

    def describe(self) -> str:
        col = f", column {self.column!r}" if self.column else ""
        val = f" (value {self.value!r})" if self.value else ""
        return f"{self.file}, line {self.line}{col}: {self.why}{val}"


class FilePublic(BaseModel):
    name: str
    read_as: str
    source: str
    kind: str
    encoding: str
    delimiter: str
    notes: list[str]
    unused_columns: list[str]
    rows: int
    problems: int
    skipped: dict[str, int]


class ImportReport(BaseModel):
    """What an import did (or, dry, would do)."""

    batch_id: int | None
    dry_run: bool
    source: str
    files: list[FilePublic]
    counts: dict[str, dict[str, int]]
    """Per kind (account, contact, deal, rejection, touch): created, updated, unchanged…"""
    changed: dict[str, dict[str, int]]
    """Per kind, how many records each field changed in (on re-import)."""
    owners: dict[str, int]
    """CRM owners matched to notnow users: name → records."""
    unknown_owners: dict[str, int]
    """CRM owners who are no notnow user the actor may give records to: name → records."""
    owner_for_unknown: str
    problems: list[ProblemPublic]
    problem_count: int

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


class ImportPublic(BaseModel):
    id: int
    source: str
    files: list[str]
    status: str
    counts: dict[str, Any]
    started_at: datetime
    finished_at: datetime | None
    undone_at: datetime | None


class _Skip(Exception):
    """A record not imported, with why (reported as a problem of its row)."""

    def __init__(self, why: str, column: str | None = None) -> None:
        super().__init__(why)
        self.why = why
        self.column = column


class _DryRun(Exception):
    """Raised at the end of a dry run to roll the whole transaction back."""


# --- the use case -------------------------------------------------------------------------------


def import_files(ws: Workspace, actor: Actor, files: Sequence[ImportFile | Path | str], *,
                 source: str | None = None, owner: str | int | None = None,
                 dry_run: bool = False, columns: Sequence[str] = (),
                 progress: Progress | None = None) -> ImportReport:
    """Import CRM export files (see the module's docstring). ``source`` is a hint
    (hubspot, pipedrive, salesforce, csv); ``columns`` are `--map "Column=field"` options,
    applied to every file that has those columns and remembered once the import is done."""
    items = [f if isinstance(f, ImportFile) else ImportFile(Path(f)) for f in files]
    if not items:
        raise InvalidInput("give at least one export file", field="files")
    if len(items) > MAX_FILES:
        raise InvalidInput(f"at most {MAX_FILES} files at once", field="files")
    hint = _source(source)
    now = ws.now()
    memory = MappingMemory.in_folder(ws.config.home)
    with ws.db.read() as s:
        default_owner = _default_owner(s, actor, owner)
    with ExitStack() as stack:
        opened: list[CrmFile] = []
        for item in items:
            opened.append(stack.enter_context(_open(item, hint, columns, memory)))
        opened.sort(key=lambda f: KIND_ORDER[f.kind])
        total = sum(f.size for f in opened) or 1
        report: ImportReport | None = None
        try:
            with ws.db.write() as s:
                run = _Import(ws, actor, s, now=now, default_owner=default_owner,
                              dry_run=dry_run)
                run.begin(opened)
                done = 0
                for f in opened:
                    run.read(f, _progress_from(progress, done, total))
                    done += f.size
                report = run.finish(opened)
                if progress:
                    progress(total, total)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    assert report is not None
    if not dry_run:
        for f in opened:
            if f.column_map:
                memory.remember(f.headers, f.source, f.column_map, now)
    return report


def _progress_from(progress: Progress | None, base: int, total: int) -> Callable[[int], None]:
    def report(read: int) -> None:
        if progress is not None:
            progress(min(base + read, total), total)
    return report


def _source(source: str | None) -> Source | None:
    if source is None:
        return None
    try:
        return Source(source.strip().lower())
    except ValueError:
        raise InvalidInput(f"unknown CRM '{source}': say hubspot, pipedrive, salesforce or csv",
                           field="--from") from None


def _open(item: ImportFile, hint: Source | None, columns: Sequence[str],
          memory: MappingMemory) -> CrmFile:
    name = item.name or item.path.name
    try:
        return open_export(item.path, name=name, source=hint, memory=memory,
                           columns=_columns_for(item.path, name, columns) or None)
    except FileNotFoundError:
        raise InvalidInput(f"{name}: no such file", field="files") from None
    except IsADirectoryError:
        raise InvalidInput(f"{name}: a folder, not a file", field="files") from None
    except PermissionError:
        raise InvalidInput(f"{name}: cannot be read (permission denied)",
                           field="files") from None


def _columns_for(path: Path, name: str, columns: Sequence[str]) -> list[str]:
    """The `--map` options that name a column of this file (with several files, each option
    applies to the files that have its column)."""
    if not columns:
        return []
    from notnow.crm import norm_header

    have = {norm_header(h) for h in _headers(path, name)}
    return [c for c in columns if "=" in c and norm_header(c.rsplit("=", 1)[0]) in have]


def _headers(path: Path, name: str) -> list[str]:
    """The header line of a file, read as the reader reads it."""
    from notnow.crm.textfile import Rows, detect_format, open_text

    fmt = detect_format(path, name)
    with open_text(path, fmt.encoding, fmt.errors) as stream:
        first = next(iter(Rows(stream, fmt.delimiter, name, skip_first=fmt.skip_first_line)),
                     None)
    return [] if first is None or isinstance(first, RowProblem) else [c.strip()
                                                                       for c in first.cells]


def _default_owner(s: Session, actor: Actor, owner: str | int | None) -> tuple[int, str]:
    """Who gets the records of owners notnow does not know: `--owner` (someone whose
    records the actor may change — anyone else is answered like no one), else the actor."""
    if owner is None or (isinstance(owner, str) and not owner.strip()):
        return actor.id, actor.name
    who = resolve_person(s, owner, allowed=lambda uid: may_write(actor, uid), field="--owner")
    return who.id, who.name


# --- one run ------------------------------------------------------------------------------------


class _Import:
    def __init__(self, ws: Workspace, actor: Actor, s: Session, *, now: datetime,
                 default_owner: tuple[int, str], dry_run: bool) -> None:
        self.ws = ws
        self.actor = actor
        self.s = s
        self.now = now
        self.default_owner, self.default_owner_name = default_owner
        self.dry_run = dry_run
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.changed: dict[str, Counter[str]] = defaultdict(Counter)
        self.owners: Counter[str] = Counter()
        self.unknown: Counter[str] = Counter()
        self.problems: list[ProblemPublic] = []
        self.problem_count = 0
        self.ext: dict[tuple[str, str], dict[str, int]] = {}
        self.users = self._users()
        self.owner_cache: dict[str, int | None] = {}
        self.batch_id = 0
        self.written = 0
        self.analyze_at = 2 * BATCH
        self.staged: dict[tuple[tuple[str, str], str], int] = {}
        self.tallied: list[tuple[str, str]] = []
        self.pending_ids: list[dict[str, Any]] = []
        self.pending_changes: list[dict[str, Any]] = []
        self.made: set[int] = set()
        """The contacts this import created on the bulk path (their lost reasons go in bulk)."""
        self.accounts: dict[int, _AccountInfo] = {}
        self.account_names: dict[str, int] = {}
        self.readings: dict[tuple[Any, ...], Any] = {}
        self.folded: dict[str, str] = {}
        self.hooks = False
        self.tz = ZoneInfo(ws.config.timezone)

    # --- the batch ------------------------------------------------------------------------

    def begin(self, files: list[CrmFile]) -> None:
        sources = sorted({f.source.value for f in files})
        batch = ImportBatch(
            source=sources[0] if len(sources) == 1 else "mixed",
            files=[_file_entry(f) for f in files], actor_id=self.actor.id,
            owner_id=self.default_owner, status="running", dry_run=self.dry_run,
            counts={}, started_at=self.now)
        self.s.add(batch)
        self.s.flush()
        self.batch_id = batch.id
        guards.lock_suppression_list(self.s)
        if self.s.get_bind().dialect.name == "postgresql":
            # the word index's trigram indexes take new rows in a pending list, merged into
            # the index when the list is full: a larger list for this transaction, fewer merges
            self.s.execute(text("SET LOCAL gin_pending_list_limit = '64MB'"))
        self.hooks = self.s.scalar(select(Webhook.id).where(Webhook.active.is_(True))
                                   .limit(1)) is not None

    def finish(self, files: list[CrmFile]) -> ImportReport:
        batch = self.s.get(ImportBatch, self.batch_id)
        assert batch is not None
        counts = {k: dict(v) for k, v in sorted(self.counts.items())}
        order = {f.name: n for n, f in enumerate(files)}  # problems by file, then line
        batch.status = "done"
        batch.finished_at = self.ws.now()
        batch.counts = {**counts, "problems": self.problem_count}
        self.s.flush()
        record(self.s, self.actor, "import.done", "import", batch.id, at=self.now,
               after={"source": batch.source, "files": [f.name for f in files],
                      "counts": counts, "problems": self.problem_count})
        self.s.flush()
        return ImportReport(
            batch_id=None if self.dry_run else batch.id, dry_run=self.dry_run,
            source=batch.source,
            files=[FilePublic(name=f.name, read_as=f.title, source=f.source.value,
                              kind=f.kind.value, encoding=f.encoding,
                              delimiter={",": "comma", ";": "semicolon", "\t": "tab"}.get(
                                  f.delimiter, f.delimiter),
                              notes=list(f.notes), unused_columns=list(f.unused),
                              rows=f.tally.rows, problems=f.tally.problems,
                              skipped=dict(f.tally.skipped)) for f in files],
            counts=counts, changed={k: dict(v) for k, v in sorted(self.changed.items())},
            owners=dict(self.owners.most_common()), unknown_owners=dict(self.unknown.most_common()),
            owner_for_unknown=self.default_owner_name,
            problems=sorted(self.problems, key=lambda p: (order.get(p.file, len(order)), p.line)),
            problem_count=self.problem_count)

    # --- reading --------------------------------------------------------------------------

    def read(self, f: CrmFile, progress: Callable[[int], None]) -> None:
        pending: list[CrmRecord] = []
        for item in _companies_first(f):
            if isinstance(item, RowProblem):
                self.problem(item.file, item.line, item.why, item.column, item.value)
                continue
            pending.append(item)
            if len(pending) >= BATCH:
                self.batch(pending)
                pending = []
                progress(f.bytes_read)
        if pending:
            self.batch(pending)
        progress(f.size)

    def problem(self, file: str, line: int, why: str, column: str | None = None,
                value: str | None = None) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(ProblemPublic(file=file, line=line, column=column, why=why,
                                               value=value))

    def one(self, item: CrmRecord) -> None:
        """One record, in a savepoint: all of it is written, or none of it."""
        kind = "touch" if item.kind is Kind.ACTIVITY else item.kind.value
        self.forget_pending()
        try:
            with self.s.begin_nested():
                if isinstance(item, CrmAccount):
                    self.account(item)
                elif isinstance(item, CrmContact):
                    self.contact(item)
                elif isinstance(item, CrmDeal):
                    self.deal(item)
                else:
                    self.activity(item)
                self.write_pending()
        except _Skip as exc:
            self.forget_pending()
            self.counts[kind]["skipped"] += 1
            self.problem(item.origin.file, item.origin.line, exc.why, exc.column)
            return
        except NotnowError as exc:
            self.forget_pending()
            self.counts[kind]["skipped"] += 1
            self.problem(item.origin.file, item.origin.line, f"not imported: {exc.message}")
            return
        self.held()

    def held(self) -> None:
        """The savepoint held: what it wrote is known from now on (a rolled-back one's ids
        and counts are forgotten with it)."""
        for (key, crm_id), entity_id in self.staged.items():
            self.ext[key][crm_id] = entity_id
        self.staged.clear()
        for what, action in self.tallied:
            if what.startswith("~"):  # a field that changed in a record of this kind
                self.changed[what[1:]][action] += 1
            else:
                self.counts[what][action] += 1
        self.tallied.clear()

    def write_pending(self) -> None:
        """The CRM ids and the import's changes staged so far, in one statement each."""
        if self.pending_ids:
            self.s.execute(insert(_table(ExternalId)), self.pending_ids)
            self.pending_ids = []
        if self.pending_changes:
            for keys in ({"before"}, set()):  # rows of one statement have the same columns
                rows = [c for c in self.pending_changes if (c.get("before") is not None) ==
                        bool(keys)]
                if rows:
                    self.s.execute(insert(_table(ImportChange)), rows if keys else [
                        {k: v for k, v in c.items() if k != "before"} for c in rows])
            self.pending_changes = []

    def forget_pending(self) -> None:
        self.staged.clear()
        self.tallied.clear()
        self.pending_ids = []
        self.pending_changes = []

    def tally(self, kind: str, action: str) -> None:
        self.tallied.append((kind, action))

    # --- the bulk path --------------------------------------------------------------------

    def batch(self, items: list[CrmRecord]) -> None:
        """A batch of records: companies, people and deals in a few statements each, in one
        savepoint. What the bulk path does not take — an update, a record found otherwise
        than by its CRM id, anything unusual — goes record by record after it (:meth:`one`),
        and so does the whole batch when its savepoint fails: one bad row is reported with its
        file and line, and the rest still goes in."""
        items = sorted(items, key=lambda r: KIND_ORDER[r.kind])  # stable: rows keep order
        bulk: list[CrmRecord] = [i for i in items if not isinstance(i, CrmActivity)]
        slow: list[CrmRecord] = []
        self.forget_pending()
        before = (set(self.accounts), dict(self.account_names), set(self.made))
        try:
            with self.s.begin_nested():
                slow += self.bulk_accounts([i for i in bulk if isinstance(i, CrmAccount)])
                slow += self.bulk_contacts([i for i in bulk if isinstance(i, CrmContact)])
                slow += self.bulk_deals([i for i in bulk if isinstance(i, CrmDeal)])
                self.write_pending()
                self.s.flush()
        except (_Skip, NotnowError, DBAPIError):
            self.forget_pending()
            for gone in set(self.accounts) - before[0]:
                del self.accounts[gone]
            self.account_names = before[1]
            self.made = before[2]
            slow = list(bulk)
        else:
            self.held()
        for item in sorted(slow, key=lambda r: KIND_ORDER[r.kind]):
            self.one(item)
        for item in items:
            if isinstance(item, CrmActivity):
                self.one(item)
        self.s.flush()
        self.s.expunge_all()  # streamed: what is written is let go
        self.refresh_statistics(len(items))

    def refresh_statistics(self, written: int) -> None:
        """PostgreSQL plans each batch's lookups from the tables' statistics, which know
        nothing of what this (one, long) transaction has written: from empty tables to 100,000
        contacts, the lookups by email became scans of every row written so far. ANALYZE, in
        the transaction, counts its own rows: run whenever the import has grown fourfold."""
        self.written += written
        if self.written < self.analyze_at or self.s.get_bind().dialect.name != "postgresql":
            return
        self.analyze_at = self.written * 4
        tables = ", ".join(t.__tablename__ for t in (Account, Contact, Deal, ExternalId))
        self.s.execute(text(f"ANALYZE {tables}"))

    def _insert(self, model: Any, rows: list[dict[str, Any]]) -> list[int]:
        """Rows checked with :func:`guards.check_row`, inserted with Core (ids, in order)."""
        return insert_rows(self.s, model, rows)

    def fold(self, name: str) -> str:
        """A name's folded form (``name_key``), remembered: companies recur."""
        got = self.folded.get(name)
        if got is None:
            if len(self.folded) > 50_000:
                self.folded.clear()
            got = self.folded[name] = name_key(name)
        return got

    def _load_accounts(self, ids: set[int], names: set[str]) -> None:
        """What the batch needs of its accounts: by id, and by folded name among those the
        actor may change (the first one, as :meth:`_account_by_name`)."""
        cols = (Account.id, Account.owner_id, Account.country, Account.timezone,
                Account.fiscal_year_start, *[getattr(Account, f) for f in ACCOUNT_FIELDS])
        want = sorted(i for i in ids if i not in self.accounts)
        for start in range(0, len(want), 500):
            for r in self.s.execute(select(*cols).where(Account.id.in_(want[start:start + 500]))):
                self.accounts[r.id] = _AccountInfo.of(r)
        keys = sorted(k for k in names if k and k not in self.account_names)
        for start in range(0, len(keys), 500):
            for r in self.s.execute(select(Account.name_key, *cols).where(
                    Account.name_key.in_(keys[start:start + 500]),
                    owned(self.actor, Account.owner_id, write=True)).order_by(Account.id)):
                self.accounts.setdefault(r.id, _AccountInfo.of(r))
                self.account_names.setdefault(r.name_key, r.id)

    def _resolve_account(self, source: Source, ref: Ref | None, fallback: str | None,
                         new: dict[str, _NewAccount], origin: Any, owner: Ref | None) -> (
            int | str | None):
        """:meth:`account_for` on the bulk path: the account's id, or the folded name of one
        to create in this batch, or None (the record goes the slow way)."""
        if ref is not None and ref.crm_id:
            got = self.find(source, "account", ref.crm_id)
            if got is not None:
                info = self.accounts.get(got)
                return got if info is not None and may_write(self.actor, info.owner_id) \
                    else None
        name = (ref.name if ref is not None else None) or fallback
        if not name:
            return None
        key = self.fold(name)
        got = self.account_names.get(key)
        if got is None:
            if key not in new:
                new[key] = _NewAccount(name=name, owner=owner, origin=origin, refs=[])
            if ref is not None and ref.crm_id:
                new[key].refs.append((source, ref.crm_id))
            return key
        if ref is not None:
            self.remember(source, "account", ref.crm_id, got)
        return got

    def _create_accounts(self, new: dict[str, _NewAccount],
                         values: dict[str, dict[str, Any]] | None = None) -> None:
        if not new:
            return
        rows = [{**_present((values or {}).get(key) or {"name": a.name[:300]}),
                 "name_key": key, "owner_id": self.owner_of(a.owner), "created_at": self.now}
                for key, a in new.items()]
        for row in rows:
            guards.check_row(Account, row)
        ids = self._insert(Account, rows)
        for (key, a), row, new_id in zip(new.items(), rows, ids, strict=True):
            self.accounts[new_id] = _AccountInfo(new_id, row["owner_id"], row.get("country"),
                                                 None, None,
                                                 {f: row.get(f) for f in ACCOUNT_FIELDS})
            self.account_names[key] = new_id
            self.change("account", new_id, "created", a.origin)
            for source, crm_id in a.refs:
                self.remember(source, "account", crm_id, new_id)

    def bulk_accounts(self, run: list[CrmAccount]) -> list[CrmRecord]:
        if not run:
            return []
        slow: list[CrmRecord] = []
        ids = {self.find(a.source, "account", a.crm_id) for a in run}
        self._load_accounts({i for i in ids if i is not None}, {self.fold(a.name) for a in run})
        new: dict[str, _NewAccount] = {}
        values: dict[str, dict[str, Any]] = {}
        for a in run:
            got = self.find(a.source, "account", a.crm_id)
            info = self.accounts.get(got) if got is not None else None
            if got is not None and (info is None or not may_write(self.actor, info.owner_id)):
                slow.append(a)
                continue
            key = self.fold(a.name)
            if info is None and key in self.account_names:
                info = self.accounts.get(self.account_names[key])
            vals = _account_values(a)
            if info is not None:
                if any(v is not None and not _same(info.values.get(f), v)
                       for f, v in vals.items()):
                    slow.append(a)  # an update: record by record, with what it was
                    continue
                self.tally("account", "unchanged")
                self.remember(a.source, "account", a.crm_id, info.id)
            elif key in new:
                slow.append(a)  # the same company twice in a batch: the second updates
            else:
                new[key] = _NewAccount(name=a.name, owner=a.owner, origin=a.origin,
                                       refs=[(a.source, a.crm_id)] if a.crm_id else [])
                values[key] = vals
        self._create_accounts(new, values)
        return slow

    def bulk_contacts(self, run: list[CrmContact]) -> list[CrmRecord]:
        if not run:
            return []
        slow: list[CrmRecord] = []
        found = {id(c): self.find(c.source, "contact", c.crm_id) for c in run}
        rows = self._rows(Contact, CONTACT_COLUMNS, {i for i in found.values() if i})
        acc_ids = {self.find(c.source, "account", c.account.crm_id) for c in run
                   if c.account is not None and c.account.crm_id}
        self._load_accounts({i for i in acc_ids if i is not None},
                            {self.fold(n) for c in run
                             for n in ((c.account.name if c.account else None),
                                       _company_of(c)) if n})
        emails = sorted({c.email for c in run if found[id(c)] is None and c.email})
        by_email: set[str] = set()
        for start in range(0, len(emails), 500):
            by_email.update(self.s.scalars(select(Contact.email).where(
                Contact.email.in_(emails[start:start + 500]),
                owned(self.actor, Contact.owner_id, write=True))))
        new_accounts: dict[str, _NewAccount] = {}
        fresh: list[tuple[CrmContact, dict[str, Any], int | str]] = []
        seen: set[tuple[str, str]] = set()
        for c in run:
            values = _contact_values(c)
            got = found[id(c)]
            if got is not None:
                r = rows.get(got)
                if r is None or not may_write(self.actor, r["owner_id"]) or (
                        c.opted_out and r["dnc_at"] is None):
                    slow.append(c)
                    continue
                if c.account and (c.account.crm_id or c.account.name):
                    acc = self._resolve_account(c.source, c.account, None, {}, c.origin,
                                                c.owner)
                    if not isinstance(acc, int):
                        slow.append(c)
                        continue
                    values["account_id"] = acc
                if any(v is not None and not _same(r[f], v) for f, v in values.items()):
                    slow.append(c)  # an update: record by record, with what it was
                    continue
                self.tally("contact", "unchanged")
                continue
            marks = {("crm", c.crm_id or ""), ("email", c.email or "")} - {("crm", ""),
                                                                           ("email", "")}
            if (c.email and c.email in by_email) or marks & seen:
                slow.append(c)  # found by email, or twice in the batch: it updates
                continue
            seen |= marks
            acc = self._resolve_account(c.source, c.account, _company_of(c), new_accounts,
                                        c.origin, c.owner)
            if acc is None:
                slow.append(c)
                continue
            fresh.append((c, values, acc))
        self._create_accounts(new_accounts)
        objs: list[dict[str, Any]] = []
        keep: list[tuple[CrmContact, dict[str, Any]]] = []
        for c, values, acc in fresh:
            acc_id = acc if isinstance(acc, int) else self.account_names[acc]
            info = self.accounts[acc_id]
            o = {**_present(values), "name_key": name_key(values["name"]),
                 "account_id": acc_id, "owner_id": self.owner_of(c.owner, fallback=info.owner_id),
                 "created_at": self.now}
            try:
                guards.check_row(Contact, o)
            except InvalidInput:
                slow.append(c)  # reported with its line by the slow path
                continue
            objs.append(o)
            keep.append((c, o))
        keys = guards.identity_values_many(
            self.s, objs, [self.accounts[o["account_id"]].country for o in objs])
        for o, m in zip(objs, keys, strict=True):
            o.update(m)
        ids = self._insert(Contact, objs)
        people: list[tuple[CrmContact, Person]] = []
        for (c, o), new_id in zip(keep, ids, strict=True):
            self.made.add(new_id)
            self.change("contact", new_id, "created", c.origin)
            self.remember(c.source, "contact", c.crm_id, new_id)
            if o.get("dnc_at") is not None:
                self.tally("contact", "already on the suppression list")
            elif c.opted_out:
                people.append((c, _person(new_id, o, self.accounts[o["account_id"]].country)))
        self._opt_outs(people)
        return slow

    def _opt_outs(self, people: list[tuple[CrmContact, Person]]) -> None:
        """The CRM's opt-out columns for contacts just made: in bulk, but through
        ``apply_dnc`` for a person another contact row shares an identity with."""
        from notnow.services.capture.optout import apply_dnc

        if not people:
            return
        sharing = sharing_identities(self.s, [p for _, p in people])
        opt_outs = OptOuts(self.s, self.actor)
        one_by_one = []
        for c, p in people:
            reason = f"{c.source.value} export: {', '.join(c.opt_outs)}"
            if p.id in sharing or self.hooks:
                one_by_one.append((c, p, reason))
                continue
            opt_outs.opt_out(p, reason=reason, source=DncSource.IMPORT, when=self.now)
            self.change("contact", p.id, "suppressed", c.origin)
        opt_outs.write([p for _, p in people])
        for c, p, reason in one_by_one:
            row = self.s.get(Contact, p.id, populate_existing=True)
            if row is not None and row.dnc_at is None:
                apply_dnc(self.s, self.actor, row, reason=reason, source=DncSource.IMPORT,
                          when=self.now)
                self.change("contact", p.id, "suppressed", c.origin)

    def _rows(self, model: Any, columns: tuple[str, ...], ids: set[int]) -> (
            dict[int, dict[str, Any]]):
        out: dict[int, dict[str, Any]] = {}
        want = sorted(ids)
        cols = [model.id, *[getattr(model, c) for c in columns]]
        for start in range(0, len(want), 500):
            for r in self.s.execute(select(*cols).where(model.id.in_(want[start:start + 500]))):
                out[r.id] = r._asdict()
        return out

    def bulk_deals(self, run: list[CrmDeal]) -> list[CrmRecord]:
        if not run:
            return []
        slow: list[CrmRecord] = []
        found = {id(d): self.find(d.source, "deal", d.crm_id) for d in run}
        rows = self._rows(Deal, DEAL_COLUMNS, {i for i in found.values() if i})
        person_of = {id(d): self.find(d.source, "contact", d.contact.crm_id)
                     if d.contact and d.contact.crm_id else None for d in run}
        persons = self._rows(Contact, PERSON_COLUMNS, {i for i in person_of.values() if i})
        acc_ids = {self.find(d.source, "account", d.account.crm_id) for d in run
                   if d.account is not None and d.account.crm_id}
        acc_ids |= {r["account_id"] for r in persons.values()}
        self._load_accounts({i for i in acc_ids if i is not None},
                            {self.fold(d.account.name) for d in run
                             if d.account is not None and d.account.name})
        offers = sorted({d.title[:300] for d in run if found[id(d)] is None})
        existing: set[tuple[int, str]] = set()
        for start in range(0, len(offers), 500):
            existing.update((a, o) for a, o in self.s.execute(
                select(Deal.account_id, Deal.offer).where(
                    Deal.offer.in_(offers[start:start + 500]),
                    owned(self.actor, Deal.owner_id, write=True))))
        new_accounts: dict[str, _NewAccount] = {}
        fresh: list[tuple[CrmDeal, dict[str, Any], int | str, int | None]] = []
        seen: set[Any] = set()
        for d in run:
            pid = person_of[id(d)]
            person = persons.get(pid) if pid is not None else None
            if d.contact and (person is None or not may_write(self.actor, person["owner_id"])):
                slow.append(d)  # found by email or name, or not at all: the slow way
                continue
            got = found[id(d)]
            row = rows.get(got) if got is not None else None
            if got is not None and (row is None or not may_write(self.actor, row["owner_id"])):
                slow.append(d)
                continue
            acc: int | str | None
            if row is not None:
                acc = row["account_id"]
            elif d.account:
                acc = self._resolve_account(d.source, d.account, None, new_accounts, d.origin,
                                            d.owner)
            else:
                acc = person["account_id"] if person is not None else None
            if acc is None:
                slow.append(d)
                continue
            if person is not None and person["account_id"] != acc:
                person = None  # a contact at another company: not this deal's
            value = d.value
            if value is not None and (value < 0 or value > MAX_VALUE):
                slow.append(d)  # reported by the slow path
                continue
            status = _status(d, row["status"] if row is not None else None)
            values = _deal_values(d, status, person["id"] if person is not None else None,
                                  value)
            lost = bool(d.status == DealStatus.LOST and d.lost_reason and d.lost_reason.strip())
            if row is not None:
                key = d.crm_id or f"deal-{row['id']}"
                if any(v is not None and not _same(row[f], v) for f, v in values.items()) or (
                        lost and self.find(d.source, "rejection", key) is None):
                    slow.append(d)
                    continue
                self.tally("deal", "unchanged")
                if lost:
                    self.tally("rejection", "unchanged")
                continue
            mark = (acc, d.title[:300])
            if (isinstance(acc, int) and mark in existing) or mark in seen or (
                    d.crm_id and ("crm", d.crm_id) in seen):
                slow.append(d)  # the deal exists (found by title), or twice in the batch
                continue
            if lost and (person is None or person["id"] not in self.made or self.hooks):
                slow.append(d)  # its lost reason goes through log_rejection
                continue
            seen |= {mark, ("crm", d.crm_id)}
            fresh.append((d, values, acc, person["id"] if lost and person else None))
        self._create_accounts(new_accounts)
        objs: list[dict[str, Any]] = []
        keep: list[tuple[CrmDeal, dict[str, Any], int | None]] = []
        for d, values, acc, pid in fresh:
            acc_id = acc if isinstance(acc, int) else self.account_names[acc]
            o = {**_present(values), "account_id": acc_id,
                 "owner_id": self.owner_of(d.owner, fallback=self.accounts[acc_id].owner_id),
                 "created_at": self.now}
            try:
                guards.check_row(Deal, o)
            except InvalidInput:
                slow.append(d)
                continue
            objs.append(o)
            keep.append((d, o, pid))
        ids = self._insert(Deal, objs)
        people: dict[int, Person] = {}
        pids = {pid for _, _, pid in keep if pid is not None}
        for r in self._rows(Contact, PERSON_COLUMNS, pids).values():
            people[r["id"]] = Person(
                id=r["id"], account_id=r["account_id"], owner_id=r["owner_id"], name=r["name"],
                email=r["email"], phone=r["phone"], linkedin=r["linkedin"],
                country=self.accounts[r["account_id"]].country, dnc_at=r["dnc_at"],
                dnc_reason=r["dnc_reason"], dnc_source=r["dnc_source"], held_at=r["held_at"],
                hold_reason=r["hold_reason"])
        sharing = sharing_identities(self.s, list(people.values()))
        segment: list[tuple[CrmDeal, Lost]] = []
        for (d, o, pid), new_id in zip(keep, ids, strict=True):
            self.change("deal", new_id, "created", d.origin)
            self.remember(d.source, "deal", d.crm_id, new_id)
            if pid is None:
                continue
            p = people[pid]
            at = _lost_at(d, self.now)
            text = d.lost_reason or ""
            reading = self.reading(text, at, self.accounts[o["account_id"]])
            if p.id in sharing and self.reads_opt_out(text, reading):
                # the opt-out in their words marks the person's other contact rows too:
                # log_rejection (apply_dnc) does it, in its turn; then what it changed is read
                self._store_lost(segment, people)
                deal = self.s.get(Deal, new_id)
                whose = self.s.get(Contact, pid, populate_existing=True)
                assert deal is not None and whose is not None
                self.lost_reason(d, deal, whose)
                self._refresh(people)
                continue
            segment.append((d, Lost(person=p, deal_id=new_id, deal_stage=o.get("stage"),
                                    text=text, at=at, reading=reading)))
        self._store_lost(segment, people)
        return slow

    def _store_lost(self, segment: list[tuple[CrmDeal, Lost]],
                    people: dict[int, Person]) -> None:
        """The lost reasons gathered so far, in bulk (then the list is emptied)."""
        if not segment:
            return
        opt_outs = OptOuts(self.s, self.actor)
        stored = store_lost(self.s, self.actor, [x for _, x in segment], now=self.now,
                            opt_outs=opt_outs)
        opt_outs.write(list(people.values()))
        for (d, item), rej in zip(segment, stored, strict=True):
            self.remember(d.source, "rejection", d.crm_id or f"deal-{item.deal_id}", rej.id)
            self.change("rejection", rej.id, "created", d.origin)
            self.tally("rejection", f"read as {rej.label}")
        segment.clear()

    def _refresh(self, people: dict[int, Person]) -> None:
        """The people's marks and holds as stored now."""
        for r in self._rows(Contact, PERSON_COLUMNS, set(people)).values():
            p = people[r["id"]]
            p.dnc_at, p.dnc_reason, p.dnc_source = r["dnc_at"], r["dnc_reason"], r["dnc_source"]
            p.held_at, p.hold_reason = r["held_at"], r["hold_reason"]

    def reads_opt_out(self, text: str, reading: Any) -> bool:
        """Whether these words are stored as an opt-out (``log_rejection``'s label)."""
        from notnow.core.model import Label
        from notnow.services.capture.log import labels_for

        spec = validate(RejectionCreate, {"text": text, "contact_id": 1})
        return labels_for(spec, reading)[0] == Label.DO_NOT_CONTACT

    def reading(self, text: str, at: datetime, info: _AccountInfo) -> Any:
        """What the reader makes of a lost reason, read once per distinct text and the day
        and account settings it is read for (CRM loss reasons are mostly picklist values)."""
        from notnow.services.capture.log import understand_text

        tz = info.timezone or self.ws.config.timezone
        today = at.astimezone(ZoneInfo(tz)).date()
        key = (text, today, info.timezone, info.fiscal_year_start, info.country)
        if key not in self.readings:
            spec = validate(RejectionCreate, {"text": text, "contact_id": 1})
            self.readings[key] = understand_text(
                self.ws, spec.text or "", today=today,
                account=Account(name="?", timezone=info.timezone,
                                fiscal_year_start=info.fiscal_year_start, country=info.country))
        return self.readings[key]

    # --- ids ------------------------------------------------------------------------------

    def _known(self, source: Source, kind: str) -> dict[str, int]:
        key = (source.value, kind)
        if key not in self.ext:
            rows = self.s.execute(select(ExternalId.external_id, ExternalId.entity_id)
                                  .where(ExternalId.source == source.value,
                                         ExternalId.entity_kind == kind))
            self.ext[key] = {ext_id: entity_id for ext_id, entity_id in rows}
        return self.ext[key]

    def find(self, source: Source, kind: str, crm_id: str | None) -> int | None:
        if not crm_id:
            return None
        got = self._known(source, kind).get(crm_id)
        if got is None:
            got = self.staged.get(((source.value, kind), crm_id))
        return got

    def remember(self, source: Source, kind: str, crm_id: str | None, entity_id: int) -> None:
        if not crm_id:
            return
        known = self._known(source, kind)
        key = (source.value, kind)
        if crm_id in known or (key, crm_id) in self.staged:
            return
        self.pending_ids.append({
            "source": source.value, "entity_kind": kind, "entity_id": entity_id,
            "external_id": crm_id, "batch_id": self.batch_id, "last_batch_id": self.batch_id,
            "created_at": self.now})
        self.staged[(key, crm_id)] = entity_id

    def change(self, kind: str, entity_id: int, action: str, origin: Any,
               before: dict[str, Any] | None = None) -> None:
        self.pending_changes.append({
            "batch_id": self.batch_id, "entity_kind": kind, "entity_id": entity_id,
            "action": action, "before": before, "file": origin.file[:255],
            "line": origin.line})
        self.tally(kind, action)

    # --- owners ---------------------------------------------------------------------------

    def _users(self) -> dict[str, int]:
        """Every way a CRM may name a notnow user whose records the actor may change."""
        out: dict[str, int] = {}
        for u in self.s.scalars(select(User).where(User.active.is_(True)).order_by(User.id)):
            if not may_write(self.actor, u.id):
                continue
            if u.email:
                out.setdefault(u.email.strip().lower(), u.id)
            out.setdefault(fold(u.name), u.id)
        return out

    def owner_of(self, ref: Ref | None, fallback: int | None = None) -> int:
        """The notnow owner for a record the CRM says `ref` owns."""
        if ref is None or not (ref.email or ref.name):
            if fallback is not None and may_write(self.actor, fallback):
                return fallback
            return self.default_owner
        key = (ref.email or "").lower() or fold(ref.name or "")
        if key not in self.owner_cache:
            uid = self.users.get((ref.email or "").lower()) if ref.email else None
            if uid is None and ref.name:
                uid = self.users.get(fold(ref.name)) or self.users.get(ref.name.strip().lower())
            self.owner_cache[key] = uid
        uid = self.owner_cache[key]
        if uid is None:
            self.unknown[ref.describe()] += 1
            return self.default_owner
        self.owners[ref.describe()] += 1
        return uid

    # --- accounts -------------------------------------------------------------------------

    def _writable(self, row: Account | Contact | Deal | None, crm_id: str | None,
                  what: str) -> None:
        if row is not None and not may_write(self.actor, row.owner_id):
            raise _Skip(f"this {what} (CRM id {crm_id}) is not among the records you may "
                        "change")

    def account_for(self, source: Source, ref: Ref | None, origin: Any, *,
                    fallback_name: str | None, owner: Ref | None = None) -> Account:
        """The account a contact or deal belongs to: by CRM id, then by name among the
        actor's; created (with what the row names) when there is none."""
        row: Account | None = None
        if ref is not None and ref.crm_id:
            got = self.find(source, "account", ref.crm_id)
            row = self.s.get(Account, got) if got is not None else None
            self._writable(row, ref.crm_id, "company")
        name = (ref.name if ref is not None else None) or fallback_name
        if row is None and name:
            row = self._account_by_name(name)
        if row is None:
            if not name:
                raise _Skip("no company named for this record", "account")
            row = Account(name=name[:300], owner_id=self.owner_of(owner), created_at=self.now)
            self.s.add(row)
            self.s.flush()
            self.change("account", row.id, "created", origin)
        if ref is not None:
            self.remember(source, "account", ref.crm_id, row.id)
        return row

    def _account_by_name(self, name: str) -> Account | None:
        return self.s.scalars(select(Account).where(
            Account.name_key == name_key(name),
            owned(self.actor, Account.owner_id, write=True)).order_by(Account.id).limit(1)
        ).first()

    def account(self, a: CrmAccount) -> None:
        got = self.find(a.source, "account", a.crm_id)
        row = self.s.get(Account, got) if got is not None else None
        self._writable(row, a.crm_id, "company")
        if row is None:
            row = self._account_by_name(a.name)
        values = _account_values(a)
        if row is None:
            row = Account(**_present(values), owner_id=self.owner_of(a.owner),
                          created_at=self.now)
            self.s.add(row)
            self.s.flush()
            self.change("account", row.id, "created", a.origin)
        else:
            self._update("account", row, values, a.origin)
        self.remember(a.source, "account", a.crm_id, row.id)

    def _update(self, kind: str, row: Any, values: dict[str, Any], origin: Any) -> bool:
        """Set what the CRM says now where it says something; records what it was."""
        before: dict[str, Any] = {}
        for field, value in values.items():
            if value is None:
                continue
            old = getattr(row, field)
            if _same(old, value):
                continue
            before[field] = _jsonable(old)
            setattr(row, field, value)
            self.tally(f"~{kind}", field)
        if before:
            self.s.flush()
            self.change(kind, row.id, "updated", origin, before)
            return True
        self.tally(kind, "unchanged")
        return False

    # --- contacts -------------------------------------------------------------------------

    def contact(self, c: CrmContact) -> None:
        from notnow.services.capture.optout import apply_dnc

        got = self.find(c.source, "contact", c.crm_id)
        row = self.s.get(Contact, got) if got is not None else None
        self._writable(row, c.crm_id, "contact")
        if row is None and c.email:
            row = self.s.scalars(select(Contact).where(
                Contact.email == c.email,
                owned(self.actor, Contact.owner_id, write=True)).order_by(Contact.id).limit(1)
            ).first()
        values = _contact_values(c)
        if row is None:
            fallback = _company_of(c)
            acc = self.account_for(c.source, c.account, c.origin, fallback_name=fallback,
                                   owner=c.owner)
            row = Contact(**_present(values), account_id=acc.id,
                          owner_id=self.owner_of(c.owner, fallback=acc.owner_id),
                          created_at=self.now)
            row.account = acc
            self.s.add(row)
            self.s.flush()  # storage's guard consults the suppression list here
            self.change("contact", row.id, "created", c.origin)
            if row.dnc_at is not None:
                self.tally("contact", "already on the suppression list")
        else:
            if c.account and (c.account.crm_id or c.account.name):
                acc = self.account_for(c.source, c.account, c.origin, fallback_name=None,
                                       owner=c.owner)
                values["account_id"] = acc.id
            self._update("contact", row, values, c.origin)
        self.remember(c.source, "contact", c.crm_id, row.id)
        if c.opted_out and row.dnc_at is None:
            apply_dnc(self.s, self.actor, row,
                      reason=f"{c.source.value} export: {', '.join(c.opt_outs)}",
                      source=DncSource.IMPORT, when=self.now)
            self.change("contact", row.id, "suppressed", c.origin)

    def contact_for(self, source: Source, ref: Ref | None, account_id: int | None) -> (
            Contact | None):
        """A contact a deal or activity names: by CRM id, email, then name at the account."""
        if ref is None or not ref:
            return None
        row: Contact | None = None
        if ref.crm_id:
            got = self.find(source, "contact", ref.crm_id)
            row = self.s.get(Contact, got) if got is not None else None
        if row is None and ref.email:
            row = self.s.scalars(select(Contact).where(
                Contact.email == ref.email.lower(),
                owned(self.actor, Contact.owner_id, write=True)).order_by(Contact.id).limit(1)
            ).first()
        if row is None and ref.name:
            q = select(Contact).where(Contact.name_key == name_key(ref.name),
                                      owned(self.actor, Contact.owner_id, write=True))
            if account_id is not None:
                q = q.where(Contact.account_id == account_id)
            row = self.s.scalars(q.order_by(Contact.id).limit(1)).first()
        if row is not None and not may_write(self.actor, row.owner_id):
            return None
        return row

    def new_contact(self, source: Source, ref: Ref, account_id: int, owner: Ref | None,
                    origin: Any) -> Contact:
        """A contact a deal names that no export row of people gave (through the same guard
        as any new contact: an identity on the suppression list marks it at once)."""
        acc = self.s.get(Account, account_id)
        assert acc is not None
        row = Contact(name=(ref.name or ref.email or "?")[:300],
                      email=ref.email.lower() if ref.email else None, account_id=account_id,
                      owner_id=self.owner_of(owner, fallback=acc.owner_id), created_at=self.now)
        row.account = acc
        self.s.add(row)
        self.s.flush()  # storage's guard consults the suppression list here
        self.change("contact", row.id, "created", origin)
        self.remember(source, "contact", ref.crm_id, row.id)
        return row

    # --- deals ----------------------------------------------------------------------------

    def deal(self, d: CrmDeal) -> None:
        got = self.find(d.source, "deal", d.crm_id)
        row = self.s.get(Deal, got) if got is not None else None
        self._writable(row, d.crm_id, "deal")
        person = self.contact_for(d.source, d.contact, None)
        if row is not None:
            acc_id = row.account_id
        elif d.account:
            acc_id = self.account_for(d.source, d.account, d.origin, fallback_name=None,
                                      owner=d.owner).id
        elif person is not None:
            acc_id = person.account_id
        else:
            raise _Skip("no company for this deal (neither its company nor a known contact "
                        "is named)", "account")
        elsewhere = person is not None and person.account_id != acc_id
        if elsewhere:
            person = None  # a contact at another company: not this deal's
        if row is None:
            row = self.s.scalars(select(Deal).where(
                Deal.account_id == acc_id, Deal.offer == d.title[:300],
                owned(self.actor, Deal.owner_id, write=True)).order_by(Deal.id).limit(1)
            ).first()
        status = _status(d, row.status if row is not None else None)
        value = d.value
        if value is not None and (value < 0 or value > MAX_VALUE):
            self.problem(d.origin.file, d.origin.line, "an amount notnow cannot hold — the "
                         "value is left out, the rest of the row is read", "value")
            value = None
        values = _deal_values(d, status, person.id if person is not None else None, value)
        if row is None:
            acc = self.s.get(Account, acc_id)
            assert acc is not None
            row = Deal(**_present(values), account_id=acc_id,
                       owner_id=self.owner_of(d.owner, fallback=acc.owner_id),
                       created_at=self.now)
            self.s.add(row)
            self.s.flush()
            self.change("deal", row.id, "created", d.origin)
        else:
            self._update("deal", row, values, d.origin)
        self.remember(d.source, "deal", d.crm_id, row.id)
        if d.status == DealStatus.LOST and d.lost_reason and d.lost_reason.strip():
            self.lost_reason(d, row, person, named_elsewhere=elsewhere)

    def lost_reason(self, d: CrmDeal, deal: Deal, person: Contact | None, *,
                    named_elsewhere: bool = False) -> None:
        """The CRM's words for why the deal was lost, logged once as a rejection."""
        from notnow.services.capture.log import log_rejection

        key = d.crm_id or f"deal-{deal.id}"
        if self.find(d.source, "rejection", key) is not None:
            self.tally("rejection", "unchanged")
            return
        if person is None and not named_elsewhere and d.contact and (d.contact.name
                                                                   or d.contact.email):
            # the deal names its contact, whom no export of people gave: the no is theirs
            person = self.new_contact(d.source, d.contact, deal.account_id, d.owner, d.origin)
            self.s.add(ImportChange(batch_id=self.batch_id, entity_kind="deal",
                                    entity_id=deal.id, action="updated",
                                    before={"contact_id": deal.contact_id},
                                    file=d.origin.file[:255], line=d.origin.line))
            deal.contact_id = person.id
        if person is None:
            person = self.s.scalars(select(Contact).where(
                Contact.account_id == deal.account_id,
                owned(self.actor, Contact.owner_id, write=True))
                .order_by((Contact.role == "decision_maker").desc(), Contact.id).limit(1)
            ).first()
        if person is None:
            raise _Skip("the lost reason needs a contact: neither the deal nor its company "
                        "names one", "lost reason")
        at = _lost_at(d, self.now)
        self.s.flush()
        acc = self.s.get(Account, person.account_id)
        assert acc is not None
        rej = log_rejection(self.ws, self.actor, {"text": d.lost_reason, "at": at},
                            contact=person.id, deal=deal.id, session=self.s, schedule=False,
                            reading=self.reading(d.lost_reason or "", at,
                                                 _AccountInfo.of(acc)))
        self.remember(d.source, "rejection", key, rej.id)
        self.change("rejection", rej.id, "created", d.origin)
        self.tally("rejection", f"read as {rej.label.value}")

    # --- activities -----------------------------------------------------------------------

    def activity(self, t: CrmActivity) -> None:
        from notnow.errors import DoNotContact
        from notnow.services.capture.touches import add_touch

        if not t.is_touch:
            self.tally("touch", "not a touch (planned, or a task)")
            return
        if self.find(t.source, "touch", t.crm_id) is not None:
            self.tally("touch", "unchanged")
            return
        deal_id = self.find(t.source, "deal", t.deal.crm_id) if t.deal else None
        account_id = None
        if t.account and t.account.crm_id:
            account_id = self.find(t.source, "account", t.account.crm_id)
        person = self.contact_for(t.source, t.contact, account_id)
        if person is None:
            raise _Skip("no contact notnow knows for this activity (import the contacts "
                        "first, or in the same run)", "contact")
        at = self._when(t)
        if at > self.now:
            self.tally("touch", "in the future (not a touch yet)")
            return
        if deal_id is not None:
            deal = self.s.get(Deal, deal_id)
            if deal is None or deal.account_id != person.account_id:
                deal_id = None
        try:
            touch, over = add_touch(
                self.s, self.actor, person, channel=t.channel,  # type: ignore[arg-type]
                direction=(t.direction or Direction.OUTBOUND).value,
                outcome=(t.subject or t.crm_type or "")[:200] or None,
                at=at, now=self.now, deal_id=deal_id,
                author_id=self.owner_of(t.owner, fallback=person.owner_id))
        except DoNotContact as exc:
            raise _Skip(f"refused: {exc.message}", "contact") from None
        self.remember(t.source, "touch", t.crm_id, touch.id)
        self.change("touch", touch.id, "created", t.origin)
        if over is not None:
            self.tally("touch", "over a cap (recorded)")

    def _when(self, t: CrmActivity) -> datetime:
        if t.at is not None:
            at = t.at if t.at.tzinfo else t.at.replace(tzinfo=self.tz)
            return at.astimezone(UTC)
        assert t.on is not None
        return datetime.combine(t.on, time(12), tzinfo=UTC)


# --- helpers ------------------------------------------------------------------------------------


def _companies_first(f: CrmFile) -> Iterator[CrmRecord | RowProblem]:
    """The file's records with those of one row in the order they depend on each other:
    the company, then the person, then the deal or activity."""
    row: list[CrmRecord] = []
    for item in f:
        if isinstance(item, RowProblem):
            yield item
            continue
        if row and row[0].origin != item.origin:
            yield from sorted(row, key=lambda r: KIND_ORDER[r.kind])
            row = []
        row.append(item)
    yield from sorted(row, key=lambda r: KIND_ORDER[r.kind])


def _file_entry(f: CrmFile) -> dict[str, Any]:
    digest = hashlib.sha256()
    with f.path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return {"name": f.name[:255], "sha256": digest.hexdigest(), "bytes": f.size,
            "read_as": f.title, "source": f.source.value, "kind": f.kind.value,
            "encoding": f.encoding, "delimiter": f.delimiter}


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old.astimezone(UTC).date() == new.astimezone(UTC).date()
    if isinstance(old, Decimal | int | float) and isinstance(new, Decimal | int | float):
        return Decimal(str(old)) == Decimal(str(new))
    return bool(old == new)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _company_of(c: CrmContact) -> str:
    """A name for the company of a contact whose export names none."""
    if c.email and "@" in c.email:
        return c.email.rsplit("@", 1)[1]
    return f"{c.name} (no company)"


def _status(d: CrmDeal, current: str | None) -> str:
    """notnow's status from the CRM's; a lost deal notnow reads as nurturing (a soft no) or
    marked walked-away stays so — lost is a family of states, not one."""
    if current is not None and d.status == DealStatus.LOST and current in CLOSED_LIKE:
        return current
    return d.status.value


def _account_values(a: CrmAccount) -> dict[str, Any]:
    return {"name": a.name[:300], "domain": a.domain, "website": a.website,
            "industry": a.industry, "employees": a.employees, "country": a.country,
            "region": a.region, "city": a.city}


def _contact_values(c: CrmContact) -> dict[str, Any]:
    return {"name": c.name[:300], "email": c.email, "phone": c.phone, "title": c.title,
            "role": c.role.value if c.role is not None else None}


def _deal_values(d: CrmDeal, status: str, contact_id: int | None,
                 value: Decimal | None) -> dict[str, Any]:
    closed = _closed_at(d)
    return {"offer": d.title[:300], "value": value,
            "currency": d.currency.upper()[:3] if d.currency and len(d.currency) == 3 else None,
            "stage": d.stage.value if d.stage is not None else None,
            "status": status, "contact_id": contact_id,
            "closed_at": closed if status != DealStatus.OPEN.value else None}


def _lost_at(d: CrmDeal, now: datetime) -> datetime:
    """When a lost reason was said: the day the deal was lost (at noon UTC), never later than
    now."""
    lost_on = d.lost_on
    at = datetime.combine(lost_on, time(12), tzinfo=UTC) if lost_on is not None else now
    return min(at, now)


@dataclass
class _AccountInfo:
    """What the bulk path needs of an account."""

    id: int
    owner_id: int | None
    country: str | None
    timezone: str | None
    fiscal_year_start: int | None
    values: dict[str, Any]

    @classmethod
    def of(cls, r: Any) -> _AccountInfo:
        return cls(r.id, r.owner_id, r.country, r.timezone, r.fiscal_year_start,
                   {f: getattr(r, f) for f in ACCOUNT_FIELDS})


@dataclass
class _NewAccount:
    name: str
    owner: Ref | None
    origin: Any
    refs: list[tuple[Source, str]]


def _person(contact_id: int, o: dict[str, Any], country: str | None) -> Person:
    return Person(id=contact_id, account_id=o["account_id"], owner_id=o["owner_id"],
                  name=o["name"], email=o.get("email"), phone=o.get("phone"),
                  linkedin=o.get("linkedin"), country=country, dnc_at=o.get("dnc_at"),
                  dnc_reason=o.get("dnc_reason"), dnc_source=o.get("dnc_source"),
                  held_at=o.get("held_at"), hold_reason=o.get("hold_reason"))


def _closed_at(d: CrmDeal) -> datetime | None:
    day = {DealStatus.LOST: d.lost_on, DealStatus.WON: d.won_date or d.close_date}.get(
        d.status)
    return datetime.combine(day, time(12), tzinfo=UTC) if day is not None else None


# --- the batches --------------------------------------------------------------------------------


def list_imports(ws: Workspace, actor: Actor, *, limit: int = 50) -> list[ImportPublic]:
    """The imports the actor ran (an admin: everyone's), newest first."""
    with ws.db.read() as s:
        q = select(ImportBatch).where(ImportBatch.dry_run.is_(False)).order_by(
            ImportBatch.id.desc()).limit(limit)
        if not actor.is_admin:
            q = q.where(ImportBatch.actor_id == actor.id)
        return [_batch_public(b) for b in s.scalars(q)]


def _batch_public(b: ImportBatch) -> ImportPublic:
    return ImportPublic(id=b.id, source=b.source, files=[f.get("name", "?") for f in b.files],
                        status=b.status, counts=b.counts, started_at=b.started_at,
                        finished_at=b.finished_at, undone_at=b.undone_at)



def _table(model: Any) -> Any:
    """A mapped class's table, for Core statements (no ORM work per row)."""
    return model.__table__
