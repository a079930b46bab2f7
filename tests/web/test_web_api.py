"""The JSON API, route by route, good and bad input, on a real database (local mode)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from web_support import LOCAL, Seed, has_reader, local_client

API = "/api/v1"

# Every API route; test_openapi_lists_exactly_the_tested_routes keeps this list honest.
ROUTES = {
    ("get", "/accounts"), ("post", "/accounts"), ("get", "/accounts/{account_id}"),
    ("get", "/accounts/{account_id}/activity"),
    ("get", "/contacts"), ("post", "/contacts"), ("get", "/contacts/{contact_id}"),
    ("post", "/contacts/{contact_id}/dnc"), ("get", "/contacts/{contact_id}/activity"),
    ("get", "/dnc"),
    ("get", "/deals"), ("post", "/deals"), ("get", "/deals/{deal_id}"),
    ("post", "/deals/{deal_id}/status"),
    ("get", "/rejections"), ("post", "/rejections"), ("post", "/understand"),
    ("post", "/touches"),
    ("get", "/agenda"),
    ("get", "/me"), ("get", "/users"), ("post", "/users"), ("post", "/users/{user_id}/disable"),
    ("get", "/tokens"), ("post", "/tokens"), ("delete", "/tokens/{token_id}"),
    ("get", "/visibility"), ("put", "/visibility"), ("post", "/handover"),
    ("get", "/search"), ("get", "/journal"), ("post", "/journal"),
    ("get", "/journal/{entry_id}"), ("post", "/journal/{entry_id}/reflect"),
    ("get", "/playbook"),
    ("post", "/followups/{followup_id}/done"), ("post", "/followups/{followup_id}/skip"),
    ("post", "/followups/{followup_id}/undo"),
    ("post", "/followups/{followup_id}/snooze"), ("post", "/signals"),
    ("get", "/rejections/{rejection_id}/plan"), ("post", "/rejections/{rejection_id}/plan"),
    ("get", "/report"), ("get", "/proof"),
    ("get", "/contacts/{contact_id}/export"), ("post", "/contacts/{contact_id}/erase"),
    ("get", "/audit"), ("post", "/rejections/{rejection_id}/confirm"),
    # change, merge, delete, restore: tests/web/test_web_edits.py
    *{(m, f"/{kind}/{{{kind[:-1]}_id}}") for m in ("patch", "delete")
      for kind in ("accounts", "contacts", "deals", "rejections")},
    *{("post", f"/{kind}/{{{kind[:-1]}_id}}/restore")
      for kind in ("accounts", "contacts", "deals", "rejections")},
    *{("post", f"/{kind}/{{{kind[:-1]}_id}}/merge") for kind in ("accounts", "contacts",
                                                                 "deals")},
    ("get", "/trash"),
    # mail: tested in tests/web/test_web_mail.py
    ("get", "/mail/mailboxes"), ("post", "/mail/mailboxes"), ("delete", "/mail/mailboxes/{name}"),
    ("post", "/mail/mailboxes/{name}/sync"), ("get", "/mail/messages"), ("post", "/mail/drafts"),
    # CRM imports: tests/web/test_web_crm.py
    ("get", "/imports"), ("post", "/imports"), ("post", "/imports/{import_id}/undo"),
    # reach: tests/reach/test_reach_web.py
    ("get", "/calendar/feed"), ("post", "/calendar/feed"), ("get", "/digest"), ("put", "/digest"),
    ("get", "/smtp"), ("put", "/smtp"), ("get", "/caldav"), ("put", "/caldav"),
    ("delete", "/caldav"), ("get", "/webhooks"), ("post", "/webhooks"),
    ("delete", "/webhooks/{webhook_id}"), ("post", "/webhooks/{webhook_id}/test"),
    ("get", "/webhooks/{webhook_id}/deliveries"),
}


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with local_client(app) as c:
        yield c


def err(resp: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    """Assert the one error shape and return its body."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "field", "details"}
    assert body["error"]["code"] == code
    if field is not None:
        assert body["error"]["field"] == field
    assert body["error"]["message"]
    return body["error"]  # type: ignore[no-any-return]


