"""The job kinds notnow runs: each feature that has background work names its module here.

A module listed in :data:`KIND_MODULES` has ``register(registry: Registry) -> None``, which adds
its kinds (and nothing else: no connections opened, no jobs queued). :func:`build_registry` is
what `notnow worker` and the web app's in-process worker run with.
"""

from __future__ import annotations

import importlib

from notnow.worker.registry import Registry

KIND_MODULES: tuple[str, ...] = ("notnow.services.mail.jobs", "notnow.services.reach.jobs",
                                  "notnow.services.learning.jobs")
"""Modules with a ``register(registry)`` function, one per feature with background work."""


def build_registry() -> Registry:
    """Every job kind notnow knows, registered once."""
    registry = Registry()
    for name in KIND_MODULES:
        importlib.import_module(name).register(registry)
    return registry
