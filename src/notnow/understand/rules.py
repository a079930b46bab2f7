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
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from operator import itemgetter
from typing import Any, NamedTuple, overload

from notnow.core.model import Label
from notnow.understand.textprep import lowered

_F = re.IGNORECASE

_NOT_BEFORE = r"(?<!never )(?<!n't )(?<!not )(?<!kept )(?<!keep )(?<!won't )(?<!to )"
_NOT_BEFORE_REQUEST = (r"(?<!never )(?<!n't )(?<!not )(?<!kept )(?<!keep )(?<!won't )"
                       r"(?:(?<=you to )|(?<=want to )|(?<=wish to )|(?<=like to )|(?<!to ))")
"""`_NOT_BEFORE`, but "(ask) you to …" and "I want to …" are requests."""
_CONTACT_VERBS = (r"(?:e-?mail(?:ing)?|mail(?:ing)?|call(?:ing)?|ring(?:ing)?|contact(?:ing)?"
                  r"|messag(?:e|ing)|text(?:ing)?|spamm(?:ing)?|writ(?:e|ing)(?: to)?"
                  r"|reach(?:ing)? out(?: to)?|bother(?:ing)?|pester(?:ing)?|harass(?:ing)?"
                  r"|hound(?:ing)?|send(?:ing)?(?: me| us)?(?: any| these| this| your)?"
                  r"|follow(?:ing)? up(?: with)?)")
_LISTS = (r"(?:list|lists|mailing|mailer|database|db|distribution|system|records|contacts?"
          r"|cadences?|sequences?|campaigns?|crm|newsletter|emails?|call list|distro|thread|chain"
          r"|outreach|marketing|prospect(?:ing|s)?|communications?|correspondence|mailings?"
          r"|messages|calls|automation|drip|funnel)")

