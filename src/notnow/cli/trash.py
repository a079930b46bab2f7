"""`notnow trash`, `notnow restore`, `notnow delete`, `notnow rejection edit|delete`: fix what
was logged, and undo a deletion within the retention period."""

from __future__ import annotations

import typer

from notnow.cli.context import session
from notnow.cli.output import JSON_OPTION

rejection = typer.Typer(help="One logged rejection: correct it or delete it.",
                        no_args_is_help=True)

KIND_HELP = "account, contact, deal, rejection, touch or followup."


def register(app: typer.Typer) -> None:
    app.command("trash")(trash)
    app.command("restore")(restore)
    app.command("delete")(delete)
    app.add_typer(rejection, name="rejection")


def trash(kind: str = typer.Option(None, help=f"Only this kind: {KIND_HELP}"),
          json_out: bool = JSON_OPTION) -> None:
    """What was deleted and can still be restored (records you may change), newest first.

    Example:  notnow trash
    """
    from notnow.cli.output import print_json, table
    from notnow.services.records.trash import RETENTION_DAYS, list_trash

    ws, actor = session()
    rows = list_trash(ws, actor, kind=kind)
    if json_out:
        print_json(rows)
        return
    table(rows, [("kind", "entity"), ("id", "entity_id"), ("what", "label"),
                 ("deleted", "deleted_at"), ("records", "rows"),
                 ("kept until", lambda r: r.purge_after.date().isoformat())],
          empty=f"The trash is empty (deleted records are kept {RETENTION_DAYS} days).")


def restore(kind: str = typer.Argument(..., help=KIND_HELP),
            id: str = typer.Argument(..., help="The id it had."),  # noqa: A002
            json_out: bool = JSON_OPTION) -> None:
    """Restore a deleted record with everything deleted with it.

    Example:  notnow restore contact 12
    """
    from notnow.cli.output import ok, print_json
    from notnow.services.records.trash import restore_record

    ws, actor = session()
    out = restore_record(ws, actor, kind, id)
    if json_out:
        print_json(out)
        return
    ok(f"Restored {out.entity} {out.entity_id} ({out.label})"
       + (f", {out.note}" if out.note else "") + "."
       + (f" {out.cancelled_followups} follow-up(s) came back cancelled (do-not-contact, a "
          "later answer, or the caps)." if out.cancelled_followups else ""))


def delete(kind: str = typer.Argument(..., help=KIND_HELP),
           id: str = typer.Argument(..., help="Its id."),  # noqa: A002
           yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
           json_out: bool = JSON_OPTION) -> None:
    """Delete a record (restorable for 30 days): a wrong touch, follow-up or rejection too.

    Example:  notnow delete touch 41 --yes
    """
    from notnow.cli.output import print_json
    from notnow.cli.records import confirm_or_yes, deleted
    from notnow.services.records.trash import delete_record

    confirm_or_yes(f"Delete {kind} {id}?", yes)
    ws, actor = session()
    item = delete_record(ws, actor, kind, id)
    print_json(item) if json_out else deleted(item)


@rejection.command("edit")
def rejection_edit(
    rejection_id: str = typer.Argument(..., metavar="ID", help="Rejection id."),
    when: str = typer.Option(None, "--when", help="When it was said (YYYY-MM-DD)."),
    stage: str = typer.Option(None, help="cold_call, email_prospecting, proposal, closing, "
                                         "follow_up."),
    channel: str = typer.Option(None, help="email, call, linkedin, meeting, …"),
    competitor: str = typer.Option(None, help="Who they chose ('' clears it)."),
    capability: str = typer.Option(None, help="What was missing ('' clears it)."),
    notes: str = typer.Option(None, help="Your notes."),
    deal: str = typer.Option(None, help="Deal id."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Correct a logged rejection (the reading itself: notnow confirm ID --label …).

    Example:  notnow rejection edit 7 --competitor "Rival Inc" --stage proposal
    """
    from notnow.cli.output import fields, print_json
    from notnow.cli.params import parse_when
    from notnow.cli.records import _given
    from notnow.services.records.edit import edit_rejection

    ws, actor = session()
    r = edit_rejection(ws, actor, rejection_id, _given(
        at=parse_when(when, field="--when", now=ws.now()), stage=stage, channel=channel,
        competitor=competitor, capability=capability, notes=notes, deal_id=deal))
    if json_out:
        print_json(r)
        return
    fields(r, ["id", "at", "contact_name", "account_name", "label", "stage", "channel",
               "competitor", "capability", "notes", "deal_id"], title="Rejection changed")


@rejection.command("delete")
def rejection_delete(rejection_id: str = typer.Argument(..., metavar="ID",
                                                        help="Rejection id."),
                     yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
                     json_out: bool = JSON_OPTION) -> None:
    """Delete a rejection logged by mistake, with its plan (restorable for 30 days).

    Example:  notnow rejection delete 7 --yes
    """
    from notnow.cli.output import print_json
    from notnow.cli.records import confirm_or_yes, deleted
    from notnow.services.records.trash import delete_record

    confirm_or_yes(f"Delete rejection {rejection_id} and its plan?", yes)
    ws, actor = session()
    item = delete_record(ws, actor, "rejection", rejection_id)
    print_json(item) if json_out else deleted(item)
