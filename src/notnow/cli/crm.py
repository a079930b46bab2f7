"""`notnow import FILE…` (and `notnow import undo ID`) and `notnow export --for CRM`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from notnow.cli.context import session
from notnow.cli.output import JSON_OPTION

if TYPE_CHECKING:
    from notnow.services.crm.imports import ImportReport

SHOWN_PROBLEMS = 40
PLURAL = {"account": "accounts", "contact": "contacts", "deal": "deals",
          "rejection": "rejections (lost reasons)", "touch": "touches (activities)"}


FILES = typer.Argument(..., metavar="FILE…", help="CRM export files (CSV); or: undo ID.")
MAP = typer.Option([], "--map", metavar="COLUMN=FIELD",
                   help="Read COLUMN as FIELD (e.g. \"Why lost=deal.lost_reason\", '-' skips "
                   "it); remembered for files with the same headers.")
OUT = typer.Option(Path("notnow-export"), "--out", metavar="FOLDER",
                   help="Where to write the files.")


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("export")(export_command)


def import_command(
    files: list[str] = FILES,
    source: str = typer.Option(None, "--from", metavar="hubspot|pipedrive|salesforce|csv",
                               help="Which CRM wrote the files (a hint: headers are "
                               "recognised)."),
    owner: str = typer.Option(None, "--owner", metavar="WHO",
                              help="Who gets the records of CRM owners notnow does not know "
                              "(default: you)."),
    dry_run: bool = typer.Option(False, "--dry-run",
                                 help="Show what would happen; store nothing."),
    mapping: list[str] = MAP,
    json_out: bool = JSON_OPTION,
) -> None:
    """Import a CRM's export files: accounts, contacts, deals, lost reasons, activities.

    Safe to run again: records keep their CRM ids, so a newer export updates them. The whole
    import is one unit — `notnow import undo ID` takes it back. Exit code 1 when a file is
    refused or a row could not be imported (the other rows are).

    Example:  notnow import contacts.csv deals.csv --from hubspot --dry-run
    """
    from notnow.cli.output import ok, print_json

    if files and files[0] == "undo" and not Path("undo").exists():
        _undo(files[1:], json_out)
        return
    from notnow.services.crm.imports import import_files

    ws, actor = session()
    with _progress(enabled=not json_out and sys.stderr.isatty()) as tick:
        report = import_files(ws, actor, files, source=source, owner=owner, dry_run=dry_run,
                              columns=mapping, progress=tick)
    if json_out:
        print_json(report)
    else:
        _print_report(report)
    if report.batch_id is not None and not json_out:
        ok(f"Imported: import {report.batch_id} (take it back: notnow import undo "
           f"{report.batch_id})")
    elif report.dry_run and not json_out:
        ok("Dry run: nothing was stored.")
    if report.problem_count:
        raise typer.Exit(1)


def _undo(args: list[str], json_out: bool) -> None:
    from notnow.cli.output import ok, print_json
    from notnow.errors import InvalidInput
    from notnow.services.crm.undo import undo_import

    if len(args) != 1 or not args[0].isdigit() or len(args[0]) > 9:
        raise InvalidInput("say which import to undo: notnow import undo ID", field="id")
    ws, actor = session()
    done = undo_import(ws, actor, int(args[0]))
    print_json(done) if json_out else ok(done.describe())


class _progress:  # noqa: N801 - used like a function
    """A progress bar on standard error while the import reads (when it is a terminal)."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

        from notnow.cli.output import rich_console

        self.bar = Progress("importing", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                            console=rich_console(stderr=True), transient=True)
        self.bar.__enter__()
        self.task = self.bar.add_task("import", total=None)

        def tick(done: int, total: int) -> None:
            self.bar.update(self.task, completed=done, total=total)
        return tick

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _print_report(report: ImportReport) -> None:
    from notnow.cli.output import console

    out = console()
    for f in report.files:
        out.print(f"{f.name}: {f.read_as} — {f.rows:,} rows", markup=False)
        for note in f.notes:
            out.print(f"  {note}", markup=False)
        if f.unused_columns:
            shown = ", ".join(repr(c) for c in f.unused_columns[:12])
            out.print(f"  columns not read: {shown} (read one with --map \"Column=field\")",
                      markup=False)
        for why, n in f.skipped.items():
            out.print(f"  skipped: {n:,} {why}", markup=False)
    verb = "Would be" if report.dry_run else "Done"
    out.print(f"{verb}:", markup=False)
    for kind, counts in report.counts.items():
        parts = ", ".join(f"{n:,} {what}" for what, n in counts.items())
        out.print(f"  {PLURAL.get(kind, kind)}: {parts}", markup=False)
        changed = report.changed.get(kind)
        if changed:
            out.print("    changed: " + ", ".join(f"{field} ({n:,})"
                                                  for field, n in changed.items()),
                      markup=False)
    if report.unknown_owners:
        names = ", ".join(f"{name} ({n:,})" for name, n in
                          list(report.unknown_owners.items())[:10])
        out.print(f"CRM owners who are no one you may give records to: {names} — their "
                  f"records go to {report.owner_for_unknown} (say who with --owner)",
                  markup=False)
    if report.problem_count:
        out.print(f"{report.problem_count:,} problem(s) — these rows (or values) were not "
                  "imported; the others were:", markup=False)
        for p in report.problems[:SHOWN_PROBLEMS]:
            out.print(f"  {p.describe()}", markup=False)
        if report.problem_count > SHOWN_PROBLEMS:
            out.print(f"  … and {report.problem_count - SHOWN_PROBLEMS:,} more (all of them: "
                      "--json)", markup=False)


def export_command(
    target: str = typer.Option(..., "--for", metavar="hubspot|pipedrive|salesforce|csv",
                               help="The CRM to send the results back to."),
    out: Path = OUT,
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace files already there."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Write the files your CRM imports to update the records notnow read from it: lost
    reason (label and the prospect's words), next check-back, do-not-contact, touches —
    keyed by the CRM's ids. docs/crm.md says how to import them in each CRM.

    Example:  notnow export --for salesforce --out results/
    """
    from notnow.cli.output import ok, print_json, table
    from notnow.services.crm.exports import export_results

    ws, actor = session()
    written = export_results(ws, actor, target, out, overwrite=overwrite)
    rows = [{"file": str(w.path), "rows": w.rows, "purpose": w.purpose} for w in written]
    if json_out:
        print_json(rows)
        return
    table(rows, [("file", lambda r: r["file"]), ("rows", lambda r: r["rows"]),
                 ("import it as", lambda r: r["purpose"])],
          empty="Nothing to send back yet: no imported record has a result.")
    if written:
        ok(f"{len(written)} file(s) in {out}")
