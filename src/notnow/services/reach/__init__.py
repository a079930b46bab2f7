"""Reach, as use cases: each person's channels (calendar feed, CalDAV, morning mail), the
workspace's webhooks, the events the other services queue, and the worker's jobs.

Every function takes ``(ws, actor, …)`` and applies `notnow.core.policy`; the library under
them is `notnow.reach` (docs/reach.md).
"""
