"""Files on disk that hold a workspace, readable only by the person who runs notnow.

The workspace folder (``NOTNOW_HOME``) is kept at 0700 and what notnow writes in it — the
SQLite database and its ``-wal``/``-shm`` files, the ``notnow.db.bak-*`` copies kept before an
upgrade, the team model folder and its files, the holidays kept in ``cache/``, exports — at
0600: they hold prospects' words and salespeople's notes. A folder or file made by an older
notnow (or under a loose umask) is tightened when the workspace is opened. Tightening only
ever removes the group and other bits; it never widens a mode, and it leaves alone what is not
ours to change (a folder owned by someone else, or a shared folder with the sticky bit such
as /tmp).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
"""Files SQLite keeps beside a database; they hold its pages too."""


def _ours_to_tighten(st: os.stat_result) -> bool:
    return st.st_uid == os.geteuid() and not st.st_mode & stat.S_ISVTX


def tighten(path: Path) -> None:
    """Take away the group and other permission bits of `path` (if it exists and is ours)."""
    try:
        st = path.lstat()
    except OSError:
        return
    if stat.S_ISLNK(st.st_mode) or not _ours_to_tighten(st):
        return
    if st.st_mode & 0o077:
        path.chmod(stat.S_IMODE(st.st_mode) & 0o700)


def private_folder(path: Path) -> Path:
    """Create `path` (and its missing parents) as 0700, or tighten it if it exists."""
    if not path.exists():
        path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        path.chmod(PRIVATE_FOLDER)  # mkdir's mode passes through the umask
    else:
        tighten(path)
    return path


def _private_fd(path: Path, flags: int) -> int:
    fd = os.open(path, flags | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), PRIVATE_FILE)
    try:
        st = os.fstat(fd)
        if _ours_to_tighten(st) and st.st_mode & 0o077:
            os.fchmod(fd, stat.S_IMODE(st.st_mode) & 0o700)
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def open_private(path: Path, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open `path` for writing (``w``, ``a``, ``wb``, ``ab``) as a file only its owner reads:
    created 0600, an existing one tightened first. A symlink in its place is refused."""
    flags = os.O_WRONLY | (os.O_APPEND if mode.startswith("a") else os.O_TRUNC)
    fd = _private_fd(path, flags)
    with os.fdopen(fd, mode, **kwargs) as fh:
        yield fh


def create_private(path: Path) -> None:
    """Make an empty file only its owner can read, unless it exists (which is tightened)."""
    os.close(_private_fd(path, os.O_WRONLY))


def secure_database_files(db_path: Path) -> None:
    """Tighten an SQLite database, its companions and the copies kept before upgrades."""
    tighten(db_path)
    for suffix in SQLITE_COMPANIONS:
        tighten(db_path.with_name(db_path.name + suffix))
    if db_path.parent.exists():
        for backup in db_path.parent.glob(f"{db_path.name}.bak-*"):
            tighten(backup)


def secure_workspace_folder(home: Path) -> None:
    """Tighten the workspace folder and what notnow keeps in it (if it exists)."""
    if not home.is_dir():
        return
    tighten(home)
    for entry in home.iterdir():
        name = entry.name
        if name.startswith("notnow.db") or name == "model":
            tighten(entry)
        if name == "model" and entry.is_dir() and not entry.is_symlink():
            for inner in entry.iterdir():
                tighten(inner)


def write_private(path: Path, content: str | bytes) -> Path:
    """Write ``content`` to ``path`` as a file only its owner reads (replacing it whole)."""
    from notnow.errors import StorageError

    data = content.encode("utf-8") if isinstance(content, str) else content
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open_private(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise StorageError(f"cannot write {path}: {exc.strerror}") from None
    return path
