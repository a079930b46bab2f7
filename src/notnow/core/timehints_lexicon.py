"""The words of time hints: month and weekday names (with common typos), counts, units, and the
patterns that find candidate phrases ("heads") in a lower-cased text.

Two passes keep it fast. :data:`TRIGGER` (one trie-shaped regex) finds every digit or time word;
a text without one has no hint. Around each hit, :func:`head_pattern` searches a small window
with only the :data:`HEAD_PARTS` that the trigger word can start ("quarter" can be in a span, a
quarter or a period, never in a weekday). Each part is a named group; the rules in
:mod:`notnow.core.timehints_rules` read the words around a head (``next``, ``end of``,
``until`` ...) to decide what it means. Kept apart from the rules so the vocabulary reads as data.
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from typing import Any

from notnow.core.timehints_openings import PART_OPENINGS

MONTHS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTH_TYPOS: dict[str, int] = {"janaury": 1, "janurary": 1, "febuary": 2, "feburary": 2,
                               "ocotber": 10, "septmber": 9, "novmber": 11, "decmber": 12}

MONTH_RE = (
    r"(?:jan(?:uary|aury|urary)?|feb(?:ruary|uary|urary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?|tember|tmber)?|oct(?:ober)?|ocotber|nov(?:ember)?|novmber"
    r"|dec(?:ember)?|decmber)"
)
WEEKDAYS: dict[str, int] = {"mon": 0, "tue": 1, "wed": 2, "wen": 2, "thu": 3, "thr": 3,
                            "fri": 4, "sat": 5, "sun": 6}
WEEKDAY_RE = (
    r"(?:monday|tuesday|tues|tuesay|wednesday|wendesday|wensday|wednes|thursday|thurs|thrusday"
    r"|friday|saturday|sunday)"
)

NUMBER_WORDS: dict[str, float] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "couple": 2, "few": 3,
    "several": 3, "handful": 3,
}
"""Counts. "A few" is three (the taxonomy's "a few weeks"); "several" takes the earlier end of
its 3-5 reading, like every range."""

_NUM_WORD_RE = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|fou?rty|fifty|sixty|seventy"
    r"|eighty|ninety)"
)
_SIMPLE_NUM = rf"(?:\d{{1,3}}(?:\.\d)?|{_NUM_WORD_RE}|couple|few)"
_COUNT_RE = (
    rf"(?:half\s+an?|(?:a\s+)?couple(?:\s+of)?|a\s+few|few|several|a\s+handful\s+of"
    rf"|{_SIMPLE_NUM}(?:\s+and\s+a\s+half)?(?:\s*(?:-|–|—|to|or)\s*{_SIMPLE_NUM})?\+?"
    rf"|an?)"
)
UNIT_RE = (
    r"(?:(?:business|working|work)\s+days?|days?|weeks?|wks?|fortnights?|months?|mos|mths?"
    r"|mnths?|monhts?|quarters?|qtrs?|years?|yrs?)"
)
DASH = r"(?:-|–|—)"
_RANGE_SEP = rf"\s*(?:{DASH}|to|through|thru|until|till)\s*"
_YEAR4 = r"(?:19|20)\d\d"

HEAD_PARTS: list[str] = [
    rf"""(?P<span>(?P<count>{_COUNT_RE})(?:\s*-\s*|\s*)(?:more\s+|other\s+|full\s+|additional\s+
        |extra\s+)?(?P<unit>{UNIT_RE})\b(?P<tail>\s+or\s+(?:so|two|three|more)\b
        |\s+and\s+a\s+half\b)?)""",
    r"""(?P<iso>(?P<iy>20\d\d)-(?P<im>\d{1,2})-(?P<id>\d{1,2}))\b""",
    rf"""(?P<md>(?:{WEEKDAY_RE},?\s+)?(?P<md_m>{MONTH_RE})\.?,?\s+(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?
        (?:{_RANGE_SEP}(?P<md_d2>\d{{1,2}})(?:st|nd|rd|th)?)?(?![\d:])
        (?:,?\s+(?P<md_y>{_YEAR4})\b)?)""",
    rf"""(?P<dm>(?:{WEEKDAY_RE},?\s+)?(?:the\s+)?(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?
        (?:{_RANGE_SEP}(?:the\s+)?(?P<dm_d2>\d{{1,2}})(?:st|nd|rd|th)?)?(?:\s+of)?\s+
        (?P<dm_m>{MONTH_RE})\b(?:,?\s+(?P<dm_y>{_YEAR4})\b)?)""",
    r"""(?P<slash>(?P<s1>\d{1,2})[/.](?P<s2>\d{1,2})(?:[/.](?P<s3>\d{4}|\d{2}))?)(?![\d/.]\d)""",
    r"""(?P<quarter>(?:q\s?(?P<qn>[1-4])|(?P<qn2>[1-4])q|(?P<qw>first|second|third|fourth|1st|2nd
        |3rd|4th|final|last)\s+(?:quarter|qtr))\b(?:\s*(?:of\s+)?(?:'|fy\s*'?)?
        (?P<qy>20\d\d|\d\d)(?!\d))?)""",
    r"""(?P<ordinal>(?P<od>\d{1,2})(?:st|nd|rd|th))\b""",
    r"""(?P<half>h(?P<hn>[12])\b(?:\s*'?(?P<hy>20\d\d|\d\d)\b)?)""",
    r"""(?P<thistime>(?:this|same|around\s+this|about\s+this)\s+time\s+next\s+
        (?P<ttu>week|month|year))\b""",
    r"""(?P<pend>(?P<pend_u>year|quarter|month)[\s-]?end|eoy|eoq|eom|eow)\b""",
    r"""(?P<hol>(?P<hol_w>christmas|xmas|x-mas|thanksgiving|easter|new\s?years?['’]?s?(?:\s+eve|\s+day)?
        |the\s+hol+idays|holiday\s+(?:season|period|break|rush)|festive\s+season|winter\s+break
        |tax\s+(?:season|time|day|deadline)|labou?r\s+day|memorial\s+day|independence\s+day
        |(?:4th|fourth)\s+of\s+july|first\s+of\s+the\s+year|turn\s+of\s+the\s+year|mid-?year
        |black\s+friday)\b(?P<hol_tail>\s+(?:break|holidays?|rush|season|period))?)""",
    r"""(?P<tmrw>(?:the\s+)?day\s+after\s+tomorrow|tomorrow|tmrw|tommorow|tomorow|tommorrow)\b""",
    r"""(?P<fiscal>fiscal(?:\s+year)?|financial\s+year|budget(?:ary)?\s+(?:year|cycle|period|season)
        |fy\s?'?(?P<fyy>\d\d(?:\d\d)?)|fye?)\b""",
    r"""(?P<season>(?P<season_w>spring|summer|fall|autumn|winter)\b(?:\s+(?:break|holidays?|vacation|slowdown
        |season|months))?(?:\s+'?(?P<sy>20\d\d|\d\d)\b)?)""",
    r"""(?P<year>20[2-9]\d)\b(?!\s*[-/.–]\s*\d)""",
    rf"""(?P<month>(?P<mo>{MONTH_RE})\b(?:,?\s+(?:of\s+)?(?P<mo_y>{_YEAR4}|'\d\d)\b)?)""",
    rf"""(?P<weekday>(?P<wd>{WEEKDAY_RE})\b(?!\s*(?:{DASH}|to|through|thru)\s*{WEEKDAY_RE})
        (?P<wd_week>\s+week)?)""",
    r"""(?P<period>week|month|quarter|qtr|year|yr|weekend)\b""",
    r"""(?P<vague>later|some\s?time|some\s?day|one\s+day|down\s+the\s+(?:road|line|track)
        |(?:in|into)\s+the\s+(?:near\s+|distant\s+)?future|at\s+some\s+point|another\s+time
        |in\s+a\s+while|not\s+(?:right\s+)?now|not\s+yet|next\s+time|right\s+now|for\s+now
        |at\s+(?:the|this)\s+(?:moment|time|stage|point)|in\s+due\s+course|eventually|soon
        |when\s+the\s+time\s+is\s+right|check\s+back|circle\s+back|touch\s+base|revisit
        |keep\s+in\s+touch|stay\s+in\s+touch|reach\s+out\s+again)\b""",
]
"""The head patterns, most specific first (the first that matches at a position wins)."""

_HEAD_NAMES = [re.match(r"\(\?P<(\w+)>", part).group(1)  # type: ignore[union-attr]
               for part in HEAD_PARTS]


ALL_FAMILIES = frozenset(_HEAD_NAMES)


@lru_cache(maxsize=32)
def head_pattern(families: frozenset[str]) -> re.Pattern[str]:
    """The head patterns of ``families`` only, in their order of precedence.

    The trigger words found in a window say which kinds of phrase can be there ("quarter" can
    start a span, a quarter or a period, never a weekday); trying only those keeps the scan
    cheap.
    """
    parts = [part for name, part in zip(_HEAD_NAMES, HEAD_PARTS, strict=True) if name in families]
    body = r"(?:" + "|".join(parts) + ")"
    known = [PART_OPENINGS.get(name) for name in _HEAD_NAMES if name in families]
    openings = [found for found in known if found is not None]
    check = _check_of(frozenset().union(*openings)) if len(openings) == len(known) else ""
    return re.compile(r"(?=[0-9a-z])\b" + check + body, re.VERBOSE)


_OPENING_CHARS = 3
_ASCII_DIGITS = "0123456789"


def part_openings(part: str) -> frozenset[str] | None:
    """The texts (of at most `_OPENING_CHARS` characters) that every match of the head
    pattern ``part`` starts with (``"nex"``, ``"q"``, a digit ...), worked out from the parsed
    pattern; None when any character may open a match, or for anything the reading below
    does not know. Worked out for each of `HEAD_PARTS` once, when notnow is written
    (`notnow.core.timehints_openings`, pinned to this by tests/core): parsing them took a
    third of the time-hint reading of a command's one reply."""
    try:
        sre = importlib.import_module("re._constants")
        sre_parse = importlib.import_module("re._parser")
        starts = _starts(sre_parse.parse(part, re.VERBOSE).data, sre, "")
    except Exception:  # noqa: BLE001 - a Python whose parser differs: no check, same matches
        return None
    found = frozenset(text for text, _ in starts)
    return None if "" in found else found


def _check_of(openings: frozenset[str] | None) -> str:
    """A lookahead that every match of a head pattern opening with one of ``openings``
    passes. It changes no match; it only lets a position that starts no head ("we",
    "teach") fail after a character or two instead of trying every head. "" (no check) for
    None."""
    if openings is None:
        return ""
    # Keep the shortest openings only ("a" covers "an" and "aug").
    kept = [o for o in sorted(openings) if not any(o.startswith(k) for k in openings if k != o)]
    return "(?=" + _trie(kept) + ")"


def _starts(items: Any, sre: Any, prefix: str) -> set[tuple[str, bool]]:
    """The openings of the parsed sequence ``items`` matched after ``prefix``: pairs (text,
    whole) where ``whole`` says the sequence matched exactly that text (more may follow);
    otherwise anything may follow it. At most `_OPENING_CHARS` characters are kept."""
    out: set[tuple[str, bool]] = {(prefix, True)}
    for item in items:
        grown: set[tuple[str, bool]] = set()
        for text, whole in out:
            if not whole or len(text) >= _OPENING_CHARS:
                grown.add((text[:_OPENING_CHARS], False))
                continue
            for more, more_whole in _item_starts(item, sre, text):
                if len(more) >= _OPENING_CHARS:
                    grown.add((more[:_OPENING_CHARS], False))
                else:
                    grown.add((more, more_whole))
        out = grown
    return out


def _item_starts(item: tuple[Any, Any], c: Any, prefix: str) -> set[tuple[str, bool]]:
    op, arg = item
    any_next = {(prefix, False)}
    if op is c.LITERAL:
        return {(prefix + chr(arg), True)}
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return {(prefix, True)}  # matches no text: only narrows the matches
    if op is c.IN:
        chars = _set_chars(arg, c, first=not prefix)
        if chars is None:
            return any_next
        return {(prefix + ch, True) for ch in chars}
    if op is c.BRANCH:
        return {found for branch in arg[1] for found in _starts(branch, c, prefix)}
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, inner = arg
        if add_flags or del_flags:
            return any_next
        return _starts(inner, c, prefix)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        low, high, inner = arg
        once = _starts(inner, c, prefix)
        if low == high == 1:
            return once
        opened = {(text, False) for text, _ in once}
        return opened | {(prefix, True)} if low == 0 else opened
    return any_next  # anything else (ANY, a back reference ...): no knowing what comes


def _set_chars(arg: Any, c: Any, *, first: bool) -> str | None:
    """The characters a character class matches, when they are few and plain; None otherwise.
    ``\\d`` counts as the ASCII digits only as a match's first character (the head pattern's
    ``(?=[0-9a-z])`` rules out the others there)."""
    chars = ""
    for op, value in arg:
        if op is c.LITERAL:
            chars += chr(value)
        elif op is c.RANGE and value[1] - value[0] < 16:
            chars += "".join(map(chr, range(value[0], value[1] + 1)))
        elif op is c.CATEGORY and value is c.CATEGORY_DIGIT and first:
            chars += _ASCII_DIGITS
        else:
            return None
    return chars


_DIGIT_FAMILIES = frozenset({"span", "iso", "md", "dm", "slash", "quarter", "ordinal", "year",
                             "hol", "fiscal"})
_TRIGGER_GROUPS: list[tuple[str, frozenset[str]]] = [
    ("""january janaury janurary jan february febuary feburary feb march mar april apr may june
        jun july jul august aug september sept sep septmber october oct ocotber november nov
        novmber december dec decmber""", frozenset({"md", "dm", "month", "hol"})),
    ("""monday tuesday tues tuesay wednesday wendesday wensday thursday thurs thrusday friday
        saturday sunday""", frozenset({"md", "dm", "weekday", "hol"})),
    ("""day days week weeks wk wks month months mos mth mths mnth mnths monht monhts quarter
        quarters qtr qtrs year years yr yrs""",
     frozenset({"span", "period", "pend", "thistime", "quarter", "hol", "fiscal", "tmrw"})),
    ("weekend", frozenset({"period"})),
    ("fortnight fortnights", frozenset({"span"})),
    ("q1 q2 q3 q4", frozenset({"quarter"})),
    ("h1 h2", frozenset({"half"})),
    ("fy fye fiscal financial budget budgetary", frozenset({"fiscal"})),
    ("eoy eoq eom eow", frozenset({"pend"})),
    ("spring summer fall autumn", frozenset({"season"})),
    ("winter", frozenset({"season", "hol"})),
    ("""christmas xmas x-mas thanksgiving easter holidays hollidays holiday festive tax labor labour
        memorial independence midyear""", frozenset({"hol"})),
    ("tomorrow tmrw tommorow tomorow tommorrow", frozenset({"tmrw"})),
    ("""later someday sometime future eventually soon revisit road line track while now yet
        moment stage point course back touch""", frozenset({"vague"})),
    ("time", frozenset({"vague", "thistime"})),
]
TRIGGER_FAMILIES: dict[str, frozenset[str]] = {
    word: families for words, families in _TRIGGER_GROUPS for word in words.split()
}
"""Which head patterns a trigger word can be part of."""


def trigger_families(token: str) -> frozenset[str]:
    """The head patterns a TRIGGER hit can belong to ("fy27" and digits included)."""
    if token[0].isdigit():
        return _DIGIT_FAMILIES
    if token.startswith("fy"):
        return TRIGGER_FAMILIES["fy"]
    return TRIGGER_FAMILIES[token]


def _trie(words: list[str]) -> str:
    """A regex alternation of ``words`` shaped as a trie: one branch per first letter, so a
    position that starts no word fails after one comparison."""
    root: dict[str, dict[str, object]] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})  # type: ignore[assignment]
        node[""] = {}

    def emit(node: dict[str, dict[str, object]]) -> str:
        branches = [re.escape(char) + emit(child)  # type: ignore[arg-type]
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return emit(root)


TRIGGER = re.compile(r"\b(?:\d|fy\d+\b|" + _trie(list(TRIGGER_FAMILIES)) + r"\b)")
"""The cheap first pass: any digit or time word. A text without one has no hint; around each
hit, a small window of text is searched with :func:`head_pattern`."""

WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")

CONTRACT_NOUN = re.compile(
    r"\s*(?:contract|deal|agreement|commitment|term|lease|licen[cs]e|subscription|plan)\b"
)
FISCAL_START = re.compile(
    rf"^\W*(?:year\s+)?(?:(?P<verb>starts?|starting|begins?|beginning|kicks?\s+off|rolls?\s+over"
    rf"|resets?|turns?\s+over|is|runs|ends?|ending|closes)\s+(?:in\s+|on\s+|from\s+)?"
    rf"|in\s+|on\s+)(?:the\s+(?:1st|first)\s+of\s+)?(?P<month>{MONTH_RE})\b"
)
"""What follows "fiscal year" to name its first month: "starts in April", "ends in June"."""
PAST_RIGHT = re.compile(r"^\s+(?:ago|earlier|prior|before\s+that|back\b)")
MAY_VERB = re.compile(
    r"^\s+(?:be|have|not|need|want|also|still|just|well|take|get|come|look|consider|work|change"
    r"|revisit|reach|help|make|do|go|see|find|try|decide|start|know|ask|call|wish|seem|become"
    r"|require|circle|check|want|end|happen|i|on|forward|ahead|into|through)\b"
)


def month_number(token: str) -> int:
    """1-12 for a month name, abbreviation or common typo (``token`` as matched by MONTH_RE)."""
    low = token.lower().rstrip(".")
    return MONTH_TYPOS.get(low) or MONTHS[low[:3]]


def weekday_number(token: str) -> int:
    """0 (Monday) to 6 for a weekday name as matched by WEEKDAY_RE."""
    return WEEKDAYS[token.lower()[:3]]


_COUNT_PART = re.compile(r"\d+(?:\.\d+)?|[a-z]+")


_TENS = frozenset({"twenty", "thirty", "forty", "fourty", "fifty", "sixty", "seventy", "eighty",
                   "ninety"})


def parse_count(text: str) -> tuple[float, bool]:
    """The count of a span and whether it is a vague word ("a few", "a couple").

    Ranges ("2-3", "two or three") take their earlier end; "twenty-four" is 24; "X and a half"
    adds one half and "half a" is one half.
    """
    low = text.lower()
    if low.startswith("half"):
        return 0.5, False
    parts = [part for part in _COUNT_PART.findall(low) if part not in ("a", "an", "of")]
    vague = any(part in ("couple", "few", "several", "handful") for part in parts)
    if not parts:
        value = 1.0  # "a week"
    elif parts[0][0].isdigit():
        value = float(parts[0])
    else:
        value = NUMBER_WORDS.get(parts[0], 1.0)
        if parts[0] in _TENS and len(parts) > 1 and NUMBER_WORDS.get(parts[1], 10) < 10 and (
                "-" in low or " " in low.strip()):
            value += NUMBER_WORDS[parts[1]]  # "twenty-four", not "twenty to thirty"
    if "and a half" in low:
        value += 0.5
    return value, vague
