"""Understanding a prospect's reply: label, confidence, evidence and slots.

    from notnow.understand import analyze
    result = analyze("Circle back after Q3, budget is gone", today=date(2026, 11, 22))
    result.label, result.also, result.checkback, result.to_json()

The pieces: `textprep` (the prospect's own words, offsets kept), `rules` (opt-outs,
auto-replies, cues), `model` (a linear model scored in pure Python), `slots` (competitor,
capability, referral), `teammodel` (`notnow teach`, corrections), `evaluate` (`notnow eval`).
"""

from notnow.understand.analyzer import Referral, Understanding, analyze, check_text
from notnow.understand.teammodel import record_correction

__all__ = ["Referral", "Understanding", "analyze", "check_text", "record_correction"]
