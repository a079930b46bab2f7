"""Reference customers: registered from an account or by hand, closest first."""

from __future__ import annotations

from typing import Any

import pytest

from actors import owner_of
from learning_facts import build
from notnow.errors import InvalidInput
from notnow.services.learning import autopsy as learning


def test_closest_references_for_an_account(ws: Any) -> None:
    build(ws)  # Acme: 30 people, retail, US, region West
    learning.add_reference(ws, owner_of(ws), {"name": "Tiny Shop", "country": "US", "employees": 25,
                                "industry": "retail", "may_name": True})
    learning.add_reference(ws, owner_of(ws),
                           {"name": "Far Bank", "country": "JP", "employees": 9000,
                                "industry": "finance"})
    learning.add_reference(ws, owner_of(ws),
                           {"name": "Big Retail", "country": "US", "employees": 9000,
                                "industry": "retail"})
    from_account = learning.add_reference(ws, owner_of(ws), {"may_name": True}, account="Gamma")
    assert (from_account.name, from_account.employees, from_account.industry) == (
        "Gamma", 5000, "finance")
    closest = learning.closest_for_account(ws, owner_of(ws), "Acme", n=2)
    assert [r.name for r in closest] == ["Tiny Shop", "Big Retail"]
    assert closest[0].mention == "Tiny Shop"
    assert any("similar size" in why for why in closest[0].reasons)
    assert closest[1].mention.startswith("a retail company")  # may not be named
    assert [r.name for r in learning.closest_for_account(ws, owner_of(ws), "Gamma")][0] != "Gamma"


def test_reference_input_is_checked(ws: Any) -> None:
    with pytest.raises(InvalidInput) as err:
        learning.add_reference(ws, owner_of(ws), {"name": "X", "country": "France"})
    assert err.value.field == "country"
    with pytest.raises(InvalidInput):
        learning.add_reference(ws, owner_of(ws), {"name": " "})


def test_cli_reference(cli: Any) -> None:
    r = cli("reference", "add", "Globex", "--country", "FR", "--employees", "300",
            "--industry", "retail", "--may-name")
    assert r.code == 0, r.err
    assert cli("reference", "list", "--json").json()[0]["name"] == "Globex"  # type: ignore[index]
    assert cli("account", "add", "Initech", "--country", "FR", "--employees", "250").code == 0
    r = cli("reference", "closest", "Initech", "--json")
    assert r.code == 0 and r.json()[0]["name"] == "Globex"  # type: ignore[index]
