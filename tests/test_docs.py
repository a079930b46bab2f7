"""Everything a user can type or set is documented, and the docs match the code."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import gen_cli_docs  # noqa: E402


def test_every_command_has_help_with_an_example() -> None:
    missing = []
    for path, first, text in gen_cli_docs.commands():
        if not first:
            missing.append(f"{path}: no help")
        is_group = "Commands:" in text
        if not is_group and path != "notnow" and "Example:" not in text:
            missing.append(f"{path}: no example")
    assert missing == []


def test_cli_reference_is_up_to_date() -> None:
    current = (ROOT / "docs" / "cli.md").read_text()
    if current != gen_cli_docs.render():
        pytest.fail("docs/cli.md is out of date: run python scripts/gen_cli_docs.py")


def test_every_setting_is_in_the_readme() -> None:
    from notnow.settings import SETTINGS

    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, flags=re.M))
    assert documented == {s.env for s in SETTINGS}


def test_readme_has_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    for marker in ("<!-- run-command -->", "<!-- test-command -->"):
        block = readme.split(marker, 1)[1].split("```", 2)[1]
        assert block.strip().startswith("sh\n") and "pip install" in block
