"""The access matrix: every route and every command, as each role, on records they own, their
team's and another team's — 0 leaks.

The tables below are the contract. :data:`ROUTES` holds an entry for every route of the web app
(``app.routes``: the JSON API under /api/v1 and every page) and :data:`COMMANDS` one for every
command of the CLI (the Click tree built by ``notnow.cli.main.build_app``); a route or command
without an entry fails :func:`test_every_route_and_command_has_an_entry`. Each entry says what
the route or command does with whose records (:class:`Call`), and the matrix runs it:

* as each role — a salesperson (Sara), a manager (Max, whose team is Sara and Pia), an admin
  (Ada), and a salesperson with the team setting *team-wide reading* on — see
  :mod:`access_world`;
* on the records of the person themselves, of their team, and of another team (Tom's) —
  commands, which call the same services as the routes, on two of these: their team's (a
  manager's or admin's) or their own, and another team's;
* and once on an id that no record has.

What is expected comes from :data:`RIGHTS`, written out by hand from the issue (not computed
with the policy it checks):

* a record the role may not read or change answers exactly as a missing one does — the same
  status (404 on the web), the same words once ids are set aside, the same exit code — and a
  change refused leaves the database as it was;
* a record the role may read (or change) is read (or changed);
* no answer — JSON, page, htmx fragment, CLI output, or a file a command writes — carries the
  marker of a record the role may not read, of a person beyond them, or of anyone else's
  journal or feelings (an admin's included);
* a list shows exactly the records of the people it should.

Time: the whole matrix runs on SQLite (about 800 requests and 530 commands); on PostgreSQL a
slice of it (:data:`POSTGRES`: reads and changes of every kind of record through the API, about
190 requests; pages and commands call the same services), to keep within the suite's budget —
about 25 s of CPU for both on the 2-core machine.

Adding a route or a command: give it an entry in :data:`ROUTES` or :data:`COMMANDS` — one
:class:`Call` per way of calling it, with the rule that decides its answer and the record it
names (see :data:`RULES`); a call that changes something is ``changes=True`` (``fresh=True``
when an allowed call would close or mark the record it acts on).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from access_world import MISSING, OWNERS, PEOPLE, World, build, email, record_marker
from fastapi.testclient import TestClient

HTTPS = "https://notnow.example"

# --- who may do what: the expectation, by hand --------------------------------------------------

ALL = frozenset(OWNERS)
EVERYONE = frozenset(PEOPLE)


@dataclass(frozen=True)
class Role:
    name: str
    tag: str  # who acts
    team_reading: bool
    reads: frozenset[str]  # whose records it reads
    writes: frozenset[str]  # whose records it changes
    figures: frozenset[str]  # whose report figures it gets
    names: frozenset[str]  # whose names it may see
    manager: bool  # the team's figures
    admin: bool
    targets: tuple[str, str, str]  # own, their team's, another team's


TEAM = frozenset({"max", "sara", "pia"})
SARA = frozenset({"sara"})
RIGHTS = {
    "salesperson": Role("salesperson", "sara", team_reading=False, reads=SARA, writes=SARA,
                        figures=SARA, names=SARA, manager=False, admin=False,
                        targets=("sara", "pia", "tom")),
    "manager": Role("manager", "max", team_reading=False, reads=TEAM, writes=TEAM, figures=TEAM,
                    names=TEAM, manager=True, admin=False, targets=("max", "sara", "tom")),
    "admin": Role("admin", "ada", team_reading=False, reads=ALL, writes=ALL, figures=ALL,
                  names=EVERYONE, manager=True, admin=True, targets=("ada", "sara", "tom")),
    "salesperson, team reading": Role(
        "salesperson, team reading", "sara", team_reading=True, reads=ALL, writes=SARA,
        figures=SARA, names=EVERYONE, manager=False, admin=False,
        targets=("sara", "pia", "tom")),
}


# --- the tables ---------------------------------------------------------------------------------

RULES = ("read", "write", "private", "agenda", "figures", "list", "own", "manager", "admin",
         "person", "owner", "public", "giver")
"""What decides the answer:

read / write  — the target record's owner is in ``reads`` / ``writes`` (else: as if missing);
private       — the target (a journal entry, a token) is the role's own (else: as if missing);
agenda        — the target person is one whose records the role reads (else: as if missing);
figures       — the target person is in ``figures`` (else: as if missing);
list / own    — no target: anyone may; ``own`` creates something of their own;
manager       — managers and admins (else 403 / exit 1);
admin         — admins (else 403 / exit 1);
person        — the target person is the role itself, or the role is an admin (else 403);
owner         — the target record is the role's own, or the role is an admin (else 403 when
                the role may read it, and as if missing when it may not) — a contact's data
                export;
public        — the same for everyone;
giver         — the target person is one whose records the role changes (else: as if missing) —
                an import's ``--owner``.
