"""Which language a reply is written in: ISO 639-1, from its function words and letters.

`detect(text)` returns a `Detected` (the code, or None when it cannot tell, and how sure it is).
The languages notnow reads (`SUPPORTED`) are told apart by their most frequent short words —
articles, pronouns, prepositions, auxiliaries, negations, greetings — that carry no topic and
occur in any reply, plus the letters only some of them use ("ß", "ñ", "ã", "å", "ø", "ij").
Norwegian and Danish share most words; the ones they do not share ("ikke" both, but "meg/mig",
"tilbake/tilbage", "uke/uge", "hva/hvad", "takk/tak") decide between them.

A few other languages are named so that a reply in them is recognised as *not* one of ours
(Polish, Czech, Finnish, Turkish, Romanian, Hungarian, Estonian, and the scripts of Chinese,
Japanese, Korean, Russian, Greek, Arabic, Hebrew, Thai, Hindi). A text with too few clues is
English when it is plain ASCII (the product's default and most short replies: "Nope."), and
undetermined (None) otherwise.

Pure Python, one regex pass and a dict lookup per word: a few microseconds per reply.
"""

from __future__ import annotations

import re
from typing import NamedTuple

SUPPORTED: tuple[str, ...] = ("en", "de", "fr", "es", "it", "nl", "pt", "sv", "no", "da")
"""The languages notnow understands (the rules, time hints and model cover each)."""

_WORDS: dict[str, str] = {
    "en": "the a an and or but to of in on at for with from by is are was were be been am i "
          "you we they he she it my our your their me us this that these those not no don't "
          "can't won't we're i'm it's do does did have has had will would should could "
          "thanks thank please hi hello dear regards any some about just now yet what when "
          "who how there here out back until next week month year call email",
    "de": "der die das den dem des ein eine einen einem einer und oder aber nicht kein keine "
          "keinen ich wir sie ihr ihnen ihre ihren mich mir uns unser unsere unseren ist sind "
          "war waren bin hat haben habe wird werden würde kann können möchte möchten bitte "
          "danke vielen dank sehr geehrte geehrter hallo grüße mit für auf bei von zu zum zur "
          "im ins am vom bis nach über auch noch schon jetzt derzeit leider gerne wieder "
          "zurück interesse kein keine ab dass wenn weil wie was",
    "fr": "le la les un une des du de et ou mais ne pas plus je nous vous ils elle il mon "
          "ma mes notre nos votre vos leur est sont suis sommes êtes ai avons avez été sera "
          "serai merci bonjour cordialement madame monsieur avec pour sur dans par au aux "
          "ce cette ces qui que quoi jusqu'au jusqu'à retour absent déjà aussi très bien "
          "n'est c'est j'ai je suis moi me te non oui",
    "es": "el la los las un una unos unas y o pero no sí yo nosotros usted ustedes ellos "
          "mi mis nuestro nuestra su sus es son está están estoy estamos estaré he hemos ha "
          "gracias hola saludos cordiales estimado estimada con para por en del al que qué "
          "cuando hasta desde ya muy también ahora nos me le lo tenemos tengo ningún ninguna "
          "oficina vuelta esto eso este esta otro otra les se lo le porque pues ahora todavía",
    "it": "il lo la i gli le un una uno e o ma non sì io noi voi lei loro mio mia nostro "
          "nostra vostro suo è sono siamo sarò sarà ho abbiamo ha grazie ciao buongiorno "
          "saluti cordiali gentile con per su in del della dei al alla che quando fino dal "
          "dalla già anche molto adesso ora mi ci ti grazie più nostri sto sta stiamo scusi "
          "perché questo questa no",
    "nl": "de het een en of maar niet geen ik wij we u jullie zij hij mijn ons onze uw hun "
          "is zijn ben was waren heb hebben heeft wordt worden zal zou kan kunnen wil willen "
          "bedankt dank hallo groeten vriendelijke met voor op in van naar bij tot vanaf "
          "uit ook nog al nu graag wel weer terug even dit deze die dat wat nee ja je jij jou dank",
    "pt": "o a os as um uma uns umas e ou mas não sim eu nós você vocês eles elas meu minha "
          "nosso nossa seu sua é são está estão estou estamos estarei tenho temos tem "
          "obrigado obrigada olá cumprimentos atenciosamente com para por em do da dos das "
          "no na nos nas ao que quando até desde já muito também agora me lhe isso essa "
          "esse este esta escritório",
    "sv": "en ett och eller men inte ingen inget jag vi ni du han hon de dem mig dig oss "
          "min mitt mina vår vårt våra er ert är var har hade blir kommer ska skulle kan "
          "vill tack hej hälsningar med för på i av till från om hos efter till tills "
          "också redan nu just mycket det den detta denna som att vad när igen tillbaka "
          "vecka",
    "no": "en et ei og eller men ikke ingen jeg vi dere du han hun de dem meg deg oss min "
          "mitt mine vår vårt våre er var har hadde blir kommer skal skulle kan vil takk hei "
          "hilsen med for på i av til fra om hos etter også allerede nå bare veldig det den "
          "dette denne som at hva når igjen tilbake uke noe ikkje",
    "da": "en et og eller men ikke ingen jeg vi i du han hun de dem mig dig os min mit mine "
          "vores jeres er var har havde bliver kommer skal skulle kan vil tak hej hilsen "
          "venlig med for på af til fra om hos efter også allerede nu bare meget det den "
          "dette denne som at hvad når igen tilbage uge noget",
    # Named only to be recognised as another language.
    "pl": "nie jest się na i w z że to do jak ale czy jestem mam dziękuję dzień dobry pan "
          "pani proszę tak już bardzo być",
    "cs": "je se na a v z že to do jak ale jsem mám děkuji dobrý den pane paní prosím ano "
          "už velmi být není nejsem",
    "fi": "ja on ei se että en ole olen kiitos hyvä päivää minä me te he tämä mutta kun "
          "jos vain myös nyt olemme",
    "tr": "ve bir bu da de ile için değil ben biz siz teşekkür ederim merhaba lütfen çok "
          "ama evet hayır şu var yok",
    "ro": "și este în la cu pe nu să un o sunt mulțumesc bună ziua vă mă suntem dar că",
    "hu": "és a az egy nem hogy van vagyok köszönöm jó napot kérem de is már most mi ön",
    "et": "ja on ei see et ma me te nad aga kui ka tänan tere palun olen oleme",
}

