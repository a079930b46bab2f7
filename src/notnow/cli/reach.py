"""Reach: `calendar feed`, `webhook add|list|remove|test|log`, `digest show|on|off|smtp`,
`caldav connect|show|sync|disconnect`. Each command parses, calls one service, and prints.

`calendar feed` joins the `calendar` group of `notnow.cli.comeback`.
"""

from __future__ import annotations

import typer

from notnow.cli.context import session
from notnow.cli.output import JSON_OPTION


def register(app: typer.Typer) -> None:
    webhook = typer.Typer(help="Signed events for other tools, and Slack targets.",
                          no_args_is_help=True)
    webhook.command("add")(webhook_add)
    webhook.command("list")(webhook_list)
    webhook.command("remove")(webhook_remove)
    webhook.command("test")(webhook_test)
    webhook.command("log")(webhook_log)
    app.add_typer(webhook, name="webhook")
    digest = typer.Typer(help="Your morning mail (and a manager's weekly note).",
                         no_args_is_help=True)
    digest.command("show")(digest_show)
    digest.command("on")(digest_on)
    digest.command("off")(digest_off)
    digest.command("smtp")(digest_smtp)
    app.add_typer(digest, name="digest")
    caldav = typer.Typer(help="Your follow-ups written to your own calendar server (CalDAV).",
                         no_args_is_help=True)
    caldav.command("connect")(caldav_connect)
    caldav.command("show")(caldav_show)
    caldav.command("sync")(caldav_sync)
    caldav.command("disconnect")(caldav_disconnect)
    app.add_typer(caldav, name="caldav")


# --- calendar feed ----------------------------------------------------------------------------


