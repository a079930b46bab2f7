"""The workspace: configuration, database and clock, handed to every service with the actor."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from notnow import settings
from notnow.core.businessdays import keep_calendars_in
from notnow.core.clock import Clock, FixedClock, SystemClock
from notnow.errors import InvalidInput
from notnow.settings import Config
from notnow.storage.engine import Database, open_database
from notnow.storage.files import private_folder, secure_workspace_folder
from notnow.storage.tables import AuditEvent, Meta, User


@dataclass
class Workspace:
    config: Config
    db: Database
    clock: Clock
    owner_id: int
    """The workspace owner: who local mode and the CLI act as unless NOTNOW_USER says."""
    workspace_id: str = field(default="")

    def now(self) -> datetime:
        return self.clock.now()

    def today(self, tz: str | None = None) -> date:
        return self.now().astimezone(ZoneInfo(tz or self.config.timezone)).date()

    def close(self) -> None:
        self.db.dispose()


UNNAMED_OWNER = "owner"
"""The workspace owner's name until they give theirs (``notnow init --name``)."""


@dataclass(frozen=True)
class InitResult:
    database: str
    created: bool
    workspace_id: str
    owner: str


def _clock_for(config: Config, clock: Clock | None) -> Clock:
    if clock is not None:
        return clock
    return FixedClock(config.now) if config.now is not None else SystemClock()


def _ensure_owner(db: Database, now: datetime) -> tuple[int, str, bool]:
    """The owner's id and the workspace id; created on first use (only then is it a write).
    Read from the tables, not through the ORM: a command that needs no ORM object does not
    set it up."""
    users, settings_t = User.__table__, Meta.__table__
    with db.read() as s:
        owner_id = s.scalar(select(users.c.id).where(users.c.is_owner.is_(True)).limit(1))
        wid = s.scalar(select(settings_t.c.value).where(settings_t.c.key == "workspace_id"))
        if owner_id is not None and wid is not None:
            return owner_id, wid, False
    with db.write() as s:
        owner = s.scalar(select(User).where(User.is_owner.is_(True)).limit(1))
        created = owner is None
        if owner is None:
            owner = User(name=UNNAMED_OWNER, role="admin", is_owner=True, active=True,
                         created_at=now)
            s.add(owner)
        meta = s.get(Meta, "workspace_id")
        if meta is None:
            meta = Meta(key="workspace_id", value=uuid.uuid4().hex)
            s.add(meta)
            s.add(Meta(key="created_at", value=now.isoformat()))
        s.flush()
        return owner.id, meta.value, created


def _keep_calendars(home: Path) -> None:
    """Holidays worked out are kept in the workspace folder for the next run (0.1 s a run),
    when there is one (none is made for them: a database elsewhere may be all there is)."""
    try:
        keep_calendars_in(private_folder(home / "cache") if home.is_dir() else None)
    except OSError:
        keep_calendars_in(None)  # a folder we cannot write to: worked out in every run


def open_workspace(config: Config | None = None, *, clock: Clock | None = None) -> Workspace:
    """Open (creating or upgrading if needed) the workspace that `config` points to."""
    config = config or settings.load()
    clock = _clock_for(config, clock)
    secure_workspace_folder(config.home)
    db = open_database(config.database_url)
    try:
        owner_id, wid, _ = _ensure_owner(db, clock.now())
    except BaseException:
        db.dispose()  # no pooled connection outlives a workspace that failed to open
        raise
    _keep_calendars(config.home)  # after the database, which may have made the folder
    return Workspace(config=config, db=db, clock=clock, owner_id=owner_id, workspace_id=wid)


def init_workspace(config: Config | None = None, *, clock: Clock | None = None,
                   name: str | None = None) -> InitResult:
    """Create or migrate the workspace; running it again changes nothing. ``name`` is the
    owner's name (drafts are signed with it), set at creation or later."""
    config = config or settings.load()
    clock = _clock_for(config, clock)
    wanted = " ".join((name or "").split())
    if name is not None and not 1 <= len(wanted) <= 200:
        raise InvalidInput("give your name (1 to 200 characters)", field="--name")
    secure_workspace_folder(config.home)
    db = open_database(config.database_url)
    try:
        owner_id, wid, created = _ensure_owner(db, clock.now())
        with db.write() as s:
            owner = s.get(User, owner_id)
            assert owner is not None
            if wanted and owner.name != wanted:
                s.add(AuditEvent(at=clock.now(), actor_id=owner.id, action="user.renamed",
                                 entity="user", entity_id=owner.id, owner_id=owner.id,
                                 before={"name": owner.name}, after={"name": wanted}))
                owner.name = wanted
            shown_name = owner.name
        shown = str(db.path) if db.path else db.engine.url.render_as_string(hide_password=True)
        return InitResult(database=shown, created=created, workspace_id=wid, owner=shown_name)
    finally:
        db.dispose()
