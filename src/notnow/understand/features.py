"""Words to features: the one definition shared by training and inference.

A reply becomes a set of sparse binary features: word unigrams, word bigrams (with a start
marker), a 5-letter prefix of long words (so "interested", "interesting" and the typo
"intrested" share evidence), and the names of the precise rules that fired. Each feature keeps
the span of its first occurrence so the model can point at the words that decided.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_CONTRACTIONS = {
    "dont": "don't", "cant": "can't", "wont": "won't", "im": "i'm", "didnt": "didn't",
    "doesnt": "doesn't", "isnt": "isn't", "arent": "aren't", "wasnt": "wasn't",
    "havent": "haven't", "wouldnt": "wouldn't", "couldnt": "couldn't", "shouldnt": "shouldn't",
    "weve": "we've", "youre": "you're", "theyre": "they're", "ive": "i've", "thats": "that's",
    "its": "it's", "whats": "what's", "hasnt": "hasn't", "werent": "weren't", "lets": "let's",
}
_PREFIX_MIN = 7
_PREFIX_LEN = 5
RULE_PREFIX = "!rule:"

Span = tuple[int, int]


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Normalised word tokens with their spans in `text`."""
    out: list[tuple[str, int, int]] = []
    for m in _TOKEN.finditer(text):
        word = m.group().lower().replace("’", "'")
        if word.isdigit():
            word = "0" * min(len(word), 4)
        else:
            word = _CONTRACTIONS.get(word, word)
        out.append((word, m.start(), m.end()))
    return out


def featurize(text: str, rules: Mapping[str, Span] | None = None) -> dict[str, Span]:
    """The features of `text`, each with the span of its first occurrence."""
    feats: dict[str, Span] = {}
    toks = tokens(text)
    prev = "<s>"
    prev_start = 0
    for word, start, end in toks:
        if word not in feats:
            feats[word] = (start, end)
        bigram = prev + " " + word
        if bigram not in feats:
            feats[bigram] = (prev_start if prev != "<s>" else start, end)
        if len(word) >= _PREFIX_MIN:
            pre = word[:_PREFIX_LEN] + "~"
            if pre not in feats:
                feats[pre] = (start, end)
        prev, prev_start = word, start
    if rules:
        for label, span in rules.items():
            feats[RULE_PREFIX + label] = span
    return feats
