"""Lines a command prints: Rich on a terminal, plain text elsewhere, the same words either way.

`cli.output.strip_markup` is a fast copy of what Rich shows of a line with markup; it is
pinned to Rich here. Names and words from outside are escaped before they go into such a line
(`cli.output.escape`), so that a bracket in a name is shown as written and cannot stop a
command.
"""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from rich.errors import MarkupError
from rich.text import Text

from notnow.cli.output import PlainConsole, escape, strip_markup

MARKUPISH = st.text(st.sampled_from("[]\\/ab #@x1:é"), max_size=30)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _rich(line: str) -> str:
    """What Rich shows of a line with markup (its emoji codes left as they are, as the
    commands' console does)."""
    return Text.from_markup(line, emoji=False).plain


@given(MARKUPISH)
def test_plain_text_is_what_rich_shows_of_the_line(line: str) -> None:
    try:
        shown = _rich(line)
    except MarkupError:  # Rich refuses it (a closing tag with no opening one)
        assume(False)
    assert strip_markup(line) == shown


@given(MARKUPISH)
def test_escaped_text_is_shown_as_written_by_both(text: str) -> None:
    cases = {f"[bold]{escape(text)}[/bold] at [i]{escape(text)}[/i]": f"{text} at {text}"}
    if not text.endswith("\\"):  # the one case `escape` does not promise
        cases[f"from {escape(text)} (x): [bold]price[/bold]"] = f"from {text} (x): price"
    for line, expected in cases.items():
        assert _rich(line) == expected, line
        assert strip_markup(line) == expected, line


def test_the_plain_console_writes_one_line_and_shows_control_characters() -> None:
    out = io.StringIO()
    console = PlainConsole(out)
    console.print("[bold]Dana[/bold] said \x1b[31mno\x07, at length " + "x" * 200)
    console.print("[not markup] \x1b]0;title\x07", markup=False)
    lines = out.getvalue().split("\n")
    assert lines[0] == "Dana said \\x1b[31mno\\x07, at length " + "x" * 200
    assert lines[1] == "[not markup] \\x1b]0;title\\x07"
    assert lines[2:] == [""] and "\x1b" not in out.getvalue()


def test_the_plain_console_hands_a_table_to_rich(capsys: pytest.CaptureFixture[str]) -> None:
    from rich.table import Table

    table = Table("label", "count")
    table.add_row("price", "3")
    PlainConsole(io.StringIO()).print(table)
    shown = capsys.readouterr().out
    assert "label" in shown and "price" in shown


@pytest.fixture
def bracketed(cli):  # type: ignore[no-untyped-def]
    cli("account", "add", "Acme [/x] Ltd", "--country", "US", "--timezone", "America/New_York")
    cli("contact", "add", "Dana [/b] [bold]Ruiz", "--account", "acme", "--email",
        "dana@acme.com")
    return cli


@pytest.mark.parametrize("terminal", [False, True], ids=["plain", "rich"])
def test_a_name_with_brackets_is_printed_as_written(bracketed, terminal: bool,  # type: ignore[no-untyped-def]
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """`log`, `plan` and `contact export` print the names as written, in plain text and
    through Rich (a closing tag in a name stopped them, after the no was stored)."""
    if terminal:
        monkeypatch.setenv("FORCE_COLOR", "1")
    logged = bracketed("log", "--contact", "dana@acme.com", "--text",
                       "Budget is gone until April", "--yes")
    assert logged.code == 0, logged.err
    out = ANSI.sub("", logged.out)
    assert "from Dana [/b] [bold]Ruiz (Acme [/x] Ltd): no_budget" in out
    assert "— Dana [/b] [bold]Ruiz (Acme [/x] Ltd): no_budget" in out  # the plan's heading
    exported = bracketed("contact", "export", "dana@acme.com")
    assert exported.code == 0, exported.err
    assert "Dana [/b] [bold]Ruiz at Acme [/x] Ltd" in ANSI.sub("", exported.out)
    shown = bracketed("account", "show", "1")
    assert shown.code == 0, shown.err
    assert "Acme [/x] Ltd" in ANSI.sub("", shown.out)