def test_openapi_lists_exactly_the_tested_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    found = {(method, path.removeprefix(API)) for path, ops in spec["paths"].items()
             for method in ops}
    assert all(path.startswith(API) for path in spec["paths"])
    assert found == ROUTES


# --- accounts ---------------------------------------------------------------------------------


def test_accounts_create_list_show_and_page(client: TestClient) -> None:
    for name in ("Beta Ltd", "Acme Corp", "Gamma SA"):
        r = client.post(f"{API}/accounts", json={"name": name, "country": "fr"})
        assert r.status_code == 201
        assert r.json()["country"] == "FR"
    first = client.get(f"{API}/accounts", params={"limit": 2}).json()
    assert [a["name"] for a in first["items"]] == ["Acme Corp", "Beta Ltd"]
    assert first["next_offset"] == 2
    rest = client.get(f"{API}/accounts", params={"limit": 2, "offset": 2}).json()
    assert [a["name"] for a in rest["items"]] == ["Gamma SA"] and rest["next_offset"] is None
    found = client.get(f"{API}/accounts", params={"q": "amm"}).json()["items"]
    assert [a["name"] for a in found] == ["Gamma SA"]
    one = client.get(f"{API}/accounts/{found[0]['id']}").json()
    assert one["account"]["name"] == "Gamma SA" and one["contacts"] == [] and one["rejections"] == 0


@pytest.mark.parametrize(("body", "field"), [
    ({}, "name"),
    ({"name": "   "}, "name"),
    ({"name": "X", "employees": 0}, "employees"),
    ({"name": "X", "timezone": "Mars/Olympus"}, "timezone"),
    ({"name": "X", "country": "France"}, "country"),
    ({"name": "X", "fiscal_year_start": 13}, "fiscal_year_start"),
    ({"name": "X", "colour": "red"}, "colour"),
])
def test_account_bad_input_names_the_field(client: TestClient, body: dict[str, Any],
                                           field: str) -> None:
    err(client.post(f"{API}/accounts", json=body), 422, "invalid_input", field)


def test_bad_json_and_bad_paging_are_422(client: TestClient) -> None:
    r = client.post(f"{API}/accounts", content=b"{not json", headers={"content-type":
                                                                      "application/json"})
    err(r, 422, "invalid_input")
    err(client.get(f"{API}/accounts", params={"limit": 0}), 422, "invalid_input", "limit")
    err(client.get(f"{API}/accounts", params={"offset": -1}), 422, "invalid_input", "offset")
    err(client.get(f"{API}/accounts/99999999999999999999"), 422, "invalid_input", "account_id")


def test_unknown_things_are_404_in_the_same_shape(client: TestClient) -> None:
    err(client.get(f"{API}/accounts/424242"), 404, "not_found", "account")
    err(client.get(f"{API}/no-such-route"), 404, "not_found")
    err(client.put(f"{API}/accounts"), 405, "method_not_allowed")


# --- contacts and do-not-contact --------------------------------------------------------------


def test_contacts_create_filter_show(client: TestClient, data: Seed) -> None:
    r = client.post(f"{API}/contacts", json={"name": "Kim Park", "account_id": data.account_id,
                                             "role": "Decision Maker", "email": "kim@acme.example"})
    assert r.status_code == 201 and r.json()["role"] == "decision_maker"
    listed = client.get(f"{API}/contacts", params={"account_id": data.account_id}).json()
    assert {c["name"] for c in listed["items"]} == {"Dana Lee", "Sam Ortiz", "Kim Park"}
    assert client.get(f"{API}/contacts", params={"q": "orti"}).json()["items"][0]["name"] \
        == "Sam Ortiz"
    shown = client.get(f"{API}/contacts/{data.contact_id}").json()
    assert shown["account_name"] == "Acme Corp" and shown["do_not_contact"] is False


