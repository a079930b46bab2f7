"""The team's own examples: the corrections salespeople made when a reading was wrong.

Logging a no with a label other than the one the reader gave keeps the words and the label as
a training example, in the same transaction as the rejection (`services.capture.log`). They
live in the workspace's database, so every machine of a team trains on the same ones
(`notnow teach` passes them to the team model).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from notnow.core.policy import Actor, may_teach
from notnow.errors import PermissionDenied
from notnow.services.workspace import Workspace
from notnow.storage.tables import TrainingExample

MAX_EXAMPLES = 20_000


def corrections(ws: Workspace, actor: Actor) -> list[dict[str, Any]]:
    """Every correction kept in the workspace, newest last, each text once (the latest label
    wins). Teaching the model is a team matter: no one's private writing is in these rows."""
    with ws.db.read() as s:
        rows = s.execute(select(TrainingExample.text, TrainingExample.label,
                                TrainingExample.also)
                         .order_by(TrainingExample.id.desc()).limit(MAX_EXAMPLES)).all()
    seen: dict[str, dict[str, Any]] = {}
    for text, label, also in rows:
        seen.setdefault(text, {"text": text, "label": label, "also": list(also or []),
                               "source": "team: correction when logging"})
    return list(reversed(seen.values()))


def teach(ws: Workspace, actor: Actor, path: Path, *,
          progress: Callable[[str], None] | None = None,
          started: Callable[[int], None] | None = None) -> tuple[int, int, Path]:
    """Add the labeled examples in ``path`` to the workspace's team model and retrain it with
    the corrections kept in the database: every reading in the workspace changes, so admins
    only (refused before the file is read or anything is written); audited.
    ``started`` is told how many examples the file holds once it is found valid.
    Returns (examples added, team examples in all, the model file)."""
    from notnow.services.team.audit import record
    from notnow.understand.teammodel import read_examples_file
    from notnow.understand.teammodel import teach as retrain

    if not may_teach(actor):
        raise PermissionDenied("only an admin can teach the team's model (it changes how "
                               "everyone's replies are read)")
    rows = read_examples_file(path)  # every line valid before anything is said or written
    if started is not None:
        started(len(rows))
    added, total, model = retrain(path, ws.config.home / "model", corrections(ws, actor),
                                  progress=progress)
    with ws.db.write() as s:
        record(s, actor, "model.taught", "model", None, at=ws.now(),
               note=f"{added} example(s) added, {total} team examples")
    return added, total, model