DNC_PATTERNS: tuple[tuple[str, str], ...] = (
    ("unsubscribe unsubscribed unsubscribing unsub un opt opting opted unsuscribe unsubcribe "
     "unsubscibe unsubsribe unsbscribe unsuscribed unsubcribed",
        r"\bun-?(?:subscrib|suscrib|subcrib|subscib|subsrib|sbscrib)(?:e|ed|ing)\b|\bunsub\b"
        r"|\bopt(?:ing|ed)?[- ]?(?:me |us )?out\b"),
    ("remove",
        rf"\bremove (?:me|us|my (?:e-?mail|address|name|details|number|info\w*)|this (?:e-?mail|"
        rf"address))\b.{{0,40}}?\b(?:from|off)\b.{{0,30}}?\b{_LISTS}\b"),
    ("remove",
        r"\bremove me\b\s*(?:[.!]|$|please|asap|now|immediately)"),
    ("take",
        rf"\btake (?:me|us|my (?:e-?mail|address|name|details"
        rf"|number))\s+off\b(?:.{{0,30}}?\b{_LISTS}\b"
        r"|\s*(?:[.!]|$|please|asap|now|immediately))"),
    ("stop quit cease enough",
        rf"\b(?=stop|quit|cease|enough){_NOT_BEFORE}(?:stop|quit|cease|enough)\s+(?:with\s+)?(?:the\s+)?{_CONTACT_VERBS}"
        r"(?:\s+(?:me|us|him|her|them|this\s+\w+))?\b"),
    ("stop",
        r"\bstop (?:all|any) (?:contact|communication|e-?mails|calls|outreach)"),
    ("don't not never",
        rf"\b(?:do not|don't|never|please don't)\s+(?:ever\s+)?{_CONTACT_VERBS}\s+(?:me|us|this "
        r"(?:number|address|e-?mail))\b\s*(?:again|anymore|any more|ever|in (?:the )?future|further"
        r"|going forward|[.!]|$)"),
    ("never",
        r"\bnever\s+(?:contact|e-?mail|call)\s+(?:me|us)\b"),
    ("don't not never",
        rf"\b(?:do not|don't|never|please don't|pls don't)\s+(?:ever\s+)?{_CONTACT_VERBS}"
        r"(?:\s+(?:me|us|this \w+|anyone(?: here)?|my \w+))?\s+(?:ever\s+)?(?:again|anymore"
        r"|any more"
        r"|further|going forward|in the future)\b"),
    ("don't not",
        r"\b(?:please\s+)?(?:do not|don't|dont) (?:call|e-?mail|contact|text|message|write)"
        r"(?: here| this number| this address)?\s*(?:[.!]|$)"),
    ("again",
        r"(?:\bnot|n't|\bnever|\bno need to)\b.{0,25}?\b(?:contact|call|e-?mail|message|text|write"
        r" to|reach out to|bother|hear from)(?:ed|ing)?\s+(?:me|us|you|him|her|them"
        r"|here)?\s*(?:ever\s+)?again\b"),
    ("not",
        r"\bnot (?:being|be|to be) (?:contacted|called|e-?mailed|messaged)\b"),
    ("stop unsubscribe remove away spam",
        r"^\s*(?:please\s+)?(?:stop|unsubscribe|remove)\s*[.!]*\s*$|\bgo away\b|\bthis is spam\b"),
    ("remove",
        r"\bremove (?:from|off)\b.{0,20}?\b(?:list|lists|mailing|database|distribution)\b"),
    ("stop back cease",
        r"\bplease stop\s*[.!]*\s*$|\b(?:don't|do not|never) call (?:me |us )?back\b"
        r"|\bcease (?:all )?(?:contact|communication|e-?mails|calls)"),
    ("consent agree agreed permission receiving getting",
        r"\b(?:not|never) (?:consent|agreed?) to (?:be(?:ing)? )?(?:contact|e-?mail|call|receiv)"
        r"|\bpermission to (?:contact|e-?mail|call|message) (?:me|us)\b"
        r"|\bnot interested in (?:receiving|getting) (?:any |your )?(?:e-?mails|calls|messages"
        r"|communications?|marketing)"),
    ("remove ne streichen löschen",
        r"\bremove (?:my|our) (?:name|e-?mail|address|details|number|contact)\b"
        r"|\bne (?:plus|pas) (?:m'|nous )(?:envoyer|écrire|appeler|contacter)"
        r"|\bstreichen sie (?:mich|uns)\b|\blöschen sie (?:meine|mich|unsere)"),
    ("remove stop",
        r"\bplease,? (?:remove|stop)\b(?!\s+(?:by|in|at|for))\s*(?:[.!]|$)"
        r"|(?:^|[.!?]\s+)(?:please\s+)?stop(?: it| now)?\s*[.!]*\s*$"),
    ("cancel removed taken unsubscribed want",
        r"\bcancel (?:my|our|the|this) (?:subscription|membership|e-?mails|newsletter)"
        r"|\b(?:asked|want|like|wish|need|ask) (?:you )?to be (?:removed|taken off|unsubscribed)\b"
        r"|\btaken off (?:your|the|this|all)\b|\b(?:don't|do not|never) (?:want|wish) to be on\b"
        r"|\b(?:don't|do not) want your (?:e-?mails|calls|messages|newsletters?|spam)"),
    ("more further",
        r"\b(?:any|no) (?:more|further) (?:information|info|offers|newsletters|marketing|spam)\b"),
    ("prefer rather stop kindly more",
        r"\bprefer (?:not to (?:be contacted|be e-?mailed|be called|receive|get|hear)|that you "
        r"(?:don't|do not|stop))|\brather you (?:didn't|did not|not|stop) (?:contact|e-?mail|call"
        r"|message|writ)|\bif you(?:'d| would| could)? (?:please )?stop\b|\bkindly (?:stop|remove"
        r"|unsubscribe|take me)|\bplease,? no more\b|\bno more,? please\b"),
    ("block blocked blacklist blacklisted spam junk",
        r"\b(?:i(?:'ve| have| will|'ll)?|we(?:'ve| have| will|'ll)?) (?:now |just )?(?:block(?:ed)?"
        r"|blacklist(?:ed)?) (?:you|your|this)\b|\b(?:report(?:ing|ed)?|mark(?:ing|ed)?"
        r"|flag(?:ging|"
        r"ged)?) (?:as|to) (?:spam|junk)\b"),
    ("remove unsubscribe stop spam",
        r"(?:^|[.!?])\s*(?:remove|unsubscribe|stop)(?: me| us)?,? (?:please|pls|thanks|thank you)"
        r"\s*(?:[.!]|$)|(?:^|[.!?])\s*(?:stop|unsubscribe|remove (?:me|us))\s*(?:[.!]+|$)"
        r"|^\s*spam[.!]*\s*$|\bremove this (?:e-?mail|address|contact)\b\s*(?:[.!]|$|from)"),
    ("asked told send want delete erase remove",
        r"\b(?:asked|told) you (?:to stop|not to|to remove)\b"
        r"|\b(?:don't|do not|never) send (?:me|us) (?:anything|any)\b"
        r"|\b(?:don't|do not) want (?:these|your|any|the|more) (?:e-?mails|calls|messages)\b"
        r"|\b(?:delete|erase|remove) (?:my|our) contact\b"),
    ("harassment report excluded future correspondence",
        r"\bthis is harassment\b|\b(?:i'll|i will|going to|we will|we'll) report you\b"
        r"|\bexcluded from (?:your |all |any )?(?:future )?(?:mailings|e-?mails|lists?|"
        r"communications?)|\b(?:any|no) (?:more |further )?correspondence\b"),
    ("lose if call delete",
        r"\blose (?:this|our|the) (?:number|e-?mail|address)\b|\bno[- ]call list\b"
        r"|\bif you (?:call|e-?mail|contact|message|text) (?:me |us |here )?again\b"
        r"|\bdelete (?:me|us) from\b"),
    ("refrain desist",
        r"\b(?:refrain|desist) from (?:contacting|e-?mailing|calling|messaging|writing)"),
    ("wish want care",
        r"\b(?:no longer|don't|do not|never) (?:wish|want|care) to (?:receive|be contacted|be "
        r"e-?mailed|be called|hear from)"),
    ("removed off remove",
        rf"\b(?:be|get|was|been|me|us)?\s*removed\b.{{0,20}}?\b(?:from|off)\b.{{0,20}}?\b{_LISTS}\b"
        rf"|\boff (?:your|the|this|all|any) (?:\w+ )?{_LISTS}\b|\bplease remove (?:me|us)\b"),
    ("more further",
        r"\b(?:any|no) (?:more|further) (?:e-?mails|calls|messages|contact|communications?|"
        r"follow-?ups|outreach|solicitations?)\b"),
    ("follow bother",
        r"\b(?:do not|don't|please don't) (?:bother )?follow(?:ing)?[- ]up\b|\bdon't bother "
        r"(?:contacting|e-?mailing|calling|following up|reaching out|writing)"),
    ("sign signed opt opted",
        r"\b(?:i|we) (?:did not|didn't|never) (?:sign|opt)(?:ed)? (?:up|in)\b"),
    ("no more further",
        r"\b(?:no|no more|no further|not any more)\s+(?:e-?mails|calls|contact|messages|outreach|"
        r"solicitations?)\s*(?:please|,|\.|!|$|from you|thanks)"),
    ("want wish contact contacted",
        r"\b(?:don't|do not|never) (?:want|wish) to (?:hear from|be contacted|receive)"
        r"|\bnot to (?:be )?contact(?:ed)? (?:me|us|again)"),
    ("dnc not",
        r"\bdo[- ]not[- ](?:contact|call|e-?mail)\b|\bdnc list\b"),
    ("lose",
        r"\blose (?:my|our|his|her|their) (?:number|e-?mail|address|details)\b"),
    ("delete erase purge remove",
        r"\b(?:delete|erase|purge|remove)\s+(?:all\s+)?(?:of\s+)?(?:my|our)\s+(?:personal\s+)?"
        r"(?:data|details|information|info|contact (?:details|info\w*)|e-?mail(?: address)?|number"
        r"|records)\b"),
    ("spam junk abuse",
        r"\b(?:report(?:ing|ed)?|mark(?:ing|ed)?|flag(?:ging|ged)?)\s+(?:you|this|these|it|your"
        r" \w+)\s+(?:as|to)\s+(?:spam|junk|abuse)"),
    ("leave cease lost off",
        r"\bleave (?:me|us) alone\b|\bcease and desist\b|\bget lost\b|\bf\W*off\b"),
    ("stop quit enough",
        r"\b(?:stop|quit|enough with) (?:with )?(?:the |these |your |all |all the |all these )?"
        r"(?:e-?mails|calls|messages|texts|voicemails|follow-?ups|sales (?:e-?mails|calls))\b"),
    ("~entfernen ~löschen ~verteiler ~quít ~quit ~sáqu ~saqu ~elimín ~recibir ~rimuov ~cancell"
     " ~toglie ~ricevere ~verwijder ~geen ~remov ~exclu ~receber",
        r"\bentfernen sie (?:mich|uns)\b|\blöschen sie (?:meine|unsere) (?:daten|kontakt)"
        r"|\baus (?:ihrem|dem|eurem) verteiler\b|\b(?:quít|quit|sáqu|saqu|elimín|elimin|borr)"
        r"(?:e|en|a)(?:me|nos) de\b|\bno (?:quiero|deseo) (?:seguir )?recibir\b"
        r"|\b(?:rimuov|cancell|togli)(?:ete|i)mi\b|\bnon (?:voglio|desidero) più ricevere\b"
        r"|\bverwijder (?:mij|me|ons)\b|\bwil(?:len)? geen (?:e-?mails|mails|berichten) meer\b"
        r"|\b(?:remov|exclu|tir)(?:a|am)-(?:me|nos)\b|\bnão (?:quero|desejo) (?:mais )?receber\b"),
    ("withdraw consent waste wasting off knock erase delete",
        r"\bwithdraw(?:ing)? (?:my|our|all) consent\b|\bdon't waste (?:your|any more) time"
        r" (?:contacting|calling|e-?mailing|reaching out|following up|writing)"
        r"|\b(?:please )?stop wasting (?:my|our) time\b|\b(?:piss|buzz|bugger|sod|shove) off\b"
        r"|\bknock it off\b|\b(?:erase|delete) (?:me|us)\b\s*(?:[.!]|$|from|please|now)"),
    ("stop spam spamming",
        r"\b(?:stop|quit|enough with) (?:the |this |your )?(?:spam|junk|cold e-?mails"
        r"|robocalls)\b"),
    ("stop cease halt further",
        r"\b(?:stop|cease|halt) (?:all |any )?(?:further |future )?(?:contact|communications?"
        r"|correspondence|outreach|e-?mails|calls|messages)\b"),
    ("anyone anybody staff employees people any",
        r"\b(?:don't|do not|never|no longer) (?:contact|e-?mail|call|message) (?:anyone"
        r"|any of (?:our|their)|anybody|our (?:staff|team|employees|people)"
        r"|(?:any|anyone) (?:at|in) our)"),
    ("deletion erasure gdpr data",
        r"\b(?:deletion|erasure|removal) of (?:my|our|all) (?:personal )?(?:data|details"
        r"|information|contact)|\bright to (?:erasure|be forgotten)\b"
        r"|\bgdpr\b.{0,40}?\b(?:delete|erase|remove|deletion|erasure)\b"),
    ("how where who gave ask asked",
        r"\b(?:how|where) did you get (?:my|our|this) (?:e-?mail|number|address|details|contact)"
        r"|\bwho gave you (?:my|our|this) (?:e-?mail|number|address|details|contact)"
        r"|\b(?:never|didn't|did not) ask(?:ed)? (?:for|to (?:receive|get|be added to)) (?:this"
        r"|these|your|any)\b"),
    # Call notes in the salesperson's voice: "told me to stop calling", "take them off".
    ("told asked said stop",
        r"\b(?:told|asked) (?:me|us) to (?:stop|quit|cease) (?:calling|e-?mailing|contacting"
        r"|messaging|texting|reaching out|writing|ringing)\b"
        r"|\b(?:told|asked) (?:me|us) (?:not to|never to|to never) (?:contact|call|e-?mail"
        r"|message|reach out)"),
    ("take remove off them him her",
        r"\b(?:take|remove|drop) (?:him|her|them) (?:off|from)\b.{0,30}?\b(?:list|lists"
        r"|database|system|crm|sequence|cadence)\b"),
    ("dnc requested removal wants want",
        r"\bdnc\b|\b(?:requested|asked for|wants?|demanded) (?:removal|to be removed|to opt out"
        r"|to unsubscribe|off (?:the|our) list)\b"),
    ("ever",
        r"\b(?:do not|don't|never) ever (?:call|e-?mail|contact|text|message|write)\b"),
    ("reported reporting",
        r"\b(?:i've|i have|i'm|i am|we've|we have|we're|we are) (?:now )?(?:reported|reporting)"
        r" (?:you|this|your)\b"),
    ("remove take",
        r"\b(?:remove|take) (?:me|us) (?:from|off) (?:this|these|here|it|all|everything)\b"),
    ("more want wish",
        r"\b(?:don't|do not) want (?:any )?(?:more|further) (?:e-?mails|calls|messages|contact)\b"
        r"|\b(?:don't|do not) wish to be (?:contacted|e-?mailed|called)\b"),
    ("add put",
        r"\b(?:add|put) (?:me|us|my \w+|this number) (?:to|on) (?:your |the )?"
        r"(?:do[- ]not[- ](?:call|contact|e-?mail)|dnc|no[- ]contact|suppression) list\b"),
    ("remove",
        r"\bremove (?:me|us|my name|my (?:e-?mail|address|details|number|contact \w+))\s*(?:[.!,]"
        r"|$|please|pls|asap|now|immediately|thanks|thank you)"),
    ("removed unsubscribed taken deleted alone opted",
        r"\b(?:asked|requested|want|wanted|like|wish|need) to be (?:removed|unsubscribed"
        r"|taken off|deleted|left alone|opted out)\b"),
    ("lose delete",
        r"\b(?:lose|delete|bin) (?:my|our) contact(?: (?:info\w*|details|number))?\b"),
    ("solicit soliciting solicitation solicitations",
        r"\b(?:do not|don't|please don't|never) solicit\b|\bno solicit(?:ing|ations?)\b"),
    ("list lists database system",
        r"\b(?:don't|do not|never) want to be on (?:your|any|the|this) (?:\w+ )?(?:list|lists"
        r"|database|system)\b"),
    ("stop remove unsubscribe delete",
        r"[,;:.!–—-]\s*(?:just |please |so )?(?:stop(?: it| now| please| already)?"
        r"|(?:remove|unsubscribe|delete)(?: me| us)?)\s*[.!]*\s*$"),
    ("drop scratch strike cross cut pull",
        r"\b(?:drop|scratch|strike|cross|cut|pull) (?:me|us|my (?:name|e-?mail|address|number"
        r"|details)) (?:from|off)\b"),
    ("reported spam",
        r"\b(?:i've|i have|we've|we have|i|we) (?:just )?(?:reported|flagged|marked) (?:this|you"
        r"|it|your \w+)(?: \w+)? as (?:spam|junk|phishing)\b|\breported as spam\b"),
    # German, French, Spanish, Dutch, Italian, Portuguese, Swedish, Polish, Japanese
    ("~envoyez ~écrivez ~ecrivez ~souhaite ~recibir ~quiero ~bórre ~borre ~mailen ~bellen"
     " ~lijst ~scriver ~toglie ~contacte ~remova ~descadastr ~avregistr ~wypisz ~配信停止"
     " ~登録解除 ~連絡しないで",
        r"\bne m'(?:envoyez|écrivez|ecrivez) plus\b|\bne (?:souhaite|veux) plus (?:recevoir|être"
        r" contacté)|\bno (?:quiero|deseo) recibir m[aá]s\b|\bb[oó]rre(?:n)?me de\b"
        r"|\bniet meer (?:mailen|bellen|benaderen|contacteren)\b|\bhaal (?:me|ons) (?:van|uit)"
        r" (?:de|jullie|uw) (?:lijst|mailinglijst|bestand)|\bnon (?:mi )?scriver(?:e|mi) più\b"
        r"|\btoglie(?:te)?mi dalla\b|\bn[aã]o (?:me|nos) contacte(?:m)? mais\b|\bremova-me\b"
        r"|\bdescadastr|\bavregistrera\b|\bwypisz (?:mnie|nas)\b|配信停止|登録解除|連絡しないで"),
    ("abmelden austragen keine nicht",
        r"\babmelden\b|\baustragen\b|\bkeine (?:weiteren )?(?:e-?mails|anrufe|nachrichten"
        r"|werbung)\b"
        r"|\bnicht mehr (?:kontaktieren|anschreiben|anrufen|kontakt)"
        r"|\b(?:kontaktieren|schreiben|rufen) sie (?:mich|mir|uns) (?:bitte )?(?:nicht mehr"
        r"|nie wieder)\b"),
    ("~sinscri ~sabonn ~contact ~retirez ~retirer ~supprimez ~écrire ~appeler",
        r"d[ée]sinscri|d[ée]sabonn|\bne (?:plus|pas|jamais) (?:me |nous )?(?:re)?(?:contacter"
        r"|écrire"
        r"|appeler)|\bne me (?:re)?contactez plus\b|\bretirez[- ]moi\b"
        r"|\bme retirer de (?:votre|vos|la) (?:liste|fichier)|\bsupprimez mes donn"),
    ("~baja ~contacte ~escrib ~llame ~envíe ~envie ~dejen ~elimin ~limin",
        r"\bdar(?:me)? de baja\b|\bdarse de baja\b|\bno (?:me"
        r"|nos) (?:vuelva[ns]? a )?(?:contacte[ns]?"
        r"|escriba[ns]?|llame[ns]?|env[ií]e[ns]?)\b|\bdejen? de (?:escribirme|enviarme|llamarme"
        r"|contactarme)|\bel[ií]m[ií]n(?:e|en|ar)(?:me)? de (?:su|tu|la|sus) lista"),
    ("afmelden uitschrijven cancellami non",
        r"\bafmelden\b|\buitschrijven\b|\bcancellami\b|\bnon (?:mi )?contatt(?:are"
        r"|ate)(?:mi)? più"),
    # "Discontinue these emails", "halt contacting us", "cease receiving your newsletters":
    # a request ("I ask you to discontinue …"), not a report ("we discontinued the calls") nor
    # a plan or a footer's offer ("to discontinue receiving our newsletter, click here").
    ("discontinue halt cease quit",
        r"^\s*(?:please\s+)?discontinue\s*[.!]*\s*$"
        rf"|\b(?=discontinue|halt){_NOT_BEFORE_REQUEST}(?:discontinue|halt)\s+(?:sending"
        r"|e-?mailing|mailing|contacting|calling|ringing|messaging|texting|writing(?: to)?"
        r"|reaching out(?: to)?|following up(?: with)?|spamming|bothering|pestering)"
        r"(?:\s+(?:me|us|him|her|them|this\s+\w+))?\b"
        rf"|\b(?=discontinue|halt|cease|quit){_NOT_BEFORE_REQUEST}(?:discontinue|halt|cease|quit)"
        r"\s+(?:all\s+|any\s+)?(?:(?:of\s+)?"
        r"(?:these|this|your|the|such)\s+)?(?:further\s+|future\s+)?(?:contact|communications?"
        r"|correspondence|outreach|e-?mails|calls|messages|mailings|newsletters?|texts"
        r"|follow-?ups|solicitations?)\b(?!\s+with\s+(?!(?:me|us)\b))"
        rf"|\b(?=discontinue|halt|cease|quit){_NOT_BEFORE_REQUEST}(?:discontinue|halt|cease|quit)"
        r"\s+(?:receiving|getting)\s+(?:any\s+"
        r"|these\s+|this\s+|your\s+|the\s+|such\s+|all\s+)?(?:further\s+|future\s+)?"
        r"(?:e-?mails|messages|calls|mailings|newsletters?|communications?|correspondence"
        r"|marketing)\b"),
    ("discontinued stopped ceased halted",
        r"\b(?:like|want|need)\s+(?:these|this|your|the|all|any|such)?\s*(?:e-?mails|calls"
        r"|messages|communications?|contact|outreach|mailings|newsletters?|texts|follow-?ups)"
        r"\s+(?:to\s+be\s+)?(?:discontinued|stopped|ceased|halted)\b"),
)