def test_contact_bad_input(client: TestClient, data: Seed) -> None:
    err(client.post(f"{API}/contacts", json={"name": "X", "account_id": 999}), 404, "not_found")
    err(client.post(f"{API}/contacts", json={"name": "X", "account_id": data.account_id,
                                             "email": "not-an-email"}), 422, "invalid_input",
        "email")
    err(client.post(f"{API}/contacts", json={"name": "X", "account_id": data.account_id,
                                             "role": "boss"}), 422, "invalid_input", "role")
    err(client.post(f"{API}/contacts", json={"name": "X"}), 422, "invalid_input", "account_id")
    err(client.get(f"{API}/contacts/777"), 404, "not_found")


def test_dnc_is_final_and_refuses_touches(client: TestClient, data: Seed) -> None:
    client.post(f"{API}/rejections", json={"contact_id": data.contact_id, "label": "not_now",
                                           "checkback": "2027-01-04"})
    err(client.post(f"{API}/contacts/{data.contact_id}/dnc", json={"reason": "  "}), 422,
        "invalid_input", "reason")
    r = client.post(f"{API}/contacts/{data.contact_id}/dnc",
                    json={"reason": "asked us to stop"})
    assert r.status_code == 200 and r.json()["cancelled_followups"] >= 1
    assert client.get(f"{API}/contacts/{data.contact_id}").json()["do_not_contact"] is True
    assert [d["contact_id"] for d in client.get(f"{API}/dnc").json()["items"]] \
        == [data.contact_id]
    refused = err(client.post(f"{API}/touches", json={"contact_id": data.contact_id,
                                                      "channel": "call"}), 409, "do_not_contact")
    assert "asked us to stop" in refused["message"]
    inbound = client.post(f"{API}/touches", json={"contact_id": data.contact_id,
                                                  "channel": "email", "direction": "inbound"})
    assert inbound.status_code == 201
    assert data.contact_id not in [i["contact_id"] for i in client.get(
        f"{API}/agenda", params={"day": "2027-02-01"}).json()["items"]]
    assert client.get(f"{API}/contacts", params={"dnc": "false"}).json()["items"][0]["id"] \
        == data.other_contact_id


# --- deals ------------------------------------------------------------------------------------


def test_deals(client: TestClient, data: Seed) -> None:
    r = client.post(f"{API}/deals", json={"account_id": data.account_id, "offer": "Pilot",
                                          "stage": "cold-call", "value": "1200.50"})
    assert r.status_code == 201 and r.json()["stage"] == "cold_call"
    deal_id = r.json()["id"]
    assert client.get(f"{API}/deals/{deal_id}").json()["offer"] == "Pilot"
    lost = client.post(f"{API}/deals/{deal_id}/status", json={"status": "lost"}).json()
    assert lost["status"] == "lost" and lost["closed_at"] is not None
    assert [d["id"] for d in client.get(f"{API}/deals", params={"status": "lost"})
            .json()["items"]] == [deal_id]
    assert len(client.get(f"{API}/deals", params={"account_id": data.account_id})
               .json()["items"]) == 2
    err(client.post(f"{API}/deals/{deal_id}/status", json={"status": "gone"}), 422,
        "invalid_input", "status")
    err(client.post(f"{API}/deals", json={"account_id": data.account_id, "offer": "X",
                                          "value": -5}), 422, "invalid_input", "value")
    err(client.get(f"{API}/deals/9999"), 404, "not_found", "deal")
    err(client.get(f"{API}/deals", params={"status": "nope"}), 422, "invalid_input", "status")


# --- rejections, reading, touches, agenda -----------------------------------------------------


