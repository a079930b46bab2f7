"""The team's own examples: the corrections salespeople made when a reading was wrong.

Logging a no with a label other than the one the reader gave keeps the words and the label as
a training example, in the same transaction as the rejection (`services.capture.log`). They
live in the workspace's database, so every machine of a team trains on the same ones
(`notnow teach` passes them to the team model).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from notnow.core.policy import Actor
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