AUTO_REPLY_PATTERNS: tuple[tuple[str, str], ...] = (
    ("automatic auto autoreply",
        r"\bautomatic reply\b|\bauto[- ]?(?:matic )?(?:reply|response|responder)\b|\bautoreply\b"),
    ("office away ooo out",
        r"\bout(?<!was out)(?<!been out)(?<!were out)[- ]of[- ](?:the[- ])?office\b"
        r"(?!\s+(?:last|yesterday|earlier|all (?:last|of last)))"
        r"|\bi(?:'m| am| will be|'ll be) (?:currently )?(?:away|ooo|out)\b.{0,60}?\b(?:until|till"
        r"|through|returning|return|back on|back in|from \w+ \d|and will|with (?:limited|no))"),
    ("leave vacation holiday holidays pto sabbatical",
        r"\bi(?:'m| am| will be|'ll be) (?:currently )?(?:on|off on) (?:annual |parental "
        r"|maternity "
        r"|paternity |sick |medical |sabbatical |holiday |vacation )?(?:leave|vacation|holidays?"
        r"|pto|sabbatical)\b"),
    ("away currently presently back leave",
        r"\baway from (?:the|my) (?:office|desk)\b|\b(?:currently|presently) (?:away|out of"
        r"|on leave"
        r"|on vacation|on holiday|travell?ing|unavailable|on annual|on parental|on maternity)\b"
        r"|\baway until\b|\bback in (?:the )?office on\b|\bon (?:annual|parental|maternity"
        r"|paternity"
        r"|sick|medical) leave\b"),
    ("access",
        r"\b(?:limited|no|intermittent|sporadic) access to (?:my )?e-?mails?\b"),
    ("return back",
        r"\b(?:upon|on|until|after) my return\b|\bwhen i (?:return|am back|get back)\b.{0,40}"
        r"\b(?:respond|reply|answer|get back)"),
    ("urgent immediate pressing",
        r"\bfor (?:urgent|immediate|pressing) (?:matters|issues|requests|enquiries|inquiries|"
        r"questions|assistance|help)\b|\bif (?:this|your (?:matter|request)) is urgent\b"),
    ("longer left",
        r"\b(?:is|am) no longer (?:with|at|employed|working|part of|a member of|an employee)\b"
        r"|\bno longer works? (?:at|for|here|with|in)\b|\bhas (?:now )?left (?:the|our"
        r"|\w+ (?:company"
        r"|organi[sz]ation|firm|team))\b"
        r"|\bleft the (?:company|organi[sz]ation|firm|business)\b"
        r"|\bis no longer (?:in|at) (?:the|this) (?:company|role|organi[sz]ation|position)"),
    ("delivery undeliverable mail address user recipient mailbox delivered returned mailer "
     "postmaster 0",
        r"\bdelivery (?:status notification|has failed|failed|failure|incomplete)\b"
        r"|\bundeliverable\b"
        r"|\bmail delivery (?:subsystem|system|failed)\b|\baddress not found\b|\buser unknown\b"
        r"|\b(?:recipient|mailbox)(?: address)? (?:rejected|unavailable|not found|does not exist"
        r"|is full|full)\b|\b5\.[1-7]\.\d{1,2}\b|\b(?:could not|couldn't|wasn't|was not) (?:be )?"
        r"delivered\b|\bmessage not delivered\b|\breturned mail\b|\bmailer-daemon\b"
        r"|\bpostmaster\b"),
    ("monitored active use checked automated",
        r"\bthis (?:mailbox|inbox|e-?mail address|address|account) is (?:no longer"
        r"|not) (?:monitored"
        r"|active|in use|checked)\b|\bthis is an automated (?:message|response|reply|e-?mail)\b"),
    ("received",
        r"\b(?:we|i) have received your (?:message|e-?mail|request|enquiry|inquiry)\b.{0,80}?"
        r"\b(?:respond|get back|reply|be in touch)"),
    ("travelling traveling conference attending offsite off sick work grid",
        r"\bi(?:'m| am| will be|'ll be) (?:currently )?(?:travell?ing|at a conference|attending"
        r" \w+|offsite|off-site|off the grid|out sick|off sick|off work|off)\b.{0,60}?\b(?:until"
        r"|till|through|returning|back on|back in|with (?:limited|no)|and will)"),
    ("ooo",
        r"\booo\b.{0,25}?\b(?:until|till|through|back|returning|today|this week)\b"),
    ("account inbox mailbox address longer active valid deactivated disabled closed invalid",
        r"\b(?:this|the|that) (?:e-?mail )?(?:account|inbox|mailbox) is (?:no longer|not)"
        r" (?:monitored|active|in use|checked)\b"
        r"|\b(?:the|this|that) (?:e-?mail )?(?:address|account|mailbox) (?:you (?:sent|wrote"
        r"|e-?mailed) to |you(?:'re| are) trying to reach )?(?:is|has been) (?:no longer (?:active"
        r"|valid|in use|monitored)|deactivated|disabled|closed|invalid)\b"),
    ("automatically generated auto",
        r"\b(?:automatically|auto)[- ]generated (?:message|response|reply|e-?mail|notification)"),
    ("returned fatal permanent permanently delivery",
        r"\breturned to sender\b|\bpermanent (?:fatal )?errors?\b|\bfailed permanently\b"
        r"|\bdelivery to (?:the following )?(?:recipients?|\S+@\S+)(?: \w+)? (?:failed|has been"
        r" delayed)"),
    ("closed",
        r"\b(?:our|the) offices? (?:is|are|will be) (?:now )?closed\b"),
    ("longer",
        r"\b(?:i'm|she's|he's) no longer (?:with|at|employed (?:by|at)|part of|working (?:at"
        r"|for|here))\b"),
    ("person",
        r"\bthe person you are (?:trying to reach|writing to) is (?:no longer|not) available\b"),
    # German, French, Spanish, Dutch, Italian
    ("~abwesen ~büro ~außer ~urlaub ~erreichbar ~zugriff ~nicht_mehr",
        r"\babwesenheits|\bnicht im büro\b|\baußer haus\b|\bbin (?:ich )?(?:bis|vom) .{0,40}"
        r"(?:abwesend|nicht erreichbar|im urlaub)|\bkeinen zugriff auf (?:meine )?e-?mails"
        r"|\bnicht mehr (?:im unternehmen|bei uns|für \w+ tätig)"),
    ("~absent ~automatique ~congé ~retour ~n'est_plus ~ne_fait_plus",
        r"\babsente? du bureau\b|\bréponse automatique\b|\bje (?:suis|serai) (?:absente?"
        r"|en congés?)"
        r"|\bde retour le\b|\bn'(?:est|fait) plus (?:partie|en poste|au sein|dans)"),
    ("~oficina ~automática ~vacaciones ~vuelta ~ya_no_trabaja ~afwezig ~fuori",
        r"\bfuera de (?:la )?oficina\b|\brespuesta automática\b|\bestar[ée] de (?:vacaciones"
        r"|vuelta)"
        r"|\bya no trabaja\b|\bafwezig\b|\bfuori ufficio\b"),
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
        r"|\b(?:he|she|they)(?:'s|'re| is| are) (?:in (?:a )?meetings?|not available|unavailable"
        r"|not taking (?:calls|meetings))\b|\bleave a message\b"
        r"|\b(?:he|she|they) (?:is|are|isn't|aren't) not? ?available to take\b"
        r"|\b(?:take|pass on) a message\b|\b(?:i'll|i will) (?:pass|forward) (?:it|this|your "
        r"(?:message|details|e-?mail|note)) (?:on|along|to (?:him|her|them))\b",
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
        r"|\b(?:how much|what does it cost|what's the price|pricing for)\b"
        r"|\b(?:can|could|would) you (?:send|share|show|walk)\b|\btell me more\b"
        r"|\b(?:i'm|we're|i am|we are|i'd be|we'd be) (?:very |definitely |quite )?(?:interested"
        r" in (?:a|the|learning|seeing|trying|hearing)|open to (?:a|it|that|the|learning|talking"
        r"|chatting|hearing))|\bsounds (?:good|interesting|great|promising)\b"
        r"|\b(?:what are|what's) the next steps?\b|\b(?:free|available) (?:on|this|next) \w+day\b"
        r"|\b(?:works|work) for (?:me|us)\b|\b(?:free )?trial\b|\bsend (?:me |us )?(?:a |an )?"
        r"(?:invite|calendar invite|deck|one-pager|case stud(?:y|ies)|brochure|overview)\b",
    ),
    Label.NOT_NOW: (
        r"\b(?:not|isn't|is not) (?:a good|the right|the best) time\b|\bbad timing\b"
        r"|\btiming (?:is|isn't|is not) (?:not )?(?:right|good|ideal|great)\b"
        r"|\b(?:circle|check|touch|come) back\b|\btouch base\b|\bfollow up (?:in|after|next)\b"
        r"|\breach (?:back )?out (?:again )?(?:in|after|next|later|once)\b"
        r"|\b(?:try|ping|ask|call|e-?mail|contact) (?:me|us) (?:again )?(?:in|after|next|later"
        r"|once|when)\b|\brevisit\b|\bnot (?:right )?now\b|\bnot yet\b|\bmaybe later\b"
        r"|\bdown the (?:road|line)\b|\bnot (?:this|until next) (?:year|quarter|month)\b",
    ),
    Label.NO_NEED: (
        r"\b(?:don't|do not|doesn't|does not) (?:really |currently )?(?:need|have a need|have"
        r" (?:that|this|the|a) (?:problem|issue|pain))\b|\bno (?:real )?need (?:for|to)\b"
        r"|\bnot a (?:priority|need|problem|pain point|pain|use case) (?:for|at|here|we)\b"
        r"|\bno use case\b|\bdon't see (?:the|a|any) (?:need|value|use)\b",
    ),
}


