"""Time hints in German, French, Spanish, Italian, Dutch, Portuguese, Swedish, Norwegian and
Danish: the same readings as :mod:`notnow.core.timehints` gives English ones.

    >>> from datetime import date
    >>> hint = extract_time_hint_intl("Ich bin bis einschließlich 14. Mai nicht im Büro.",
    ...                               today=date(2026, 11, 22), language="de")
    >>> hint.checkback, hint.granularity, hint.kind
    (datetime.date(2027, 5, 18), 'day', 'return')

(14 May 2027 is a Friday, so "up to and including the 14th" is back the next business day:
Monday the 17th is Whit Monday in Germany, so the 18th.)

What is read, per language, from one table of words (`LEXICON`):

* dates — "am 3. März", "le 1er mars", "el 2 de junio", "il 1° settembre", "20.04.",
  "28/09" (day first), a bare "den 5." where someone says they are back;
* absences — "vom 3. bis 14. Mai", "du 3 au 14 août", "entre el 28/09 y el 23/10", "de 16 a
  30 de agosto", "fra 15. til 22. mars": back the business day after the last day;
* "until" and "back on" — "bis 20.04.", "jusqu'au 9 octobre", "hasta el 2 de junio",
  "ritornerò il 18 agosto": that day; "bis einschließlich", "jusqu'au … inclus", "tot en met",
  "till och med", "til og med": the day after;
* months and parts of them — "a febbraio", "Anfang März", "mi-mars", "a mediados de marzo",
  "tot eind juli" (back on the first business day after July), "till mars";
* calendar weeks — "KW 12", "semaine 12", "semana 12", "vecka 12", "uke 12", "uge 12";
* spans and periods — "in drei Monaten", "dans six mois", "dentro de 2 semanas", "nächste
  Woche", "la semana que viene", "el año que viene", "nästa kvartal", "nicht dieses Jahr";
* quarters, fiscal years ("im neuen Geschäftsjahr", "au prochain exercice"), seasons ("nach
  dem Sommer", "après l'été": September), holidays (after Christmas or New Year: the first
  business day of January; after Easter), weekdays, tomorrow.

The check-back is a business day of the account's country (the language's main country when
none is given), never in the past. Vague phrases ("más adelante", "plus tard") give no hint:
the caller falls back to the English reader, then to the playbook's default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from dateutil.easter import easter

from notnow.core import businessdays
from notnow.core import timehints_calendar as cal
from notnow.core.timehints import TimeHint

__all__ = ["LANGUAGES", "extract_time_hint_intl"]

COUNTRY_OF = {"de": "DE", "fr": "FR", "es": "ES", "it": "IT", "nl": "NL", "pt": "PT",
              "sv": "SE", "no": "NO", "da": "DK"}
LANGUAGES = frozenset(COUNTRY_OF)


@dataclass(frozen=True)
class Lexicon:
    months: dict[str, int]
    short_months: dict[str, int]
    weekdays: dict[str, int]
    units: dict[str, str]
    numbers: dict[str, float]
    next_: str
    in_: str
    until: str
    inclusive_before: str
    inclusive_after: str
    back: str
    range_from: str
    range_to: str
    mid: str
    start: str
    end: str
    after: str
    seasons: dict[str, str]
    summer_break: str
    christmas: str
    new_year: str
    easter_: str
    fiscal: str
    not_this_year: str
    tomorrow: str
    half_year: str
    year_end: str
    week_no: str


def _words(spec: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for n, group in enumerate(spec.split("|"), start=1):
        for word in group.split():
            out[word] = n
    return out


def _named(spec: str) -> dict[str, str]:
    return {w: name for part in spec.split("|") for name, _, ws in [part.partition(":")]
            for w in ws.split()}


def _nums(spec: str) -> dict[str, float]:
    return {w: float(n) for part in spec.split("|") for n, _, ws in [part.partition(":")]
            for w in ws.split()}


_WEEKDAY_SETS = {
    "de": "montag|dienstag|mittwoch|donnerstag|freitag|samstag sonnabend|sonntag",
    "fr": "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche",
    "es": "lunes|martes|miércoles miercoles|jueves|viernes|sábado sabado|domingo",
    "it": "lunedì lunedi|martedì martedi|mercoledì mercoledi|giovedì giovedi|venerdì venerdi"
          "|sabato|domenica",
    "nl": "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag",
    "pt": "segunda segunda-feira|terça terça-feira terca|quarta quarta-feira|quinta "
          "quinta-feira|sexta sexta-feira|sábado sabado|domingo",
    "sv": "måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag",
    "no": "mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag",
    "da": "mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag",
}

LEXICON: dict[str, Lexicon] = {
    "de": Lexicon(
        months=_words("januar jänner|februar|märz maerz|april|mai|juni|juli|august|september"
                      "|oktober|november|dezember"),
        short_months=_words("jan|feb|mär mrz|apr||jun|jul|aug|sep sept|okt|nov|dez"),
        weekdays={}, units=_named("day:tag tage tagen|week:woche wochen|month:monat monate "
                                   "monaten|quarter:quartal quartale quartalen|year:jahr jahre "
                                   "jahren"),
        numbers=_nums("1:ein eine einem einen einer|2:zwei|3:drei paar|4:vier|5:fünf|6:sechs"
                      "|7:sieben|8:acht|9:neun|10:zehn|12:zwölf"),
        next_=r"nächste[nmrs]?|kommende[nmrs]?|folgende[nmrs]?",
        in_=r"in|nach|binnen",
        until=r"bis(?:\s+(?:zum|zur|am|ende|anfang|mitte))?|erst\s+(?:am|ab|wieder)",
        inclusive_before=r"bis\s+(?:einschließlich|einschl\.?|inklusive|inkl\.?)(?:\s+(?:zum"
                         r"|den|dem))?",
        inclusive_after=r"einschließlich|inklusive|inkl\.",
        back=r"zurück|wieder|ab|rückkehr",
        range_from=r"vom|von|zwischen\s+dem|zwischen",
        range_to=r"bis(?:\s+(?:zum|einschließlich|inkl\.?))?|und|-|–",
        mid=r"mitte", start=r"anfang|beginn", end=r"ende",
        after=r"nach", seasons=_named("spring:frühjahr frühling|summer:sommer|fall:herbst"
                                       "|winter:winter"),
        summer_break=r"sommerferien|sommerpause|urlaubszeit",
        christmas=r"weihnachten|den\s+feiertagen|weihnachtsfeiertagen|den\s+festtagen",
        new_year=r"neujahr|dem\s+jahreswechsel|jahreswechsel",
        easter_=r"ostern", fiscal=r"(?:neue[nmrs]?|nächste[nmrs]?)\s+geschäftsjahr",
        not_this_year=r"nicht\s+(?:mehr\s+)?(?:in\s+)?diese[mns]?\s+jahr|dieses\s+jahr\s+nicht",
        tomorrow=r"(?<!guten\s)morgen(?!\s+früh\s+um)", half_year=r"ein(?:em)?\s+halben?\s+jahr",
        year_end=r"jahresende|ende\s+des\s+jahres|zum\s+jahresende",
        week_no=r"kw|kalenderwoche|woche"),
    "fr": Lexicon(
        months=_words("janvier|février fevrier|mars|avril|mai|juin|juillet|août aout|septembre"
                      "|octobre|novembre|décembre decembre"),
        short_months=_words("janv|févr fevr|||||juil||sept|oct|nov|déc dec"),
        weekdays={}, units=_named("day:jour jours|week:semaine semaines|month:mois"
                                   "|quarter:trimestre trimestres|year:an ans année années"),
        numbers=_nums("1:un une|2:deux|3:trois quelques|4:quatre|5:cinq|6:six|7:sept|8:huit"
                      "|9:neuf|10:dix|12:douze"),
        next_=r"prochaine?|suivante?|à\s+venir",
        in_=r"dans|d'ici",
        until=r"jusqu'(?:au|à|en|a)|jusqu’(?:au|à|en)|d'ici\s+(?:le|au)",
        inclusive_before=r"jusqu'au\s+(?:\w+\s+)?inclus",
        inclusive_after=r"inclus(?:ivement)?|compris",
        back=r"retour|reviens|reviendrai|rentre|rentrerai|à\s+partir\s+du|dès\s+le",
        range_from=r"du|entre\s+le|entre",
        range_to=r"au|et\s+le|et|-|–",
        mid=r"mi-?|milieu\s+(?:de|d')", start=r"début|debut|courant", end=r"fin",
        after=r"après|apres",
        seasons=_named("spring:printemps|summer:été ete|fall:automne|winter:hiver"),
        summer_break=r"(?:les\s+)?vacances(?:\s+d'été)?|la\s+rentrée|rentrée",
        christmas=r"noël|noel|les\s+fêtes|les\s+fetes", new_year=r"le\s+nouvel\s+an|nouvel\s+an",
        easter_=r"pâques|paques",
        fiscal=r"(?:prochain|nouvel)\s+exercice|exercice\s+(?:prochain|suivant)",
        not_this_year=r"pas\s+(?:pour\s+)?cette\s+année", tomorrow=r"demain",
        half_year=r"six\s+mois", year_end=r"(?:la\s+)?fin\s+(?:de\s+l'|d')année",
        week_no=r"semaine|sem\."),
    "es": Lexicon(
        months=_words("enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre setiembre"
                      "|octubre|noviembre|diciembre"),
        short_months=_words("ene|feb|mar|abr||jun|jul|ago|sep sept set|oct|nov|dic"),
        weekdays={}, units=_named("day:día días dia dias|week:semana semanas|month:mes meses"
                                   "|quarter:trimestre trimestres|year:año años"),
        numbers=_nums("1:un una uno|2:dos|3:tres unas unos|4:cuatro|5:cinco|6:seis|7:siete"
                      "|8:ocho|9:nueve|10:diez|12:doce"),
        next_=r"próxim[oa]|proxim[oa]|que\s+viene|siguiente|entrante",
        in_=r"en|dentro\s+de|de\s+aquí\s+a",
        until=r"hasta(?:\s+el)?|a\s+partir\s+del",
        inclusive_before=r"hasta\s+el\s+(?:\w+\s+)?incluido",
        inclusive_after=r"incluido|inclusive",
        back=r"vuelta|volveré|volvere|vuelvo|regreso|regresaré|reincorpor\w*|retorno",
        range_from=r"del|desde\s+el|desde|entre\s+el|entre|de",
        range_to=r"al|hasta\s+el|hasta|y\s+el|y|a|-|–",
        mid=r"mediados\s+de", start=r"principios\s+de|comienzos\s+de|inicios\s+de|primeros\s+de",
        end=r"finales\s+de|fin(?:al)?\s+de",
        after=r"después\s+de(?:l)?|despues\s+de(?:l)?|tras(?:\s+el)?",
        seasons=_named("spring:primavera|summer:verano|fall:otoño otono|winter:invierno"),
        summer_break=r"vacaciones(?:\s+de\s+verano)?",
        christmas=r"navidad(?:es)?|las\s+fiestas", new_year=r"año\s+nuevo",
        easter_=r"semana\s+santa|pascua",
        fiscal=r"(?:próximo|proximo|nuevo)\s+(?:ejercicio|año\s+fiscal)",
        not_this_year=r"(?:este\s+año\s+no|no\s+(?:será\s+)?este\s+año)",
        tomorrow=r"(?<!la\s)(?<!esta\s)mañana", half_year=r"medio\s+año|seis\s+meses",
        year_end=r"(?:el\s+)?final\s+de(?:l)?\s+año|fin\s+de\s+año",
        week_no=r"semana"),
    "it": Lexicon(
        months=_words("gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre"
                      "|ottobre|novembre|dicembre"),
        short_months=_words("gen|feb|mar|apr|mag|giu|lug|ago|set sett|ott|nov|dic"),
        weekdays={}, units=_named("day:giorno giorni|week:settimana settimane|month:mese mesi"
                                   "|quarter:trimestre trimestri|year:anno anni"),
        numbers=_nums("1:un uno una|2:due|3:tre qualche|4:quattro|5:cinque|6:sei|7:sette"
                      "|8:otto|9:nove|10:dieci|12:dodici"),
        next_=r"prossim[oa]|successiv[oa]|che\s+viene",
        in_=r"tra|fra|entro",
        until=r"fino\s+(?:al|a|all')|sino\s+al",
        inclusive_before=r"fino\s+al\s+(?:\w+\s+)?compreso",
        inclusive_after=r"compreso|incluso",
        back=r"rientro|rientrerò|tornerò|ritornerò|ritorno|di\s+nuovo|a\s+partire\s+dal|dal",
        range_from=r"dal|da|tra\s+il|fra\s+il",
        range_to=r"al|a|e\s+il|-|–",
        mid=r"metà|meta", start=r"inizio|inizi\s+di|primi\s+di", end=r"fine",
        after=r"dopo",
        seasons=_named("spring:primavera|summer:estate|fall:autunno|winter:inverno"),
        summer_break=r"(?:le\s+)?ferie(?:\s+estive)?|pausa\s+estiva",
        christmas=r"natale|le\s+feste", new_year=r"capodanno|anno\s+nuovo",
        easter_=r"pasqua", fiscal=r"prossimo\s+esercizio|nuovo\s+esercizio",
        not_this_year=r"non\s+(?:per\s+)?quest'anno", tomorrow=r"domani",
        half_year=r"sei\s+mesi", year_end=r"fine\s+anno|fine\s+dell'anno", week_no=r"settimana"),
    "nl": Lexicon(
        months=_words("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober"
                      "|november|december"),
        short_months=_words("jan|feb|mrt|apr||jun|jul|aug|sep sept|okt|nov|dec"),
        weekdays={}, units=_named("day:dag dagen|week:week weken|month:maand maanden"
                                   "|quarter:kwartaal kwartalen|year:jaar jaren"),
        numbers=_nums("1:een één|2:twee|3:drie paar|4:vier|5:vijf|6:zes|7:zeven|8:acht"
                      "|9:negen|10:tien|12:twaalf"),
        next_=r"volgende?|komende?",
        in_=r"over|binnen",
        until=r"tot(?:\s+(?:en\s+met|eind|begin|half))?|t/m",
        inclusive_before=r"tot\s+en\s+met|t/m", inclusive_after=r"(?!x)x",
        back=r"terug|weer|vanaf",
        range_from=r"van|tussen", range_to=r"tot\s+en\s+met|t/m|tot|en|-|–",
        mid=r"half|midden", start=r"begin", end=r"eind|einde",
        after=r"na", seasons=_named("spring:voorjaar lente|summer:zomer|fall:najaar herfst"
                                     "|winter:winter"),
        summer_break=r"(?:de\s+)?zomervakantie|(?:de\s+)?vakantie",
        christmas=r"kerst(?:mis)?|de\s+feestdagen", new_year=r"nieuwjaar|de\s+jaarwisseling",
        easter_=r"pasen", fiscal=r"(?:nieuwe|volgend)\s+boekjaar",
        not_this_year=r"niet\s+(?:meer\s+)?dit\s+jaar", tomorrow=r"morgen",
        half_year=r"(?:een\s+)?half\s+jaar", year_end=r"(?:het\s+)?einde?\s+van\s+het\s+jaar",
        week_no=r"week|wk"),
    "pt": Lexicon(
        months=_words("janeiro|fevereiro|março marco|abril|maio|junho|julho|agosto|setembro"
                      "|outubro|novembro|dezembro"),
        short_months=_words("jan|fev|mar|abr|mai|jun|jul|ago|set|out|nov|dez"),
        weekdays={}, units=_named("day:dia dias|week:semana semanas|month:mês meses mes"
                                   "|quarter:trimestre trimestres|year:ano anos"),
        numbers=_nums("1:um uma|2:dois duas|3:três tres algumas alguns|4:quatro|5:cinco"
                      "|6:seis|7:sete|8:oito|9:nove|10:dez|12:doze"),
        next_=r"próxim[oa]|proxim[oa]|que\s+vem|seguinte",
        in_=r"em|daqui\s+a|dentro\s+de",
        until=r"até(?:\s+(?:ao|à|a|o|dia))?|ate",
        inclusive_before=r"até\s+(?:ao\s+)?(?:dia\s+)?\d+\s+inclusive",
        inclusive_after=r"inclusive",
        back=r"regresso|volto|voltarei|retorno|regressarei|de\s+volta|a\s+partir\s+d[eo]",
        range_from=r"de|do|desde|entre", range_to=r"a|ao|até|e|-|–",
        mid=r"meados\s+de", start=r"início\s+de|inicio\s+de|princípio\s+de|começo\s+de",
        end=r"final\s+de|fim\s+de|finais\s+de",
        after=r"depois\s+d[oae]|após|apos",
        seasons=_named("spring:primavera|summer:verão verao|fall:outono|winter:inverno"),
        summer_break=r"(?:as\s+)?férias(?:\s+de\s+verão)?",
        christmas=r"natal|as\s+festas", new_year=r"ano\s+novo|réveillon",
        easter_=r"páscoa|pascoa", fiscal=r"próximo\s+(?:exercício|ano\s+fiscal)",
        not_this_year=r"não\s+(?:será\s+)?este\s+ano|este\s+ano\s+não", tomorrow=r"amanhã",
        half_year=r"meio\s+ano|seis\s+meses", year_end=r"(?:o\s+)?fi(?:m|nal)\s+do\s+ano",
        week_no=r"semana"),
    "sv": Lexicon(
        months=_words("januari|februari|mars|april|maj|juni|juli|augusti|september|oktober"
                      "|november|december"),
        short_months=_words("jan|feb|mar|apr||jun|jul|aug|sep sept|okt|nov|dec"),
        weekdays={}, units=_named("day:dag dagar|week:vecka veckor|month:månad månader"
                                   "|quarter:kvartal kvartalet|year:år året"),
        numbers=_nums("1:en ett|2:två|3:tre några|4:fyra|5:fem|6:sex|7:sju|8:åtta|9:nio"
                      "|10:tio|12:tolv"),
        next_=r"nästa|kommande", in_=r"om|inom",
        until=r"till(?:\s+den)?|tills",
        inclusive_before=r"till\s+och\s+med|t\.o\.m\.?|tom", inclusive_after=r"(?!x)x",
        back=r"tillbaka|åter|från\s+och\s+med",
        range_from=r"från|mellan", range_to=r"till\s+och\s+med|till|och|-|–",
        mid=r"mitten\s+av", start=r"början\s+av|i\s+början\s+av", end=r"slutet\s+av",
        after=r"efter",
        seasons=_named("spring:våren vår|summer:sommaren sommar|fall:hösten höst"
                       "|winter:vintern vinter"),
        summer_break=r"semestern|sommarledigheten",
        christmas=r"jul(?:en)?|helgerna", new_year=r"nyår(?:et)?",
        easter_=r"påsk(?:en)?", fiscal=r"nästa\s+(?:räkenskapsår|budgetår)",
        not_this_year=r"inte\s+i\s+år", tomorrow=r"imorgon|i\s+morgon",
        half_year=r"ett\s+halvår|halvår", year_end=r"årsskiftet|slutet\s+av\s+året",
        week_no=r"vecka|v\."),
    "no": Lexicon(
        months=_words("januar|februar|mars|april|mai|juni|juli|august|september|oktober"
                      "|november|desember"),
        short_months=_words("jan|feb|mar|apr||jun|jul|aug|sep sept|okt|nov|des"),
        weekdays={}, units=_named("day:dag dager|week:uke uker|month:måned måneder"
                                   "|quarter:kvartal|year:år året"),
        numbers=_nums("1:en ett ei|2:to|3:tre noen|4:fire|5:fem|6:seks|7:sju|8:åtte|9:ni"
                      "|10:ti|12:tolv"),
        next_=r"neste|kommende", in_=r"om|innen",
        until=r"til(?:\s+den)?|frem\s+til",
        inclusive_before=r"til\s+og\s+med|t\.o\.m\.?", inclusive_after=r"(?!x)x",
        back=r"tilbake|igjen|fra\s+og\s+med",
        range_from=r"fra|mellom", range_to=r"til\s+og\s+med|til|og|-|–",
        mid=r"midten\s+av|midt\s+i", start=r"begynnelsen\s+av|starten\s+av",
        end=r"slutten\s+av", after=r"etter",
        seasons=_named("spring:våren vår|summer:sommeren sommer|fall:høsten høst"
                       "|winter:vinteren vinter"),
        summer_break=r"fellesferien|sommerferien",
        christmas=r"jul(?:en)?|høytiden", new_year=r"nyttår(?:et)?",
        easter_=r"påske(?:n)?", fiscal=r"neste\s+(?:regnskapsår|budsjettår)",
        not_this_year=r"ikke\s+i\s+år", tomorrow=r"i\s+morgen|imorgen",
        half_year=r"et\s+halvt\s+år|halvår", year_end=r"årsskiftet|slutten\s+av\s+året",
        week_no=r"uke|u\."),
    "da": Lexicon(
        months=_words("januar|februar|marts|april|maj|juni|juli|august|september|oktober"
                      "|november|december"),
        short_months=_words("jan|feb|mar|apr||jun|jul|aug|sep sept|okt|nov|dec"),
        weekdays={}, units=_named("day:dag dage|week:uge uger|month:måned måneder"
                                   "|quarter:kvartal|year:år året"),
        numbers=_nums("1:en et|2:to|3:tre nogle|4:fire|5:fem|6:seks|7:syv|8:otte|9:ni"
                      "|10:ti|12:tolv"),
        next_=r"næste|kommende", in_=r"om|inden\s+for",
        until=r"til(?:\s+den)?|frem\s+til",
        inclusive_before=r"til\s+og\s+med|t\.o\.m\.?", inclusive_after=r"(?!x)x",
        back=r"tilbage|igen|fra\s+og\s+med",
        range_from=r"fra|mellem", range_to=r"til\s+og\s+med|til|og|-|–",
        mid=r"midt\s+i|midten\s+af", start=r"starten\s+af|begyndelsen\s+af|primo",
        end=r"slutningen\s+af|udgangen\s+af|ultimo", after=r"efter",
        seasons=_named("spring:foråret forår|summer:sommeren sommer|fall:efteråret efterår"
                       "|winter:vinteren vinter"),
        summer_break=r"sommerferien",
        christmas=r"jul(?:en)?|helligdagene", new_year=r"nytår(?:et)?",
        easter_=r"påske(?:n)?", fiscal=r"næste\s+(?:regnskabsår|budgetår)",
        not_this_year=r"ikke\s+i\s+år", tomorrow=r"i\s+morgen|imorgen",
        half_year=r"et\s+halvt\s+år|halvår", year_end=r"årsskiftet|slutningen\s+af\s+året",
        week_no=r"uge|u\."),
}
for _code, _lex in LEXICON.items():
    _lex.weekdays.update({w: n - 1 for w, n in _words(_WEEKDAY_SETS[_code]).items()})

_SEASON_MONTH = {"spring": 3, "summer": 6, "fall": 9, "winter": 12}


@dataclass(frozen=True)
class _Found:
    day: date
    start: int
    end: int
    granularity: str
    score: float
    kind: str


def _alt(words: dict[str, int] | dict[str, str] | dict[str, float]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w)


class _Patterns:
    """The compiled patterns of one language."""

    def __init__(self, lex: Lexicon) -> None:
        month = _alt(lex.months)
        short = _alt(lex.short_months)
        day = r"(?P<{0}>[0-3]?\d)(?:\.|er|º|°|o\b|ª)?"
        month_any = rf"(?P<{{0}}>{month}|(?:{short})\b\.?)" if short else rf"(?P<{{0}}>{month})"
        self.date = re.compile(
            rf"(?<![\d/.]){day.format('d')}\s*(?:de\s+|di\s+)?{month_any.format('m')}"
            rf"(?:\s*(?:de\s+|del\s+)?(?P<y>20\d\d))?\b"
            rf"|(?<![\d/.:])(?P<nd>[0-3]?\d)[./](?P<nm>[01]?\d)(?:[./](?P<ny>(?:20)?\d\d))?\.?"
            r"(?![\d:]|\s*(?:uhr|h\b|am\b|pm\b|%))")
        self.bare_day = re.compile(
            r"\b(?:den|am|le|el|il|op|dia|dag|the)\s+(?P<d>[0-3]?\d)(?:\.|er|º|°)?(?=\s*[.,;!]|\s*$"
            r"|\s+(?:wieder|zurück|de\s+retour|igen|igjen|tilbaka))", re.MULTILINE)
        self.range_head = re.compile(
            rf"\b(?:{lex.range_from})\s+(?:(?:le|el|il|den|dem|dia)\s+)?"
            rf"(?P<d1>[0-3]?\d)(?:\.|er|º|°)?(?:[./](?P<m1n>[01]?\d)\.?)?"
            rf"(?:\s*(?:de\s+)?(?P<m1>{month}))?\s*(?:{lex.range_to})\s*"
            r"(?:(?:le|el|il|den|dem|zum|o|a|dia|den)\s+)?(?=[0-3]?\d)")
        self.bare_range = re.compile(
            r"(?<![\d/.])(?P<d1>[0-3]?\d)(?:\.|er|º|°)?\s*[-–]\s*(?=[0-3]?\d)")
        self.inclusive_before = re.compile(rf"(?:{lex.inclusive_before})\s*(?:(?:le|el|il|den"
                                           rf"|dem|zum|dia|ao)\s+)?$")
        self.inclusive_after = re.compile(rf"^\s*(?:{lex.inclusive_after})\b")
        self.until = re.compile(rf"\b(?:{lex.until})\s*(?:(?:le|el|il|den|dem|zum|dia|ao|am)\s+)?"
                                rf"(?:\w+\s+)?$")
        self.back = re.compile(rf"\b(?:{lex.back})\b")
        self.month_only = re.compile(
            rf"\b(?:(?P<part>{lex.mid}|{lex.start}|{lex.end})\s*(?:de\s+|di\s+|av\s+|af\s+)?)?"
            rf"(?P<m>{month})\b(?:\s+(?P<y>20\d\d))?")
        self.week_no = re.compile(rf"\b(?:{lex.week_no})\s*(?:nr\.?\s*|n[º°o]\.?\s*)?"
                                  r"(?P<w>[1-5]?\d)\b(?![./:]\d)")
        unit = _alt(lex.units)
        number = _alt(lex.numbers)
        self.span = re.compile(
            rf"\b(?:{lex.in_})\s+(?:(?:ca\.?|etwa|ungefähr|environ|unos|unas|circa|ongeveer"
            rf"|cerca\s+de|ungefär|omkring|ca)\s+)?(?P<n>\d{{1,2}}|{number})(?:\s+(?:bis|à|a"
            rf"|o|tot|till|til|-)\s+\w+)?\s+(?P<u>{unit})\b|\b(?:{lex.in_})\s+(?:{lex.half_year})")
        self.half = re.compile(rf"(?:{lex.half_year})")
        self.next_period = re.compile(
            rf"\b(?:(?:{lex.next_})\s+(?P<u1>{unit})|(?P<u2>{unit})\s+(?:{lex.next_}))\b")
        years = _alt({w: 1 for w, u in lex.units.items() if u == "year"})
        self.start_next_year = re.compile(
            rf"\b(?:{lex.start})\s+(?:(?:des|del|de|do|dell'|van\s+het|av|af)\s+)?"
            rf"(?:(?:{lex.next_})\s+)?(?:{years})(?:\s+(?:{lex.next_}))?")
        self.quarter = re.compile(
            rf"\b(?:q(?P<q>[1-4])|(?P<o>erste[nms]?|zweite[nms]?|dritte[nms]?|vierte[nms]?"
            r"|premier|deuxième|second|troisième|quatrième|primer|segundo|tercer|cuarto|primo"
            r"|secondo|terzo|quarto|eerste|tweede|derde|vierde|primeiro|terceiro|första|andra"
            r"|tredje|fjärde|første|andre|fjerde|andet)\s+(?:"
            rf"{_alt({w: 1 for w, u in lex.units.items() if u == 'quarter'})}))\b")
        self.fiscal = re.compile(rf"\b(?:{lex.fiscal})\b")
        self.not_this_year = re.compile(rf"\b(?:{lex.not_this_year})\b")
        seasons = _alt(lex.seasons)
        self.season = re.compile(
            rf"\b(?P<after>(?:{lex.after})\s+(?:(?:dem|den|der|l'|le|la|el|il|l'|het|de|o|a"
            rf"|os|as)\s*)?)?(?P<s>{seasons}|{lex.summer_break})\b")
        self.holiday = re.compile(
            rf"\b(?P<after>(?:{lex.after})\s+(?:(?:dem|den|der|l'|le|la|el|il|het|de|o|a|os|as"
            rf"|las|les|le)\s*)?)?(?P<h>{lex.christmas}|{lex.new_year}|{lex.easter_})\b")
        self.christmas = re.compile(rf"(?:{lex.christmas}|{lex.new_year})")
        self.year_end = re.compile(rf"\b(?:{lex.year_end})\b")
        weekdays = _alt(lex.weekdays)
        self.weekday = re.compile(rf"\b(?P<wd>{weekdays})\b")
        self.tomorrow = re.compile(rf"\b(?:{lex.tomorrow})\b")
        self.lex = lex


@lru_cache(maxsize=16)
def _patterns(code: str) -> _Patterns:
    return _Patterns(LEXICON[code])


def extract_time_hint_intl(text: str, *, today: date, language: str,
                           fiscal_year_start: int | None = None,
                           country: str | None = None) -> TimeHint | None:
    """The strongest time hint in `text` written in `language` (one of `LANGUAGES`), or None.

    Same conventions as :func:`notnow.core.timehints.extract_time_hint`; ``kind`` is "return"
    where the phrase says when an absent sender is back.
    """
    if language not in LEXICON or not text:
        return None
    low = text[:20_000].lower().replace("’", "'")
    if len(low) != len(text[:20_000]):
        return None
    reader = _Reader(low, today, _patterns(language), country or COUNTRY_OF[language],
                     fiscal_year_start or 1)
    found = reader.run()
    if not found:
        return None
    best = max(found, key=lambda f: (f.score, -f.start))
    return TimeHint(best.day, text[best.start:best.end], best.start, best.end,
                    best.granularity, round(min(best.score, 0.95), 2), best.kind)


class _Reader:
    def __init__(self, low: str, today: date, p: _Patterns, country: str,
                 fiscal_start: int) -> None:
        self.low = low
        self.today = today
        self.p = p
        self.country = country
        self.fiscal_start = fiscal_start
        self.found: list[_Found] = []

    # ---------------------------------------------------------------- helpers
    def bday(self, day: date) -> date:
        day = businessdays.next_business_day(day, self.country)
        if day <= self.today:
            day = businessdays.next_business_day(self.today + timedelta(days=1), self.country)
        return day

    def after(self, day: date) -> date:
        """The business day after `day` (the end of an absence)."""
        return self.bday(day + timedelta(days=1))

    def add(self, day: date | None, start: int, end: int, granularity: str, score: float,
            kind: str) -> None:
        if day is not None:
            self.found.append(_Found(day, start, end, granularity, score, kind))

    def month_number(self, word: str) -> int | None:
        word = word.rstrip(".")
        lex = self.p.lex
        return lex.months.get(word) or lex.short_months.get(word)

    def make(self, d: int, m: int, y: int | None) -> date | None:
        """The date d/m, in `y` or the next time it comes (today counts as to come)."""
        if not 1 <= m <= 12:
            return None
        years = [y] if y else [self.today.year, self.today.year + 1]
        for year in years:
            try:
                day = date(year, m, d)
            except ValueError:
                return None
            if y or day >= self.today:
                return day
        return None

    def sentence(self, start: int, end: int) -> str:
        a = max(self.low.rfind(ch, max(0, start - 200), start) for ch in ".!?\n")
        m = re.compile(r"[.!?\n](?!\d)").search(self.low, end, end + 200)
        return self.low[a + 1:m.start() if m else end + 200]

    def absence_context(self, start: int, end: int) -> bool:
        return self.p.back.search(self.sentence(start, end)) is not None

    # ---------------------------------------------------------------- rules
    def run(self) -> list[_Found]:
        covered = self.ranges()
        self.dates(covered)
        self.months(covered)
        self.weeks()
        self.spans()
        self.periods()
        self.seasons_and_holidays()
        self.weekdays_and_tomorrow()
        return self.found

    def _date_at(self, pos: int) -> re.Match[str] | None:
        return self.p.date.match(self.low, pos)

    def _resolve(self, m: re.Match[str]) -> tuple[int, int, int | None] | None:
        if m.group("d"):
            month = self.month_number(m.group("m"))
            year = int(m.group("y")) if m.group("y") else None
            return (int(m.group("d")), month, year) if month else None
        y = m.group("ny")
        year = (2000 + int(y) if len(y) == 2 else int(y)) if y else None
        return int(m.group("nd")), int(m.group("nm")), year

    def ranges(self) -> list[tuple[int, int]]:
        covered: list[tuple[int, int]] = []
        for head in (self.p.range_head, self.p.bare_range):
            for r in head.finditer(self.low):
                second = self._date_at(r.end())
                if second is None:
                    continue
                parts = self._resolve(second)
                if parts is None:
                    continue
                d2, m2, y2 = parts
                d1 = int(r.group("d1"))
                if head is self.p.range_head:
                    m1 = (self.month_number(r.group("m1")) if r.group("m1")
                          else int(r.group("m1n")) if r.group("m1n") else m2)
                else:
                    m1 = m2
                last = self.make(d2, m2, y2)
                first = self.make(d1, m1 or m2, y2)
                if last is None or first is None:
                    continue
                if first > last:  # "24. Dezember bis 8. Januar": the end is next year
                    shifted = self.make(d2, m2, last.year + 1)
                    if shifted is None:
                        continue
                    last = shifted
                self.add(self.after(last), r.start(), second.end(), cal.DAY, 0.96, "return")
                covered.append((r.start(), second.end()))
        return covered

    def dates(self, covered: list[tuple[int, int]]) -> None:
        low = self.low
        for m in self.p.date.finditer(low):
            if any(a <= m.start() < b for a, b in covered):
                continue
            parts = self._resolve(m)
            if parts is None:
                continue
            day = self.make(*parts)
            if day is None:
                continue
            left = low[max(0, m.start() - 40):m.start()]
            right = low[m.end():m.end() + 25]
            if (self.p.inclusive_before.search(left)
                    or self.p.inclusive_after.search(right)):
                self.add(self.after(day), m.start(), m.end(), cal.DAY, 0.95, "return")
            elif self.p.until.search(left) or self.absence_context(m.start(), m.end()):
                self.add(self.bday(day), m.start(), m.end(), cal.DAY, 0.93, "return")
            else:
                self.add(self.bday(day), m.start(), m.end(), cal.DAY, 0.85, "date")
        for m in self.p.bare_day.finditer(low):
            if not self.absence_context(m.start(), m.end()):
                continue
            d = int(m.group("d"))
            for offset in range(0, 3):
                month = cal.add_months(self.today.replace(day=1), offset)
                made = self.make(d, month.month, month.year)
                if made is not None and made >= self.today:
                    self.add(self.bday(made), m.start(), m.end(), cal.DAY, 0.8, "return")
                    break

    def months(self, covered: list[tuple[int, int]]) -> None:
        lex = self.p.lex
        for m in self.p.month_only.finditer(self.low):
            if any(a <= m.start() < b for a, b in covered):
                continue
            # A month right after a day number was read as a date.
            if re.search(r"\d\.?\s*(?:de\s+|di\s+)?$", self.low[max(0, m.start("m") - 6):
                                                               m.start("m")]):
                continue
            month = lex.months[m.group("m")]
            year = int(m.group("y")) if m.group("y") else None
            first = self.make(1, month, year)
            if first is None or (year is None and first.month == self.today.month
                                 and first.year == self.today.year):
                first = self.make(1, month, self.today.year + 1)
            if first is None:
                continue
            part = m.group("part") or ""
            left = self.low[max(0, m.start() - 30):m.start()]
            until = self.p.until.search(left) is not None or bool(
                re.search(rf"(?:{lex.until})\s*$", left))
            if part and re.fullmatch(rf"(?:{lex.mid})", part.strip()):
                self.add(self.bday(first.replace(day=15)), m.start(), m.end(), cal.WEEK, 0.86,
                         "month")
            elif part and re.fullmatch(rf"(?:{lex.end})", part.strip()):
                if until or self.absence_context(m.start(), m.end()):
                    self.add(self.bday(cal.add_months(first, 1)), m.start(), m.end(), cal.MONTH,
                             0.84, "return")
                else:
                    self.add(self.bday(first.replace(day=24)), m.start(), m.end(), cal.MONTH,
                             0.82, "month")
            else:
                kind = "return" if until or self.absence_context(m.start(), m.end()) else "month"
                self.add(self.bday(first), m.start(), m.end(), cal.MONTH, 0.82, kind)

    def weeks(self) -> None:
        for m in self.p.week_no.finditer(self.low):
            week = int(m.group("w"))
            if not 1 <= week <= 53:
                continue
            for year in (self.today.year, self.today.year + 1):
                try:
                    monday = date.fromisocalendar(year, week, 1)
                except ValueError:
                    continue
                if monday + timedelta(days=4) >= self.today:
                    self.add(self.bday(monday), m.start(), m.end(), cal.WEEK, 0.85, "week")
                    break

    def spans(self) -> None:
        lex = self.p.lex
        for m in self.p.span.finditer(self.low):
            if m.group("u") is None:
                self.add(self.bday(cal.add_months(self.today, 6)), m.start(), m.end(),
                         cal.MONTH, 0.8, "relative")
                continue
            raw = m.group("n")
            n = float(raw) if raw.isdigit() else lex.numbers.get(raw, 0.0)
            unit = lex.units[m.group("u")]
            if not n:
                continue
            if unit == "day":
                day, gran = self.today + timedelta(days=int(n)), cal.DAY
            elif unit == "week":
                day, gran = self.today + timedelta(weeks=int(n)), cal.WEEK
            elif unit == "month":
                day, gran = cal.add_months(self.today, int(n)), cal.MONTH
            elif unit == "quarter":
                day, gran = cal.add_months(self.today, 3 * int(n)), cal.QUARTER
            else:
                day, gran = cal.add_months(self.today, 12 * int(n)), cal.YEAR
            self.add(self.bday(day), m.start(), m.end(), gran, 0.8, "relative")

    def periods(self) -> None:
        lex = self.p.lex
        for m in self.p.next_period.finditer(self.low):
            unit = lex.units[m.group("u1") or m.group("u2")]
            if unit == "day":
                continue
            left = self.low[max(0, m.start() - 25):m.start()]
            until = re.search(rf"(?:{lex.until})\s*(?:(?:el|le|il|den|dem|o|a|het|de)\s+)?$",
                              left) is not None
            self.add(self._next(unit), m.start(), m.end(),
                     {"week": cal.WEEK, "month": cal.MONTH, "quarter": cal.QUARTER}.get(
                         unit, cal.YEAR), 0.88 if until else 0.78, "relative")
        for m in self.p.start_next_year.finditer(self.low):
            self.add(self._next("year"), m.start(), m.end(), cal.YEAR, 0.8, "year")
        for m in self.p.not_this_year.finditer(self.low):
            self.add(self._next("year"), m.start(), m.end(), cal.YEAR, 0.76, "year")
        for m in self.p.year_end.finditer(self.low):
            left = self.low[max(0, m.start() - 25):m.start()]
            if self.p.until.search(left) or re.search(rf"(?:{lex.until})\s*$", left):
                self.add(self._next("year"), m.start(), m.end(), cal.YEAR, 0.7, "year")
        for m in self.p.quarter.finditer(self.low):
            q = int(m.group("q")) if m.group("q") else _ORDINALS.get(
                m.group("o").rstrip("nms") if m.group("o").startswith(("erst", "zweit",
                                                                       "dritt", "viert"))
                else m.group("o"), 0)
            if not q:
                continue
            for year in (self.today.year, self.today.year + 1):
                start = date(year, 3 * q - 2, 1)
                if start > self.today:
                    self.add(self.bday(start), m.start(), m.end(), cal.QUARTER, 0.8, "quarter")
                    break
        for m in self.p.fiscal.finditer(self.low):
            year = self.today.year if self.today.month < self.fiscal_start else (
                self.today.year + 1)
            self.add(self.bday(date(year, self.fiscal_start, 1)), m.start(), m.end(), cal.YEAR,
                     0.82, "fiscal")

    def _next(self, unit: str) -> date:
        if unit == "week":
            return self.bday(cal.week_period(self.today + timedelta(days=7)).start)
        if unit == "month":
            first = cal.add_months(self.today.replace(day=1), 1)
            return self.bday(first)
        if unit == "quarter":
            q0 = (self.today.month - 1) // 3
            year, q = divmod(self.today.year * 4 + q0 + 1, 4)
            return self.bday(date(year, 3 * q + 1, 1))
        return self.bday(date(self.today.year + 1, 1, 1))

    def seasons_and_holidays(self) -> None:
        lex = self.p.lex
        for m in self.p.season.finditer(self.low):
            word = m.group("s")
            season = lex.seasons.get(word, "summer")
            after = m.group("after") is not None
            if word not in lex.seasons and not after:
                continue  # "vacances" alone is no time
            if after:
                season = {"spring": "summer", "summer": "fall", "fall": "winter",
                          "winter": "spring"}[season]
            month = _SEASON_MONTH[season]
            start = self.make(1, month, None)
            if start is None:
                continue
            self.add(self.bday(start), m.start(), m.end(), cal.QUARTER, 0.74, "season")
        for m in self.p.holiday.finditer(self.low):
            word = m.group("h")
            after = m.group("after") is not None
            if self.p.christmas.fullmatch(word):
                if not after and not re.search(r"(?:bis|jusqu|hasta|fino|tot|até|till|til)\S*"
                                               r"\s*(?:\w+\s+)?$",
                                               self.low[max(0, m.start() - 20):m.start()]):
                    continue
                self.add(self._next("year"), m.start(), m.end(), cal.WEEK, 0.76, "holiday")
            elif after:
                for year in (self.today.year, self.today.year + 1):
                    monday = easter(year) + timedelta(days=1)
                    if monday > self.today:
                        self.add(self.bday(monday + timedelta(days=1)), m.start(), m.end(),
                                 cal.WEEK, 0.76, "holiday")
                        break

    def weekdays_and_tomorrow(self) -> None:
        lex = self.p.lex
        for m in self.p.weekday.finditer(self.low):
            # "Montag, 9. Februar": the date says more.
            if self.p.date.match(self.low, m.end() + (2 if self.low[m.end():m.end() + 2]
                                                     in (", ", " d") else 1)):
                continue
            target = lex.weekdays[m.group("wd")]
            ahead = (target - self.today.weekday()) % 7 or 7
            self.add(self.bday(self.today + timedelta(days=ahead)), m.start(), m.end(),
                     cal.DAY, 0.6, "weekday")
        for m in self.p.tomorrow.finditer(self.low):
            self.add(self.bday(self.today + timedelta(days=1)), m.start(), m.end(), cal.DAY,
                     0.62, "relative")


_ORDINALS = {"erste": 1, "zweite": 2, "dritte": 3, "vierte": 4, "premier": 1, "deuxième": 2,
             "second": 2, "troisième": 3, "quatrième": 4, "primer": 1, "segundo": 2,
             "tercer": 3, "cuarto": 4, "primo": 1, "secondo": 2, "terzo": 3, "quarto": 4,
             "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "primeiro": 1,
             "terceiro": 3, "första": 1, "andra": 2, "tredje": 3, "fjärde": 4,
             "første": 1, "andre": 2, "fjerde": 4, "andet": 2}
