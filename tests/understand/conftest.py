"""Fixtures for the understanding tests: the shared dev data, wherever it sits above the repo."""

from __future__ import annotations

from pathlib import Path

SHARED_DATA = next((p / "shared" / "data" for p in Path(__file__).resolve().parents
                    if (p / "shared" / "data" / "dev_rejections.jsonl").is_file()), None)
"""`shared/data` beside the repository (or beside a parent folder of it), if present."""