def test_log_rejection_schedules_the_checkback_on_the_agenda(client: TestClient,
                                                             data: Seed) -> None:
    r = client.post(f"{API}/rejections", json={
        "contact_id": data.contact_id, "deal_id": data.deal_id, "label": "no_budget",
        "checkback": "2027-01-01", "notes": "frozen until the new year"})
    assert r.status_code == 201, r.text
    rej = r.json()
    assert rej["label"] == "no_budget" and rej["label_source"] == "manual"
    # the whole plan is scheduled in the same call; the check-back they asked for among it
    checkback = [f for f in rej["followups"] if f["rule"] == "check-back"]
    assert [f["due"] for f in checkback] == ["2027-01-04"]  # Jan 1st is a holiday
    listed = client.get(f"{API}/rejections", params={"contact_id": data.contact_id}).json()
    assert [x["id"] for x in listed["items"]] == [rej["id"]]
    due = client.get(f"{API}/agenda", params={"day": "2027-01-06"}).json()["items"]
    assert ("Dana Lee", 2, "no_budget") in [
        (i["contact_name"], i["overdue_days"], i["label"]) for i in due]
    assert client.get(f"{API}/deals/{data.deal_id}").json()["status"] == "nurturing"


def test_rejection_bad_input(client: TestClient, data: Seed) -> None:
    err(client.post(f"{API}/rejections", json={"contact_id": data.contact_id}), 422,
        "invalid_input", "text")
    err(client.post(f"{API}/rejections", json={"contact_id": data.contact_id,
                                               "label": "meh"}), 422, "invalid_input", "label")
    err(client.post(f"{API}/rejections", json={"contact_id": 4040, "label": "price"}), 404,
        "not_found")
    err(client.post(f"{API}/rejections", json={"contact_id": data.contact_id, "label": "price",
                                               "checkback": "someday"}), 422, "invalid_input",
        "checkback")


@pytest.mark.skipif(not has_reader(), reason="the classifier (notnow.understand) is not built")
def test_understand_reads_without_storing(client: TestClient, data: Seed) -> None:
    r = client.post(f"{API}/understand", json={"text": "Please remove me from your list.",
                                               "contact_id": data.contact_id})
    assert r.status_code == 200, r.text
    assert r.json()["label"] == "do_not_contact"
    assert client.get(f"{API}/rejections").json()["items"] == []
    logged = client.post(f"{API}/rejections", json={"contact_id": data.contact_id,
                                                    "text": "Stop emailing me."}).json()
    assert logged["label"] == "do_not_contact" and logged["label_source"] == "model"
    assert client.get(f"{API}/contacts/{data.contact_id}").json()["do_not_contact"] is True


def test_understand_bad_input(client: TestClient) -> None:
    err(client.post(f"{API}/understand", json={"text": ""}), 422, "invalid_input", "text")
    err(client.post(f"{API}/understand", json={"text": "hi", "contact_id": 0}), 422,
        "invalid_input", "contact_id")


def test_touches_and_activity(client: TestClient, data: Seed) -> None:
    r = client.post(f"{API}/touches", json={"contact_id": data.contact_id, "channel": "call",
                                            "outcome": "voicemail"})
    assert r.status_code == 201 and r.json()["direction"] == "outbound"
    err(client.post(f"{API}/touches", json={"contact_id": data.contact_id,
                                            "channel": "pigeon"}), 422, "invalid_input",
        "channel")
    act = client.get(f"{API}/contacts/{data.contact_id}/activity").json()
    assert [(e["kind"], e["detail"]) for e in act["timeline"]] == [("touch", "voicemail")]
    assert act["caps"][0]["touches"] == 1 and act["caps"][0]["limit"] >= 1
    acc = client.get(f"{API}/accounts/{data.account_id}/activity").json()
    assert acc["touches"] == 1 and acc["last_touch"] is not None
    err(client.get(f"{API}/contacts/999/activity"), 404, "not_found")


def test_agenda_bad_input(client: TestClient) -> None:
    err(client.get(f"{API}/agenda", params={"day": "tomorrow"}), 422, "invalid_input", "day")
    err(client.get(f"{API}/agenda", params={"user_id": 0}), 422, "invalid_input", "user_id")