CUE_TRIGGERS: dict[Label, str] = {
    Label.NO_BUDGET: "budget budgets freeze money funds funding afford",
    Label.PRICE: "too overpriced over price cheaper expensive lower half worth justify",
    Label.COMPETITOR_CHOSEN: "went gone going decided chose signed picked selected awarded",
    Label.HAS_SOLUTION: "already locked tied contract house internal built",
    Label.MISSING_CAPABILITY: "without doesn't not don't can't cannot no need require requires "
                              "must non starter nonstarter",
    Label.WRONG_PERSON: "not wrong don't try contact reach talk speak ask",
    Label.GATEKEEPER: "doesn't not won't send assistant pa ea meeting meetings leave available "
                      "unavailable taking take pass forward",
    Label.NO_AUTHORITY: "won't not wouldn't didn't refused need needs sign signoff off board "
                        "committee leadership management sponsor champion hands above",
    Label.BAD_EXPERIENCE: "bad terrible awful poor horrible burned burnt pushy kept keeps keep "
                          "hounding never last disappointed",
    Label.INTERESTED: "send share let's lets happy glad love keen book how what's pricing show "
                      "walk tell interested open sounds steps step free available works work "
                      "trial what cost",
    Label.NOT_NOW: "time timing back base follow reach try ping ask call email e contact revisit "
                   "now yet later road line year quarter month",
    Label.NO_NEED: "need needs problem issue pain priority use value",
}
"""Words (as `features.tokens` spells them) one of which must occur for a cue to be tried."""


