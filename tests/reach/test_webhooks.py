"""Webhooks against a real HTTP receiver on loopback: Standard Webhooks signatures (checked
against the specification's published vector and by its reference verifier), secrets never in
clear in the database, retries with back-off until a failing receiver recovers — then every
event arrives, once each — the opt-out rule, the Slack target, and where requests may go."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from reach_support import NOW, add_contact, add_user, opt_out
from sqlalchemy import select, text
from standardwebhooks.webhooks import Webhook as Verifier

from notnow.errors import InvalidInput
from notnow.reach.events import (
    AccountRef,
    ContactRef,
    contact_opted_out,
    deal_won_after_no,
    followup_due,
    rejection_logged,
)
from notnow.reach.secrets import SecretBox
from notnow.reach.webhooks import (
    BACKOFF,
    HttpSender,
    TargetPolicy,
    TargetRefused,
    add_webhook,
    check_url,
    delivery_log,
    enqueue,
    list_webhooks,
    next_attempt_at,
    remove_webhook,
    retry_after,
    send_due,
    send_test,
    sign,
    vet_address,
)
from notnow.storage.engine import Database
from notnow.storage.tables import Webhook, WebhookDelivery

BOX = SecretBox(SecretBox.generate_key())
ACME = AccountRef(1, "Acme GmbH")


def test_signature_matches_the_specifications_published_vector() -> None:
    # From the Standard Webhooks reference library's tests (libraries/python).
    assert sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330, '{"test": 2432232314}') == \
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    # …and is exactly HMAC-SHA256 over "id.timestamp.body" with the base64-decoded key.
    key = base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    mac = hmac.new(key, b"msg_1.1700000000.{}", hashlib.sha256).digest()
    assert sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_1", 1700000000, "{}") == \
        "v1," + base64.b64encode(mac).decode()


def _rejection(contact: ContactRef, at: datetime) -> object:
    return rejection_logged(rejection_id=7, at=at, label="not_now", stage="proposal",
                            channel="email", checkback=None, contact=contact, account=ACME,
                            owner="Ann")


def test_secret_is_shown_once_and_never_stored_in_clear(db: Database) -> None:
    ann = add_user(db, "Ann")
    made = add_webhook(db, "https://crm.example.com/in", "rejection.logged,followup.due",
                       created_by=ann, now=NOW, box=BOX)
    assert made.secret and made.secret.startswith("whsec_")
    by_env = add_webhook(db, "https://other.example.com/in", ["contact.opted_out"],
                         created_by=ann, now=NOW, secret_env="CRM_HOOK_SECRET")
    assert by_env.secret is None
    with db.read() as s:
        dump = " ".join(str(v) for row in s.execute(text("SELECT * FROM webhooks"))
                        for v in row)
    assert made.secret not in dump and made.secret[6:] not in dump
    assert [(h.secret, h.events) for h in list_webhooks(db)] == [
        ("sealed", ["rejection.logged", "followup.due"]), ("env:CRM_HOOK_SECRET",
                                                           ["contact.opted_out"])]
    with pytest.raises(InvalidInput, match="unknown event 'rejection.lost'"):
        add_webhook(db, "https://x.example.com", "rejection.lost", created_by=ann, now=NOW,
                    box=BOX)
    with pytest.raises(InvalidInput, match="environment variable name"):
        add_webhook(db, "https://x.example.com", "followup.due", created_by=ann, now=NOW,
                    secret_env="NOT A NAME")
    assert remove_webhook(db, by_env.webhook.id).url == "https://other.example.com/in"
    assert len(list_webhooks(db)) == 1


def test_signed_delivery_verified_by_the_reference_verifier(db: Database, receiver) -> None:  # type: ignore[no-untyped-def]
    ann = add_user(db, "Ann")
    cid, _ = add_contact(db, "Anna Berg", email="anna@acme.example")
    made = add_webhook(db, receiver.url, "rejection.logged", created_by=ann, now=NOW, box=BOX)
    add_webhook(db, receiver.url, "followup.due", created_by=ann, now=NOW, box=BOX)
    now = datetime.now(UTC)  # the verifier checks the timestamp against the real clock
    event = _rejection(ContactRef(cid, "Anna Berg", "anna@acme.example"), now)
    assert len(enqueue(db, event, now)) == 1  # only the subscriber to rejection.logged
    with HttpSender() as sender:
        report = send_due(db, now=now, sender=sender, box=BOX, environ={})
    assert report.delivered == 1
    [got] = receiver.requests
    assert got["path"] == "/hooks/notnow"
    payload = Verifier(made.secret).verify(got["body"], got["headers"])
    assert payload["type"] == "rejection.logged"
    assert payload["data"]["contact"] == {"id": cid, "name": "Anna Berg",
                                          "email": "anna@acme.example", "role": None}
    assert got["headers"]["webhook-id"] == event.id  # type: ignore[attr-defined]
    assert got["headers"]["content-type"] == "application/json"
    log = delivery_log(db, made.webhook.id)
    assert [(d["status"], d["attempt"], d["status_code"]) for d in log] == [("delivered", 1, 200)]


def test_a_receiver_that_fails_a_while_then_gets_everything_once(db: Database, receiver) -> None:  # type: ignore[no-untyped-def]
    ann = add_user(db, "Ann")
    made = add_webhook(db, receiver.url, "followup.due", created_by=ann, now=NOW, box=BOX)
    contacts = [add_contact(db, f"Person {i}") for i in range(8)]
    receiver.fail_next = 20  # the first 20 requests get a 503
    for cid, aid in contacts:
        enqueue(db, followup_due(followup_id=cid, due=NOW.date(), channel="call",
                                 purpose="Call back", why="asked for December",
                                 contact=ContactRef(cid, "P"), account=AccountRef(aid, "A"),
                                 at=NOW), NOW)
    now, rounds = NOW, 0
    with HttpSender() as sender:
        while True:
            report = send_due(db, now=now, sender=sender, box=BOX, environ={})
            rounds += 1
            with db.read() as s:
                pending = s.scalar(select(WebhookDelivery.next_attempt_at)
                                   .where(WebhookDelivery.status == "pending")
                                   .order_by(WebhookDelivery.next_attempt_at.desc()).limit(1))
            if pending is None:
                break
            assert rounds < 12 and report.failed == 0
            now = pending  # the clock jumps to when every pending attempt is due
    assert sum(r["failed"] for r in receiver.requests) == 20
    assert len(receiver.seen_ids) == 8 and set(receiver.seen_ids.values()) == {1}
    with db.read() as s:
        rows = s.execute(select(WebhookDelivery.status, WebhookDelivery.attempt)).all()
    assert {status for status, _ in rows} == {"delivered"}
    assert max(attempt for _, attempt in rows) == 4  # 8 + 8 + 4 failures, then success
    assert now - NOW < BACKOFF[1] + BACKOFF[2] + BACKOFF[3] + timedelta(minutes=5)
    assert made.webhook.active


def test_a_timeout_is_retried_with_the_same_webhook_id(sqlite_db: Database, receiver) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_db
    ann = add_user(db, "Ann")
    add_webhook(db, receiver.url, "followup.due", created_by=ann, now=NOW, box=BOX)
    cid, aid = add_contact(db, "Anna")
    enqueue(db, followup_due(followup_id=1, due=NOW.date(), channel="call", purpose="x",
                             why=None, contact=ContactRef(cid, "Anna"),
                             account=AccountRef(aid, "A"), at=NOW), NOW)
    receiver.delay = 0.6
    with HttpSender(TargetPolicy(timeout=0.2)) as sender:
        first = send_due(db, now=NOW, sender=sender, box=BOX, environ={})
        assert first.retrying == 1
        with db.read() as s:
            error = s.scalar(select(WebhookDelivery.last_error))
        assert error == "no answer within 0.2 s"
        receiver.delay = 0
        second = send_due(db, now=NOW + timedelta(minutes=1), sender=sender, box=BOX,
                          environ={})
    assert second.delivered == 1
    ids = [r["headers"]["webhook-id"] for r in receiver.requests]
    assert len(ids) == 2 and ids[0] == ids[1]  # the receiver can tell it is the same event
    assert receiver.requests[0]["headers"]["webhook-timestamp"] != \
        receiver.requests[1]["headers"]["webhook-timestamp"]


def test_opted_out_contacts_go_out_only_as_the_opt_out_event(db: Database, receiver) -> None:  # type: ignore[no-untyped-def]
    ann = add_user(db, "Ann")
    everything = "rejection.logged,followup.due,contact.opted_out,deal.won_after_no"
    add_webhook(db, receiver.url, everything, created_by=ann, now=NOW, box=BOX)
    cid, aid = add_contact(db, "Dana Opt", email="dana@acme.example")
    dana = ContactRef(cid, "Dana Opt", "dana@acme.example")
    due = followup_due(followup_id=3, due=NOW.date(), channel="email", purpose="x", why=None,
                       contact=dana, account=AccountRef(aid, "Acme"), at=NOW)
    assert len(enqueue(db, due, NOW)) == 1  # queued while she could still be contacted
    opt_out(db, cid)
    assert enqueue(db, _rejection(dana, NOW), NOW) == []  # the database knows she opted out
    assert len(enqueue(db, contact_opted_out(contact=dana, account=AccountRef(aid, "Acme"),
                                             since=NOW, source="prospect"), NOW)) == 1
    won = deal_won_after_no(deal_id=9, offer="Suite", value=Decimal("1200.50"),
                            currency="EUR", won_at=NOW, first_no_at=NOW - timedelta(days=200),
                            label_then="not_now", account=AccountRef(aid, "Acme"),
                            contact=dana)
    assert len(enqueue(db, won, NOW)) == 1
    now = datetime.now(UTC)
    with HttpSender() as sender:
        report = send_due(db, now=now, sender=sender, box=BOX, environ={})
    assert (report.delivered, report.skipped) == (2, 1)  # the queued follow-up was stopped
    bodies = {json.loads(r["body"])["type"]: r["body"] for r in receiver.requests}
    assert set(bodies) == {"contact.opted_out", "deal.won_after_no"}
    assert b"Dana" in bodies["contact.opted_out"]
    assert b"Dana" not in bodies["deal.won_after_no"] and b"dana@" not in bodies[
        "deal.won_after_no"]
    assert json.loads(bodies["deal.won_after_no"])["data"]["deal"]["value"] == "1200.50"
    with db.read() as s:
        assert s.scalar(select(WebhookDelivery.status)
                        .where(WebhookDelivery.event_type == "followup.due")) == "suppressed"


def test_slack_target_gets_text_and_blocks_and_its_url_stays_sealed(sqlite_db: Database,
                                                                     receiver) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_db
    ann = add_user(db, "Ann")
    made = add_webhook(db, receiver.url, "followup.due", created_by=ann, now=NOW, box=BOX,
                       kind="slack")
    assert made.secret is None and made.webhook.url.endswith("/…")
    with db.read() as s:
        assert "/hooks/notnow" not in " ".join(
            str(v) for v in s.execute(text("SELECT * FROM webhooks")).one())
    cid, aid = add_contact(db, "Anna <Berg>")
    enqueue(db, followup_due(followup_id=1, due=NOW.date(), channel="call",
                             purpose="Ask about Q1 & budget", why="said: after the audit",
                             contact=ContactRef(cid, "Anna <Berg>"),
                             account=AccountRef(aid, "Acme"), at=NOW), NOW)
    with HttpSender() as sender:
        assert send_due(db, now=NOW, sender=sender, box=BOX, environ={}).delivered == 1
    [got] = receiver.requests
    assert "webhook-signature" not in got["headers"]
    message = json.loads(got["body"])
    assert message["text"] == "Due today: call Anna &lt;Berg&gt; at Acme"
    assert [b["type"] for b in message["blocks"]] == ["section", "section", "context"]
    assert "Ask about Q1 &amp; budget" in message["blocks"][1]["text"]["text"]


def test_gone_disables_redirects_are_not_followed_and_retry_after_is_honoured(
        sqlite_db: Database, receiver) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_db
    ann = add_user(db, "Ann")
    made = add_webhook(db, receiver.url, "followup.due", created_by=ann, now=NOW, box=BOX)
    with HttpSender() as sender:
        receiver.fail_next, receiver.fail_status = 1, 302
        out = send_test(db, made.webhook.id, now=NOW, sender=sender, box=BOX, environ={})
        assert out.status_code == 302 and "redirects are not followed" in (out.error or "")
        assert out.retry_at is not None
        receiver.fail_next, receiver.fail_status = 1, 410
        out = send_test(db, made.webhook.id, now=NOW, sender=sender, box=BOX, environ={})
        assert out.disable and out.retry_at is None
    assert [h.active for h in list_webhooks(db)] == [False]
    assert retry_after("120", NOW) == timedelta(minutes=2)
    assert retry_after("Mon, 23 Nov 2026 10:30:00 GMT", NOW) == timedelta(hours=1)
    assert retry_after("soon", NOW) is None
    at = next_attempt_at(1, NOW, "msg_x", wait_at_least=timedelta(minutes=10))
    assert at == NOW + timedelta(minutes=10)
    assert next_attempt_at(len(BACKOFF), NOW, "msg_x") is None
    assert next_attempt_at(3, NOW, "msg_x") == next_attempt_at(3, NOW, "msg_x")


def test_test_button_reports_a_missing_secret_in_plain_words(sqlite_db: Database,
                                                              receiver) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_db
    made = add_webhook(db, receiver.url, "followup.due", created_by=None, now=NOW,
                       secret_env="HOOK_SECRET")
    with HttpSender() as sender:
        out = send_test(db, made.webhook.id, now=NOW, sender=sender, box=None, environ={})
        assert out.error == ("the environment variable HOOK_SECRET that holds the webhook's "
                             "signing secret is not set in this process")
        assert receiver.requests == []
        bad = {"HOOK_SECRET": "hunter2"}
        out = send_test(db, made.webhook.id, now=NOW, sender=sender, box=None, environ=bad)
        assert "not a Standard Webhooks secret" in (out.error or "")
        good = {"HOOK_SECRET": "whsec_" + base64.b64encode(b"k" * 32).decode()}
        out = send_test(db, made.webhook.id, now=datetime.now(UTC), sender=sender, box=None,
                        environ=good)
    assert out.delivered
    assert Verifier(good["HOOK_SECRET"]).verify(receiver.requests[0]["body"],
                                                 receiver.requests[0]["headers"])["type"] == \
        "webhook.test"


def test_where_webhooks_may_go(sqlite_db: Database) -> None:
    for url, words in [("ftp://example.com/x", "only http:// and https://"),
                       ("https://user:pw@example.com/", "no user name or password"),
                       ("https://example.com:99999/", "port"),
                       ("http:///nohost", "no host"),
                       ("https://exa mple.com/", "no spaces")]:
        with pytest.raises(InvalidInput, match=words):
            check_url(url)
    team = TargetPolicy(refuse_private=True, allow_loopback=False)
    for ip in ("169.254.169.254", "0.0.0.0", "224.0.0.1", "fe80::1"):
        with pytest.raises(TargetRefused, match="never sent there"):
            vet_address(ip, TargetPolicy())
    for ip in ("10.0.0.5", "192.168.1.2", "172.16.0.1", "::ffff:10.0.0.5", "fd00::1"):
        vet_address(ip, TargetPolicy())  # allowed on a person's own machine
        with pytest.raises(TargetRefused, match="private address"):
            vet_address(ip, team)
    vet_address("127.0.0.1", TargetPolicy(refuse_private=True, allow_loopback=True))
    with pytest.raises(TargetRefused, match="on this machine"):
        vet_address("127.0.0.1", team)
    vet_address("93.184.216.34", team)  # a public address is fine (nothing is sent here)

    # A refused target is never contacted: the webhook is switched off with the reason.
    db = sqlite_db
    made = add_webhook(db, "http://127.0.0.1:9/hook", "followup.due", created_by=None,
                       now=NOW, box=BOX)
    with HttpSender(team) as sender:
        out = send_test(db, made.webhook.id, now=NOW, sender=sender, box=BOX, environ={})
    assert out.disable and "on this machine" in out.disable
    with db.read() as s:
        assert s.scalar(select(Webhook.disabled_reason)) == out.disable


def test_the_same_due_follow_up_is_queued_once_a_day(sqlite_db: Database) -> None:
    db = sqlite_db
    add_webhook(db, "https://crm.example.com/in", "followup.due", created_by=None, now=NOW,
                box=BOX)
    cid, aid = add_contact(db, "Anna")

    def due(day: datetime) -> object:
        return followup_due(followup_id=5, due=day.date(), channel="call", purpose="x",
                            why=None, contact=ContactRef(cid, "Anna"),
                            account=AccountRef(aid, "A"), at=day)

    assert len(enqueue(db, due(NOW), NOW)) == 1
    assert enqueue(db, due(NOW), NOW + timedelta(hours=1)) == []  # the daily job ran twice
    assert len(enqueue(db, due(NOW + timedelta(days=1)), NOW + timedelta(days=1))) == 1


def test_two_workers_never_send_the_same_delivery(db: Database, receiver) -> None:  # type: ignore[no-untyped-def]
    import threading

    add_webhook(db, receiver.url, "followup.due", created_by=None, now=NOW, box=BOX)
    cid, aid = add_contact(db, "Anna")
    for i in range(40):
        enqueue(db, followup_due(followup_id=i, due=NOW.date(), channel="call", purpose="x",
                                 why=None, contact=ContactRef(cid, "Anna"),
                                 account=AccountRef(aid, "A"), at=NOW), NOW)
    reports = []

    def worker() -> None:
        with HttpSender() as sender:
            reports.append(send_due(db, now=NOW, sender=sender, box=BOX, environ={}, batch=5))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(r.delivered for r in reports) == 40
    assert len(receiver.seen_ids) == 40 and set(receiver.seen_ids.values()) == {1}
