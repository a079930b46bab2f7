"""Tone check: flag wording that would burn a bridge, quote it, offer something calmer.

Rule-based and fast: a lexicon of patterns in five families — hostile, sarcastic,
guilt-tripping, pressuring, blaming — plus shouting (words in capitals, piled-up ``!``/``?``).
Each finding quotes the exact words (with their span in the text) and a calmer alternative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class ToneIssue(StrEnum):
    HOSTILE = "hostile"
    SARCASTIC = "sarcastic"
    GUILT_TRIPPING = "guilt_tripping"
    PRESSURING = "pressuring"
    BLAMING = "blaming"
    SHOUTING = "shouting"


@dataclass(frozen=True, slots=True)
class ToneFinding:
    issue: ToneIssue
    start: int
    end: int
    quote: str
    suggestion: str


@dataclass(frozen=True, slots=True)
class ToneReport:
    text: str
    findings: tuple[ToneFinding, ...]

    @property
    def calm(self) -> bool:
        return not self.findings

    @property
    def issues(self) -> tuple[ToneIssue, ...]:
        return tuple(dict.fromkeys(f.issue for f in self.findings))

    def summary(self) -> str:
        if self.calm:
            return "calm: nothing to change"
        return "; ".join(f'{f.issue.value}: "{f.quote}" -> {f.suggestion}' for f in self.findings)


_LEXICON: dict[ToneIssue, list[tuple[str, str]]] = {
    ToneIssue.HOSTILE: [
        (r"\b(?:ridiculous|absurd|pathetic|stupid|idiotic|nonsense|insane|unbelievable)\b",
         "describe the facts instead of judging them"),
        (r"\bwast(?:e|ed|ing) (?:of )?(?:my|our) time\b",
         "thank them for the time they did give you"),
        (r"\byou people\b", "name the person you are writing to"),
        (r"\b(?:shame on you|how dare you|what (?:is|was) wrong with you)\b",
         "leave the judgement out; say what you would like to happen next"),
        (r"\b(?:damn|hell|crap|bs)\b", "drop the swearing"),
    ],
    ToneIssue.SARCASTIC: [
        (r"\bthanks? for nothing\b", "thank you for considering it"),
        (r"\bgood luck with that\b", "I hope it works out well for you"),
        (r"\b(?:oh|well),? (?:great|wonderful|perfect|brilliant)\b", "drop the irony"),
        (r"\bi'?m sure (?:that|they|it) will work out (?:great|fine)\b",
         "I hope it goes well"),
        (r"\b(?:clearly|obviously) you\b", "I may not have explained it well"),
        (r"\bas i(?:'ve| have)? already (?:said|told you|explained)\b",
         "to recap briefly"),
    ],
    ToneIssue.GUILT_TRIPPING: [
        (r"\bafter (?:all|everything) (?:i|we)(?:'ve| have)? done\b",
         "thank them for the time they spent with you"),
        (r"\bi (?:spent|put in|invested) (?:so much|hours|days|weeks)\b",
         "keep your effort out of it; focus on their situation"),
        (r"\b(?:you owe (?:me|us)|you let (?:me|us) down)\b", "leave obligation out"),
        (r"\b(?:i'?m|we'?re|i am|we are) (?:so |really |very )?(?:disappointed|hurt)\b",
         "thank you for letting me know"),
        (r"\bi thought we had (?:a deal|an understanding|something)\b",
         "I understood we were close; may I ask what changed?"),
    ],
    ToneIssue.PRESSURING: [
        (r"\b(?:last|final) chance\b", "whenever the timing is right for you"),
        (r"\b(?:act|decide|sign|reply|respond) (?:now|today|immediately)\b",
         "when it suits you"),
        (r"\b(?:only|just) (?:today|this week|until (?:friday|monday|tomorrow))\b",
         "drop the deadline unless it is real and useful to them"),
        (r"\b(?:limited[- ]time|don'?t miss out|before it'?s too late|expires? soon)\b",
         "say what would help them decide, not how little time they have"),
        (r"\byou (?:need|have|must|should) to (?:decide|sign|commit|buy|reconsider)\b",
         "would it help to revisit this later?"),
        (r"\b(?:asap|urgent(?:ly)?|right away)\b", "at a time that works for you"),
        (r"\bi(?:'ll| will) keep (?:calling|emailing|trying|following up)\b",
         "I will check back once, around a time you choose"),
    ],
    ToneIssue.BLAMING: [
        (r"\b(?:your|their) (?:fault|mistake|loss)\b", "leave fault out; talk about next steps"),
        (r"\byou(?:'ll| will) regret\b", "I hope it works well for you; my door stays open"),
        (r"\byou (?:should have|shouldn'?t have|never|failed to|didn'?t even)\b",
         "describe what happened without pointing at them"),
        (r"\b(?:because of you|thanks to you)\b", "describe the situation, not the person"),
        (r"\b(?:made|are making) (?:a |the )?(?:big |huge |terrible )?mistake\b",
         "I respect your decision"),
        (r"\b(?:wrong (?:decision|choice)|bad (?:decision|choice))\b", "I respect your decision"),
    ],
}

_COMPILED = [
    (issue, re.compile(pattern, re.IGNORECASE), suggestion)
    for issue, items in _LEXICON.items()
    for pattern, suggestion in items
]
_CAPS = re.compile(r"\b[A-Z]{4,}(?:\s+[A-Z]{2,})*\b")
_PUNCT = re.compile(r"[!?]{2,}")
_ACRONYM_OK = frozenset({"ASAP", "CEO", "CFO", "CTO", "COO", "HTTP", "HTTPS", "HTML", "JSON",
                         "SaaS", "GDPR", "SOC2", "NDA", "ERP", "CRM", "API", "SSO", "USD",
                         "EUR", "GBP", "HIPAA"})


def check_tone(text: str) -> ToneReport:
    """Every hostile, sarcastic, guilt-tripping, pressuring, blaming or shouted span in ``text``."""
    found: list[ToneFinding] = []
    for issue, pattern, suggestion in _COMPILED:
        for m in pattern.finditer(text):
            found.append(ToneFinding(issue, m.start(), m.end(), m.group(0), suggestion))
    for m in _CAPS.finditer(text):
        words = m.group(0).split()
        if all(w in _ACRONYM_OK for w in words):
            continue
        found.append(ToneFinding(ToneIssue.SHOUTING, m.start(), m.end(), m.group(0),
                                 "write it in normal case"))
    for m in _PUNCT.finditer(text):
        found.append(ToneFinding(ToneIssue.SHOUTING, m.start(), m.end(), m.group(0),
                                 "one punctuation mark is enough"))
    found = _without_overlaps(found)
    return ToneReport(text, tuple(sorted(found, key=lambda f: (f.start, f.end))))


def _without_overlaps(findings: list[ToneFinding]) -> list[ToneFinding]:
    """Keep the longest finding where two of the same issue overlap."""
    kept: list[ToneFinding] = []
    for f in sorted(findings, key=lambda f: (-(f.end - f.start), f.start)):
        if not any(k.issue == f.issue and k.start < f.end and f.start < k.end for k in kept):
            kept.append(f)
    return kept