class RuleHit(NamedTuple):
    """A rule's label and the span of the words that fired it (`hard`: a hard rule)."""

    label: Label
    start: int
    end: int
    hard: bool


_MEMO_MAX = 4096
_INSIDE_WORDS = frozenset({"sinscri", "sabonn"})
"""Trigger pieces found inside words ("désinscrire", "désabonner")."""
_UPPER = re.compile(r"(?<!\\)[A-Z]")


_HEAD = itemgetter(slice(0, 2))


def _trie(words: list[str]) -> str:
    """A regex alternation of `words` shaped as a trie: one branch per first letter, so a
    position that starts none of them fails after one comparison."""
    root: dict[str, dict[str, Any]] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict[str, Any]]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def word_heads(words: AbstractSet[str]) -> frozenset[str]:
    """The first two letters of each word, and of the part after an apostrophe ("m'envoyez":
    "m'" and "en"): where a trigger piece ("~envoyez") may start."""
    heads = set(map(_HEAD, words))
    if "'" in "".join(words):
        heads.update(word[word.index("'") + 1:][:2] for word in words if "'" in word)
    return frozenset(heads)


class _Patterns(Sequence["re.Pattern[str]"]):
    """Regular expressions compiled when first searched: a reply needs a few of them, and a
    command that reads one reply should not compile them all."""

    def __init__(self, sources: list[str], flags: list[int]) -> None:
        self._sources, self._flags = sources, flags
        self._compiled: list[re.Pattern[str] | None] = [None] * len(sources)

    def __len__(self) -> int:
        return len(self._sources)

    @overload
    def __getitem__(self, i: int) -> re.Pattern[str]: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[re.Pattern[str]]: ...
    def __getitem__(self, i: int | slice) -> re.Pattern[str] | Sequence[re.Pattern[str]]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        pattern = self._compiled[i]
        if pattern is None:
            pattern = self._compiled[i] = re.compile(self._sources[i], self._flags[i])
        return pattern


