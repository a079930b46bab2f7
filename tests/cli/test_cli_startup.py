"""What keeps `notnow` quick to start, pinned to what it must not change.

A run makes only its own command into a Click command (`main.lazy_command`); the whole tree
(`main.command`) is what the docs and the access matrix read. Both must say the same.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notnow.cli import main as cli_main


def _help(root: Any, *args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        root(args=[*args, "--help"], prog_name="notnow")
    return out.getvalue()


def _paths(cmd: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name in sorted(getattr(cmd, "commands", {}) or {}):
        found += _paths(cmd.commands[name], (*path, name))
    return found


def test_the_lazy_tree_is_the_whole_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command's help, and the root's list of commands, read the same either way."""
    monkeypatch.setenv("COLUMNS", "100")
    eager, lazy = cli_main.command(), cli_main.lazy_command()
    assert sorted(lazy.commands) == sorted(eager.commands)
    paths = _paths(eager)
    assert len(paths) > 50
    for path in paths:
        assert _help(lazy, *path) == _help(eager, *path), path


def _fresh_process(args: list[str], home: Path) -> tuple[list[str], list[str]]:
    """(the commands made, the heavy modules imported) by one run of `notnow ARGS` in a new
    process."""
    code = ("import sys, contextlib, io\n"
            "from notnow.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    main.main({args!r})\n"
            "print(' '.join(sorted(main.lazy_command().commands._made)))\n"
            "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('sqlalchemy', 'pydantic', 'fastapi', 'starlette', 'rich', 'numpy', 'yaml') "
            "or m.startswith(('notnow.services', 'notnow.storage', 'notnow.understand')))))\n")
    made, imported = (_python(code, home) + "\n").split("\n")[:2]
    return made.split(), imported.split()


def _python(code: str, home: Path) -> str:
    """What `code` prints, run by a new interpreter on the workspace at `home`."""
    env = dict(os.environ, NOTNOW_HOME=str(home), NOTNOW_DATABASE_URL="")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env=env).stdout


def test_help_makes_no_command_and_imports_no_service(tmp_path: Path) -> None:
    """`notnow --help` lists the commands from their summaries: it imports Typer and the
    command modules, and nothing of the services, the database or the web."""
    assert _fresh_process(["--help"], tmp_path) == ([], [])
    assert _fresh_process(["log", "--help"], tmp_path) == (["log"], [])


def test_a_run_makes_only_its_own_command(tmp_path: Path) -> None:
    made, imported = _fresh_process(["account", "list", "--json"], tmp_path)
    assert made == ["account"]
    assert "sqlalchemy" in imported and "fastapi" not in imported and "numpy" not in imported


def test_the_agenda_is_read_and_printed_without_pydantic(tmp_path: Path) -> None:
    """`notnow agenda`, the command run most, imports no Pydantic (a fifth of its start-up)
    and no Rich: its rows are a dataclass, who acts is read without the logins' models, and
    its table is written plainly."""
    _fresh_process(["demo"], tmp_path)
    for args in (["agenda"], ["agenda", "--json"]):
        made, imported = _fresh_process(args, tmp_path)
        assert made == ["agenda"]
        assert "notnow.services.followups.agenda" in imported, args  # it did read the agenda
        assert not [m for m in imported if m.split(".")[0] in ("pydantic", "fastapi", "rich")
                    ], args
        assert "sqlalchemy.dialects.postgresql" not in imported, args  # on SQLite


def test_table_cells_are_shown_as_written(cli) -> None:  # type: ignore[no-untyped-def]
    """A cell is the user's text, not markup: brackets and colons are printed as typed (a
    closing tag in a name stopped `account list` with a markup error)."""
    assert cli("account", "add", "Acme [/x] :smile: [bold]Ltd").code == 0
    r = cli("account", "list")
    assert r.code == 0, r.err
    assert "Acme [/x] :smile: [bold]Ltd" in r.out


