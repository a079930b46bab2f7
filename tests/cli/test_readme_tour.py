"""The README's tour runs as written on a fresh workspace (issue 14).

The tour is what lies between ``<!-- tour -->`` and ``<!-- /tour -->`` in README.md: its
``sh`` blocks, one command per line (``;`` separates several), comments after ``#``. Each
command runs in-process, in order, in a fresh workspace (NOTNOW_HOME in a temporary folder)
from a folder that holds the repository's ``examples/`` — so a command that needs a file from
outside the repository, a tool a fresh Linux lacks (``pbpaste``) or an id the fresh workspace
does not have fails here. A pipe is allowed from ``cat FILE`` only (its file is read as
standard input). Every command must exit 0.

One concession to the suite's time budget: ``notnow teach`` retrains on a twelfth of the
shipped corpus (the same code path; the full corpus takes a minute or two).
"""

from __future__ import annotations

import io
import re
import shlex
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def tour_commands(readme: str) -> list[list[str]]:
    """The tour's commands, each as its words (a pipe from ``cat FILE`` as ``< FILE``)."""
    assert readme.count("<!-- tour -->") == 1 and readme.count("<!-- /tour -->") == 1
    tour = readme.split("<!-- tour -->", 1)[1].split("<!-- /tour -->", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", tour, flags=re.S)
    assert blocks, "the tour has sh blocks"
    commands: list[list[str]] = []
    for block in blocks:
        for line in block.splitlines():
            lexer = shlex.shlex(line, posix=True, punctuation_chars=";|<>&$`")
            lexer.whitespace_split = True
            lexer.commenters = "#"
            words: list[str] = []
            for token in [*lexer, ";"]:
                if token != ";":
                    words.append(token)
                    continue
                if words:
                    commands.append(_one(words, line))
                words = []
    return commands


def _one(words: list[str], line: str) -> list[str]:
    if "|" in words:
        i = words.index("|")
        assert words[:1] == ["cat"] and i == 2, f"only `cat FILE | notnow …` pipes: {line}"
        words = [*words[i + 1:], "<", words[1]]
    bad = {"&", "&&", ">", "$", "`", "$(", "|"} & set(words)
    assert not bad, f"no shell features but `;` and `cat FILE |` in the tour: {line}"
    assert words[0] == "notnow", f"every command is notnow's: {line}"
    return words


def test_the_tour_is_marked_and_has_no_pbpaste_nor_outside_files() -> None:
    readme = (ROOT / "README.md").read_text()
    commands = tour_commands(readme)
    assert len(commands) > 30
    flat = " ".join(" ".join(c) for c in commands)
    assert "pbpaste" not in flat and "../" not in flat
    for words in commands:
        for word in words:
            if word.startswith("examples/"):
                assert (ROOT / word).is_file(), word


@pytest.mark.slow
def test_the_readme_tour_runs_on_a_fresh_workspace(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import notnow.understand.build as build
    import notnow.understand.train as train_mod
    from notnow.cli.main import main

    small = build.shipped_examples()[::12]
    monkeypatch.setattr(build, "shipped_examples", lambda: small)
    monkeypatch.setattr(train_mod, "ITERATIONS", 40)
    work = tmp_path / "clone"
    work.mkdir()
    (work / "examples").symlink_to(EXAMPLES, target_is_directory=True)
    monkeypatch.chdir(work)
    monkeypatch.setenv("NOTNOW_HOME", str(tmp_path / "home"))
    for name in ("NOTNOW_DATABASE_URL", "NOTNOW_USER", "NOTNOW_NOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    failures = []
    for words in tour_commands((ROOT / "README.md").read_text()):
        stdin = "" if "<" not in words else (work / words[words.index("<") + 1]).read_text()
        args = words[1:words.index("<")] if "<" in words else words[1:]
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        capsys.readouterr()
        code = main(args)
        out = capsys.readouterr()
        if code != 0 or "Traceback" in out.err:
            failures.append(f"$ {shlex.join(words)}\n  exit {code}: {out.err.strip()[:400]}")
    assert failures == [], "\n".join(failures)
    assert (work / "followups.ics").is_file() and (work / "report.html").is_file()
