"""The team's playbook: the shipped defaults with the team's YAML merged over them.

The team's YAML lives in the workspace database (``meta`` key ``playbook``), so every app
process of a team reads the same one. It is validated before it is stored: a bad file is
refused with the line and what is wrong, and the stored playbook is left as it was.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from notnow.core import playbook as core
from notnow.core.playbook import Playbook, Settings
from notnow.core.policy import Actor, may_change_playbook
from notnow.errors import InvalidInput, PermissionDenied
from notnow.services.team.audit import record
from notnow.services.workspace import Workspace
from notnow.storage.tables import Meta

KEY = "playbook"
TEAM_FILE = "team playbook"


def team_text(ws: Workspace) -> str:
    """The team's own YAML ('' when the team uses the defaults)."""
    with ws.db.read() as s:
        return _stored_text(s)


def _stored_text(s: Session) -> str:
    row = s.get(Meta, KEY)
    return row.value if row is not None else ""


@lru_cache(maxsize=8)
def _parsed(text: str) -> Playbook:
    return core.team_playbook(text, file=TEAM_FILE) if text.strip() else core.default_playbook()


def team_playbook(ws: Workspace) -> Playbook:
    """The playbook in force: defaults, then the team's overrides."""
    return _parsed(team_text(ws))


def playbook_in(s: Session) -> Playbook:
    """The playbook in force, read within an open session (one transaction with the caller's)."""
    return _parsed(_stored_text(s))


def team_settings(ws: Workspace) -> Settings:
    return team_playbook(ws).settings


def check_text(text: str, *, file: str) -> Playbook:
    """Validate a team file (merged over the defaults); raises PlaybookInvalid with the line."""
    return core.team_playbook(text, file=file)


def read_file(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}", field="file") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text", field="file") from None


def check_file(path: Path) -> Playbook:
    return check_text(read_file(path), file=str(path))


def save_team_text(ws: Workspace, actor: Actor, text: str, *,
                   file: str = TEAM_FILE) -> Playbook:
    """Validate, then store the team's YAML (empty text: back to the defaults). Admins only;
    the change is audited."""
    if not may_change_playbook(actor):
        raise PermissionDenied("only an admin can change the team's playbook")
    playbook = check_text(text, file=file)
    with ws.db.write() as s:
        row = s.get(Meta, KEY)
        if not text.strip():
            if row is not None:
                s.delete(row)
        elif row is None:
            s.add(Meta(key=KEY, value=text))
        else:
            row.value = text
        record(s, actor, "playbook.changed", "playbook", None, at=ws.now(),
               note=f"{len(text.splitlines())} lines" if text.strip() else "back to defaults")
    return playbook


def starter_text(ws: Workspace) -> str:
    """What `notnow playbook edit` opens: the team's file, or a commented starting point."""
    current = team_text(ws)
    if current.strip():
        return current
    return (
        "# Your team's playbook: it merges over notnow's defaults (`notnow playbook show`).\n"
        "# settings merge key by key; a rule with a known id replaces it; a new id adds one.\n"
        "version: 1\n"
        "settings:\n"
        "  silence: {attempts: 9, channels: 3}\n"
        "  # quiet_periods:\n"
        "  #   - {name: year end, start: \"12-24\", end: \"01-01\"}\n"
        "rules: []\n"
        "#  - {id: light-nurture-after-not-interested, enabled: false}\n"
    )