# --- me, users, tokens ------------------------------------------------------------------------


def test_me_is_the_owner_in_local_mode(client: TestClient) -> None:
    me = client.get(f"{API}/me").json()
    assert me["role"] == "admin" and me["team"] == [me["id"]]


def test_users_and_tokens(client: TestClient) -> None:
    r = client.post(f"{API}/users", json={"name": "Ari", "email": "Ari@Example.com",
                                          "role": "salesperson", "password": "long enough pw"})
    assert r.status_code == 201 and r.json()["email"] == "ari@example.com"
    assert "password" not in r.text and "hash" not in r.text
    err(client.post(f"{API}/users", json={"name": "Ari 2", "email": "ari@example.com"}), 409,
        "conflict", "email")
    err(client.post(f"{API}/users", json={"name": "B", "email": "b@example.com",
                                          "password": "short"}), 422, "invalid_input",
        "password")
    err(client.post(f"{API}/users", json={"name": "B", "email": "b@example.com",
                                          "role": "king"}), 422, "invalid_input", "role")
    assert len(client.get(f"{API}/users").json()["items"]) == 2
    assert client.post(f"{API}/users/{r.json()['id']}/disable").json()["active"] is False
    err(client.post(f"{API}/users/999/disable"), 404, "not_found")

    tok = client.post(f"{API}/tokens", json={"name": "sync"}).json()
    assert tok["token"].startswith("nn_")
    listed = client.get(f"{API}/tokens").json()
    assert [t["name"] for t in listed] == ["sync"] and "token" not in listed[0]
    bearer = {"authorization": f"Bearer {tok['token']}"}
    assert client.get(f"{API}/me", headers=bearer).status_code == 200
    assert client.delete(f"{API}/tokens/{tok['id']}").json()["revoked"] is True
    err(client.get(f"{API}/me", headers=bearer), 401, "authentication_failed")
    err(client.get(f"{API}/me", headers={"authorization": "Basic abc"}), 401,
        "authentication_failed", "authorization")
    err(client.delete(f"{API}/tokens/12345"), 404, "not_found")
    err(client.post(f"{API}/tokens", json={"name": ""}), 422, "invalid_input", "name")


# --- search, journal, playbook ----------------------------------------------------------------


def test_search(client: TestClient, data: Seed) -> None:
    client.post(f"{API}/rejections", json={"contact_id": data.other_contact_id,
                                           "label": "competitor_chosen",
                                           "competitor": "Trackly"})
    found = client.get(f"{API}/search", params={"q": "acme"}).json()
    assert [a["name"] for a in found["accounts"]] == ["Acme Corp"]
    assert {c["name"] for c in found["contacts"]} == {"Dana Lee", "Sam Ortiz"}  # by email
    assert [r["competitor"] for r in client.get(f"{API}/search", params={"q": "trackly"})
            .json()["rejections"]] == ["Trackly"]
    err(client.get(f"{API}/search"), 422, "invalid_input", "q")
    err(client.get(f"{API}/search", params={"q": "   "}), 422, "invalid_input", "q")


def test_journal_is_your_own(client: TestClient, data: Seed) -> None:
    r = client.post(f"{API}/journal", json={"text": "Lost Acme; I pushed too hard.",
                                            "feelings": "annoyed at myself",
                                            "account_id": data.account_id})
    assert r.status_code == 201
    entry = r.json()
    assert entry["account_name"] == "Acme Corp"
    assert [e["id"] for e in client.get(f"{API}/journal").json()["items"]] == [entry["id"]]
    assert client.get(f"{API}/journal/{entry['id']}").json()["feelings"] == "annoyed at myself"
    again = client.post(f"{API}/journal/{entry['id']}/reflect",
                        json={"reflection": "They came back in spring."}).json()
    assert again["reflection"] == "They came back in spring."
    err(client.post(f"{API}/journal", json={"text": ""}), 422, "invalid_input", "text")
    err(client.get(f"{API}/journal/999"), 404, "not_found")


