"""Time hints in nine more languages, read against Sunday 2026-11-22 (phrasings are ours)."""

from __future__ import annotations

from datetime import date

import pytest

from notnow.core.timehints import within_tolerance
from notnow.core.timehints_intl import extract_time_hint_intl
from notnow.understand import analyze

TODAY = date(2026, 11, 22)

CASES = [
    # dates, "until" and "back on"
    ("de", "Ich bin bis 20.04. außer Haus.", "2027-04-20", "day"),
    ("de", "Ich bin bis einschließlich 14. Mai nicht im Büro.", "2027-05-18", "day"),
    ("de", "Ab Montag, 9. Februar, bin ich wieder für Sie da.", "2027-02-09", "day"),
    ("fr", "Je suis absent du bureau jusqu'au 9 octobre inclus.", "2027-10-11", "day"),
    ("fr", "Je serai de retour le lundi 5 janvier.", "2027-01-05", "day"),
    ("es", "Estoy fuera de la oficina hasta el 2 de junio.", "2027-06-02", "day"),
    ("it", "Sono in ferie, rientro il 1° settembre.", "2027-09-01", "day"),
    ("nl", "Ik ben er niet, vanaf 5 januari weer op kantoor.", "2027-01-05", "day"),
    ("pt", "Estou de férias, regresso a 12 de janeiro.", "2027-01-12", "day"),
    ("sv", "Jag är tillbaka måndag 11 januari.", "2027-01-11", "day"),
    ("no", "Jeg er tilbake den 4. januar.", "2027-01-04", "day"),
    ("da", "Jeg er på ferie til og med 14. maj.", "2027-05-18", "day"),
    # absences from X to Y: back the business day after Y
    ("de", "Ich bin vom 2. bis 13. Juni abwesend.", "2027-06-14", "day"),
    ("fr", "Je suis en congés du 3 au 14 août.", "2027-08-16", "day"),
    ("es", "Estaré fuera entre el 28/09 y el 1/10.", "2027-10-04", "day"),
    ("pt", "Estarei fora de 16 a 30 de julho.", "2027-08-02", "day"),
    ("sv", "Jag har semester 3–14 augusti.", "2027-08-16", "day"),
    ("nl", "Ik ben met vakantie van 3 tot en met 14 augustus.", "2027-08-16", "day"),
    # months and parts of them
    ("it", "Ne riparliamo a febbraio.", "2027-02-01", "month"),
    ("fr", "Revenez vers moi mi-mars.", "2027-03-15", "week"),
    ("es", "Hablemos a mediados de marzo.", "2027-03-15", "week"),
    ("de", "Melden Sie sich bitte Anfang März wieder.", "2027-03-01", "month"),
    ("nl", "Tot eind januari zit ik vol.", "2027-02-01", "month"),
    ("sv", "Jag är föräldraledig till april.", "2027-04-01", "month"),
    # calendar weeks
    ("de", "Bitte in KW 12 noch einmal melden.", "2027-03-22", "week"),
    ("fr", "Rappelez-moi la semaine 12.", "2027-03-22", "week"),
    ("sv", "Återkom vecka 12.", "2027-03-22", "week"),
    ("da", "Vend tilbage i uge 12.", "2027-03-22", "week"),
    ("nl", "Bel me in week 12.", "2027-03-22", "week"),
    # spans and named periods
    ("de", "Fragen Sie in drei Monaten noch einmal nach.", "2027-02-22", "month"),
    ("fr", "Relancez-moi dans six mois.", "2027-05-24", "month"),
    ("it", "Riprovi tra due settimane.", "2026-12-07", "week"),
    ("es", "Llámeme la semana que viene.", "2026-11-23", "week"),
    ("pt", "Falamos no próximo trimestre.", "2027-01-04", "quarter"),
    ("no", "Ta kontakt neste år.", "2027-01-04", "year"),
    ("de", "Dieses Jahr nicht mehr, versuchen Sie es Anfang nächsten Jahres.", "2027-01-04",
     "year"),
    ("es", "No podremos hacer nada hasta el año que viene.", "2027-01-04", "year"),
    # seasons, holidays, fiscal years
    ("nl", "Bel me maar na de zomer.", "2027-09-01", "quarter"),
    ("da", "Lad os tage den efter sommeren.", "2027-09-01", "quarter"),
    ("es", "Escríbame después de Navidad.", "2027-01-04", "week"),
    ("de", "Nach Ostern haben wir wieder Zeit.", "2027-03-30", "week"),
    ("de", "Im neuen Geschäftsjahr haben wir wieder Budget.", "2027-01-04", "year"),
    # weekdays and tomorrow
    ("fr", "Appelez-moi jeudi.", "2026-11-26", "day"),
    ("it", "Ci sentiamo domani.", "2026-11-23", "day"),
]


@pytest.mark.parametrize(("lang", "text", "expected", "granularity"), CASES)
def test_time_hints_in_each_language(lang: str, text: str, expected: str,
                                     granularity: str) -> None:
    hint = extract_time_hint_intl(text, today=TODAY, language=lang)
    assert hint is not None, text
    assert within_tolerance(date.fromisoformat(expected), hint.checkback, granularity), (
        text, hint)
    assert text[hint.start:hint.end] == hint.phrase


def test_every_language_is_covered() -> None:
    assert {lang for lang, *_ in CASES} == {"de", "fr", "es", "it", "nl", "pt", "sv", "no",
                                              "da"}


@pytest.mark.parametrize(("lang", "text"), [
    ("es", "Por ahora no, más adelante quizá."),
    ("fr", "Plus tard, peut-être."),
    ("de", "Vielleicht irgendwann einmal."),
])
def test_vague_phrases_give_no_day(lang: str, text: str) -> None:
    hint = extract_time_hint_intl(text, today=TODAY, language=lang)
    assert hint is None or hint.checkback is None


def test_out_of_office_gets_its_return_date_through_analyze() -> None:
    u = analyze("Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich 14. Mai im Urlaub "
                "und habe keinen Zugriff auf meine E-Mails.", today=TODAY)
    assert u.label.value == "auto_reply" and u.language == "de"
    assert u.return_date == date(2027, 5, 18) and u.checkback == u.return_date


def test_a_contract_start_is_no_check_back_but_the_renewal_is() -> None:
    u = analyze("Thanks, but we just signed with another provider. Our contract with them "
                "starts in January, and we'll compare again before our renewal next November.",
                today=TODAY)
    assert u.checkback is not None
    assert date(2027, 9, 1) <= u.checkback < date(2027, 11, 1)


@pytest.mark.parametrize(("text", "when"), [
    ("Melden Sie sich bitte am 3. März wieder.", date(2027, 3, 3)),
    ("Je suis absente jusqu'au 9 octobre.", date(2027, 10, 11)),
    ("Rufen Sie in KW 12 noch einmal an.", date(2027, 3, 22)),
    ("Estoy de viaje hasta el 2 de junio.", date(2027, 6, 2)),
    ("Ci risentiamo a febbraio.", date(2027, 2, 1)),
])
def test_the_issues_phrases_get_their_date_through_analyze(text: str, when: date) -> None:
    assert analyze(text, today=TODAY).checkback == when
