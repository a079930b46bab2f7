"""Word classes: many words, one meaning ("vendor", "provider", "supplier" -> @vendor).

A reply in words the corpus never used still shares its concepts with the corpus; the model
gets a concept feature for each word in a class, and concept bigrams, next to the words.
"""

from __future__ import annotations

_CLASSES: dict[str, str] = {
    "vendor": "vendor vendors provider providers supplier suppliers company companies firm "
              "partner partners agency solution tool tools platform product software system "
              "service services option alternative competitor competitors",
    "boss": "boss manager director ceo cfo cto coo cio vp board owner owners founder president "
            "management leadership executive executives committee headquarters hq corporate "
            "superiors supervisor",
    "money": "budget budgets money funds funding cash spend spending costs finances financial "
             "financially allocated allocation",
    "pricey": "expensive pricey costly overpriced steep cheaper cheap price prices pricing "
              "priced quote quoted fee fees",
    "time": "week weeks month months quarter quarters year years spring summer autumn fall "
            "winter january february march april may june july august september october "
            "november december q1 q2 q3 q4 monday tuesday wednesday thursday friday holidays "
            "christmas easter tomorrow later soon eventually",
    "busy": "busy swamped slammed hectic stretched crazy bandwidth capacity overloaded "
            "overwhelmed buried snowed maxed underwater",
    "reachout": "email e-mail emails call calls calling called phone ring message messages "
                "contact contacting reach text texts",
    "already": "already currently existing current presently",
    "content": "happy satisfied fine good content pleased okay ok set",
    "need": "need needs needed require requires required requirement must",
    "keen": "interested interesting keen curious intrigued intriguing excited eager fascinated "
            "tempted",
    "bad": "bad terrible awful horrible poor disaster nightmare frustrating annoying rude "
           "pushy aggressive unprofessional disappointed unhappy",
    "chose": "decided chose choose picked selected went signed opted awarded committed appointed "
             "engaged retained contracted",
    "approve": "approve approved approval sign-off signoff authorize authorise authority "
               "permission veto vetoed overruled",
    "gate": "assistant secretary receptionist reception pa ea desk frontdesk",
    "dept": "department dept team it ops operations hr marketing finance procurement "
            "purchasing sales engineering legal accounting",
    "left": "left leaving quit departed moved retired resigned",
    "contract": "contract contracts agreement renewal renewed renews locked tied commitment "
                "licence license",
    "feature": "integrate integration integrates api sso saml on-prem compatible support "
               "supports feature features functionality capability",
    "info": "information info details brochure deck proposal pricing case demo overview "
            "whitepaper datasheet literature materials",
    "later": "later future someday eventually down",
}

CLASS_OF: dict[str, str] = {
    word: "@" + name for name, words in _CLASSES.items() for word in words.split()
}
