"""The sender's own words: quoted history, forwarded copies and signatures stripped.

Written for notnow after measuring the well-kept libraries on our own fixtures
(`tests/mail/reply_cases.py`, 32 replies in 11 languages; `bench/bench_mail.py --strip`):

    library                          exact   µs/reply  dependencies, upkeep
    notnow.mail.reply (this)         32/32        ~15  none
    mail-parser-reply 1.36           21/32       ~390  none; en de fr es it nl sv da (no no/pt)
    talon 1.4.4 + brute-force sig    15/32       ~620  lxml, regex, numpy, scipy, scikit-learn,
                                                       cchardet (does not build on 3.11); 2017
    email-reply-parser 0.5.12        13/32        ~48  none; English only; 2020
    quotequail 0.5.4                  1/32       ~600  none; keeps header lines and signatures

None lost the prospect's words; they kept quoted headers in other languages, sign-offs,
mobile footers and disclaimers, which the reader would then take for the prospect's words.

Every pattern here works on one line at a time, bounded in length (no nested quantifiers), so a
hostile body costs time linear in its size.
"""

from __future__ import annotations

import re

MAX_LINES = 5_000
"""Only this many lines are looked at (a reply's own words come first)."""

_WROTE = re.compile(
    r"^\W{0,3}(?:on|am|le|el|il(?:\s+giorno)?|op|den|em|på|d\.|dne|w\s+dniu|el\s+día)\b"
    r".{0,300}?\b(?:wrote|writes|schrieb|a\s+écrit|escribió|escribio|ha\s+scritto|schreef"
    r"|skrev|escreveu|kirjoitti|napisał|napsal|написал)\b(?:[^:\n]{0,200}:)?\s*$",
    re.IGNORECASE)
_WROTE_START = re.compile(
    r"^\W{0,3}(?:on|am|le|el|il|op|den|em|på|w\s+dniu)\s", re.IGNORECASE)
_SEPARATOR = re.compile(
    r"^\s*(?:[-=_*]{2,}\s*(?:original\s+message|forwarded\s+message|ursprüngliche\s+nachricht"
    r"|weitergeleitete\s+nachricht|message\s+d'origine|message\s+transféré|mensaje\s+original"
    r"|mensaje\s+reenviado|oorspronkelijk\s+bericht|doorgestuurd\s+bericht"
    r"|ursprungligt\s+meddelande|vidarebefordrat\s+meddelande|oprindelig\s+meddelelse"
    r"|videresendt\s+(?:meddelelse|melding)|opprinnelig\s+melding|messaggio\s+originale"
    r"|messaggio\s+inoltrato|mensagem\s+original|mensagem\s+encaminhada|alkuperäinen\s+viesti)"
    r"\s*[-=_*]*\s*$"
    r"|begin\s+forwarded\s+message\s*:\s*$|anfang\s+der\s+weitergeleiteten\s+nachricht\s*:\s*$"
    r"|début\s+du\s+message\s+réexpédié\s*:\s*$|_{10,}\s*$|-{20,}\s*$)",
    re.IGNORECASE)
_FIELD = (r"from|von|de|van|från|fra|da|od|sent|gesendet|envoyé|enviado|verzonden|skickat|sendt"
          r"|inviato|enviada|date|datum|fecha|data|dato|to|an|à|a|para|aan|till|til|cc|subject"
          r"|betreff|objet|asunto|onderwerp|ämne|emne|oggetto|assunto|aihe|temat")
_HEADER_FIELD = re.compile(rf"^\s*\**(?:{_FIELD})\s*\**\s*:\s*", re.IGNORECASE)
_FROM_FIELD = re.compile(r"^\s*\**(?:from|von|de|van|från|fra|da|od|lähettäjä)\s*\**\s*:\s*\S",
                         re.IGNORECASE)
_MOBILE = re.compile(
    r"^\s*(?:sent\s+from\s+my\s|sent\s+from\s+(?:outlook|mail|yahoo)|get\s+outlook\s+for\s"
    r"|von\s+meinem\s.{0,40}gesendet|gesendet\s+von\s+(?:meinem|iphone|outlook)"
    r"|envoyé\s+(?:de|depuis)\s+(?:mon|l'application)\s|enviado\s+desde\s+mi\s"
    r"|enviado\s+do\s+meu\s|verzonden\s+(?:vanaf|met)\s|skickat\s+från\s|sendt\s+fra\s+min\s"
    r"|inviato\s+da\s|lähetetty\s+)", re.IGNORECASE)
