"""`notnow log`, `notnow touch`, `notnow dnc`: recording what happened."""

from __future__ import annotations

from typing import Any

import typer

from notnow.cli.output import JSON_OPTION


def register(app: typer.Typer) -> None:
    app.command("log")(log)
    app.command("touch")(touch)
    app.command("dnc")(dnc)
    app.command("rejections")(rejections)


def log(
    contact: str = typer.Option(None, "--contact", help="Contact id, email or name."),
    deal: str = typer.Option(None, "--deal", help="Deal id."),
    stage: str = typer.Option(None, help="cold_call, email_prospecting, proposal, closing, "
                                         "follow_up."),
    channel: str = typer.Option(None, help="call, voicemail, email, linkedin, note, parcel, "
                                           "drop_in, referral, meeting."),
    text: str = typer.Option(None, "--text", help="The prospect's words; '-' reads stdin."),
    label: str = typer.Option(None, help="Set the label yourself (else it is read from the "
                                         "text)."),
    notes: str = typer.Option(None, help="Your notes."),
    feelings: str = typer.Option(None, help="How it felt (private)."),
    when: str = typer.Option(None, help="When it happened (YYYY-MM-DD[THH:MM]); default now."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Never prompt; accept what is read."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Record a rejection: who said no, and their own words.

    Example:  notnow log --contact dana@acme.com --text "Budget is gone until April"
    """
    from notnow.cli.params import interactive, parse_when, read_stdin_text
    from notnow.services.capture import log_rejection
    from notnow.services.workspace import open_workspace

    ask = interactive() and not yes and not json_out
    if text == "-":
        text = read_stdin_text(field="--text")
    if contact is None:
        if not ask:
            from notnow.errors import InvalidInput

            raise InvalidInput("say who said no", field="--contact")
        contact = typer.prompt("Contact (id, email or name)")
    if text is None and label is None and ask:
        text = typer.prompt("The prospect's words")
    ws = open_workspace()
    try:
        at = parse_when(when, field="--when")
        data: dict[str, Any] = {"stage": stage, "channel": channel, "text": text,
                                "label": label, "notes": notes, "feelings": feelings, "at": at}
        if ask and label is None and text:
            data["label"] = _confirm_label(ws, text, contact)
        rej = log_rejection(ws, {k: v for k, v in data.items() if v is not None},
                            contact=contact, deal=deal)
        _show(rej, json_out)
        _plan_and_review(ws, rej.id, ask=ask, accept=yes, json_out=json_out, rejection=rej)
    finally:
        ws.close()


def _plan_and_review(ws: Any, rejection_id: int, *, ask: bool, accept: bool, json_out: bool,
                     rejection: Any) -> None:
    """Right after capture: the comeback plan (scheduled on accept), then the autopsy offer."""
    from notnow.cli.comeback import show_plan
    from notnow.cli.output import print_json
    from notnow.services import learning
    from notnow.services.planning import accept_plan, plan_rejection

    plan = accept_plan(ws, rejection_id) if accept else plan_rejection(ws, rejection_id)
    if json_out:
        print_json({**rejection.model_dump(mode="json"), "plan": plan.model_dump(mode="json")})
        return
    show_plan(plan, False)
    if not accept and ask and any(step.scheduled for step in plan.steps) and typer.confirm(
            "Accept the plan and schedule it?", default=True):
        plan = accept_plan(ws, rejection_id)
        typer.echo(f"Scheduled {len(plan.followups)} follow-up(s).")
    if ask and learning.suggest_autopsy(ws, rejection_id) and typer.confirm(
            "Write the autopsy now (a short, honest review)?", default=False):
        from notnow.cli.learning import autopsy

        review: Any = autopsy  # its options default to None, as on the command line
        review(rejection=str(rejection_id), listened=None, timing=None, follow_up=None,
                events=None, aggressive=None, winner=None, why=None, differently=None,
                show=False, json_out=False)
    elif learning.suggest_autopsy(ws, rejection_id):
        typer.echo(f"When you are ready: notnow autopsy {rejection_id}")


def _confirm_label(ws: Any, text: str, contact: str) -> str | None:
    """Show what was read and let the salesperson correct the label."""
    from notnow.cli.output import console
    from notnow.services.capture import preview

    u = preview(ws, text, contact=contact)
    out = console()
    out.print(f"Read as [bold]{u.label.value}[/bold] ({u.confidence:.0%})"
              + (f", also {', '.join(a.value for a in u.also)}" if u.also else ""))
    for e in u.evidence:
        out.print(f"  because: “{e.text}”", markup=False)
    if u.checkback:
        out.print(f"  check back: {u.checkback.isoformat()} (“{u.checkback_phrase}”)",
                  markup=False)
    answer = typer.prompt("Label (Enter to accept)", default=u.label.value, show_default=False)
    if answer.strip() and answer.strip() != u.label.value:
        try:
            from notnow.understand import record_correction

            record_correction(text, answer.strip(), (), team_dir=ws.config.home / "model")
        except ImportError:
            pass
        return str(answer).strip()
    return None


def _show(rej: Any, json_out: bool) -> None:
    from notnow.cli.output import console

    if json_out:
        return  # printed with the plan
    out = console()
    conf = f" ({rej.confidence:.0%})" if rej.confidence is not None else ""
    out.print(f"Logged rejection {rej.id} from {rej.contact_name} ({rej.account_name}): "
              f"[bold]{rej.label.value}[/bold]{conf}")
    for e in rej.evidence:
        out.print(f"  evidence: “{e.text}”", markup=False)
    if rej.label.value == "do_not_contact":
        out.print("  [bold red]Do not contact:[/bold red] marked for good; nothing will be "
                  "scheduled.")
    if rej.checkback:
        out.print(f"  check back: {rej.checkback.isoformat()}"
                  + (f" (“{rej.checkback_phrase}”)" if rej.checkback_phrase else ""))
    for f in rej.followups:
        out.print(f"  scheduled: {f.due.isoformat()} {f.channel.value} — {f.purpose}",
                  markup=False)


def touch(
    contact: str = typer.Argument(..., help="Contact id, email or name."),
    channel: str = typer.Option(..., "--channel", help="call, voicemail, email, linkedin, "
                                                       "note, parcel, drop_in, referral, "
                                                       "meeting."),
    direction: str = typer.Option("outbound", help="outbound or inbound."),
    outcome: str = typer.Option(None, help="What happened, e.g. 'no answer'."),
    when: str = typer.Option(None, help="When (YYYY-MM-DD[THH:MM]); default now."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Record an attempt to reach someone (every touch counts toward the caps).

    Example:  notnow touch dana@acme.com --channel call --outcome "left voicemail"
    """
    from notnow.cli.output import ok, print_json
    from notnow.cli.params import parse_when
    from notnow.services.capture import record_touch
    from notnow.services.workspace import open_workspace

    ws = open_workspace()
    try:
        t = record_touch(ws, {"channel": channel, "direction": direction, "outcome": outcome,
                              "at": parse_when(when, field="--when")}, contact=contact)
    finally:
        ws.close()
    if json_out:
        print_json(t)
    else:
        ok(f"Touch {t.id} recorded: {t.direction.value} {t.channel.value} at "
           f"{t.at:%Y-%m-%d %H:%M}")


def dnc(
    contact: str = typer.Argument(None, help="Contact id, email or name."),
    reason: str = typer.Option(None, "--reason", help="Why (required when marking)."),
    list_: bool = typer.Option(False, "--list", help="List do-not-contact contacts."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Mark a contact do-not-contact, for good; or list them with --list.

    Example:  notnow dnc dana@acme.com --reason "asked to be removed on the phone"
    """
    from notnow.cli.output import ok, print_json, table
    from notnow.errors import InvalidInput
    from notnow.services.contacts import list_dnc, mark_dnc
    from notnow.services.workspace import open_workspace

    if not list_ and contact is None:
        raise InvalidInput("name the contact to mark, or use --list", field="CONTACT")
    ws = open_workspace()
    try:
        if list_:
            rows = list_dnc(ws)
            if json_out:
                print_json(rows)
            else:
                table(rows, [("contact", "contact_name"), ("account", "account_name"),
                             ("email", "email"), ("since", "since"), ("reason", "reason"),
                             ("source", "source")], empty="Nobody is on the list.")
            return
        mark = mark_dnc(ws, contact, reason=reason)
    finally:
        ws.close()
    if json_out:
        print_json(mark)
    else:
        ok(f"{mark.contact_name} is do-not-contact since {mark.since:%Y-%m-%d}; "
           f"{mark.cancelled_followups} scheduled follow-up(s) cancelled.")


def rejections(contact: str = typer.Option(None, help="Only this contact's."),
               limit: int = typer.Option(50, help="How many, newest first."),
               json_out: bool = JSON_OPTION) -> None:
    """List logged rejections, newest first.

    Example:  notnow rejections --contact dana@acme.com
    """
    from notnow.cli.output import print_json, table
    from notnow.services.capture import list_rejections
    from notnow.services.workspace import open_workspace

    ws = open_workspace()
    try:
        rows = list_rejections(ws, contact=contact, limit=limit)
    finally:
        ws.close()
    if json_out:
        print_json(rows)
    else:
        table(rows, [("id", "id"), ("when", "at"), ("contact", "contact_name"),
                     ("account", "account_name"), ("label", "label"), ("check back", "checkback"),
                     ("words", lambda r: (r.text or "")[:60])], empty="No rejections logged.")
