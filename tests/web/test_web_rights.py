"""The pages and API for data rights, handing over, and the audit trail."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from actors import owner_of, user
from web_support import local_client, seed


def _csrf(c: TestClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/journal").text)
    assert found
    return found.group(1)


def test_export_erase_and_hand_over_from_the_pages(app: Any) -> None:
    ws = app.state.ws
    lee = user(ws, "Lee")
    data = seed(ws)
    with local_client(app, follow_redirects=False) as c:
        page = c.get(f"/contacts/{data.contact_id}").text
        assert 'id="export-link"' in page and 'id="erase-form"' in page
        assert 'id="audit-trail"' in page and "contact.created" not in page  # words, not codes
        assert "added the contact" in page
        export = c.get(f"/api/v1/contacts/{data.contact_id}/export", params={"format": "html"})
        assert export.status_code == 200 and "Dana Lee" in export.text
        assert "attachment" in export.headers["content-disposition"]
        token = _csrf(c)
        account = c.get(f"/accounts/{data.account_id}").text
        assert 'id="handover"' in account
        r = c.post(f"/accounts/{data.account_id}/handover", data={"to_user": lee.id,
                                                                  "csrf_token": token})
        assert r.status_code == 303
        assert c.get(f"/api/v1/contacts/{data.contact_id}").json()["owner_id"] == lee.id
        r = c.post(f"/contacts/{data.contact_id}/erase", data={"reason": "request",
                                                               "csrf_token": token})
        assert r.status_code == 303
        assert c.get(f"/api/v1/contacts/{data.contact_id}").status_code == 404
        trail = c.get("/api/v1/audit", params={"action": "contact.erased"}).json()["items"]
        assert trail and trail[0]["note"] == "request"


def test_the_api_refuses_what_the_role_may_not(app: Any) -> None:
    from notnow.services.team.auth import create_token

    ws = app.state.ws
    sam = user(ws, "Sam")
    data = seed(ws)
    token = create_token(ws, owner_of(ws), "t", user=sam.id).token
    with local_client(app) as c:
        h = {"authorization": f"Bearer {token}"}
        assert c.get(f"/api/v1/contacts/{data.contact_id}/export", headers=h).status_code == 404
        r = c.post(f"/api/v1/contacts/{data.contact_id}/erase", json={"reason": "x"}, headers=h)
        assert r.status_code == 403  # no salesperson erases, whoever's the contact
        r = c.post("/api/v1/handover", json={"to_user_id": sam.id,
                                             "account_id": data.account_id}, headers=h)
        assert r.status_code == 403
        assert c.get("/api/v1/audit", headers=h).status_code == 403
