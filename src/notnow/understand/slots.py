"""Slots: the competitor's name, the missing capability and the referred person.

Each finder reads the cleaned text and returns the value with its span (in the cleaned text;
the analyzer maps spans back to the original). They are precise rather than eager: "another
provider" is not a competitor's name, and a capitalised word at the start of a sentence is not
a person unless a referral cue stands before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from notnow.understand.textprep import lowered

_NAME_TOKEN = (r"(?:[\w-]+\.(?:com|io|ai|co|app)\b|[A-Z][\w&.'’-]*[\w]|[A-Z]"
               r"|[a-z]+[A-Z][\w]*)")
_COMPETITOR_CUE = re.compile(
    r"\b(?:(?:went|gone|going|go|decided to go|ended up going|chose to go|moving forward|"
    r"proceeding|partnered|partner|staying)\s+(?:w/|with)|signed(?:\s+up)?(?:\s+a\s+contract)?"
    r"\s+with|(?:chose|choosing|picked|selected|opted for|switched to|switching to|moving to|"
    r"migrated to|committed to|contracted with|awarded (?:it|the (?:deal|contract|rfp)) to|"
    r"onboarded|onboarding|bought|renewed with|locked (?:in|into)(?:\s+with)?|under contract "
    r"with|contract with|already (?:use|using|have|on|pay for)|we(?:'re| are) (?:on|using)|"
    r"we use|happy with|been with|standardi[sz]ed on|lost to|integrate with|compare to|called"
    r"|decided on|settled on|(?:contract|deal|business|rfp|work) went to|awarded to))\s+",
)
"""Run on the lower-cased text (`rules.lowered`, offsets kept): `re` is several times faster
without IGNORECASE."""
_COMPETITOR_NAME = re.compile(rf"{_NAME_TOKEN}(?:\s+(?:{_NAME_TOKEN}|\d+\b)){{0,2}}")
_NOT_A_NAME = frozenset(
    {"another", "a", "an", "the", "other", "someone", "somebody", "different", "them", "our",
     "us", "it", "this", "that", "one", "i", "we", "you", "your", "their", "my", "internal",
     "in-house", "local", "new", "existing", "current", "same", "last", "next", "ms", "mr",
     "mrs", "dr", "sorry", "thanks", "unfortunately", "however", "but", "and", "so", "please",
     "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "q1", "q2",
     "q3", "q4", "january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december", "ceo", "cfo", "cto", "cio", "coo", "hr",
     "vp", "eu", "uk", "api", "sso"}
)

_CAPABILITY = re.compile(
    r"\b(?:(?:does it|do you|can it|can you) (?:support|have|offer|handle|integrate with)"
    r"|(?:need|needs|require|requires) (?:it|this|that)(?: to be| to)?|without|lack of"
    r"|lacks?|missing|no|needs?|requires?|require|must have|has to have"
    r"|have to have|support for|don't (?:have|offer|support)|doesn't (?:have|offer|support|do)"
    r"|does not (?:have|offer|support)|can't (?:handle|do)|unless you (?:add|have|offer|support)"
    r"|once you (?:have|add|support)|when you (?:have|add|support)"
    r"|(?:doesn't|does not|don't|do not|won't|can't|cannot) (?:integrate|work|sync|connect|talk)"
    r" with)\s+(?P<cap>(?:an?\s+|the\s+|proper\s+|full\s+)?[\w@&/.'’ -]{2,60}?)"
    r"(?=\s*(?:[,.;:!?)]|\band\b|\bwhich\b|\bfor\b|\bbefore\b|\bso\b|\bbut\b|\bthen\b|\bif\b"
    r"|\bit's\b|\bis\b|\bno deal\b|\bright\b|$))",
    re.IGNORECASE | re.MULTILINE,
)
_CAP_KEYWORDS = re.compile(
    r"\b(?:sso|saml|api|on-?prem\w*|self-hosted|integration|integrate|sync|hipaa|soc ?2|gdpr"
    r"|iso|compliance|residency|hosting|app|support|mode|logs?|permissions|access|"
    r"authenticat\w*|screening|reporting|export|import|language|client|certification|"
    r"deployment|cloud|fedramp|encryption|multi-\w+|\w+-language|auth\w*|2fa|mfa|two-factor"
    r"|single sign-on)\b",
    re.IGNORECASE,
)
_CAP_STOP = frozenset({"budget", "money", "time", "need", "thanks", "interest", "problem",
                       "reason", "way", "one", "it", "that", "this", "more", "help"})

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_REFER_CUE = re.compile(
    r"\b(?i:try|contact|reach out to|talk to|talk with|speak to|speak with|ask for|ask|email"
    r"|e-mail|get in touch with|forwarding (?:this |it )?to|cc'?d|copying|"
    r"(?:new|right|correct) contact is|replacement is|taken over by|you want|you'll want"
    r"|you should (?:talk|speak) (?:to|with)|the person (?:you want|to talk to) is|handled by"
    r"|would be)\s+"
)
_PERSON = re.compile(r"(?:[A-Z][a-zà-ÿ'’-]+)(?:\s+(?:[A-Z][a-zà-ÿ'’-]+|[A-Z]\.)){0,2}")
_ROLE = re.compile(
    r"\b(?:(?:our|the|your|their)\s+)?(?P<role>c[efitom]o|vp(?: of [a-z]+)?|head of [a-z]+"
    r"|(?:it|finance|procurement|purchasing|operations|marketing|hr|sales|office|managing)"
    r" (?:director|manager|lead|team|department)|procurement|purchasing|managing director"
    r"|owner|founder|general manager|buyer)\b",
    re.IGNORECASE,
)
_DEPT = re.compile(r"\s+(?:in|from|on|over in|at)\s+(?:the\s+)?(?P<dept>[A-Z][\w&]*(?:\s+[A-Z]"
                   r"[\w&]*)?|[a-z]+ team)")


@dataclass(frozen=True, slots=True)
class Found:
    value: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class FoundReferral:
    name: str | None
    email: str | None
    role: str | None
    start: int
    end: int


def find_competitor(text: str, low: str | None = None) -> Found | None:
    """A vendor's name after a cue ("went with HubSpot"); `low` is `lowered(text)` if known."""
    if low is None:
        low = lowered(text)
    for cue in _COMPETITOR_CUE.finditer(low):
        m = _COMPETITOR_NAME.match(text, cue.end())
        if m is None:
            continue
        words = m.group().split()
        while words and words[-1].lower().strip(".") in _NOT_A_NAME:
            words.pop()
        if not words or words[0].lower().strip(".") in _NOT_A_NAME:
            continue
        name = " ".join(words).rstrip(".,'’")
        return Found(name, m.start(), m.start() + len(name))
    return None


