"""Precise rules for what is unmistakable: opt-outs, auto-replies and bounces, and cues.

Two kinds of rule live here:

* **Hard rules** decide the label on their own. An opt-out phrase makes `do_not_contact` the
  primary label whatever else the text says (TAXONOMY.md); an auto-reply, bounce or
  "no longer with the company" notice — in the text or in RFC 3834 headers — makes it
  `auto_reply`, never a rejection.
* **Cue rules** are precise phrases for the other labels ("budget is frozen", "went with").
  They become features of the learned model, which weighs them, and they propose secondary
  labels (`also`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from notnow.core.model import Label

_F = re.IGNORECASE

_NOT_BEFORE = r"(?<!never )(?<!n't )(?<!not )(?<!kept )(?<!keep )(?<!won't )(?<!to )"
_CONTACT_VERBS = (r"(?:e-?mail(?:ing)?|mail(?:ing)?|call(?:ing)?|ring(?:ing)?|contact(?:ing)?"
                  r"|messag(?:e|ing)|text(?:ing)?|spamm(?:ing)?|writ(?:e|ing)(?: to)?"
                  r"|reach(?:ing)? out(?: to)?|bother(?:ing)?|pester(?:ing)?|harass(?:ing)?"
                  r"|hound(?:ing)?|send(?:ing)?(?: me| us)?(?: any| these| this| your)?"
                  r"|follow(?:ing)? up(?: with)?)")
_LISTS = (r"(?:list|lists|mailing|mailer|database|db|distribution|system|records|contacts?"
          r"|cadences?|sequences?|campaigns?|crm|newsletter|emails?|call list)")

DNC_PATTERNS: tuple[str, ...] = (
    r"\bun-?subscribe\b|\bunsub\b|\bopt(?:ing)?[- ]?(?:me |us )?out\b",
    rf"\bremove (?:me|us|my (?:e-?mail|address|name|details|number|info\w*)|this (?:e-?mail|"
    rf"address))\b.{{0,40}}?\b(?:from|off)\b.{{0,30}}?\b{_LISTS}\b",
    r"\bremove me\b\s*(?:[.!]|$|please|asap|now|immediately)",
    rf"\btake (?:me|us|my (?:e-?mail|address|name|details|number))\s+off\b(?:.{{0,30}}?\b{_LISTS}\b"
    r"|\s*(?:[.!]|$|please|asap|now|immediately))",
    rf"{_NOT_BEFORE}\b(?:stop|quit|cease|enough)\s+(?:with\s+)?(?:the\s+)?{_CONTACT_VERBS}"
    r"(?:\s+(?:me|us|him|her|them|this\s+\w+))?\b",
    r"\bstop (?:all|any) (?:contact|communication|e-?mails|calls|outreach)",
    rf"\b(?:do not|don't|never|please don't)\s+(?:ever\s+)?{_CONTACT_VERBS}\s+(?:me|us|this "
    r"(?:number|address|e-?mail))\b\s*(?:again|anymore|any more|ever|in (?:the )?future|further"
    r"|going forward|[.!]|$)",
    r"\bnever\s+(?:contact|e-?mail|call)\s+(?:me|us)\b",
    r"\b(?:no|no more|no further|not any more)\s+(?:e-?mails|calls|contact|messages|outreach|"
    r"solicitations?)\s*(?:please|,|\.|!|$|from you|thanks)",
    r"\b(?:don't|do not|never) (?:want|wish) to (?:hear from|be contacted|receive)"
    r"|\bnot to (?:be )?contact(?:ed)? (?:me|us|again)",
    r"\bdo[- ]not[- ](?:contact|call|e-?mail)\b|\bdnc list\b",
    r"\blose my (?:number|e-?mail|address|details)\b",
    r"\b(?:delete|erase|purge|remove)\s+(?:all\s+)?(?:of\s+)?(?:my|our)\s+(?:personal\s+)?"
    r"(?:data|details|information|info|contact details|e-?mail address|records)\b",
    r"\b(?:report(?:ing|ed)?|mark(?:ing|ed)?|flag(?:ging|ged)?)\s+(?:you|this|these|it|your"
    r" \w+)\s+(?:as|to)\s+(?:spam|junk|abuse)",
    r"\bleave (?:me|us) alone\b|\bcease and desist\b|\bget lost\b|\bf\W*off\b",
    # German, French, Spanish, Dutch, Italian
    r"\babmelden\b|\baustragen\b|\bkeine (?:weiteren )?(?:e-?mails|anrufe|nachrichten|werbung)\b"
    r"|\bnicht mehr (?:kontaktieren|anschreiben|anrufen|kontakt)",
    r"d[ée]sinscri|d[ée]sabonn|\bne (?:plus|pas|jamais) (?:me |nous )?(?:re)?(?:contacter|écrire"
    r"|appeler)|\bne me (?:re)?contactez plus\b|\bretirez[- ]moi\b|\bsupprimez mes donn",
    r"\bdar(?:me)? de baja\b|\bdarse de baja\b|\bno (?:me|nos) (?:vuelva[ns]? a )?(?:contacte[ns]?"
    r"|escriba[ns]?|llame[ns]?|env[ií]e[ns]?)\b|\bdejen? de (?:escribirme|enviarme|llamarme"
    r"|contactarme)|\bel[ií]m[ií]n(?:e|en|ar)(?:me)? de (?:su|tu|la|sus) lista",
    r"\bafmelden\b|\buitschrijven\b|\bcancellami\b|\bnon (?:mi )?contatt(?:are|ate)(?:mi)? più",
)

AUTO_REPLY_PATTERNS: tuple[str, ...] = (
    r"\bautomatic reply\b|\bauto[- ]?(?:matic )?(?:reply|response|responder)\b|\bautoreply\b",
    r"\bout[- ]of[- ](?:the[- ])?office\b(?!\s+(?:last|yesterday|earlier))"
    r"|\bi(?:'m| am| will be|'ll be) (?:currently )?(?:away|ooo|out)\b.{0,60}?\b(?:until|till"
    r"|through|returning|return|back on|back in|from \w+ \d|and will|with (?:limited|no))",
    r"\bi(?:'m| am| will be|'ll be) (?:currently )?(?:on|off on) (?:annual |parental |maternity "
    r"|paternity |sick |medical |sabbatical |holiday |vacation )?(?:leave|vacation|holidays?"
    r"|pto|sabbatical)\b",
    r"\b(?:limited|no|intermittent|sporadic) access to (?:my )?e-?mails?\b",
    r"\b(?:upon|on|until|after) my return\b|\bwhen i (?:return|am back|get back)\b.{0,40}"
    r"\b(?:respond|reply|answer|get back)",
    r"\bfor (?:urgent|immediate|pressing) (?:matters|issues|requests|enquiries|inquiries|"
    r"questions|assistance|help)\b|\bif (?:this|your (?:matter|request)) is urgent\b",
    r"\b(?:is|am) no longer (?:with|at|employed|working|part of|a member of|an employee)\b"
    r"|\bno longer works? (?:at|for|here|with|in)\b|\bhas (?:now )?left (?:the|our|\w+ (?:company"
    r"|organi[sz]ation|firm|team))\b|\bleft the (?:company|organi[sz]ation|firm|business)\b"
    r"|\bis no longer (?:in|at) (?:the|this) (?:company|role|organi[sz]ation|position)",
    r"\bdelivery (?:status notification|has failed|failed|failure|incomplete)\b|\bundeliverable\b"
    r"|\bmail delivery (?:subsystem|system|failed)\b|\baddress not found\b|\buser unknown\b"
    r"|\b(?:recipient|mailbox)(?: address)? (?:rejected|unavailable|not found|does not exist"
    r"|is full|full)\b|\b5\.[1-7]\.\d{1,2}\b|\b(?:could not|couldn't|wasn't|was not) (?:be )?"
    r"delivered\b|\bmessage not delivered\b|\breturned mail\b|\bmailer-daemon\b|\bpostmaster\b",
    r"\bthis (?:mailbox|inbox|e-?mail address|address|account) is (?:no longer|not) (?:monitored"
    r"|active|in use|checked)\b|\bthis is an automated (?:message|response|reply|e-?mail)\b",
    r"\b(?:we|i) have received your (?:message|e-?mail|request|enquiry|inquiry)\b.{0,80}?"
    r"\b(?:respond|get back|reply|be in touch)",
    # German, French, Spanish, Dutch, Italian
    r"\babwesenheits|\bnicht im büro\b|\baußer haus\b|\bbin (?:ich )?(?:bis|vom) .{0,40}"
    r"(?:abwesend|nicht erreichbar|im urlaub)|\bkeinen zugriff auf (?:meine )?e-?mails"
    r"|\bnicht mehr (?:im unternehmen|bei uns|für \w+ tätig)",
    r"\babsente? du bureau\b|\bréponse automatique\b|\bje (?:suis|serai) (?:absente?|en congés?)"
    r"|\bde retour le\b|\bn'(?:est|fait) plus (?:partie|en poste|au sein|dans)",
    r"\bfuera de (?:la )?oficina\b|\brespuesta automática\b|\bestar[ée] de (?:vacaciones|vuelta)"
    r"|\bya no trabaja\b|\bafwezig\b|\bfuori ufficio\b",
)

CUE_PATTERNS: dict[Label, tuple[str, ...]] = {
    Label.NO_BUDGET: (
        r"\b(?:no|zero|don't have (?:the |a |any )?|do not have (?:the |a |any )?|without (?:a )?"
        r"|out of|lack of)\s*budget\b|\bbudget(?:s)?\s+(?:is|are|was|has been|have been|got)?\s*"
        r"(?:gone|spent|frozen|exhausted|used up|cut|allocated|tight|slashed|locked|maxed)"
        r"|\b(?:spending|hiring|budget) freeze\b|\bfreeze on (?:all )?(?:spend|spending|new)"
        r"|\bno (?:money|funds|funding)\b|\bcan't afford\b|\bcannot afford\b",
    ),
    Label.PRICE: (
        r"\btoo (?:expensive|pricey|costly|steep|high|rich)\b|\bover ?priced\b|\bprice is\b"
        r"|\b(?:cheaper|less expensive|lower price|half the price|half of that)\b"
        r"|\bnot worth (?:the|that|it)\b|\bcan't justify the (?:cost|price|spend)\b",
    ),
    Label.COMPETITOR_CHOSEN: (
        r"\b(?:went|gone|going|decided to go|chose to go) with\b|\bsigned (?:up )?with\b"
        r"|\b(?:chose|picked|selected|awarded)\b.{0,40}\b(?:vendor|provider|supplier|partner|"
        r"instead|over you|another|[A-Z]\w+)",
    ),
    Label.HAS_SOLUTION: (
        r"\balready (?:use|using|have|got|work with|working with|run|running|on|in contract)\b"
        r"|\b(?:locked|tied) (?:in|into)\b|\bunder contract\b|\bin-house\b|\binternal (?:tool|"
        r"team|solution|system)\b|\bbuilt our own\b",
    ),
    Label.MISSING_CAPABILITY: (
        r"\bwithout (?:sso|saml|an? api|api|on-?prem\w*|\w+ (?:support|integration))\b"
        r"|\b(?:doesn't|does not|don't|do not|can't|cannot) (?:integrate|support|work|connect"
        r"|sync) with\b|\bno (?:api|sso|integration|mobile app|support for)\b"
        r"|\b(?:need|require|requires|must have)\b.{0,30}\b(?:on-?prem\w*|sso|saml|hipaa|"
        r"soc ?2|gdpr|iso ?27001|api|integration|self-hosted|data residency)\b|\bnon-?starter\b",
    ),
    Label.WRONG_PERSON: (
        r"\bnot (?:my|the right|the correct|our) (?:area|department|dept|call|decision|person|"
        r"contact|team|role|responsibility|remit|wheelhouse|domain)\b|\bwrong (?:person|contact"
        r"|guy|department)\b|\bi (?:don't|do not) (?:handle|deal with|manage|own|look after)\b"
        r"|\b(?:try|contact|reach out to|talk to|speak (?:to|with)|ask)\s+our (?:cfo|cto|ceo|coo"
        r"|cio|it|hr|head|vp|procurement|purchasing)\b",
    ),
    Label.GATEKEEPER: (
        r"\b(?:doesn't|does not|won't|will not) (?:take|accept) (?:unsolicited|cold|sales)"
        r"|\bsend (?:it|that|something|information|info|details) (?:to|over to) (?:info|sales|"
        r"our general|the general)|\b(?:i'm|i am) (?:his|her|their) (?:assistant|pa|ea)\b"
        r"|\bin (?:a )?meetings? all day\b|\bleave a message\b|\bnot available to take\b",
    ),
    Label.NO_AUTHORITY: (
        r"\b(?:won't|will not|wouldn't|didn't|did not|refused to|need(?:s)? to) (?:approve|sign "
        r"off)\b|\bsign-?off\b|\b(?:board|committee|leadership|management) (?:said no|rejected|"
        r"won't|didn't|needs to|has to)\b|\b(?:sponsor|champion) (?:left|is gone|moved)\b"
        r"|\bout of my hands\b|\babove my (?:pay grade|head)\b|\bnot my (?:budget|decision) to\b",
    ),
    Label.BAD_EXPERIENCE: (
        r"\b(?:bad|terrible|awful|poor|horrible) experience\b|\b(?:burned|burnt)\b|\bpushy\b"
        r"|\b(?:kept|keeps|keep) (?:calling|emailing|hounding|pestering|bugging|chasing)\b"
        r"|\bhounding\b|\bnever again\b|\blast time (?:we|i)\b|\bdisappointed\b",
    ),
    Label.INTERESTED: (
        r"\b(?:send|share) (?:me |us |over )?(?:some )?(?:times|a calendar|your calendar|a link|"
        r"pricing|more info|more information|details|a proposal|a quote|the deck)\b"
        r"|\b(?:let's|lets|happy to|glad to|would love to|keen to) (?:talk|chat|connect|meet|"
        r"set up|hop on|book|schedule)\b|\bbook (?:a|some) (?:call|demo|meeting|time)\b"
        r"|\b(?:how much|what does it cost|what's the price|pricing for)\b",
    ),
}


@dataclass(frozen=True, slots=True)
class RuleHit:
    label: Label
    start: int
    end: int
    hard: bool


def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), _F)


_DNC = _compile(DNC_PATTERNS)
_AUTO = _compile(AUTO_REPLY_PATTERNS)
_CUES: tuple[tuple[Label, re.Pattern[str]], ...] = tuple(
    (label, _compile(patterns)) for label, patterns in CUE_PATTERNS.items()
)
# "try Dana", "talk to Tom": the name must be capitalised, so this cue is case-sensitive.
_REFER_NAME = re.compile(
    r"\b(?i:try|contact|reach out to|talk to|speak (?:to|with)|ask for|get in touch with)"
    r"\s+[A-Z][a-z]+\b(?!\s+(?:[A-Z][a-z]+\s+)?(?:wrote|said))"
)


def header_auto_reply(headers: Mapping[str, str] | None) -> str | None:
    """The header that marks a message as automatic (RFC 3834 and common practice), if any."""
    if not headers:
        return None
    norm = {k.lower().strip(): (v or "").strip().lower() for k, v in headers.items()}
    auto = norm.get("auto-submitted")
    if auto and auto != "no":
        return "Auto-Submitted"
    for name in ("x-autoreply", "x-autorespond", "x-auto-response"):
        if name in norm and norm[name] not in ("", "no", "false", "0"):
            return name
    if norm.get("precedence") in ("auto_reply", "bulk", "junk"):
        return "Precedence"
    subject = norm.get("subject", "")
    if re.match(r"(?:automatic reply|auto(?:matic)?[- ]?reply|out of (?:the )?office|"
                r"undeliverable|delivery status notification|abwesend|réponse automatique)",
                subject):
        return "Subject"
    if norm.get("from", "").startswith(("mailer-daemon", "postmaster")):
        return "From"
    return None


def hard_hits(text: str) -> list[RuleHit]:
    """Opt-out and auto-reply phrases in `text` (first occurrence of each)."""
    hits: list[RuleHit] = []
    m = _DNC.search(text)
    if m:
        hits.append(RuleHit(Label.DO_NOT_CONTACT, m.start(), m.end(), True))
    m = _AUTO.search(text)
    if m:
        hits.append(RuleHit(Label.AUTO_REPLY, m.start(), m.end(), True))
    return hits


def cue_hits(text: str) -> list[RuleHit]:
    """Precise cue phrases for the other labels (first occurrence of each)."""
    hits: list[RuleHit] = []
    for label, pattern in _CUES:
        m = pattern.search(text)
        if m is None:
            continue
        hits.append(RuleHit(label, m.start(), m.end(), False))
    if not any(h.label is Label.WRONG_PERSON for h in hits):
        m = _REFER_NAME.search(text)
        if m:
            hits.append(RuleHit(Label.WRONG_PERSON, m.start(), m.end(), False))
    return hits
