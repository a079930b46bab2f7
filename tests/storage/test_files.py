"""The workspace on disk is its owner's alone: the folder 0700, what notnow writes in it 0600.

Finding: the workspace folder and the database were world-readable (made under the usual
umask 022). These tests check the mode bits — they pass as root too, who ignores them when
reading but whose files still carry them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from notnow import settings


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    old = os.umask(0o022)  # what most systems give a user: files 0644, folders 0755
    yield
    os.umask(old)


def _config(home: Path) -> settings.Config:
    return settings.load({"NOTNOW_HOME": str(home)})


def test_a_new_workspace_is_private(tmp_path: Path) -> None:
    from notnow.services.workspace import init_workspace, open_workspace

    home = tmp_path / "notnow"
    init_workspace(_config(home))
    assert mode(home) == 0o700
    assert mode(home / "notnow.db") == 0o600
    ws = open_workspace(_config(home))
    try:
        with ws.db.write() as s:  # WAL mode: the -wal and -shm files hold pages too
            from notnow.storage.tables import Meta

            s.merge(Meta(key="x", value="y"))
        with ws.db.read() as s:
            s.get(Meta, "x")
        companions = [p for p in home.iterdir() if p.name.startswith("notnow.db-")]
        assert companions
        assert {p.name: mode(p) for p in companions} == {p.name: 0o600 for p in companions}
    finally:
        ws.close()


def test_an_existing_world_readable_workspace_is_tightened_when_opened(tmp_path: Path) -> None:
    from notnow.services.workspace import open_workspace
    from notnow.storage import migrate
    from notnow.storage.engine import Database

    home = tmp_path / "notnow"
    home.mkdir(mode=0o755)
    db = home / "notnow.db"
    older = Database(f"sqlite:///{db}")  # as an older notnow left it: 0644, at schema 0004,
    migrate.upgrade(older, "0004")      # with an old backup beside it
    older.dispose()
    db.chmod(0o644)
    old_backup = home / "notnow.db.bak-0003"
    old_backup.write_text("old pages")
    model = home / "model"
    model.mkdir(mode=0o755)
    (model / "team-examples.jsonl").write_text("{}\n")
    for p in (old_backup, model / "team-examples.jsonl"):
        p.chmod(0o644)
    unrelated = home / "README.txt"  # not notnow's: left as it is
    unrelated.write_text("hello")
    unrelated.chmod(0o644)
    ws = open_workspace(_config(home))
    ws.close()
    assert mode(home) == 0o700
    assert mode(db) == 0o600
    assert mode(old_backup) == 0o600
    assert mode(model) == 0o700 and mode(model / "team-examples.jsonl") == 0o600
    assert mode(unrelated) == 0o644
    kept = home / "notnow.db.bak-0004"  # the copy kept before this upgrade, too
    assert kept.exists() and mode(kept) == 0o600


def test_tightening_never_widens_and_leaves_shared_folders_alone(tmp_path: Path) -> None:
    from notnow.storage.files import tighten

    read_only = tmp_path / "ro.db"
    read_only.write_text("x")
    read_only.chmod(0o440)
    tighten(read_only)
    assert mode(read_only) == 0o400
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp: everyone's
    tighten(shared)
    assert mode(shared) == 0o1777


def test_a_database_outside_the_workspace_folder_is_private_too(tmp_path: Path) -> None:
    from notnow.services.workspace import open_workspace

    elsewhere = tmp_path / "data" / "team.db"
    ws = open_workspace(settings.load({"NOTNOW_HOME": str(tmp_path / "home"),
                                       "NOTNOW_DATABASE_URL": f"sqlite:///{elsewhere}"}))
    ws.close()
    assert mode(elsewhere) == 0o600 and mode(elsewhere.parent) == 0o700
    assert not (tmp_path / "home").exists()  # nothing made where nothing is kept


def test_the_team_model_folder_and_files_are_private(tmp_path: Path) -> None:
    from notnow.understand import teammodel

    folder = tmp_path / "home" / "model"
    teammodel.record_correction("Call me after the summer, we are swamped", "not_now",
                                team_dir=folder)
    assert mode(folder) == 0o700
    assert mode(folder / teammodel.EXAMPLES_FILE) == 0o600


def test_exports_are_written_for_their_owner_only(ws: Any, tmp_path: Path, cli: Any) -> None:
    from actors import owner_of
    from notnow.render import report_html
    from notnow.services.learning import reports

    rep = reports.report(ws, owner_of(ws))
    files = report_html.write_csv(rep, tmp_path / "csv")
    assert files and {mode(f) for f in files} == {0o600}
    html = report_html.write_html(rep, tmp_path / "report.html")
    assert mode(html) == 0o600
    r = cli("calendar", "export", str(tmp_path / "plan.ics"))
    assert r.code == 0, r.err
    assert mode(tmp_path / "plan.ics") == 0o600
