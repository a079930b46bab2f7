"""Slot finders: competitor names, missing capabilities, referrals — precise, not eager."""

from __future__ import annotations

import pytest

from notnow.understand.slots import find_capability, find_competitor, find_referral


@pytest.mark.parametrize(("text", "name"), [
    ("Signed with HubSpot last week.", "HubSpot"),
    ("We went with a local company called Brightwave.", "Brightwave"),
    ("We chose Microsoft Dynamics 365 in the end.", "Microsoft Dynamics 365"),
    ("We are locked in with Salesforce until 2028.", "Salesforce"),
    ("we use monday.com already", "monday.com"),
    ("The contract went to Oracle.", "Oracle"),
    ("We decided to go with another provider.", None),
    ("We went with them because they were cheaper.", None),
    ("We signed with another vendor in May.", None),
])
def test_competitor(text: str, name: str | None) -> None:
    found = find_competitor(text)
    assert (found.value if found else None) == name
    if found:
        assert text[found.start:found.end] == name


@pytest.mark.parametrize(("text", "capability"), [
    ("Without SSO it's a non-starter.", "SSO"),
    ("We need payment screening.", "payment screening"),
    ("Does it support SAML? We need that.", "SAML"),
    ("Unless you add two-factor auth, we can't proceed.", "two-factor auth"),
    ("No API, no deal.", "API"),
    ("We need more time.", None),
    ("Can you do a discount?", None),
])
def test_capability(text: str, capability: str | None) -> None:
    found = find_capability(text)
    assert (found.value if found else None) == capability


@pytest.mark.parametrize(("text", "expected"), [
    ("You should speak with Maria Lopez, our COO.", ("Maria Lopez", None, "COO")),
    ("Email jane.doe@acme.example instead.", (None, "jane.doe@acme.example", None)),
    ("I'm forwarding this to Peter in Finance.", ("Peter", None, "Finance")),
    ("Try the IT director.", (None, None, "IT director")),
])
def test_referral(text: str, expected: tuple[str | None, str | None, str | None]) -> None:
    found = find_referral(text)
    assert found is not None
    assert (found.name, found.email, found.role) == expected


def test_no_referral_without_a_cue() -> None:
    assert find_referral("Not interested. Thanks, Dana.") is None
