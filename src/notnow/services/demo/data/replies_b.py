"""Demo replies: has a solution, no need, missing capability, wrong person, gatekeeper."""

from __future__ import annotations

from notnow.services.demo.data import R

REPLIES = [
    # --- has_solution -----------------------------------------------------------------------
    R("has_solution", "cold_call", "call",
      "{first} said [[they already run everything through Lumenary]] and are happy with it. "
      "Contract <<renews next March>>.",
      competitor="Lumenary", hint=("renewal", 3),
      notes="Happy customer of Lumenary. Be ready with a migration offer before March."),
    R("has_solution", "email_prospecting", "email",
      "Hi {me},\n\nThanks, but [[we built our own approval tool in-house]] three years ago and "
      "it does the job.\n\nRegards,\n{first}",
      notes="Homegrown tools age. Ask who maintains it next time."),
    R("has_solution", "email_prospecting", "email",
      "Hello {me},\n\n[[We are locked in with our current vendor]] <<for another two years>>, "
      "so there is no point talking before then.\n\nBest,\n{name}",
      hint=("months", 22)),
    R("has_solution", "cold_call", "call",
      "Quick chat with {first}. [[\"We do all of that in Excel and SharePoint and it works "
      "fine.\"]] Didn't sound convinced.",
      notes="Sounded like a workaround she tolerates. Send the spreadsheet-to-workflow story."),
    R("has_solution", "follow_up", "email",
      "{me},\n\nAs I said on the phone, [[we're covered — Kestrel BI handles our reporting]]. "
      "Our agreement <<runs until next June>>.\n\n{first}",
      competitor="Kestrel BI", hint=("renewal", 6)),
    R("has_solution", "proposal", "email",
      "Dear {me},\n\nAfter comparing options we realised that [[the workflow module in our "
      "ERP already covers most of this]]. We will stick with it for now.\n\nKind regards,\n"
      "{name}\n{title}",
      notes="I never asked what their ERP does. Discovery gap."),
    R("has_solution", "cold_call", "linkedin",
      "Hi {me} — [[we're a Fieldwise shop]], have been for years. All good here."),
    R("has_solution", "email_prospecting", "email",
      "Hi,\n\n[[That's covered, we have something in place]]. Thanks.\n\n{first}"),
    R("has_solution", "follow_up", "call",
      "{first} confirmed [[they renewed with Brightpath Ops for another year]]. Said to "
      "<<check back around next autumn>>, before their planning.",
      competitor="Brightpath Ops", hint=("month", 9)),
    R("has_solution", "cold_call", "call",
      "Spoke to {first} in operations: [[their IT team wrote scripts that do this]]. She "
      "admitted nobody understands the scripts since their author left.",
      notes="Pain exists. The person who'd buy is IT, not ops."),
    R("has_solution", "proposal", "meeting",
      "Mid-demo, {first} stopped me: [[\"we have Plainsight for this, and <<a two-year "
      "contract>>\"]]. Nobody had told her team that this was a replacement.",
      competitor="Plainsight", hint=("months", 20),
      feelings="Wasted hour for both of us. My qualification was sloppy."),
    # --- no_need ----------------------------------------------------------------------------
    R("no_need", "cold_call", "call",
      "{first}: [[\"That's not a problem we have. Our approvals take a day, tops.\"]]",
      notes="Maybe true for a 20-person team."),
    R("no_need", "email_prospecting", "email",
      "Hi {me},\n\n[[Automation isn't on our roadmap at all]] — we're a small team and do most "
      "things by hand on purpose.\n\nBest,\n{first}"),
    R("no_need", "proposal", "email",
      "Hello {me},\n\nWe discussed it internally and [[don't see enough of a need]] to justify "
      "a new system. Our current process is slow but people know it.\n\nRegards,\n{name}",
      notes="Cost of the slow process never quantified. Do that next time.",
      feelings="Should have seen this coming in discovery."),
    R("no_need", "cold_call", "call",
      "{first} listened politely then said [[their reporting is fine as it is]]. Asked how "
      "long month-end takes: \"a week, but that's normal\".",
      notes="A week of month-end is not normal. Good angle for later."),
    R("no_need", "follow_up", "email",
      "Hi {me},\n\nThanks for the case study. Interesting read, but [[it's not a priority "
      "for us <<this year>>]].\n\nCheers,\n{first}",
      hint=("next_year", 0)),
    R("no_need", "email_prospecting", "linkedin",
      "Thanks for reaching out, {me}. [[We don't really have that issue]] — our team is five "
      "people in one room."),
    R("no_need", "closing", "call",
      "{first} said the new COO [[doesn't see dashboards as a need]] and dropped it from the "
      "plan.",
      also=("no_authority",), feelings="Blindsided. Didn't know there was a new COO.",
      notes="Track leadership changes on key accounts."),
    R("no_need", "cold_call", "call",
      "Called {first}. [[\"We're not growing, so we don't need to scale anything.\"]] Fair."),
    R("no_need", "email_prospecting", "email",
      "{me},\n\nI appreciate the persistence, but [[this solves a problem we don't have]].\n\n"
      "{first}",
      notes="Fourth email. Back off for a good while."),
    R("no_need", "proposal", "meeting",
      "Workshop with {first}'s team. After an hour they concluded [[the pain is smaller than "
      "they thought]] once the new hire started. Honest of them.",
      feelings="Weirdly fine with this one. Better now than after signing."),
    # --- missing_capability -----------------------------------------------------------------
    R("missing_capability", "proposal", "email",
      "Hi {me},\n\nWe love the product, but [[our security team won't sign off on "
      "anything without SAML single sign-on]]. Let us know when you support it.\n\nBest,\n{first}",
      capability="SSO (SAML)", notes="SSO again. Logged for product.",
      feelings="Frustrated — it's on the roadmap, just not yet."),
    R("missing_capability", "closing", "email",
      "Dear {me},\n\nOur IT policy requires that all business data stays in our own data "
      "centre. [[We need it on-prem]], and you only offer cloud.\n\nKind regards,\n{name}\n"
      "{title}",
      capability="On-premises deployment",
      notes="Ask whether a private-cloud option in their region would do."),
    R("missing_capability", "cold_call", "call",
      "{first} asked straight away: [[\"does it sync with Salesforce?\"]] Told her not "
      "natively, not yet. That ended it.",
      capability="Salesforce integration",
      notes="Salesforce integration would open this account and probably three others."),
    R("missing_capability", "proposal", "meeting",
      "Security review with {first} and their CISO. [[No EU data residency, no deal]] — "
      "their works council won't allow data to leave the EU.",
      capability="EU data residency", feelings="Expected it. Still disappointing."),
    R("missing_capability", "follow_up", "email",
      "Hello {me},\n\nThe team still likes the tool, but [[we can't roll it out without a "
      "Japanese interface]] for the plant staff. Please tell us when it is available.\n\n"
      "Best regards,\n{name}",
      capability="Japanese-language interface"),
    R("missing_capability", "email_prospecting", "email",
      "Hi {me},\n\nDo you integrate with SAP? [[If not, it won't work for us]] — everything "
      "we do lives in SAP.\n\n{first}",
      capability="SAP connector"),
    R("missing_capability", "closing", "call",
      "{first} said legal signed off, but [[IT blocked it: no audit log export]]. They need "
      "to feed logs into their SIEM.",
      capability="Audit log export", also=("no_authority",),
      notes="Audit log export is small. Ask product for a date."),
    R("missing_capability", "proposal", "email",
      "{me},\n\n[[Our field staff work offline most of the day]] and your mobile experience "
      "needs a connection. That's the deal-breaker.\n\nThanks,\n{first}",
      capability="Offline mode"),
    R("missing_capability", "cold_call", "call",
      "{first}: [[\"If it doesn't do single sign-on with Azure, don't bother.\"]] Said to "
      "call back when we have it.",
      capability="SSO (SAML)"),
    R("missing_capability", "follow_up", "call",
      "Called {first} back with the roadmap. [[Still no Salesforce sync]], so still no. She "
      "said she'd be first in line when it ships.",
      capability="Salesforce integration", feelings="Hopeful, actually."),
    R("missing_capability", "proposal", "email",
      "Hi {me},\n\nOur auditors require a SOC 2 report from every SaaS vendor. [[Without SOC 2 "
      "we cannot onboard you]].\n\nRegards,\n{name}",
      capability="SOC 2 report"),
    R("missing_capability", "email_prospecting", "linkedin",
      "Hi {me}, we need [[multi-currency reporting across 14 entities]] — from what I can "
      "see you don't do that. Happy to chat if I'm wrong.",
      capability="Multi-currency reporting"),
    # --- wrong_person -----------------------------------------------------------------------
    R("wrong_person", "cold_call", "call",
      "{first} was nice about it: [[not her department]]. Suggested I [[talk to {ref} in "
      "{ref_dept}]], who owns the budget.",
      notes="Referral to {ref}. Mention {first} by name."),
    R("wrong_person", "email_prospecting", "email",
      "Hi {me},\n\n[[I'm not the right person for this]] — {ref} in {ref_dept} looks after "
      "tooling. I've copied them in.\n\nBest,\n{first}",
      feelings="Lovely. A warm intro."),
    R("wrong_person", "cold_call", "call",
      "{first}: [[\"I don't handle purchasing, you want {ref}.\"]] Gave me the direct line.",
      role="user"),
    R("wrong_person", "email_prospecting", "email",
      "Hello,\n\n[[This isn't my area.]] You might try {ref} ({ref_dept}).\n\nRegards,\n{name}"),
    R("wrong_person", "follow_up", "email",
      "Hi {me},\n\nSorry to have kept you waiting. [[I moved to a different role in "
      "January]] and no longer look after reporting. {ref} took over from me.\n\nAll the "
      "best,\n{first}",
      notes="Update the account map. {first} can still be an ally."),
    R("wrong_person", "cold_call", "linkedin",
      "Hey {me}! [[Wrong person, I'm afraid]] — I'm on the engineering side. {ref} runs "
      "{ref_dept}, try them."),
    R("wrong_person", "proposal", "call",
      "{first} has been great but admitted [[she's not the one who decides]] on anything "
      "over a few thousand. Said I should [[meet {ref}|no_authority]].",
      also=("no_authority",), notes="Multi-thread earlier. Always ask who else decides."),
    R("wrong_person", "cold_call", "call",
      "Rang the number on the website and reached {first} in accounts. [[Not her call at "
      "all]]; she transferred me to {ref}'s voicemail.",
      role="user"),
    R("wrong_person", "email_prospecting", "email",
      "Hi {me},\n\nThanks for thinking of me, but [[I don't look after this]]. Maybe "
      "{ref}?\n\n{first}"),
    R("wrong_person", "follow_up", "call",
      "{first} said [[that project moved to {ref_dept}]] after the reorg. {ref} is the new "
      "owner; {first} offered to introduce me.",
      feelings="Good news dressed as bad news."),
    R("wrong_person", "cold_call", "call",
      "{first}: [[\"You've got the wrong team, we're the regional office. Procurement is "
      "central.\"]] Suggested {ref}.",
      role="user"),
    # --- gatekeeper -------------------------------------------------------------------------
    R("gatekeeper", "cold_call", "call",
      "Front desk, {first} again. [[\"She never takes calls from vendors she doesn't "
      "know.\"]] Asked when "
      "she's usually in — {first} said Tuesdays are quieter.",
      role="gatekeeper", notes="Second friendly chat with {first}. Tuesdays.",
      feelings="Fine. {first} is warming up."),
    R("gatekeeper", "cold_call", "call",
      "{first} on reception: [[\"Email the general inbox and it'll get looked "
      "at.\"]]",
      role="gatekeeper", notes="The general inbox is a black hole. Ask for a name next time."),
    R("gatekeeper", "email_prospecting", "email",
      "Dear Sir or Madam,\n\nThank you for your email. [[Our managing director does not "
      "respond to sales enquiries]]. Kind regards,\n{name}\nOffice of the Managing Director",
      role="gatekeeper"),
    R("gatekeeper", "cold_call", "call",
      "Assistant {first} screened me: [[\"What is this regarding? He's in meetings all "
      "week.\"]] Left my name, no promise.",
      role="gatekeeper", notes="Be honest about the reason up front next time."),
    R("gatekeeper", "follow_up", "call",
      "Third conversation with {first}. [[\"I passed on your message, he hasn't come back "
      "to me.\"]] {first} asked about the weather in my part of the world. Nice chat.",
      role="gatekeeper", feelings="Enjoying these calls honestly.",
      notes="{first} has a daughter starting university. Ask how the move went."),
    R("gatekeeper", "cold_call", "call",
      "Switchboard again. {first} said [[they aren't allowed to put through sales calls]] "
      "and hung up before I could ask a name.",
      role="gatekeeper", feelings="Cold one."),
    R("gatekeeper", "email_prospecting", "email",
      "Hello,\n\nThis mailbox is monitored by the office team. [[We do not forward "
      "unsolicited offers to staff.]]\n\nOffice Team\n{company}",
      role="gatekeeper"),
    R("gatekeeper", "follow_up", "call",
      "{first} on the phone, laughing: [[\"You again! Still no, he's not available.\"]] "
      "Offered to book me 15 minutes if I send one paragraph she can forward.",
      role="gatekeeper", notes="Progress. Write the paragraph today.",
      feelings="That's a door opening."),
    R("gatekeeper", "cold_call", "drop_in",
      "Dropped off the info pack at reception. {first} took it with a smile: [[\"I'll put it "
      "on her desk, can't promise anything.\"]]",
      role="gatekeeper"),
    R("gatekeeper", "cold_call", "call",
      "{first}, executive assistant: [[all vendor requests go through the procurement "
      "portal]]. Gave me the link.",
      role="gatekeeper"),
    R("gatekeeper", "follow_up", "email",
      "Hi {me},\n\nI showed him your note. [[He said to keep it on file for now.]] I'll let "
      "you know if anything changes.\n\nBest,\n{first}\nPA to the CEO",
      role="gatekeeper"),
    R("gatekeeper", "cold_call", "call",
      "Operator asked for an extension I didn't have. [[\"Without a name I can't connect "
      "you.\"]] {first} was kind enough to say the ops team sits in the Leeds office.",
      role="gatekeeper", notes="Need a name in ops. Try LinkedIn."),
]
