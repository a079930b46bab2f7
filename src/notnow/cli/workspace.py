"""`notnow init`, `notnow demo`, `notnow agenda`."""

from __future__ import annotations

import sys

import typer

from notnow.cli.context import session
from notnow.cli.output import JSON_OPTION


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("demo")(demo)
    app.command("agenda")(agenda)


def init(name: str = typer.Option(None, "--name", help="Your name: drafts are signed with "
                                                        "it."),
         json_out: bool = JSON_OPTION) -> None:
    """Create the workspace, or bring an older one up to date. Safe to run again.

    Example:  NOTNOW_HOME=~/sales notnow init --name "Sam Lee"
    """
    from notnow.cli.output import ok, print_json
    from notnow.services.workspace import UNNAMED_OWNER, init_workspace

    result = init_workspace(name=name)
    if json_out:
        print_json(result.__dict__)
        return
    verb = "Created" if result.created else "Up to date:"
    ok(f"{verb} workspace {result.database}")
    if result.owner == UNNAMED_OWNER:
        ok('Tip: give your name for the signature of drafts: notnow init --name "Your Name"')


def demo(
    force: bool = typer.Option(False, "--force", help="Load even if the workspace has data."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Fill the workspace with a realistic demo: accounts, contacts, rejections, follow-ups.

    Example:  notnow demo && notnow agenda
    """
    from notnow.cli.output import ok, print_json
    from notnow.services.demo.load import load_demo

    ws, actor = session()
    summary = load_demo(ws, actor, force=force, progress=None if json_out else ok)
    if json_out:
        print_json(summary)
    else:
        ok("Demo loaded: " + ", ".join(f"{v} {k}" for k, v in summary.items())
           + ". Try: notnow agenda")


def agenda(
    day: str = typer.Option(None, "--date", help="The day to show (YYYY-MM-DD); default today."),
    for_user: str = typer.Option(None, "--for", help="One of your team's agenda (a manager's "
                                 "or admin's right)."),
    team: bool = typer.Option(False, "--team", help="Everyone's you may see, together."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Who to contact today, how, and why: your own follow-ups, ripest first.

    Example:  notnow agenda --date 2026-12-01
    """
    from notnow.cli.output import print_json, table
    from notnow.cli.params import parse_date
    from notnow.services.followups.agenda import agenda as build

    ws, actor = session()
    when = parse_date(day, field="--date") or ws.today()
    items = build(ws, actor, when, user=for_user, team=team)
    if json_out:
        print_json(items)
        return
    table(items, title=f"Agenda for {when.isoformat()} — {len(items)} to do, ripest first",
          columns=[("id", "followup_id"), ("due", "due"),
                  ("contact", lambda i: f"{i.contact_name} ({i.contact_role.value})"),
                  ("account", "account_name"), ("channel", "channel"), ("purpose", "purpose"),
                  ("why", "why"), ("why today", "ripeness")],
          empty="Nothing due. A quiet day is fine.")
    if not items and for_user is None and not team:
        from notnow.services.followups.start import start_hints

        for step in start_hints(ws, actor, when).steps:
            sys.stdout.write(f"  {step}\n")
