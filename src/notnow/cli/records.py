"""`notnow account|contact|deal add|list|show`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from notnow.cli.context import session
from notnow.cli.output import (
    AFTER_OPTION,
    JSON_OPTION,
    OFFSET_OPTION,
    limit_option,
    page_of,
)

if TYPE_CHECKING:
    pass

accounts = typer.Typer(help="Accounts: the companies you sell to.", no_args_is_help=True)
contacts = typer.Typer(help="Contacts: the people at an account.", no_args_is_help=True)
deals = typer.Typer(help="Deals: an offer to an account.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(accounts, name="account")
    app.add_typer(contacts, name="contact")
    app.add_typer(deals, name="deal")


ACCOUNT_FIELDS = ["id", "name", "domain", "industry", "employees", "country", "region", "city",
                  "timezone", "fiscal_year_start", "rapport_notes"]
CONTACT_FIELDS = ["id", "name", "account_name", "title", "role", "department", "location",
                  "email", "phone", "linkedin", "timezone", "dnc_at", "dnc_reason", "dnc_source"]
DEAL_FIELDS = ["id", "account_name", "offer", "value", "currency", "stage", "status"]



@accounts.command("add")
def account_add(
    name: str = typer.Argument(..., help="The company's name."),
    domain: str = typer.Option(None, help="Web domain, e.g. acme.com."),
    industry: str = typer.Option(None),
    employees: int = typer.Option(None, help="Head count."),
    country: str = typer.Option(None, help="Two-letter country code, e.g. US, FR."),
    region: str = typer.Option(None),
    city: str = typer.Option(None),
    timezone: str = typer.Option(None, help="IANA time zone, e.g. Europe/Paris."),
    fiscal_year_start: int = typer.Option(None, help="Month the fiscal year starts (1-12)."),
    notes: str = typer.Option(None, "--notes", help="Rapport notes: news, small talk."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Add an account.

    Example:  notnow account add "Acme Corp" --country US --employees 250 --timezone America/Chicago
    """
    from notnow.cli.output import fields, print_json
    from notnow.services.records.accounts import add_account

    ws, actor = session()
    acc = add_account(ws, actor, {"name": name, "domain": domain, "industry": industry,
                           "employees": employees, "country": country, "region": region,
                           "city": city, "timezone": timezone,
                           "fiscal_year_start": fiscal_year_start, "rapport_notes": notes})
    print_json(acc) if json_out else fields(acc, ACCOUNT_FIELDS, title="Account added")


@accounts.command("list")
def account_list(search: str = typer.Option(None, help="Only names containing this."),
                 limit: int = limit_option(200), offset: int = OFFSET_OPTION,
                 after: str = AFTER_OPTION, json_out: bool = JSON_OPTION) -> None:
    """List accounts.

    Example:  notnow account list --search acme
    """
    from notnow.cli.output import print_json, table
    from notnow.services.records.accounts import list_accounts

    ws, actor = session()
    rows = page_of(list_accounts(ws, actor, search=search, limit=limit + 1, offset=offset,
                                 after=after), limit, offset, "accounts", after=after,
                   keyed=True)
    if json_out:
        print_json(rows)
    else:
        table(rows, [("id", "id"), ("name", "name"), ("industry", "industry"),
                     ("employees", "employees"), ("country", "country"), ("city", "city")],
              empty="No accounts yet. Add one: notnow account add NAME")


@accounts.command("show")
def account_show(account: str = typer.Argument(..., help="Id, domain or name."),
                 json_out: bool = JSON_OPTION) -> None:
    """Show an account with its contacts and deals.

    Example:  notnow account show "Acme Corp"
    """
    from notnow.cli.output import fields, print_json, table
    from notnow.services.records.accounts import show_account

    ws, actor = session()
    data = show_account(ws, actor, account)
    if json_out:
        print_json(data)
        return
    fields(data["account"], ACCOUNT_FIELDS, title=data["account"].name)
    table(data["contacts"], [("id", "id"), ("contact", "name"), ("role", "role"),
                             ("department", "department"), ("title", "title"),
                             ("dnc", "do_not_contact")], title="Contacts", empty="No contacts.")
    _more(len(data["contacts"]), data["contacts_total"], "contacts, by name")
    table(data["deals"], [("id", "id"), ("offer", "offer"), ("value", "value"),
                          ("stage", "stage"), ("status", "status")], title="Deals",
          empty="No deals.")
    _more(len(data["deals"]), data["deals_total"], "deals")


def _more(shown: int, total: int, what: str) -> None:
    if total > shown:
        typer.echo(f"(the first {shown:,} of {total:,} {what})")


