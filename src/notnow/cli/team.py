"""`notnow audit` and `notnow reassign`: what changed, and handing records over."""

from __future__ import annotations

from pathlib import Path

import typer

from notnow.cli.context import session
from notnow.cli.output import JSON_OPTION

AUDIT_CSV_COLUMNS = ["id", "at", "actor_name", "action", "entity", "entity_id", "account_id",
                     "contact_id", "before", "after", "note"]


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)
    app.command("reassign")(reassign)


def audit(
    contact: str = typer.Option(None, "--contact", help="Only this contact's trail."),
    account: str = typer.Option(None, "--account", help="Only this account's trail."),
    action: str = typer.Option(None, "--action", help="Only actions starting with this, e.g. "
                               "contact.opted_out or followup."),
    since: str = typer.Option(None, "--since", help="From this day (YYYY-MM-DD)."),
    limit: int = typer.Option(200, "--limit", min=1, max=10_000, help="How many, newest first."),
    csv_out: str = typer.Option(None, "--csv", help="Write the events to this CSV file."),
    json_out: bool = JSON_OPTION,
) -> None:
    """The audit trail: who changed what, when, before and after (managers and admins).

    Example:  notnow audit --contact dana@acme.com
    """
    from notnow.cli.output import print_json, table
    from notnow.cli.params import parse_date
    from notnow.services.team.audit import audit_trail

    ws, actor = session()
    rows = audit_trail(ws, actor, contact=contact, account=account, action=action,
                       since=parse_date(since, field="--since"), limit=limit)
    if csv_out is not None:
        import json

        from notnow.render.spreadsheet import write_csv

        def cell(value: object) -> object:
            return json.dumps(value, default=str) if isinstance(value, dict | list) else value

        write_csv(Path(csv_out), AUDIT_CSV_COLUMNS,
                  ([cell(getattr(r, c)) for c in AUDIT_CSV_COLUMNS] for r in rows))
    if json_out:
        print_json(rows)
        return
    table(rows, [("id", "id"), ("when", "at"), ("who", "actor_name"), ("what", "action"),
                 ("record", lambda r: f"{r.entity} {r.entity_id or ''}".strip()),
                 ("note", "note")], empty="Nothing recorded yet.")


def reassign(
    to: str = typer.Option(..., "--to", help="Who takes them over (id, email or name)."),
    from_user: str = typer.Option(None, "--from", help="Whose records (id, email or name); "
                                  "default: the owner of --account or --contact."),
    account: str = typer.Option(None, "--account", help="Only this account's records."),
    contact: str = typer.Option(None, "--contact", help="Only this contact (and their "
                                "follow-ups)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Hand one person's accounts, contacts, deals and follow-ups to another (admins;
    audited): everything they own, one account's, or one contact's. Their journal, feelings
    and autopsies stay theirs.

    Example:  notnow reassign --from sam@example.com --to dana@example.com
    """
    from notnow.cli.output import ok, print_json
    from notnow.services.team.handover import hand_over

    ws, actor = session()
    result = hand_over(ws, actor, to=to, from_user=from_user, account=account, contact=contact)
    print_json(result) if json_out else ok(f"Handed over {result.describe()}.")
