"""Reply drafts per label, rendered and tone-checked; the cooling-off rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from comeback_facts import ACCOUNT, TODAY, contact, rejection
from notnow.core.model import Label
from notnow.core.replies import PLACEHOLDERS, can_send_reply, render_reply, template_text
from notnow.errors import CoolingOff, DoNotContact

ANNA = contact()


@pytest.mark.parametrize("label", [lb for lb in Label if lb != Label.DO_NOT_CONTACT])
def test_every_label_has_a_calm_template(label: Label) -> None:
    draft = render_reply(label, contact=ANNA, account=ACCOUNT, sender="Sam Lee",
                         rejection=rejection(label, competitor="Flexport", capability="SSO"),
                         checkback=date(2027, 3, 1), today=TODAY)
    assert draft.tone.calm, draft.tone.summary()
    assert draft.subject and "Anna" in draft.body and "Sam Lee" in draft.body
    assert "$" not in draft.subject + draft.body  # every placeholder was filled


def test_templates_use_only_known_placeholders() -> None:
    import re

    for label in Label:
        if label == Label.DO_NOT_CONTACT:
            continue
        used = set(re.findall(r"\$(\w+)", template_text(label)))
        assert used <= PLACEHOLDERS, (label, used - PLACEHOLDERS)


def test_draft_content_follows_the_label() -> None:
    d = render_reply(Label.COMPETITOR_CHOSEN, contact=ANNA, account=ACCOUNT, sender="Sam",
                     rejection=rejection(Label.COMPETITOR_CHOSEN, competitor="Flexport"),
                     checkback=date(2027, 5, 3), today=TODAY)
    assert "Flexport" in d.body and "around May 2027" in d.body
    nn = render_reply(Label.NOT_INTERESTED, contact=ANNA, account=ACCOUNT, sender="Sam")
    assert "what makes you say so" in nn.body  # ask why for an unexplained no
    wp = render_reply(Label.WRONG_PERSON, contact=ANNA, account=ACCOUNT, sender="Sam",
                      rejection=rejection(Label.WRONG_PERSON, referral="Dana"))
    assert "Dana" in wp.body


def test_an_opt_out_gets_no_reply() -> None:
    with pytest.raises(DoNotContact, match="cannot draft a reply"):
        render_reply(Label.DO_NOT_CONTACT, contact=ANNA, account=ACCOUNT, sender="Sam")
    with pytest.raises(DoNotContact, match="since 2026-10-01"):
        render_reply(Label.NOT_NOW, contact=contact(dnc=True), account=ACCOUNT, sender="Sam")


def test_custom_template_is_tone_checked() -> None:
    d = render_reply(Label.PRICE, contact=ANNA, account=ACCOUNT, sender="Sam",
                     template="Subject: Hi\nThis is your last chance, $first_name!!")
    assert not d.tone.calm and d.subject == "Hi"


def test_cooling_off() -> None:
    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with pytest.raises(CoolingOff) as caught:
        can_send_reply(at, at + timedelta(minutes=4), 10)
    assert "09:10" in str(caught.value) and "6 minutes" in str(caught.value)
    assert caught.value.details["ends_at"] == (at + timedelta(minutes=10)).isoformat()
    can_send_reply(at, at + timedelta(minutes=10), 10)
    can_send_reply(at, at, 0)