@contacts.command("add")
def contact_add(
    name: str = typer.Argument(..., help="The person's name."),
    account: str = typer.Option(..., "--account", help="Account id, domain or name."),
    title: str = typer.Option(None),
    role: str = typer.Option(None, help="decision_maker, influencer, user, gatekeeper, "
                                        "executive or other."),
    department: str = typer.Option(None),
    location: str = typer.Option(None),
    email: str = typer.Option(None),
    phone: str = typer.Option(None),
    linkedin: str = typer.Option(None, help="LinkedIn profile URL."),
    timezone: str = typer.Option(None, help="IANA time zone, e.g. Europe/Berlin."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Add a contact to an account.

    Example:  notnow contact add "Dana Ruiz" --account Acme --role decision_maker
    """
    from notnow.cli.output import fields, print_json
    from notnow.services.records.contacts import add_contact

    data = {"name": name, "title": title, "department": department, "location": location,
            "email": email, "phone": phone, "linkedin": linkedin, "timezone": timezone}
    if role is not None:
        data["role"] = role
    ws, actor = session()
    c = add_contact(ws, actor, data, account=account)
    print_json(c) if json_out else fields(c, CONTACT_FIELDS, title="Contact added")


@contacts.command("list")
def contact_list(account: str = typer.Option(None, help="Only this account's contacts."),
                 search: str = typer.Option(None, help="Only names containing this."),
                 limit: int = limit_option(500), offset: int = OFFSET_OPTION,
                 after: str = AFTER_OPTION, json_out: bool = JSON_OPTION) -> None:
    """List contacts.

    Example:  notnow contact list --account Acme
    """
    from notnow.cli.output import print_json, table
    from notnow.services.records.contacts import list_contacts

    ws, actor = session()
    rows = page_of(list_contacts(ws, actor, account=account, search=search, limit=limit + 1,
                                 offset=offset, after=after), limit, offset, "contacts",
                   after=after, keyed=True)
    if json_out:
        print_json(rows)
    else:
        table(rows, [("id", "id"), ("name", "name"), ("account", "account_name"),
                     ("role", "role"), ("email", "email"), ("dnc", "do_not_contact")],
              empty="No contacts yet. Add one: notnow contact add NAME --account ACCOUNT")


@contacts.command("show")
def contact_show(contact: str = typer.Argument(..., help="Id, email or name."),
                 json_out: bool = JSON_OPTION) -> None:
    """Show a contact, with the do-not-contact state.

    Example:  notnow contact show dana@acme.com
    """
    from notnow.cli.output import fields, print_json
    from notnow.services.records.contacts import show_contact

    ws, actor = session()
    c = show_contact(ws, actor, contact)
    print_json(c) if json_out else fields(c, CONTACT_FIELDS, title=c.name)


@contacts.command("export")
def contact_export(contact: str = typer.Argument(..., help="Id, email or name."),
                   html: str = typer.Option(None, "--html", help="Also write a readable page "
                                            "to this file."),
                   json_out: bool = JSON_OPTION) -> None:
    """Export everything held about one contact (an admin, or the owning salesperson).

    Example:  notnow contact export dana@acme.com --html dana.html
    """
    from notnow.cli.output import console, escape, print_json
    from notnow.services.team.privacy import export_contact

    ws, actor = session()
    data = export_contact(ws, actor, contact)
    if html is not None:
        from notnow.render.person import person_html
        from notnow.storage.files import write_private

        write_private(Path(html), person_html(data))
    if json_out:
        print_json(data)
        return
    out = console()
    out.print(f"[bold]{escape(data['contact']['name'])}[/bold] at "
              f"{escape(data['contact']['account'])}")
    for key in ("rejections", "touches", "signals", "followups", "deals", "mail", "changes"):
        out.print(f"  {key}: {len(data[key])}")
    out.print(f"  on the do-not-contact list: {'yes' if data['suppressed'] else 'no'}")
    if html is not None:
        out.print(f"Written to {html}", markup=False)


@contacts.command("erase")
def contact_erase(contact: str = typer.Argument(..., help="Id, email or name."),
                  reason: str = typer.Option(..., "--reason", help="Why (e.g. the request "
                                             "you received)."),
                  yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
                  json_out: bool = JSON_OPTION) -> None:
    """Erase a contact's data for good, keeping them on the do-not-contact list (admins).

    Example:  notnow contact erase dana@acme.com --reason "erasure request of 2026-12-01" --yes
    """
    from notnow.cli.output import ok, print_json
    from notnow.cli.params import interactive
    from notnow.errors import InvalidInput
    from notnow.services.team.privacy import erase_contact

    if not yes:
        if not interactive():
            raise InvalidInput("erasing cannot be undone: add --yes", field="--yes")
        if not typer.confirm(f"Erase everything held about {contact}? This cannot be undone.",
                             default=False):
            raise typer.Exit(1)
    ws, actor = session()
    result = erase_contact(ws, actor, contact, reason=reason)
    if json_out:
        print_json(result)
        return
    ok(f"Erased contact {result['contact_id']}: {result['rejections']} rejection(s), "
       f"{result['touches']} touch(es), {result['followups']} follow-up(s); their identities "
       "stay on the do-not-contact list.")


@deals.command("add")
def deal_add(
    offer: str = typer.Argument(..., help="What you offer, e.g. 'Analytics suite'."),
    account: str = typer.Option(..., "--account", help="Account id, domain or name."),
    contact: str = typer.Option(None, help="Main contact (id, email or name)."),
    value: float = typer.Option(None, help="Deal value."),
    currency: str = typer.Option("USD", help="Three-letter currency code."),
    stage: str = typer.Option("cold_call", help="cold_call, email_prospecting, proposal, "
                                                "closing or follow_up."),
    status: str = typer.Option("open", help="open, won, lost, nurturing or walked_away."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Add a deal.

    Example:  notnow deal add "Analytics suite" --account Acme --value 24000 --stage proposal
    """
    from notnow.cli.output import fields, print_json
    from notnow.services.records.deals import add_deal

    ws, actor = session()
    d = add_deal(ws, actor, {"offer": offer, "value": value, "currency": currency,
                      "stage": stage, "status": status}, account=account, contact=contact)
    print_json(d) if json_out else fields(d, DEAL_FIELDS, title="Deal added")


@deals.command("list")
def deal_list(account: str = typer.Option(None, help="Only this account's deals."),
              status: str = typer.Option(None, help="Only deals with this status."),
              limit: int = limit_option(500), offset: int = OFFSET_OPTION,
              after: str = AFTER_OPTION, json_out: bool = JSON_OPTION) -> None:
    """List deals.

    Example:  notnow deal list --status lost
    """
    from notnow.cli.output import print_json, table
    from notnow.services.records.deals import list_deals

    ws, actor = session()
    rows = page_of(list_deals(ws, actor, account=account, status=status, limit=limit + 1,
                              offset=offset, after=after), limit, offset, "deals",
                   after=after, keyed=True)
    if json_out:
        print_json(rows)
    else:
        table(rows, [("id", "id"), ("account", "account_name"), ("offer", "offer"),
                     ("value", "value"), ("stage", "stage"), ("status", "status")],
              empty="No deals yet.")


@deals.command("show")
def deal_show(deal: str = typer.Argument(..., help="Deal id."),
              json_out: bool = JSON_OPTION) -> None:
    """Show a deal.

    Example:  notnow deal show 12
    """
    from notnow.cli.output import fields, print_json
    from notnow.services.records.deals import show_deal

    ws, actor = session()
    d = show_deal(ws, actor, deal)
    print_json(d) if json_out else fields(d, DEAL_FIELDS, title=f"Deal {d.id}")


# --- fix what was typed: edit, delete, merge (services.records.edit / trash / merge) ----------


def _given(**values: object) -> dict[str, object]:
    """The options that were given (an empty text clears a field)."""
    return {k: v for k, v in values.items() if v is not None}


def confirm_or_yes(question: str, yes: bool) -> None:
    """Ask before a deletion or a merge; without a terminal, --yes is required."""
    from notnow.cli.params import interactive
    from notnow.errors import InvalidInput

    if yes:
        return
    if not interactive():
        raise InvalidInput("add --yes to do it without a question", field="--yes")
    if not typer.confirm(question, default=False):
        raise typer.Exit(1)


def deleted(item: object) -> None:
    from notnow.cli.output import ok
    from notnow.services.records.trash import RETENTION_DAYS

    d = item.model_dump()  # type: ignore[attr-defined]
    more = d["rows"] - 1
    ok(f"Deleted {d['entity']} {d['entity_id']} ({d['label']})"
       + (f" and {more} record(s) with it" if more else "")
       + f". Restore it within {RETENTION_DAYS} days: notnow restore {d['entity']} "
       f"{d['entity_id']}")


def merged(result: object) -> None:
    from notnow.cli.output import ok

    d = result.model_dump()  # type: ignore[attr-defined]
    moved = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(d["moved"].items()))
    ok(f"Merged {d['entity']} {d['merged']} into {d['kept']}" + (f": moved {moved}" if moved
                                                                  else "") + "."
       + (" They are do-not-contact (one of the two opted out)." if d["do_not_contact"] else "")
       + (f" {d['cancelled_followups']} follow-up(s) cancelled (the caps, or their latest "
          "word)." if d["cancelled_followups"] else ""))


@accounts.command("edit")
def account_edit(
    account: str = typer.Argument(..., help="Id, domain or name."),
    name: str = typer.Option(None, help="The company's name."),
    domain: str = typer.Option(None, help="Web domain ('' clears it)."),
    website: str = typer.Option(None),
    industry: str = typer.Option(None),
    employees: int = typer.Option(None, help="Head count."),
    country: str = typer.Option(None, help="Two-letter country code."),
    region: str = typer.Option(None),
    city: str = typer.Option(None),
    timezone: str = typer.Option(None, help="IANA time zone, e.g. Europe/Paris."),
    fiscal_year_start: int = typer.Option(None, help="Month the fiscal year starts (1-12)."),
    notes: str = typer.Option(None, "--notes", help="Rapport notes."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Change an account's details (only the options given).

    Example:  notnow account edit 3 --name "Acme Corporation" --employees 300
    """
    from notnow.cli.output import fields, print_json
    from notnow.services.records.edit import edit_account

    ws, actor = session()
    acc = edit_account(ws, actor, account, _given(
        name=name, domain=domain, website=website, industry=industry, employees=employees,
        country=country, region=region, city=city, timezone=timezone,
        fiscal_year_start=fiscal_year_start, rapport_notes=notes))
    print_json(acc) if json_out else fields(acc, ACCOUNT_FIELDS, title="Account changed")


@accounts.command("delete")
def account_delete(account: str = typer.Argument(..., help="Id, domain or name."),
                   yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
                   json_out: bool = JSON_OPTION) -> None:
    """Delete an account with its contacts, deals and history (restorable for 30 days).

    Example:  notnow account delete 3 --yes
    """
    from notnow.cli.output import print_json
    from notnow.services.records.trash import delete_record

    confirm_or_yes(f"Delete account {account} with its contacts and deals?", yes)
    ws, actor = session()
    item = delete_record(ws, actor, "account", account)
    print_json(item) if json_out else deleted(item)


@accounts.command("merge")
def account_merge(keep: str = typer.Argument(..., help="The account to keep (id or name)."),
                  other: str = typer.Argument(..., help="The duplicate, merged into it."),
                  yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
                  json_out: bool = JSON_OPTION) -> None:
    """Merge a duplicate account into another: its contacts, deals and history move over.

    Example:  notnow account merge 3 7 --yes
    """
    from notnow.cli.output import print_json
    from notnow.services.records.merge import merge_accounts

    confirm_or_yes(f"Merge account {other} into {keep}?", yes)
    ws, actor = session()
    result = merge_accounts(ws, actor, keep, other)
    print_json(result) if json_out else merged(result)


@contacts.command("edit")
def contact_edit(
    contact: str = typer.Argument(..., help="Id, email or name."),
    name: str = typer.Option(None, help="The person's name."),
    title: str = typer.Option(None),
    role: str = typer.Option(None, help="decision_maker, influencer, user, gatekeeper, "
                                        "executive or other."),
    department: str = typer.Option(None),
    location: str = typer.Option(None),
    email: str = typer.Option(None, help="Email ('' clears it)."),
    phone: str = typer.Option(None),
    linkedin: str = typer.Option(None, help="LinkedIn profile URL."),
    timezone: str = typer.Option(None, help="IANA time zone."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Change a contact's details (only the options given).

    Example:  notnow contact edit 12 --email dana.ruiz@acme.com --name "Dana Ruiz"
    """
    from notnow.cli.output import console, fields, print_json
    from notnow.services.records.edit import edit_contact

    ws, actor = session()
    out = edit_contact(ws, actor, contact, _given(
        name=name, title=title, role=role, department=department, location=location,
        email=email, phone=phone, linkedin=linkedin, timezone=timezone))
    if json_out:
        print_json(out)
        return
    fields(out.contact, CONTACT_FIELDS, title="Contact changed")
    if out.message:
        console(stderr=True).print(f"Do not contact: {out.message}", markup=False)


@contacts.command("delete")
def contact_delete(contact: str = typer.Argument(..., help="Id, email or name."),
                   yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
                   json_out: bool = JSON_OPTION) -> None:
    """Delete a contact with their history (restorable for 30 days; an opt-out stays).

    Example:  notnow contact delete 12 --yes
    """
    from notnow.cli.output import print_json
    from notnow.services.records.trash import delete_record

    confirm_or_yes(f"Delete contact {contact} with their history?", yes)
    ws, actor = session()
    item = delete_record(ws, actor, "contact", contact)
    print_json(item) if json_out else deleted(item)


@contacts.command("merge")
def contact_merge(keep: str = typer.Argument(..., help="The contact to keep (id or email)."),
                  other: str = typer.Argument(..., help="The duplicate, merged into it."),
                  yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
                  json_out: bool = JSON_OPTION) -> None:
    """Merge a duplicate contact into another: every rejection, touch and follow-up moves
    over, and the stricter do-not-contact stands.

    Example:  notnow contact merge 12 31 --yes
    """
    from notnow.cli.output import print_json
    from notnow.services.records.merge import merge_contacts

    confirm_or_yes(f"Merge contact {other} into {keep}?", yes)
    ws, actor = session()
    result = merge_contacts(ws, actor, keep, other)
    print_json(result) if json_out else merged(result)


@deals.command("edit")
def deal_edit(
    deal: str = typer.Argument(..., help="Deal id."),
    offer: str = typer.Option(None, help="What you offer."),
    value: float = typer.Option(None, help="Deal value."),
    currency: str = typer.Option(None, help="Three-letter currency code."),
    stage: str = typer.Option(None, help="cold_call, email_prospecting, proposal, closing or "
                                         "follow_up."),
    contact: str = typer.Option(None, help="Main contact (id, email or name)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Change a deal's details (the status: deal won / deal lost / deal reopen).

    Example:  notnow deal edit 5 --value 30000 --stage closing
    """
    from notnow.cli.output import fields, print_json
    from notnow.services.records.edit import edit_deal

    ws, actor = session()
    d = edit_deal(ws, actor, deal, _given(offer=offer, value=value, currency=currency,
                                          stage=stage, contact_id=contact))
    print_json(d) if json_out else fields(d, DEAL_FIELDS, title="Deal changed")


def _status(deal: str, status: str, reason: str | None, json_out: bool) -> None:
    from notnow.cli.output import fields, print_json
    from notnow.services.records.edit import set_status

    ws, actor = session()
    d = set_status(ws, actor, deal, status, reason=reason)
    print_json(d) if json_out else fields(d, [*DEAL_FIELDS, "lost_reason"],
                                          title=f"Deal {d.id}: {d.status.value}")


@deals.command("won")
def deal_won(deal: str = typer.Argument(..., help="Deal id."),
             json_out: bool = JSON_OPTION) -> None:
    """Mark a deal won (a lost deal won later counts as a "no" that became a yes).

    Example:  notnow deal won 5
    """
    _status(deal, "won", None, json_out)


@deals.command("lost")
def deal_lost(deal: str = typer.Argument(..., help="Deal id."),
              reason: str = typer.Option(None, "--reason", help="Why it was lost."),
              json_out: bool = JSON_OPTION) -> None:
    """Mark a deal lost, with the reason (win-back and the report read it).

    Example:  notnow deal lost 5 --reason "went with a cheaper tool"
    """
    _status(deal, "lost", reason, json_out)


@deals.command("reopen")
def deal_reopen(deal: str = typer.Argument(..., help="Deal id."),
                json_out: bool = JSON_OPTION) -> None:
    """Open a won or lost deal again.

    Example:  notnow deal reopen 5
    """
    _status(deal, "open", None, json_out)


@deals.command("delete")
def deal_delete(deal: str = typer.Argument(..., help="Deal id."),
                yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
                json_out: bool = JSON_OPTION) -> None:
    """Delete a deal (its rejections stay with the contact; restorable for 30 days).

    Example:  notnow deal delete 5 --yes
    """
    from notnow.cli.output import print_json
    from notnow.services.records.trash import delete_record

    confirm_or_yes(f"Delete deal {deal}?", yes)
    ws, actor = session()
    item = delete_record(ws, actor, "deal", deal)
    print_json(item) if json_out else deleted(item)


@deals.command("merge")
def deal_merge(keep: str = typer.Argument(..., help="The deal to keep (id)."),
               other: str = typer.Argument(..., help="The duplicate, merged into it."),
               yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask."),
               json_out: bool = JSON_OPTION) -> None:
    """Merge a duplicate deal of the same account into another.

    Example:  notnow deal merge 5 9 --yes
    """
    from notnow.cli.output import print_json
    from notnow.services.records.merge import merge_deals

    confirm_or_yes(f"Merge deal {other} into {keep}?", yes)
    ws, actor = session()
    result = merge_deals(ws, actor, keep, other)
    print_json(result) if json_out else merged(result)
