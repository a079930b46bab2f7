"""`notnow log`, `notnow touch`, `notnow dnc`: recording what happened."""

from __future__ import annotations

from typing import Any

import typer

from notnow.cli.context import session
from notnow.cli.output import (
    AFTER_OPTION,
    JSON_OPTION,
    OFFSET_OPTION,
    limit_option,
    page_of,
)


def register(app: typer.Typer) -> None:
    app.command("log")(log)
    app.command("touch")(touch)
    app.command("dnc")(dnc)
    app.command("rejections")(rejections)
    app.command("confirm")(confirm)


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
    not_opt_out: str = typer.Option(None, "--not-opt-out", help="Words read as an opt-out "
                                    "that are not one: say why (it is recorded)."),
    no_plan: bool = typer.Option(False, "--no-plan", help="Store it without scheduling the "
                                 "plan (accept it later: notnow plan ID --accept)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Never prompt; accept what is read "
                             "and schedule the plan."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Record a rejection: who said no, their own words — and the comeback plan.

    On a terminal it shows what was read and the plan, and asks before storing it all in one
    step. With --yes it stores and schedules at once; without a terminal (a script) it stores
    and shows the plan to accept later (notnow plan ID --accept).

    Example:  notnow log --contact dana@acme.com --text "Budget is gone until April"
    """
    from notnow.cli.params import interactive, parse_when, read_stdin_text
    from notnow.services.capture.log import OptOutDetected, check_said_at, log_rejection

    ask = interactive() and not yes and not json_out
    ws, actor = session()
    at = parse_when(when, field="--when", now=ws.now())
    if at is not None:  # before any question: a date to come is refused at once
        check_said_at(ws, at, field="--when")
    if text == "-":
        text = read_stdin_text(field="--text")
    if contact is None:
        if not ask:
            from notnow.errors import InvalidInput

            raise InvalidInput("say who said no", field="--contact")
        contact = typer.prompt("Contact (id, email or name)")
    if text is None and label is None and ask:
        text = typer.prompt("The prospect's words")
    data: dict[str, Any] = {"stage": stage, "channel": channel, "text": text,
                            "label": label, "notes": notes, "feelings": feelings, "at": at}
    schedule = not no_plan and (yes or ask)
    if ask and label is None and text:
        data["label"] = _confirm_label(ws, actor, text, contact)
    if ask and schedule:
        schedule = _preview_and_ask(ws, actor, contact, data)
    given = {k: v for k, v in data.items() if v is not None}
    try:
        rej = log_rejection(ws, actor, given, contact=contact, deal=deal, schedule=schedule,
                            not_opt_out=not_opt_out)
    except OptOutDetected as exc:
        if not ask:
            raise OptOutDetected(f"{exc.message} (--not-opt-out \"why\")",
                                 field="--not-opt-out") from None
        typer.echo(exc.message)
        why = typer.prompt("Why is it not an opt-out (recorded; empty to stop)", default="",
                           show_default=False).strip()
        if not why:
            raise OptOutDetected("nothing stored: log the words as do_not_contact, or say why "
                                 "they are not an opt-out", field="--not-opt-out") from None
        rej = log_rejection(ws, actor, given, contact=contact, deal=deal, schedule=schedule,
                            not_opt_out=why)
    _show(rej, json_out)
    _plan_and_review(ws, actor, rej, ask=ask, json_out=json_out)


def _preview_and_ask(ws: Any, actor: Any, contact: str, data: dict[str, Any]) -> bool:
    """Show the plan the rejection would get; True to schedule it when it is stored."""
    from notnow.cli.comeback import show_plan
    from notnow.services.capture.preview import preview_plan

    plan = preview_plan(ws, actor, contact=contact, text=data["text"],
                        label=data["label"], stage=data["stage"], channel=data["channel"])
    show_plan(plan, False)
    if not any(step.scheduled for step in plan.steps):
        return True
    return bool(typer.confirm("Accept the plan and schedule it?", default=True))


def _plan_and_review(ws: Any, actor: Any, rejection: Any, *, ask: bool,
                     json_out: bool) -> None:
    """Right after capture: the plan as stored, then the autopsy offer."""
    from notnow.cli.comeback import show_plan
    from notnow.cli.output import print_json
    from notnow.services.followups.planning import plan_rejection
    from notnow.services.learning import autopsy as learning

    plan = plan_rejection(ws, actor, rejection.id)
    plan = plan.model_copy(update={"followups": rejection.followups})
    if json_out:
        print_json({**rejection.model_dump(mode="json"), "plan": plan.model_dump(mode="json")})
        return
    if not ask:
        show_plan(plan, False)
    elif rejection.followups:
        typer.echo(f"Scheduled {len(rejection.followups)} follow-up(s).")
    if not rejection.followups and any(step.scheduled for step in plan.steps) \
            and rejection.review != "pending" and not ask:
        typer.echo(f"To schedule it: notnow plan {rejection.id} --accept")
    if rejection.review == "pending":
        typer.echo(f"Not scheduled: check how it was read, then: notnow confirm {rejection.id}")
    if ask and learning.suggest_autopsy(ws, actor, rejection.id) and typer.confirm(
            "Write the autopsy now (a short, honest review)?", default=False):
        from notnow.cli.learning import ask_autopsy

        ask_autopsy(ws, actor, rejection.id)
    elif learning.suggest_autopsy(ws, actor, rejection.id):
        typer.echo(f"When you are ready: notnow autopsy {rejection.id}")


def _confirm_label(ws: Any, actor: Any, text: str, contact: str) -> str | None:
    """Show what was read and let the salesperson correct the label (the correction is kept
    as a team example when the rejection is stored)."""
    from notnow.cli.output import console
    from notnow.services.capture.log import preview

    u = preview(ws, actor, text, contact=contact)
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
        return str(answer).strip()
    return None


def _show(rej: Any, json_out: bool) -> None:
    from notnow.cli.output import console, escape

    if json_out:
        return  # printed with the plan
    out = console()
    conf = f" ({rej.confidence:.0%})" if rej.confidence is not None else ""
    out.print(f"Logged rejection {rej.id} from {escape(rej.contact_name or '')} "
              f"({escape(rej.account_name or '')}): "
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
    from notnow.services.capture.touches import record_touch

    ws, actor = session()
    t = record_touch(ws, actor, {"channel": channel, "direction": direction, "outcome": outcome,
                          "at": parse_when(when, field="--when", now=ws.now())},
                          contact=contact)
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
    from notnow.services.capture.optout import list_dnc, mark_dnc

    if not list_ and contact is None:
        raise InvalidInput("name the contact to mark, or use --list", field="CONTACT")
    ws, actor = session()
    if list_:
        rows = list_dnc(ws, actor)
        if json_out:
            print_json(rows)
        else:
            table(rows, [("contact", "contact_name"), ("account", "account_name"),
                         ("email", "email"), ("since", "since"), ("reason", "reason"),
                         ("source", "source")], empty="Nobody is on the list.")
        return
    mark = mark_dnc(ws, actor, contact, reason=reason)
    if json_out:
        print_json(mark)
    else:
        ok(f"{mark.contact_name} is do-not-contact since {mark.since:%Y-%m-%d}; "
           f"{mark.cancelled_followups} scheduled follow-up(s) cancelled.")


def rejections(contact: str = typer.Option(None, help="Only this contact's."),
               limit: int = limit_option(50, "How many, newest first."),
               offset: int = OFFSET_OPTION, after: str = AFTER_OPTION,
               json_out: bool = JSON_OPTION) -> None:
    """List logged rejections, newest first.

    Example:  notnow rejections --contact dana@acme.com
    """
    from notnow.cli.output import print_json, table
    from notnow.services.capture.log import list_rejections

    ws, actor = session()
    rows = page_of(list_rejections(ws, actor, contact=contact, limit=limit + 1, offset=offset,
                                   after=after), limit, offset, "rejections", after=after,
                   keyed=True)
    if json_out:
        print_json(rows)
    else:
        table(rows, [("id", "id"), ("when", "at"), ("contact", "contact_name"),
                     ("account", "account_name"), ("label", "label"), ("check back", "checkback"),
                     ("words", lambda r: (r.text or "")[:60])], empty="No rejections logged.")


def confirm(
    rejection: str = typer.Argument(..., help="Rejection id."),
    label: str = typer.Option(None, "--label", help="The right label, when the reading was "
                              "wrong."),
    not_opt_out: str = typer.Option(None, "--not-opt-out", help="They did not ask to stop: say "
                                    "why (recorded); releases a held contact."),
    opt_out: bool = typer.Option(False, "--opt-out", help="It was an opt-out after all: mark "
                                 "them do-not-contact."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Decide on a reading notnow was unsure of: confirm or correct it (the plan is then
    scheduled), or say it was an opt-out.

    Example:  notnow confirm 12 --label not_now
    """
    from notnow.cli.output import console, print_json
    from notnow.errors import InvalidInput
    from notnow.services.capture.log import confirm_reading

    if opt_out and (label or not_opt_out):
        raise InvalidInput("--opt-out stands alone", field="--opt-out")
    ws, actor = session()
    rej = confirm_reading(ws, actor, rejection, label=label, not_opt_out=not_opt_out,
                          opt_out=opt_out)
    if json_out:
        print_json(rej)
        return
    out = console()
    out.print(f"Rejection {rej.id}: [bold]{rej.label.value}[/bold], confirmed.")
    for f in rej.followups:
        out.print(f"  scheduled: {f.due.isoformat()} {f.channel.value} — {f.purpose}",
                  markup=False)
