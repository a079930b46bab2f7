"""The autopsy: questions, validation, counting, editing, and its CLI."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actors import as_id
from learning_facts import build
from notnow.core.autopsy import (
    QUESTION_KEYS,
    THEMED,
    Answers,
    autopsy_suggested,
    count_theme_groups,
    count_themes,
    count_winner_groups,
    count_winners,
    validate_answers,
)
from notnow.errors import InvalidInput, NotFound


def test_yes_no_answers_are_read_from_what_people_type() -> None:
    a = validate_answers({"listened_to_need": "No", "too_aggressive": "y",
                          "missed_timing": "skip", "winner": "  Rival  "})
    assert a.listened_to_need is False and a.too_aggressive is True
    assert a.missed_timing is None and a.winner == "Rival"
    assert a.themes() == ("did not listen to the need", "too aggressive")


@pytest.mark.parametrize(("data", "field"), [
    ({"listened_to_need": "maybe"}, "listened_to_need"),
    ({"mood": "bad"}, "mood"),
    ({}, QUESTION_KEYS[0]),
    ({"do_differently": "x" * 5000}, "do_differently"),
])
def test_bad_answers_name_the_question(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        validate_answers(data)
    assert err.value.field == field


def test_editing_keeps_what_was_not_given() -> None:
    first = validate_answers({"listened_to_need": "no", "winner": "Rival"})
    edited = validate_answers({"winner": None, "missed_events": "yes"}, base=first)
    assert edited.listened_to_need is False
    assert edited.winner is None and edited.missed_events is True


def test_themes_are_counted_over_answered_questions_only() -> None:
    answers = [Answers(listened_to_need=False, too_aggressive=True),
               Answers(listened_to_need=True, missed_timing=True),
               Answers(listened_to_need=False)]
    themes = {t.theme: (t.count, t.share) for t in count_themes(answers)}
    assert themes["did not listen to the need"] == (2, pytest.approx(0.6667))
    assert themes["too aggressive"] == (1, 1.0)
    assert themes["follow-up slipped"] == (0, 0.0)
    assert count_themes(answers)[0].theme == "did not listen to the need"
    assert count_winners(["Rival", "rival ", None, "  ", "Acme"]) == [("Rival", 2), ("Acme", 1)]


def test_an_autopsy_is_suggested_after_a_decision_against_us() -> None:
    assert autopsy_suggested("competitor_chosen", None)
    assert autopsy_suggested("gatekeeper", "lost")
    assert not autopsy_suggested("gatekeeper", "open")
    assert not autopsy_suggested("auto_reply", None)


def test_save_edit_and_suggest(ws: Any) -> None:
    from notnow.services.learning import autopsy as learning

    ids = build(ws)
    me = as_id(ws, ids["ana"])
    assert learning.suggest_autopsy(ws, me, ids["r1"])
    saved = learning.save_autopsy(ws, me, ids["r1"], {"listened_to_need": "no", "winner": "Rival"})
    assert saved.themes == ["did not listen to the need"]
    assert not learning.suggest_autopsy(ws, me, ids["r1"])
    edited = learning.save_autopsy(ws, me, ids["r1"], {"missed_timing": "yes"})
    assert edited.id == saved.id and edited.winner == "Rival" and edited.missed_timing is True
    assert edited.updated_at is not None
    me = as_id(ws, ids["mia"])  # their manager has her own autopsy of the same no, or none
    assert learning.get_autopsy(ws, me, ids["r1"]) is None
    me = as_id(ws, ids["ben"])  # another salesperson does not see Ana's no at all
    with pytest.raises(NotFound):
        learning.get_autopsy(ws, me, ids["r1"])


def test_cli_autopsy(cli: Any) -> None:
    from notnow.services.workspace import open_workspace

    ws = open_workspace()
    try:
        ids = build(ws)
    finally:
        ws.close()
    r = cli("autopsy", str(ids["r3"]), "--listened", "no", "--too-aggressive", "yes",
            "--winner", "Rival", "--json")
    assert r.code == 0, r.err
    assert r.json()["themes"] == ["did not listen to the need", "too aggressive"]  # type: ignore[index]
    r = cli("autopsy", str(ids["r3"]), "--show")
    assert r.code == 0 and "Rival" in r.out
    r = cli("autopsy", str(ids["r3"]), "--listened", "perhaps")
    assert r.code == 1 and "yes or no" in r.err
    assert cli("autopsy", "999").code == 1


yes_no = st.sampled_from([True, False, None])
names = st.sampled_from(["Rival", "rival ", " RIVAL", "Acme", "acme  cloud", "Acme Cloud",
                         None, "  ", "Globex"])


@given(st.lists(st.tuples(st.fixed_dictionaries({k: yes_no for k in THEMED}), names),
                max_size=30), st.randoms())
def test_counted_together_or_one_by_one_the_themes_and_winners_are_the_same(
        autopsies: list[tuple[dict[str, bool | None], str | None]], rnd: Any) -> None:
    """The report has the database group alike autopsies; counting the groups gives what
    counting each autopsy gives, whatever order they come in."""
    rows = [(Answers(**answers, winner=winner), winner) for answers, winner in autopsies]
    themes = Counter(tuple(sorted(answers.items())) for answers, _ in autopsies)
    winners = Counter(winner for _, winner in autopsies)
    theme_groups = [(dict(key), n) for key, n in themes.items()]
    winner_groups = list(winners.items())
    rnd.shuffle(theme_groups)
    rnd.shuffle(winner_groups)
    rnd.shuffle(rows)
    assert count_theme_groups(theme_groups) == count_themes(a for a, _ in rows)
    assert count_winner_groups(winner_groups) == count_winners(w for _, w in rows)
