"""The comeback: `plan`, `signal`, `done|snooze|skip|reschedule`, `reply`, `tone`, `calendar`,
`playbook`. Each command parses, calls one service, and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from notnow.cli.context import session
from notnow.cli.output import JSON_OPTION


def register(app: typer.Typer) -> None:
    app.command("plan")(plan)
    app.command("signal")(signal)
    app.command("cadence")(cadence)
    app.command("done")(done)
    app.command("snooze")(snooze)
    app.command("skip")(skip)
    app.command("reschedule")(reschedule)
    app.command("reply")(reply)
    app.command("tone")(tone)
    calendar = typer.Typer(help="Follow-ups in your calendar (iCalendar).", no_args_is_help=True)
    calendar.command("export")(calendar_export)
    from notnow.cli.reach import calendar_feed

    calendar.command("feed")(calendar_feed)
    app.add_typer(calendar, name="calendar")
    playbook = typer.Typer(help="The team's playbook: show, check, edit.", no_args_is_help=True)
    playbook.command("show")(playbook_show)
    playbook.command("check")(playbook_check)
    playbook.command("edit")(playbook_edit)
    app.add_typer(playbook, name="playbook")



# --- plan --------------------------------------------------------------------------------------


def plan(
    rejection: str = typer.Argument(..., help="Rejection id."),
    accept: bool = typer.Option(False, "--accept", help="Schedule the plan's follow-ups."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Show the comeback plan for a rejection: each step with its rule, evidence and why.

    Example:  notnow plan 12 --accept
    """
    from notnow.services.followups.planning import accept_plan, plan_rejection

    ws, actor = session()
    result = accept_plan(ws, actor, rejection) if accept else plan_rejection(ws, actor, rejection)
    show_plan(result, json_out)


def show_plan(result: Any, json_out: bool) -> None:
    from notnow.cli.output import console, escape, print_json

    if json_out:
        print_json(result)
        return
    out = console()
    out.print(f"[bold]Plan for rejection {result.rejection_id}[/bold] — "
              f"{escape(result.contact_name or '')} ({escape(result.account_name or '')}): "
              f"{result.label.value}")
    for st in result.steps:
        who = f" → {st.contact_name}" if st.contact_name and st.contact_id != result.contact_id \
            else ""
        via = f" [{st.channel.value}]" if st.channel else ""
        mark = "*" if st.scheduled else " "
        out.print(f" {mark} {st.due.isoformat()}  {st.kind.value:<16}{via}{who}  {st.purpose}",
                  markup=False)
        out.print(f"      why: {st.why}", markup=False)
        out.print(f"      rule: {st.rule} · evidence: {st.evidence}", markup=False)
    if result.followups:
        out.print(f"Scheduled {len(result.followups)} follow-up(s).")
    elif any(st.scheduled for st in result.steps):
        out.print("(* becomes a follow-up when you accept: notnow plan "
                  f"{result.rejection_id} --accept)", markup=False)


# --- follow-ups and signals -------------------------------------------------------------------