"""


@dataclass(frozen=True)
class Call:
    """One way to call a route or command, and what decides its answer."""

    rule: str
    target: str | None = None  # the record the call names: account, contact, deal, rejection,
    # followup, journal, user, token
    fresh: bool = False  # an allowed call acts on new records of the owner (it changes them)
    changes: bool = False  # it may write: run after every read, the database checked if refused
    lists: str | None = None  # the records listed are exactly those of: read, write, figures,
    # self
    shows: bool = True  # an allowed call shows the target's marker
    ok: tuple[int, ...] = (200,)  # statuses (exit codes for commands) of an allowed call
    missing: tuple[int, ...] = (404, 1)  # how a missing record is answered (a page that
    # shows the problem in place answers 200)
    params: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] | None = None  # JSON
    form: dict[str, Any] | None = None
    args: tuple[str, ...] = ()  # for commands
    htmx: bool = False
    upload: str | None = None  # a file sent as the multipart field "files" (CSV text)


def get(rule: str, target: str | None = None, **kw: Any) -> Call:
    return Call(rule, target, **kw)


def change(rule: str, target: str | None = None, **kw: Any) -> Call:
    return Call(rule, target, changes=True, **kw)


def cmd(rule: str, target: str | None = None, *args: str, **kw: Any) -> Call:
    kw.setdefault("ok", (0,))
    return Call(rule, target, args=args, **kw)


A = "/api/v1"
CRM_FILE = "Record ID,Company name,Company Domain Name\n9901,Matrix Import Co,matrix.example\n"
FAR = "2030-01-01"  # a day after every follow-up the world has
ROUTES: dict[tuple[str, str], tuple[Call, ...]] = {
    # --- API: accounts, contacts, deals
    ("GET", f"{A}/accounts"): (get("list", params={"q": "zq", "limit": 500}, lists="read"),),
    ("POST", f"{A}/accounts"): (change("own", body={"name": "New account {n}"}, ok=(201,)),),
    ("GET", f"{A}/accounts/{{account_id}}"): (get("read", "account"),),
    ("GET", f"{A}/accounts/{{account_id}}/activity"): (get("read", "account"),),
    ("GET", f"{A}/contacts"): (
        get("list", params={"q": "zq", "limit": 500}, lists="read"),
        get("read", "account", params={"account_id": "{account}"})),
    ("POST", f"{A}/contacts"): (change("write", "account", body={
        "name": "Lee {marker} {n}", "account_id": "{account}"}, ok=(201,)),),
    ("GET", f"{A}/contacts/{{contact_id}}"): (get("read", "contact"),),
    ("POST", f"{A}/contacts/{{contact_id}}/dnc"): (change(
        "write", "contact", fresh=True, body={"reason": "asked on the phone"}),),
    ("GET", f"{A}/contacts/{{contact_id}}/activity"): (get("read", "contact"),),
    ("GET", f"{A}/dnc"): (get("list", params={"limit": 500}),),
    ("GET", f"{A}/deals"): (
        get("list", params={"limit": 500}, lists="read"),
        get("read", "account", params={"account_id": "{account}"})),
    ("POST", f"{A}/deals"): (change("write", "account", body={
        "offer": "{marker} add-on {n}", "account_id": "{account}", "contact_id": "{contact}"},
        ok=(201,)),),
    ("GET", f"{A}/deals/{{deal_id}}"): (get("read", "deal"),),
    ("POST", f"{A}/deals/{{deal_id}}/status"): (change("write", "deal",
                                                       body={"status": "nurturing"}),),
    # --- API: change, merge, delete, restore (issue 14)
    ("PATCH", f"{A}/accounts/{{account_id}}"): (change("write", "account", body={
        "rapport_notes": "{marker} notes {n}"}),),
    ("DELETE", f"{A}/accounts/{{account_id}}"): (change("write", "account", fresh=True),),
    ("POST", f"{A}/accounts/{{account_id}}/restore"): (change("write", "trash_account",
                                                              fresh=True),),
    ("POST", f"{A}/accounts/{{account_id}}/merge"): (change("write", "account_pair", fresh=True,
                                                            body={"other_id": "{account2}"}),),
    ("PATCH", f"{A}/contacts/{{contact_id}}"): (change("write", "contact", body={
        "title": "{marker} title {n}"}),),
    ("DELETE", f"{A}/contacts/{{contact_id}}"): (change("write", "contact", fresh=True),),
    ("POST", f"{A}/contacts/{{contact_id}}/restore"): (change("write", "trash_contact",
                                                              fresh=True),),
    ("POST", f"{A}/contacts/{{contact_id}}/merge"): (change("write", "pair", fresh=True,
                                                            body={"other_id": "{contact2}"}),),
    ("PATCH", f"{A}/deals/{{deal_id}}"): (change("write", "deal", body={"stage": "closing"}),),
    ("DELETE", f"{A}/deals/{{deal_id}}"): (change("write", "deal", fresh=True),),
    ("POST", f"{A}/deals/{{deal_id}}/restore"): (change("write", "trash_deal", fresh=True),),
    ("POST", f"{A}/deals/{{deal_id}}/merge"): (change("write", "deal_pair", fresh=True,
                                                      body={"other_id": "{deal2}"}),),
    ("PATCH", f"{A}/rejections/{{rejection_id}}"): (change("write", "rejection", body={
        "competitor": "Rival {marker} {n}"}),),
    ("DELETE", f"{A}/rejections/{{rejection_id}}"): (change("write", "rejection", fresh=True),),
    ("POST", f"{A}/rejections/{{rejection_id}}/restore"): (change("write", "trash_rejection",
                                                                  fresh=True),),
    ("GET", f"{A}/trash"): (get("list", params={"limit": 500}),),
    # --- API: rejections, touches, signals, plans
    ("GET", f"{A}/rejections"): (
        get("list", params={"limit": 500}, lists="read"),
        get("read", "contact", params={"contact_id": "{contact}"})),
    ("POST", f"{A}/rejections"): (change("write", "contact", fresh=True, body={
        "contact_id": "{contact}", "label": "not_now", "notes": "{marker} notes"},
        ok=(201,)),),
    ("POST", f"{A}/understand"): (get("read", "contact", shows=False, body={
        "text": "Not now, try again in March.", "contact_id": "{contact}"}),),
    ("POST", f"{A}/touches"): (change("write", "contact", fresh=True, body={
        "contact_id": "{contact}", "channel": "call"}, ok=(201,)),),
    ("POST", f"{A}/signals"): (change("write", "contact", fresh=True, body={
        "contact_id": "{contact}", "kind": "visited"}, ok=(201,)),),
    ("GET", f"{A}/rejections/{{rejection_id}}/plan"): (get("read", "rejection"),),
    ("POST", f"{A}/rejections/{{rejection_id}}/confirm"): (change(
        "write", "rejection", fresh=True, body={"label": "not_now"}, ok=(409,), shows=False),),
    ("POST", f"{A}/rejections/{{rejection_id}}/plan"): (change("write", "rejection", fresh=True),),
    # --- API: the agenda and follow-ups
    ("GET", f"{A}/agenda"): (
        get("list", params={"day": FAR, "limit": 500}, lists="self"),
        get("agenda", "user", params={"day": FAR, "user_id": "{user}", "limit": 500}),
        get("list", params={"day": FAR, "team": "true", "limit": 500}, lists="read")),
    ("POST", f"{A}/followups/{{followup_id}}/done"): (change("write", "followup", fresh=True),),
    ("POST", f"{A}/followups/{{followup_id}}/skip"): (change("write", "followup", fresh=True),),
    ("POST", f"{A}/followups/{{followup_id}}/undo"): (change("write", "followup", fresh=True,
                                                             ok=(409,)),),
    ("POST", f"{A}/followups/{{followup_id}}/snooze"): (change(
        "write", "followup", fresh=True, body={"to": "2027-03-01"}),),
    # --- API: people, tokens, the team setting
    ("GET", f"{A}/me"): (get("own"),),
    ("GET", f"{A}/users"): (get("list"),),
    ("POST", f"{A}/users"): (change("admin", body={
        "name": "Extra {n}", "email": "extra{n}@team.example", "role": "salesperson"},
        ok=(201,)),),
    ("POST", f"{A}/users/{{user_id}}/disable"): (change("admin", "user", fresh=True),),
    ("GET", f"{A}/tokens"): (get("own"),),
    ("POST", f"{A}/tokens"): (change("own", body={"name": "script {n}"}, ok=(201,)),),
    ("DELETE", f"{A}/tokens/{{token_id}}"): (change("private", "token", fresh=True),),
    ("GET", f"{A}/audit"): (get("manager", params={"limit": 500}),),
    ("GET", f"{A}/contacts/{{contact_id}}/export"): (get("owner", "contact"),),
    ("POST", f"{A}/contacts/{{contact_id}}/erase"): (change("admin", "contact", fresh=True,
                                                            body={"reason": "a request"}),),
    ("POST", f"{A}/handover"): (change("admin", "account", fresh=True, body={
        "to_user_id": "{mo_id}", "account_id": "{account}"}),),
    ("GET", f"{A}/visibility"): (get("public"),),
    ("PUT", f"{A}/visibility"): (change("admin", body={"team_reading": "{team_reading}"}),),
    # --- API: search, activity, journal, playbook, figures
    ("GET", f"{A}/search"): (get("list", params={"q": "zq"}, lists="read"),),
    ("GET", f"{A}/journal"): (get("list", params={"limit": 500}),),
    ("POST", f"{A}/journal"): (
        change("own", body={"text": "zqj{me} a thought {n}"}, ok=(201,)),
        change("read", "account", body={"text": "zqj{me} about them {n}",
                                        "account_id": "{account}"}, ok=(201,))),
    ("GET", f"{A}/journal/{{entry_id}}"): (get("private", "journal"),),
    ("POST", f"{A}/journal/{{entry_id}}/reflect"): (change(
        "private", "journal", body={"reflection": "zqj{me} now I see"}),),
    ("GET", f"{A}/playbook"): (get("public"),),
    ("GET", f"{A}/report"): (
        get("list", lists="figures"),
        get("figures", "user", params={"user_id": "{user}"}),
        get("manager", params={"team": "true"})),
    ("GET", f"{A}/proof"): (get("list"),),
    # --- API: CRM imports (a dry run imports everything, then rolls it back)
    ("POST", f"{A}/imports"): (
        get("own", form={"dry_run": "true"}, upload=CRM_FILE),
        get("giver", "user", form={"dry_run": "true", "owner": "{user}"}, upload=CRM_FILE)),
    ("GET", f"{A}/imports"): (get("list"),),
    ("POST", f"{A}/imports/{{import_id}}/undo"): (change("list", ok=(404,)),),  # none is theirs
    # --- API: mail (mailboxes are their owner's; the world has none of them)
    ("GET", f"{A}/mail/mailboxes"): (get("list"),),
    ("POST", f"{A}/mail/mailboxes"): (change("own", body={
        "name": "box{n}", "host": "imap.example.com", "username": "u{n}@example.com",
        "password_env": "NOTNOW_X"}, ok=(201,)),),
    ("DELETE", f"{A}/mail/mailboxes/{{name}}"): (change("own", params={"name": "no-such-box"},
                                                       ok=(404,)),),
    ("POST", f"{A}/mail/mailboxes/{{name}}/sync"): (change(
        "own", params={"name": "no-such-box"}, ok=(404,)),),
    ("GET", f"{A}/mail/messages"): (
        get("list"), get("read", "contact", params={"contact_id": "{contact}"}, shows=False)),
    ("POST", f"{A}/mail/drafts"): (change("write", "rejection", body={
        "rejection_id": "{rejection}"}, ok=(409, 422), shows=False),),
    # --- pages
    ("GET", "/"): (get("list", params={"day": FAR}, lists="self"),
                   get("agenda", "user", params={"day": FAR, "user_id": "{user}"})),
    ("POST", "/followups/{followup_id}/{action}"): (
        change("write", "followup", fresh=True, params={"action": "done"}, htmx=True),
        change("write", "followup", fresh=True, params={"action": "snooze"}, form={"days": 7},
               htmx=True),
        # nothing to take back on a fresh follow-up: 409 for one's own, as missing otherwise
        change("write", "followup", fresh=True, params={"action": "undo"}, htmx=True,
               ok=(409,))),
    ("POST", "/followups/bulk"): (change("write", "followup", fresh=True, htmx=True, form={
        "ids": "{followup}", "action": "skip", "view": "day"}),),
    ("GET", "/log"): (get("list"),  # whom one may log for: the picker, /pick/contacts
                      get("write", "contact", params={"contact": "{contact}"}, missing=(200,))),
    ("POST", "/log/preview"): (get("write", "contact", htmx=True, missing=(200,), form={
        "contact": "{contact}", "text": "Not now, try again in March.", "label": "not_now"}),),
    ("POST", "/log"): (change("write", "contact", fresh=True, form={
        "contact": "{contact}", "label": "not_now", "notes": "notes {n}"}, ok=(303,),
        missing=(422,)),),  # the form comes back as typed: "choose who said no"
    ("GET", "/pick/contacts"): (get("list", params={"q": "zq", "limit": 50}, lists="write"),),
    ("GET", "/accounts/new"): (get("list"),),
    ("POST", "/accounts/new"): (change("own", form={"name": "New account {n}"}, ok=(303,)),),
    ("GET", "/contacts/new"): (get("list"), get("write", "account", missing=(200,),
                                                params={"account": "{account}"})),
    ("POST", "/contacts/new"): (change("write", "account", ok=(303,), missing=(422,), form={
        "account": "{account}", "name": "Lee {n}"}),),
    ("POST", "/contacts/quick"): (change("write", "account", htmx=True, missing=(422,), form={
        "account": "{account}", "name": "Lee {n}"}),),
    ("GET", "/deals/new"): (get("list"), get("write", "account", missing=(200,),
                                             params={"account": "{account}"})),
    ("POST", "/deals/new"): (change("write", "account", ok=(303,), missing=(422,), form={
        "account": "{account}", "offer": "Add-on {n}"}),),
    ("GET", "/search"): (get("list", params={"q": "zq"}, lists="read"),),
    ("GET", "/journal"): (get("list"),),
    ("POST", "/journal"): (change("own", form={"text": "zqj{me} on the page {n}"}, ok=(303,)),),
    ("GET", "/journal/{entry_id}"): (get("private", "journal"),),
    ("POST", "/journal/{entry_id}/reflect"): (change(
        "private", "journal", form={"reflection": "zqj{me} later"}, ok=(303,)),),
    ("GET", "/playbook"): (get("public"),),
    ("GET", "/insights"): (get("list", lists="figures"),
                           get("figures", "user", params={"user_id": "{user}"})),
    ("GET", "/accounts"): (get("list", lists="read"),),
    ("GET", "/accounts/{account_id}"): (get("read", "account"),),
    ("POST", "/accounts/{account_id}/handover"): (change("admin", "account", fresh=True,
                                                         form={"to_user": "{mo_id}"},
                                                         ok=(303,)),),
    ("GET", "/contacts/{contact_id}"): (get("read", "contact"),),
    ("POST", "/contacts/{contact_id}/touch"): (change("write", "contact", fresh=True,
                                                      form={"channel": "call"}, ok=(303,)),),
    ("POST", "/contacts/{contact_id}/dnc"): (change("write", "contact", fresh=True,
                                                    form={"reason": "asked"}, ok=(303,)),),
    ("POST", "/contacts/{contact_id}/erase"): (change("admin", "contact", fresh=True,
                                                      form={"reason": "a request"},
                                                      ok=(303,)),),
    ("GET", "/accounts/{account_id}/edit"): (get("write", "account"),),
    ("POST", "/accounts/{account_id}/edit"): (change("write", "account", form={
        "rapport_notes": "{marker} notes {n}"}, ok=(303,)),),
    ("POST", "/accounts/{account_id}/delete"): (change("write", "account", fresh=True,
                                                       ok=(303,)),),
    ("POST", "/accounts/{account_id}/merge"): (change("write", "account_pair", fresh=True,
                                                      form={"other": "{account2}"}, ok=(303,)),),
    ("GET", "/contacts/{contact_id}/edit"): (get("write", "contact"),),
    ("POST", "/contacts/{contact_id}/edit"): (change("write", "contact", form={
        "title": "{marker} title {n}"}, ok=(303,)),),
    ("POST", "/contacts/{contact_id}/delete"): (change("write", "contact", fresh=True,
                                                       ok=(303,)),),
    ("POST", "/contacts/{contact_id}/merge"): (change("write", "pair", fresh=True,
                                                      form={"other": "{contact2}"}, ok=(303,)),),
    ("GET", "/deals/{deal_id}"): (get("read", "deal"),),
    ("POST", "/deals/{deal_id}/edit"): (change("write", "deal", form={"stage": "closing"},
                                               ok=(303,)),),
    ("POST", "/deals/{deal_id}/status"): (change("write", "deal", fresh=True, form={
        "status": "lost", "reason": "the price"}, ok=(303,)),),
    ("POST", "/deals/{deal_id}/delete"): (change("write", "deal", fresh=True, ok=(303,)),),
    ("POST", "/deals/{deal_id}/merge"): (change("write", "deal_pair", fresh=True,
                                                form={"other": "{deal2}"}, ok=(303,)),),
    ("GET", "/trash"): (get("list"),),
    ("POST", "/trash/{kind}/{record_id}/restore"): (change(
        "write", "trash_contact", fresh=True, params={"kind": "contact", "record": "contact"},
        ok=(303,)),),
    ("GET", "/team"): (get("list"),),
    ("GET", "/import"): (get("list"),),
    ("POST", "/import/preview"): (get("own", upload=CRM_FILE),
                                  get("giver", "user", form={"owner": "{user}"},
                                      upload=CRM_FILE, missing=(404,))),
    ("POST", "/import"): (change("list", form={"token": "0" * 32}, ok=(404,)),),
    ("GET", "/import/progress"): (get("list", params={"token": "0" * 32}),),
    ("POST", "/team/visibility"): (change("admin", form={"team_reading": "{team_reading_word}"},
                                          ok=(303,)),),
    ("GET", "/mail"): (get("list"),),
    ("POST", "/mail/connect"): (change("own", form={
        "name": "page{n}", "host": "imap.example.com", "username": "u{n}@example.com",
        "secret_env": "NOTNOW_X"}, ok=(303,)),),
    ("POST", "/mail/{name}/sync"): (change("own", params={"name": "no-such-box"}, ok=(404,)),),
    ("POST", "/mail/{name}/remove"): (change("own", params={"name": "no-such-box"},
                                             ok=(404,)),),
    ("GET", "/login"): (get("public"),),
    ("POST", "/login"): (change("public", form={"email": "nobody@team.example",
                                                "password": "not the password"}, ok=(401,)),),
    ("POST", "/logout"): (change("public", ok=(303,)),),
    ("GET", "/openapi.json"): (get("public"),),
    ("MOUNT", "/static"): (get("public", params={"path": "notnow.css"}),),
    # --- reach: each person's own channels; webhooks (admins; anyone their own Slack target,
    # which is why an id nobody's webhook has answers 404 to everyone)
    ("GET", "/calendar/feed/{token}.ics"): (get("public", params={"token": "nncal_nothing"},
                                                ok=(404,)),),
    ("GET", f"{A}/calendar/feed"): (get("own"),),
    ("POST", f"{A}/calendar/feed"): (change("own", body={"rotate": True}),),
    ("GET", f"{A}/digest"): (get("own"),),
    ("PUT", f"{A}/digest"): (change("own", body={"enabled": False, "send_at": "08:15"}),),
    ("GET", f"{A}/smtp"): (get("public"),),
    ("PUT", f"{A}/smtp"): (change("admin", body={
        "host": "127.0.0.1", "from_address": "notnow@team.example", "port": 2525,
        "security": "none"}),),
    ("GET", f"{A}/caldav"): (get("own"),),
    ("PUT", f"{A}/caldav"): (change("own", body={
        "url": "https://dav.team.example/", "username": "u{n}", "password_env": "PW"}),),
    ("DELETE", f"{A}/caldav"): (change("own", ok=(200, 404)),),
    ("GET", f"{A}/webhooks"): (get("list"),),
    ("POST", f"{A}/webhooks"): (
        change("admin", body={"url": "http://127.0.0.1:9/h{n}", "events": ["rejection.logged"],
                              "secret_env": "HOOK"}, ok=(201,)),
        change("own", body={"url": "https://hooks.slack.com/services/s{n}", "kind": "slack",
                            "events": ["rejection.logged"], "secret_env": "SLACK"}, ok=(201,))),
    ("DELETE", f"{A}/webhooks/{{webhook_id}}"): (change("list", params={"webhook_id": MISSING},
                                                        ok=(404,)),),
    ("POST", f"{A}/webhooks/{{webhook_id}}/test"): (change(
        "list", params={"webhook_id": MISSING}, ok=(404,)),),
    ("GET", f"{A}/webhooks/{{webhook_id}}/deliveries"): (get(
        "list", params={"webhook_id": MISSING}, ok=(404,)),),
    ("GET", "/settings/reach"): (get("own"),),
    ("POST", "/settings/reach/feed"): (change("own"),),
    ("POST", "/settings/reach/digest"): (change("own", form={
        "enabled": "off", "send_at": "07:45", "timezone": "UTC"}, ok=(303,)),),
    ("POST", "/settings/reach/smtp"): (change("admin", form={
        "host": "127.0.0.1", "from_address": "notnow@team.example", "port": 2525,
        "security": "none"}, ok=(303,)),),
    ("POST", "/settings/reach/caldav"): (change("own", form={
        "url": "https://dav.team.example/", "username": "p{n}", "password_env": "PW"},
        ok=(303,)),),
    ("POST", "/settings/reach/caldav/remove"): (change("own", ok=(303, 404)),),
    ("POST", "/settings/reach/webhooks"): (
        change("admin", form={"url": "http://127.0.0.1:9/p{n}", "events": "rejection.logged",
                              "secret_env": "HOOK"}),
        change("own", form={"url": "https://hooks.slack.com/services/p{n}", "kind": "slack",
                            "events": "rejection.logged", "secret_env": "SLACK"})),
    ("POST", "/settings/reach/webhooks/{webhook_id}/test"): (change(
        "list", params={"webhook_id": MISSING}, ok=(404,)),),
    ("POST", "/settings/reach/webhooks/{webhook_id}/remove"): (change(
        "list", params={"webhook_id": MISSING}, ok=(404,)),),
}

POSTGRES = {  # the slice run on PostgreSQL too: reads and changes of every kind of record
    ("GET", f"{A}/accounts"), ("GET", f"{A}/contacts"),
    ("GET", f"{A}/contacts/{{contact_id}}/activity"), ("POST", f"{A}/contacts/{{contact_id}}/dnc"),
    ("POST", f"{A}/deals/{{deal_id}}/status"), ("GET", f"{A}/rejections"),
    ("POST", f"{A}/rejections"), ("GET", f"{A}/agenda"),
    ("POST", f"{A}/followups/{{followup_id}}/snooze"), ("GET", f"{A}/search"),
    ("GET", f"{A}/journal/{{entry_id}}"), ("GET", f"{A}/report"), ("PUT", f"{A}/visibility"),
}

COMMANDS: dict[str, tuple[Call, ...]] = {
    "init": (cmd("public"),),
    "demo": (cmd("public", ok=(1,)),),  # the workspace has data (and only admins load it)
    "agenda": (cmd("list", None, "--date", FAR, lists="self"),
               cmd("agenda", "user", "--date", FAR, "--for", "{user}"),
               cmd("list", None, "--date", FAR, "--team", lists="read")),
    "account add": (cmd("own", None, "New account {n}", changes=True),),
    "account list": (cmd("list", None, "--search", "zq", lists="read"),),
    "account show": (cmd("read", "account", "{account}"),),
    "contact add": (cmd("write", "account", "Lee {marker} {n}", "--account", "{account}",
                        changes=True),),
    "contact list": (cmd("list", None, lists="read"),
                     cmd("read", "account", "--account", "{account}")),
    "contact show": (cmd("read", "contact", "{contact}"),),
    "deal add": (cmd("write", "account", "{marker} add-on {n}", "--account", "{account}",
                     "--contact", "{contact}", changes=True),),
    "deal list": (cmd("list", None, lists="read"),
                  cmd("read", "account", "--account", "{account}")),
    "deal show": (cmd("read", "deal", "{deal}"),),
    "account edit": (cmd("write", "account", "{account}", "--notes", "{marker} notes {n}",
                         changes=True),),
    "account delete": (cmd("write", "account", "{account}", "--yes", fresh=True,
                           changes=True),),
    "account merge": (cmd("write", "account_pair", "{account}", "{account2}", "--yes",
                          fresh=True, changes=True),),
    "contact edit": (cmd("write", "contact", "{contact}", "--title", "{marker} title {n}",
                         changes=True),),
    "contact delete": (cmd("write", "contact", "{contact}", "--yes", fresh=True,
                           changes=True),),
    "contact merge": (cmd("write", "pair", "{contact}", "{contact2}", "--yes", fresh=True,
                          changes=True),),
    "deal edit": (cmd("write", "deal", "{deal}", "--stage", "closing", changes=True),),
    "deal won": (cmd("write", "deal", "{deal}", fresh=True, changes=True),),
    "deal lost": (cmd("write", "deal", "{deal}", "--reason", "the price", fresh=True,
                      changes=True),),
    "deal reopen": (cmd("write", "deal", "{deal}", changes=True),),
    "deal delete": (cmd("write", "deal", "{deal}", "--yes", fresh=True, changes=True),),
    "deal merge": (cmd("write", "deal_pair", "{deal}", "{deal2}", "--yes", fresh=True,
                       changes=True),),
    "rejection edit": (cmd("write", "rejection", "{rejection}", "--competitor",
                           "Rival {marker} {n}", changes=True),),
    "rejection delete": (cmd("write", "rejection", "{rejection}", "--yes", fresh=True,
                             changes=True),),
    "delete": (cmd("write", "followup", "followup", "{followup}", "--yes", fresh=True,
                   changes=True),),
    "restore": (cmd("write", "trash_contact", "contact", "{contact}", fresh=True,
                    changes=True),),
    "trash": (cmd("list"),),
    "log": (cmd("write", "contact", "--contact", "{contact}", "--label", "not_now",
                "--notes", "{marker} notes", "--yes", fresh=True, changes=True),),
    "touch": (cmd("write", "contact", "{contact}", "--channel", "call", fresh=True,
                  changes=True),),
    "dnc": (cmd("write", "contact", "{contact}", "--reason", "asked", fresh=True,
                changes=True),
            cmd("list", None, "--list")),
    "rejections": (cmd("list", None, "--limit", "500", lists="read"),
                   cmd("read", "contact", "--contact", "{contact}")),
    "classify": (cmd("public", None, "Not now, try again in March."),),
    "eval": (cmd("public", None, "{evalfile}"),),
    "teach": (cmd("admin", None, "{missing}", ok=(1,)),),  # refusal: test_understand_cli
    "confirm": (cmd("write", "rejection", "{rejection}", "--label", "not_now", fresh=True,
                    changes=True, ok=(1,), shows=False),),
    "plan": (cmd("read", "rejection", "{rejection}"),
             cmd("write", "rejection", "{rejection}", "--accept", fresh=True, changes=True)),
    "signal": (cmd("write", "contact", "{contact}", "visited", fresh=True, changes=True),),
    "cadence": (cmd("read", "contact", "{contact}"),
                cmd("write", "contact", "{contact}", "--schedule", fresh=True, changes=True)),
    "done": (cmd("write", "followup", "{followup}", fresh=True, changes=True),),
    "snooze": (cmd("write", "followup", "{followup}", "--until", "2027-03-01", fresh=True,
                   changes=True),),
    "skip": (cmd("write", "followup", "{followup}", fresh=True, changes=True),),
    "reschedule": (cmd("write", "followup", "{followup}", "--to", "2027-03-02", fresh=True,
                       changes=True),),
    "reply": (cmd("read", "rejection", "{rejection}"),
              cmd("write", "rejection", "{rejection}", "--sent", fresh=True, changes=True)),
    "tone": (cmd("public", None, "This is your last chance to sign"),),
    "calendar export": (cmd("list", None, "{out}", "--days", "3660", lists="self"),
                        cmd("agenda", "user", "{out}", "--days", "3660", "--for", "{user}"),
                        cmd("list", None, "{out}", "--days", "3660", "--team", lists="read")),
    "playbook show": (cmd("public"),),
    "playbook check": (cmd("public", None, "{playbook}"),),
    "playbook edit": (cmd("admin", None, "--from", "{playbook}", changes=True),),
    "autopsy": (cmd("read", "rejection", "{rejection}", "--show", shows=False, ok=(0, 1)),
                cmd("write", "rejection", "{rejection}", "--listened", "yes", shows=False,
                    changes=True)),
    "journal add": (cmd("own", None, "zqj{me} a thought {n}", changes=True),
                    cmd("read", "account", "zqj{me} about them {n}", "--account", "{account}",
                        changes=True)),
    "journal list": (cmd("list"),),
    "journal reflect": (cmd("list"),
                        cmd("private", "journal", "{journal}", "--text", "zqj{me} now",
                            changes=True)),
    "capability list": (cmd("list"),),
    "capability ship": (cmd("list", None, "single sign-on", "--dry-run", lists="write",
                            changes=True),
                        cmd("list", None, "no such thing", "--dry-run", ok=(1,),
                            changes=True)),
    "renewal": (cmd("write", "rejection", "{rejection}", "--on", "2027-09-01", fresh=True,
                    changes=True),),
    "reference add": (cmd("write", "account", "Ref {marker} {n}", "--account", "{account}",
                          changes=True),),
    "reference list": (cmd("list", lists="read"),),
    "reference closest": (cmd("read", "account", "{account}", shows=False),),
    "report": (cmd("list", None, "--json", lists="figures"),
               cmd("figures", "user", "--for", "{user}", "--json"),
               cmd("manager", None, "--team", "--json"),
               cmd("list", None, "--html", "{out}", lists="figures"),
               cmd("list", None, "--csv", "{out}", lists="figures")),
    "proof": (cmd("list"),),
    "serve": (cmd("public", None, "--host", "192.0.2.1", ok=(1,)),),
    "user add": (cmd("admin", None, "Extra {n}", "--email", "extra{n}@team.example",
                     "--no-password", changes=True),),
    "user list": (cmd("list"),),
    "user disable": (cmd("admin", "user", "{user}", fresh=True, changes=True),),
    "user token": (cmd("person", "user", "{user}", "--name", "a script {n}", changes=True),),
    "reassign": (cmd("admin", "account", "--to", "{mo_id}", "--account", "{account}",
                     fresh=True, changes=True),),
    "audit": (cmd("manager", None, "--json"),),
    "worker": (cmd("admin", None, "--once", "--json"),),
    "mail import": (cmd("own", None, "{missing}", "--json", changes=True),),
    "mail connect": (cmd("own", None, "box{n}", "--host", "imap.example.com", "--username",
                         "u{n}@example.com", "--password-env", "NOTNOW_X", changes=True),),
    "mail sync": (cmd("list", None, "--json"),),
    "mail list": (cmd("list", None, "--json"),),
    "mail remove": (cmd("own", None, "no-such-box", ok=(1,), changes=True),),
    "mail messages": (cmd("list", None, "--json"),
                      cmd("read", "contact", "--contact", "{contact}", "--json", shows=False)),
    "mail draft": (cmd("write", "rejection", "{rejection}", ok=(1,), shows=False,
                       changes=True),),
    "contact export": (cmd("owner", "contact", "{contact}", "--json"),),
    "contact erase": (cmd("admin", "contact", "{contact}", "--reason", "a request", "--yes",
                          fresh=True, changes=True),),
    "import": (cmd("own", None, "{crmfile}", "--dry-run"),
               cmd("giver", "user", "{crmfile}", "--owner", "{user}", "--dry-run"),
               cmd("list", None, "undo", "999999", ok=(1,), changes=True)),
    "export": (cmd("list", None, "--for", "csv", "--out", "{out}"),),
    "user visibility": (cmd("public"),
                        cmd("admin", None, "--team-reading", "{team_reading_word}",
                            changes=True)),
    # --- reach (see the routes: an id nobody's webhook has is "not found" for everyone)
    "calendar feed": (cmd("own", None, "--json", changes=True),
                      cmd("own", None, "--rotate", changes=True)),
    "webhook add": (cmd("admin", None, "http://127.0.0.1:9/c{n}", "--events",
                        "rejection.logged,contact.opted_out", "--secret-env", "HOOK",
                        changes=True),
                    cmd("own", None, "https://hooks.slack.com/services/c{n}", "--kind", "slack",
                        "--events", "rejection.logged", "--secret-env", "SLACK", changes=True)),
    "webhook list": (cmd("list", None, "--json"),),
    "webhook remove": (cmd("list", None, str(MISSING), ok=(1,), changes=True),),
    "webhook test": (cmd("list", None, str(MISSING), ok=(1,), changes=True),),
    "webhook log": (cmd("list", None, str(MISSING), ok=(1,)),),
    "digest show": (cmd("own", None, "--json"),),
    "digest on": (cmd("own", None, "--at", "08:00", "--timezone", "Europe/Berlin",
                      changes=True),),
    "digest off": (cmd("own", None, changes=True),),
    "digest smtp": (cmd("public"),
                    cmd("admin", None, "127.0.0.1", "--port", "2525", "--security", "none",
                        "--from", "notnow@team.example", changes=True)),
    "caldav connect": (cmd("own", None, "https://dav.team.example/", "--username", "c{n}",
                           "--password-env", "PW", changes=True),),
    "caldav show": (cmd("own", None, "--json"),),
    "caldav sync": (cmd("own", None, ok=(1,)),),  # read first: nobody has a server yet
    "caldav disconnect": (cmd("own", None, changes=True, ok=(0, 1)),),
}


# --- finding every route and command -----------------------------------------------------------


def route_keys(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route, routers included (FastAPI ≥ 0.16x keeps included
    routers apart: ``iter_route_contexts`` walks them), and ("MOUNT", path) of mounts."""
    from fastapi import routing
    from starlette.routing import Mount

    walk = getattr(routing, "iter_route_contexts", None)
    keys = set()
    for r in (walk(app.routes) if walk is not None else app.routes):
        original = getattr(r, "original_route", r)
        if isinstance(original, Mount):
            keys.add(("MOUNT", r.path))
        else:
            keys |= {(m, r.path) for m in (r.methods or ()) if m != "HEAD"}
    return keys


