"""Rendering pages: the Jinja environment, its filters, and the context every page gets."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.responses import Response

from notnow import __version__
from notnow.web.auth import csrf_token, set_csrf_cookie

LABEL_NAMES = {
    "not_interested": "Not interested", "not_now": "Not now", "no_budget": "No budget",
    "price": "Price", "competitor_chosen": "Chose a competitor", "has_solution": "Has a solution",
    "no_need": "No need", "missing_capability": "Missing capability",
    "wrong_person": "Wrong person", "gatekeeper": "Gatekeeper", "no_authority": "No authority",
    "bad_experience": "Bad experience", "do_not_contact": "Do not contact",
    "auto_reply": "Auto-reply", "interested": "Interested",
}


def words(value: Any) -> str:
    """An enum value as words: decision_maker → Decision maker."""
    if value is None:
        return ""
    text = str(getattr(value, "value", value))
    if text in LABEL_NAMES:
        return LABEL_NAMES[text]
    return text.replace("_", " ").capitalize()


def day(value: date | datetime | None, today: date | None = None, *,
        year: bool = False) -> str:
    """A day in words: today, yesterday, tomorrow, else its date — with the year when it is
    another year's, or always with ``year`` (a timeline reaching back years)."""
    if value is None:
        return ""
    d = value.date() if isinstance(value, datetime) else value
    if today is not None:
        delta = (d - today).days
        if delta == 0:
            return "today"
        if delta == -1:
            return "yesterday"
        if delta == 1:
            return "tomorrow"
    if year:
        return d.strftime("%a %-d %b %Y")
    fmt = "%a %-d %b" if today is not None and d.year == today.year else "%-d %b %Y"
    return d.strftime(fmt)


def tel(value: str | None) -> str:
    """A phone number as a tel: link target: digits, with a leading + kept."""
    text = (value or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    return "+" + digits if text.startswith("+") else digits


def linkedin_url(value: str | None) -> str | None:
    """A LinkedIn profile as an https link (a bare name becomes /in/name); None for anything
    that is not LinkedIn's, so no other site or scheme is ever linked."""
    from urllib.parse import quote, urlsplit

    text = (value or "").strip()
    if not text:
        return None
    if "://" not in text and ("linkedin.com" in text.lower()):
        text = "https://" + text
    if "://" in text:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("https", "http") or not (
                host == "linkedin.com" or host.endswith(".linkedin.com")):
            return None
        return parts._replace(scheme="https").geturl()
    if any(ch in text for ch in "/: ?#"):
        return None
    return f"https://www.linkedin.com/in/{quote(text.lstrip('@'))}"


def sentence(value: str | None) -> str:
    """Capitalise the first letter only (keeps SAP, SSO… as written)."""
    text = value or ""
    return text[:1].upper() + text[1:]


def pct(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def highlight(text: str | None, evidence: Iterable[Any]) -> Markup:
    """The text, escaped, with each evidence span wrapped in <mark>."""
    if not text:
        return Markup("")
    spans = []
    for e in evidence:
        start = getattr(e, "start", None) if not isinstance(e, Mapping) else e.get("start")
        end = getattr(e, "end", None) if not isinstance(e, Mapping) else e.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            spans.append((start, end))
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        out.append(escape(text[pos:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def placeholders(text: str | None) -> Markup:
    """A playbook template with its {placeholders} shown as such (escaped otherwise)."""
    import re

    escaped = str(escape(text or ""))
    return Markup(re.sub(r"\{([a-z_]+)\}",
                         lambda m: f'<span class="ph">{m.group(1).replace("_", " ")}</span>',
                         escaped))


def make_templates(directory: Path, *, team: bool) -> Jinja2Templates:
    templates = Jinja2Templates(directory=directory)
    env = templates.env
    env.filters.update(words=words, day=day, pct=pct, highlight=highlight, sentence=sentence,
                       placeholders=placeholders, tel=tel, linkedin_url=linkedin_url)
    env.globals.update(version=__version__, team=team, label_names=LABEL_NAMES)
    env.trim_blocks = True
    env.lstrip_blocks = True
    # Templates are compiled once per process: no file check on every render. Someone editing
    # the templates sets NOTNOW_DEV=1 to see changes without a restart.
    env.auto_reload = os.environ.get("NOTNOW_DEV", "") == "1"
    return templates


def page(request: Request, name: str, context: dict[str, Any] | None = None, *,
         status_code: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """Render template `name` with the context every page needs."""
    ctx = {
        "request": request,
        "actor": getattr(request.state, "actor", None) or request.app.state.owner,
        "csrf": csrf_token(request),
        "path": request.url.path,
        "today": request.app.state.ws.today(),
    }
    ctx.update(context or {})
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code,
                                          headers=headers)
    set_csrf_cookie(request, response)
    return response
