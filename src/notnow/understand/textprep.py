"""Text preparation: find the prospect's own words in a pasted email or note.

`prepare` turns HTML into text, then drops quoted history ("On … wrote:", "> " lines,
"-----Original Message-----", Outlook "From:/Sent:" blocks), signatures, phone lines and legal
footers. The cleaned text keeps a map back to the original, so every span found in it can be
reported with offsets into the text the user gave (`Prepared.to_original`).

Why not mail-parser-reply: it was evaluated (1.36, in the venv). It rewrites the message (strips
every line, normalises line ends) so spans cannot be mapped back, it kept "Best regards," signature
blocks in our samples, and it costs ~0.15 ms per short message — more than the whole budget for a
reply at 10,000/s. The rules below are the ones we need, on lines, with offsets kept.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

from notnow.understand.htmltext import html_to_text, looks_like_html

MAX_INPUT_CHARS = 200_000
"""Only this much of a huge input is looked at (a 1 MB paste costs the same as 200 KB)."""
MAX_CLEAN_CHARS = 20_000
"""The cleaned text is cut here: a reply longer than this is classified on its first part."""

_QUOTE_HEADER = re.compile(
    r"""^\s*(?:
        (?:on|am|le|el|il|op)\b.{0,200}?(?:wrote|schrieb|a\ écrit|escribió|ha\ scritto|schreef)
        \b[^\n:]{0,120}:
      | -{2,}\s*(?:original\ message|forwarded\ message|ursprüngliche\ nachricht
                  |message\ d'origine|mensaje\ original|weitergeleitete\ nachricht)\s*-{0,}
      | begin\ forwarded\ message\s*:
      | _{10,}
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_HEADER_FIELD = re.compile(
    r"^\s*\**(?:from|sent|date|to|cc|subject|von|gesendet|an|betreff|datum|de|envoyé|à|objet"
    r"|enviado|para|asunto)\s*:\**\s",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^\s*(?:(?:best|kind|warm|warmest|many|with)?\s*(?:regards|wishes|thanks)"
    r"|best|cheers|thanks|thank\s+you|thx|sincerely|yours\s+(?:sincerely|truly)|all\s+the\s+best"
    r"|br|rgds|talk\s+soon|take\s+care|mit\s+freundlichen\s+grüßen|viele\s+grüße|beste\s+grüße"
    r"|cordialement|bien\s+(?:cordialement|à\s+vous)|saludos(?:\s+cordiales)?|un\s+saludo"
    r"|atentamente)\s*[,.!]?\s*$",
    re.IGNORECASE,
)
_SIGNATURE_START = re.compile(
    r"^(?:--\s*|—|__|sent\s+from\s+my\s+\w+.*|get\s+outlook\s+for\s+\w+.*"
    r"|von\s+meinem\s+\w+\s+gesendet.*|envoyé\s+de\s+mon\s+\w+.*)$",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"^\s*\**(?:confidentiality\s+(?:notice|note|statement)|disclaimer\b|legal\s+notice"
    r"|privileged\s*(?:&|and)\s*confidential"
    r"|this\s+(?:e-?mail|message|communication|transmission)\b.{0,80}?"
    r"\b(?:confidential|intended\s+(?:solely|only|for)|privileged)"
    r"|the\s+information\s+(?:contained\s+)?in\s+this\s+(?:e-?mail|message|communication)"
    r"|if\s+you\s+(?:have\s+received|are\s+not\s+the\s+intended)"
    r"|diese\s+e-?mail\s+(?:enthält|kann)|ce\s+message\s+(?:et\s+toutes|est\s+confidentiel))",
    re.IGNORECASE,
)
_PHONE_LINE = re.compile(
    r"^\s*(?:(?:tel|phone|mobile|mob|cell|fax|direct|office|t|m|p|f|ph)\.?\s*[:.]?\s*)?"
    r"\+?[\d\s().\-/]{7,}\s*(?:ext\.?\s*\d+)?\s*$",
    re.IGNORECASE,
)


def lowered(text: str) -> str:
    """`text` in lower case with typographic apostrophes made plain, every offset kept."""
    low = text.lower()
    if len(low) != len(text):  # a few characters grow when lowered ("İ"): keep them as they are
        low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    return low.replace("’", "'") if "’" in low else low


class Prepared(NamedTuple):
    """The cleaned text and how to find each of its characters in the original.

    (A named tuple: one is made for every reply, and a tuple is made several times faster than
    a frozen dataclass.)"""

    text: str
    original: str
    clean_starts: tuple[int, ...]
    orig_starts: tuple[int, ...]
    orig_ends: tuple[int, ...]
    linear: tuple[bool, ...]
    own_end: int = -1
    """Where the sender's own lines end in `original` (signature and postscript included): the
    start of quoted history; 0 when unknown (HTML) or when the text is only a forward."""

    def direct(self) -> bool:
        """Whether every span of `text` is the same span of `original` (a reply of one line,
        the most common case): `to_original` is then the identity on non-empty spans."""
        return (len(self.linear) == 1 and self.linear[0]
                and self.orig_starts[0] == self.clean_starts[0])

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the span [start, end) of `text` to a span of `original`."""
        if not self.clean_starts or end <= start:
            return (0, 0)
        if len(self.linear) == 1 and self.linear[0]:  # one piece, copied as is (most replies)
            shift, size = self.orig_starts[0] - self.clean_starts[0], len(self.original)
            return (min(start + shift, size), min(end + shift, size))
        return (self._map(start, is_end=False), self._map(end - 1, is_end=True))

    def _map(self, pos: int, *, is_end: bool) -> int:
        i = max(bisect_right(self.clean_starts, pos) - 1, 0)
        if self.linear[i]:
            mapped = self.orig_starts[i] + (pos - self.clean_starts[i])
            return min(mapped + (1 if is_end else 0), len(self.original))
        return self.orig_ends[i] if is_end else self.orig_starts[i]


class _Builder:
    """Collects pieces of the cleaned text with their place in the source."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.clean_starts: list[int] = []
        self.orig_starts: list[int] = []
        self.orig_ends: list[int] = []
        self.linear: list[bool] = []

    def add(self, text: str, orig_start: int, orig_end: int) -> None:
        if not text:
            return
        self.clean_starts.append(self.length)
        self.orig_starts.append(orig_start)
        self.orig_ends.append(orig_end)
        self.linear.append(orig_end - orig_start == len(text))
        self.parts.append(text)
        self.length += len(text)

    def build(self, original: str, own_end: int) -> Prepared:
        return Prepared("".join(self.parts), original, tuple(self.clean_starts),
                        tuple(self.orig_starts), tuple(self.orig_ends), tuple(self.linear),
                        own_end)


def _lines(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.endswith("\r"):
            spans.append((pos, end - 1))
        else:
            spans.append((pos, end))
        pos = end + 1
    return spans


def _quote_cut(text: str, lines: list[tuple[int, int]]) -> int:
    """Index of the first line of quoted or forwarded history (len(lines) if none)."""
    for i, (a, b) in enumerate(lines):
        line = text[a:b]
        if not line.strip():
            continue
        if _QUOTE_HEADER.match(line):
            return i
        if i + 1 < len(lines) and line.lstrip().lower().startswith(("on ", "am ", "le ", "el ")):
            joined = line + " " + text[lines[i + 1][0]:lines[i + 1][1]]
            if len(joined) < 300 and _QUOTE_HEADER.match(joined):
                return i
        if _HEADER_FIELD.match(line):
            following = [text[x:y] for x, y in lines[i + 1:i + 5]]
            if sum(1 for f in following if _HEADER_FIELD.match(f)) >= 2:
                return i
    return len(lines)


def _skip_header_block(text: str, lines: list[tuple[int, int]], start: int) -> int:
    """After a forward marker, skip the From:/Sent:/Subject: lines to the forwarded body."""
    i = start + 1
    while i < len(lines) and (_HEADER_FIELD.match(text[lines[i][0]:lines[i][1]])
                              or not text[lines[i][0]:lines[i][1]].strip()):
        i += 1
    return i


def _body_lines(text: str, lines: list[tuple[int, int]], cut: int) -> list[tuple[int, int]]:
    """The lines that hold the newest message's own words (`cut`: `_quote_cut`)."""
    head = lines[:cut]
    if cut < len(lines) and not any(text[a:b].strip() for a, b in head):
        # Nothing above the marker: a forwarded message, whose body is what we want.
        rest = lines[_skip_header_block(text, lines, cut):]
        if rest:
            sub_cut = _quote_cut(text, rest)
            head = rest[:sub_cut]
    kept: list[tuple[int, int]] = []
    seen_content = False
    for a, b in head:
        line = text[a:b]
        stripped = line.strip()
        if stripped.startswith(">"):
            continue
        if seen_content and (_SIGN_OFF.match(stripped) or _SIGNATURE_START.match(stripped)
                             or _DISCLAIMER.match(stripped)):
            break
        if _SIGNATURE_START.match(stripped) and stripped.lower().startswith(("sent ", "get ")):
            break
        if stripped and _PHONE_LINE.match(stripped) and not stripped.isdigit():
            continue
        if stripped:
            seen_content = True
        kept.append((a, b))
    while kept and not text[kept[-1][0]:kept[-1][1]].strip():
        kept.pop()
    return kept


def prepare(raw: str) -> Prepared:
    """Clean a reply for classification, keeping a map back to `raw`."""
    source = raw[:MAX_INPUT_CHARS]
    if "\n" not in source and "<" not in source and not source.lstrip().startswith(">"):
        # One line of plain text (most replies and notes): nothing to strip.
        line = source[:MAX_CLEAN_CHARS]
        return Prepared(line, raw, (0,), (0,), (len(line),), (True,), len(source))
    html = looks_like_html(source)
    if html:
        plain, segments = html_to_text(source)
    else:
        plain, segments = source, [(0, 0, len(source))]
    lines = _lines(plain)
    cut = _quote_cut(plain, lines)
    own_end = 0
    if not html:
        own_end = len(source) if cut >= len(lines) else lines[cut][0]
        if cut < len(lines) and not any(plain[a:b].strip() for a, b in lines[:cut]):
            own_end = 0
    kept = _body_lines(plain, lines, cut)
    if not kept:
        kept = [(a, b) for a, b in lines if plain[a:b].strip()]
    builder = _Builder()
    seg_starts = [s[0] for s in segments]
    for n, (a, b) in enumerate(kept):
        if n:
            prev_end = kept[n - 1][1]
            _add_mapped(builder, plain, "\n", prev_end, prev_end + 1, segments, seg_starts)
        _add_mapped(builder, plain, plain[a:b], a, b, segments, seg_starts)
        if builder.length >= MAX_CLEAN_CHARS:
            break
    prepared = builder.build(raw, own_end)
    if len(prepared.text) > MAX_CLEAN_CHARS:
        return Prepared(prepared.text[:MAX_CLEAN_CHARS], raw, prepared.clean_starts,
                        prepared.orig_starts, prepared.orig_ends, prepared.linear, own_end)
    return prepared


def _add_mapped(builder: _Builder, plain: str, piece: str, a: int, b: int,
                segments: list[tuple[int, int, int]], seg_starts: list[int]) -> None:
    """Add plain[a:b] to the builder, split where the HTML segments change."""
    if len(segments) == 1 and segments[0][1] == 0 and segments[0][2] == len(plain):
        builder.add(piece, a, b)
        return
    pos = a
    while pos < b:
        i = max(bisect_right(seg_starts, pos) - 1, 0)
        seg_plain, seg_orig, seg_len = segments[i]
        seg_end = seg_starts[i + 1] if i + 1 < len(segments) else len(plain)
        upto = min(b, seg_end)
        if seg_len == seg_end - seg_plain:
            offset = pos - seg_plain
            builder.add(plain[pos:upto], seg_orig + offset, seg_orig + offset + (upto - pos))
        else:
            builder.add(plain[pos:upto], seg_orig, seg_orig + seg_len)
        pos = upto


_QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)


def blank_quoted_lines(text: str) -> str:
    """`text` with "> " quoted lines blanked out (same length, offsets kept)."""
    if ">" not in text:
        return text
    return _QUOTED_LINE.sub(lambda m: " " * len(m.group()), text)