def command_paths() -> set[str]:
    """Every command of the CLI, by its words ("contact show"); groups are walked."""
    from notnow.cli.main import command

    found = set()

    def walk(group: Any, prefix: tuple[str, ...]) -> None:
        for name, sub in group.commands.items():
            path = (*prefix, name)
            if getattr(sub, "commands", None) is not None:  # a group
                walk(sub, path)
            else:
                found.add(" ".join(path))

    walk(command(), ())
    return found


def test_every_route_and_command_has_an_entry(tmp_path: Path) -> None:
    from notnow import settings
    from notnow.web import create_app

    config = settings.load({"NOTNOW_HOME": str(tmp_path),
                            "NOTNOW_DATABASE_URL": f"sqlite:///{tmp_path / 'n.db'}"})
    app = create_app(config, team=True)
    try:
        routes = route_keys(app)
    finally:
        app.state.ws.close()
    assert sorted(routes - set(ROUTES)) == [], "routes without an entry in ROUTES"
    assert sorted(set(ROUTES) - routes) == [], "entries in ROUTES for routes that are gone"
    commands = command_paths()
    assert sorted(commands - set(COMMANDS)) == [], "commands without an entry in COMMANDS"
    assert sorted(set(COMMANDS) - commands) == [], "entries in COMMANDS that are gone"
    assert POSTGRES <= set(ROUTES)
    for key, calls in [*ROUTES.items(), *COMMANDS.items()]:
        for call in calls:
            assert call.rule in RULES, (key, call.rule)
            if call.rule in ("read", "write", "private", "agenda", "figures", "person",
                             "owner", "giver"):
                assert call.target is not None, f"{key}: {call.rule} names a target"
            elif call.rule != "admin":
                assert call.target is None, f"{key}: {call.rule} has no target"


