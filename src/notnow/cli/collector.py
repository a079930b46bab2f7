"""How often Python's cycle collector runs in a `notnow` process: one rule for every command.

A command is short. It imports SQLAlchemy, the tables, the schemas and the reader — a few
hundred thousand objects that live until the process ends — does its work and exits. At
Python's default pace (a collection every 700 new objects, and now and then one that walks
every object alive) the collector walks those objects again and again: 0.14 s of a 0.64 s
`notnow log`. So a command collects only every :data:`SHORT_LIVED` new objects: `log` and
`agenda` finish before the first collection, and a long import still collects as it goes.

A command that serves until it is stopped (`serve`, `worker`) freezes what start-up made
(those objects are never walked again) and goes back to Python's own pace, so that no pause
of the collector holds a request for long (:func:`long_lived`).
"""

from __future__ import annotations

import gc

SHORT_LIVED = (200_000, 10, 10)
"""The collector's thresholds while a command runs."""

PYTHON_DEFAULT = gc.get_threshold()
"""This Python's own thresholds, as the process started with them ((700, 10, 10) on 3.11;
other versions differ): read when this module is first imported, before a command runs."""


def short_lived() -> None:
    """A command starts: collect seldom."""
    gc.set_threshold(*SHORT_LIVED)


def long_lived() -> None:
    """A process that serves until stopped: what start-up made stays for good, and later
    garbage is collected at Python's own pace."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*PYTHON_DEFAULT)
