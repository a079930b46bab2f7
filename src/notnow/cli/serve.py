"""`notnow serve` (the web app and JSON API) and `notnow user` (team members and API tokens)."""

from __future__ import annotations

from typing import Any

import typer

from notnow.cli.context import session
from notnow.cli.output import JSON_OPTION

users = typer.Typer(help="Team members, their roles and API tokens (team mode).",
                    no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(users, name="user")


def is_loopback(host: str) -> bool:
    import ipaddress

    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, team: bool) -> None:
    """Local mode has no sign-in, so it must never be reachable from another machine."""
    from notnow.errors import InvalidInput

    if not team and not is_loopback(host):
        raise InvalidInput(f"{host} is reachable from other machines, and local mode has no "
                           "sign-in; add --team (users with passwords) or use 127.0.0.1",
                           field="--host")


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. Anything but "
                             "loopback needs --team."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    demo: bool = typer.Option(False, "--demo", help="Load the demo workspace first if the "
                              "workspace is empty."),
    team: bool = typer.Option(False, "--team", help="Team mode: sign-in, roles, API tokens. "
                              "Serve it behind HTTPS (session cookies are Secure)."),
    workers: int = typer.Option(1, "--workers", min=1, max=32, help="Worker processes (each "
                                "serves requests; they share the database)."),
    threads: int = typer.Option(8, "--threads", min=1, max=64, help="Requests each worker "
                                "process works on at once; keep it below its 15 database "
                                "connections (docs/deploy.md)."),
) -> None:
    """Start the web app and the JSON API (described by /openapi.json).

    Example:  notnow serve --demo        then open http://127.0.0.1:8000
    """
    import os

    import uvicorn

    from notnow import settings
    from notnow.cli import collector
    from notnow.cli.output import ok
    from notnow.errors import InvalidInput
    from notnow.services.team.auth import has_login
    from notnow.web import create_app

    check_bind(host, team)
    config = settings.load()
    ws, actor = session()
    if demo:
        _load_demo_if_empty(ws, actor)
    if team and not has_login(ws):
        raise InvalidInput("team mode needs someone who can sign in: first run "
                           "notnow user add NAME --email EMAIL --role admin", field="--team")
    mode = "team mode" if team else "local mode (only this machine, no sign-in)"
    options: dict[str, Any] = {"host": host, "port": port, "log_level": "warning",
                               "access_log": False, "proxy_headers": team,
                               "server_header": False}
    if workers > 1:  # each worker process is a new Python: it freezes its own start-up (web.asgi)
        from notnow.web.asgi import TEAM_ENV, THREADS_ENV

        os.environ[TEAM_ENV] = "1" if team else "0"
        os.environ[THREADS_ENV] = str(threads)
        collector.long_lived()  # this one watches them, for as long
        ok(f"notnow on http://{host}:{port} — {mode}, {workers} workers. Ctrl+C stops it.")
        uvicorn.run("notnow.web.asgi:app_from_env", factory=True, workers=workers, **options)
        return
    app = create_app(config, team=team, environ=os.environ, worker=not team, threads=threads)
    from notnow.web.app import warm_up

    warm_up(app)
    collector.long_lived()
    ok(f"notnow on http://{host}:{port} — {mode}. Ctrl+C stops it.")
    uvicorn.run(app, **options)


def _load_demo_if_empty(ws: Any, actor: Any) -> None:
    from notnow.cli.output import ok
    from notnow.services.records.accounts import list_accounts

    if list_accounts(ws, actor, limit=1):
        ok("The workspace has data: the demo was not loaded.")
        return
    from notnow.services.demo.load import load_demo

    summary = load_demo(ws, actor, force=False, progress=ok)
    ok("Demo loaded: " + ", ".join(f"{v} {k}" for k, v in summary.items()))