# --- running the matrix ------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    text: str

    def same_as(self, other: Answer) -> bool:
        return self.status == other.status and _plain(self.text) == _plain(other.text)


_CSRF = re.compile(r'(csrf_token" value="|X-CSRF-Token": ")[^"]*')


def _diff(a: Answer, b: Answer) -> str:
    """Where two answers part (for a readable failure)."""
    import difflib

    lines = difflib.unified_diff(_plain(a.text).splitlines(), _plain(b.text).splitlines(),
                                 lineterm="", n=0)
    return " | ".join(list(lines)[2:8])[:600]


def _plain(text: str) -> str:
    """The answer with what differs between any two requests set aside: ids and tokens."""
    return re.sub(r"\d+", "#", _CSRF.sub(r"\1", text))


class Matrix:
    """Runs calls as roles on targets and collects every leak found (all at once)."""

    def __init__(self, world: World, run: Callable[[Role, str, Call, dict[str, Any]], Answer],
                 tmp: Path, *, all_targets: bool = True) -> None:
        self.world = world
        self.run_one = run
        self.tmp = tmp
        self.all_targets = all_targets
        self.leaks: list[str] = []
        self.runs = 0
        self._absent: dict[tuple[str, int, str], Answer] = {}
        self._n = iter(range(1, 10**9))

    def values(self, role: Role, ids: dict[str, Any]) -> dict[str, Any]:
        n = next(self._n)
        on = role.team_reading
        return {**ids, "me": role.tag, "mo_id": self.world.users["mo"], "n": n,
                "out": str(self.tmp / f"out{n}"), "team_reading": on,
                "team_reading_word": "on" if on else "off",
                "evalfile": str(self.tmp / "eval.jsonl"), "playbook": str(self.tmp / "pb.yaml"),
                "crmfile": str(self.tmp / "companies.csv"),
                "missing": str(self.tmp / "no-such-file.jsonl")}

    def call(self, role: Role, key: str, call: Call, ids: dict[str, Any]) -> Answer:
        self.runs += 1
        self.world.stored = None  # anything may have been written
        return self.run_one(role, key, call, self.values(role, ids))

    def fingerprint(self) -> int:
        """:func:`fingerprint`, read again only when something ran since it was last read
        (a stale one can only make a refused call look like a write: never hide one) — and,
        on SQLite, only when some connection committed since (the data version changed): a
        call that committed nothing left everything as it was read."""
        world = self.world
        if world.stored is None:
            version = world.data_version()
            if version is not None and world.read is not None and world.read[0] == version:
                world.stored = world.read[1]
            else:
                world.stored = fingerprint(world.ws)
                if version is not None:
                    world.read = (version, world.stored)
        return world.stored

    def leak(self, role: Role, key: str, call: Call, target: str | None, what: str) -> None:
        on = f" on {target}'s" if target else ""
        self.leaks.append(f"{role.name}{on}: {key} {call.params or ''}{' '.join(call.args)}: "
                          f"{what}")

    def check_markers(self, role: Role, key: str, call: Call, target: str | None,
                      answer: Answer) -> None:
        text = answer.text.lower()
        for tag in PEOPLE:
            if f"zqr{tag}" in text and tag not in role.reads:
                self.leak(role, key, call, target, f"shows {tag}'s records")
            if f"zqu{tag}" in text and tag not in role.names:
                self.leak(role, key, call, target, f"names {tag}")
            for private in ("zqf", "zqj"):
                if f"{private}{tag}" in text and tag != role.tag:
                    self.leak(role, key, call, target, f"shows {tag}'s "
                              f"{'feelings' if private == 'zqf' else 'journal'}")

    def check_list(self, role: Role, key: str, call: Call, answer: Answer) -> None:
        expected = {"read": role.reads, "write": role.writes, "figures": role.figures,
                    "self": frozenset({role.tag})}[call.lists or "read"]
        text = answer.text.lower()
        shown = {tag for tag in OWNERS if record_marker(tag) in text}
        if shown != set(expected):
            self.leak(role, key, call, None, f"lists {sorted(shown)}, expected "
                      f"{sorted(expected)}")

    def allowed(self, role: Role, call: Call, owner: str | None) -> bool:
        rule = call.rule
        if rule in ("list", "own", "public"):
            return True
        if rule == "manager":
            return role.manager
        if rule == "admin":
            return role.admin
        assert owner is not None
        if rule == "read":
            return owner in role.reads
        if rule == "write":
            return owner in role.writes
        if rule == "private":
            return owner == role.tag
        if rule in ("person", "owner"):
            return role.admin or owner == role.tag
        if rule == "agenda":
            return owner in role.reads
        if rule == "giver":
            return owner in role.writes
        assert rule == "figures", rule
        return owner in role.figures

    def run(self, role: Role, key: str, call: Call) -> None:
        """Every target of one call, as one role: refusals first (checked against the
        database when the call changes things), then what is allowed."""
        if call.target is None:
            ok = self.allowed(role, call, None)
            before = self.fingerprint() if call.changes and not ok else None
            answer = self.call(role, key, call, {})
            self.check_markers(role, key, call, None, answer)
            if ok and answer.status not in call.ok:
                self.leak(role, key, call, None, f"answered {answer.status}: "
                          f"{answer.text[:300]}")
            if not ok and answer.status not in (403, 1):
                self.leak(role, key, call, None, f"not refused: {answer.status}")
            if before is not None and self.fingerprint() != before:
                self.leak(role, key, call, None, "a refused change was written")
            if ok and call.lists:
                self.check_list(role, key, call, answer)
            return
        absent = self._absent.get((key, id(call), role.tag))
        if absent is None:  # the same for a role whatever the team setting
            missing = {k: MISSING for k in self.world.ids("sara")}
            missing["marker"] = "nobody"
            absent = self._absent[key, id(call), role.tag] = self.call(role, key, call, missing)
        targets = role.targets if self.all_targets else (
            role.targets[1] if role.manager else role.targets[0], role.targets[2])
        refused = [t for t in targets if not self.allowed(role, call, t)]
        if refused:
            before = self.fingerprint() if call.changes else None
            for owner in refused:
                answer = self.call(role, key, call, self.target_ids(owner, call, fresh=False))
                self.check_markers(role, key, call, owner, answer)
                if call.rule in ("admin", "person") or (call.rule == "owner"
                                                        and owner in role.reads):
                    if answer.status not in (403, 1):
                        self.leak(role, key, call, owner, f"not refused: {answer.status}")
                elif not answer.same_as(absent) or answer.status not in call.missing:
                    self.leak(role, key, call, owner, "answers unlike a missing record: "
                              f"{answer.status} vs {absent.status}: {_diff(absent, answer)}")
            if before is not None and self.fingerprint() != before:
                self.leak(role, key, call, "/".join(refused), "a refused change was written")
        for owner in targets:
            if owner in refused:
                continue
            answer = self.call(role, key, call, self.target_ids(owner, call, fresh=call.fresh))
            self.check_markers(role, key, call, owner, answer)
            if answer.status not in call.ok or (call.rule not in ("admin", "person", "owner")
                                                 and answer.same_as(absent)):
                self.leak(role, key, call, owner, f"refused: {answer.status} "
                          f"{answer.text[:300]}")
            elif call.shows and call.rule in ("read", "write") and not call.changes \
                    and record_marker(owner) not in answer.text.lower():
                self.leak(role, key, call, owner, "does not show the record")

    def target_ids(self, owner: str, call: Call, *, fresh: bool) -> dict[str, Any]:
        if fresh:
            assert call.target is not None
            what = "contact" if call.target in ("account", "contact") else call.target
            ids: dict[str, Any] = self.world.fresh(what, owner)
        else:
            ids = self.world.ids(owner)
        if call.target == "token" and not fresh:
            ids["token"] = self.world.token_ids[owner]
        ids["marker"] = record_marker(owner)
        return ids


