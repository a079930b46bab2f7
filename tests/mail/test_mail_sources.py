"""Messages from .eml files, mbox files (mboxo/mboxrd, LF/CRLF), Maildir folders and trees."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mailcorpus import MESSAGES, crlf

from notnow.mail import RawMessage, Unreadable, iter_messages, parse_message
from notnow.mail import sources as sources_module


def mbox_of(*messages: bytes, newline: bytes = b"\n") -> bytes:
    out = b""
    for i, data in enumerate(messages):
        body = b"\n".join(b">" + line if line.lstrip(b">").startswith(b"From ") else line
                          for line in data.replace(b"\r\n", b"\n").split(b"\n"))
        out += b"From sender%d@x.io Tue Nov  3 09:14:00 2026\n" % i + body.rstrip(b"\n") + b"\n\n"
    return out.replace(b"\n", newline)


def test_eml_file_is_one_message(tmp_path: Path) -> None:
    path = tmp_path / "reply.eml"
    path.write_bytes(MESSAGES["gmail_de"])
    (item,) = list(iter_messages([path]))
    assert item == RawMessage(str(path), 1, MESSAGES["gmail_de"])


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"])
def test_mbox_is_split_on_from_lines_and_unescaped(tmp_path: Path, newline: bytes) -> None:
    body_with_from = (b"From: a@b.io\nSubject: escaped\nMessage-ID: <esc@x>\n\n"
                      b"Hello\n\nFrom here on we say no.\n>From quoted stays quoted once.\n")
    path = tmp_path / "export.mbox"
    path.write_bytes(mbox_of(MESSAGES["gmail_de"], body_with_from, MESSAGES["internal"],
                             newline=newline))
    items = list(iter_messages([path]))
    assert [(type(i).__name__, i.number) for i in items] == [
        ("RawMessage", 1), ("RawMessage", 2), ("RawMessage", 3)]
    assert all(isinstance(i, RawMessage) for i in items)
    second = parse_message(items[1].data)  # type: ignore[union-attr]
    assert second.subject == "escaped"
    assert "\nFrom here on we say no." in second.text
    assert ">From quoted stays quoted once." in second.text
    assert parse_message(items[0].data).subject == "Re: Kurze Frage zu Ihrem Einkauf"  # type: ignore[union-attr]
    offsets = [i.offset for i in items]  # type: ignore[union-attr]
    assert offsets[0] == 0 and offsets == sorted(offsets)


def test_mbox_streams_and_skips_an_oversized_message(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources_module, "MAX_MESSAGE_BYTES", 10_000)
    big = b"From: a@b.io\nSubject: big\n\n" + (b"x" * 100 + b"\n") * 200
    path = tmp_path / "big.mbox"
    path.write_bytes(mbox_of(MESSAGES["internal"], big, MESSAGES["newsletter"]))
    items = list(iter_messages([path]))
    assert [type(i).__name__ for i in items] == ["RawMessage", "Unreadable", "RawMessage"]
    bad = items[1]
    assert isinstance(bad, Unreadable) and bad.number == 2 and "larger than" in bad.why
    assert str(bad.error()).startswith(f"{path}, message 2: larger than")


def test_a_single_endless_line_is_read_in_bounded_pieces(tmp_path: Path) -> None:
    path = tmp_path / "oneline.mbox"
    path.write_bytes(b"From x Tue Nov  3 09:14:00 2026\nSubject: long\n\n" + b"y" * 300_000
                     + b" From not-a-separator\n")
    (item,) = list(iter_messages([path]))
    assert isinstance(item, RawMessage) and len(item.data) > 300_000


def test_not_an_mbox_and_missing_paths_are_reported_and_the_rest_goes_on(
        tmp_path: Path) -> None:
    good = tmp_path / "good.eml"
    good.write_bytes(MESSAGES["internal"])
    notes = tmp_path / "notes.mbox"
    notes.write_bytes(b"just notes\nno messages\n")
    items = list(iter_messages([tmp_path / "missing.eml", notes, good]))
    assert [type(i).__name__ for i in items] == ["Unreadable", "Unreadable", "RawMessage"]
    assert items[0].why == "no such file or folder"  # type: ignore[union-attr]
    assert "not an mbox" in items[1].why  # type: ignore[union-attr]


def make_maildir(root: Path, messages: dict[str, bytes]) -> None:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    for i, (name, data) in enumerate(messages.items()):
        where = "new" if i % 2 else "cur"
        (root / where / f"17330000{i:02d}.M{i}P1.host:2,S-{name}").write_bytes(data)


def test_maildir_with_subfolders_links_and_fifos(tmp_path: Path) -> None:
    box = tmp_path / "Maildir"
    make_maildir(box, {k: MESSAGES[k] for k in ("gmail_de", "outlook_cp1252", "internal")})
    make_maildir(box / ".Sent", {"sent": MESSAGES["sent_by_owner"]})
    (box / "cur" / "evil-link").symlink_to("/dev/zero")
    os.mkfifo(box / "new" / "a-fifo")  # opening it would block for ever
    (box / "tmp" / "half-written").write_bytes(b"From: partial")
    (box / "dovecot-uidlist").write_text("3 V1 N4\n")
    items = list(iter_messages([box]))
    assert all(isinstance(i, RawMessage) for i in items)
    subjects = [parse_message(i.data).subject for i in items]  # type: ignore[union-attr]
    assert sorted(subjects) == sorted(["Re: Kurze Frage zu Ihrem Einkauf",
                                       "RE: Proposal for Q1", "Pipeline review",
                                       "Re: Proposal for Q1"])


def test_folder_tree_mixes_eml_mbox_and_maildir_and_ignores_other_files(
        tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.eml").write_bytes(MESSAGES["gmail_de"])
    (tmp_path / "a" / "Sent").write_bytes(mbox_of(MESSAGES["sent_by_owner"]))  # no suffix
    (tmp_path / "a" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (tmp_path / "a" / "README").write_bytes(b"\x00\x01binary")
    make_maildir(tmp_path / "b" / "Maildir", {"x": MESSAGES["internal"]})
    (tmp_path / "loop").symlink_to(tmp_path)  # a symlinked folder is never followed
    items = list(iter_messages([tmp_path]))
    assert [Path(i.source).name for i in items] == ["Sent", "one.eml", "1733000000.M0P1.host:2,S-x"]
    assert all(isinstance(i, RawMessage) for i in items)


def test_crlf_eml_and_explicit_unknown_file(tmp_path: Path) -> None:
    path = tmp_path / "message.txt"
    path.write_bytes(crlf(MESSAGES["internal"]))
    (item,) = list(iter_messages([path]))
    assert isinstance(item, RawMessage) and parse_message(item.data).subject == "Pipeline review"


def test_an_unescaped_from_line_in_a_body_does_not_split_the_message(tmp_path: Path) -> None:
    path = tmp_path / "careless.mbox"
    path.write_bytes(b"From a@b.io Tue Nov  3 09:14:00 2026\nFrom: a@b.io\nSubject: one\n\n"
                     b"Hello\n\nFrom here on we say no.\n\n"
                     b"From - Wed Nov  4 10:00:00 2026\nFrom: c@d.io\nSubject: two\n\nHi\n")
    items = list(iter_messages([path]))
    assert len(items) == 2
    first = parse_message(items[0].data)  # type: ignore[union-attr]
    assert first.subject == "one" and "From here on we say no." in first.text