def signal(
    contact: str = typer.Argument(..., help="Contact id, email or name."),
    kind: str = typer.Argument(..., help="replied, opened, clicked, visited, referred, "
                                         "asked_info, meeting_accepted, asked_to_slow_down, "
                                         "ignored, unopened, no_show, bounced, unsubscribed."),
    note: str = typer.Option(None, help="A note about it."),
    when: str = typer.Option(None, help="When (YYYY-MM-DD[THH:MM]); default now."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Record what a prospect did, or did not do: it sets the pace of what follows.

    Example:  notnow signal dana@acme.com visited --note "pricing page"
    """
    from notnow.cli.output import ok, print_json
    from notnow.cli.params import parse_when
    from notnow.services.followups.actions import record_signal

    ws, actor = session()
    result = record_signal(ws, actor, contact, kind, note=note, at=parse_when(when, field="--when"))
    if json_out:
        print_json(result)
        return
    side = "active" if result.active else "passive"
    ok(f"Recorded {result.kind.value} ({side}) for {result.contact_name}.")
    if result.opted_out:
        ok(f"{result.contact_name} is now do-not-contact; {result.cancelled_followups} "
           "follow-up(s) cancelled.")


def cadence(
    contact: str = typer.Argument(..., help="Contact id, email or name."),
    schedule: bool = typer.Option(False, "--schedule", help="Schedule the next attempt."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Attempts so far, whether silence may count as a no yet, and the next attempt.

    Example:  notnow cadence dana@acme.com --schedule
    """
    from notnow.cli.output import console, print_json
    from notnow.services.followups.actions import next_attempt_for

    ws, actor = session()
    result = next_attempt_for(ws, actor, contact, schedule=schedule)
    if json_out:
        print_json(result)
        return
    out = console()
    out.print(f"{result.contact_name}: {result.silence}.", markup=False)
    if result.day is None:
        out.print("The cadence is used up: try another way in (notnow plan, a referral).")
        return
    done = f" — scheduled as follow-up {result.followup_id}" if result.followup_id else ""
    out.print(f"Next: {result.day.isoformat()} by {result.channel} ({result.why}){done}",
              markup=False)


def _act(followup: int, action: str, to: str | None, json_out: bool) -> None:
    from notnow.cli.output import ok, print_json
    from notnow.cli.params import parse_date
    from notnow.services.followups.actions import act

    ws, actor = session()
    result = act(ws, actor, followup, action, to=parse_date(to, field="--to"))
    if json_out:
        print_json(result)
    else:
        ok(f"Follow-up {result.id}: {result.status.value}, due {result.due.isoformat()}.")


def done(followup: int = typer.Argument(..., help="Follow-up id."),
         json_out: bool = JSON_OPTION) -> None:
    """Mark a follow-up done (the touch is recorded and counts against the caps).

    Example:  notnow done 42
    """
    _act(followup, "done", None, json_out)


def snooze(followup: int = typer.Argument(..., help="Follow-up id."),
           until: str = typer.Option(None, "--until", help="YYYY-MM-DD; default tomorrow."),
           json_out: bool = JSON_OPTION) -> None:
    """Snooze a follow-up to a later business day (caps and opt-outs still apply).

    Example:  notnow snooze 42 --until 2026-12-07
    """
    _act(followup, "snooze", until, json_out)


def skip(followup: int = typer.Argument(..., help="Follow-up id."),
         json_out: bool = JSON_OPTION) -> None:
    """Skip a follow-up: it will not be done.

    Example:  notnow skip 42
    """
    _act(followup, "skip", None, json_out)


def reschedule(followup: int = typer.Argument(..., help="Follow-up id."),
               to: str = typer.Option(..., "--to", help="The new date, YYYY-MM-DD."),
               json_out: bool = JSON_OPTION) -> None:
    """Move a follow-up to another date (a business day; caps and opt-outs apply).

    Example:  notnow reschedule 42 --to 2027-01-11
    """
    _act(followup, "reschedule", to, json_out)


# --- replies and tone -------------------------------------------------------------------------


def reply(
    rejection: str = typer.Argument(..., help="Rejection id."),
    sender: str = typer.Option(None, help="Your name as it should appear in the signature."),
    sent: bool = typer.Option(False, "--sent", help="Mark the reply sent (after cooling off)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Draft a calm reply to a rejection (tone-checked), or mark it sent after cooling off.

    Example:  notnow reply 12 --sender "Sam Lee"
    """
    from notnow.cli.output import console, ok, print_json
    from notnow.services.followups.replies import draft_reply, mark_reply_sent

    ws, actor = session()
    result: Any = (mark_reply_sent(ws, actor, rejection) if sent else
                   draft_reply(ws, actor, rejection, sender=sender))
    if json_out:
        print_json(result)
        return
    if sent:
        ok(f"Reply recorded as sent ({result.channel.value}).")
        return
    out = console()
    out.print(f"To: {result.to}\nSubject: {result.subject}\n", markup=False)
    out.print(result.body, markup=False)
    _print_tone(result.tone)
    out.print(f"Can be sent from {result.can_send_from} (cooling off).", markup=False)


def tone(
    text: str = typer.Argument(..., help="The text to check; '-' reads stdin."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Check wording for hostility, sarcasm, guilt-tripping, pressure or blame.

    Example:  notnow tone "This is your last chance to sign"
    """
    from notnow.cli.output import print_json
    from notnow.cli.params import read_stdin_text
    from notnow.core.tone import check_tone
    from notnow.services.followups.replies import tone_public

    if text == "-":
        text = read_stdin_text(field="TEXT")
    result = tone_public(check_tone(text))
    if json_out:
        print_json(result)
    else:
        _print_tone(result)


def _print_tone(result: Any) -> None:
    from notnow.cli.output import console

    out = console()
    if result.calm:
        out.print("Tone: calm — nothing to change.")
        return
    out.print(f"Tone: {len(result.findings)} thing(s) to reconsider")
    for f in result.findings:
        out.print(f"  {f.issue}: “{f.quote}” → {f.suggestion}", markup=False)


# --- calendar -----------------------------------------------------------------------------------


def calendar_export(
    file: str = typer.Argument(..., help="Where to write the .ics file ('-' for stdout)."),
    days: int = typer.Option(90, help="How many days ahead, from today."),
    for_user: str = typer.Option(None, "--for", help="One of your team's follow-ups instead "
                                 "of yours (a manager's or admin's right)."),
    team: bool = typer.Option(False, "--team", help="Everyone's you may see, together."),
) -> None:
    """Write your upcoming follow-ups as iCalendar (stable UIDs: re-import updates, never
    doubles).

    Example:  notnow calendar export followups.ics --days 30
    """
    import sys

    from notnow.cli.output import ok
    from notnow.services.followups.calendar import export_calendar

    ws, actor = session()
    result = export_calendar(ws, actor, days=days, user=for_user, team=team)
    if file == "-":
        sys.stdout.buffer.write(result.data)
        return
    _write(Path(file), result.data)
    ok(f"Wrote {result.events} follow-up(s) from {result.start} to {result.end} to {file}.")


def _write(path: Path, data: bytes) -> None:
    from notnow.errors import InvalidInput
    from notnow.storage.files import open_private

    try:
        tmp = path.with_name(path.name + ".part")
        with open_private(tmp, "wb") as fh:  # names and plans: for its owner's eyes
            fh.write(data)
        tmp.replace(path)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror}", field="FILE") from None


# --- playbook -----------------------------------------------------------------------------------


def playbook_show() -> None:
    """Print the playbook in force: notnow's defaults with your team's changes merged in.

    Example:  notnow playbook show > playbook.yaml
    """
    from notnow.services.playbook import team_playbook

    ws, actor = session()
    text = team_playbook(ws).to_yaml()
    typer.echo(text, nl=False)


def playbook_check(file: str = typer.Argument(..., help="A team playbook YAML file.")) -> None:
    """Validate a team playbook file; a mistake is reported with its line.

    Example:  notnow playbook check team-playbook.yaml
    """
    from notnow.cli.output import ok
    from notnow.services.playbook import check_file

    pb = check_file(Path(file))
    enabled = sum(1 for r in pb.rules if r.enabled)
    ok(f"{file}: valid — {enabled} rules enabled of {len(pb.rules)}.")


def playbook_edit(
    source: str = typer.Option(None, "--from", help="Use this file instead of an editor."),
) -> None:
    """Edit the team's playbook (in $EDITOR, or from a file); it is stored only if valid.

    Example:  notnow playbook edit --from team-playbook.yaml
    """
    from notnow.cli.output import ok
    from notnow.services.playbook import read_file, save_team_text, starter_text

    ws, actor = session()
    if source is not None:
        text, name = read_file(Path(source)), source
    else:
        import click  # Typer no longer re-exports click.edit

        try:
            edited = click.edit(starter_text(ws), extension=".yaml")
        except click.ClickException as exc:
            from notnow.errors import InvalidInput

            raise InvalidInput(f"{exc.format_message()}: set EDITOR to your editor, or give "
                               "a file with --from FILE", field="EDITOR") from None
        if edited is None:
            ok("No changes.")
            return
        text, name = edited, "edited playbook"
    pb = save_team_text(ws, actor, text, file=name)
    ok(f"Team playbook saved: {len(pb.rules)} rules.")
