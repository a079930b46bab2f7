"""`notnow autopsy|journal|capability|renewal|reference`: learning from each no.

`notnow report` and `notnow proof` live in :mod:`notnow.cli.reports`, registered from here.
"""

from __future__ import annotations

from typing import Any

import typer

from notnow.cli.context import session
from notnow.cli.output import JSON_OPTION

journal = typer.Typer(help="Your private journal: notes and feelings after a no.",
                      no_args_is_help=True)
capability = typer.Typer(help="Capabilities lost prospects asked for, and win-back when one "
                              "ships.", no_args_is_help=True)
reference = typer.Typer(help="Reference customers: successes to mention to similar accounts.",
                        no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("autopsy")(autopsy)
    app.add_typer(journal, name="journal")
    app.add_typer(capability, name="capability")
    app.command("renewal")(renewal)
    app.add_typer(reference, name="reference")
    from notnow.cli import reports

    reports.register(app)



# --- autopsy ---------------------------------------------------------------------------------

YES_NO = "yes or no"


def autopsy(
    rejection: str = typer.Argument(..., help="The rejection's id (see `notnow rejections`)."),
    listened: str = typer.Option(None, "--listened", help=f"Did I listen to the need? {YES_NO}"),
    timing: str = typer.Option(None, "--missed-timing", help=f"Wrong moment? {YES_NO}"),
    follow_up: str = typer.Option(None, "--missed-follow-up", help=f"Follow-up slipped? {YES_NO}"),
    events: str = typer.Option(None, "--missed-events",
                               help=f"Missed a market or competitor event? {YES_NO}"),
    aggressive: str = typer.Option(None, "--too-aggressive", help=f"Too pushy? {YES_NO}"),
    winner: str = typer.Option(None, "--winner", help="Who got the sale."),
    why: str = typer.Option(None, "--why", help="Why they won."),
    differently: str = typer.Option(None, "--differently", help="What I will do differently."),
    show: bool = typer.Option(False, "--show", help="Only show the autopsy already written."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Write (or edit) the honest review of a loss; answers become countable data.

    With no answer given on a terminal, each question is asked in turn (Enter keeps the
    current answer, '-' skips).

    Example:  notnow autopsy 42 --listened no --missed-timing yes --winner "Rival Inc"
    """
    from notnow.cli.output import print_json
    from notnow.cli.params import interactive
    from notnow.services.learning import autopsy as learning

    given = {"listened_to_need": listened, "missed_timing": timing,
             "missed_follow_up": follow_up, "missed_events": events,
             "too_aggressive": aggressive, "winner": winner, "winner_why": why,
             "do_differently": differently}
    answers = {k: v for k, v in given.items() if v is not None}
    ws, actor = session()
    current = learning.get_autopsy(ws, actor, rejection)
    if show:
        if current is None:
            from notnow.errors import NotFound

            raise NotFound(f"no autopsy of rejection {rejection} yet; write one: "
                           f"notnow autopsy {rejection}", field="rejection")
        result = current
    else:
        if not answers and interactive() and not json_out:
            answers = _ask(learning.rejection_for_autopsy(ws, actor, rejection), current)
        if not answers:
            from notnow.errors import InvalidInput

            raise InvalidInput("answer at least one question (see --help)",
                               field="--listened")
        result = learning.save_autopsy(ws, actor, rejection, answers)
    if json_out:
        print_json(result)
    else:
        _show_autopsy(result)


def ask_autopsy(ws: Any, actor: Any, rejection: str | int) -> None:
    """Ask the autopsy's questions on the terminal and save the answers (right after a no is
    logged); nothing is saved when every question is skipped."""
    from notnow.services.learning import autopsy as learning

    current = learning.get_autopsy(ws, actor, rejection)
    answers = _ask(learning.rejection_for_autopsy(ws, actor, rejection), current)
    if answers:
        _show_autopsy(learning.save_autopsy(ws, actor, rejection, answers))


def _ask(rej: dict[str, Any], current: Any) -> dict[str, Any]:
    from notnow.cli.output import console
    from notnow.services.learning.autopsy import autopsy_questions

    out = console()
    said = f" — “{rej['text'][:160]}”" if rej.get("text") else ""
    out.print(f"Autopsy of rejection {rej['id']} ({rej['label']}, {rej['account']}){said}",
              markup=False)
    answers: dict[str, Any] = {}
    for q in autopsy_questions():
        now = getattr(current, q["key"], None) if current else None
        shown = "" if now is None else ("yes" if now is True else "no" if now is False else now)
        hint = " [yes/no]" if q["kind"] == "yes_no" else ""
        value = typer.prompt(f"{q['prompt']}{hint}", default=shown, show_default=bool(shown))
        if value == "-":
            answers[q["key"]] = None
        elif value != shown:
            answers[q["key"]] = value
    return answers


def _show_autopsy(a: Any) -> None:
    from notnow.cli.output import console, ok
    from notnow.services.learning.autopsy import autopsy_questions

    out = console()
    out.print(f"[bold]Autopsy of rejection {a.rejection_id}[/bold]")
    for q in autopsy_questions():
        value = getattr(a, q["key"])
        shown = "–" if value is None else "yes" if value is True else "no" \
            if value is False else str(value)
        out.print(f"  {q['prompt']:<58} {shown}", markup=False)
    if a.themes:
        ok("Themes: " + ", ".join(a.themes))


# --- journal ---------------------------------------------------------------------------------


@journal.command("add")
def journal_add(
    text: str = typer.Argument(..., help="What happened and what you think; '-' reads stdin."),
    feelings: str = typer.Option(None, help="How it felt."),
    account: str = typer.Option(None, help="Account id, domain or name."),
    contact: str = typer.Option(None, help="Contact id, email or name."),
    rejection: str = typer.Option(None, help="Rejection id."),
    reflect_in: int = typer.Option(30, "--reflect-in", help="Days before it comes back for a "
                                                            "re-read (0: never)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Write a private entry right after a no. Only you will ever see it.

    Example:  notnow journal add "Felt brushed off; they never heard the pricing" --rejection 42
    """
    from notnow.cli.output import ok, print_json
    from notnow.cli.params import read_stdin_text
    from notnow.services.learning.journal import add_entry

    if text == "-":
        text = read_stdin_text(field="text")
    ws, actor = session()
    entry = add_entry(ws, actor, text, feelings=feelings, account=account, contact=contact,
                      rejection=rejection, reflect_days=reflect_in or None)
    if json_out:
        print_json(entry)
    else:
        when = f"; it comes back on {entry.reflect_on}" if entry.reflect_on else ""
        ok(f"Journal entry {entry.id} saved (private){when}.")


@journal.command("list")
def journal_list(account: str = typer.Option(None, help="Only entries about this account."),
                 json_out: bool = JSON_OPTION) -> None:
    """List your own journal entries, newest first.

    Example:  notnow journal list --account "Acme Corp"
    """
    from notnow.cli.output import print_json, table
    from notnow.services.learning.journal import list_entries

    ws, actor = session()
    rows = list_entries(ws, actor, account=account)
    if json_out:
        print_json(rows)
        return
    table(rows, [("id", "id"), ("written", lambda e: e.created_at.date()),
                 ("account", "account_name"), ("entry", "text"), ("feelings", "feelings"),
                 ("re-read on", "reflect_on"), ("reflection", "reflection")],
          empty="No journal entries yet. Write one: notnow journal add \"…\"")


@journal.command("reflect")
def journal_reflect(
    entry: int = typer.Argument(None, help="The entry to re-read; without it, list those due."),
    text: str = typer.Option(None, "--text", help="What you see now."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Re-read entries whose reflection delay has passed, and add what you see now.

    Example:  notnow journal reflect 7 --text "It was timing, not me"
    """
    from notnow.cli.output import console, fields, ok, print_json
    from notnow.cli.params import interactive
    from notnow.services.learning import journal as J

    ws, actor = session()
    if entry is None:
        due = J.due_for_reflection(ws, actor)
        if json_out:
            print_json(due)
            return
        if not due:
            ok("Nothing to re-read today.")
            return
        out = console()
        for e in due:
            out.print(f"[{e.id}] {e.created_at.date()} {e.account_name or ''}: {e.text}",
                      markup=False)
            if e.feelings:
                out.print(f"     felt: {e.feelings}", markup=False)
        ok("Re-read them, then: notnow journal reflect ID --text \"what I see now\"")
        return
    current = J.get_entry(ws, actor, entry)
    if text is None and interactive():
        fields(current, ["text", "feelings", "reflection"], title=f"Entry {entry}")
        text = typer.prompt("What do you see now")
    if text is None:
        from notnow.errors import InvalidInput

        raise InvalidInput("say what you see now", field="--text")
    result = J.reflect(ws, actor, entry, text)
    print_json(result) if json_out else ok(f"Reflection added to entry {result.id}.")


# --- capabilities and renewals ---------------------------------------------------------------


@capability.command("list")
def capability_list(json_out: bool = JSON_OPTION) -> None:
    """Capabilities lost prospects asked for, de-duplicated, by value lost.

    Example:  notnow capability list
    """
    from notnow.cli.output import print_json, table
    from notnow.services.learning.winback import capability_list as listing

    ws, actor = session()
    rows = listing(ws, actor)
    if json_out:
        print_json(rows)
        return
    table(rows, [("capability", "name"), ("status", "status"), ("requests", "requests"),
                 ("deals lost", "deals_lost"),
                 ("lost value", lambda r: f"{r.currency} {r.lost_value:,.0f}"),
                 ("also lost", "lost_in_other_currencies"),
                 ("asked as", lambda r: "; ".join(r.variants[:4]))],
          empty="No lost prospect asked for a capability yet.")


@capability.command("ship")
def capability_ship(
    name: str = typer.Argument(..., help="The capability that shipped, in any wording."),
    dry_run: bool = typer.Option(False, "--dry-run", help="List, schedule nothing."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Mark a capability shipped: list the deals lost for want of it and plan a gentle
    re-engagement for each (caps and opt-outs respected).

    Example:  notnow capability ship "single sign-on"
    """
    from notnow.cli.output import ok, print_json, table
    from notnow.services.learning.winback import ship

    ws, actor = session()
    result = ship(ws, actor, name, schedule=not dry_run)
    if json_out:
        print_json(result)
        return
    table(result.items, [("rejection", "rejection_id"), ("account", "account"),
                         ("contact", "contact"), ("value", "deal_value"),
                         ("outcome", "outcome"), ("due", "due"), ("channel", "channel")],
          title=f"{result.capability}: lost deals it answers",
          empty="No lost deal is waiting for it.")
    if dry_run:
        ok(f"Dry run: nothing marked or scheduled; {len(result.items)} lost deal"
           f"{'s' if len(result.items) != 1 else ''} would be looked at.")
    else:
        ok(f"{result.scheduled} re-engagement follow-ups scheduled.")


def renewal(
    rejection: str = typer.Argument(..., help="The rejection naming the competitor."),
    on: str = typer.Option(..., "--on", help="The renewal date (YYYY-MM-DD)."),
    weeks_before: int = typer.Option(None, "--weeks-before",
                                     help="How long before it (default: the playbook's)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Plan a check-back before the competitor's contract renews.

    Example:  notnow renewal 42 --on 2027-09-01
    """
    from notnow.cli.output import ok, print_json
    from notnow.cli.params import parse_date
    from notnow.services.learning.winback import competitor_renewal

    ws, actor = session()
    day = parse_date(on, field="--on")
    assert day is not None
    result = competitor_renewal(ws, actor, rejection, day, weeks_before=weeks_before)
    if json_out:
        print_json(result)
    else:
        ok(f"Check back with {result.contact} ({result.account}) on {result.due} by "
           f"{result.channel}: the renewal is on {result.renews_on}.")


# --- references ------------------------------------------------------------------------------

REF_COLUMNS = [("id", "id"), ("name", "name"), ("country", "country"), ("region", "region"),
               ("employees", "employees"), ("industry", "industry"), ("offer", "offer"),
               ("may name", "may_name")]


@reference.command("add")
def reference_add(
    name: str = typer.Argument(None, help="The customer's name (default: the account's)."),
    account: str = typer.Option(None, help="Their account: fills country, size, industry."),
    country: str = typer.Option(None, help="Two-letter country code."),
    region: str = typer.Option(None),
    employees: int = typer.Option(None),
    industry: str = typer.Option(None),
    offer: str = typer.Option(None, help="What they bought."),
    may_name: bool = typer.Option(False, "--may-name", help="They agreed to be named."),
    note: str = typer.Option(None),
    json_out: bool = JSON_OPTION,
) -> None:
    """Register a success that can reassure similar prospects.

    Example:  notnow reference add Globex --country FR --employees 300 --industry retail
    """
    from notnow.cli.output import fields, print_json
    from notnow.services.learning.autopsy import add_reference

    ws, actor = session()
    ref = add_reference(ws, actor, {"name": name, "country": country, "region": region,
                             "employees": employees, "industry": industry, "offer": offer,
                             "may_name": may_name, "note": note}, account=account)
    print_json(ref) if json_out else fields(ref, [c for _, c in REF_COLUMNS] + ["mention"],
                                            title="Reference added")


@reference.command("list")
def reference_list(json_out: bool = JSON_OPTION) -> None:
    """List reference customers.

    Example:  notnow reference list
    """
    from notnow.cli.output import print_json, table
    from notnow.services.learning.autopsy import list_references

    ws, actor = session()
    rows = list_references(ws, actor)
    print_json(rows) if json_out else table(rows, REF_COLUMNS, empty="No reference yet.")


@reference.command("closest")
def reference_closest(account: str = typer.Argument(..., help="Account id, domain or name."),
                      n: int = typer.Option(3, "-n", help="How many."),
                      json_out: bool = JSON_OPTION) -> None:
    """The reference customers most like an account: region, size, industry.

    Example:  notnow reference closest "Acme Corp"
    """
    from notnow.cli.output import print_json, table
    from notnow.services.learning.autopsy import closest_for_account

    ws, actor = session()
    rows = closest_for_account(ws, actor, account, n=n)
    if json_out:
        print_json(rows)
        return
    table(rows, [("mention as", "mention"), ("score", "score"),
                 ("why", lambda r: "; ".join(r.reasons))],
          empty="No reference customer resembles this account yet.")