# Words several languages share count for each; these weigh more because only one has them.
_STRONG: dict[str, str] = {
    "en": "the and you we're i'm don't thanks please would should",
    "de": "nicht ich wir ist und bitte danke keine kein möchte gerne leider zurück der das "
          "dass mich uns ihnen",
    "fr": "je nous vous est les pas merci suis ne bonjour cordialement c'est n'est j'ai",
    "es": "el los las usted gracias estoy estaré hola hasta desde nosotros está esto otro "
          "ustedes",
    "it": "il gli sono grazie non è della sarò fino buongiorno ciao",
    "nl": "het niet ik wij bedankt graag geen zijn heb ben naar onze jullie nee dank",
    "pt": "não você obrigado obrigada estou estarei até olá também nós",
    "sv": "jag inte är och mig dig tack hälsningar vecka tillbaka ingen vill",
    "no": "meg deg ikke takk hei hilsen tilbake uke hva noe nå ikkje dere",
    "da": "mig dig ikke tak hej hilsen tilbage uge hvad noget nu af jeres",
}

_LETTERS: tuple[tuple[str, str, float], ...] = (
    ("de", "ß", 2.0), ("de", "ü", 0.8), ("de", "ö", 0.3), ("de", "ä", 0.3),
    ("es", "ñ¿¡", 2.0), ("es", "ó", 0.3), ("es", "í", 0.3), ("es", "á", 0.3),
    ("pt", "ãõ", 2.0), ("pt", "ç", 0.5), ("pt", "ê", 0.3),
    ("fr", "èêëçœ", 0.5), ("fr", "ù", 1.0), ("fr", "é", 0.2),
    ("it", "ìò", 0.8), ("it", "àù", 0.3),
    ("sv", "åäö", 0.6), ("no", "øæå", 0.5), ("da", "øæå", 0.5),
    ("pl", "ąęłńśźż", 2.0), ("cs", "ěřůčš", 2.0), ("tr", "ğış", 2.0), ("ro", "șță", 2.0),
    ("hu", "őű", 2.0),
)

