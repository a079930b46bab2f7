"""Time hints: notnow's extractor against a keyword baseline and dateparser, side by side.

    python bench/bench_timehints.py [--data PATH ...] [--seconds 2]

Reads JSONL files of ``{"text", "reference_date", "expected_checkback", "granularity"}`` rows
(default: both shared dev sets, English and multilingual; a row's ``lang`` names its language,
English when absent) and prints, for each extractor, how many check-backs fall within
the tolerance of :func:`notnow.core.timehints.within_tolerance` (day +-2, week +-7, month +-10,
quarter/year +-15; null when null is expected). Then the speed of notnow's extractor: phrases
per second over the dev texts (wall clock and CPU time), a pure-Python reference loop to compare
machines, and the time for one 2,000-word email (median and best of many runs).

- keyword baseline: the first of "tomorrow" / "week" / "month" / "quarter" / "year" in the text
  adds 1 / 7 / 30 / 91 / 365 days to the reference date; no keyword, no date.
- dateparser (``pip install notnow[bench]``): ``dateparser.search.search_dates`` with
  ``RELATIVE_BASE`` = the reference date and ``PREFER_DATES_FROM = "future"``; its first date.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import conditions  # bench/conditions.py: load average and calibration loop
from notnow.core.timehints import extract_time_hint, within_tolerance
from notnow.core.timehints_intl import LANGUAGES, extract_time_hint_intl

SHARED = next((p / "shared" / "data" for p in Path(__file__).resolve().parents
               if (p / "shared" / "data").is_dir()),
              Path(__file__).resolve().parents[2] / "shared" / "data")
"""The shared dev data beside the repository (or beside a folder above it)."""
DEFAULT_DATA = [SHARED / "dev_time_hints.jsonl", SHARED / "dev_multilingual_time_hints.jsonl"]

Extractor = Callable[[str, date, str], date | None]

_KEYWORDS = [("tomorrow", 1), ("week", 7), ("month", 30), ("quarter", 91), ("year", 365)]


def notnow_extractor(text: str, today: date, lang: str = "en") -> date | None:
    hint = (extract_time_hint_intl(text, today=today, language=lang) if lang in LANGUAGES
            else None) or extract_time_hint(text, today=today)
    return None if hint is None else hint.checkback


def keyword_baseline(text: str, today: date, lang: str = "en") -> date | None:
    low = text.lower()
    found = [(low.find(word), days) for word, days in _KEYWORDS if word in low]
    if not found:
        return None
    return today + timedelta(days=min(found)[1])


def dateparser_extractor() -> Extractor | None:
    try:
        from dateparser.search import search_dates
    except ImportError:
        return None

    def extract(text: str, today: date, lang: str = "en") -> date | None:
        base = datetime(today.year, today.month, today.day)
        found = search_dates(text, languages=[{"no": "nb"}.get(lang, lang)], settings={
            "RELATIVE_BASE": base, "PREFER_DATES_FROM": "future"})
        return found[0][1].date() if found else None

    return extract


def load(path: Path) -> list[dict[str, str | None]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def score(extract: Extractor, rows: list[dict[str, str | None]]) -> tuple[int, float]:
    """Rows within tolerance, and seconds spent (after one warm-up call)."""
    extract("warm up in two weeks", date(2026, 11, 22), "en")
    good = 0
    started = time.perf_counter()
    for row in rows:
        today = date.fromisoformat(str(row["reference_date"]))
        expected = row.get("expected_checkback")
        want = date.fromisoformat(expected) if expected else None
        got = extract(str(row["text"]), today, str(row.get("lang") or "en"))
        good += within_tolerance(want, got, row.get("granularity"))
    return good, time.perf_counter() - started


_SENTENCES = [
    "Thanks for the detailed proposal and for taking the time to walk us through the demo.",
    "We reviewed it with the operations team and the feedback was generally positive.",
    "Our current process relies on spreadsheets that three people maintain by hand.",
    "The integration with our billing system would be the main question for IT.",
    "I also shared the deck with Priya, who runs procurement, and she had a few notes.",
    "Pricing looks higher than what we had assumed, especially for the analytics add-on.",
    "We would need single sign-on and an audit log before security signs off.",
    "Honestly the team is stretched thin and nobody owns this project at the moment.",
    "Several of the reports you showed would save our analysts real effort every week.",
    "Our board meeting covers priorities and we will share what we can afterwards.",
    "Please keep the call notes, they were helpful for the people who could not join.",
    "I liked the way the dashboard groups accounts by region and by owner.",
    "The reference customer you mentioned sounds similar to us in size and market.",
    "We had a rough migration last time and do not want to repeat that experience.",
    "If anything changes on our side I will reach out to you directly.",
]


_SHORT_REPLIES = [
    "Not interested, thanks.", "Try me next quarter.", "Please remove me from your list.",
    "Budget is gone for this year, circle back in April.", "We already use a tool for that.",
    "Check back in six months.", "Not my department, try Dana in Ops.",
    "I'm out of the office until Monday.", "Way over what we can justify.",
    "Let's talk after the holidays.",
]


def two_thousand_word_email(seed: int = 7) -> str:
    """A long reply: prose, one hint in the middle, a signature and quoted history."""
    rng = random.Random(seed)
    words: list[str] = []
    parts: list[str] = ["Hi Sam,\n"]
    while len(words) < 1_800:
        paragraph = " ".join(rng.choice(_SENTENCES) for _ in range(5))
        parts.append(paragraph + "\n")
        words.extend(paragraph.split())
        if len(parts) == 20:
            parts.append("Budget is frozen for this year, so please try me again in March.\n")
    parts.append("Best regards,\nDana Smith\nVP Operations | Acme Corp\n"
                 "+1 (555) 201-2027 | 12 Main Street, Suite 400, Springfield\n")
    parts.append("On Mon, Nov 16, 2026 at 9:12 AM Sam <sam@example.com> wrote:\n"
                 "> Would next Tuesday or Thursday work for a short call?\n" * 3)
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, nargs="*", default=DEFAULT_DATA,
                        help="JSONL files to score")
    parser.add_argument("--seconds", type=float, default=2.0, help="time per speed test")
    args = parser.parse_args()
    print(f"machine: {conditions.line()}", flush=True)
    extractors: list[tuple[str, Extractor | None]] = [
        ("notnow", notnow_extractor),
        ("keyword baseline", keyword_baseline),
        ("dateparser", dateparser_extractor()),
    ]
    rows: list[dict[str, str | None]] = []
    for path in args.data:
        if not path.exists():
            continue
        part = load(path)
        rows += part
        print(f"{path.name}: {len(part)} rows; within tolerance")
        langs = sorted({str(r.get("lang") or "en") for r in part})
        for name, extract in extractors:
            if extract is None:
                print(f"  {name:<18} not installed (pip install 'notnow[bench]')")
                continue
            good, elapsed = score(extract, part)
            per = ""
            if len(langs) > 1:
                per = "  " + " ".join(
                    f"{lang} {score(extract, [r for r in part if r.get('lang') == lang])[0]}"
                    f"/{sum(1 for r in part if r.get('lang') == lang)}" for lang in langs)
            print(f"  {name:<18} {good:>3}/{len(part)}  {100 * good / len(part):5.1f} %"
                  f"   ({1000 * elapsed / len(part):.2f} ms/row){per}")

    texts = [str(row["text"]) for row in rows]
    today = date(2026, 11, 22)
    for text in texts:  # warm the holiday calendars and pattern caches
        extract_time_hint(text, today=today)
    print()
    for label, batch in (("dev texts (nearly all with a hint)", texts),
                         ("short replies, half without a time word", _SHORT_REPLIES)):
        count, started, cpu = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - started < args.seconds:
            for text in batch:
                extract_time_hint(text, today=today)
            count += len(batch)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"notnow speed, {label}: {count / wall:,.0f} phrases/s wall, "
              f"{count / cpu:,.0f} per CPU-second (one core)")

    reference, loops = time.perf_counter(), 20_000
    for _ in range(loops):
        sum(range(100))
    print(f"(machine reference: sum(range(100)) takes "
          f"{1e6 * (time.perf_counter() - reference) / loops:.2f} us here)")

    email = two_thousand_word_email()
    extract_time_hint(email, today=today)
    timings = []
    for _ in range(max(20, int(args.seconds * 20))):
        begin = time.perf_counter()
        hint = extract_time_hint(email, today=today)
        timings.append(time.perf_counter() - begin)
    found = f"{hint.phrase!r} -> {hint.checkback}" if hint else "no hint"
    print(f"2,000-word email ({len(email.split()):,} words, {len(email):,} chars): "
          f"median {1000 * statistics.median(timings):.2f} ms, "
          f"best {1000 * min(timings):.2f} ms ({found})")


if __name__ == "__main__":
    main()
