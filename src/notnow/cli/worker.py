"""`notnow worker`: run the background jobs (mail sync, calendar, digests, webhooks)."""

from __future__ import annotations

import typer

from notnow.cli.output import JSON_OPTION


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)


def worker(
    once: bool = typer.Option(False, "--once", help="Run the jobs that are due now, then exit."),
    poll: float = typer.Option(5.0, "--poll", min=0.5, max=3600.0,
                               help="Seconds between looks for due jobs (without --once)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Run background jobs: with --once, those due now, then exit (for cron or a systemd
    timer); without it, until Ctrl+C or SIGTERM, finishing the job in hand first. Several
    workers can run against one PostgreSQL database; each job runs once. Admins only: the
    worker acts for every mailbox and calendar in the workspace.

    Example:  notnow worker --once
    """
    import os

    from notnow.cli.context import session
    from notnow.cli.output import ok, print_json
    from notnow.core.policy import may_manage_people
    from notnow.errors import PermissionDenied
    from notnow.worker import Worker
    from notnow.worker.kinds import build_registry

    ws, actor = session()
    if not may_manage_people(actor):
        raise PermissionDenied("only an admin runs the worker (it acts for everyone's mailboxes)")
    runner = Worker(ws.db, build_registry(), clock=ws.clock, workspace=ws,
                    environ=os.environ)
    if not once:
        from notnow.cli import collector

        collector.long_lived()
        ok("notnow worker running. Ctrl+C stops it.")
        runner.run_forever(poll=poll)
        return
    summary = runner.run_once()
    if json_out:
        print_json({"done": summary.done, "retried": summary.retried, "failed": summary.failed,
                    "lost": summary.lost, "errors": summary.errors})
    else:
        ok(f"Ran {summary.ran} job{'s' if summary.ran != 1 else ''}: {summary.done} done, "
           f"{summary.retried} to retry, {summary.failed} failed.")
        for error in summary.errors:
            typer.echo(f"  {error}", err=True)
    if summary.failed:
        raise typer.Exit(1)
