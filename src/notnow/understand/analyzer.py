"""`analyze`: from a prospect's words to an `Understanding`.

The steps: validate the input; prepare the text (HTML to text, quoted history, signature and
footers gone, a map back to the original); run the precise rules; score the learned model with
the rule hits among its features; apply the taxonomy (an opt-out wins, an auto-reply is never a
rejection); fill the slots (check-back, return date, referral, competitor, capability); map every
span back to the original text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from notnow.core.labels import resolve_primary
from notnow.core.model import Evidence, Label
from notnow.core.timehints import (
    extract_return_date,
    extract_time_hint,
    may_have_hint,
)
from notnow.errors import InvalidInput
from notnow.understand import slots
from notnow.understand.features import RULE_PREFIX, featurize, hint_features, tokens
from notnow.understand.model import LinearModel
from notnow.understand.rules import (
    RuleHit,
    cue_hits,
    hard_hits,
    header_auto_reply,
    opt_out_hits,
)
from notnow.understand.textprep import (
    Prepared,
    blank_quoted_lines,
    lowered,
    prepare,
)

if TYPE_CHECKING:
    from notnow.understand.train import Example

_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")
HARD_CONFIDENCE = 0.97
"""Confidence floor when a hard rule (opt-out, auto-reply, RFC 3834 header) decides."""
SECONDARY_AFTER_RULE = 0.6
"""When a hard rule decides, another label is kept if it has this share of the rest."""
SECONDARY_MIN = 0.03
"""…and at least this probability of its own (a pure opt-out has no second reason)."""
_HARD_LABELS = frozenset({Label.DO_NOT_CONTACT, Label.AUTO_REPLY})
MODEL_OPT_OUT = 0.85
"""Without an opt-out phrase, the model must be this sure to call a reply `do_not_contact`."""
MAX_EVIDENCE = 3
HEAD_CHARS = 2000
"""A long reply is read for its label, slots and time hint in its first part, about 330 words of
the sender's own text once quotes and signature are gone (where people make their point; 2,000
rather than 3,000 characters keeps a 2,000-word email near 5 ms); opt-outs and auto-reply
notices are also looked for in its last part."""
TAIL_CHARS = 1000
_COMPETITOR_LABELS = frozenset({Label.COMPETITOR_CHOSEN, Label.HAS_SOLUTION, Label.PRICE,
                                Label.MISSING_CAPABILITY, Label.INTERESTED})
_REFERRAL_LABELS = frozenset({Label.WRONG_PERSON, Label.GATEKEEPER, Label.AUTO_REPLY,
                              Label.NO_AUTHORITY})


@dataclass(frozen=True)
class Referral:
    name: str | None
    email: str | None
    role: str | None
    evidence: Evidence | None

    def to_json(self) -> dict[str, str | None]:
        return {"name": self.name, "email": self.email, "role": self.role}


@dataclass(frozen=True)
class Understanding:
    label: Label
    also: tuple[Label, ...]
    confidence: float
    evidence: tuple[Evidence, ...]
    checkback: date | None
    checkback_phrase: str | None
    granularity: str | None
    return_date: date | None
    referral: Referral | None
    competitor: str | None
    capability: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label.value,
            "also": [label.value for label in self.also],
            "confidence": round(self.confidence, 4),
            "evidence": [{"start": e.start, "end": e.end, "text": e.text} for e in self.evidence],
            "checkback": self.checkback.isoformat() if self.checkback else None,
            "checkback_phrase": self.checkback_phrase,
            "granularity": self.granularity,
            "return_date": self.return_date.isoformat() if self.return_date else None,
            "referral": self.referral.to_json() if self.referral else None,
            "competitor": self.competitor,
            "capability": self.capability,
        }


def check_text(text: object) -> str:
    """Refuse what is not a reply: not a string, empty, or binary data."""
    if not isinstance(text, str):
        raise InvalidInput("text must be a string", field="text")
    if not text.strip():
        raise InvalidInput("text is empty: give the prospect's words", field="text")
    sample = text[:4000]
    if len(_BINARY.findall(sample)) > max(3, len(sample) // 10):
        raise InvalidInput("text looks like binary data, not a reply", field="text")
    return text


def _evidence(prep: Prepared, start: int, end: int, label: Label | None) -> Evidence:
    a, b = prep.to_original(start, end)
    return Evidence(a, b, prep.original[a:b], label.value if label else None)


def _tail_hits(full: str) -> list[RuleHit]:
    if len(full) <= HEAD_CHARS:
        return []
    base = max(HEAD_CHARS, len(full) - TAIL_CHARS)
    return [RuleHit(h.label, h.start + base, h.end + base, True)
            for h in hard_hits(full[base:])]


def _postscript_opt_out(text: str, prep: Prepared) -> Evidence | None:
    """An opt-out in the sender's own lines that text preparation set aside (signature block,
    "P.S." after the sign-off), never in the quoted history below them."""
    if "\n" not in text or not prep.text:
        return None
    start = prep.to_original(len(prep.text) - 1, len(prep.text))[1]
    end = prep.own_end
    if end - start < 4:
        return None
    region = blank_quoted_lines(text[start:end])
    for hit in opt_out_hits(region):
        a, b = start + hit.start, start + hit.end
        return Evidence(a, b, text[a:b], Label.DO_NOT_CONTACT.value)
    return None


def _model_spans(contributions: list[tuple[float, tuple[int, int], str]]) -> list[tuple[int, int]]:
    """The spans of the strongest features, merged where they overlap."""
    ranked = [c for c in sorted(contributions, key=itemgetter(0), reverse=True)
              if not c[2].startswith(RULE_PREFIX)]
    spans: list[tuple[int, int]] = []
    for _weight, (a, b), _feat in ranked[:MAX_EVIDENCE * 2]:
        for i, (x, y) in enumerate(spans):
            if a <= y and b >= x:
                spans[i] = (min(a, x), max(b, y))
                break
        else:
            spans.append((a, b))
        if len(spans) >= MAX_EVIDENCE:
            break
    return sorted(spans)


def _decide(probs: Mapping[Label, float], hard: list[RuleHit], cues: list[RuleHit],
            header: str | None, threshold: float) -> tuple[Label, tuple[Label, ...], float]:
    ranked = sorted(probs, key=lambda label: -probs[label])
    hard_labels = [h.label for h in hard]
    if Label.DO_NOT_CONTACT in hard_labels:
        primary, confidence = Label.DO_NOT_CONTACT, max(HARD_CONFIDENCE, probs[ranked[0]])
    elif header is not None or Label.AUTO_REPLY in hard_labels:
        primary, confidence = Label.AUTO_REPLY, max(HARD_CONFIDENCE, probs[Label.AUTO_REPLY])
    else:
        # An opt-out is decided by its words: the model alone may say so only when very sure.
        if ranked[0] is Label.DO_NOT_CONTACT and probs[ranked[0]] < MODEL_OPT_OUT:
            ranked = ranked[1:] + ranked[:1]
        primary, confidence = ranked[0], probs[ranked[0]]
    if hard_labels or header is not None:
        # The rule decided; what else does the reply say? Ask the model without those labels.
        others = {k: v for k, v in probs.items() if k not in _HARD_LABELS}
        norm = sum(others.values()) or 1.0
        also = [k for k, v in others.items()
                if v / norm >= SECONDARY_AFTER_RULE and v >= SECONDARY_MIN]
        also += [h.label for h in cues if others.get(h.label, 0.0) / norm >= threshold / 2]
    else:
        also = [label for label in ranked if label != primary and probs[label] >= threshold
                and (label is not Label.DO_NOT_CONTACT or probs[label] >= MODEL_OPT_OUT)]
        also += [h.label for h in cues]  # precise phrases: "… and the budget is gone"
    if primary is Label.AUTO_REPLY:
        also = [label for label in also if label is Label.DO_NOT_CONTACT]
    primary, rest = resolve_primary(primary, also)
    return primary, rest, confidence


def analyze(
    text: str,
    *,
    today: date,
    timezone: str | None = None,
    fiscal_year_start: int | None = None,
    country: str | None = None,
    headers: Mapping[str, str] | None = None,
    extra_examples: Sequence[Example] | None = None,
    model: LinearModel | None = None,
) -> Understanding:
    """Understand one reply or call note. Spans in the result index `text` itself.

    `model` overrides the model in use (the team model when there is one, else the shipped
    one); `extra_examples` trains a model on the shipped corpus plus those examples first
    (slow: seconds — for experiments, not for a hot path).
    """
    from notnow.understand import teammodel

    check_text(text)
    if model is None:
        model = (teammodel.model_with(extra_examples) if extra_examples
                 else teammodel.current_model())
    prep = prepare(text)
    clean = prep.text[:HEAD_CHARS]
    toks = tokens(clean)
    words = frozenset(t[0] for t in toks)
    low = lowered(clean)
    hard = hard_hits(clean, words, low)
    hard += [h for h in _tail_hits(prep.text) if all(h.label is not x.label for x in hard)]
    cues = cue_hits(clean, words, low)
    header = header_auto_reply(headers)
    feats = featurize(clean, {h.label.value: (h.start, h.end) for h in hard + cues}, toks)
    hint = None
    if may_have_hint(clean, words):
        hint = extract_time_hint(clean, today=today, timezone=timezone,
                                 fiscal_year_start=fiscal_year_start, country=country)
        feats.update(hint_features(hint, today))
    extra: list[Evidence] = []
    if all(h.label is not Label.DO_NOT_CONTACT for h in hard):
        postscript = _postscript_opt_out(text, prep)
        if postscript is not None:
            extra.append(postscript)
            hard.append(RuleHit(Label.DO_NOT_CONTACT, 0, 0, True))
    scored = model.score(feats)
    label, also, confidence = _decide(scored.probs, hard, cues, header, model.also_threshold)

    evidence: list[Evidence] = list(extra)
    for hit in hard + cues:
        if hit.end > hit.start and (hit.label is label or hit.label in also):
            evidence.append(_evidence(prep, hit.start, hit.end, hit.label))
    if not any(e.label == label.value for e in evidence):
        spans = _model_spans(scored.contributions(label))
        evidence += [_evidence(prep, a, b, label) for a, b in spans]
    evidence.sort(key=lambda e: (e.start, e.end))

    labels = {label, *also}
    competitor = capability = None
    if labels & _COMPETITOR_LABELS:
        found = slots.find_competitor(clean, low)
        competitor = found.value if found else None
    if Label.MISSING_CAPABILITY in labels:
        found = slots.find_capability(clean)
        capability = found.value if found else None
    referral = None
    if labels & _REFERRAL_LABELS:
        ref = slots.find_referral(clean)
        if ref is not None and (ref.name or ref.email or ref.role):
            referral = Referral(ref.name, ref.email, ref.role,
                                _evidence(prep, ref.start, ref.end, None))

    checkback = return_date = None
    phrase = granularity = None
    if label is Label.AUTO_REPLY and hint is not None:
        hint = extract_return_date(clean, today=today, country=country) or hint
    if label is not Label.DO_NOT_CONTACT:
        if hint is not None:
            checkback, granularity = hint.checkback, hint.granularity
            a, b = prep.to_original(hint.start, hint.end)
            phrase = text[a:b] or hint.phrase
            if label is Label.AUTO_REPLY:
                return_date = hint.checkback
    return Understanding(label, also, confidence, tuple(evidence), checkback, phrase,
                         granularity, return_date, referral, competitor, capability)