def test_playbook(client: TestClient) -> None:
    pb = client.get(f"{API}/playbook").json()
    assert pb["settings"]["silence"]["attempts"] >= 1
    assert pb["rules"] and all("id" in r for r in pb["rules"])


# --- browser safety in local mode -------------------------------------------------------------


def test_local_mode_answers_only_loopback_hosts(app: Any) -> None:
    with local_client(app, base_url="http://evil.example") as other:
        err(other.get(f"{API}/me"), 400, "bad_host", "host")
    with local_client(app, base_url="http://localhost:8000") as local:
        assert local.get(f"{API}/me").status_code == 200


def test_cross_site_writes_are_refused(client: TestClient) -> None:
    r = client.post(f"{API}/accounts", json={"name": "Evil"},
                    headers={"origin": "http://evil.example"})
    err(r, 403, "permission_denied", "origin")
    r = client.post(f"{API}/accounts", json={"name": "Evil"},
                    headers={"sec-fetch-site": "cross-site"})
    err(r, 403, "permission_denied")
    assert client.get(f"{API}/accounts").json()["items"] == []
    ok = client.post(f"{API}/accounts", json={"name": "Fine"},
                     headers={"origin": LOCAL})
    assert ok.status_code == 201


# --- follow-ups, signals, plans ---------------------------------------------------------------


def _logged(client: TestClient, contact_id: int, label: str = "not_now") -> list[Any]:
    rej = client.post(f"{API}/rejections", json={"contact_id": contact_id, "label": label,
                                                 "checkback": "2026-11-24"}).json()
    return list(rej["followups"])


def _due_today(client: TestClient, contact_id: int, label: str = "not_now") -> int:
    return int(_logged(client, contact_id, label)[0]["id"])


def test_followup_done_snooze_skip(client: TestClient, data: Seed) -> None:
    plan = _logged(client, data.contact_id)
    back = next(f for f in plan if f["rule"] == "check-back")
    first, second = plan[0]["id"], back["id"]  # the thank-you today, the check-back
    assert back["due"] == "2026-11-24"  # as they asked: the thank-you does not push it out
    done = client.post(f"{API}/followups/{first}/done")
    assert done.status_code == 200 and done.json()["status"] == "done"
    err(client.post(f"{API}/followups/{first}/skip"), 409, "conflict")  # final
    activity = client.get(f"{API}/contacts/{data.contact_id}/activity").json()
    assert activity["caps"][0]["touches"] == 1  # done records the touch: the caps count it
    # the timeline shows the task done once: the follow-up, not the touch it recorded again
    assert [e["kind"] for e in activity["timeline"] if e["kind"] == "touch"
            or (e["kind"] == "followup" and e["ref_id"] == first)] == ["followup"]
    moved = client.post(f"{API}/followups/{second}/snooze", json={"to": "2027-01-02"})
    assert moved.json()["status"] == "snoozed" and moved.json()["due"] == "2027-01-04"
    err(client.post(f"{API}/followups/{second}/snooze", json={"to": "2027-01-03"}), 422,
        "invalid_input", "date")  # a snooze never brings it forward
    assert client.post(f"{API}/followups/{second}/skip").json()["status"] == "skipped"
    err(client.post(f"{API}/followups/9999/done"), 404, "not_found")
    err(client.post(f"{API}/followups/{second}/snooze", json={"to": "soon"}), 422,
        "invalid_input", "to")


def test_snooze_refuses_do_not_contact(client: TestClient, data: Seed) -> None:
    fid = _due_today(client, data.contact_id)
    client.post(f"{API}/signals", json={"contact_id": data.contact_id, "kind": "unsubscribed"})
    assert client.get(f"{API}/contacts/{data.contact_id}").json()["do_not_contact"] is True
    refused = client.post(f"{API}/followups/{fid}/snooze", json={"to": "2026-12-01"})
    assert refused.status_code == 409  # cancelled by the opt-out, and do-not-contact anyway


