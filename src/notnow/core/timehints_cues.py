"""What the sentence around a time phrase says: a call-back, a negation, the past, a renewal,
money, an absence, a return to work.

:func:`scan` reads a sentence's words once, with dictionary look-ups and prefix tests, into bit
flags; the predicates below add the few multi-word cues with a regex, and only when one of their
words is present. This runs for every phrase found, so it must cost microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

CALLBACK = 1
NEGATION = 2
PAST = 4
PAST_VERB = 8
RENEWAL = 16
BUDGET = 32
ABSENCE = 64
RETURN = 128
FUTURE = 256
_ABSENCE_GATE = 512

CALLBACK_STEMS = (
    "try", "tries", "call", "ring", "contact", "reach", "ping", "email", "e-mail", "check",
    "circle", "follow", "touch", "back", "return", "resum", "revisit", "reconnect", "talk",
    "speak", "chat", "connect", "look", "ask", "catch", "reengag", "re-engag", "reconsider",
    "regroup", "discuss", "send", "schedul", "book", "meet", "hear", "decid", "evaluat",
    "consider", "review", "ready", "reopen",
)
"""A sentence with one of these asks us to act at the time it names ("try me in March")."""

NEGATION_WORDS = frozenset({
    "not", "no", "never", "nothing", "zero", "none", "nope", "cannot", "gone", "spent",
    "frozen", "freeze", "exhausted", "allocated", "committed", "tapped", "maxed", "full",
    "busy", "slammed", "swamped", "packed", "tight", "locked", "closed", "finalized",
    "finalised", "already",
})
"""Words of "not now" ("no budget", "we're slammed"): "this year" near them means next year."""

PAST_WORDS = frozenset({"ago", "since", "been", "was", "were", "had", "did", "last", "past",
                        "previous", "previously", "prior", "earlier"})
PAST_VERBS = frozenset("""
    signed went chose decided bought purchased switched moved started launched hired implemented
    rolled selected picked onboarded migrated met spoke talked took thanks thank enjoyed received
    got sent wrote spent worked used tried tested evaluated ran lost saw heard left joined paid
    churned cancelled canceled
