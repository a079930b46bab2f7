"""Rendering the report: a self-contained HTML file with SVG charts, CSV files, a fragment.

The HTML has no external resource (no script, no font, no image file): it can be mailed or
opened from a shared folder. `write_csv` writes every table of the report, one file each, every
cell made safe for spreadsheets (`notnow.render.spreadsheet`). The files are written readable by
their owner only (they name people and quote prospects); share them on purpose.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from notnow.core import analytics as A
from notnow.errors import InvalidInput
from notnow.render import charts as C
from notnow.render import spreadsheet
from notnow.services.learning.report_tables import STAGES, pct
from notnow.services.learning.reports import Report
from notnow.storage.files import open_private

TEMPLATES = Path(__file__).parent / "report_templates"
RATE_COLUMNS = {"share", "rate", "later_yes_rate", "share_of_rejections", "cumulative_share"}
WIDE = 1100
MANAGER_TABLES = ("pesters", "gives_up_early", "autopsy_themes", "autopsy_winners")


def charts_for(report: Report) -> dict[str, str]:
    """Every chart of the report, as SVG strings keyed by name."""
    t = report.tables
    out: dict[str, str] = {}
    for name in ("by_label", "by_stage", "by_channel", "by_size", "by_region", "by_industry",
                 "by_competitor", "by_salesperson"):
        if name in t:
            items = [(r[0], r[1]) for r in t[name].rows]
            if name == "by_competitor":  # the chart is about who: leave out "none named"
                items = [(k, v) for k, v in items if k != A.UNKNOWN]
            out[name] = C.hbar(items, title=t[name].title)
    if "label_by_stage" in t:
        tb = t["label_by_stage"]
        out["label_by_stage"] = C.heatmap([r[0] for r in tb.rows], list(STAGES),
                                          [r[1:] for r in tb.rows], title=tb.title,
                                          width=WIDE)
    if "label_by_size" in t:
        tb = t["label_by_size"]
        out["label_by_size"] = C.heatmap([r[0] for r in tb.rows], list(A.SIZE_ORDER),
                                         [r[1:] for r in tb.rows], title=tb.title,
                                         width=WIDE)
    if "label_by_salesperson" in t:
        tb = t["label_by_salesperson"]
        out["label_by_salesperson"] = C.heatmap([r[0] for r in tb.rows], tb.columns[1:],
                                                [r[1:] for r in tb.rows], title=tb.title,
                                                width=WIDE)
    if "trend_monthly" in t:
        tb = t["trend_monthly"]
        series = {c: [r[i + 1] for r in tb.rows] for i, c in enumerate(tb.columns[1:])}
        out["trend_monthly"] = C.stacked_columns([r[0] for r in tb.rows], series,
                                                 title=tb.title, width=WIDE)
    if "winback_by_label" in t:
        tb = t["winback_by_label"]
        out["winback_by_label"] = C.hbar([(r[0], r[3]) for r in tb.rows if r[1]],
                                         title=tb.title, color=C.PALETTE[2], fmt=pct)
    if "winback_by_delay" in t:
        tb = t["winback_by_delay"]
        out["winback_by_delay"] = C.columns([(r[0], r[1]) for r in tb.rows], title=tb.title,
                                            color=C.PALETTE[2], x_title="time from no to deal")
    if "attempts_before_access" in t:
        tb = t["attempts_before_access"]
        out["attempts_before_access"] = C.columns(
            [(r[0], r[1]) for r in tb.rows], title=tb.title,
            x_title="outbound attempts before the first answer",
            highlight=lambda label: label.rstrip("+").isdigit() and int(label.rstrip("+")) >= 9)
    if "silence_vs_reply" in t:
        tb = t["silence_vs_reply"]
        out["silence_vs_reply"] = C.stacked([("contacts", [r[1] for r in tb.rows])],
                                            [r[0] for r in tb.rows], title=tb.title,
                                            colors=(C.PALETTE[2], "#b7c4cf", C.PALETTE[3]),
                                            width=560)
    if "checkback_outcomes" in t:
        tb = t["checkback_outcomes"]
        parts = tb.columns[1:-1]
        colors = (C.PALETTE[2], C.PALETTE[0], C.PALETTE[3], "#b7c4cf", C.PALETTE[1],
                  "#8c8c8c", "#dfe6ec")
        out["checkback_outcomes"] = C.stacked([(r[0], r[1:-1]) for r in tb.rows[:12]], parts,
                                              title=tb.title, colors=colors, width=WIDE)
    if "capability_gaps" in t:
        tb = t["capability_gaps"]
        out["capability_gaps"] = C.hbar([(r[0], r[3]) for r in tb.rows], title=tb.title,
                                        color=C.PALETTE[3], label_width=220, width=WIDE)
    if "proof" in t:
        tb = t["proof"]
        out["proof"] = C.hbar([(r[0], r[3]) for r in tb.rows], title=tb.title,
                              color=C.PALETTE[2], fmt=pct)
    if "pesters" in t:
        tb = t["pesters"]
        out["pesters"] = C.hbar([(r[0], r[4]) for r in tb.rows], title=tb.title,
                                color=C.PALETTE[3], fmt=pct)
    if "gives_up_early" in t:
        tb = t["gives_up_early"]
        out["gives_up_early"] = C.hbar([(r[0], r[2]) for r in tb.rows], title=tb.title,
                                       color=C.PALETTE[1])
    if "autopsy_themes" in t:
        tb = t["autopsy_themes"]
        out["autopsy_themes"] = C.hbar([(r[0], r[1]) for r in tb.rows], title=tb.title,
                                       color=C.PALETTE[4], label_width=230)
    return out


def cell(column: str, value: Any) -> str:
    if value is None:
        return "–"
    if column in RATE_COLUMNS and isinstance(value, float | int):
        return pct(float(value))
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value).replace("_", " ") if column in ("label", "stage", "channel") else str(value)


def _env() -> Any:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["cell"] = lambda value, column: cell(column, value)
    return env


def render_html(report: Report) -> str:
    """The whole report as one self-contained HTML page."""
    from markupsafe import Markup

    charts = {k: Markup(v) for k, v in charts_for(report).items()}  # noqa: S704 - escaped SVG
    return str(_env().get_template("report.html.j2").render(
        r=report, charts=charts, tables=report.tables, team=report.scope.team))


def dashboard(rep: Report) -> dict[str, Any]:
    """What the web dashboard shows of a report: figures, tables and ready-made SVG charts."""
    return {"scope": rep.scope.describe(), "team": rep.scope.team,
            "kpis": [{"label": k, "value": v, "hint": h} for k, v, h in rep.kpis],
            "charts": charts_for(rep), "tables": rep.to_json()["tables"], "report": rep}


def render_fragment(data: dict[str, Any]) -> str:
    """The dashboard's body (figures and charts) for the web app to include in its page."""
    from markupsafe import Markup

    charts = {k: Markup(v) for k, v in data["charts"].items()}  # noqa: S704 - escaped SVG
    return str(_env().get_template("dashboard.html.j2").render(
        r=data["report"], charts=charts, tables=data["report"].tables, team=data["team"]))


def write_html(report: Report, path: Path) -> Path:
    _check_writable(path.parent, "html")
    tmp = path.with_name(f".{path.name}.tmp")
    with open_private(tmp, "w", encoding="utf-8") as fh:
        fh.write(render_html(report))
    tmp.replace(path)
    return path


def write_csv(report: Report, folder: Path) -> list[Path]:
    """Every table of the report as ``<name>.csv`` in ``folder`` (created if needed)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"cannot create {folder}: {exc.strerror}", field="csv") from None
    _check_writable(folder, "csv")
    written = [spreadsheet.write_csv(folder / f"{name}.csv", table.columns, table.rows)
               for name, table in report.tables.items()]
    written.append(spreadsheet.write_csv(folder / "summary.csv", ["figure", "value", "note"],
                                         report.kpis))
    return written


def _check_writable(folder: Path, field: str) -> None:
    import os

    if not folder.exists():
        raise InvalidInput(f"the folder {folder} does not exist", field=field)
    if not os.access(folder, os.W_OK):
        raise InvalidInput(f"the folder {folder} is not writable", field=field)
