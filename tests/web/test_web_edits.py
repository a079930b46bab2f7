"""PATCH, DELETE, restore and merge on /api/v1/{accounts,contacts,deals,rejections}/{id}, and
the trash (issue 14), in local mode on a real database."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from web_support import Seed, local_client

API = "/api/v1"


@pytest.fixture
def client(app: Any) -> TestClient:
    return local_client(app)


def test_patch_a_contact_and_the_duplicate_email_says_merge(client: TestClient,
                                                            data: Seed) -> None:
    r = client.patch(f"{API}/contacts/{data.contact_id}", json={"title": "CEO", "phone": "5"})
    assert r.status_code == 200, r.text
    assert r.json()["contact"]["title"] == "CEO" and r.json()["changed"] == ["title", "phone"]
    r = client.patch(f"{API}/contacts/{data.contact_id}", json={"email": "sam@acme.example"})
    assert r.status_code == 409
    assert "merge" in r.json()["error"]["message"]
    assert r.json()["error"]["field"] == "email"
    r = client.patch(f"{API}/contacts/{data.contact_id}", json={"name": ""})
    assert r.status_code == 422
    assert client.patch(f"{API}/contacts/999999", json={"title": "x"}).status_code == 404
    assert client.patch(f"{API}/contacts/{data.contact_id}", json={}).status_code == 422


def test_delete_and_restore_a_contact(client: TestClient, data: Seed) -> None:
    r = client.delete(f"{API}/contacts/{data.other_contact_id}")
    assert r.status_code == 200, r.text
    assert r.json()["entity"] == "contact" and r.json()["purge_after"]
    assert client.get(f"{API}/contacts/{data.other_contact_id}").status_code == 404
    trash = client.get(f"{API}/trash").json()["items"]
    assert [t["entity_id"] for t in trash] == [data.other_contact_id]
    r = client.post(f"{API}/contacts/{data.other_contact_id}/restore")
    assert r.status_code == 200 and r.json()["entity_id"] == data.other_contact_id
    assert client.get(f"{API}/contacts/{data.other_contact_id}").status_code == 200
    again = client.post(f"{API}/contacts/{data.other_contact_id}/restore")
    assert again.status_code == 404


def test_merge_contacts_accounts_and_deals(client: TestClient, data: Seed) -> None:
    r = client.post(f"{API}/contacts/{data.contact_id}/merge",
                    json={"other_id": data.other_contact_id})
    assert r.status_code == 200, r.text
    assert r.json()["kept"] == data.contact_id
    same = client.post(f"{API}/contacts/{data.contact_id}/merge",
                       json={"other_id": data.contact_id})
    assert same.status_code == 422
    other = client.post(f"{API}/accounts", json={"name": "Acme (dup)"}).json()
    r = client.post(f"{API}/accounts/{data.account_id}/merge", json={"other_id": other["id"]})
    assert r.status_code == 200, r.text
    extra = client.post(f"{API}/deals", json={"offer": "Fleet (again)",
                                              "account_id": data.account_id}).json()
    r = client.post(f"{API}/deals/{data.deal_id}/merge", json={"other_id": extra["id"]})
    assert r.status_code == 200, r.text
    assert client.get(f"{API}/deals/{extra['id']}").status_code == 404


def test_deal_patch_status_with_reason_delete_restore(client: TestClient, data: Seed) -> None:
    r = client.patch(f"{API}/deals/{data.deal_id}", json={"stage": "closing", "value": 5})
    assert r.status_code == 200 and r.json()["stage"] == "closing"
    r = client.post(f"{API}/deals/{data.deal_id}/status",
                    json={"status": "lost", "reason": "the price"})
    assert r.status_code == 200 and r.json()["lost_reason"] == "the price"
    assert client.delete(f"{API}/deals/{data.deal_id}").status_code == 200
    assert client.get(f"{API}/deals/{data.deal_id}").status_code == 404
    assert client.post(f"{API}/deals/{data.deal_id}/restore").status_code == 200
    assert client.get(f"{API}/deals/{data.deal_id}").json()["status"] == "lost"


def test_rejection_patch_delete_restore_and_account_too(client: TestClient,
                                                        data: Seed) -> None:
    rej = client.post(f"{API}/rejections", json={"contact_id": data.contact_id,
                                                 "label": "no_budget"}).json()
    r = client.patch(f"{API}/rejections/{rej['id']}", json={"competitor": "Rival",
                                                            "at": "2099-01-01T00:00:00Z"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "at"
    r = client.patch(f"{API}/rejections/{rej['id']}", json={"competitor": "Rival"})
    assert r.status_code == 200 and r.json()["competitor"] == "Rival"
    assert client.delete(f"{API}/rejections/{rej['id']}").status_code == 200
    assert client.post(f"{API}/rejections/{rej['id']}/restore").status_code == 200
    r = client.patch(f"{API}/accounts/{data.account_id}", json={"name": "Acme Corporation"})
    assert r.status_code == 200 and r.json()["name"] == "Acme Corporation"
    assert client.delete(f"{API}/accounts/{data.account_id}").status_code == 200
    assert client.get(f"{API}/contacts/{data.contact_id}").status_code == 404
    assert client.post(f"{API}/accounts/{data.account_id}/restore").status_code == 200
    assert client.get(f"{API}/contacts/{data.contact_id}").status_code == 200


# --- the pages ----------------------------------------------------------------------------------


def _csrf(client: TestClient, path: str) -> str:
    import re

    page = client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def test_the_contact_edit_form_keeps_what_was_typed_on_an_error(client: TestClient,
                                                                 data: Seed) -> None:
    token = _csrf(client, f"/contacts/{data.contact_id}/edit")
    form = {"csrf_token": token, "name": "Dana Lee-Park", "title": "CFO",
            "email": "sam@acme.example", "role": "decision_maker"}
    r = client.post(f"/contacts/{data.contact_id}/edit", data=form, follow_redirects=False)
    assert r.status_code == 422
    assert 'value="Dana Lee-Park"' in r.text and 'value="CFO"' in r.text  # kept
    assert 'id="e-email"' in r.text and "merge them" in r.text  # said next to the field
    form["email"] = "dana.lee@acme.example"
    r = client.post(f"/contacts/{data.contact_id}/edit", data=form, follow_redirects=False)
    assert r.status_code == 303
    shown = client.get(f"/contacts/{data.contact_id}?saved=1")
    assert "Dana Lee-Park" in shown.text and "Saved." in shown.text


def test_delete_merge_restore_and_the_deal_page(client: TestClient, data: Seed) -> None:
    token = _csrf(client, f"/deals/{data.deal_id}")
    r = client.post(f"/deals/{data.deal_id}/status", data={
        "csrf_token": token, "status": "lost", "reason": "the price"}, follow_redirects=False)
    assert r.status_code == 303
    assert "the price" in client.get(f"/deals/{data.deal_id}").text
    r = client.post(f"/deals/{data.deal_id}/edit", data={
        "csrf_token": token, "offer": "Fleet tracking", "value": "lots", "currency": "USD",
        "stage": "proposal"}, follow_redirects=False)
    assert r.status_code == 422 and 'value="lots"' in r.text
    r = client.post(f"/contacts/{data.contact_id}/merge", data={
        "csrf_token": token, "other": "sam@acme.example"}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get(f"/contacts/{data.other_contact_id}").status_code == 404
    r = client.post(f"/contacts/{data.contact_id}/delete", data={"csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/trash")
    trash_page = client.get("/trash?deleted=contact")
    assert "Dana Lee" in trash_page.text and "Restore" in trash_page.text
    r = client.post(f"/trash/contact/{data.contact_id}/restore",
                    data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/contacts/{data.contact_id}"
    assert client.get(f"/accounts/{data.account_id}/edit").status_code == 200
