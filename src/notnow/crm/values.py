"""Reading the values CRM exports write: dates, amounts, currencies, yes/no, owners, countries,
and the CRMs' words for stages, statuses, roles and activity types.

Each reader takes the cell's text (already stripped, never empty) and returns the value or
raises `ValueError` with a message for the person ("not a date: …"). Locale choices that a
single value cannot settle — day-first dates, decimal commas — are passed in, decided per file.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from notnow.core.model import Channel, DealStatus, Direction, Role, Stage

EMPTY = frozenset({"", "-", "--", "—", "n/a", "na", "#n/a", "null", "none", "(none)", "nil",
                   "(blank)", "(empty)"})
"""Cells that mean "no value" in a typed column (a number, a date, a yes/no)."""

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")


class DateOrder(StrEnum):
    """How to read 03/04/2026: month first (US) or day first (most of the world)."""

    MDY = "mdy"
    DMY = "dmy"


def squash(text: str) -> str:
    """Whitespace of any kind (incl. no-break spaces) collapsed to one space, ends stripped."""
    return _SPACES.sub(" ", text).strip()


def is_empty(text: str) -> bool:
    return text.strip().lower() in EMPTY


# --- yes / no ----------------------------------------------------------------------------------

_TRUE = frozenset({"true", "yes", "y", "1", "x", "on", "checked", "ja", "j", "wahr", "oui",
                   "vrai", "si", "sí", "verdadero", "sim", "verdadeiro", "vero", "waar", "✓",
                   "✔"})
_FALSE = frozenset({"false", "no", "n", "0", "off", "unchecked", "nein", "falsch", "non",
                    "faux", "falso", "não", "nao", "nee", "onwaar"})


def parse_bool(text: str) -> bool:
    low = text.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError("not a yes/no value (expected true/false, yes/no or 1/0)")


# --- dates -------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _n, _names in enumerate((
        "jan january januar janv janvier ene enero gen gennaio jänner janeiro",
        "feb february februar fév févr fevr février fevrier febrero febbraio fev fevereiro",
        "mar march mär märz maerz mars marzo março",
        "apr april avr avril abr abril aprile",
        "may mai mayo mag maggio maio",
        "jun june juni juin junio giu giugno junho",
        "jul july juli juil juillet julio lug luglio julho",
        "aug august août aout ago agosto",
        "sep sept september septembre septiembre set settembre setembro",
        "oct october okt oktober octobre octubre ott ottobre out outubro",
        "nov november novembre noviembre novembro",
        "dec december dez dezember déc decembre décembre dic diciembre dicembre dezembro"), 1):
    for _name in _names.split():
        _MONTHS[_name] = _n

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
                  r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?$", re.I)
_NUMERIC = re.compile(r"(\d{1,4})([/.\-])(\d{1,2})\2(\d{2,4})(?:,?\s+(\d{1,2})[:.](\d{2})"
                      r"(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?)?$", re.I)
_NAMED = re.compile(r"(?:(\d{1,2})\.?[\s\-/]+([^\W\d_]+)\.?[\s\-/,]+(\d{2,4})|([^\W\d_]+)\.?\s+"
                    r"(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4}))(?:,?\s+(\d{1,2}):(\d{2})(?::\d{2})?"
                    r"\s*([ap]\.?m\.?)?)?$", re.I)
_EXCEL_EPOCH = date(1899, 12, 30)


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 70 else 1900
    return y


def _hour(h: int, ampm: str | None) -> int:
    if ampm:
        pm = ampm.lower().startswith("p")
        if not 1 <= h <= 12:
            raise ValueError("not a time of day")
        h = h % 12 + (12 if pm else 0)
    return h


def _tz(text: str | None) -> timedelta | None:
    if text is None:
        return None
    if text.upper() in ("Z", "UTC", "GMT"):
        return timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))


def slash_date_evidence(text: str) -> DateOrder | None:
    """What one value says about the file's date order: DMY when it reads 25/03/2026, MDY when
    03/25/2026, None when both readings work (or it is no such date)."""
    m = _NUMERIC.match(text.strip())
    if m is None or m.group(2) == "." or len(m.group(1)) > 2:
        return None
    a, b = int(m.group(1)), int(m.group(3))
    if a > 12 >= b:
        return DateOrder.DMY
    if b > 12 >= a:
        return DateOrder.MDY
    return None


def parse_datetime(text: str, order: DateOrder = DateOrder.MDY) -> tuple[date, datetime | None]:
    """(the day, the instant when the value has a time): ISO 8601 in its export spellings,
    numeric dates (slash, dash or dot; `order` decides 03/04), month names in several
    languages, Excel serial day numbers and Unix epoch milliseconds. An instant is naive when
    the export gives no zone, else UTC."""
    s = squash(text)
    m = _ISO.match(s)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        day = date(y, mo, d)
        if m.group(4) is None:
            return day, None
        t = time(int(m.group(4)), int(m.group(5)), int(m.group(6) or 0))
        at = datetime.combine(day, t)
        offset = _tz(m.group(7))
        if offset is not None:
            at = (at - offset).replace(tzinfo=UTC)
        return day, at
    m = _NUMERIC.match(s)
    if m:
        first, sep, second, third = m.group(1), m.group(2), m.group(3), m.group(4)
        if len(first) == 4:  # 2026/03/04
            y, mo, d = int(first), int(second), int(third)
        elif len(third) < 4 and sep == "-":
            raise ValueError("not a date")  # 12-03-26 is too ambiguous to guess
        elif sep == "." or order is DateOrder.DMY:
            d, mo, y = int(first), int(second), _year(third)
        else:
            mo, d, y = int(first), int(second), _year(third)
        day = date(y, mo, d)
        if m.group(5) is None:
            return day, None
        hour = _hour(int(m.group(5)), m.group(8))
        return day, datetime.combine(day, time(hour, int(m.group(6)), int(m.group(7) or 0)))
    m = _NAMED.match(s)
    if m:
        if m.group(1):
            d, name, y = int(m.group(1)), m.group(2), _year(m.group(3))
        else:
            name, d, y = m.group(4), int(m.group(5)), int(m.group(6))
        month = _MONTHS.get(name.lower().rstrip("."))
        if month is None:
            raise ValueError("not a date")
        day = date(y, month, d)
        if m.group(7) is None:
            return day, None
        hour = _hour(int(m.group(7)), m.group(9))
        return day, datetime.combine(day, time(hour, int(m.group(8))))
    if s.isdigit():
        n = int(s)
        if 20000 <= n <= 80000:  # an Excel serial day number (a sheet saved as CSV)
            return _EXCEL_EPOCH + timedelta(days=n), None
        if len(s) == 13:  # epoch milliseconds, as API-made exports write them
            at = datetime.fromtimestamp(n / 1000, UTC)
            return at.date(), at
    raise ValueError("not a date")


def parse_date(text: str, order: DateOrder = DateOrder.MDY) -> date:
    try:
        return parse_datetime(text, order)[0]
    except (ValueError, OverflowError) as exc:
        msg = str(exc) if str(exc).startswith("not a") else "not a valid date"
        raise ValueError(msg) from None


def parse_time(text: str) -> time:
    m = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?", squash(text), re.I)
    if m is None:
        raise ValueError("not a time of day")
    return time(_hour(int(m.group(1)), m.group(4)), int(m.group(2)), int(m.group(3) or 0))


# --- amounts and currencies --------------------------------------------------------------------

_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR",
            "R$": "BRL", "CHF": "CHF", "A$": "AUD", "C$": "CAD", "CA$": "CAD", "AU$": "AUD",
            "zł": "PLN", "₩": "KRW", "₺": "TRY", "₪": "ILS", "kč": "CZK", "fr.": "CHF"}
_CURRENCY_NAMES = {
    "euro": "EUR", "euros": "EUR", "us dollar": "USD", "us dollars": "USD", "dollar": "USD",
    "dollars": "USD", "pound sterling": "GBP", "british pound": "GBP", "swiss franc": "CHF",
    "franken": "CHF", "franc suisse": "CHF", "yen": "JPY", "canadian dollar": "CAD",
    "australian dollar": "AUD", "swedish krona": "SEK", "norwegian krone": "NOK",
    "danish krone": "DKK", "polish zloty": "PLN", "czech koruna": "CZK", "indian rupee": "INR",
}
_CODE = re.compile(r"[A-Za-z]{3}")
_AMOUNT = re.compile(r"[+-]?[\d.,' \u00a0\u2009\u202f]*\d")


def parse_currency(text: str) -> str:
    s = squash(text)
    if _CODE.fullmatch(s):
        return s.upper()
    low = s.lower()
    if s in _SYMBOLS or low in _SYMBOLS:
        return _SYMBOLS.get(s) or _SYMBOLS[low]
    if low in _CURRENCY_NAMES:
        return _CURRENCY_NAMES[low]
    m = re.search(r"\(([A-Za-z]{3})\)", s)  # "Euro (EUR)"
    if m:
        return m.group(1).upper()
    raise ValueError("not a currency (expected a code such as EUR or USD)")


def amount_evidence(text: str) -> bool | None:
    """What one value says about the file's decimal mark: True for a decimal comma
    (1.234,56 or 12,5), False for a decimal point (1,234.56 or 12.5), None when it could be
    either (1,234) or has no separator."""
    digits = _AMOUNT.search(text)
    if digits is None:
        return None
    s = digits.group(0)
    comma, dot = s.rfind(","), s.rfind(".")
    if comma >= 0 and dot >= 0:
        return comma > dot
    mark = comma if comma >= 0 else dot
    if mark < 0:
        return None
    if s.count(s[mark]) > 1:
        return s[mark] == "."  # 1,234,567 (dot decimal) / 1.234.567 (comma decimal)
    return None if len(s) - mark - 1 == 3 else s[mark] == ","


def parse_amount(text: str, decimal_comma: bool = False) -> tuple[Decimal, str | None]:
    """(amount, currency when the value names one): "1,234.56", "1.234,56", "1 234,56",
    "1'234.56", "$1,200", "EUR 1.200,00", "1200 €". `decimal_comma` settles "1,234"."""
    s = squash(text)
    currency = None
    digits = _AMOUNT.search(s)
    if digits is None:
        raise ValueError("not an amount")
    rest = (s[:digits.start()] + " " + s[digits.end():]).strip()
    if rest:
        if rest.endswith("-") or rest.startswith("(") and rest.endswith(")"):
            raise ValueError("not an amount (negative or bracketed)")
        currency = parse_currency(rest)
    num = digits.group(0).replace(" ", "").replace("\u00a0", "").replace("\u2009", "")
    num = num.replace("\u202f", "").replace("'", "")
    comma_decimal = amount_evidence(num)
    if comma_decimal is None:  # "1,234" or "1.234": the file's decimal mark decides
        comma_decimal = decimal_comma
    if comma_decimal:
        num = num.replace(".", "").replace(",", ".")
    else:
        num = num.replace(",", "")
    if num.count(".") > 1:
        raise ValueError("not an amount")
    try:
        value = Decimal(num)
    except InvalidOperation:
        raise ValueError("not an amount") from None
    if value < 0:
        raise ValueError("not an amount (negative)")
    if value >= Decimal("1e12"):
        raise ValueError("the amount is too large (over 999,999,999,999)")
    return value.quantize(Decimal("0.01")), currency


def parse_int(text: str) -> int:
    s = squash(text).replace(",", "").replace(".", "").replace(" ", "").replace("'", "")
    if s.endswith("+"):
        s = s[:-1]
    if not s.isdigit() or len(s) > 9:
        raise ValueError("not a whole number")
    return int(s)


# --- people and places -------------------------------------------------------------------------

EMAIL = re.compile(r"[^@\s,;<>\"()]+@[^@\s,;<>\"()]+\.[^@\s,;<>\"()]+")
_OWNER = re.compile(r"(.*?)\s*[<(\[]\s*([^<>()\[\]\s]+@[^<>()\[\]\s]+)\s*[>)\]]\s*$")


def parse_emails(text: str) -> list[str]:
    """The addresses in a cell (one, or several separated by commas, semicolons or spaces)."""
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    bad = [p for p in parts if not EMAIL.fullmatch(p)]
    if bad:
        raise ValueError("not an email address")
    return parts


def parse_phones(text: str) -> list[str]:
    parts = [squash(p) for p in re.split(r"[;,]|\s{2,}", text) if p.strip()]
    for p in parts:
        if sum(ch.isdigit() for ch in p) < 3 or len(p) > 60:
            raise ValueError("not a phone number")
    return parts


def parse_owner(text: str) -> tuple[str | None, str | None]:
    """(name, email) of a CRM user as exports write it: "Ana Ruiz", "ana@x.com",
    "Ana Ruiz (ana@x.com)", "Ana Ruiz <ana@x.com>"."""
    s = squash(text)
    m = _OWNER.fullmatch(s)
    if m:
        return (m.group(1) or None), m.group(2).lower()
    if EMAIL.fullmatch(s):
        return None, s.lower()
    return s, None


_COUNTRIES: dict[str, str] = {}
for _code, _names in {
    "US": "united states;usa;u.s.;u.s.a.;united states of america;america;vereinigte staaten;"
          "états-unis;etats-unis;estados unidos",
    "GB": "united kingdom;uk;great britain;england;scotland;wales;vereinigtes königreich;"
          "royaume-uni;reino unido",
    "DE": "germany;deutschland;allemagne;alemania;germania",
    "FR": "france;frankreich;francia",
    "ES": "spain;spanien;espagne;españa;espana",
    "IT": "italy;italien;italie;italia",
    "NL": "netherlands;the netherlands;holland;niederlande;pays-bas;países bajos;nederland",
    "BE": "belgium;belgien;belgique;bélgica;belgie;belgië",
    "CH": "switzerland;schweiz;suisse;suiza;svizzera",
    "AT": "austria;österreich;oesterreich;autriche",
    "PT": "portugal",
    "IE": "ireland;irland;irlande;irlanda",
    "SE": "sweden;schweden;suède;suecia;sverige",
    "NO": "norway;norwegen;norvège;noruega;norge",
    "DK": "denmark;dänemark;danemark;dinamarca;danmark",
    "FI": "finland;finnland;finlande;finlandia;suomi",
    "PL": "poland;polen;pologne;polonia;polska",
    "CZ": "czech republic;czechia;tschechien;république tchèque;chequia;česko",
    "LU": "luxembourg;luxemburg;luxemburgo",
    "CA": "canada;kanada;canadá",
    "MX": "mexico;méxico;mexiko;mexique",
    "BR": "brazil;brasil;brasilien;brésil",
    "AR": "argentina;argentinien;argentine",
    "AU": "australia;australien;australie",
    "NZ": "new zealand;neuseeland;nouvelle-zélande",
    "IN": "india;indien;inde",
    "JP": "japan;japon;japón",
    "CN": "china;chine",
    "SG": "singapore;singapur;singapour",
    "IL": "israel;israël",
    "ZA": "south africa;südafrika;afrique du sud;sudáfrica",
    "AE": "united arab emirates;uae;vereinigte arabische emirate;émirats arabes unis",
}.items():
    for _name in _names.split(";"):
        _COUNTRIES[_name] = _code


def parse_country(text: str) -> str | None:
    """ISO 3166-1 alpha-2 for a code or a common country name (en/de/fr/es), else None."""
    s = squash(text)
    if len(s) == 2 and s.isalpha():
        return "GB" if s.upper() == "UK" else s.upper()
    return _COUNTRIES.get(s.lower())


# --- the CRMs' words ---------------------------------------------------------------------------

def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


_STATUS = {
    DealStatus.OPEN: "open;offen;ouvert;ouverte;abierto;aberto;aperto;in progress;active",
    DealStatus.WON: "won;closed won;closedwon;gewonnen;gagné;gagnée;gagne;ganado;ganho;vinto;"
                    "gewonnen (won)",
    DealStatus.LOST: "lost;closed lost;closedlost;verloren;perdu;perdue;perdido;perso",
}
_STATUS_WORDS = {_key(w): s for s, words in _STATUS.items() for w in words.split(";")}
DELETED = frozenset({"deleted", "gelöscht", "supprimé", "supprimée", "eliminado", "excluído",
                     "eliminato"})


def parse_status(text: str) -> DealStatus:
    """open / won / lost in the words of Pipedrive (localised), HubSpot and Salesforce."""
    key = _key(text)
    if key in _STATUS_WORDS:
        return _STATUS_WORDS[key]
    raise ValueError("not a deal status (expected open, won or lost)")


def status_from_stage(stage: str) -> DealStatus | None:
    """Won or lost when the stage name says so ("Closed Lost", "closedwon"), else None."""
    key = _key(stage)
    if key in _STATUS_WORDS and _STATUS_WORDS[key] is not DealStatus.OPEN:
        return _STATUS_WORDS[key]
    if "lost" in key or "verloren" in key or "perdu" in key or "perdido" in key:
        return DealStatus.LOST
    if key.startswith("closed won") or "gewonnen" in key or key.endswith(" won"):
        return DealStatus.WON
    return None


_STAGE_WORDS: tuple[tuple[Stage, tuple[str, ...]], ...] = (
    (Stage.FOLLOW_UP, ("follow", "nurtur", "re engage", "reengage", "wiedervorlage", "relance",
                       "seguimiento")),
    (Stage.CLOSING, ("negotiat", "contract", "commit", "closing", "decision maker bought",
                     "bought in", "verhandl", "vertrag", "négoci", "negoci", "contrat",
                     "review", "verbal", "signature", "unterschrift")),
    (Stage.PROPOSAL, ("proposal", "quote", "presentation", "demo", "offer", "angebot",
                      "proposition", "propuesta", "proposta", "needs analysis", "value prop",
                      "perception", "decision makers", "id. decision", "needs defined",
                      "pricing", "evaluation", "solution", "offre", "devis", "cotización")),
    (Stage.COLD_CALL, ("prospect", "qualif", "lead", "contact made", "appointment", "discovery",
                       "new", "first contact", "kontakt", "erstgespräch", "contacté",
                       "premier contact", "contactado", "cold", "meeting", "intro")),
)


def notnow_stage(crm_stage: str) -> Stage | None:
    """The notnow stage a CRM stage name corresponds to, by its words; None for a closed stage
    or words not recognised (the CRM's own name is kept anyway)."""
    key = _key(crm_stage)
    if status_from_stage(crm_stage) is not None:
        return None
    for stage, words in _STAGE_WORDS:
        if any(w in key for w in words):
            return stage
    return None


_ROLE_WORDS: tuple[tuple[Role, tuple[str, ...]], ...] = (
    (Role.GATEKEEPER, ("gatekeeper", "assistant", "reception", "front desk", "office manager")),
    (Role.EXECUTIVE, ("executive sponsor", "executive", "economic buyer", "budget holder",
                      "economic decision")),
    (Role.DECISION_MAKER, ("decision maker", "decision_maker", "decider", "entscheider",
                           "décideur", "decisor", "approver", "signer")),
    (Role.INFLUENCER, ("influencer", "champion", "evaluator", "technical buyer", "blocker",
                       "legal", "compliance", "coach")),
    (Role.USER, ("end user", "end_user", "business user", "user", "practitioner", "utilisateur",
                 "anwender", "usuario")),
)


def parse_role(text: str) -> Role:
    """notnow's role from a CRM's buying role / contact role (first one in a multi-select)."""
    low = text.lower().replace("_", " ")
    for role, words in _ROLE_WORDS:
        if any(w in low for w in words):
            return role
    return Role.OTHER


_CHANNEL_WORDS: tuple[tuple[Channel | None, tuple[str, ...]], ...] = (
    (Channel.VOICEMAIL, ("voicemail", "voice mail", "mailbox", "anrufbeantworter")),
    (Channel.LINKEDIN, ("linkedin", "inmail", "social")),
    (Channel.EMAIL, ("email", "e-mail", "mail", "courriel", "correo", "listemail")),
    (Channel.CALL, ("call", "phone", "anruf", "telefon", "appel", "llamada", "chiamata")),
    (Channel.MEETING, ("meeting", "lunch", "event", "besprechung", "termin", "réunion",
                       "reunion", "reunión", "rendez", "visit", "besuch", "demo")),
    (Channel.NOTE, ("letter", "brief", "courrier", "carta", "handwritten")),
    (Channel.PARCEL, ("parcel", "package", "gift", "paket", "colis")),
    (None, ("task", "deadline", "to do", "todo", "aufgabe", "frist", "tâche", "tarea", "note",
            "notiz", "cadence")),
)


def parse_channel(text: str) -> Channel | None:
    """The notnow channel of a CRM activity type; None for what is not a touch (a task, a
    deadline, a note). Unknown words raise."""
    low = text.lower()
    for channel, words in _CHANNEL_WORDS:
        if any(w in low for w in words):
            return channel
    raise ValueError("not an activity type notnow knows (call, email, meeting, LinkedIn…)")


def parse_direction(text: str) -> Direction | None:
    low = text.strip().lower()
    if low in ("internal", "intern", "interne", "interno"):
        return None
    if low.startswith(("in", "eingehend", "entrant", "entrante", "recib")):
        return Direction.INBOUND
    if low.startswith(("out", "ausgehend", "sortant", "saliente", "envi", "sent")):
        return Direction.OUTBOUND
    raise ValueError("not a direction (expected inbound or outbound)")


_DONE = frozenset({"done", "completed", "complete", "erledigt", "fait", "terminé", "hecho",
                   "realizado", "realizada", "completada", "completado", "connected", "held",
                   "finished", "abgeschlossen", "no answer", "busy", "left voicemail",
                   "left live message"})
"""An attempt that was made counts as done (a call nobody answered is still a touch)."""
_NOT_DONE = frozenset({"undone", "to do", "todo", "not done", "open", "not started",
                       "in progress", "scheduled", "planned", "offen", "nicht erledigt",
                       "à faire", "a faire", "pendiente", "deferred", "waiting on someone else",
                       "rescheduled", "canceled", "cancelled", "no show", "failed", "queued",
                       "ringing", "connecting", "calling crm user"})


def parse_done(text: str) -> bool:
    low = text.strip().lower().replace("_", " ")
    if low in _DONE:
        return True
    if low in _NOT_DONE:
        return False
    return parse_bool(low)


_UNSUBSCRIBED = ("unsubscribed", "opted out", "opt-out", "opt out", "abgemeldet", "désabonné",
                 "désinscrit", "dado de baja", "baja", "revoked", "withdrawn", "widerrufen",
                 "retiré", "retirado", "revocado")


def means_unsubscribed(text: str) -> bool:
    """A marketing status / consent value that records an opt-out ("Unsubscribed",
    "Consent withdrawn"); "no consent" was never given, so it is not one."""
    low = text.strip().lower()
    return any(w in low for w in _UNSUBSCRIBED)
