"""`notnow account|contact|deal add|list|show`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from notnow.cli.context import session
from notnow.cli.output import JSON_OPTION

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
                 json_out: bool = JSON_OPTION) -> None:
    """List accounts.

    Example:  notnow account list --search acme
    """
    from notnow.cli.output import print_json, table
    from notnow.services.records.accounts import list_accounts

    ws, actor = session()
    rows = list_accounts(ws, actor, search=search)
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
    table(data["deals"], [("id", "id"), ("offer", "offer"), ("value", "value"),
                          ("stage", "stage"), ("status", "status")], title="Deals",
          empty="No deals.")


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
                 json_out: bool = JSON_OPTION) -> None:
    """List contacts.

    Example:  notnow contact list --account Acme
    """
    from notnow.cli.output import print_json, table
    from notnow.services.records.contacts import list_contacts

    ws, actor = session()
    rows = list_contacts(ws, actor, account=account, search=search)
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
    from notnow.cli.output import console, print_json
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
    out.print(f"[bold]{data['contact']['name']}[/bold] at {data['contact']['account']}")
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
              json_out: bool = JSON_OPTION) -> None:
    """List deals.

    Example:  notnow deal list --status lost
    """
    from notnow.cli.output import print_json, table
    from notnow.services.records.deals import list_deals

    ws, actor = session()
    rows = list_deals(ws, actor, account=account, status=status)
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
