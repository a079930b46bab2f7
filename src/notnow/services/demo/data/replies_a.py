"""Demo replies: not interested, not now, no budget, price, competitor chosen."""

from __future__ import annotations

from notnow.services.demo.data import R

REPLIES = [
    # --- not_interested ---------------------------------------------------------------------
    R("not_interested", "cold_call", "call",
      "Got {first} on the second ring. Thirty seconds in: [[\"we're not interested, thanks\"]] "
      "and the line went quiet.",
      notes="Didn't get to ask a single question. Opened with the product, not with them.",
      feelings="Deflated. Too fast on my side."),
    R("not_interested", "email_prospecting", "email",
      "Hi {me},\n\n[[Going to pass on this one.]]\n\n{first}"),
    R("not_interested", "cold_call", "call",
      "{first} picked up while walking between meetings. Polite but firm — [[not something "
      "they want to look at]]. Didn't give a reason and I didn't push.",
      notes="Ask for a better time next round instead of pitching on a walk-and-talk."),
    R("not_interested", "email_prospecting", "email",
      "Thanks for the note. [[Not interested at this stage.]]\n\nRegards,\n{name}"),
    R("not_interested", "follow_up", "email",
      "Hello {me},\n\nI've had a look at the overview you sent. Appreciate you taking the time to "
      "put it together, but [[it's not for us]].\n\nAll the best,\n{name}\n{title}",
      notes="Third email in the thread. At least it is a clear answer."),
    R("not_interested", "cold_call", "call",
      "Short call. {first}: [[\"No thank you, we're fine.\"]] Asked what made her say so — "
      "she laughed and said she'd already said no to four vendors today.",
      feelings="Honestly, fair enough. Bad day to call.",
      notes="Mondays before 10 are a wall for this team."),
    R("not_interested", "email_prospecting", "linkedin",
      "Appreciate the connection request but [[I'm not looking at workflow tools]]. Good luck!"),
    R("not_interested", "proposal", "email",
      "{me},\n\nWe reviewed the proposal internally. [[We have decided not to move forward]] "
      "and would rather not go into detail.\n\nKind regards,\n{name}",
      notes="No reason given after a proposal — worth a gentle 'what tipped it?' later.",
      feelings="Frustrated. We had two good calls."),
    R("not_interested", "follow_up", "call",
      "Checked in with {first} as planned. [[\"Still not interested, and that won't "
      "change.\"]] Thanked her, said I'd leave it there for a good while.",
      notes="Respect it. Long gap before anything else."),
    R("not_interested", "cold_call", "voicemail",
      "{first} called back after my voicemail, just to say [[don't bother, they're not "
      "interested]]. Nice of her to call, really."),
    R("not_interested", "email_prospecting", "email",
      "Hi,\n\nNo thanks. [[Not a fit for us.]]\n\nSent from my phone"),
    # --- not_now ----------------------------------------------------------------------------
    R("not_now", "cold_call", "call",
      "Reached {first}. Friendly. [[Too much on their plate right now]] — they are moving "
      "offices. Said to <<try again after the new year>>.",
      hint=("next_year", 0), notes="Office move. Ask how it went when I call back.",
      feelings="Good call, actually. She laughed at my joke about moving boxes."),
    R("not_now", "email_prospecting", "email",
      "Hi {me},\n\nThanks for reaching out. [[The timing isn't right]] — we're in the middle of "
      "an ERP rollout and nobody here has headspace for anything else. Could you "
      "<<circle back next quarter>>?\n\nBest,\n{first}",
      hint=("next_quarter", 0)),
    R("not_now", "proposal", "email",
      "Dear {me},\n\nThank you for the detailed proposal and for your patience with our questions. "
      "We like what we saw in the pilot. However, [[we cannot take on a new project before the "
      "audit is finished]], so please <<get in touch again in three months>>.\n\nWith kind "
      "regards,\n{name}\n{title} | {company}",
      hint=("months", 3), notes="Warm. Pilot users liked the approvals flow.",
      feelings="Relieved it's not a no."),
    R("not_now", "follow_up", "call",
      "{first} picked up. Still keen but [[they're slammed until the peak season is over]]. "
      "Suggested <<late January>>.",
      hint=("month", 1)),
    R("not_now", "cold_call", "call",
      "Caught {first} just before lunch. [[\"Ask me again <<in six months>> — right now it's all "
      "hands on the launch.\"]]",
      hint=("months", 6), notes="Product launch. Check their news before calling back."),
    R("not_now", "email_prospecting", "email",
      "Hi {me} — [[not this year]]. Happy to talk <<in the new year>> if you still want to.\n\n"
      "{first}",
      hint=("next_year", 0)),
    R("not_now", "closing", "call",
      "Final call with {first}. They want it, but [[legal can't review another contract this "
      "quarter]]. Asked me to <<come back in Q2>>.",
      hint=("quarter", 2), feelings="So close. Annoyed at myself for not involving legal earlier.",
      notes="Next time: send the MSA to legal at proposal stage."),
    R("not_now", "follow_up", "email",
      "Hello {me},\n\nSorry for the slow reply. [[We had to park this for now]]; a "
      "reorganisation is under way and budgets are being reshuffled. Please "
      "<<try me in a few weeks>> once the dust settles.\n\nThanks,\n{first}",
      hint=("weeks", 3), also=("no_budget",)),
    R("not_now", "cold_call", "linkedin",
      "Thanks {me}. [[Not a priority this half]] — maybe <<after the summer>>? Ping me in "
      "September.",
      hint=("month", 9)),
    R("not_now", "proposal", "meeting",
      "Demo went well; {first} and two of her analysts asked good questions. Then: [[\"we need "
      "to finish the data migration first — realistically that's Q3\"]]. Agreed to "
      "<<reconnect in Q3>>.",
      hint=("quarter", 3), notes="Analysts loved the dashboard builder. Name: send them the "
      "migration checklist?"),
    R("not_now", "email_prospecting", "email",
      "Hi {me},\n\nInteresting, but [[we're heads-down on year-end close]]. "
      "<<Try me after our fiscal year starts>>.\n\nCheers,\n{first}",
      hint=("fiscal", 0)),
    R("not_now", "follow_up", "call",
      "{first} was apologetic: [[the project got pushed]] because their CTO left. Said "
      "<<give it two months>> until the new one settles in.",
      hint=("months", 2), also=("no_authority",)),
    R("not_now", "cold_call", "call",
      "Spoke to {first} for five minutes. [[\"Interesting, but not now. We're hiring a whole "
      "new team first.\"]] Said <<maybe in spring>>, around March.",
      hint=("month", 3)),
    R("not_now", "closing", "email",
      "{me},\n\nI have to be honest with you: [[we are pausing all new tools until the merger "
      "closes]]. That should be done <<by the end of next quarter>>; let's talk then.\n\n{first}",
      hint=("next_quarter", 0), feelings="Gutted — this was the quarter's biggest deal.",
      notes="Merger news was public three weeks ago. I missed it."),
    # --- no_budget --------------------------------------------------------------------------
    R("no_budget", "proposal", "email",
      "Hi {me},\n\nThe team liked the proposal, but [[the budget for this year is already "
      "spent]]. Our new budget opens <<next fiscal year>>; we can revisit then.\n\nKind regards,\n"
      "{name}",
      hint=("fiscal", 0), notes="Budget cycle: get in before they plan, not after."),
    R("no_budget", "cold_call", "call",
      "{first} was blunt: [[\"there is no money for anything new <<until April>>\"]]. Spending "
      "freeze, company-wide.",
      hint=("month", 4)),
    R("no_budget", "closing", "call",
      "Bad news from {first}: [[finance froze every discretionary spend]] this morning. Deal "
      "on ice <<until the next budget round>>.",
      hint=("fiscal", 0), feelings="Sick to my stomach. Contract was ready to sign.",
      notes="Nothing I could have done. Keep the contract warm."),
    R("no_budget", "email_prospecting", "email",
      "Hello,\n\n[[We have no budget allocated for this]]. Sorry.\n\n{first}"),
    R("no_budget", "follow_up", "email",
      "Dear {me},\n\nThank you for following up. Unfortunately [[our budget was cut by 20% "
      "for the rest of the year]] and this project did not make the list. If things change "
      "<<next year>> I will let you know.\n\nBest regards,\n{name}\n{title}",
      hint=("next_year", 0)),
    R("no_budget", "proposal", "meeting",
      "Walked {first} through pricing. She did the maths on the whiteboard and said [[they "
      "simply don't have a line item for it]]. Asked whether a smaller pilot could fit "
      "somewhere — she'll check.",
      notes="Offer the 10-seat pilot. Price it under her sign-off limit."),
    R("no_budget", "cold_call", "call",
      "{first}: [[\"We're a charity-sized budget in a corporate-sized building.\"]] Nice "
      "line. No money this year.",
      feelings="Liked her. Would be a good reference one day."),
    R("no_budget", "closing", "email",
      "Hi {me},\n\nI fought for this but [[procurement won't release funds <<until the new "
      "financial year in April>>]]. I am sorry — I know you've put a lot into this.\n\n{first}",
      hint=("month", 4), also=("no_authority",), feelings="She fought for it. That counts."),
    R("no_budget", "email_prospecting", "linkedin",
      "Hey {me}, looks neat but [[zero budget for tooling]] after the last funding round "
      "slipped. <<Ping me in six months>>.",
      hint=("months", 6)),
    R("no_budget", "follow_up", "call",
      "Followed up with {first}. [[Still no budget]]; their fiscal year starts in "
      "<<October>> and she'll push for it in planning.",
      hint=("month", 10), notes="Send her a one-page business case before August planning."),
    R("no_budget", "proposal", "email",
      "Hello {me},\n\nThanks for the revised quote. [[Spending is frozen until further "
      "notice]] across the group. I will reach out when the freeze lifts.\n\nRegards,\n{name}"),
    R("no_budget", "cold_call", "call",
      "Reached {first} at her desk. [[All budget is tied up in the new warehouse]] — "
      "<<after Q1>> maybe.",
      hint=("quarter", 2)),
    # --- price ------------------------------------------------------------------------------
    R("price", "proposal", "email",
      "Hi {me},\n\nThanks for the quote. To be frank, [[it's well over what we can justify]] "
      "for a team of our size.\n\nBest,\n{first}",
      notes="Quoted the enterprise bundle to a 40-person team. My mistake.",
      feelings="Embarrassed. Should have led with Workflows alone."),
    R("price", "closing", "call",
      "{first} came back after procurement review: [[another vendor quoted roughly half]]. "
      "She'd still prefer us, but can't defend the gap.",
      competitor="Orbitask", notes="Orbitask again. Their per-seat price is low, onboarding is "
      "extra — show total cost over three years.",
      feelings="Annoyed, but she was straight with me."),
    R("price", "proposal", "meeting",
      "Pricing discussion with {first} and their controller. The controller said [[the "
      "per-seat model doesn't work for 300 occasional users]].",
      capability="Usage-based pricing", notes="Ask product about read-only seats."),
    R("price", "closing", "email",
      "Dear {me},\n\nWe have reviewed your final offer. While we appreciate the discount, [[the "
      "price is still too high for the value we expect in year one]]. We will not proceed at "
      "this time.\n\nKind regards,\n{name}\n{title}",
      feelings="Tired. Three rounds of discounting for nothing.",
      notes="Never discount twice. Sell the value case before the price."),
    R("price", "email_prospecting", "email",
      "Hi — saw your pricing page. [[Way too expensive for a small shop like ours.]] "
      "Cheers, {first}"),
    R("price", "follow_up", "call",
      "{first} said the pilot went fine but [[the renewal price is a non-starter]] compared to "
      "what they pay for spreadsheets, which is nothing.",
      notes="Pilot usage was low. Price was the symptom, adoption the cause."),
    R("price", "proposal", "email",
      "{me},\n\n[[Your number is about 40% above our ceiling.]] If you can get closer, we can "
      "talk <<next month>>; otherwise we'll wait.\n\n{first}",
      hint=("weeks", 4)),
    R("price", "closing", "meeting",
      "In the room with {first} and the CFO. The CFO: [[\"I can't sign a three-year commitment "
      "at this price.\"]] {first} looked embarrassed.",
      also=("no_authority",), feelings="Deflated. Should have met the CFO weeks ago."),
    R("price", "cold_call", "call",
      "{first} knew our pricing already: [[\"you're the expensive one\"]]. Didn't want to hear "
      "more.", notes="Our reputation precedes us. Lead with ROI story from a similar customer."),
    R("price", "follow_up", "email",
      "Hi {me},\n\nWe looked again, and [[we can get 80% of this for a third of the price]] "
      "with Plainsight. Thanks anyway.\n\n{first}",
      competitor="Plainsight", also=("competitor_chosen",)),
    R("price", "proposal", "email",
      "Hello {me},\n\nThe implementation fee is what kills it for us. [[Paying that much up "
      "front is not possible]] for a company of our size.\n\nBest wishes,\n{name}",
      notes="Offer to spread onboarding over the first year."),
    # --- competitor_chosen ------------------------------------------------------------------
    R("competitor_chosen", "closing", "email",
      "Hi {me},\n\nI wanted to let you know personally that [[the decision went to "
      "Orbitask]]. It was close, and your team was great to work with.\n\nAll the best,\n{first}",
      competitor="Orbitask", feelings="Stings. We were the front runner a month ago.",
      notes="Ask who got it and why — she'll tell me."),
    R("competitor_chosen", "proposal", "email",
      "Dear {me},\n\nThank you for your proposal. After careful consideration [[we have "
      "selected another provider]] whose offer better matched our requirements.\n\nYours "
      "sincerely,\n{name}\n{title}, {company}",
      notes="Form letter. Find out which provider through {first}'s team."),
    R("competitor_chosen", "follow_up", "call",
      "{first}: [[\"Kestrel BI got it, we signed on Tuesday.\"]] Their contract is two "
      "years; <<renewal would be in two years' time>>.",
      competitor="Kestrel BI", hint=("months", 22),
      notes="Kestrel BI is strong on dashboards, weak on workflow. Revisit before renewal."),
    R("competitor_chosen", "closing", "call",
      "Call with {first}. [[They went with Fieldwise]] because Fieldwise already runs at "
      "their sister company. Nothing to do with us, she said.",
      competitor="Fieldwise", feelings="Accepting. Group politics."),
    R("competitor_chosen", "email_prospecting", "email",
      "Hi {me},\n\nThanks — [[we just rolled out Lumenary]] company-wide, so the timing is "
      "bad. Maybe in a couple of years.\n\n{first}",
      competitor="Lumenary", also=("has_solution",)),
    R("competitor_chosen", "proposal", "meeting",
      "Debrief with {first}. [[The board chose Orbitask]]; they liked their mobile app. "
      "Asked if she'd tell me more — she said our proposal was clearer, theirs had the app.",
      competitor="Orbitask", capability="Mobile app",
      notes="Mobile app again. That's the third loss this year on it.",
      feelings="Proud of the proposal, disappointed in the result."),
    R("competitor_chosen", "closing", "email",
      "{me}, short version: [[we're going with Plainsight]]. Cheaper and good enough for "
      "now. I'd still like to stay in touch.\n\n{first}",
      competitor="Plainsight", also=("price",)),
    R("competitor_chosen", "follow_up", "email",
      "Hello {me},\n\nI am writing to inform you that [[the contract has been awarded to "
      "Brightpath Ops]] following our tender. We appreciate your participation. <<The contract "
      "runs for three years>>.\n\nProcurement Office\n{company}",
      competitor="Brightpath Ops", hint=("months", 30)),
    R("competitor_chosen", "closing", "meeting",
      "{first} told me over coffee that [[they've signed with Kestrel BI]]. Price was "
      "similar; Kestrel offered on-site training in {city}.",
      competitor="Kestrel BI", notes="We lose on local presence. Partner with a local "
      "trainer?", feelings="Disappointed but the coffee was good."),
    R("competitor_chosen", "proposal", "email",
      "Hi {me}, just a quick heads-up — [[we picked Fieldwise for this one]]. Thanks for all "
      "the work on the proposal.\n\n— {first}",
      competitor="Fieldwise"),
    R("competitor_chosen", "cold_call", "call",
      "{first}: [[\"We literally signed with Orbitask on Friday.\"]] Bad luck on timing. Their "
      "contract <<renews next September>>.",
      competitor="Orbitask", hint=("renewal", 9),
      notes="Two weeks late. Diary the renewal."),
]
