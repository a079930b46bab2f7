"""Opening a file: encodings, delimiters, refusals, line numbers and the limits on values."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from notnow.crm import MAX_FIELD, RowProblem, UnreadableFile, open_export, read_all
from notnow.crm.textfile import detect_format

HEADER = "Record ID,Deal Name,Deal Stage,Closed Lost Reason\r\n"


def deals(tmp_path: Path, body: str, *, header: str = HEADER, encoding: str = "utf-8",
          name: str = "deals.csv") -> Path:
    path = tmp_path / name
    path.write_bytes((header + body).encode(encoding))
    return path


@pytest.mark.parametrize(("encoding", "said"), [
    ("utf-8", "encoding UTF-8"),
    ("utf-8-sig", "encoding UTF-8 with BOM"),
    ("utf-16", "encoding UTF-16 (with BOM)"),
    ("cp1252", "encoding Windows-1252 assumed"),
])
def test_encodings_are_read_and_said(tmp_path: Path, encoding: str, said: str) -> None:
    path = deals(tmp_path, "1,Kühlhaus – Süd,Closed Lost,Zu teuer für uns\r\n",
                 encoding=encoding)
    with open_export(path) as f:
        assert any(note.startswith(said) for note in f.notes), f.notes
        [deal] = list(f)
    assert deal.title == "Kühlhaus – Süd"  # type: ignore[union-attr]
    assert deal.lost_reason == "Zu teuer für uns"  # type: ignore[union-attr]


def test_a_late_bad_byte_decides_the_encoding_for_the_whole_file(tmp_path: Path) -> None:
    body = "".join(f"{i},Deal {i},Closed Lost,Prix élevé\r\n" for i in range(2000))
    path = deals(tmp_path, body, encoding="utf-8")
    path.write_bytes(path.read_bytes() + "2001,Café,Closed Lost,x\r\n".encode("cp1252"))
    records, problems = read_all(path)
    assert problems == []
    assert records[0].lost_reason == "Prix Ã©levÃ©"  # type: ignore[union-attr]
    assert records[-1].title == "Café"  # type: ignore[union-attr]


@pytest.mark.parametrize(("delimiter", "word"), [(",", "comma"), (";", "semicolon"),
                                                  ("\t", "tab")])
def test_the_delimiter_is_sniffed_and_said(tmp_path: Path, delimiter: str, word: str) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["Record ID", "Deal Name", "Deal Stage", "Closed Lost Reason"])
    writer.writerow(["7", "Deal, with comma", "Closed Lost", "Too pricey; sorry\tand late"])
    path = tmp_path / "deals.csv"
    path.write_text(buf.getvalue(), newline="")
    with open_export(path) as f:
        assert f.delimiter == delimiter
        assert any(word in n for n in f.notes)
        [deal] = list(f)
    assert deal.title == "Deal, with comma"  # type: ignore[union-attr]
    assert deal.lost_reason == "Too pricey; sorry and late"  # type: ignore[union-attr]


def test_excel_sep_line_is_honoured(tmp_path: Path) -> None:
    path = deals(tmp_path, "1;A;Closed Lost;x\r\n", header="sep=;\r\n" + HEADER.replace(",", ";"))
    with open_export(path) as f:
        assert f.delimiter == ";" and f.headers[0] == "Record ID"
        [deal] = list(f)
    assert deal.origin.line == 3  # type: ignore[union-attr]


@pytest.mark.parametrize(("content", "why"), [
    (b"", "the file is empty"),
    (b"\xef\xbb\xbf", "nothing but a byte-order mark"),
    (b"PK\x03\x04\x14\x00\x06\x00rest-of-a-workbook", "an .xlsx workbook"),
    (b"\x1f\x8b\x08\x00\x00\x00", "gzip"),
    (b"%PDF-1.7\n%binary", "PDF"),
    (b"Record ID,Name\x00\x00\x01\x02,x\n", "NUL bytes"),
    (bytes(range(1, 32)) * 50, "control characters"),
    (b"\n\n\n  \n", "no header line"),
])
def test_what_is_not_a_csv_is_refused_with_a_reason(tmp_path: Path, content: bytes,
                                                     why: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=why) as err:
        open_export(path)
    assert err.value.file == "export.csv"
    assert "export.csv" in str(err.value)


def test_a_folder_and_a_fifo_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="folder"):
        open_export(tmp_path)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(UnreadableFile, match="not a regular file"):
        open_export(fifo)
    with pytest.raises(UnreadableFile, match="no such file"):
        open_export(tmp_path / "missing.csv")


def test_line_numbers_are_physical_lines_across_embedded_newlines(tmp_path: Path) -> None:
    body = ('1,"First\nsecond\nthird line",Closed Lost,"Reason\r\non two lines"\r\n'
            "\r\n"
            "2,Next,Closed Lost,\r\n")
    records, problems = read_all(deals(tmp_path, body))
    assert problems == []
    assert [r.origin.line for r in records] == [2, 7]
    assert records[0].title == "First\nsecond\nthird line"  # type: ignore[union-attr]
    assert records[0].lost_reason == "Reason\non two lines"  # type: ignore[union-attr]


def test_a_ten_megabyte_value_refuses_its_row_only(tmp_path: Path) -> None:
    big = "x" * (10 * 1024 * 1024)
    body = f"1,Before,Closed Lost,a\r\n2,{big},Closed Lost,b\r\n3,After,Closed Lost,c\r\n"
    records, problems = read_all(deals(tmp_path, body))
    assert [r.crm_id for r in records] == ["1", "3"]
    [problem] = problems
    assert problem.line == 3 and "longer than" in problem.why


def test_a_ten_megabyte_quoted_value_over_many_lines_refuses_its_row(tmp_path: Path) -> None:
    big = ("y" * 1000 + "\n") * (MAX_FIELD // 1000 + 50)
    body = f'1,Before,Closed Lost,a\r\n2,"{big}",Closed Lost,b\r\n3,After,Closed Lost,c\r\n'
    records, problems = read_all(deals(tmp_path, body))
    assert records[0].crm_id == "1"
    assert problems and problems[0].line == 3
    assert "longer than" in problems[0].why


def test_a_file_cut_inside_quotes_says_where(tmp_path: Path) -> None:
    body = '1,Fine,Closed Lost,ok\r\n2,"Cut short,Closed Lost,never closed\r\n'
    records, problems = read_all(deals(tmp_path, body))
    assert [r.crm_id for r in records] == ["1"]
    [problem] = problems
    assert problem.line == 3 and "ends inside a quoted value" in problem.why


def test_a_stray_quote_is_a_row_problem_and_the_next_row_is_read(tmp_path: Path) -> None:
    body = '1,"Quoted" then text,Closed Lost,x\r\n2,Good,Closed Lost,y\r\n'
    records, problems = read_all(deals(tmp_path, body))
    assert [r.crm_id for r in records] == ["2"]
    assert problems[0].line == 2 and "quote is out of place" in problems[0].why


def test_a_nul_byte_in_a_later_row_refuses_that_row(tmp_path: Path) -> None:
    body = "".join(f"{i},Deal {i},Closed Lost,x\r\n" for i in range(3000))
    body += "9999,Bad\x00row,Closed Lost,x\r\n1,Last,Closed Lost,x\r\n"
    records, problems = read_all(deals(tmp_path, body))
    assert len(records) == 3001
    [problem] = problems
    assert problem.line == 3002 and "NUL" in problem.why


def test_rows_with_too_many_or_too_few_values(tmp_path: Path) -> None:
    body = "1,A,Closed Lost,x,extra\r\n2,B,Closed Lost\r\n3,C,Closed Lost,x,,\r\n"
    records, problems = read_all(deals(tmp_path, body))
    assert [r.crm_id for r in records] == ["3"]  # trailing empty cells are harmless
    assert [(p.line, p.why.split(",")[0]) for p in problems] == [
        (2, "the row has 5 values"), (3, "the row has 3 values")]


def test_detect_format_reads_only_the_head_for_the_delimiter(tmp_path: Path) -> None:
    path = deals(tmp_path, "1;2;3\r\n" * 10)
    fmt = detect_format(path, "deals.csv")
    assert fmt.delimiter == "," and fmt.encoding == "utf-8"


def test_problems_print_file_line_column_and_why() -> None:
    p = RowProblem("deals.csv", 12, "not an amount — the value is left out", "Amount", "TBD")
    assert str(p) == ("deals.csv, line 12, column 'Amount': not an amount — the value is left "
                      "out (value 'TBD')")


def test_a_header_that_is_not_one_is_refused(tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(3000)) + "\n1\n")
    with pytest.raises(UnreadableFile, match="3,000 columns"):
        open_export(wide)
    blob = tmp_path / "blob.csv"
    blob.write_text("x" * 800 + ",y\n1,2\n")
    with pytest.raises(UnreadableFile, match="not a header row"):
        open_export(blob)


def test_old_mac_line_ends_are_lines(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b"Record ID,Deal Name,Deal Stage\r1,A,Closed Lost\r2,B,Closed Won\r")
    records, problems = read_all(path)
    assert problems == [] and [r.origin.line for r in records] == [2, 3]


def test_a_utf8_file_cut_inside_a_character_stays_utf8(tmp_path: Path) -> None:
    path = deals(tmp_path, "1,Café Süd,Closed Lost,Trop chér\r\n2,Zoë,Closed Lost,é")
    path.write_bytes(path.read_bytes()[:-1])  # half of the last "é"
    with open_export(path) as f:
        assert any("ends inside a character" in n for n in f.notes)
        records = [r for r in f if not isinstance(r, RowProblem)]
    assert records[0].title == "Café Süd"  # type: ignore[union-attr]
    assert records[1].lost_reason == "\ufffd"  # type: ignore[union-attr]