@users.command("add")
def user_add(
    name: str = typer.Argument(..., help="Their name."),
    email: str = typer.Option(..., "--email", help="Their sign-in email."),
    role: str = typer.Option("salesperson", "--role", help="salesperson, manager or admin."),
    manager: str = typer.Option(None, "--manager", help="Who they report to (id, email or "
                                "name): that manager sees their work, never their journal."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password "
                                        "from standard input instead of asking."),
    no_password: bool = typer.Option(False, "--no-password", help="Add without a password "
                                     "(they cannot sign in until one is set)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Add a team member with a role; the password is asked for (never an argument).

    Example:  notnow user add "Dana Lee" --email dana@example.com --role manager
    """
    import sys

    from notnow.cli.output import ok, print_json
    from notnow.services.team.auth import add_user

    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif not no_password:
        password = typer.prompt("Password (10+ characters)", hide_input=True,
                                confirmation_prompt=True)
    ws, actor = session()
    user = add_user(ws, actor, {"name": name, "email": email, "role": role, "password": password},
                    manager=manager)
    if json_out:
        print_json(user)
    else:
        ok(f"Added {user.name} <{user.email}> as {user.role.value} (id {user.id})")


@users.command("list")
def user_list(json_out: bool = JSON_OPTION) -> None:
    """List the workspace's users and their roles.

    Example:  notnow user list --json
    """
    from notnow.cli.output import print_json, table
    from notnow.services.team.auth import list_users

    ws, actor = session()
    rows = list_users(ws, actor)
    if json_out:
        print_json(rows)
        return
    table(rows, [("id", "id"), ("name", "name"), ("email", "email"), ("role", "role"),
                 ("manager", "manager_id"), ("active", "active")])


@users.command("disable")
def user_disable(user: str = typer.Argument(..., help="Id, email or name."),
                 json_out: bool = JSON_OPTION) -> None:
    """Disable a user: their sessions end at once, they cannot sign in, their tokens stop working.

    Example:  notnow user disable dana@example.com
    """
    from notnow.cli.output import ok, print_json
    from notnow.services.team.auth import disable_user

    ws, actor = session()
    row = disable_user(ws, actor, user)
    if json_out:
        print_json(row)
    else:
        ok(f"Disabled {row.name}")


@users.command("token")
def user_token(user: str = typer.Argument(..., help="Id, email or name."),
               name: str = typer.Option("script", "--name", help="What uses the token."),
               json_out: bool = JSON_OPTION) -> None:
    """Create an API token for scripts; it is shown once and stored only hashed.

    Example:  notnow user token dana@example.com --name crm-sync
    """
    from notnow.cli.output import print_json
    from notnow.services.team.auth import create_token

    ws, actor = session()
    tok = create_token(ws, actor, name, user=user)
    if json_out:
        print_json(tok)
    else:
        typer.echo(tok.token)
        typer.echo(f"(token {tok.id} '{tok.name}': shown once; send it as "
                   "'Authorization: Bearer <token>')", err=True)


@users.command("visibility")
def user_visibility(
    team_reading: str = typer.Option(None, "--team-reading", help="on: everyone may read "
                                     "everyone's records (never change them; journals and "
                                     "feelings stay private); off: each reads their own, "
                                     "managers their team's. Admins only."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Show or set who reads whose records: the team setting team-wide reading (off by default).

    Example:  notnow user visibility --team-reading on
    """
    from notnow.cli.output import ok, print_json
    from notnow.errors import InvalidInput
    from notnow.services.team.visibility import set_team_reading, visibility

    switch = None if team_reading is None else team_reading.strip().lower()
    if switch not in (None, "on", "off"):
        raise InvalidInput(f"say on or off, not {team_reading!r}", field="--team-reading")
    ws, actor = session()
    result = (visibility(ws, actor) if switch is None
              else set_team_reading(ws, actor, switch == "on"))
    if json_out:
        print_json(result)
    elif result.team_reading:
        ok("Team-wide reading is on: everyone may read everyone's records (only their own, "
           "or their team's, can they change; journals and feelings stay private).")
    else:
        ok("Team-wide reading is off: each person reads their own records, a manager their "
           "team's, an admin everyone's.")
