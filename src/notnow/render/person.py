"""What is held about one person, as a self-contained, readable HTML page (the export a data
subject asked for). Everything is escaped; no script, no external resource."""

from __future__ import annotations

from html import escape
from typing import Any

SECTIONS = (("rejections", "What they said"), ("touches", "Every contact attempt"),
            ("signals", "What they did"), ("followups", "Follow-ups"), ("deals", "Deals"),
            ("mail", "Mail"), ("changes", "Changes recorded"))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        import json

        return escape(json.dumps(value, ensure_ascii=False))
    return escape(str(value))


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "<p>None.</p>"
    cols = list(dict.fromkeys(k for r in rows for k in r))
    head = "".join(f"<th>{escape(c)}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{_cell(r.get(c))}</td>" for c in cols) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def person_html(data: dict[str, Any]) -> str:
    """The export of :func:`notnow.services.team.privacy.export_contact`, readable."""
    c = data["contact"]
    facts = "".join(f"<tr><th>{escape(k)}</th><td>{_cell(v)}</td></tr>" for k, v in c.items())
    parts = [f"<section><h2>{escape(title)}</h2>{_table(data.get(key) or [])}</section>"
             for key, title in SECTIONS]
    suppressed = ("yes: they are never contacted again" if data.get("suppressed") else "no")
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>Data held about {escape(str(c.get('name')))}</title>"
        "<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem;max-width:70rem}"
        "table{border-collapse:collapse;margin:.5rem 0 1.5rem}"
        "th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}"
        "</style></head><body>"
        f"<h1>Data held about {escape(str(c.get('name')))}</h1>"
        f"<p>Exported {escape(str(data.get('exported_at', '')))} by "
        f"{escape(str(data.get('exported_by', '')))}. On the do-not-contact list: "
        f"{suppressed}.</p>"
        f"<table>{facts}</table>{''.join(parts)}"
        f"<p><small>{escape(str(data.get('left_out', '')))}</small></p></body></html>")
