"""Mail tests: our own messages (mailcorpus.py), reply cases, and a throwaway Dovecot."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dovecot_server import DOVECOT, SKIP_REASON, Dovecot


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """One Dovecot for the mail tests (each test uses its own folders)."""
    if DOVECOT is None:
        pytest.skip(SKIP_REASON)
    server = Dovecot().start()
    yield server
    server.stop()


@pytest.fixture
def fresh_dovecot() -> Iterator[Dovecot]:
    """A Dovecot of its own, for tests that fail logins on purpose: Dovecot slows down the
    next logins from an address after a failure (by ~4 s), which other tests must not pay."""
    if DOVECOT is None:
        pytest.skip(SKIP_REASON)
    server = Dovecot().start()
    yield server
    server.stop()
