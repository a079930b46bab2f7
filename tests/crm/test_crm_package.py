"""`notnow.crm` is a curated package: what it exports is pinned here, and it does no I/O of
its own but the files it is given (no database, no network)."""

from __future__ import annotations

import ast
from pathlib import Path

import notnow.crm

PACKAGE = Path(notnow.crm.__file__).parent


def test_exported_members_are_the_curated_ones() -> None:
    assert len(set(notnow.crm.__all__)) == len(notnow.crm.__all__)
    for name in notnow.crm.__all__:
        assert getattr(notnow.crm, name) is not None
    assert {"open_export", "CrmFile", "RowProblem", "parse_map", "MappingMemory",
            "write_files", "Outcome", "TouchOut"} <= set(notnow.crm.__all__)


def test_the_package_imports_no_storage_services_or_interfaces() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(("notnow.storage", "notnow.services", "notnow.web",
                                            "notnow.cli", "sqlalchemy", "httpx")), (path, name)
