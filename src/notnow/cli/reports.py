"""`notnow report` and `notnow proof`: the figures, charts and CSV of what the no's say."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from notnow.cli.context import session
from notnow.cli.output import JSON_OPTION


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("proof")(proof)



def report(
    since: str = typer.Option(None, "--since", help="Only from this date (YYYY-MM-DD)."),
    for_user: str = typer.Option(None, "--for", help="One salesperson (managers)."),
    team: bool = typer.Option(False, "--team", help="The whole team (managers)."),
    html: str = typer.Option(None, "--html", help="Write the report with charts here."),
    csv_dir: str = typer.Option(None, "--csv", help="Write every table as CSV in this folder."),
    json_out: bool = JSON_OPTION,
) -> None:
    """The loss report: why, when, who, what came back, what was missing.

    Example:  notnow report --since 2026-01-01 --team --html report.html --csv report-csv/
    """
    from notnow.cli.output import ok, print_json
    from notnow.cli.params import parse_date
    from notnow.render import report_html
    from notnow.services.learning import reports

    ws, actor = session()
    day = parse_date(since, field="--since")
    with _progress() as tick:
        rep = reports.report(ws, actor, since=day, for_user=for_user, team=team, progress=tick)
    if html is not None:
        report_html.write_html(rep, Path(html))
        ok(f"Report written to {html}")
    if csv_dir is not None:
        files = report_html.write_csv(rep, Path(csv_dir))
        ok(f"{len(files)} CSV files written to {csv_dir}")
    if json_out:
        print_json(rep.to_json())
    elif html is None and csv_dir is None:
        _print_kpis(rep)


def _print_kpis(rep: Any) -> None:
    from notnow.cli.output import console

    out = console()
    out.print(f"[bold]What our no's say[/bold] — {rep.scope.describe()}")
    width = max(len(k) for k, _, _ in rep.kpis)
    for label, value, hint in rep.kpis:
        out.print(f"  {label:<{width}}  {value:>8}  {hint}", markup=False)
    top = rep.tables["by_label"].rows[:5]
    if top:
        out.print("  Top reasons: " + ", ".join(f"{r[0]} ({r[1]})" for r in top),
                  markup=False)
    out.print("Charts: notnow report --html report.html", markup=False)


class _progress:
    """A progress line on stderr for long reports (silent when not a terminal)."""

    def __enter__(self) -> Any:
        import sys

        from notnow.cli.output import rich_console

        self.live = None
        if sys.stderr.isatty():
            from rich.progress import Progress

            self.live = Progress(console=rich_console(stderr=True), transient=True,
                                 auto_refresh=False)  # redrawn at each step
            self.live.start()
            self.task = self.live.add_task("report", total=None)  # each step says

        def tick(step: str, done: int, total: int) -> None:
            if self.live is not None:
                self.live.update(self.task, completed=done, total=total,
                                 description=f"report: {step}")
                self.live.refresh()
        return tick

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.stop()


def proof(since: str = typer.Option(None, "--since", help="Only from this date (YYYY-MM-DD)."),
          json_out: bool = JSON_OPTION) -> None:
    """Your own proof that "no" often meant "not now": later-yes rate, time to deal.

    Example:  notnow proof --since 2026-01-01
    """
    from notnow.cli.output import console, print_json
    from notnow.cli.params import parse_date
    from notnow.services.learning.reports import proof_for

    ws, actor = session()
    data = proof_for(ws, actor, since=parse_date(since, field="--since"))
    if json_out:
        print_json(data)
        return
    out = console()
    out.print(f"[bold]Your no's, {data['scope']}[/bold]")
    out.print(f"  {data['rejections']:,} rejections; {data['won_back']:,} later became a deal "
              f"({data['later_yes_rate'] * 100:.0f}%).", markup=False)
    med = data["median_days_to_deal"]
    out.print("  Median time from a no to the deal: "
              + (f"{med:.0f} days." if med is not None else "no deal yet."), markup=False)
    rpw = data["rejections_per_win"]
    out.print("  Rejections per win: " + (f"{rpw:.1f}." if rpw is not None else "no win yet."),
              markup=False)
    for label, n, won, rate in data["by_label"][:5]:
        out.print(f"    {label.replace('_', ' '):<20} {won:>4} of {n:<5} came back "
                  f"({rate * 100:.0f}%)",
                  markup=False)