def test_signals(client: TestClient, data: Seed) -> None:
    r = client.post(f"{API}/signals", json={"contact_id": data.contact_id, "kind": "replied",
                                            "note": "asked for pricing"})
    assert r.status_code == 201 and r.json()["active"] is True
    err(client.post(f"{API}/signals", json={"contact_id": data.contact_id, "kind": "waved"}),
        422, "invalid_input", "kind")
    err(client.post(f"{API}/signals", json={"contact_id": 999, "kind": "replied"}), 404,
        "not_found")


def test_plan_show_and_accept(client: TestClient, data: Seed) -> None:
    rej = client.post(f"{API}/rejections", json={"contact_id": data.contact_id,
                                                 "label": "competitor_chosen",
                                                 "competitor": "Trackly"}, params={
                                                     "schedule": "false"}).json()
    assert rej["followups"] == []
    plan = client.get(f"{API}/rejections/{rej['id']}/plan").json()
    assert plan["steps"] and all(s["rule"] and s["why"] for s in plan["steps"])
    assert client.get(f"{API}/agenda", params={"day": "2027-12-31"}).json()["items"] == []
    accepted = client.post(f"{API}/rejections/{rej['id']}/plan").json()
    assert len(accepted["followups"]) == sum(s["scheduled"] for s in accepted["steps"]) >= 1
    err(client.get(f"{API}/rejections/4242/plan"), 404, "not_found")
    stop = client.post(f"{API}/rejections", json={"contact_id": data.other_contact_id,
                                                  "label": "do_not_contact"}).json()
    stopped = client.post(f"{API}/rejections/{stop['id']}/plan").json()
    assert stopped["stopped"] is True and stopped["followups"] == []


def test_report_and_proof(client: TestClient, data: Seed) -> None:
    client.post(f"{API}/rejections", json={"contact_id": data.contact_id, "label": "price"})
    rep = client.get(f"{API}/report").json()
    assert rep["kpis"] and "by_label" in rep["tables"]
    assert ["price", 1] in [row[:2] for row in rep["tables"]["by_label"]["rows"]]
    assert client.get(f"{API}/proof").json()["rejections"] == 1
    err(client.get(f"{API}/report", params={"since": "2099-01-01"}), 422, "invalid_input",
        "since")
    err(client.get(f"{API}/report", params={"user_id": 4242}), 404, "not_found")


def test_team_reading_setting(client: TestClient) -> None:
    assert client.get(f"{API}/visibility").json() == {"team_reading": False}
    assert client.put(f"{API}/visibility", json={"team_reading": True}).json() == {
        "team_reading": True}
    assert client.get(f"{API}/visibility").json() == {"team_reading": True}
    err(client.put(f"{API}/visibility", json={"team_reading": "sometimes"}), 422,
        "invalid_input", "team_reading")
    err(client.put(f"{API}/visibility", json={}), 422, "invalid_input", "team_reading")


def test_handover(client: TestClient, data: Seed) -> None:
    sam = client.post(f"{API}/users", json={"name": "Sam", "email": "sam@example.com"}).json()
    r = client.post(f"{API}/handover", json={"to_user_id": sam["id"],
                                             "account_id": data.account_id})
    assert r.status_code == 200, r.text
    assert (r.json()["accounts"], r.json()["contacts"], r.json()["to_user"]) == (1, 2, "Sam")
    err(client.post(f"{API}/handover", json={"to_user_id": sam["id"],
                                             "account_id": data.account_id}),
        422, "invalid_input", "to")  # Sam's already
    err(client.post(f"{API}/handover", json={"to_user_id": 0}), 422, "invalid_input",
        "to_user_id")
    err(client.post(f"{API}/handover", json={"to_user_id": 99999, "account_id": 1}), 404,
        "not_found", "to")