class _RuleSet:
    """Patterns, each tried only when one of its trigger words is in the text (speed).

    An index from trigger word to patterns means a reply of ten words costs ten dict lookups
    and the few searches it can match, not a search per pattern.
    """

    def __init__(self, entries: Sequence[tuple[str, str, Label]], flags: int) -> None:
        # A pattern with no capital letter is run without IGNORECASE on the lower-cased text
        # (several times faster in `re`, and it reads "don’t" as "don't"); one that needs case
        # ("[A-Z]" for a name) is run on the text as given.
        self.on_low = tuple(_UPPER.search(p) is None for _t, p, _l in entries)
        self.patterns = _Patterns([p for _t, p, _l in entries],
                                  [flags & ~re.IGNORECASE if low else flags
                                   for low in self.on_low])
        self.labels = tuple(label for _t, _p, label in entries)
        self.always = frozenset(i for i, (t, _p, _l) in enumerate(entries) if not t.split())
        index: dict[str, set[int]] = {}
        substrings: list[tuple[str, int]] = []
        for i, (triggers, _p, _l) in enumerate(entries):
            for word in triggers.split():
                if word.startswith("~"):  # a piece of a word ("~sinscri"), or several words
                    substrings.append((word[1:].replace("_", " "), i))
                else:
                    index.setdefault(word, set()).add(i)
        self.index = {w: frozenset(ids) for w, ids in index.items()}
        self.keys = frozenset(self.index)
        self._by_words: dict[frozenset[str], tuple[int, ...]] = {}
        """Candidates for each set of trigger words seen (a reply's words share few sets)."""
        pieces: dict[str, set[int]] = {}
        for piece, i in substrings:
            pieces.setdefault(piece, set()).add(i)
        # A piece is looked for where a word of the text starts with its first two letters
        # (a few dict look-ups per reply); pieces that sit inside a word ("désinscrire") or in
        # a script written without spaces are looked for anywhere.
        self.pieces = tuple((p, frozenset(ids)) for p, ids in pieces.items()
                            if p in _INSIDE_WORDS or any(ord(ch) > 0x2FF for ch in p))
        by_head: dict[str, list[tuple[str, frozenset[int]]]] = {}
        for p, ids in pieces.items():
            if p not in _INSIDE_WORDS and all(ord(ch) <= 0x2FF for ch in p):
                by_head.setdefault(p[:2], []).append((p, frozenset(ids)))
        self.by_head = {k: tuple(v) for k, v in by_head.items()}
        # One trie-shaped search tells whether any piece is in the text at all (most replies:
        # none), before the words are looked at.
        self.piece_words = tuple(pieces)
        self.gate = re.compile(_trie(list(pieces))) if pieces else None

    def candidates(self, low: str, words: AbstractSet[str],
                   pieces: bool | None = None) -> Sequence[int]:
        """The patterns worth a search, in order. `pieces`: whether any trigger piece is in
        `low`, when the caller has looked (None: look)."""
        hit = self.keys.intersection(words)
        found = self._by_words.get(hit)
        if found is None:
            chosen = set(self.always)
            for word in hit:
                chosen |= self.index[word]
            found = tuple(sorted(chosen))
            if len(self._by_words) < _MEMO_MAX:
                self._by_words[hit] = found
        if pieces is None:
            pieces = self.gate is not None and self.gate.search(low) is not None
        if pieces and self.gate is not None:
            # Some trigger piece is in the text (rare): where may it start?
            more = set(found)
            by_head = self.by_head
            for head in by_head.keys() & word_heads(words):
                for piece, ids in by_head[head]:
                    if piece in low:
                        more.update(ids)
            for piece, ids in self.pieces:
                if piece in low:
                    more.update(ids)
            return sorted(more)
        return found

    def matches(self, text: str, words: AbstractSet[str], *, first_only: bool,
                guard: Callable[[str, re.Match[str]], bool] | None = None,
                low: str | None = None, pieces: bool | None = None
                ) -> list[tuple[Label, re.Match[str]]]:
        out: list[tuple[Label, re.Match[str]]] = []
        seen: set[Label] = set()
        low = lowered(text) if low is None else low
        for i in self.candidates(low, words, pieces):
            label = self.labels[i]
            if label in seen:
                continue
            where = low if self.on_low[i] else text
            m = self.patterns[i].search(where)
            if m is not None and guard is not None:
                m = _unguarded(self.patterns[i], where, m, guard)
            if m is not None:
                out.append((label, m))
                seen.add(label)
                if first_only:
                    break
        return out


