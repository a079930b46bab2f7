"""A contact's page to work from: call, email and LinkedIn at the top (none for someone who is
do-not-contact), a timeline with years that lists a completed task once."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from actors import owner_of
from web_support import seed


def test_channels_at_the_top_and_links(client: TestClient, app: Any) -> None:
    from notnow.services.capture.optout import mark_dnc
    from notnow.services.records.contacts import add_contact

    ws = app.state.ws
    data = seed(ws)
    kai = add_contact(ws, owner_of(ws), {"name": "Kai Berg", "email": "kai@acme.example",
                                         "phone": "+1 (312) 555-0188",
                                         "linkedin": "linkedin.com/in/kai-berg"},
                      account=data.account_id)
    html = client.get(f"/contacts/{kai.id}").text
    top = html.index('id="reach-links"')
    assert top < html.index('id="timeline"')  # before everything else on the page
    assert 'href="tel:+13125550188"' in html and 'href="mailto:kai@acme.example"' in html
    assert 'href="https://linkedin.com/in/kai-berg"' in html
    add_contact(ws, owner_of(ws), {"name": "Eve", "linkedin": "javascript:alert(1)"},
                account=data.account_id)
    eve = client.get("/pick/contacts", params={"q": "eve"}).text
    eve_id = re.search(r'data-id="(\d+)"', eve).group(1)  # type: ignore[union-attr]
    assert "javascript:" not in re.sub(r"<dd>javascript:alert\(1\)</dd>", "",
                                       client.get(f"/contacts/{eve_id}").text)
    mark_dnc(ws, owner_of(ws), kai.id, reason="asked to stop")
    html = client.get(f"/contacts/{kai.id}").text
    assert 'id="reach-links"' not in html and "tel:" not in html and "mailto:" not in html


def test_the_timeline_shows_years_and_a_done_task_once(client: TestClient, app: Any) -> None:
    from notnow.services.followups.actions import act
    from notnow.storage.tables import FollowUp

    ws = app.state.ws
    data = seed(ws)
    with ws.db.write() as s:
        row = FollowUp(contact_id=data.contact_id, account_id=data.account_id,
                       due=ws.today(), channel="call", purpose="call about the pilot",
                       status="due", owner_id=ws.owner_id, created_at=ws.now())
        s.add(row)
        s.flush()
        fid = row.id
    act(ws, owner_of(ws), fid, "done")
    html = client.get(f"/contacts/{data.contact_id}").text
    timeline = html[html.index('id="timeline"'):html.index("</ol>", html.index('id="timeline"'))]
    assert timeline.count("call about the pilot") == 1
    assert "outbound call" not in timeline  # the touch the done recorded is that same task
    assert str(ws.today().year) in timeline or "today" in timeline
