"""Write the files notnow ships that are worked out from its own sources, read faster:

- `notnow/core/timehints_openings.py`: how each time-hint head pattern can start, read from
  the patterns (`notnow.core.timehints_lexicon.part_openings`);
- `notnow/core/playbook_default.json`: the default playbook's data, read from
  `playbook_default.yaml` (the file people read and edit), so that a command that uses the
  defaults does not import and run a YAML parser.

    python scripts/gen_shipped.py          # rewrite them after changing their sources
    python scripts/gen_shipped.py --check  # exit 1 when one is out of date

Tests (tests/core) fail when one is out of date.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "src" / "notnow" / "core"


def playbook_json() -> str:
    from notnow.core.playbook import default_playbook_text
    from notnow.core.playbook_loader import read_data

    return json.dumps(read_data(default_playbook_text(), "playbook_default.yaml"),
                      ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def openings() -> str:
    from notnow.core import timehints_lexicon as lex

    lines = ['"""How each time-hint head pattern can start: written by',
             "scripts/gen_shipped.py from the patterns (`timehints_lexicon.part_openings`); do",
             "not edit by hand.",
             '"""', "", "from __future__ import annotations", "",
             "PART_OPENINGS: dict[str, frozenset[str] | None] = {"]
    for name, part in zip(lex._HEAD_NAMES, lex.HEAD_PARTS, strict=True):
        found = lex.part_openings(part)
        if found is None:
            lines.append(f"    {name!r}: None,")
            continue
        lines.append(f"    {name!r}: frozenset({{")
        words = [repr(w) for w in sorted(found)]
        row = "       "
        for word in words:
            if len(row) + len(word) + 2 > 96:
                lines.append(row)
                row = "       "
            row += f" {word},"
        lines.append(row)
        lines.append("    }),")
    lines.append("}")
    return "\n".join(lines) + "\n"


FILES = {"timehints_openings.py": openings, "playbook_default.json": playbook_json}


def main() -> int:
    stale = 0
    for name, render in FILES.items():
        path, text = CORE / name, render()
        if "--check" not in sys.argv:
            path.write_text(text, "utf-8")
        elif not path.exists() or path.read_text("utf-8") != text:
            print(f"{path} is out of date: run python scripts/gen_shipped.py", file=sys.stderr)
            stale = 1
    return stale


if __name__ == "__main__":
    sys.exit(main())
