"""The root `notnow` command. Command groups live in their own modules and register here.

Only Typer is imported at start; each command imports the services it needs when it runs, so
that `notnow --help` starts fast. A run makes only its own command into a Click command
(:func:`lazy_command`): reading every command's signature is most of the time of `--help`.
"""

from __future__ import annotations

import gc
import importlib
import inspect
import sys
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from gettext import gettext
from typing import Any

import typer
import typer.core
import typer.main

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


def _root(cls: type[typer.core.TyperGroup] | None = None) -> typer.Typer:
    app = typer.Typer(help=HELP, no_args_is_help=True, pretty_exceptions_enable=False,
                      rich_markup_mode=None, add_completion=False, cls=cls,
                      context_settings={"help_option_names": ["-h", "--help"]})

    @app.callback()
    def root(
        version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                     help="Show the version and exit."),
    ) -> None:
        """notnow — every "no" is a "not now"."""

    return app


def build_app() -> typer.Typer:
    app = _root()
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    return app


@cache
def command() -> Any:
    """The whole Click command tree of :func:`build_app`, built once per process (the docs
    and the access matrix walk it; a run uses :func:`lazy_command`)."""
    return typer.main.get_command(build_app())


class _Deferred:
    """A parameter's coercion, made when there is a value to coerce. (Typer builds a pydantic
    adapter for every parameter a run processes, given or not: `notnow log --help` imported
    pydantic for the root's own `--help`.) An absent value becomes what Typer's
    `RuntimeParam.coerce` makes of it; a given one goes through Typer's own coercion, except
    a text given to a plain ``str`` parameter, which that coercion returns as it is (building
    its pydantic adapter cost `notnow log` 0.07 s; pinned by
    tests/cli/test_cli_startup.py::test_plain_text_is_coerced_as_typer_does)."""

    __slots__ = ("_real",)

    def __init__(self) -> None:
        self._real: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:
            return () if param.multiple or param.nargs == -1 else None
        if type(value) is str and _plain_text(param):
            return value
        if self._real is None:
            from typer._coercion import build_runtime_param

            self._real = build_runtime_param(param.type_descriptor)
        return self._real.coerce(value, param=param, ctx=ctx)


def _plain_text(param: Any) -> bool:
    """A single ``str`` value with no parser of its own (Typer's coercion keeps such a text)."""
    desc = param.type_descriptor
    return (desc.annotation is str and desc.parameter_info.parser is None
            and desc.file_annotation is None and not param.multiple and param.nargs == 1)


def _defer(param: Any) -> Any:
    if getattr(param, "_runtime_param", False) is None:
        param._runtime_param = _Deferred()
    return param


def _defer_coercion(command: Any, *, deep: bool = True) -> Any:
    """`command` (and, when `deep`, its subcommands) with `_Deferred` coercion, where this
    Typer has the hook (others are left as they are)."""
    try:
        import typer._coercion  # noqa: F401
    except ImportError:  # pragma: no cover - an older Typer coerces without pydantic
        return command
    for param in command.params:
        _defer(param)
    help_option = command.get_help_option  # made on demand, with the context's names

    def deferred_help_option(ctx: Any) -> Any:
        return _defer(help_option(ctx))

    command.get_help_option = deferred_help_option
    if deep:
        for sub in (getattr(command, "commands", None) or {}).values():
            _defer_coercion(sub)
    return command


class _Commands(Mapping[str, Any]):
    """The root's commands by name, each made into a Click command when first asked for."""

    def __init__(self, app: typer.Typer) -> None:
        self._app = app
        self._infos: dict[str, Any] = {}
        for info in app.registered_commands:
            assert info.callback is not None
            self._infos[info.name or typer.main.get_command_name(info.callback.__name__)] = info
        for group in app.registered_groups:
            name = typer.main.solve_typer_info_defaults(group).name
            assert isinstance(name, str)
            self._infos[name] = group
        self._made: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._made:
            info, app = self._infos[name], self._app
            if isinstance(info, typer.models.CommandInfo):
                made = typer.main.get_command_from_info(
                    info, pretty_exceptions_short=app.pretty_exceptions_short,
                    rich_markup_mode=app.rich_markup_mode)
            else:
                extra = ({"suggest_commands": app.suggest_commands}
                         if "suggest_commands" in inspect.signature(
                             typer.main.get_group_from_info).parameters else {})
                made = typer.main.get_group_from_info(
                    info, pretty_exceptions_short=app.pretty_exceptions_short,
                    rich_markup_mode=app.rich_markup_mode, **extra)
            self._made[name] = _defer_coercion(made)
        return self._made[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._infos)

    def __len__(self) -> int:
        return len(self._infos)

    def summary(self, name: str) -> Any:
        """What the root's help lists of a command (its help and flags), without making it."""
        info = self._infos[name]
        if isinstance(info, typer.models.CommandInfo):
            text = (inspect.getdoc(info.callback) if info.help is None
                    else inspect.cleandoc(info.help))
        else:
            info = typer.main.solve_typer_info_defaults(info)
            text = info.help
        return typer.core.TyperCommand(name, help=text, short_help=info.short_help,
                                       hidden=bool(info.hidden), deprecated=info.deprecated)


class _LazyGroup(typer.core.TyperGroup):
    """The root group: lists its commands from their summaries, makes only the one run."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # Typer's reads `.items()`: it would make every command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        commands = self.commands
        if not isinstance(commands, _Commands):
            super().format_commands(ctx, formatter)
            return
        rows = [(name, commands.summary(name)) for name in self.list_commands(ctx)]
        rows = [(name, cmd) for name, cmd in rows if not cmd.hidden]
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section(gettext("Commands")):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in rows])


@cache
def lazy_command() -> Any:
    """The root command as a run needs it: the same tree as :func:`command`, but each
    command is made only when it is run (pinned to :func:`command` by tests/cli)."""
    root = _defer_coercion(typer.main.get_command(_root(_LazyGroup)), deep=False)
    root.commands = _Commands(build_app())
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 1 error, 2 usage)."""
    from notnow.cli.context import close_all
    from notnow.errors import NotnowError

    try:
        lazy_command()(args=list(argv) if argv is not None else None, prog_name="notnow")
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
    """The `notnow` program: run the command, then end the process."""
    from notnow.cli import collector

    collector.short_lived()
    code = main()
    # The process ends here. Before it does, Python's last collection walks every object still
    # alive: SQLAlchemy's and the tables' are many, and that took 0.1 s of a 0.5 s `notnow
    # agenda`. Frozen, they are left to the process's end; what holds a resource was closed by
    # `main` (the workspace) or is closed when its last reference goes, and exit handlers
    # still run.
    gc.freeze()
    sys.exit(code)
