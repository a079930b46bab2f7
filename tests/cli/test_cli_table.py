"""The CLI's plain table writer (``cli.output.table``): fits the terminal, loses no text,
prints nothing a terminal would obey."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from notnow.cli.output import _printable, _width, _wrap, layout

WORDS = st.text(st.sampled_from("abcdefghij klm—éü漢字😀"), max_size=60)


@given(st.lists(st.tuples(WORDS, WORDS, WORDS), min_size=1, max_size=8),
       st.integers(40, 200))
def test_a_table_fits_its_width_and_keeps_every_word(rows: list[tuple[str, str, str]],
                                                     width: int) -> None:
    text = layout(["id", "name", "words"], rows, width)
    lines = text.splitlines()
    assert all(_width(line) <= width for line in lines), text
    # every character of every cell is there, none added (the header and rule are two lines)
    body = "".join(lines[2:]).replace(" ", "")
    assert Counter(body) == Counter("".join("".join(row) for row in rows).replace(" ", ""))


def test_a_one_column_table_reads_back_as_its_cells() -> None:
    text = layout(["words"], [["the quick brown fox jumps"], ["over"]], 14)
    assert text.splitlines() == ["words", "-" * 14, "the quick", "brown fox", "jumps", "",
                                 "over"]


@given(WORDS, st.integers(1, 30))
def test_wrapping_breaks_at_spaces_and_folds_only_long_words(text: str, width: int) -> None:
    lines = _wrap(text, width)
    assert all(_width(line) <= max(width, 2) for line in lines)  # a wide glyph takes two
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_wide_characters_take_two_cells_and_marks_none() -> None:
    assert _width("abc") == 3
    assert _width("漢字") == 4
    assert _width("e\u0301") == 1  # e and a combining acute accent


def test_control_characters_are_shown_not_obeyed(cli) -> None:  # type: ignore[no-untyped-def]
    """A name from a hostile file cannot clear the screen, move the cursor, retitle the
    terminal or turn the text around: the escapes are printed as text."""
    hostile = "Acme\x1b[2J\x1b]0;pwned\x07\u202eLtd"
    assert _printable(hostile) == "Acme\\x1b[2J\\x1b]0;pwned\\x07\\u202eLtd"
    assert cli("account", "add", hostile).code == 0
    r = cli("account", "list")
    assert r.code == 0, r.err
    assert "\x1b" not in r.out and "\u202e" not in r.out and "\x07" not in r.out
    assert "Acme\\x1b[2J" in r.out


def test_the_agenda_is_a_table_with_its_title(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo").code == 0
    r = cli("agenda")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].startswith("Agenda for ") and "ripest first" in lines[0]
    assert lines[1].split()[:4] == ["id", "due", "contact", "account"]
    assert set(lines[2].replace(" ", "")) == {"-"}
