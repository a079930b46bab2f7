"""`notnow mail import|connect|sync|list|remove|messages|draft`: rejections from the mailbox.

Each command parses, calls one service of :mod:`notnow.services.mail`, prints. Secrets are
named, never given: ``--password-env VAR`` stores ``env:VAR``; the variable is read when a
sync runs (here, or in `notnow worker`).
"""

from __future__ import annotations

import sys
import time
from typing import Any

import typer

from notnow.cli.context import session
from notnow.cli.output import JSON_OPTION

mail = typer.Typer(help="Mail: import files, connect mailboxes over IMAP, sync them, and place "
                        "reply drafts. notnow never sends mail.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(mail, name="mail")


PATHS = typer.Argument(..., help=".eml files, mbox files, Maildir folders, or folders of them.")
ADDRESSES = typer.Option(None, "--address", help="Another address of yours (repeat for each "
                         "alias).")
SUMMARY = (("read", "messages read"), ("known", "already known"),
           ("rejections", "rejections logged"), ("interest", "interest logged"),
           ("pauses", "out-of-office pauses"), ("opt_outs", "opt-outs"),
           ("held", "readings to check"), ("touches", "email touches recorded"),
           ("not_contacted", "sent to do-not-contact (not recorded)"),
           ("bounces", "addresses marked bounced"), ("contacts_created", "contacts found"),
           ("accounts_created", "accounts created"), ("skipped", "skipped (newsletters, "
                                                                 "internal, unknown senders)"))


class _Progress:
    """Progress on stderr for long runs: a line every two seconds at most."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.last = time.monotonic()

    def __call__(self, tally: Any) -> None:
        if not self.enabled or time.monotonic() - self.last < 2.0:
            return
        self.last = time.monotonic()
        typer.echo(f"  … {tally.read:,} messages read, {tally.rejections + tally.interest:,} "
                   f"replies logged, {tally.touches:,} touches", err=True)


def _print_summary(out: dict[str, Any], title: str) -> None:
    from notnow.cli.output import ok

    ok(title)
    for key, words in SUMMARY:
        if out.get(key):
            typer.echo(f"  {out[key]:>7,}  {words}")
    for problem in out.get("problems", []):
        where = problem["source"] + (f", message {problem['number']}"
                                     if problem.get("number") is not None else "")
        typer.echo(f"  not read: {where}: {problem['why']}", err=True)
    more = out.get("problem_count", 0) - len(out.get("problems", []))
    if more > 0:
        typer.echo(f"  … and {more:,} more messages not read", err=True)


@mail.command("import")
def import_(
    paths: list[str] = PATHS,
    everything: bool = typer.Option(False, "--everything", help="Also read mail from people "
                                    "at no known account (creating accounts for them)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Read mail files as your mail: replies become rejections (or interest, or a pause),
    sent mail becomes email touches, bounces mark addresses, opt-outs stop everything.
    Running it again adds nothing; a message that cannot be read is reported and the rest
    goes on.

    Example:  notnow mail import ~/export/inbox.mbox ~/Maildir
    """
    from notnow.cli.output import print_json
    from notnow.services.mail.importing import import_files

    ws, actor = session()
    out = import_files(ws, actor, paths, everything=everything,
                       progress=_Progress(not json_out and sys.stderr.isatty()))
    if json_out:
        print_json(out)
        return
    _print_summary(out, f"Imported {out['read']:,} message{'s' if out['read'] != 1 else ''} "
                        f"in {out['seconds']:.1f} s.")


@mail.command("connect")
def connect(
    name: str = typer.Argument(..., help="A name for this mailbox, e.g. work."),
    host: str = typer.Option(..., "--host", help="The IMAP server, e.g. imap.gmail.com."),
    port: int = typer.Option(None, "--port", min=1, max=65535,
                             help="The port (default 993 with TLS, 143 otherwise)."),
    username: str = typer.Option(..., "--username", help="The login, usually your address."),
    password_env: str = typer.Option(None, "--password-env", help="The environment variable "
                                     "that holds the (app) password."),
    oauth2_token_env: str = typer.Option(None, "--oauth2-token-env", help="The environment "
                                         "variable that holds an OAuth2 access token "
                                         "(XOAUTH2: Gmail, Microsoft 365)."),
    tls: bool = typer.Option(False, "--tls", help="Implicit TLS (the default; port 993)."),
    starttls: bool = typer.Option(False, "--starttls", help="STARTTLS on port 143."),
    no_tls: bool = typer.Option(False, "--no-tls", help="Plain text (a local test server "
                                "only)."),
    folder: str = typer.Option("INBOX", "--folder", help="The folder replies arrive in."),
    sent_folder: str = typer.Option("Sent", "--sent-folder", help="The folder of sent mail "
                                    "(its messages count as touches)."),
    drafts_folder: str = typer.Option("Drafts", "--drafts-folder", help="Where reply drafts "
                                      "are placed."),
    address: list[str] = ADDRESSES,
    everything: bool = typer.Option(False, "--everything", help="Also read mail from people "
                                    "at no known account."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Connect a mailbox over IMAP. The password or token is never stored: only the name of
    the environment variable that holds it. `notnow worker` then syncs it every 5 minutes.

    Example:  notnow mail connect work --host imap.gmail.com --username sam@vendor.io
    --password-env NOTNOW_MAIL_PASSWORD
    """
    from notnow.cli.output import ok, print_json
    from notnow.errors import InvalidInput
    from notnow.services.mail.mailboxes import connect_mailbox

    if sum((tls, starttls, no_tls)) > 1:
        raise InvalidInput("give one of --tls, --starttls, --no-tls", field="security")
    security = "starttls" if starttls else "none" if no_tls else "tls"
    ws, actor = session()
    out = connect_mailbox(ws, actor, name, host=host, port=port, username=username,
                          password_env=password_env, oauth2_token_env=oauth2_token_env,
                          security=security, folder=folder, sent_folder=sent_folder,
                          drafts_folder=drafts_folder, addresses=address or [],
                          everything=everything)
    if json_out:
        print_json(out)
        return
    ok(f"Mailbox {out.name!r} connected: {out.username} at {out.host}:{out.port} "
       f"({out.security}); the secret is read from {out.secret}. "
       f"Run: notnow mail sync {out.name}")


@mail.command("sync")
def sync(
    name: str = typer.Argument(None, help="The mailbox (default: all of yours)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Fetch what is new in your mailbox (its folder and Sent folder) and read it. Only new
    messages are fetched; a sync cut short goes on from where it stopped.

    Example:  notnow mail sync work
    """
    import os

    from notnow.cli.output import print_json
    from notnow.services.mail.sync import sync_all, sync_mailbox

    ws, actor = session()
    progress = _Progress(not json_out and sys.stderr.isatty())
    if name is not None:
        outs = [sync_mailbox(ws, actor, name, environ=os.environ, progress=progress)]
    else:
        outs = sync_all(ws, actor, environ=os.environ, progress=progress)
    if json_out:
        print_json(outs[0] if name is not None else outs)
    else:
        if not outs:
            typer.echo("No mailbox connected: notnow mail connect NAME --host … first.",
                       err=True)
        for out in outs:
            if "error" in out:
                typer.echo(f"Mailbox {out['mailbox']!r}: {out['error']}", err=True)
            else:
                _print_summary(out, f"Mailbox {out['mailbox']!r}: {out['read']:,} new "
                                    f"message{'s' if out['read'] != 1 else ''} in "
                                    f"{out['seconds']:.1f} s.")
    if any("error" in out for out in outs):
        raise typer.Exit(1)


@mail.command("list")
def list_(json_out: bool = JSON_OPTION) -> None:
    """Your mailboxes: server, folders, last sync and its error in plain words.

    Example:  notnow mail list
    """
    from notnow.cli.output import print_json, table
    from notnow.services.mail.mailboxes import list_mailboxes

    ws, actor = session()
    rows = list_mailboxes(ws, actor)
    if json_out:
        print_json(rows)
        return
    table(rows, [("name", "name"), ("server", lambda b: f"{b.host}:{b.port}"),
                 ("user", "username"), ("secret", "secret"),
                 ("folders", lambda b: ", ".join(f for f in (b.folder, b.sent_folder,
                                                             b.drafts_folder) if f)),
                 ("last sync", "last_sync_at"), ("error", "last_error")],
          title="Mailboxes", empty="No mailbox connected (notnow mail connect).")


@mail.command("remove")
def remove(
    name: str = typer.Argument(..., help="The mailbox."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Forget a mailbox (its connection and sync job). What its mail led to stays, and its
    messages stay known, so they are never read twice.

    Example:  notnow mail remove work
    """
    from notnow.cli.output import ok, print_json
    from notnow.services.mail.mailboxes import remove_mailbox

    ws, actor = session()
    out = remove_mailbox(ws, actor, name)
    if json_out:
        print_json(out)
    else:
        ok(f"Mailbox {out.name!r} removed.")


@mail.command("messages")
def messages(
    outcome: str = typer.Option(None, "--outcome", help="Only these: rejection, interest, "
                                "pause, opt_out, touch, bounce, skipped, failed…"),
    contact: str = typer.Option(None, "--contact", help="Only this contact's."),
    limit: int = typer.Option(50, "--limit", min=1, max=1000, help="How many, newest first."),
    json_out: bool = JSON_OPTION,
) -> None:
    """The messages notnow read and what each became (where it came from, and the
    rejection, touch or contact it led to).

    Example:  notnow mail messages --outcome rejection
    """
    from notnow.cli.output import print_json, table
    from notnow.services.mail.messages import list_messages

    ws, actor = session()
    rows = list_messages(ws, actor, outcome=outcome, contact=contact, limit=limit)
    if json_out:
        print_json(rows)
        return
    table(rows, [("id", "id"), ("date", "sent_at"), ("from", "sender"),
                 ("subject", "subject"), ("kind", "kind"), ("became", "outcome"),
                 ("rejection", "rejection_id"), ("touch", "touch_id"),
                 ("from", lambda m: m.where)],
          title="Mail read", empty="No mail read yet.")


@mail.command("draft")
def draft(
    rejection: str = typer.Argument(..., help="The rejection to answer."),
    mailbox: str = typer.Option(None, "--mailbox", help="The mailbox (if you have several)."),
    text: str = typer.Option(None, "--text", help="Your own reply (default: notnow's calm "
                             "reply, as `notnow reply` shows it)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Place a reply to a rejection in your mailbox's Drafts folder, threaded to the
    prospect's message, to review and send from your mail client. notnow sends nothing;
    no draft is made for a do-not-contact contact or before the cooling-off period ends.

    Example:  notnow mail draft 12
    """
    import os

    from notnow.cli.output import ok, print_json
    from notnow.services.mail.drafts import place_draft

    ws, actor = session()
    out = place_draft(ws, actor, rejection, environ=os.environ, mailbox=mailbox, text=text)
    if json_out:
        print_json(out)
    else:
        ok(f"Draft placed in {out['mailbox']}/{out['folder']}: {out['subject']} "
           f"(to {out['to']}). Review and send it from your mail client.")
