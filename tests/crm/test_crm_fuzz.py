"""Hostile and broken files: whatever the bytes, reading gives a clear refusal or records and
row problems (file, line, why) — never a traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notnow.crm import RowProblem, Source, open_export
from notnow.errors import InvalidInput

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = sorted(p.name for p in FIXTURES.glob("*.csv"))
NASTY = [b'"', b'""', b",", b";", b"\t", b"\n", b"\r\n", b"\r", b"\x00", b"=HYPERLINK(\"x\")",
         b"+cmd|' /C calc'!A0", b"@SUM(1)", b"\xff\xfe", b"\xef\xbb\xbf", b"\xe9", b"\x81",
         b"\xc3", "ß€😀".encode(), b"9" * 40, b"1.23E+11", b"31/31/2024", b"-", b"TBD"]
HINTS = [None, *Source]


def _check(data: bytes, hint: Source | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzzed.csv"
        path.write_bytes(data)
        lines = data.count(b"\n") + data.count(b"\r") + 1
        try:
            f = open_export(path, source=hint)
        except InvalidInput as err:  # refused whole: says which file, and why
            assert "fuzzed.csv" in str(err) or err.field == "--from"
            return
        with f:
            assert f.describe()[0].startswith("fuzzed.csv: ")
            for item in f:
                if isinstance(item, RowProblem):
                    assert item.file == "fuzzed.csv" and item.why
                    assert 1 <= item.line <= lines
                    str(item)
                else:
                    assert 2 <= item.origin.line <= lines


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray((FIXTURES / draw(st.sampled_from(SAMPLES))).read_bytes())
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["insert", "delete", "truncate", "dupline", "column"]))
        at = draw(st.integers(0, len(data)))
        if op == "insert":
            data[at:at] = draw(st.sampled_from(NASTY) | st.binary(max_size=8))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        elif op == "truncate":
            del data[at:]
        elif op == "dupline":
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            data = bytearray(b"\n".join(lines))
        else:  # an extra or a missing column on one line
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] = lines[i] + b",extra" if draw(st.booleans()) else lines[i].rsplit(b",", 1)[0]
            data = bytearray(b"\n".join(lines))
    if draw(st.booleans()):  # the same text in another encoding
        try:
            data = bytearray(bytes(data).decode("utf-8").encode(
                draw(st.sampled_from(["cp1252", "utf-16", "utf-8-sig", "latin-1"]))))
        except (UnicodeDecodeError, UnicodeEncodeError):
            pass
    return bytes(data)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(), st.sampled_from(HINTS))
def test_mutated_exports_are_read_or_refused_clearly(data: bytes, hint: Source | None) -> None:
    _check(data, hint)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600), st.sampled_from(HINTS))
def test_arbitrary_bytes_are_read_or_refused_clearly(data: bytes, hint: Source | None) -> None:
    _check(b"Record ID,Deal Name,Deal Stage,Amount,Close Date\n" + data, hint)
    _check(data, hint)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=8), min_size=1,
                max_size=12))
def test_any_table_of_text_is_read_or_refused_clearly(table: list[list[str]]) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows([["Record ID", "First Name", "Email", "Unsubscribed from all "
                                "email"], *table])
    _check(buf.getvalue().encode("utf-8", "surrogatepass"), None)