def _plain_text_params() -> list[tuple[Any, Any]]:
    """(command, parameter) for every parameter of the whole tree that takes one plain text."""
    found: list[tuple[Any, Any]] = []

    def walk(cmd: Any) -> None:
        found.extend((cmd, p) for p in cmd.params
                     if getattr(p, "type_descriptor", None) is not None
                     and cli_main._plain_text(p))
        for sub in (getattr(cmd, "commands", None) or {}).values():
            walk(sub)

    walk(cli_main.command())
    return found


@settings(max_examples=60, deadline=None)
@given(text=st.text(st.characters(exclude_categories=()), max_size=40),
       pick=st.integers(min_value=0))
def test_plain_text_is_coerced_as_typer_does(text: str, pick: int) -> None:
    """A text given to a plain `str` parameter is kept as it is without building Typer's
    pydantic adapter; Typer's own coercion gives the same value (lone surrogates, as argv
    can hold, and spaces included)."""
    import click
    from typer._coercion import build_runtime_param

    params = _plain_text_params()
    assert len(params) > 50  # --contact, --text, --email, …
    cmd, param = params[pick % len(params)]
    ctx = click.Context(cmd)
    kept = cli_main._Deferred().coerce(text, param, ctx)
    assert kept == build_runtime_param(param.type_descriptor).coerce(text, param=param, ctx=ctx)
    assert type(kept) is str


def test_only_plain_text_takes_the_short_way() -> None:
    """Numbers, paths, lists and choices still go through Typer's coercion."""
    params = {p.name: p for _, p in _plain_text_params()}
    assert "text" in params and "contact" in params

    def walk(cmd: Any) -> list[Any]:
        return [*cmd.params, *(q for sub in (getattr(cmd, "commands", None) or {}).values()
                               for q in walk(sub))]

    for p in walk(cli_main.command()):
        desc = getattr(p, "type_descriptor", None)
        if desc is not None and desc.annotation is not str:
            assert not cli_main._plain_text(p), (p.name, desc.annotation)


def test_the_program_leaves_its_objects_to_the_end_of_the_process(tmp_path: Path) -> None:
    """`notnow` (the program, `main.run`) freezes what is alive before it exits, so Python's
    last collection does not walk SQLAlchemy's objects (0.1 s of a 0.5 s `notnow agenda`);
    the output is whole, exit handlers still run and the exit code is the command's."""
    code = ("import atexit, gc, sys\n"
            "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0, "
            "file=sys.stderr))\n"
            "from notnow.cli import main\n"
            "sys.argv = ['notnow', *sys.argv[1:]]\n"
            "main.run()\n")
    env = dict(os.environ, NOTNOW_HOME=str(tmp_path), NOTNOW_DATABASE_URL="", COLUMNS="200")
    _fresh_process(["demo"], tmp_path)
    done = subprocess.run([sys.executable, "-c", code, "agenda", "--json"], capture_output=True,
                          text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)  # the whole agenda, flushed
    assert done.stderr.strip() == "frozen True"
    refused = subprocess.run([sys.executable, "-c", code, "contact", "show", "99999"],
                             capture_output=True, text=True, env=env)
    assert refused.returncode == 1 and "frozen True" in refused.stderr


def test_the_agenda_never_sets_up_the_orm(tmp_path: Path) -> None:
    """Opening the workspace, knowing who acts and reading the agenda read rows of the
    tables: the ORM's classes are never instrumented (0.025 s of `notnow agenda`)."""
    _fresh_process(["demo"], tmp_path)
    rows, configured = _python("import contextlib, io, json\n"
                               "from notnow.cli import main\n"
                               "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
                               "    main.main(['agenda', '--json'])\n"
                               "from notnow.storage.tables import User\n"
                               "print(len(json.loads(out.getvalue())), "
                               "User.__mapper__.configured)\n", tmp_path).split()
    assert int(rows) > 0 and configured == "False"


