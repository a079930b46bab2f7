"""Regular expressions compiled once per Python (`notnow.understand.patterns`): what the kept
code gives is what `re.compile` gives, a later process compiles nothing, and a kept file that
is damaged, hostile, or cannot be written costs only the time it would have saved."""

from __future__ import annotations

import json
import marshal
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notnow.understand import intl_corpus, patterns, rules_intl

GROUPS = {
    "do_not_contact": [p for ps in rules_intl.DNC.values() for p in ps],
    "auto_reply": [p for ps in rules_intl.AUTO.values() for p in ps],
    "cues": [p for ps in rules_intl.CUES.values() for p in ps],
    "suspects": list(rules_intl.SUSPECT),
}


@pytest.fixture
def kept_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    yield tmp_path / "notnow"


def _same(a: re.Pattern[str], b: re.Pattern[str]) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups,
                                                            b.groupindex)


def _spans(p: re.Pattern[str], text: str) -> list[tuple[int, int, tuple[str | None, ...]]]:
    return [(m.start(), m.end(), m.groups()) for m in p.finditer(text)]


def _kept_twice(name: str, group: list[str], flags: int = re.MULTILINE
                ) -> list[re.Pattern[str]]:
    first = patterns.compile_group(name, group, flags)
    second = patterns.compile_group(name, group, flags)  # from the kept file
    for a, b in zip(first, second, strict=True):
        _same(a, b)
    return second


@cache
def _texts() -> list[str]:
    """notnow's own phrasings in ten languages, lower-cased as the rules read them."""
    every = [p.text.lower() for p in intl_corpus.phrasings()]
    return every[:: max(1, len(every) // 1500)]


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_kept_code_finds_what_re_compile_finds(kept_in: Path, name: str) -> None:
    group = GROUPS[name]
    kept = _kept_twice(f"intl-{name}", group)
    assert len(list(kept_in.glob(f"regex-intl-{name}-*.marshal"))) == 1
    assert kept_in.stat().st_mode & 0o077 == 0  # the folder is the user's alone
    found = 0
    for fresh, got in zip((re.compile(p, re.MULTILINE) for p in group), kept, strict=True):
        _same(fresh, got)
        for text in _texts():
            want = _spans(fresh, text)
            assert _spans(got, text) == want, (fresh.pattern, text)
            found += bool(want)
    assert found > 5  # the corpus does reach the patterns


_FRAGMENTS = st.sampled_from(sorted({w for ps in GROUPS.values() for p in ps
                                     for w in re.findall(r"[^\W\d_]{3,}", p)}))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.one_of(_FRAGMENTS, st.text(max_size=6)), max_size=12))
def test_kept_code_matches_like_re_on_any_text(kept_in: Path, words: list[str]) -> None:
    """Texts made of the patterns' own words (and anything else): each kept pattern finds
    exactly what a fresh one finds."""
    text = " ".join(words).lower()
    for name, group in GROUPS.items():
        kept = patterns.compile_group(f"intl-{name}", group, re.MULTILINE)
        for p, got in zip(group, kept, strict=True):
            assert _spans(got, text) == _spans(re.compile(p, re.MULTILINE), text)


def test_flags_and_named_groups_are_kept(kept_in: Path) -> None:
    group = [r"(?P<who>ich|wir)\s+(?P<what>\w+)", r"(?i)ABMELDEN", r"^x$", r"(a)|(?P<b>b)"]
    for flags in (0, re.MULTILINE, re.IGNORECASE | re.DOTALL):
        name = f"flags{int(flags)}"
        kept = _kept_twice(name, group, flags)
        for p, got in zip(group, kept, strict=True):
            fresh = re.compile(p, flags)
            _same(got, fresh)
            for text in ("wir abmelden\nx", "Wir ABMELDEN\nX\nab", "ich\tgehe b"):
                assert _spans(got, text) == _spans(fresh, text)
                assert [m.groupdict() for m in got.finditer(text)] == [
                    m.groupdict() for m in fresh.finditer(text)]
    assert len(list(kept_in.glob("regex-flags*.marshal"))) == 3


