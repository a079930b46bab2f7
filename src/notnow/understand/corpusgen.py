"""Build the training corpus from hand-written fragments, deterministically.

The fragments in `corpus/fragments_*.txt` are written by notnow's authors: phrasings per label,
call notes in the salesperson's voice, whole replies, and the parts of an email (greetings,
sign-offs, titles, phone lines, legal footers, quoted history). This module combines them — one
fixed random seed — into `corpus/generated.jsonl`: plain phrasings, the same in lower case or
with typos, inside whole emails, call notes, two-reason replies, a plain no beside its reason,
out-of-office notices, bounces.

Run ``python -m notnow.understand.corpusgen`` to rewrite the file; a test checks it is current.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from notnow.core.model import Label

CORPUS_DIR = Path(__file__).parent / "corpus"
GENERATED = CORPUS_DIR / "generated.jsonl"
SEED = 20261122

_THIRD_PERSON = (
    (re.compile(r"\bwe're\b", re.I), "they're"), (re.compile(r"\bwe've\b", re.I), "they've"),
    (re.compile(r"\bwe'd\b", re.I), "they'd"), (re.compile(r"\bwe'll\b", re.I), "they'll"),
    (re.compile(r"\bwe\b", re.I), "they"), (re.compile(r"\bour\b", re.I), "their"),
    (re.compile(r"\bus\b", re.I), "them"), (re.compile(r"\bours\b", re.I), "theirs"),
)
_NOTE_LEADS = ("{person} said ", "said ", "prospect says ", "they told me ", "{person}: ",
               "{role} said ", "was told ", "")
_SECTION = re.compile(r"^\[(?:(note)\s+)?([a-z_]+)\]$")
_SLOT = re.compile(r"\{([a-z_]+)\}")

SRC_PHRASE = "notnow-authored: hand-written phrasing"
SRC_NOISY = "notnow-authored: hand-written phrasing, lower case / typos added by corpusgen"
SRC_EMAIL = ("notnow-authored: phrasing inside a generated email (greeting, signature, footer, "
             "quote)")
SRC_NOTE = "notnow-authored: call note in the salesperson's voice"
SRC_WHOLE = "notnow-authored: hand-written whole reply"
SRC_COMBO = "notnow-authored: two hand-written phrasings joined (primary + also)"
SRC_AUTO = "notnow-authored: generated auto-reply / bounce / departure notice"
SRC_REASON = ("notnow-authored: a hand-written decline joined to its reason (the reason is the "
              "label)")

_COMBOS: tuple[tuple[Label, Label], ...] = (
    (Label.COMPETITOR_CHOSEN, Label.NO_BUDGET),
    (Label.COMPETITOR_CHOSEN, Label.PRICE),
    (Label.NO_BUDGET, Label.NOT_NOW),
    (Label.NOT_NOW, Label.INTERESTED),
    (Label.HAS_SOLUTION, Label.NOT_NOW),
    (Label.WRONG_PERSON, Label.NOT_INTERESTED),
    (Label.NO_AUTHORITY, Label.NO_BUDGET),
    (Label.MISSING_CAPABILITY, Label.PRICE),
    (Label.PRICE, Label.NO_BUDGET),
    (Label.NO_NEED, Label.HAS_SOLUTION),
)

_REASONS: tuple[Label, ...] = (
    Label.NOT_NOW, Label.NO_BUDGET, Label.PRICE, Label.COMPETITOR_CHOSEN, Label.HAS_SOLUTION,
    Label.NO_NEED, Label.MISSING_CAPABILITY, Label.NO_AUTHORITY, Label.BAD_EXPERIENCE,
)
"""A plain no with a reason beside it is that reason: `not_interested` is a no *without* one."""


@dataclass
class Fragments:
    cores: dict[Label, list[str]]
    notes: dict[Label, list[str]]
    whole: list[tuple[Label, tuple[Label, ...], str]]
    parts: dict[str, list[str]]


def _sections(path: Path) -> Iterator[tuple[str | None, str, str]]:
    kind: str | None = None
    name = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = _SECTION.match(line)
        if m:
            kind, name = m.group(1), m.group(2)
            continue
        yield kind, name, line


def load_fragments(directory: Path = CORPUS_DIR) -> Fragments:
    cores: dict[Label, list[str]] = {label: [] for label in Label}
    notes: dict[Label, list[str]] = {label: [] for label in Label}
    parts: dict[str, list[str]] = {}
    for path in sorted(directory.glob("fragments_labels*.txt")):
        for kind, name, line in _sections(path):
            (notes if kind == "note" else cores)[Label(name)].append(line)
    for _kind, name, line in _sections(directory / "fragments_frames.txt"):
        parts.setdefault(name, []).append(line)
    whole: list[tuple[Label, tuple[Label, ...], str]] = []
    for _kind, _name, line in _sections(directory / "fragments_whole.txt"):
        labels, _, text = line.partition("|")
        names = [Label(x.strip()) for x in labels.split("+")]
        whole.append((names[0], tuple(names[1:]), text.strip()))
    return Fragments(cores, notes, whole, parts)


class _Writer:
    def __init__(self, frags: Fragments, rng: random.Random) -> None:
        self.f = frags
        self.rng = rng
        self.rows: list[dict[str, object]] = []

    # -- filling -------------------------------------------------------------------------
    def pick(self, part: str) -> str:
        return self.rng.choice(self.f.parts[part])

    def fill(self, template: str) -> str:
        def slot(m: re.Match[str]) -> str:
            name = m.group(1)
            if name == "fullname":
                return f"{self.pick('person')} {self.pick('surname')}"
            if name in ("me", "rep"):
                return self.pick("person")
            if name == "email":
                first = self.pick("person").lower()
                domain = self.pick("company").split()[0].lower().replace("ü", "u")
                return f"{first}@{domain}.com"
            if name in self.f.parts:
                return self.fill(self.pick(name))
            return m.group(0)

        return _SLOT.sub(slot, template)

    def add(self, text: str, label: Label, also: tuple[Label, ...], source: str) -> None:
        self.rows.append({"text": text, "label": label.value,
                          "also": [a.value for a in also], "source": source})

    # -- variants ------------------------------------------------------------------------
    def third_person(self, text: str) -> str | None:
        """ "We're locked in with X" -> "said they're locked in with X" (a call note)."""
        if not re.match(r"(?:we|our)\b", text, re.I):
            return None
        for pattern, repl in _THIRD_PERSON:
            text = pattern.sub(repl, text)
        lead = self.fill(self.rng.choice(_NOTE_LEADS))
        return lead + text[0].lower() + text[1:] if lead else text

    def noisy(self, text: str) -> str:
        r = self.rng.random()
        if r < 0.4:
            text = text.lower()
        elif r < 0.55:
            text = text.rstrip(".!")
        words = text.split(" ")
        for _ in range(self.rng.choice((0, 1, 1, 2))):
            i = self.rng.randrange(len(words))
            w = words[i]
            if len(w) > 4 and w.isalpha():
                j = self.rng.randrange(1, len(w) - 2)
                if self.rng.random() < 0.5:
                    w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
                else:
                    w = w[:j] + w[j + 1:]
                words[i] = w
        return " ".join(words)

    def email(self, body: str) -> str:
        rng = self.rng
        me = self.pick("person")
        out: list[str] = []
        if rng.random() < 0.75:
            out.append(self.pick("greeting").replace("{me}", me))
            out.append("")
        if rng.random() < 0.45:
            # Neutral chit-chat around the point, so that length alone teaches nothing.
            before = " ".join(self.pick("filler") for _ in range(rng.randrange(0, 3)))
            after = " ".join(self.pick("filler") for _ in range(rng.randrange(0, 2)))
            body = " ".join(x for x in (before, body, after) if x)
        if rng.random() < 0.4:
            out.append(self.fill(self.pick("opener")) + " " + body)
        else:
            out.append(body)
        if rng.random() < 0.3:
            out.append(self.pick("closer"))
        out.append("")
        if rng.random() < 0.8:
            out.append(self.pick("signoff"))
            out.append(f"{self.pick('person')} {self.pick('surname')}")
            if rng.random() < 0.6:
                out.append(self.pick("title"))
                out.append(self.pick("company"))
            if rng.random() < 0.4:
                out.append(self.pick("phone"))
        if rng.random() < 0.25:
            out += ["", self.pick("disclaimer")]
        if rng.random() < 0.5:
            out += ["", self._quoted(me)]
        return "\n".join(out)

    def _quoted(self, me: str) -> str:
        line = self.pick("quoted")
        style = self.rng.randrange(3)
        if style == 0:
            return (f"On Tue, 3 Nov 2026 at 09:{self.rng.randrange(10, 59)}, {me} "
                    f"<{me.lower()}@notnow-sales.example> wrote:\n> Hi,\n> {line}\n> {me}")
        if style == 1:
            return (f"-----Original Message-----\nFrom: {me}\nSent: Monday, November 2, 2026 "
                    f"10:12 AM\nTo: Prospect\nSubject: Quick question\n\n{line}")
        return (f"From: {me} <{me.lower()}@notnow-sales.example>\nSent: Wednesday\nTo: you\n"
                f"Subject: Re: intro\n\n{line}")


def _auto_replies(w: _Writer, n: int) -> None:
    """Whole automatic messages: some with header lines pasted in, some bare."""
    rng = w.rng
    ooo = w.f.cores[Label.AUTO_REPLY]
    for i in range(n):
        kind = i % 4
        person = w.fill("{fullname}")
        if kind == 0:
            subject = rng.choice(("Automatic reply: Intro", "Out of Office: Re: quick question",
                                  "Auto: Following up", "Abwesend: Ihre Anfrage"))
            body = w.fill(rng.choice(ooo))
            text = f"Subject: {subject}\nAuto-Submitted: auto-replied\n\n{body}"
        elif kind == 1:
            text = (f"Mail Delivery Subsystem\nDelivery to the following recipient failed "
                    f"permanently:\n\n    {w.fill('{email}')}\n\nTechnical details of permanent "
                    f"failure: 550 5.1.1 The email account that you tried to reach does not "
                    f"exist.\n\n----- Original message -----\n{w.pick('quoted')}")
        elif kind == 2:
            text = (f"Hello,\n\nThank you for your email. {person} is no longer with "
                    f"{w.pick('company')}. For any questions please contact "
                    f"{w.fill('{fullname}')} at {w.fill('{email}')}.\n\nKind regards")
        else:
            text = w.email(w.fill(rng.choice(ooo)))
        w.add(text, Label.AUTO_REPLY, (), SRC_AUTO)


def generate(frags: Fragments | None = None, seed: int = SEED) -> list[dict[str, object]]:
    frags = frags or load_fragments()
    w = _Writer(frags, random.Random(seed))
    rng = w.rng
    for label, cores in frags.cores.items():
        # Labels with fewer hand-written phrasings get more variants of each.
        per_core = max(3, min(7, 1100 // max(len(cores), 1)))
        for core in cores:
            w.add(w.fill(core), label, (), SRC_PHRASE)
            note = w.third_person(w.fill(core))
            if note is not None:
                w.add(note, label, (), SRC_NOTE)
            for k in range(per_core - 1):
                if k % 2 == 0:
                    w.add(w.email(w.fill(core)), label, (), SRC_EMAIL)
                else:
                    w.add(w.noisy(w.fill(core)), label, (), SRC_NOISY)
    for label, notes in frags.notes.items():
        for note in notes:
            for _ in range(3):
                frame = w.pick("notes_frame")
                text = w.fill(frame.replace("{core}", note))
                w.add(text if rng.random() < 0.7 else text.lower(), label, (), SRC_NOTE)
    for label, also, text in frags.whole:
        w.add(w.fill(text), label, also, SRC_WHOLE)
        w.add(w.email(w.fill(text)), label, also, SRC_WHOLE + " (in an email)")
        w.add(w.noisy(w.fill(text)), label, also, SRC_WHOLE + " (lower case / typos)")
    for primary, other in _COMBOS:
        for _ in range(12):
            a = w.fill(rng.choice(frags.cores[primary]))
            b = w.fill(rng.choice(frags.cores[other]))
            joiner = rng.choice((" ", " And ", " Also, ", " Besides, ", "\n"))
            w.add(a + joiner + b, primary, (other,), SRC_COMBO)
    declines = [c for c in frags.cores[Label.NOT_INTERESTED] if "{" not in c and len(c) < 60]
    for i in range(14 * len(_REASONS)):
        reason = _REASONS[i % len(_REASONS)]
        a = w.fill(rng.choice(declines))
        b = w.fill(rng.choice(frags.cores[reason]))
        text = f"{a} {b}" if i % 3 else f"{b} {a}"
        w.add(w.email(text) if i % 4 == 0 else text, reason, (), SRC_REASON)
    dnc = frags.cores[Label.DO_NOT_CONTACT]
    others = [label for label in Label if label not in (Label.DO_NOT_CONTACT, Label.AUTO_REPLY)]
    for i in range(90):
        other = others[i % len(others)]
        a = w.fill(rng.choice(frags.cores[other]))
        b = w.fill(rng.choice(dnc))
        text = f"{a} {b}" if i % 2 else f"{b} {a}"
        w.add(w.email(text) if i % 3 == 0 else text, Label.DO_NOT_CONTACT, (other,), SRC_COMBO)
    _auto_replies(w, 120)
    return w.rows


def write(path: Path = GENERATED) -> int:
    rows = generate()
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)


if __name__ == "__main__":  # pragma: no cover
    print(f"wrote {write()} rows to {GENERATED}")
