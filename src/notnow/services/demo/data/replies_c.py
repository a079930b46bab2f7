"""Demo replies: no authority, bad experience, do not contact, auto-replies, interested."""

from __future__ import annotations

from notnow.services.demo.data import R

REPLIES = [
    # --- no_authority -----------------------------------------------------------------------
    R("no_authority", "proposal", "email",
      "Hi {me},\n\nI'm personally a fan, but [[our CFO is not signing off on anything "
      "new]] without a "
      "payback under twelve months. I'll try again when the numbers look better.\n\n{first}",
      notes="Build the payback case with her. She is the champion."),
    R("no_authority", "closing", "call",
      "{first} sounded flat. [[Her sponsor left the company on Friday]] and the project is on "
      "hold until a replacement is named.",
      feelings="Felt for her. Months of work in limbo.",
      notes="Find out who replaces the sponsor; congratulate them in a few weeks."),
    R("no_authority", "proposal", "meeting",
      "{first} needs [[sign-off from the group IT committee]], which meets <<next quarter>>. "
      "Nothing she can do before.",
      hint=("next_quarter", 0), notes="Ask for the committee's template to fill in."),
    R("no_authority", "follow_up", "email",
      "Hello {me},\n\nI presented it to the leadership team. [[They decided it's <<not for "
      "this year>>]], and that's above my pay grade, unfortunately.\n\nBest regards,\n{name}",
      hint=("next_year", 0), also=("not_now",)),
    R("no_authority", "closing", "email",
      "{me},\n\nBad news: [[group headquarters have to approve all software]] and they "
      "want a global agreement, not a local one. I've forwarded your details.\n\n{first}",
      notes="Find the HQ contact. Local champion is still useful."),
    R("no_authority", "proposal", "call",
      "{first}: [[\"I can recommend it, but the board decides, and <<they meet in March>>.\"]]",
      hint=("month", 3)),
    R("no_authority", "follow_up", "call",
      "Checked in. {first} said [[the steering group shelved it]] — she wasn't even in the "
      "room.", feelings="Frustrated for her more than for me."),
    R("no_authority", "email_prospecting", "email",
      "Hi {me},\n\nInteresting, but [[purchases like this are decided at group level]] in "
      "{country_name}, not by us.\n\nThanks,\n{first}"),
    R("no_authority", "closing", "meeting",
      "Signing meeting turned into a postponement. [[The new managing director wants to "
      "review every contract over 10k]] first. {first} was apologetic.",
      feelings="Deflated. Champagne back in the fridge."),
    R("no_authority", "proposal", "email",
      "Hi {me},\n\n[[My manager vetoed it]] — she thinks we should wait for the platform "
      "team's own roadmap. Sorry, I tried.\n\n{first}",
      notes="Get the manager into the next conversation, not around her."),
    # --- bad_experience ---------------------------------------------------------------------
    R("bad_experience", "cold_call", "call",
      "{first} recognised the company name: [[\"The person before you rang us every single week "
      "for two months.\"]] Apologised. Promised she would not hear from me for a long while.",
      feelings="Ashamed of how we treated them.",
      notes="Logged an autopsy. This is exactly what we must never do again."),
    R("bad_experience", "follow_up", "email",
      "{me},\n\n[[We had a terrible onboarding with you in 2023]] and I haven't forgotten it. "
      "Please don't take this personally.\n\n{first}",
      notes="Find out what went wrong in 2023 before any next step."),
    R("bad_experience", "email_prospecting", "email",
      "Hello,\n\nThis is the fifth email in two weeks. [[I feel pushed, and it's not a good "
      "look.]] Please slow down.\n\n{name}",
      feelings="Embarrassed. The sequence was too aggressive.",
      notes="Cut that cadence. Never more than one email a week."),
    R("bad_experience", "closing", "call",
      "{first} said [[the last-minute price change left a bad taste]]. I had quoted before "
      "checking the discount policy. She'll think about it.",
      also=("price",), notes="My fault. Confirm discounts before quoting.",
      feelings="Kicking myself."),
    R("bad_experience", "follow_up", "call",
      "{first} was cool: [[\"Your support never answered our tickets when we trialled you.\"]]",
      notes="Check the trial tickets with support. Apologise properly with facts."),
    R("bad_experience", "proposal", "email",
      "Hi {me},\n\nHonestly [[the demo felt like a hard sell]] and my team noticed. We'd "
      "rather take a break from this.\n\n{first}",
      feelings="Ouch. Fair.",
      notes="Talked 80% of the demo. Ask more, show less."),
    R("bad_experience", "cold_call", "call",
      "{first}: [[\"We were burned by a vendor like you last year\"]] — data migration went "
      "wrong and cost them a quarter.",
      notes="Not us, but we pay for it. Lead with migration safeguards."),
    R("bad_experience", "email_prospecting", "linkedin",
      "{me}, [[you've messaged me here, by email and by phone in the same week]]. A bit much."
      " I'll reach out if I need anything.",
      notes="Channel pile-up. One channel at a time."),
    # --- do_not_contact ---------------------------------------------------------------------
    R("do_not_contact", "email_prospecting", "email",
      "[[Take me off whatever list this is.]]"),
    R("do_not_contact", "follow_up", "email",
      "Hi,\n\nI have asked twice now. [[Do not email me again]] and delete my details.\n\n"
      "{name}",
      feelings="Awful. I did not see the first request — it was in a forwarded thread.",
      notes="Check that the earlier opt-out was not missed in the import."),
    R("do_not_contact", "cold_call", "call",
      "{first}: [[\"Take this number off your list and don't call again.\"]] Confirmed I "
      "would.", feelings="Fine. Clear is kind."),
    R("do_not_contact", "email_prospecting", "email",
      "Dear {me},\n\nUnder GDPR, [[I do not consent to being contacted for marketing "
      "purposes]]. Please erase my data.\n\nRegards,\n{name}"),
    R("do_not_contact", "follow_up", "linkedin",
      "[[Please don't contact me again]] about this, on here or anywhere else."),
    R("do_not_contact", "cold_call", "call",
      "{first} answered, heard the company name and said [[\"We never want to hear from you "
      "again\"]]. Not angry, just final.", feelings="Rattled for an hour."),
    R("do_not_contact", "email_prospecting", "email",
      "Hello {me},\n\nThanks, but [[unsubscribe me from everything]], please. Not interested "
      "now or later.\n\n{first}",
      also=("not_interested",)),
    # --- auto_reply -------------------------------------------------------------------------
    R("auto_reply", "email_prospecting", "email",
      "Thank you for your message. [[I am out of the office until {ret}]] with limited access "
      "to email. For urgent matters please contact the front desk.\n\n{name}",
      hint=("return", 10)),
    R("auto_reply", "follow_up", "email",
      "Automatic reply: [[I'm on parental leave and back on {ret}]]. In the meantime, {ref} "
      "can help with anything in {ref_dept}.",
      hint=("return", 70)),
    R("auto_reply", "email_prospecting", "email",
      "[[{name} no longer works at {company}.]] Please direct your enquiry to {ref}.\n\nThis "
      "is an automated message."),
    R("auto_reply", "proposal", "email",
      "Auto-reply: [[away on holiday, returning {ret}]]. I will answer when I'm back. "
      "{first}",
      hint=("return", 14)),
    R("auto_reply", "email_prospecting", "email",
      "Message not delivered. [[There is no mailbox for this address at {company}]]; it may "
      "have been closed. — {company} mail system"),
    R("auto_reply", "follow_up", "email",
      "Hello, [[I am travelling for work until {ret}]] and will reply on my return. Kind "
      "regards, {name}",
      hint=("return", 5)),
    R("auto_reply", "email_prospecting", "email",
      "Thanks for getting in touch! [[This inbox is not monitored.]] For sales enquiries "
      "please use the contact form on our website."),
    R("auto_reply", "closing", "email",
      "[[Out of office until {ret}.]] For contract questions please contact our legal team.",
      hint=("return", 7)),
    R("auto_reply", "follow_up", "email",
      "[[I have left {company}]] — thanks for everything! My colleague {ref} has taken "
      "over my accounts.",
      notes="{first} left. Start again with {ref}, mention {first}."),
    R("auto_reply", "email_prospecting", "email",
      "Merci pour votre message ! I'm [[out of the office until {ret}]] and will reply when I "
      "return. Bonne journée.",
      hint=("return", 12)),
    # --- interested -------------------------------------------------------------------------
    R("interested", "email_prospecting", "email",
      "Hi {me},\n\n[[Happy to talk, pick a slot next week.]] Thursday afternoons are best."
      "\n\n{first}",
      notes="Book it before the window closes.", feelings="Yes!"),
    R("interested", "cold_call", "call",
      "{first}: [[\"Roughly what would forty licences cost us?\"]] Sent the pricing sheet "
      "right after.",
      notes="She asked about price first: check who else they're looking at."),
    R("interested", "follow_up", "email",
      "Hi {me},\n\nFunny timing — [[we were just talking about this in our team meeting]]. "
      "Can you show us how the approvals flow works?\n\nBest,\n{first}",
      feelings="Checking back at the right time works."),
    R("interested", "follow_up", "call",
      "Called {first} at the agreed check-back. [[Budget approved, they want a proposal by "
      "the end of the month.]]",
      notes="The 'no' from last year turned into this. Remember it.",
      feelings="Thrilled. Patience paid."),
    R("interested", "email_prospecting", "linkedin",
      "Hi {me}, thanks for connecting. [[Could you send over a short overview?]] We are "
      "reviewing options for next year."),
    R("interested", "proposal", "email",
      "{me},\n\n[[Looks good. Can you include the onboarding package and resend?]]\n\n"
      "Thanks,\n{first}"),
    R("interested", "cold_call", "call",
      "Good chat with {first}. [[\"Send me a case study from a company our size and I'll "
      "share it with my boss.\"]]",
      notes="Send the reference story from a similar-size customer."),
    R("interested", "follow_up", "email",
      "Hi {me},\n\nYour note about the Salesforce integration shipping caught my eye. [[Let's "
      "pick this up again]] — are you free on Tuesday?\n\n{first}",
      feelings="This is why we log the 'no's."),
    R("interested", "closing", "call",
      "{first}: [[\"We're ready to sign. Send the order form.\"]]",
      feelings="Huge relief."),
    R("interested", "email_prospecting", "email",
      "Hello {me},\n\n[[I'd be happy to have a short call.]] I'm in {city} most of next week."
      "\n\nKind regards,\n{name}\n{title}"),
]