def _no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(patterns._parser(), "parse", refuse)
    monkeypatch.setattr(re, "compile", refuse)


def test_a_later_call_compiles_nothing(kept_in: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    group = GROUPS["do_not_contact"]
    patterns.compile_group("later", group, re.MULTILINE)
    _no_compiling(monkeypatch)
    assert len(patterns.compile_group("later", group, re.MULTILINE)) == len(group)


def test_a_new_process_reads_the_other_languages_rules_without_compiling(
        tmp_path: Path) -> None:
    """The finding: every `notnow log` of a reply in another language compiled the other
    languages' 431 opt-out, auto-reply and cue patterns again (33 ms)."""
    script = textwrap.dedent("""
        import json, re, sys
        from re import _parser
        from notnow.understand import rules_intl
        parsed = []
        real = _parser.parse
        def counting(p, flags=0, *a):
            parsed.append(p)
            return real(p, flags, *a)
        _parser.parse = counting
        low = "bitte nehmen sie mich aus ihrem verteiler. ich bin bis montag nicht im büro."
        hits = rules_intl.hard_hits(low)
        cues = rules_intl.cue_hits(low)
        ours = {p for ps in (*rules_intl.DNC.values(), *rules_intl.AUTO.values(),
                             *rules_intl.CUES.values()) for p in ps}
        print(json.dumps({"hits": [h.label.value for h in hits], "cues": len(cues),
                          "compiled": sum(p in ours for p in parsed)}))
    """)
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    runs = [json.loads(subprocess.run([sys.executable, "-c", script], env=env, check=True,
                                      capture_output=True, text=True).stdout)
            for _ in range(2)]
    assert runs[0]["compiled"] > 300  # the first process compiles them and keeps the code
    assert runs[1]["compiled"] == 0
    assert runs[0]["hits"] == runs[1]["hits"] == ["do_not_contact", "auto_reply"]
    assert runs[0]["cues"] == runs[1]["cues"]


def _kept_file(kept_in: Path, name: str) -> Path:
    (path,) = kept_in.glob(f"regex-{name}-*.marshal")
    return path


HOSTILE = {
    "garbage": b"\x00\xffnot marshal at all",
    "empty": b"",
    "truncated": None,  # the first half of a good file
    "another list": marshal.dumps([1, 2, 3]),
    "a dict": marshal.dumps({"a": 1}),
    "another pattern's code": None,  # entries of a different group under this file's name
    "invalid engine code": None,
    "wrong flags": None,
}


@pytest.mark.parametrize("damage", sorted(HOSTILE))
def test_a_damaged_or_hostile_file_is_not_used_and_is_written_again(
        kept_in: Path, damage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    group = [r"\babmelden\b", r"(?P<x>nicht)\s+mehr", r"\bno\s+more\b"]
    patterns.compile_group("hurt", group)
    path = _kept_file(kept_in, "hurt")
    good = path.read_bytes()
    entries = marshal.loads(good)
    body = HOSTILE[damage]
    if damage == "truncated":
        body = good[: len(good) // 2]
    elif damage == "another pattern's code":
        other = patterns.compile_group("other", [r"x", r"y", r"z"])
        assert other
        body = _kept_file(kept_in, "other").read_bytes()
    elif damage == "invalid engine code":
        body = marshal.dumps([(e[0], e[1], [99999] * 5, e[3], e[4], e[5]) for e in entries])
    elif damage == "wrong flags":
        body = marshal.dumps([(e[0], "x", *e[2:]) for e in entries])
    assert body is not None
    path.write_bytes(body)
    got = patterns.compile_group("hurt", group)
    for p, g in zip(group, got, strict=True):
        _same(g, re.compile(p))
        assert _spans(g, "bitte abmelden, nicht  mehr. no more") == _spans(
            re.compile(p), "bitte abmelden, nicht  mehr. no more")
    assert path.read_bytes() == good  # written again whole


def test_a_folder_that_cannot_be_written_costs_nothing_but_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # notnow/ cannot be made under a file
    group = GROUPS["suspects"]
    got = patterns.compile_group("nowhere", group, re.MULTILINE)
    for p, g in zip(group, got, strict=True):
        _same(g, re.compile(p, re.MULTILINE))


def test_no_home_and_no_cache_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert patterns.cache_dir() is None
    got = patterns.compile_group("homeless", [r"a+b"])
    _same(got[0], re.compile(r"a+b"))


def test_a_changed_pattern_gets_a_file_of_its_own_and_the_old_one_goes(kept_in: Path) -> None:
    patterns.compile_group("change", [r"alt"])
    patterns.compile_group("chang", [r"kurz"])  # other groups, whose names begin the same
    patterns.compile_group("change-x", [r"lang"])
    (first,) = kept_in.glob("regex-change-[0-9a-f]*.marshal")
    patterns.compile_group("change", [r"neu"])
    (second,) = kept_in.glob("regex-change-[0-9a-f]*.marshal")
    assert second != first
    assert len(list(kept_in.glob("regex-chang-*.marshal"))) == 1  # left alone
    assert len(list(kept_in.glob("regex-change-x-*.marshal"))) == 1
    assert patterns.compile_group("change", [r"neu"])[0].search("ganz neu") is not None
    assert patterns.compile_group("change", [r"alt"])[0].search("ganz neu") is None


def test_writers_at_once_leave_a_whole_file(kept_in: Path) -> None:
    group = GROUPS["cues"]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: patterns.compile_group("race", group, re.MULTILINE),
                                range(16)))
    for got in results:
        for p, g in zip(group, got, strict=True):
            _same(g, re.compile(p, re.MULTILINE))
    assert [p.name for p in kept_in.iterdir()] == [_kept_file(kept_in, "race").name]  # no temp left
    assert len(marshal.loads(_kept_file(kept_in, "race").read_bytes())) == len(group)


def test_a_folder_others_can_write_to_is_not_used(kept_in: Path) -> None:
    """Another user who can write to the folder could have left code there: with group or
    world write on the folder, nothing in it is read or written (the group is compiled)."""
    group = [r"abc", r"(?P<n>\d+)"]
    patterns.compile_group("shared", group)
    path = _kept_file(kept_in, "shared")
    entries = marshal.loads(path.read_bytes())
    # each entry given the other pattern's code: well formed, and wrong
    planted = marshal.dumps([(e[0], e[1], entries[1 - i][2], *e[3:])
                             for i, e in enumerate(entries)])
    path.write_bytes(planted)
    for mode in (0o777, 0o720, 0o702):
        kept_in.chmod(mode)
        try:
            got = patterns.compile_group("shared", group)
        finally:
            kept_in.chmod(0o700)
        assert got[0].search("xx abc") is not None and got[0].search("42") is None
        assert got[1].search("42").groupdict() == {"n": "42"}  # type: ignore[union-attr]
        assert path.read_bytes() == planted  # nor written


def test_a_compiler_inside_that_differs_is_not_a_failure(
        kept_in: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A later Python whose compiler's inner steps differ: the group is compiled the ordinary
    way, and a pattern that is wrong is still refused as `re.compile` refuses it."""
    def changed(*_a: object) -> None:
        raise TypeError("_code() takes 3 positional arguments")

    from types import SimpleNamespace

    monkeypatch.setattr(patterns, "_compiler", lambda: SimpleNamespace(_code=changed))
    got = patterns.compile_group("later-python", [r"(?P<a>x)y"], re.MULTILINE)
    _same(got[0], re.compile(r"(?P<a>x)y", re.MULTILINE))
    assert not list(kept_in.glob("regex-later-python-*"))
    with pytest.raises(re.error):
        patterns.compile_group("later-python", [r"(unclosed"])