SUMMED = {
    # the largest tables, read after every change: summed in the database over what a change
    # can do to them — rows added or removed, ids repointed (a merge), content cut (an erasure)
    "audit_events": "count(*), max(id), sum(entity_id), sum(account_id), sum(contact_id), "
                    "sum(owner_id), count(before), count(after), sum(length(note))",
    "trash": "count(*), max(id), sum(entity_id), sum(account_id), sum(contact_id), "
             "sum(owner_id), sum(length(CAST(rows AS TEXT))), sum(length(CAST(links AS TEXT)))",
}


def fingerprint(ws: Any) -> int:
    """Everything stored that a refused change could have touched, as the driver reads it."""
    from notnow.storage.tables import Base

    skip_tables = {"capabilities", "capability_requests", "web_sessions", "login_failures",
                   "idempotency_keys"}
    parts = []
    with ws.db.read() as s:
        conn = s.connection()
        for table in Base.metadata.sorted_tables:
            if table.name in skip_tables:
                continue
            if table.name in SUMMED:
                rows = conn.exec_driver_sql(f'SELECT {SUMMED[table.name]} FROM "{table.name}"')
                parts.append(hash(repr(rows.all())))
                continue
            cols = ", ".join(f'"{c.name}"' for c in table.columns if c.name != "last_used_at")
            key = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
            rows = conn.exec_driver_sql(f'SELECT {cols} FROM "{table.name}" ORDER BY {key}')
            parts.append(hash(repr([tuple(row) for row in rows])))  # plain tuples: fast repr
    return hash(tuple(parts))