def calendar_feed(
    rotate: bool = typer.Option(False, "--rotate", help="Make a new address; the old one stops "
                                "working at once."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Your private calendar feed: the address to subscribe to in Google Calendar, Outlook or
    Apple Calendar (put the server's https:// host in front of the path). The token is shown
    once, when the feed is made or rotated: keep it like a password.

    Example:  notnow calendar feed --rotate
    """
    from notnow.cli.output import ok, print_json
    from notnow.services.reach.feed import my_feed

    ws, actor = session()
    ticket = my_feed(ws, actor, rotate=rotate)
    if json_out:
        print_json(ticket.to_dict())
        return
    if ticket.path is None:
        ok(f"Your calendar feed exists (made {ticket.created_at:%Y-%m-%d}). Its address was "
           "shown once and cannot be shown again: `notnow calendar feed --rotate` makes a new "
           "one (the old one stops working).")
        return
    typer.echo(ticket.path)
    ok(f"Token: {ticket.token}")
    ok("Shown this once: put your notnow server's https:// address in front of the path and "
       "subscribe to it. Anyone with it can read your follow-ups.")


# --- webhooks ---------------------------------------------------------------------------------


def webhook_add(
    url: str = typer.Argument(..., help="Where to POST the events (http:// or https://)."),
    events: str = typer.Option(..., "--events", help="Comma-separated: rejection.logged, "
                               "contact.opted_out, followup.due, deal.won_after_no, "
                               "webhook.test."),
    secret_env: str = typer.Option(None, "--secret-env", metavar="VAR", help="Read the "
                                   "signing secret (or the Slack URL) from this environment "
                                   "variable when sending; never stored."),
    kind: str = typer.Option("standard", "--kind", help="standard (signed JSON) or slack "
                             "(an incoming-webhook message)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Subscribe an address to events. Workspace webhooks are added by admins; anyone may add
    a Slack target of their own (it carries only events about records they may read). The
    signing secret is shown once unless --secret-env names where it is.

    Example:  notnow webhook add https://crm.example.com/hook --events rejection.logged
    """
    from notnow.cli.output import ok, print_json
    from notnow.services.reach.webhooks import add_webhook

    ws, actor = session()
    made = add_webhook(ws, actor, url, events, secret_env=secret_env, kind=kind)
    if json_out:
        print_json({**made.webhook.to_dict(), "signing_secret": made.secret})
        return
    hook = made.webhook
    ok(f"Webhook {hook.id} added: {hook.url} ← {', '.join(hook.events)}"
       f"{' (yours only)' if hook.owner_id else ''}.")
    if made.secret:
        typer.echo(made.secret)
        ok("That is the signing secret, shown this once: give it to the receiver.")


def webhook_list(json_out: bool = JSON_OPTION) -> None:
    """The webhooks you manage (an admin: all of them; anyone else: their own Slack targets).

    Example:  notnow webhook list
    """
    from notnow.cli.output import print_json, table
    from notnow.services.reach.webhooks import list_webhooks

    ws, actor = session()
    hooks = list_webhooks(ws, actor)
    if json_out:
        print_json([h.to_dict() for h in hooks])
        return
    table(hooks, [("id", "id"), ("url", "url"), ("kind", "kind"),
                  ("events", lambda h: ", ".join(h.events)), ("secret", "secret"),
                  ("on", lambda h: "yes" if h.active else f"off: {h.disabled_reason}"),
                  ("whose", lambda h: "yours" if h.owner_id else "workspace")],
          empty="No webhooks.")


def webhook_remove(
    webhook_id: int = typer.Argument(..., min=1, max=2**31 - 1, help="Webhook id."),
) -> None:
    """Remove a webhook and its delivery log.

    Example:  notnow webhook remove 3
    """
    from notnow.cli.output import ok
    from notnow.services.reach.webhooks import remove_webhook

    ws, actor = session()
    gone = remove_webhook(ws, actor, webhook_id)
    ok(f"Webhook {gone.id} removed.")


def webhook_test(
    webhook_id: int = typer.Argument(..., min=1, max=2**31 - 1, help="Webhook id."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Send a webhook.test event now and say what the receiver answered (kept in the log;
    retried like any delivery when it failed).

    Example:  notnow webhook test 3
    """
    import os

    from notnow.cli.output import ok, print_json
    from notnow.services.reach.webhooks import test_webhook

    ws, actor = session()
    result = test_webhook(ws, actor, webhook_id, environ=os.environ)
    if json_out:
        print_json(result.to_dict())
    elif result.delivered:
        ok(f"Delivered: the receiver answered {result.status_code}.")
    else:
        ok(f"Not delivered: {result.error}"
           + (f" (tried again at {result.next_attempt_at})" if result.next_attempt_at else ""))
    if not result.delivered:
        raise typer.Exit(1)


def webhook_log(
    webhook_id: int = typer.Argument(..., min=1, max=2**31 - 1, help="Webhook id."),
    limit: int = typer.Option(20, "--limit", min=1, max=500, help="How many deliveries."),
    json_out: bool = JSON_OPTION,
) -> None:
    """A webhook's latest deliveries: event, status, attempts, the receiver's answer.

    Example:  notnow webhook log 3 --limit 50
    """
    from notnow.cli.output import print_json, table
    from notnow.services.reach.webhooks import delivery_log

    ws, actor = session()
    rows = delivery_log(ws, actor, webhook_id, limit=limit)
    if json_out:
        print_json(rows)
        return
    from operator import itemgetter

    table(rows, [(h, itemgetter(k)) for h, k in (
        ("id", "id"), ("event", "event_type"), ("status", "status"), ("attempts", "attempt"),
        ("answer", "status_code"), ("next attempt", "next_attempt_at"),
        ("error", "last_error"))], empty="Nothing sent yet.")


# --- morning mail -----------------------------------------------------------------------------


def _show_prefs(prefs: object, json_out: bool) -> None:
    from notnow.cli.output import ok, print_json
    from notnow.reach.digest import DigestPrefs

    assert isinstance(prefs, DigestPrefs)
    if json_out:
        print_json(prefs.to_dict())
        return
    if not prefs.enabled:
        ok("Morning mail: off. `notnow digest on --at 07:30` turns it on.")
        return
    ok(f"Morning mail: on, at {prefs.send_at:%H:%M} ({prefs.timezone})"
       f"{', with the weekly note on Mondays' if prefs.weekly_note else ''}.")


def digest_show(json_out: bool = JSON_OPTION) -> None:
    """Your morning-mail settings.

    Example:  notnow digest show
    """
    from notnow.services.reach.digest import digest_settings

    ws, actor = session()
    _show_prefs(digest_settings(ws, actor), json_out)


def digest_on(
    at: str = typer.Option(None, "--at", metavar="HH:MM", help="When, in your time zone "
                           "(default 07:30)."),
    timezone: str = typer.Option(None, "--timezone", help="Your IANA time zone, e.g. "
                                 "Europe/Berlin (default: the workspace's)."),
    weekly: bool = typer.Option(None, "--weekly/--no-weekly", help="Managers: the weekly note "
                                "on Mondays too."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Turn on your morning mail: the day's follow-ups, ripest first, each with its why.

    Example:  notnow digest on --at 08:00 --timezone Europe/Berlin
    """
    from notnow.services.reach.digest import set_digest

    ws, actor = session()
    _show_prefs(set_digest(ws, actor, enabled=True, send_at=at, timezone=timezone,
                           weekly_note=weekly), json_out)


def digest_off(json_out: bool = JSON_OPTION) -> None:
    """Turn off your morning mail (and the weekly note).

    Example:  notnow digest off
    """
    from notnow.services.reach.digest import set_digest

    ws, actor = session()
    _show_prefs(set_digest(ws, actor, enabled=False), json_out)


def digest_smtp(
    host: str = typer.Argument(None, help="The mail server; without it, show the settings."),
    port: int = typer.Option(587, "--port", min=1, max=65535, help="587 for starttls, 465 "
                             "for tls."),
    security: str = typer.Option("starttls", "--security", help="starttls, tls or none."),
    username: str = typer.Option(None, "--username", help="The login, if any."),
    password_env: str = typer.Option(None, "--password-env", metavar="VAR", help="The "
                                     "environment variable of the worker that holds the "
                                     "password (never stored)."),
    from_address: str = typer.Option(None, "--from", help="The From address, e.g. "
                                     "'notnow <notnow@example.com>'."),
    json_out: bool = JSON_OPTION,
) -> None:
    """The workspace's mail server for the morning mail (admins set it; anyone sees it).

    Example:  notnow digest smtp smtp.example.com --from notnow@example.com
    """
    from notnow.cli.output import ok, print_json
    from notnow.errors import InvalidInput
    from notnow.reach.smtp import SmtpConfig
    from notnow.services.reach.digest import set_smtp, smtp_settings

    ws, actor = session()
    if host is None:
        current = smtp_settings(ws, actor)
    else:
        if not from_address:
            raise InvalidInput("give the From address (--from)", field="from")
        current = set_smtp(ws, actor, SmtpConfig(host, from_address, port, security, username,
                                                 password_env))
    if json_out:
        print_json(current.public() if current else None)
    elif current is None:
        ok("No mail server set: an admin sets one with `notnow digest smtp HOST --from ADDR`.")
    else:
        ok(f"Mail server: {current.host}:{current.port} ({current.security}), from "
           f"{current.from_address}"
           + (f", login {current.username} (password in ${current.password_env})"
              if current.username else "") + ".")


# --- CalDAV -----------------------------------------------------------------------------------


def caldav_connect(
    url: str = typer.Argument(..., help="Your calendar server, e.g. "
                              "https://cloud.example.com/remote.php/dav"),
    username: str = typer.Option(..., "--username", help="Your login there."),
    password_env: str = typer.Option(None, "--password-env", metavar="VAR", help="The "
                                     "environment variable that holds the password."),
    keyring: str = typer.Option(None, "--keyring", metavar="SERVICE", help="Or: the system "
                                "keyring's service that holds it."),
    calendar: str = typer.Option("notnow", "--calendar", help="The calendar to write to "
                                 "(made on the first sync)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Write your follow-ups to your own calendar server and keep them in step (the worker
    syncs every 15 minutes). The password is never stored: say where it is.

    Example:  notnow caldav connect https://dav.example.com --username ann --password-env PW
    """
    from notnow.cli.output import ok, print_json
    from notnow.services.reach.caldav import connect

    ws, actor = session()
    info = connect(ws, actor, url=url, username=username, password_env=password_env,
                   keyring_service=keyring, calendar=calendar)
    if json_out:
        print_json(info.to_dict())
        return
    ok(f"Connected {info.url} as {info.username} (calendar {info.calendar!r}). "
       "`notnow caldav sync` writes your follow-ups now.")


def caldav_show(json_out: bool = JSON_OPTION) -> None:
    """Your calendar server, the last sync and the last error.

    Example:  notnow caldav show
    """
    from notnow.cli.output import ok, print_json
    from notnow.services.reach.caldav import status

    ws, actor = session()
    info = status(ws, actor)
    if json_out:
        print_json(info.to_dict() if info else None)
    elif info is None:
        ok("No calendar server: `notnow caldav connect URL --username U --password-env VAR`.")
    else:
        synced = f"{info.last_sync_at:%Y-%m-%d %H:%M}" if info.last_sync_at else "never"
        ok(f"{info.url} as {info.username}, calendar {info.calendar!r}; last sync {synced}"
           + (f"; last error: {info.last_error}" if info.last_error else "") + ".")


def caldav_sync(json_out: bool = JSON_OPTION) -> None:
    """Bring your calendar in step now.

    Example:  notnow caldav sync
    """
    import os

    from notnow.cli.output import ok, print_json
    from notnow.services.reach.caldav import sync_mine

    ws, actor = session()
    report = sync_mine(ws, actor, environ=os.environ)
    if json_out:
        print_json(report.__dict__)
        return
    ok(f"Synced: {report.created} new, {report.updated} changed, {report.deleted} removed, "
       f"{report.unchanged} unchanged.")


def caldav_disconnect() -> None:
    """Forget your calendar server (the events already written there stay).

    Example:  notnow caldav disconnect
    """
    from notnow.cli.output import ok
    from notnow.services.reach.caldav import disconnect

    ws, actor = session()
    disconnect(ws, actor)
    ok("Calendar server forgotten.")
