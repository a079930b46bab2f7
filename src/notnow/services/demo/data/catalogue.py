"""The demo's vendor (Tallyflow, a workflow and analytics SaaS), what it sells and to whom,
and the words of the salesperson's own day: tasks, outcomes, journal, autopsies."""

from __future__ import annotations

from typing import NamedTuple

VENDOR = "Tallyflow"
ME = "Alex"  # the salesperson prospects write to


class Product(NamedTuple):
    name: str
    usd_per_employee: float  # rough yearly price per employee of the buyer
    floor_usd: int
    ceiling_usd: int


PRODUCTS = [
    Product("Tallyflow Workflows", 22.0, 4_000, 180_000),
    Product("Tallyflow Insights", 18.0, 3_000, 150_000),
    Product("Tallyflow Connect (integration hub)", 9.0, 2_500, 60_000),
    Product("Tallyflow Audit Trail", 6.0, 2_000, 40_000),
    Product("Tallyflow Enterprise (Workflows + Insights)", 35.0, 25_000, 400_000),
    Product("Onboarding & training package", 3.0, 1_500, 30_000),
]

COMPETITORS = ["Orbitask", "Kestrel BI", "Plainsight", "Fieldwise", "Lumenary",
               "Brightpath Ops"]

SHIPPED_CAPABILITY = "Salesforce integration"
"""Shipped a few weeks ago: the prospects who asked for it are worth a call."""

REFERENCES = [
    # name, country, region, employees, industry, offer, may_name, note
    ("Bramble & Finch Publishing", "GB", "England", 160, "Media", "Tallyflow Workflows", True,
     "Cut manuscript approval from 9 days to 2. Happy to take a call."),
    ("Tidewater Freight", "US", "Virginia", 2100, "Logistics", "Tallyflow Insights", True,
     "Ops director presents at our webinars."),
    ("Hanse Kontor Treuhand", "DE", "Bremen", 340, "Financial services",
     "Tallyflow Audit Trail", False, "Anonymous case study only (German-language)."),
    ("Eucalypt Civil", "AU", "Victoria", 480, "Engineering services",
     "Tallyflow Enterprise (Workflows + Insights)", True, "Ask for Mia, their PMO lead."),
    ("Rivière Claire Hôtels", "FR", "Occitanie", 900, "Hospitality", "Tallyflow Workflows", True,
     "Reference in French; likes to host visits."),
]

JOURNAL = [
    ("Three 'no's today and I took the last one personally. Re-read the notes tonight: two were "
     "timing, one was price. None of them was about me.",
     "Tired, a bit bruised.", 14),
    ("Went back through the accounts that said 'not now' in the spring. Four of them have "
     "check-backs this month. Nice to see the list do its job.",
     "Quietly pleased.", 7),
    ("Lost the big one to Orbitask. I should have met the CFO a month earlier. Writing the "
     "autopsy tomorrow, not tonight.",
     "Angry, mostly at myself.", 30),
    ("A gatekeeper laughed with me today. Six calls in, it finally feels like a relationship "
     "rather than a wall.", "Good.", None),
]

AUTOPSIES = [
    # listened, missed timing, missed follow-up, missed events, too aggressive, winner, why, do
    (True, False, False, True, False, "Orbitask",
     "Their mobile app; the board saw it at a trade fair the week before.",
     "Watch the prospect's industry events; bring the mobile roadmap to the board meeting."),
    (False, False, True, False, True, None, None,
     "Stop the five-emails-in-two-weeks sequence. One channel at a time, one touch a week."),
    (True, True, False, False, False, "Kestrel BI",
     "Local on-site training in their city and a slightly lower price.",
     "Partner with a local trainer; raise the economic buyer earlier."),
]

OUTCOMES = {
    "call": ["no answer", "busy signal", "connected — asked to call back", "rang out",
             "spoke briefly"],
    "voicemail": ["left voicemail", "left a 20-second voicemail", "voicemail full"],
    "email": ["sent intro", "sent case study", "sent short follow-up", "sent pricing one-pager",
              "sent recap"],
    "linkedin": ["connection request", "message sent", "commented on their post"],
    "note": ["handwritten card posted"],
    "parcel": ["sent coffee and a one-page guide", "sent the printed benchmark report"],
    "drop_in": ["dropped by reception with the info pack"],
    "meeting": ["discovery meeting", "demo", "pricing review"],
}

NURTURE = [
    # channel, purpose, why — gentle touches after a soft no
    ("email", "Share the benchmark report on approval times",
     "gentle nurture after a soft no; the last touch was weeks ago"),
    ("linkedin", "Like or comment on their latest post — no pitch",
     "stay visible without asking for anything"),
    ("email", "Send the customer story from {reference}",
     "a reference customer in the same country"),
    ("call", "Check in: ask about {hook}", "a rapport note on the account"),
    ("note", "Handwritten card: thanks for the straight answer",
     "a different channel after two emails"),
]
WARM = [
    # after an "interested": keep it moving
    ("email", "Follow up on the overview you sent — any questions?",
     "they asked for information; keep it moving"),
    ("call", "Ask whether they have had time to review the proposal",
     "they showed interest; don't let it go cold"),
    ("email", "Send two times for the demo",
     "they want to see it; make saying yes easy"),
]

TODAY_TASKS = [
    # fit, channel, purpose, why, signal kind, signal note
    ("any", "call", "Call while it's warm: they looked at the pricing page twice",
     "active signal yesterday (visited pricing)", "visited", "pricing page, 2 visits"),
    ("any", "email", "Answer their question about onboarding time",
     "they asked for information", "asked_info", "asked how long onboarding takes"),
    ("any", "linkedin", "Congratulate them on the new role",
     "changed jobs; rapport before business", "visited", "new role announced"),
    ("gatekeeper", "call",
     "Friendly call to the front desk — ask for the best day to reach the director",
     "gatekeeper conversation; be a familiar voice, not a pitch", None, None),
    ("cap:sso", "email", "Share the single sign-on roadmap date they asked for",
     "they said no until SSO exists; they opened the last update", "opened",
     "opened the roadmap email"),
    ("any", "parcel", "Send the printed benchmark report with a short note",
     "three emails unanswered: try another channel", "unopened", "last two emails unopened"),
    ("referral", "call", "Introduce yourself to {first}; mention that {referrer} sent you",
     "{referrer} named {first} as the person to talk to", "referred",
     "colleague passed our name on"),
    ("any", "email", "Book the demo they asked for — offer two slots",
     "they said yes to a call", "meeting_accepted", "accepted a short intro call"),
    ("any", "voicemail", "Short voicemail: one sentence, one reason to call back",
     "no answer to two calls; vary the channel", "ignored", "no reply to last call"),
    ("cap:salesforce", "email", "Tell them the Salesforce integration has shipped",
     "they said no because it was missing", "clicked", "clicked the release announcement"),
    ("any", "drop_in", "Drop by with the case study when you're in town",
     "you are in their city this week", None, None),
    ("any", "note", "Handwritten thank-you for last week's honest feedback",
     "keep the door open after a clear answer", None, None),
]
