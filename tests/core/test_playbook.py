"""The playbook: defaults from PRODUCT.md, validation errors with file and line, team overrides."""

from __future__ import annotations

import pytest

from comeback_facts import TODAY, signal
from notnow.core.model import Label, Role, SignalKind, Stage
from notnow.core.playbook import (
    Settings,
    Situation,
    StepKind,
    default_playbook,
    default_playbook_text,
    parse_playbook,
    team_playbook,
)
from notnow.errors import PlaybookInvalid


def test_defaults_encode_the_product_brief() -> None:
    s = default_playbook().settings
    assert (s.silence.attempts, s.silence.channels) == (9, 3)
    assert s.gatekeeper_conversations == 6
    assert s.cooling_off_minutes == 10
    assert s.checkback[Label.NOT_INTERESTED].days == 90
    assert s.checkback[Label.COMPETITOR_CHOSEN].months == 6
    assert s.checkback[Label.NO_NEED].months == 6
    assert s.checkback[Label.NO_BUDGET].at == "next_budget_year"
    assert s.checkback[Label.HAS_SOLUTION].at == "before_renewal"
    assert s.checkback[Label.MISSING_CAPABILITY].at == "capability_ships"
    assert (s.nurture.touches, s.nurture.per_days, s.nurture.no_unanswered_repeat) == (1, 30, True)


def test_shipped_yaml_matches_the_code_defaults() -> None:
    # The YAML documents the defaults; Settings() must say the same or one of them drifted.
    assert default_playbook().settings == Settings()


def test_every_rule_has_an_id_steps_and_a_why() -> None:
    pb = default_playbook()
    assert len({r.id for r in pb.rules}) == len(pb.rules) > 10
    assert all(step.why and step.purpose for r in pb.rules for step in r.steps)


def test_show_round_trips() -> None:
    pb = default_playbook()
    again = parse_playbook(pb.to_yaml(), file="shown.yaml")
    assert again.settings == pb.settings
    assert again.rules == pb.rules


def _error(text: str, *, team: bool = True) -> PlaybookInvalid:
    with pytest.raises(PlaybookInvalid) as caught:
        if team:
            team_playbook(text, file="team.yaml")
        else:
            parse_playbook(text, file="pb.yaml")
    return caught.value


def test_unknown_key_names_file_line_and_key() -> None:
    err = _error("settings:\n  silence:\n    attempts: 12\n    chanels: 4\n")
    assert (err.file, err.line, err.field) == ("team.yaml", 4, "settings.silence.chanels")
    assert "unknown key 'chanels'" in str(err)
    assert str(err).startswith("team.yaml, line 4")


def test_bad_value_points_at_its_line() -> None:
    err = _error("settings:\n  nurture:\n    touches: 1\n    per_days: 0\n")
    assert err.line == 4
    assert "greater than or equal to 1" in err.message


def test_bad_label_in_a_new_rule_names_the_rule_by_id() -> None:
    text = """
rules:
  - id: my-rule
    when:
      labels: [not_interested, maybe_later]
    steps:
      - {kind: thank, purpose: Thanks, why: Because}
"""
    err = _error(text)
    assert err.line == 5
    assert err.field == "rules[my-rule].when.labels[1]"
    assert "maybe_later" in err.message


def test_unknown_placeholder_is_reported() -> None:
    text = ("rules:\n  - id: x\n    steps:\n      - kind: thank\n"
            "        purpose: Hi {frist_name}\n        why: ok\n")
    err = _error(text, team=False)
    assert err.line == 5
    assert "{frist_name}" in err.message


def test_yaml_syntax_error_has_a_line() -> None:
    err = _error("settings:\n  silence: {attempts: 9\n  other: 1\n")
    assert err.file == "team.yaml" and err.line is not None and err.line >= 2
    assert "not valid YAML" in err.message


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("settings:\n  checkback:\n    not_now: {days: 3, months: 2}\n", "exactly one"),
        ("settings:\n  checkback:\n    do_not_contact: {days: 3}\n", "never gets a check-back"),
        ("settings:\n  quiet_periods:\n    - {name: x, start: '12-40', end: '01-02'}\n",
         "not a calendar date"),
        ("rules:\n  - {id: a, steps: [{kind: stop, purpose: p, why: w}]}\n"
         "  - {id: a, steps: [{kind: stop, purpose: p, why: w}]}\n", "used twice"),
        ("rules:\n  - {id: e, steps: [{kind: entry_point, purpose: p, why: w}]}\n", "target"),
        ("- just\n- a list\n", "mapping"),
    ],
)
def test_semantic_errors(text: str, needle: str) -> None:
    assert needle in _error(text, team=False).message


def test_team_override_merges_settings_and_rules() -> None:
    text = """
settings:
  silence: {attempts: 12}
  quiet_periods:
    - {name: year end, start: "12-24", end: "01-01"}
rules:
  - {id: step-back, enabled: false}
  - id: check-back
    when: {labels: [not_now]}
    steps:
      - {kind: checkback, purpose: "Call {first_name}", why: Promised}
  - id: team-extra
    when: {labels: [price]}
    steps:
      - {kind: opportunity, purpose: "Offer {offer}", why: Cheaper option}
"""
    base = default_playbook()
    pb = team_playbook(text, file="team.yaml")
    assert pb.settings.silence.attempts == 12
    assert pb.settings.silence.channels == 3  # untouched keys keep the default
    assert pb.settings.quiet_periods[0].name == "year end"
    step_back = pb.rule("step-back")
    assert step_back is not None and not step_back.enabled
    assert step_back.steps == base.rule("step-back").steps  # type: ignore[union-attr]
    replaced = pb.rule("check-back")
    assert replaced is not None and replaced.when.labels == (Label.NOT_NOW,)
    assert pb.rules[-1].id == "team-extra"
    assert len(pb.rules) == len(base.rules) + 1
    assert pb.files == ("playbook_default.yaml", "team.yaml")


