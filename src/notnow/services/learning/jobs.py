"""The worker's learning job: the insights page's figures computed away from the request
(:mod:`notnow.services.learning.insights`). `register` adds the kind
(`notnow.worker.kinds.KIND_MODULES`); the page queues a job when its figures are out of date.
"""

from __future__ import annotations

from notnow.worker.registry import GiveUp, JobContext, JobKind, Registry


def compute_insights(ctx: JobContext) -> None:
    """The figures of the job's scope, as the person who opened the page may see them."""
    from notnow.render.report_html import dashboard, render_fragment
    from notnow.services.learning import insights
    from notnow.services.team.acting import actor_for

    ws = ctx.workspace
    if ws is None:
        raise GiveUp("the worker was started without a workspace")
    actor_id, since, for_user = insights.payload_of(ctx.payload)
    actor = actor_for(ws, actor_id)
    if actor is None:
        raise GiveUp(f"user {actor_id} can no longer sign in")
    insights.refresh(ws, actor, lambda rep: render_fragment(dashboard(rep)), since=since,
                     for_user=for_user)


def register(registry: Registry) -> None:
    from notnow.services.learning.insights import KIND

    registry.register(JobKind(KIND, compute_insights, max_attempts=2))