_FOOTER = re.compile(
    r"\bclick|\blink\b|\bat any ?time\b|\bmanage (?:your )?(?:e-?mail |mail )?(?:preferences"
    r"|subscriptions?|settings)|\bpreferences\b|\byou(?:'re| are) receiving\b"
    r"|\byou (?:have )?received this\b|\bthis (?:e-?mail|message|newsletter) was sent\b"
    r"|\bsent to you because\b|\bif you (?:no longer|(?:would|'d) (?:rather|prefer|like)|wish"
    r"|want|prefer)\b"
    r"|\bto(?<!want to)(?<!like to)(?<!wish to)(?<!need to)(?<!have to) (?:unsubscribe"
    r"|opt[- ]out)\b"
    r"(?! (?:me|us)\b)|\bunsubscribe here\b"
    r"|\|\s*(?:unsubscribe|manage|privacy|view)|\breply (?:with )?[\"']?(?:stop|unsubscribe)"
    r"|\b(?:just|simply) reply\b|\bview (?:it |this )?(?:in|online)\b|\bprivacy (?:policy|notice)",
    _F,
)
"""Words of a mailing footer ("to unsubscribe click here", "manage your preferences"): an
opt-out phrase on such a line is boilerplate, not the prospect's request."""


def _line_of(text: str, m: re.Match[str]) -> str:
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n", m.end())
    return text[start:] if end == -1 else text[start:end]


