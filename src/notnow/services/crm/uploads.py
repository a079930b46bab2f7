"""Files uploaded for an import (the web page and the API), kept between the preview and the
import itself: in the workspace folder (`uploads/<token>/`), private to the person who
uploaded them (another person's token is answered like an unknown one), bounded in size."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from notnow.core.policy import Actor
from notnow.errors import InvalidInput, NotFound
from notnow.services.crm.imports import MAX_FILES, ImportFile
from notnow.services.workspace import Workspace

MAX_UPLOAD = 256 * 1024 * 1024
"""All the files of one upload together, in bytes."""
_TOKEN = re.compile(r"[0-9a-f]{32}")
_UNSAFE = re.compile(r"[^\w.\- ]+")


def _root(ws: Workspace) -> Path:
    return ws.config.home / "uploads"


def stage(ws: Workspace, actor: Actor, parts: Sequence[tuple[str, BinaryIO]]) -> str:
    """Keep the uploaded files; returns the token that names them."""
    if not parts:
        raise InvalidInput("choose at least one export file", field="files")
    if len(parts) > MAX_FILES:
        raise InvalidInput(f"at most {MAX_FILES} files at once", field="files")
    token = secrets.token_hex(16)
    folder = _root(ws) / token
    folder.mkdir(parents=True, mode=0o700)
    total = 0
    try:
        names = []
        for n, (name, stream) in enumerate(parts):
            shown = _UNSAFE.sub("_", Path(name or f"file{n + 1}.csv").name)[:120] or "file.csv"
            target = folder / f"{n:02d}"
            with target.open("wb") as out:
                while block := stream.read(1 << 20):
                    total += len(block)
                    if total > MAX_UPLOAD:
                        raise InvalidInput(f"the files are larger than {MAX_UPLOAD >> 20} MB "
                                           "together: import them with the CLI (notnow "
                                           "import)", field="files")
                    out.write(block)
            os.chmod(target, 0o600)
            names.append(shown)
        (folder / "upload.json").write_text(json.dumps({"actor": actor.id, "names": names}))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return token


def staged_files(ws: Workspace, actor: Actor, token: str) -> list[ImportFile]:
    """The files of an upload of the actor's."""
    folder = _folder(ws, actor, token)
    names = json.loads((folder / "upload.json").read_text())["names"]
    return [ImportFile(folder / f"{n:02d}", name) for n, name in enumerate(names)]


def discard(ws: Workspace, actor: Actor, token: str) -> None:
    shutil.rmtree(_folder(ws, actor, token), ignore_errors=True)


def _folder(ws: Workspace, actor: Actor, token: str) -> Path:
    missing = NotFound("no such upload (it was imported or discarded): upload the files again",
                       field="token")
    if not _TOKEN.fullmatch(token or ""):
        raise missing
    folder = _root(ws) / token
    try:
        meta = json.loads((folder / "upload.json").read_text())
    except (OSError, ValueError):
        raise missing from None
    if meta.get("actor") != actor.id:
        raise missing
    return folder