def phases(tables: list[tuple[Matrix, dict[str, tuple[Call, ...]]]]) -> Iterator[
        tuple[bool, Role, Matrix, str, Call]]:
    """Reads first (nothing changed yet, lists complete), with team reading off then on;
    then changes, team reading on then off."""
    roles_off = [r for r in RIGHTS.values() if not r.team_reading]
    roles_on = [r for r in RIGHTS.values() if r.team_reading]
    for changes, groups in ((False, (roles_off, roles_on)), (True, (roles_on, roles_off))):
        for roles in groups:
            for matrix, table in tables:
                for key in sorted(table):
                    for call in table[key]:
                        if call.changes == changes:
                            for role in roles:
                                yield role.team_reading, role, matrix, key, call


@pytest.fixture
def team(config: Any, clock: Any, tmp_path: Path) -> Iterator[tuple[Any, World]]:
    from notnow.web import create_app

    app = create_app(config, clock=clock, team=True)
    world = build(app.state.ws)
    (tmp_path / "eval.jsonl").write_text(json.dumps(
        {"text": "Not now, maybe next quarter.", "label": "not_now"}) + "\n")
    (tmp_path / "pb.yaml").write_text("version: 1\n")
    (tmp_path / "companies.csv").write_text(CRM_FILE)
    yield app, world
    world.close()
    app.state.ws.close()