""".split())
"""Verbs that put a yearless date in the past ("we signed with them in March")."""

FUTURE_WORDS = frozenset({"will", "shall", "going", "gonna", "again", "try", "please", "let's",
                          "lets", "could", "can", "would", "might", "may", "should", "maybe",
                          "perhaps", "probably", "plan", "planning", "expect", "hope"})
"""Words that look ahead: a clause with one of them is not (only) history."""

ABSENCE_WORDS = frozenset({
    "ooo", "away", "traveling", "travelling", "closed", "closure", "unavailable", "vacation",
    "leave", "pto", "sabbatical", "maternity", "paternity", "parental",
})

_STEM_FLAGS: list[tuple[tuple[str, ...], int]] = [
    (CALLBACK_STEMS, CALLBACK),
    (("focus", "priorit"), NEGATION),
    (("renew", "expir"), RENEWAL),
    (("budget", "fund", "spend", "money", "financ", "fiscal"), BUDGET),
    (("back", "return", "resum", "reopen"), RETURN),
]
_EXACT: dict[str, int] = {}
for _words, _flag in [(NEGATION_WORDS, NEGATION), (PAST_WORDS, PAST), (PAST_VERBS, PAST_VERB),
                      (ABSENCE_WORDS, ABSENCE), (FUTURE_WORDS, FUTURE),
                      (("out", "off", "on", "available", "limited"), _ABSENCE_GATE)]:
    for _word in _words:
        _EXACT[_word] = _EXACT.get(_word, 0) | _flag
_BY_HEAD: dict[str, list[tuple[str, int]]] = {}
for _stems, _flag in _STEM_FLAGS:
    for _stem in _stems:
        _BY_HEAD.setdefault(_stem[:3], []).append((_stem, _flag))

_ABSENCE_PHRASE = re.compile(
    r"\b(?:out\s+of\s+(?:the\s+)?office|on\s+(?:holiday|break|a\s+break|the\s+road)"
    r"|(?:be|am|i['’]m|is|are|we['’]re)\s+out|(?:out|off)\s+(?:from|until|till|through|on|\d)"
    r"|not\s+available|limited\s+access)\b"
)
_RETURN_TO_WORK = re.compile(
    r"(?:\b(?:i['’]?m|i\s+am|we['’]?re|we\s+are|['’]ll\s+be|will\s+be|be|is|are|am)\s+back"
    r"|^\W*back|\breturning|\breturn(?:s)?\s+(?:on|to\s+(?:the\s+)?(?:office|work))"
    r"|\bback\s+(?:in|at|to)\s+(?:the\s+|my\s+)?(?:office|desk|work)|\bresum\w*|\breopen\w*)\b"
)
_CONTRACT_END = re.compile(
    r"\bcontract\s+(?:\w+\s+){0,2}?(?:ends|is\s+up|runs\s+out|comes\s+up|lapses|finishes"
    r"|terminates)\b"
)


_CONTRACT_START = re.compile(
    r"\b(?:contract|agreement|deal|subscription|licen[cs]e|term)\b[^.!?;]{0,50}?\b(?:starts"
    r"|begins|kicks\s+off|commences|goes\s+live|takes\s+effect|runs\s+from|started|began)\b"
)


def contract_start(left: str) -> bool:
    """Whether `left` (the words before a time phrase) ends by saying a commitment starts:
    "our contract with them starts (in January)" is no time to come back (the renewal, if
    one is named, is)."""
    ends = [m.end() for m in _CONTRACT_START.finditer(left)]
    return bool(ends) and len(left) - ends[-1] <= 12


_SUFFIX_FLAGS = {"n't": NEGATION, "n’t": NEGATION, "'ve": PAST, "’ve": PAST, "'ll": FUTURE,
                 "’ll": FUTURE}
_SEEN: dict[str, int] = {}
"""Flags of words already read (a memo: replies reuse the same few thousand words)."""


def word_flags(word: str) -> int:
    """The cue flags of one lower-cased word."""
    flags = _EXACT.get(word, 0) | _SUFFIX_FLAGS.get(word[-3:], 0)
    for stem, flag in _BY_HEAD.get(word[:3], ()):
        if word.startswith(stem):
            flags |= flag
    return flags


def scan(words: Iterable[str]) -> int:
    """The cue flags of a run of (lower-cased) words."""
    flags = 0
    seen = _SEEN
    for word in words:
        found = seen.get(word)
        if found is None:
            found = word_flags(word)
            if len(seen) < 50_000:
                seen[word] = found
        flags |= found
    return flags


def callback(words: Collection[str]) -> bool:
    return bool(scan(words) & CALLBACK)


def negation(flags: int, text: str) -> bool:
    """"Not", "no budget", "we're slammed", "don't", "out of money", "too busy"."""
    return bool(flags & NEGATION) or "out of " in text or "too " in text or "used up" in text


def past(flags: int, text: str) -> bool:
    """"We've used them for 5 years", "since 2019", "two years ago"."""
    return bool(flags & PAST) or "used to" in text


def past_event(flags: int, text: str) -> bool:
    """A clause that tells what already happened and looks nowhere ahead ("we signed with them
    in March", "thanks for the call on Monday"): a yearless date in it is history."""
    return (past(flags, text) or bool(flags & PAST_VERB)) and not flags & FUTURE


def renewal(flags: int, text: str) -> bool:
    """"Our contract renews", "expires in June", "the contract is up in March"."""
    return bool(flags & RENEWAL) or "contract" in text and _CONTRACT_END.search(text) is not None


def absence(flags: int, text: str) -> bool:
    """"Out of the office", "on leave", "I'm out 12-19 October", "away until Monday"."""
    if flags & ABSENCE:
        return True
    return bool(flags & _ABSENCE_GATE) and _ABSENCE_PHRASE.search(text) is not None


def returning(flags: int) -> bool:
    """Any word of coming back ("back", "return", "resume")."""
    return bool(flags & RETURN)


def return_to_work(flags: int, text: str) -> bool:
    """Words that name a return to work ("I'll be back", "returning", "we resume"), not a
    "call me back"."""
    return bool(flags & RETURN) and _RETURN_TO_WORK.search(text) is not None
