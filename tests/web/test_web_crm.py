"""The import page and the imports API: the same service as `notnow import`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from web_support import local_client

API = "/api/v1"
FIXTURES = Path(__file__).parents[1] / "crm" / "fixtures"


@pytest.fixture
def client(config: Any, clock: Any) -> Iterator[TestClient]:
    from notnow.web import create_app

    app = create_app(config, clock=clock)
    with local_client(app, follow_redirects=False) as c:
        yield c
    app.state.ws.close()


def csrf(c: TestClient) -> str:
    found = re.search(r'"X-CSRF-Token": "([^"]+)"', c.get("/import").text)
    assert found
    return found.group(1)


def _files(*names: str) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (n, (FIXTURES / n).read_bytes(), "text/csv")) for n in names]


def test_the_page_previews_then_imports(client: TestClient) -> None:
    token = csrf(client)
    page = client.get("/import")
    assert page.status_code == 200 and 'type="file"' in page.text
    preview = client.post("/import/preview", data={"csrf_token": token},
                          files=_files("hubspot-companies.csv", "hubspot-contacts.csv"))
    assert preview.status_code == 200
    assert "What importing would do" in preview.text and "HubSpot contacts export" in preview.text
    assert "line 8" in preview.text  # the row with no name
    assert client.get(f"{API}/accounts").json()["items"] == []  # a preview stores nothing
    upload = re.search(r'name="token" value="([0-9a-f]{32})"', preview.text)
    assert upload
    done = client.post("/import", data={"csrf_token": token, "token": upload.group(1)})
    assert done.status_code == 200 and re.search(r"Imported \(import \d+\)", done.text)
    assert len(client.get(f"{API}/accounts").json()["items"]) == 4
    again = client.post("/import", data={"csrf_token": token, "token": upload.group(1)})
    assert again.status_code == 404  # the upload is gone once imported
    idle = client.get("/import/progress", params={"token": upload.group(1)})
    assert idle.status_code == 200 and 'hx-trigger="every 1s"' in idle.text
    assert "Importing" not in idle.text  # none running


def test_the_page_shows_how_far_an_import_is(client: TestClient) -> None:
    token = csrf(client)
    app = client.app
    app.state.imports_running = {(app.state.ws.owner_id, "a" * 32): (512, 2048)}  # type: ignore[attr-defined]
    shown = client.get("/import/progress", params={"token": "a" * 32})
    assert "Importing… 25%" in shown.text
    assert "Importing" not in client.get("/import/progress", params={"token": "b" * 32}).text
    assert token


def test_an_unknown_spreadsheet_asks_for_columns(client: TestClient) -> None:
    token = csrf(client)
    asked = client.post("/import/preview", data={"csrf_token": token},
                        files=_files("generic-losses.csv"))
    assert asked.status_code == 422 and "Column=field" in asked.text
    mapped = client.post("/import/preview", files=_files("generic-losses.csv"), data={
        "csrf_token": token, "maps": "Kunde=account.name\nProjekt=deal.title\n"
        "Warum verloren=lost_reason\nErgebnis=deal.status"})
    assert mapped.status_code == 200 and "would do" in mapped.text


def test_the_api_imports_lists_and_undoes(client: TestClient) -> None:
    dry = client.post(f"{API}/imports", data={"dry_run": "true"},
                      files=_files("hubspot-deals.csv"))
    assert dry.status_code == 200 and dry.json()["batch_id"] is None
    done = client.post(f"{API}/imports", files=_files("hubspot-deals.csv"),
                       data={"source": "hubspot"})
    body = done.json()
    assert done.status_code == 200 and body["counts"]["deal"]["created"] == 5
    assert {(p["line"], p["column"]) for p in body["problems"]} == {(7, "Amount"), (7, None)}
    listed = client.get(f"{API}/imports").json()
    assert [i["id"] for i in listed] == [body["batch_id"]]
    undone = client.post(f"{API}/imports/{body['batch_id']}/undo")
    assert undone.status_code == 200 and undone.json()["deleted"]["deal"] == 5
    assert client.post(f"{API}/imports/{body['batch_id']}/undo").status_code == 409
    bad = client.post(f"{API}/imports", files=[("files", ("x.csv", b"\x00\x01", "text/csv"))])
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unreadable_file"