def _in_footer(text: str, m: re.Match[str]) -> bool:
    """An opt-out phrase on a mailing-footer line is boilerplate, not a request."""
    return _FOOTER.search(_line_of(text, m)) is not None


_DEPARTED_OTHER = re.compile(
    r"\b(?:champion|sponsor|(?:our|my) (?:boss|manager|contact|cfo|ceo|cto|cio|coo|vp|director"
    r"|head|buyer|lead|advocate))\b[^.!?\n]{0,60}$"
)


def _not_a_notice(text: str, m: re.Match[str]) -> bool:
    """"Our champion left the company" tells why a deal stalled; it is no departure notice."""
    return (m.group().startswith("left")
            and _DEPARTED_OTHER.search(text, max(0, m.start() - 80), m.start()) is not None)


def _unguarded(pattern: re.Pattern[str], text: str, m: re.Match[str] | None,
               guard: Callable[[str, re.Match[str]], bool]) -> re.Match[str] | None:
    """The first match the guard does not reject, if any."""
    tries = 0
    while m is not None and guard(text, m):
        tries += 1
        m = pattern.search(text, m.end()) if tries < 8 else None
    return m


_DNC = _RuleSet([(t, p, Label.DO_NOT_CONTACT) for t, p in DNC_PATTERNS], _F | re.MULTILINE)
_AUTO = _RuleSet([(t, p, Label.AUTO_REPLY) for t, p in AUTO_REPLY_PATTERNS], _F | re.MULTILINE)
_HARD_PIECES = re.compile(_trie([*_DNC.piece_words, *_AUTO.piece_words]))
"""One search for the trigger pieces of both hard rule sets."""
_NOT_A_NAME = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Monday|Tuesday|Wednesday"
    r"|Thursday|Friday|Saturday|Sunday|Next|Later|Again|Back|After|Before|Early|Late|Mid"
    r"|Spring|Summer|Autumn|Fall|Winter|Christmas|Easter|Q\d|Me|Us|Him|Her|Them|You|In|On|At"
    r"|Someone|Somebody|Anyone|Sales|Support)\b"
)
"""Capitalised words after "try" / "talk to" that are not a person ("try March")."""

_CUES = _RuleSet(
    [(CUE_TRIGGERS[label], "|".join(f"(?:{p})" for p in patterns), label)
     for label, patterns in CUE_PATTERNS.items()]
    # "try Dana", "talk to Tom": the name must be capitalised, so this cue is case-sensitive.
    + [("try contact reach talk speak ask get",
        r"\b(?i:try|contact|reach out to|talk to|speak (?:to|with)|ask for|get in touch with)"
        r"\s+(?!" + _NOT_A_NAME + r")[A-Z][a-z]+\b(?!\s+(?:[A-Z][a-z]+\s+)?(?:wrote|said))",
        Label.WRONG_PERSON)],
    0,
)


def words_of(text: str) -> frozenset[str]:
    """The word set the rules' triggers are checked against."""
    from notnow.understand.features import word_set

    return word_set(text)


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


def hard_hits(text: str, words: AbstractSet[str] | None = None,
              low: str | None = None) -> list[RuleHit]:
    """Opt-out and auto-reply phrases in `text` (the first found for each). `words` and `low`
    (`words_of(text)`, `lowered(text)`) may be given when the caller has them."""
    words = words_of(text) if words is None else words
    low = lowered(text) if low is None else low
    pieces = _HARD_PIECES.search(low) is not None
    found = (_DNC.matches(text, words, first_only=True, guard=_in_footer, low=low, pieces=pieces)
             + _AUTO.matches(text, words, first_only=True, guard=_not_a_notice, low=low,
                             pieces=pieces))
    return [RuleHit(label, m.start(), m.end(), True) for label, m in found]


def cue_hits(text: str, words: AbstractSet[str] | None = None,
             low: str | None = None) -> list[RuleHit]:
    """Precise cue phrases for the other labels (the first found for each)."""
    words = words_of(text) if words is None else words
    return [RuleHit(label, m.start(), m.end(), False)
            for label, m in _CUES.matches(text, words, first_only=False, low=low)]


def opt_out_hits(text: str) -> list[RuleHit]:
    """Opt-out phrases only (the first found): for the sender's signature and postscript,
    which are not classified but may still hold "P.S. please take me off your list"."""
    return [RuleHit(label, m.start(), m.end(), True)
            for label, m in _DNC.matches(text, words_of(text), first_only=True, guard=_in_footer)]
