"""Words to features: the one definition shared by training and inference.

A reply becomes a set of sparse binary features: word unigrams, word bigrams (with a start
marker), words in the scope of a negation ("not really interested" gives "¬really",
"¬interested"), word classes from `lexicon` ("provider" gives "@vendor", and bigrams such as
"went @vendor"), a 5-letter prefix of long words (so "interested", "interesting" and the typo
"intrested" share evidence), and the names of the precise rules that fired. Each feature keeps
the span of its first occurrence so the model can point at the words that decided.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from notnow.understand.lexicon import CLASS_OF
from notnow.understand.textprep import lowered

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_CONTRACTIONS = {
    "dont": "don't", "cant": "can't", "wont": "won't", "im": "i'm", "didnt": "didn't",
    "doesnt": "doesn't", "isnt": "isn't", "arent": "aren't", "wasnt": "wasn't",
    "havent": "haven't", "wouldnt": "wouldn't", "couldnt": "couldn't", "shouldnt": "shouldn't",
    "weve": "we've", "youre": "you're", "theyre": "they're", "ive": "i've", "thats": "that's",
    "its": "it's", "whats": "what's", "hasnt": "hasn't", "werent": "weren't", "lets": "let's",
}
_NEGATIONS = frozenset({
    "not", "no", "never", "nothing", "without", "nobody", "none", "cannot",
    # The other languages notnow reads ("kein Bedarf", "pas besoin", "geen interesse", "ikke
    # nu"): a negated word gets its own feature in every language.
    "nicht", "kein", "keine", "keinen", "keinem", "keiner", "nichts", "nie", "niemals",
    "pas", "rien", "jamais", "aucun", "aucune", "ni", "nada", "nunca", "ningún", "ninguna",
    "ninguno", "niente", "nulla", "nessun", "nessuno", "nessuna", "niet", "geen", "niks",
    "nooit", "não", "nem", "nenhum", "nenhuma", "inte", "ingen", "inget", "inga", "aldrig",
    "ikke", "intet", "aldri", "ingenting", "ej",
})
_NEGATION_SCOPE = 3
_PREFIX_MIN = 7
_PREFIX_LEN = 5
RULE_PREFIX = "!rule:"
HINT_PREFIX = "!hint:"
NEAR_DAYS = 28
"""A time hint closer than this is "near" ("let's talk Tuesday"), further is "far" ("try me in
the spring"): interest sounds like the first, a deferral like the second."""

Span = tuple[int, int]


_CACHE_MAX = 50_000
"""The per-word caches below forget everything when they reach this size (memory stays flat
whatever stream of text goes through)."""
_normal: dict[str, str] = {}
_info: dict[str, tuple[str | None, str, str, bool, str | None]] = {}


def _normalise(raw: str) -> str:
    word = "0" * min(len(raw), 4) if raw.isdigit() else _CONTRACTIONS.get(raw, raw)
    if len(_normal) >= _CACHE_MAX:
        _normal.clear()
    _normal[raw] = word
    return word


def tokens(text: str, low: str | None = None) -> list[tuple[str, int, int]]:
    """Normalised word tokens with their spans in `text` (`low`: `lowered(text)`, if known)."""
    out: list[tuple[str, int, int]] = []
    append = out.append
    normal = _normal.get
    if low is None:
        low = lowered(text)  # same offsets as `text`
    find = low.find
    pos = 0
    for raw in _TOKEN.findall(low):
        # Between two tokens there is no letter or digit, so the next occurrence of a token's
        # text is where it was matched.
        start = find(raw, pos)
        pos = start + len(raw)
        append((normal(raw) or _normalise(raw), start, pos))
    return out


def word_set(text: str) -> frozenset[str]:
    """The distinct words of `text`, normalised as `tokens` does (without spans: cheaper)."""
    words = set(_TOKEN.findall(lowered(text)))
    for word in [w for w in words if w.isdigit() or w in _CONTRACTIONS]:
        words.discard(word)
        words.add("0" * min(len(word), 4) if word.isdigit() else _CONTRACTIONS[word])
    return frozenset(words)


def _word_info(word: str) -> tuple[str | None, str, str, bool, str | None]:
    """What `featurize` needs of a word, whatever its neighbours: its class, the class or the
    word itself, its negated feature, whether it negates, its prefix feature."""
    cls = CLASS_OF.get(word)
    info = (cls, cls or word, "¬" + word, word in _NEGATIONS or word.endswith("n't"),
            word[:_PREFIX_LEN] + "~" if len(word) >= _PREFIX_MIN else None)
    if len(_info) >= _CACHE_MAX:
        _info.clear()
    _info[word] = info
    return info


def featurize(text: str, rules: Mapping[str, Span] | None = None,
              toks: list[tuple[str, int, int]] | None = None) -> dict[str, Span]:
    """The features of `text`, each with the span of its first occurrence."""
    feats: dict[str, Span] = {}
    if toks is None:
        toks = tokens(text)
    info_of = _info.get
    prev = "<s>"
    prev_start = 0
    prev_class = "<s>"
    after_class = False  # prev_class is a class ("@…"): a word token never starts with "@"
    negated = 0
    for word, start, end in toks:
        span = (start, end)
        if word not in feats:
            feats[word] = span
        cls, here, neg, negates, pre = info_of(word) or _word_info(word)
        if cls is not None or after_class:
            if here not in feats:
                feats[here] = span
            pair = prev_class + " " + here
            if pair not in feats:
                feats[pair] = (prev_start, end)
        prev_class = here
        after_class = cls is not None
        if negated:
            if neg not in feats:
                feats[neg] = span
            negated -= 1
        if negates:
            negated = _NEGATION_SCOPE
        bigram = prev + " " + word
        if bigram not in feats:
            feats[bigram] = (prev_start if prev != "<s>" else start, end)
        if pre is not None and pre not in feats:
            feats[pre] = span
        prev, prev_start = word, start
    mark = text.find("?")
    if mark != -1:
        feats["<q>"] = (mark, mark + 1)
    if rules:
        for label, span in rules.items():
            feats[RULE_PREFIX + label] = span
    return feats


def hint_features(hint: Any, today: date) -> dict[str, Span]:
    """Features of the reply's time hint (a `TimeHint` or None): its granularity, and whether
    it names a day near or far from `today`, or no day at all ("down the road")."""
    if hint is None:
        return {}
    span = (hint.start, hint.end)
    if hint.checkback is None:
        return {HINT_PREFIX + "vague": span}
    far = (hint.checkback - today).days > NEAR_DAYS
    return {HINT_PREFIX + hint.granularity: span,
            HINT_PREFIX + ("far" if far else "near"): span}