def test_empty_override_is_the_default() -> None:
    assert team_playbook("", file="t.yaml").rules == default_playbook().rules
    assert team_playbook(None).settings == default_playbook().settings


def test_error_in_override_points_into_the_override() -> None:
    text = "# team\nrules:\n  - id: ask-why-unexplained\n    when: {stages: [lunch]}\n" \
           "    steps: [{kind: ask_why, purpose: p, why: w}]\n"
    err = _error(text)
    assert (err.file, err.line) == ("team.yaml", 4)


def test_default_text_is_the_shipped_file() -> None:
    assert "rules:" in default_playbook_text()


# --- matching ---------------------------------------------------------------------------------


def _ids(situation: Situation) -> set[str]:
    return {r.id for r in default_playbook().matching(situation)}


def test_rules_match_on_label_stage_and_size() -> None:
    late = _ids(Situation(TODAY, Label.NOT_INTERESTED, stage=Stage.PROPOSAL, employees=40))
    early = _ids(Situation(TODAY, Label.NOT_INTERESTED, stage=Stage.COLD_CALL, employees=40))
    assert "autopsy-late-stage" in late and "autopsy-late-stage" not in early
    assert "ask-why-unexplained" in early
    assert "check-back" in early
    big = _ids(Situation(TODAY, Label.NOT_INTERESTED, employees=900,
                         facts=frozenset({"other_contacts"})))
    assert "other-departments" in big
    assert "other-departments" not in early


def test_rules_match_on_role_and_facts() -> None:
    gk = _ids(Situation(TODAY, Label.WRONG_PERSON, role=Role.GATEKEEPER))
    assert "gatekeeper-role" in gk and "wrong-person-find-owner" in gk
    named = _ids(Situation(TODAY, Label.WRONG_PERSON, facts=frozenset({"referral"})))
    assert "named-referral" in named and "wrong-person-find-owner" not in named


def test_rules_match_on_signals_and_history() -> None:
    warm = Situation(TODAY, Label.NOT_NOW, signals=(
        signal(TODAY, SignalKind.REPLIED), signal(TODAY, SignalKind.VISITED)))
    assert "warming-up" in _ids(warm)
    old = Situation(TODAY, Label.NOT_NOW, signals=(
        signal(TODAY.replace(year=2025), SignalKind.REPLIED),
        signal(TODAY.replace(year=2025), SignalKind.VISITED)))
    assert "warming-up" not in _ids(old)
    again = Situation(TODAY, Label.NOT_INTERESTED,
                      previous_labels=(Label.NOT_INTERESTED, Label.NO_NEED))
    ids = _ids(again)
    assert "repeated-no" in ids and "light-nurture-after-not-interested" not in ids


def test_non_rejections_match_only_their_rules() -> None:
    ids = _ids(Situation(TODAY, Label.INTERESTED))
    assert ids == {"answer-interest"}
    assert all(
        StepKind.STOP not in {s.kind for s in r.steps} for r in default_playbook().rules
    )


@pytest.mark.parametrize("text", [
    None,  # the shipped playbook
    "version: 1\nsettings:\n  cooling_off_minutes: 45\n  silence:\n    chanels: 3\n",
    "settings:\n  a: [1, 2,\n  b: 3\n",  # not YAML
    "rules:\n  - id: x\n    when: {label: no_budget}\n  - &a {id: y}\n  - *a\n",
    "- just\n- a list\n", "", "# nothing\n",
])
def test_the_fast_yaml_reader_reads_what_the_plain_one_reads(text: str | None) -> None:
    """The playbook is read with libyaml's loader when PyYAML has it (it is read on every
    `notnow log`): the same data, the same lines, the same errors as the pure-Python one."""
    import yaml

    from notnow.core import playbook_loader
    from notnow.core.playbook import default_playbook_text

    source = default_playbook_text() if text is None else text

    def read(loader: object) -> object:
        saved = playbook_loader._LOADER
        playbook_loader._LOADER = loader
        try:
            return playbook_loader._load(source, "team.yaml")
        except PlaybookInvalid as exc:
            return (exc.file, exc.line, str(exc))
        finally:
            playbook_loader._LOADER = saved

    assert read(yaml.SafeLoader) == read(playbook_loader._LOADER)


def test_the_shipped_defaults_are_read_as_the_yaml_says() -> None:
    """`default_playbook` reads `playbook_default.json` (no YAML parser in a command that uses
    the defaults); it is the YAML's data, and the same playbook as the YAML gives."""
    import json
    from importlib import resources

    from notnow.core.playbook_loader import read_data

    shipped = resources.files("notnow.core").joinpath("playbook_default.json")
    assert json.loads(shipped.read_text("utf-8")) == read_data(default_playbook_text(), "x")
    from_yaml = parse_playbook(default_playbook_text(), file="playbook_default.yaml")
    assert default_playbook() == from_yaml


def test_the_files_worked_out_from_the_sources_are_up_to_date() -> None:
    """scripts/gen_shipped.py --check: rerun the script after changing the default playbook or
    a time-hint head pattern."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "gen_shipped.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