def test_a_no_logged_from_a_script_is_printed_without_rich(tmp_path: Path) -> None:
    """Output that goes to a pipe or a file is plain text, written directly: `notnow log`
    in a script imports no Rich (a fifth of its output's time), on SQLite no PostgreSQL
    dialect (the tables' partial indexes do not ask for it), and with the default playbook
    no YAML parser."""
    _fresh_process(["demo"], tmp_path)
    made, imported = _fresh_process(
        ["log", "--contact", "aiko.nakamura@kumoretail.jp", "--text",
         "Budget is gone until April, try me then", "--yes"], tmp_path)
    assert made == ["log"]
    assert "notnow.services.capture.log" in imported  # it did log the no
    assert not [m for m in imported if m.split(".")[0] == "rich"]
    assert "sqlalchemy.dialects.postgresql" not in imported  # the workspace is on SQLite
    assert "yaml" not in imported  # the default playbook is read from its JSON


def test_a_short_command_never_walks_everything_alive(tmp_path: Path) -> None:
    """A command collects cycles seldom (`cli.collector`): `notnow log` makes a few hundred
    thousand objects that live to its end, and at Python's own pace it walked them all twice
    (0.09 s) and the younger ones 270 times more. It now finishes before the first
    collection."""
    _fresh_process(["demo"], tmp_path)
    code = ("import atexit, gc, sys\n"
            "runs = []\n"
            "gc.callbacks.append(lambda phase, info: runs.append(info['generation']) "
            "if phase == 'start' else None)\n"
            "atexit.register(lambda: print('collections', runs, file=sys.stderr))\n"
            "from notnow.cli import main\n"
            "runs.clear()  # Typer's import, before the program starts\n"
            "sys.argv = ['notnow', *sys.argv[1:]]\n"
            "main.run()\n")
    env = dict(os.environ, NOTNOW_HOME=str(tmp_path), NOTNOW_DATABASE_URL="")
    done = subprocess.run([sys.executable, "-c", code, "log", "--contact",
                           "aiko.nakamura@kumoretail.jp", "--text",
                           "Budget is gone until April, try me then", "--yes"],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "Logged rejection" in done.stdout
    assert done.stderr.strip() == "collections []"


def test_a_process_that_serves_goes_back_to_pythons_pace(tmp_path: Path) -> None:
    """`serve` and `worker` run for days: what start-up made is frozen (never walked again)
    and later garbage is collected at Python's own pace, in short pauses."""
    code = ("import gc\n"
            "print(gc.get_threshold())\n"
            "from notnow.cli import collector\n"
            "collector.short_lived()\n"
            "print(gc.get_threshold())\n"
            "import notnow.storage.tables\n"
            "collector.long_lived()\n"
            "print(gc.get_threshold(), gc.get_freeze_count() > 10_000)\n")
    own, short, long = _python(code, tmp_path).splitlines()
    assert short == "(200000, 10, 10)" != own
    assert long == f"{own} True"  # this Python's own pace, whatever its version


def test_each_worker_of_serve_freezes_its_own_start_up(tmp_path: Path) -> None:
    """`notnow serve --workers N` starts each worker as a new Python, which builds its app with
    `web.asgi.app_from_env`: the worker freezes what that made, as a single `serve` does. (It
    did not: a worker walked every object of its start-up at each full collection — 105–146 ms
    for the pages bench's 220,000 objects at 100,000 contacts, a request's p95 of 175 ms
    against 33 ms frozen.)"""
    code = ("import gc\n"
            "from notnow.web.asgi import app_from_env\n"
            "app = app_from_env()\n"
            "print(gc.get_freeze_count() > 10_000)\n")
    assert _python(code, tmp_path).strip() == "True"


WARMED = ("from notnow.understand import encoder\n"
          "from notnow.storage.tables import Contact\n"
          "import pydantic\n"
          "from fastapi.testclient import TestClient\n"
          "made = []\n"
          "build = pydantic.TypeAdapter.__init__\n"
          "def counted(self, *a, **k):\n"
          "    made.append(1)\n"
          "    build(self, *a, **k)\n"
          "pydantic.TypeAdapter.__init__ = counted\n"
          "client = TestClient(app, base_url='http://127.0.0.1', client=('127.0.0.1', 5000))\n"
          "assert client.get('/api/v1/me').status_code == 200\n"
          "print(bool(encoder._reader) and encoder._reader[0] is not None, "
          "Contact.__mapper__.configured, len(made) == 0)\n")
"""What the app's process holds when it is handed to uvicorn: the encoder loaded, the classes
set up, and its routes ready (its first request builds no validator)."""


@pytest.mark.parametrize("how", ["one process", "workers"])
def test_serve_warms_up_before_it_takes_a_request(tmp_path: Path, how: str) -> None:
    """Each process of `notnow serve` has set up the mapped classes, loaded the reader's model
    and encoder and routed one request before it serves: in a fresh server the first request
    took 0.20 s (FastAPI built every route's validators then), the first logged no 0.05 s more
    and the first reading of a German reply 0.11 s more than the next ones — in every worker,
    after every restart, on somebody's request."""
    if how == "workers":
        code = "from notnow.web.asgi import app_from_env\napp = app_from_env()\n" + WARMED
    else:  # the moment uvicorn would start serving the app
        code = ("import contextlib, io, uvicorn\n"
                "from notnow.cli import main\n"
                "def serving(app, **options):\n"
                + "".join(f"    {line}\n" for line in WARMED.splitlines()) +
                "uvicorn.run = serving\n"
                "with contextlib.redirect_stdout(io.StringIO()):\n"
                "    main.main(['init', '--name', 'Sam'])\n"
                "main.main(['serve', '--port', '9'])\n")
    assert _python(code, tmp_path).split()[-3:] == ["True", "True", "True"]


def test_a_command_builds_only_the_models_it_uses(tmp_path: Path) -> None:
    """The services' Pydantic models are built when first used: `notnow log` builds the
    rejection's models and not, say, the account's (building them all took 20 ms of each
    command)."""
    _fresh_process(["demo"], tmp_path)
    built = _python("import contextlib, io\n"
                    "from notnow.cli import main\n"
                    "with contextlib.redirect_stdout(io.StringIO()):\n"
                    "    main.main(['log', '--contact', 'aiko.nakamura@kumoretail.jp', "
                    "'--text', 'Budget is gone until April', '--yes'])\n"
                    "from notnow.services import schemas\n"
                    "print(schemas.RejectionCreate.__pydantic_complete__, "
                    "schemas.AccountCreate.__pydantic_complete__)\n", tmp_path)
    assert built.split() == ["True", "False"]


def test_the_web_app_builds_every_model_before_it_reads_its_routes(tmp_path: Path) -> None:
    """FastAPI makes a request body's adapter from the model as it finds it: built, and not
    to be built later (a deferred one was built at the first request, wrongly, and in
    whichever thread asked first)."""
    code = ("import notnow.web\n"
            "from pydantic import BaseModel\n"
            "from notnow.services import schemas\n"
            "models = [m for m in vars(schemas).values() if isinstance(m, type) and "
            "issubclass(m, BaseModel) and m.__module__ == schemas.__name__]\n"
            "print(len(models), all(m.__pydantic_complete__ and not "
            "m.model_config.get('defer_build') for m in models))\n")
    count, ready = _python(code, tmp_path).split()
    assert int(count) > 15 and ready == "True"


@pytest.mark.parametrize("args", [["serve"], ["serve", "--workers", "2"], ["worker"]],
                         ids=["serve", "serve-workers", "worker"])
def test_what_serves_until_stopped_goes_back_to_pythons_pace_first(  # type: ignore[no-untyped-def]
        cli, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    """`serve` (each form) and `worker` (without --once) set the collector back to Python's
    pace before they start serving."""
    import uvicorn

    from notnow.cli import collector
    from notnow.worker import Worker

    calls: list[str] = []
    monkeypatch.setattr(collector, "long_lived", lambda: calls.append("long_lived"))
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: calls.append("serving"))
    monkeypatch.setattr(Worker, "run_forever", lambda self, **k: calls.append("serving"))
    assert cli("demo").code == 0
    result = cli(*args)
    assert result.code == 0, result.err
    assert calls == ["long_lived", "serving"]