_SIGNATURE = re.compile(r"^(?:--\s*|—\s*|__\s*|-\s*-\s*)$")
_SIGN_OFF = re.compile(
    r"^\s*(?:(?:best|kind|warm|warmest|many|with\s+(?:best|kind))?\s*(?:regards|wishes|thanks)"
    r"|best|cheers|thanks|thank\s+you|thx|tia|sincerely|yours(?:\s+(?:sincerely|truly))?"
    r"|all\s+the\s+best|br|rgds|talk\s+soon|take\s+care"
    r"|mit\s+freundlichen\s+grüßen|mit\s+freundlichen\s+grüssen|mfg|viele\s+grüße|beste\s+grüße"
    r"|liebe\s+grüße|gruß|grüße|lg|vg"
    r"|cordialement|bien\s+(?:cordialement|à\s+vous)|bien\s+à\s+toi|salutations(?:\s+distinguées)?"
    r"|merci(?:\s+d'avance)?"
    r"|saludos(?:\s+cordiales)?|un\s+saludo(?:\s+cordial)?|atentamente|gracias"
    r"|met\s+vriendelijke\s+groet(?:en)?|vriendelijke\s+groet(?:en)?|groet(?:en|jes)?|mvg"
    r"|med\s+vänliga\s+hälsningar|vänliga\s+hälsningar|hälsningar|mvh|med\s+venlig\s+hilsen"
    r"|venlig\s+hilsen|med\s+vennlig\s+hilsen|vennlig\s+hilsen|hilsen|mvh"
    r"|cordiali\s+saluti|distinti\s+saluti|saluti|grazie"
    r"|atenciosamente|cumprimentos|abraços?|obrigad[oa])"
    r"\s*[,.!]?\s*$",
    re.IGNORECASE)
_DISCLAIMER = re.compile(
    r"^\s*\**(?:confidentiality\s+(?:notice|note|statement)|disclaimer\b|legal\s+notice"
    r"|privileged\s*(?:&|and)\s*confidential"
    r"|this\s+(?:e-?mail|message|communication|transmission)\b.{0,100}?"
    r"\b(?:confidential|intended\s+(?:solely|only|for)|privileged)"
    r"|the\s+information\s+(?:contained\s+)?in\s+this\s+(?:e-?mail|message|communication)"
    r"|if\s+you\s+(?:have\s+received|are\s+not\s+the\s+intended)"
    r"|diese\s+e-?mail\s+(?:enthält|kann|ist)|ce\s+(?:message|courriel)\s+(?:et\s+toutes"
    r"|est\s+confidentiel)|este\s+(?:mensaje|correo)\s+(?:es\s+confidencial|y\s+sus)"
    r"|dit\s+bericht\s+(?:is|kan)\s+vertrouwelijk)",
    re.IGNORECASE)


def own_words(text: str) -> str:
    """The newest message's own words in a reply body (plain text, any line ends)."""
    if not text:
        return ""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:MAX_LINES]
    cut = _history_start(lines)
    head = lines[:cut]
    if cut < len(lines) and not any(line.strip() for line in head):
        # nothing above the marker: a forward, whose body holds the words
        rest = lines[_skip_header_block(lines, cut):]
        head = rest[:_history_start(rest)]
    kept = _strip_signature([line for line in head if not line.lstrip().startswith(">")])
    return _tidy(kept)


def _history_start(lines: list[str]) -> int:
    """Index of the first line of quoted or forwarded history (len(lines) when none)."""
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or len(stripped) > 400:
            continue
        if _SEPARATOR.match(stripped) or _WROTE.match(stripped):
            return i
        if i + 1 < len(lines) and _WROTE_START.match(stripped):
            joined = stripped + " " + lines[i + 1].strip()
            if len(joined) <= 400 and _WROTE.match(joined):
                return i
        if _FROM_FIELD.match(stripped):
            following = lines[i + 1:i + 6]
            if sum(1 for f in following if _HEADER_FIELD.match(f)) >= 2:
                return i
    return len(lines)


def _skip_header_block(lines: list[str], start: int) -> int:
    i = start + 1
    while i < len(lines) and (not lines[i].strip() or _HEADER_FIELD.match(lines[i])):
        i += 1
    return i


def _strip_signature(lines: list[str]) -> list[str]:
    out: list[str] = []
    seen_content = False
    for line in lines:
        stripped = line.strip()
        if _MOBILE.match(stripped) or _SIGNATURE.match(line.rstrip("\n")) and stripped:
            break
        if seen_content and (_SIGN_OFF.match(stripped) or _DISCLAIMER.match(stripped)):
            break
        if stripped:
            seen_content = True
        out.append(line)
    return out if any(line.strip() for line in out) else lines


def _tidy(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        line = line.rstrip()
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