def find_capability(text: str) -> Found | None:
    for m in _CAPABILITY.finditer(text):
        cap = m.group("cap").strip(" -'’")
        words = cap.lower().split()
        if not words or words[-1] in _CAP_STOP or words[0] in _CAP_STOP:
            continue
        if len(words) > 7 or not _CAP_KEYWORDS.search(cap) and not re.search(r"[A-Z]", cap):
            continue
        for article in ("an ", "a ", "the ", "proper ", "full "):
            if cap.lower().startswith(article):
                cap = cap[len(article):]
                break
        start = m.start("cap") + m.group("cap").find(cap)
        end = start + len(cap)
        if re.search(r"(?:integrate|work|sync|connect|talk) with\s*$", text[m.start():start]):
            return Found(f"integration with {cap}", m.start(), end)
        return Found(cap, start, end)
    return None


def find_referral(text: str) -> FoundReferral | None:
    """Who to talk to instead: a name after a referral cue, an email, a role."""
    email_m = _EMAIL.search(text) if "@" in text else None
    email = email_m.group() if email_m else None
    name: str | None = None
    role: str | None = None
    span: tuple[int, int] | None = (email_m.start(), email_m.end()) if email_m else None
    for cue in _REFER_CUE.finditer(text):
        after = cue.end()
        person = _PERSON.match(text, after)
        if person and person.group().split()[0].lower() not in _NOT_A_NAME:
            name = person.group()
            span = (person.start(), max(person.end(), span[1] if span else 0))
            dept = _DEPT.match(text, person.end())
            if dept:
                role = dept.group("dept")
            break
        role_m = _ROLE.match(text, after)
        if role_m:
            role = role_m.group("role")
            span = span or (role_m.start(), role_m.end())
            break
    if name is None and role is None and email is None:
        return None
    if role is None and name is not None:
        near = _ROLE.search(text, span[0] if span else 0, (span[1] if span else 0) + 60)
        if near and near.group("role").lower() not in ("owner", "buyer"):
            role = near.group("role")
    start, end = span if span else (0, 0)
    return FoundReferral(name, email, role, start, end)
