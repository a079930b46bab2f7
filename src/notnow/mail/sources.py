"""Messages from files: ``.eml`` files, ``mbox`` files, Maildir folders, or folders of them.

`iter_messages(paths)` yields each message as a `RawMessage` (where it is, its number in that
file or folder, its bytes) or, where one cannot be read, an `Unreadable` (where, number, why),
and goes on. Everything is streamed: an mbox is read line by line and only one message is held
in memory at a time, so a 10,000-message mbox costs the memory of its largest message.

What a hostile folder can do, and what we do:
- symbolic links (to /dev/zero, to a parent folder, out of the tree) are not followed inside a
  folder; only regular files are opened (a FIFO would block for ever);
- a message larger than `parse.MAX_MESSAGE_BYTES` is skipped, not loaded;
- Maildir names are only listed, never used to build other paths.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from notnow.errors import MailError
from notnow.mail.parse import MAX_MESSAGE_BYTES

MAX_FILES = 1_000_000
"""A folder walk stops after this many files (a mistaken `/` costs a bounded walk)."""
_EML_SUFFIXES = (".eml", ".msg.txt", ".email")
_MBOX_SUFFIXES = (".mbox", ".mbx", ".mbs")
_CHUNK = 1 << 16
_FROM_LINE = re.compile(rb"^From \S{0,400}[ \t].{0,200}?\d{1,2}:\d{2}")
"""An mbox separator carries a date ("From sender Tue Nov  3 09:14:00 2026"): a body line
"From here on …" that a careless writer left unescaped does not split the message."""
_SKIP_NAMES = frozenset({".DS_Store", "Thumbs.db", "dovecot-uidlist", "dovecot-keywords",
                         "dovecot.index", "dovecot.index.log", "dovecot.index.cache",
                         "maildirfolder", "subscriptions", "courierimapuiddb"})


@dataclass(frozen=True, slots=True)
class RawMessage:
    """One message's bytes and where they came from (number counts from 1 in that file or
    Maildir folder; offset is the byte offset of an mbox message's "From " line)."""

    source: str
    number: int
    data: bytes
    offset: int | None = None


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A message (or a whole file) that could not be read, and why, in plain words."""

    source: str
    number: int | None
    why: str

    def error(self) -> MailError:
        return MailError(self.why, source=self.source, number=self.number)


def iter_messages(paths: Iterable[str | os.PathLike[str]]) -> Iterator[RawMessage | Unreadable]:
    """Every message in `paths`, lazily, in a stable order (folders sorted by name)."""
    for path in paths:
        p = Path(path)
        try:
            st = p.stat()
        except OSError as exc:
            yield Unreadable(str(p), None, _os_why(exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _folder(p)
        elif stat.S_ISREG(st.st_mode):
            yield from _file(p, explicit=True)
        else:
            yield Unreadable(str(p), None, "not a regular file or folder")


def is_maildir(path: Path) -> bool:
    return all((path / sub).is_dir() and not (path / sub).is_symlink()
               for sub in ("cur", "new"))


def _folder(root: Path) -> Iterator[RawMessage | Unreadable]:
    seen = 0
    stack = [root]
    while stack:
        folder = stack.pop()
        if is_maildir(folder):
            yield from _maildir(folder)
            # Maildir++ sub-folders (.Sent, .Archive) sit beside cur/new/tmp
            children = _list(folder)
            if isinstance(children, Unreadable):
                yield children
                continue
            stack.extend(sorted((c for c in children if c.name.startswith(".")
                                 and _is_real_dir(c)), reverse=True))
            continue
        children = _list(folder)
        if isinstance(children, Unreadable):
            yield children
            continue
        dirs: list[Path] = []
        for child in sorted(children):
            if child.name in _SKIP_NAMES:
                continue
            try:
                st = child.lstat()
            except OSError as exc:
                yield Unreadable(str(child), None, _os_why(exc))
                continue
            if stat.S_ISLNK(st.st_mode):
                continue  # never followed inside a folder
            if stat.S_ISDIR(st.st_mode):
                dirs.append(child)
            elif stat.S_ISREG(st.st_mode):
                seen += 1
                if seen > MAX_FILES:
                    yield Unreadable(str(root), None,
                                     f"more than {MAX_FILES} files: the rest were not read")
                    return
                if _looks_like_mail_file(child):
                    yield from _file(child, explicit=False)
        stack.extend(reversed(dirs))


def _is_real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def _list(folder: Path) -> list[Path] | Unreadable:
    try:
        return list(folder.iterdir())
    except OSError as exc:
        return Unreadable(str(folder), None, _os_why(exc))


def _looks_like_mail_file(path: Path) -> bool:
    name = path.name.lower()
    if name.endswith(_EML_SUFFIXES + _MBOX_SUFFIXES) or name in ("mbox", "inbox", "sent"):
        return True
    if "." in name:
        return False
    return _sniff(path) != "unknown"  # mbox files without a suffix ("Sent", "Archive 2024")


def _sniff(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError:
        return "unknown"
    if head.startswith(b"From "):
        return "mbox"
    first = head.split(b"\n", 1)[0]
    if b":" in first and first.split(b":", 1)[0].replace(b"-", b"").isalnum():
        return "eml"
    return "unknown"


def _file(path: Path, *, explicit: bool) -> Iterator[RawMessage | Unreadable]:
    name = path.name.lower()
    kind = "mbox" if name.endswith(_MBOX_SUFFIXES) else _sniff(path)
    if kind == "mbox":
        yield from _mbox(path)
        return
    if kind == "unknown" and not explicit:
        return
    yield _whole_file(path, 1)


def _whole_file(path: Path, number: int) -> RawMessage | Unreadable:
    try:
        with path.open("rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return Unreadable(str(path), number, "not a regular file")
            data = fh.read(MAX_MESSAGE_BYTES + 1)
    except OSError as exc:
        return Unreadable(str(path), number, _os_why(exc))
    if len(data) > MAX_MESSAGE_BYTES:
        return Unreadable(str(path), number, f"larger than {MAX_MESSAGE_BYTES // 2**20} MB")
    if not data.strip():
        return Unreadable(str(path), number, "empty file")
    return RawMessage(str(path), number, data)


def _maildir(folder: Path) -> Iterator[RawMessage | Unreadable]:
    number = 0
    for sub in ("cur", "new"):
        listing = _list(folder / sub)
        if isinstance(listing, Unreadable):
            yield listing
            continue
        for child in sorted(listing, key=lambda p: p.name):
            if child.name.startswith("."):
                continue
            try:
                st = child.lstat()
            except OSError as exc:
                yield Unreadable(str(child), None, _os_why(exc))
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            number += 1
            yield _whole_file(child, number)


def _mbox(path: Path) -> Iterator[RawMessage | Unreadable]:
    """Split an mbox (mboxo or mboxrd, LF or CRLF) on "From " lines that follow a blank line."""
    source = str(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield Unreadable(source, None, _os_why(exc))
        return
    with fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            yield Unreadable(source, None, "not a regular file")
            return
        number = 0
        lines: list[bytes] = []
        size = 0
        too_big = False
        start = 0
        pos = 0
        previous_blank = True
        at_line_start = True
        try:
            while True:
                # bounded reads: a hostile file with one endless line never fills memory
                line = fh.readline(_CHUNK)
                if not line:
                    break
                started, at_line_start = at_line_start, line.endswith(b"\n")
                is_from = (started and previous_blank and line.startswith(b"From ")
                           and _FROM_LINE.match(line) is not None)
                if is_from:
                    if number:
                        yield _mbox_message(source, number, lines, too_big, start)
                    elif any(x.strip() for x in lines):
                        yield Unreadable(source, None, "text before the first message was "
                                         "skipped (is this an mbox file?)")
                    number += 1
                    lines, size, too_big, start = [], 0, False, pos
                else:
                    if not too_big:
                        size += len(line)
                        if size > MAX_MESSAGE_BYTES:
                            too_big, lines = True, []
                        else:
                            lines.append(_unescape_from(line) if started else line)
                previous_blank = started and line in (b"\n", b"\r\n")
                pos += len(line)
        except OSError as exc:
            yield Unreadable(source, number or None, _os_why(exc))
            return
        if number:
            yield _mbox_message(source, number, lines, too_big, start)
        elif any(x.strip() for x in lines):
            yield Unreadable(source, None, "no 'From ' line: not an mbox file")


def _unescape_from(line: bytes) -> bytes:
    """mboxrd: ">From " (any number of ">") loses one ">"; mboxo's ">From " is read the same."""
    if line.startswith(b">") and line.lstrip(b">").startswith(b"From "):
        return line[1:]
    return line


def _mbox_message(source: str, number: int, lines: list[bytes], too_big: bool,
                  offset: int) -> RawMessage | Unreadable:
    if too_big:
        return Unreadable(source, number, f"larger than {MAX_MESSAGE_BYTES // 2**20} MB")
    # the blank line before the next "From " belongs to the mbox format, not to the message
    if lines and lines[-1] in (b"\n", b"\r\n"):
        lines = lines[:-1]
    data = b"".join(lines)
    if not data.strip():
        return Unreadable(source, number, "empty message")
    return RawMessage(source, number, data, offset)


def _os_why(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a folder"
    return exc.strerror or str(exc)