_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
)
_SPECIAL = re.compile("[" + "".join(sorted({ch for _l, chars, _w in _LETTERS for ch in chars}))
                      + "]")
"""Any of the letters in `_LETTERS` (a plain-ASCII text has none: most English replies)."""
_LETTER_WEIGHTS: dict[str, list[tuple[str, float]]] = {}
for _lang, _chars, _weight in _LETTERS:
    for _ch in _chars:
        _LETTER_WEIGHTS.setdefault(_ch, []).append((_lang, _weight))
_HAS_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN = re.compile(r"[^\x00-\u024f\u2000-\u206f\u20a0-\u20cf\s]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

_TABLE: dict[str, list[tuple[str, float]]] = {}
for _lang, _words in _WORDS.items():
    for _w in _words.split():
        _TABLE.setdefault(_w, []).append((_lang, 1.0))
for _lang, _words in _STRONG.items():
    for _w in _words.split():
        _TABLE.setdefault(_w, []).append((_lang, 1.5))

SCAN_CHARS = 3000
"""Only the start of a long text is read (a language does not change half-way, and when it
does, the start is what the sender wrote)."""


class Detected(NamedTuple):
    """`code`: ISO 639-1, or None (undetermined); `confidence`: 0..1, how clearly the clues
    point at it; `supported`: whether notnow reads that language."""

    code: str | None
    confidence: float

    @property
    def supported(self) -> bool:
        return self.code in SUPPORTED


def detect(text: str) -> Detected:
    """The language of `text` (see the module docstring)."""
    sample = text[:SCAN_CHARS]
    if _HAS_LETTER.search(sample) is None:
        return Detected(None, 0.0)
    ascii_only = sample.isascii()
    if not ascii_only and _NON_LATIN.search(sample):
        letters = sum(1 for ch in sample if ch.isalpha())
        counts = [(len(p.findall(sample)), code) for code, p in _SCRIPTS]
        best_count, best_code = max(counts)
        if best_count and best_count >= 0.2 * letters:
            if best_code == "zh" and counts[0][0]:  # kana beside the ideographs: Japanese
                best_code = "ja"
            return Detected(best_code, 0.9)
    low = sample.lower().replace("’", "'")
    scores: dict[str, float] = {}
    hits = 0
    words = _WORD.findall(low)
    for word in words:
        found = _TABLE.get(word)
        if found is None:
            continue
        hits += 1
        for lang, weight in found:
            scores[lang] = scores.get(lang, 0.0) + weight
    if not ascii_only:
        seen: dict[str, int] = {}
        for ch in _SPECIAL.findall(low):
            seen[ch] = seen.get(ch, 0) + 1
        letter_scores: dict[str, float] = {}
        for ch, n in seen.items():
            for lang, weight in _LETTER_WEIGHTS[ch]:
                letter_scores[lang] = letter_scores.get(lang, 0.0) + weight * n
        for lang, value in letter_scores.items():
            # capped per language, as a few accented words should not outweigh the words
            cap = 4 * max(w for _l, chars, w in _LETTERS if _l == lang)
            scores[lang] = scores.get(lang, 0.0) + min(value, cap)
    if "ij" in low:
        scores["nl"] = scores.get("nl", 0.0) + 0.5 * min(low.count("ij"), 4)
    if not scores:
        return Detected("en", 0.3) if ascii_only else Detected(None, 0.0)
    if scores.get("es", 0.0) > 1.0 and "no" in words and "não" not in words:
        # Spanish says "no" where Portuguese says "não" ("no me vuelvan a escribir").
        scores["es"] += 1.5
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if top < 1.5:
        # One weak clue: plain ASCII is most likely English ("Nope, not for us").
        if ascii_only and best not in SUPPORTED:
            return Detected("en", 0.3)
        return Detected(best if best in SUPPORTED or top >= 1.0 else None, 0.3)
    margin = (top - second) / top
    confidence = min(0.99, 0.5 + 0.5 * margin + 0.02 * min(hits, 10))
    return Detected(best, round(confidence, 2))