def _set_team_reading(world: World, on: bool) -> None:
    from notnow.services.team.visibility import set_team_reading

    set_team_reading(world.ws, world.actor("ada"), on)
    world.stored = None


def _http(app: Any, world: World) -> Callable[[Role, str, Call, dict[str, Any]], Answer]:
    client = TestClient(app, base_url=HTTPS, follow_redirects=False)
    names = {"account_id": "account", "contact_id": "contact", "deal_id": "deal",
             "rejection_id": "rejection", "followup_id": "followup", "entry_id": "journal",
             "user_id": "user", "token_id": "token", "import_id": "import"}

    def run(role: Role, key: str, call: Call, values: dict[str, Any]) -> Answer:
        method, path = key.split(" ", 1)
        params = fill(call.params, values)
        if method == "MOUNT":
            method, path = "GET", f"{path}/{params.pop('path')}"
        for name, what in names.items():
            path = path.replace("{" + name + "}", str(values.get(what, MISSING)))
        if "{kind}" in path:  # /trash/{kind}/{record_id}/...: the kind, and whose id
            path = path.replace("{kind}", str(params.pop("kind"))).replace(
                "{record_id}", str(values.get(params.pop("record"), MISSING)))
        for name in re.findall(r"\{(\w+)\}", path):  # e.g. {action}, {token}, {webhook_id}
            if name in params:
                path = path.replace("{" + name + "}", str(params.pop(name)))
        headers = {"authorization": f"Bearer {world.tokens[role.tag]}"}
        if call.htmx:
            headers["hx-request"] = "true"
        files = {"files": ("companies.csv", call.upload.encode())} if call.upload else None
        r = client.request(method, path, params=params, headers=headers,
                           json=fill(call.body, values) if call.body is not None else None,
                           data=fill(call.form, values) if call.form is not None else None,
                           files=files)
        return Answer(r.status_code, r.text)

    return run


