"""A big export is streamed, never held whole; and its lost reasons are what notnow reads."""

from __future__ import annotations

import tracemalloc
from datetime import date
from pathlib import Path

from notnow.core.model import DealStatus
from notnow.crm import CrmDeal, open_export, read_all


def test_reading_a_file_holds_a_few_rows_not_the_file(tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    reason = "We chose another vendor because " + "their price was lower and " * 80
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("Record ID,Deal Name,Deal Stage,Closed Lost Reason\r\n")
        for i in range(3000):
            fh.write(f'{i},Deal {i} – Süd,Closed Lost,"{reason}{i}"\r\n')
    size = path.stat().st_size
    assert size > 6_000_000
    with open_export(path) as f:  # warm: regexes compiled, modules imported
        next(iter(f))
    tracemalloc.start()
    try:
        with open_export(path) as f:
            lost = sum(1 for r in f if isinstance(r, CrmDeal) and r.status is DealStatus.LOST)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert lost == 3000
    assert peak < 2_000_000 < size / 3, f"peak {peak:,} bytes for a {size:,}-byte file"


def test_lost_reasons_read_as_the_taxonomy_says(fixtures: Path) -> None:
    """What phase 2 hands to notnow.understand: the CRM's words for each lost deal."""
    from notnow.understand import analyze

    records, _ = read_all(fixtures / "hubspot-deals.csv")
    lost = {r.crm_id: r for r in records if isinstance(r, CrmDeal) and r.lost_reason}
    read = {crm_id: analyze(d.lost_reason or "", today=d.lost_on or date(2024, 7, 1))
            for crm_id, d in lost.items()}
    assert read["7001"].label == "competitor_chosen" and read["7001"].competitor == "Trackwell"
    assert read["7002"].label == "no_budget" and read["7002"].checkback == date(2025, 4, 1)
    assert read["7005"].label == "do_not_contact"


def test_progress_is_told_in_bytes(tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text("Record ID,Deal Name\n" + "".join(f"{i},Deal {i}\n" for i in range(60000)))
    seen = []
    with open_export(path) as f:
        for n, _ in enumerate(f):
            if n % 20000 == 0:
                seen.append(f.bytes_read)
        seen.append(f.bytes_read)
        assert f.size == path.stat().st_size
    assert seen == sorted(seen) and seen[0] < seen[-1] == f.size
