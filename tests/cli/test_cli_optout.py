"""Do-not-contact and logging a no through the CLI, as a salesperson types them (issue 10).

Each test reproduces one finding of the issue through the command line and reads what the
database holds with plain SQL, so what it checks does not depend on any service's answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text


@pytest.fixture
def db(db_url: str) -> Iterator[Engine]:
    engine = create_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def seeded(cli):  # type: ignore[no-untyped-def]
    cli("account", "add", "Acme Corp", "--country", "FR", "--timezone", "Europe/Paris")
    cli("contact", "add", "Dana Ruiz", "--account", "acme", "--email", "dana.ruiz@acme.com",
        "--phone", "+33 1 23 45 67 89")
    return cli


def _open_followups(db: Engine, contact_id: int) -> list[Any]:
    with db.connect() as conn:
        return list(conn.execute(text(
            "SELECT id, due, channel, status FROM followups WHERE contact_id = :c "
            "AND status IN ('due', 'snoozed') ORDER BY due, id"), {"c": contact_id}))


def test_adding_an_opted_out_person_again_gives_a_do_not_contact_contact(seeded, db) -> None:  # type: ignore[no-untyped-def]
    cli = seeded
    assert cli("dnc", "dana", "--reason", "asked on the phone").code == 0
    again = cli("contact", "add", "D. Ruiz", "--account", "acme", "--email",
                " Dana.Ruiz@ACME.com ", "--json")
    assert again.code == 0, again.err
    new = again.json()
    assert new["do_not_contact"] is True
    shown = cli("contact", "show", str(new["id"]), "--json").json()
    assert shown["dnc_source"] == "suppression"
    assert "Dana" not in (shown["dnc_reason"] or "") and "Ruiz" not in (shown["dnc_reason"] or "")
    touch = cli("touch", str(new["id"]), "--channel", "email")
    assert touch.code == 1 and "do-not-contact" in touch.err
    assert "Dana Ruiz" not in touch.err  # whose record suppressed it is not revealed
    cli("log", "--contact", str(new["id"]), "--label", "not_now", "--text", "Try me in April",
        "--yes")
    assert _open_followups(db, new["id"]) == []


def test_opt_out_words_logged_under_another_label_are_refused(seeded, db) -> None:  # type: ignore[no-untyped-def]
    cli = seeded
    words = "Please remove me from your mailing list."
    refused = cli("log", "--contact", "dana", "--label", "not_now", "--text", words, "--yes")
    assert refused.code == 1
    assert "opt-out" in refused.err and "--not-opt-out" in refused.err
    with db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM rejections")).scalar() == 0
    assert _open_followups(db, 1) == []
    assert cli("contact", "show", "dana", "--json").json()["do_not_contact"] is False


def test_a_confirmed_override_is_recorded_on_the_rejection_and_in_the_trail(seeded, db) -> None:  # type: ignore[no-untyped-def]
    cli = seeded
    why = "she asked to leave the newsletter only; we spoke on the phone after"
    out = cli("log", "--contact", "dana", "--label", "not_now", "--text",
              "Please remove me from your mailing list.", "--not-opt-out", why, "--yes",
              "--json")
    assert out.code == 0, out.err
    rej = out.json()
    assert rej["label"] == "not_now" and rej["override_reason"] == why
    with db.connect() as conn:
        notes = list(conn.execute(text(
            "SELECT note FROM audit_events WHERE action = 'rejection.logged' "
            "AND entity_id = :r"), {"r": rej["id"]}).scalars())
    assert notes and why in notes[0]
    assert cli("contact", "show", "dana", "--json").json()["do_not_contact"] is False


def test_five_try_me_in_april_logs_give_one_check_back_within_the_caps(seeded, db) -> None:  # type: ignore[no-untyped-def]
    cli = seeded
    for _ in range(5):
        result = cli("log", "--contact", "dana", "--text", "Not now, try me in April.", "--yes")
        assert result.code == 0, result.err
    due = _open_followups(db, 1)
    per_day = Counter(f.due for f in due)
    assert max(per_day.values()) == 1, due
    checkbacks = [f for f in due if str(f.due).startswith("2027-04")]
    assert len(checkbacks) == 1, due


def test_accepting_a_plan_again_changes_nothing(seeded, db) -> None:  # type: ignore[no-untyped-def]
    cli = seeded
    rej = cli("log", "--contact", "dana", "--label", "not_now", "--json").json()
    first = cli("plan", str(rej["id"]), "--accept", "--json")
    assert first.code == 0, first.err
    planned = _open_followups(db, 1)
    assert len(planned) >= 2
    assert cli("skip", str(planned[0].id)).code == 0
    again = cli("plan", str(rej["id"]), "--accept", "--json")
    assert again.code == 0, again.err
    now = _open_followups(db, 1)
    assert [f.id for f in now] == [f.id for f in planned[1:]]
    with db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM followups")).scalar() == len(planned)
