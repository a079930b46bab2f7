"""The root `notnow` command. Command groups live in their own modules and register here.

Only Typer is imported at start; each command imports the services it needs when it runs, so
that `notnow --help` starts fast.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from functools import cache
from typing import Any

import typer

from notnow import __version__

COMMAND_MODULES = (
    "notnow.cli.workspace",
    "notnow.cli.records",
    "notnow.cli.trash",
    "notnow.cli.capture",
    "notnow.cli.understanding",
    "notnow.cli.comeback",
    "notnow.cli.learning",
    "notnow.cli.serve",
    "notnow.cli.team",
    "notnow.cli.worker",
    "notnow.cli.reach",
    "notnow.cli.crm",
    "notnow.cli.mail",
)

HELP = """notnow — every "no" is a "not now".

Record each rejection, understand why, answer calmly, plan the comeback, follow up at the right
time without pestering, and learn from every loss.

Example:  notnow demo && notnow agenda
"""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"notnow {__version__}")
        raise typer.Exit()


def build_app() -> typer.Typer:
    app = typer.Typer(help=HELP, no_args_is_help=True, pretty_exceptions_enable=False,
                      rich_markup_mode=None, add_completion=False,
                      context_settings={"help_option_names": ["-h", "--help"]})

    @app.callback()
    def root(
        version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                     help="Show the version and exit."),
    ) -> None:
        """notnow — every "no" is a "not now"."""

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    return app


@cache
def command() -> Any:
    """The Click command tree of :func:`build_app`, built once per process (building it reads
    every command's signature: most of the time of a quick command run twice in a process)."""
    return typer.main.get_command(build_app())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 error, 2 usage)."""
    from notnow.cli.context import close_all
    from notnow.errors import NotnowError

    try:
        command()(args=list(argv) if argv is not None else None, prog_name="notnow")
    except SystemExit as exc:  # Typer's own: usage errors exit 2, help and --version 0
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except NotnowError as exc:
        typer.echo(f"Error: {exc.message}", err=True)
        return 1
    except KeyboardInterrupt:
        typer.echo("Interrupted: nothing half-written was kept.", err=True)
        return 130
    finally:
        close_all()
    return 0


def run() -> None:
    sys.exit(main())
