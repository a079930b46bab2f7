"""Large groups of regular expressions, compiled once per Python rather than once per process.

Python compiles a pattern in Python code (`re._parser`, `re._compiler`), about a microsecond a
character. The other languages' opt-out, auto-reply and cue phrases (`rules_intl`) are some
40,000 characters: 33 ms of every `notnow log` that reads a reply in another language, paid
again by every command. :func:`compile_group` keeps what the compiler made of a group — the
engine's code, a list of numbers — in a file in the user's cache folder, and the next process
hands that code straight to the engine (`_sre.compile`, as `re.compile` itself does last):
the same group in about 2 ms.

The kept file is trusted no further than it must be:
- its name holds a digest of the patterns, their flags and the engine's version (Python's
  version and `_sre.MAGIC`), so a changed pattern or another Python never reads it;
- it is read (and written) only in a folder that no other user can write to (the folder is
  made 0700; one that is group- or world-writable is not used at all);
- each entry must name its own pattern, and the engine checks the code it is given (it
  refuses code that is not well formed);
- anything wrong with it, or a Python whose engine takes its code otherwise, and the group is
  compiled the ordinary way, with `re.compile` (a file that could not be used is written
  again).
A cache folder that cannot be written is no error: the group is compiled every time. When a
group's patterns change (a new notnow), the file of its old patterns is removed as the new one
is written.

The cache folder is `$XDG_CACHE_HOME/notnow` (`~/.cache/notnow` without it). What is in it
can be deleted at any time.
"""

from __future__ import annotations

import hashlib
import importlib
import marshal
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

FORMAT = 1
"""The kept file's layout; a change gives every file a new name."""

DIGEST = 24
"""Hex digits of the patterns' digest in a file's name."""

Entry = tuple[str, int, list[int], int, dict[str, int], tuple[str | None, ...]]
"""What `_sre.compile` takes: the pattern, its flags, the code, the number of groups, the
named groups and each group's name."""


def cache_dir() -> Path | None:
    """`$XDG_CACHE_HOME/notnow`, else `~/.cache/notnow`; None when there is neither (a
    service user without a home)."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(base) / "notnow"


def compile_group(name: str, patterns: Sequence[str], flags: int = 0
                  ) -> list[re.Pattern[str]]:
    """`[re.compile(p, flags) for p in patterns]`, from the kept code when there is some.

    `name` names the group's file (letters, digits and dashes); the file's name also holds a
    digest of the group, so every change of a pattern makes a new one.
    """
    folder = cache_dir()
    if folder is None or not _engine_takes_code():
        return [re.compile(p, flags) for p in patterns]
    try:
        if not _private(folder):
            return [re.compile(p, flags) for p in patterns]
    except OSError:
        pass  # not there yet: made below, 0700
    path = folder / f"regex-{name}-{_digest(patterns, flags)}.marshal"
    kept = _read(path, patterns, flags)
    if kept is not None:
        return kept
    try:
        entries = [_entry(p, flags) for p in patterns]
        compiled = [_from_entry(e) for e in entries]
    except Exception:  # noqa: BLE001 - a compiler inside that differs: the ordinary way
        return [re.compile(p, flags) for p in patterns]  # (a wrong pattern raises here too)
    _write(path, entries)
    return compiled


def _engine_takes_code() -> bool:
    """Whether this Python's engine takes compiled code the way 3.11 to 3.13 do."""
    return (sys.implementation.name == "cpython"
            and all(hasattr(m, a) for m, a in ((_sre(), "compile"), (_sre(), "MAGIC"),
                                               (_compiler(), "_code"), (_parser(), "parse"))))


@cache
def _sre() -> Any:
    return importlib.import_module("_sre")


@cache
def _compiler() -> Any:
    return importlib.import_module("re._compiler")


@cache
def _parser() -> Any:
    return importlib.import_module("re._parser")


def _digest(patterns: Sequence[str], flags: int) -> str:
    h = hashlib.sha256()
    h.update(f"{FORMAT}\0{sys.version}\0{_sre().MAGIC}\0{int(flags)}\0{len(patterns)}".encode())
    for p in patterns:
        h.update(b"\0" + p.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:DIGEST]


def _entry(pattern: str, flags: int) -> Entry:
    """What `re._compiler.compile` makes of `pattern` before it calls the engine."""
    tree = _parser().parse(pattern, flags)
    code = [int(x) for x in _compiler()._code(tree, flags)]
    groupindex = {str(k): int(v) for k, v in tree.state.groupdict.items()}
    indexgroup: list[str | None] = [None] * tree.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    return (pattern, int(flags | tree.state.flags), code, int(tree.state.groups - 1),
            groupindex, tuple(indexgroup))


def _from_entry(entry: Entry) -> re.Pattern[str]:
    pattern, flags, code, groups, groupindex, indexgroup = entry
    compiled: re.Pattern[str] = _sre().compile(pattern, flags, code, groups, groupindex,
                                               indexgroup)
    return compiled


def _private(folder: Path) -> bool:
    """Whether only this user can put files in `folder` (else its files are not read: another
    user could have written them)."""
    uid = getattr(os, "getuid", None)  # none on Windows: nothing is kept there
    st = folder.stat()
    return uid is not None and st.st_uid == uid() and not st.st_mode & 0o022


def _read(path: Path, patterns: Sequence[str], flags: int) -> list[re.Pattern[str]] | None:
    try:
        entries = marshal.loads(path.read_bytes())
        if not isinstance(entries, list) or len(entries) != len(patterns):
            return None
        out = []
        for entry, pattern in zip(entries, patterns, strict=True):
            if (not isinstance(entry, tuple) or len(entry) != 6 or entry[0] != pattern
                    or not isinstance(entry[1], int) or (entry[1] & flags) != flags):
                return None
            out.append(_from_entry(entry))
        return out
    except Exception:  # noqa: BLE001 - a missing or unusable file: compile the ordinary way
        return None


def _write(path: Path, entries: list[Entry]) -> None:
    """Keep the group's code for the next process; a folder that cannot be written is left."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".regex-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps(entries))
            os.replace(tmp, path)  # whole or not at all, whoever else writes it meanwhile
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        group = path.name.rsplit("-", 1)[0]
        for old in path.parent.glob(f"{group}-*.marshal"):
            if old != path and re.fullmatch(rf"{re.escape(group)}-[0-9a-f]{{{DIGEST}}}\.marshal",
                                            old.name):  # its code for patterns it has no more
                old.unlink(missing_ok=True)
    except OSError:
        pass