def _cli(cli: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[[Role, str, Call,
                                                                  dict[str, Any]], Answer]:
    def run(role: Role, key: str, call: Call, values: dict[str, Any]) -> Answer:
        monkeypatch.setenv("NOTNOW_USER", email(role.tag))
        args = [a.format(**values) for a in call.args]
        result = cli(*key.split(), *args)
        text = result.out + result.err
        out = Path(values["out"])
        if out.is_file():
            text += out.read_text()
        elif out.is_dir():
            text += "".join(p.read_text() for p in sorted(out.iterdir()))
        return Answer(result.code, text)

    return run


def fill(template: Any, values: dict[str, Any]) -> Any:
    """Placeholders in a call's parameters, JSON or form: '{contact}' alone becomes the id."""
    if isinstance(template, dict):
        return {k: fill(v, values) for k, v in template.items()}
    if isinstance(template, str):
        whole = re.fullmatch(r"\{(\w+)\}", template)
        if whole:
            return values[whole.group(1)]
        return template.format(**values)
    return template


def _run(world: World, tables: list[tuple[Matrix, dict[str, tuple[Call, ...]]]]) -> None:
    current: bool | None = None
    for on, role, matrix, key, call in phases(tables):
        if on != current:
            _set_team_reading(world, on)
            current = on
        matrix.run(role, key, call)
    _set_team_reading(world, False)


@pytest.fixture
def is_postgres(db_url: str) -> bool:
    return db_url.startswith("postgresql")


@pytest.mark.slow
def test_access_matrix(team: tuple[Any, World], cli: Any, monkeypatch: pytest.MonkeyPatch,
                       tmp_path: Path, is_postgres: bool) -> None:
    app, world = team
    routes = {" ".join(k): v for k, v in ROUTES.items() if k in POSTGRES or not is_postgres}
    web = Matrix(world, _http(app, world), tmp_path)
    # commands call the routes' services: one record each role may use (their team's for a
    # manager or admin, their own otherwise) and another team's
    shell = Matrix(world, _cli(cli, monkeypatch), tmp_path, all_targets=False)
    _run(world, [(web, routes)] if is_postgres else [(web, routes), (shell, COMMANDS)])
    runs = web.runs + shell.runs
    leaks = web.leaks + shell.leaks
    print(f"access matrix: {web.runs} requests, {shell.runs} commands")
    assert leaks == [], f"{len(leaks)} leaks in {runs} runs:\n" + "\n".join(leaks)

