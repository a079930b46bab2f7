"""`notnow.mail` and `notnow.worker` export what their docstrings promise, and only that."""

from __future__ import annotations

import notnow.mail
import notnow.worker


def test_exported_members() -> None:
    for module in (notnow.mail, notnow.worker):
        assert module.__all__ == sorted(module.__all__)
        assert all(hasattr(module, name) for name in module.__all__)
    assert {"parse_message", "own_words", "iter_messages", "classify", "ImapClient",
            "build_draft"} <= set(notnow.mail.__all__)
    assert {"enqueue", "claim", "Worker", "Registry", "JobKind"} <= set(notnow.worker.__all__)
