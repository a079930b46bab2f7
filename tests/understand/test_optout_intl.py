"""Opt-outs in every language notnow reads: the precise rules catch the common wordings, the
opt-out head backs them up, and nothing that is not an opt-out is called one by a rule.

The phrasings below are ours, written for this test (not in the training corpus).
"""

from __future__ import annotations

from datetime import date

import pytest

from notnow.core.model import Label
from notnow.understand import analyze, intl_corpus, rules_intl
from notnow.understand.encoder import HEAD_FILE, load_head
from notnow.understand.textprep import lowered

TODAY = date(2026, 11, 22)

OPT_OUTS = [
    ("de", "Hiermit untersage ich Ihnen, mich weiter zu kontaktieren."),
    ("de", "Ich möchte, dass Sie mich ab sofort in Ruhe lassen."),
    ("de", "Bitte löschen Sie alle meine Kontaktdaten aus Ihrem System."),
    ("de", "Von Ihnen will ich nie mehr etwas hören."),
    ("fr", "Ne m'écrivez plus, merci."),
    ("fr", "Je vous prie de supprimer toutes mes coordonnées."),
    ("fr", "Si vous me rappelez encore une fois, je porte plainte."),
    ("es", "No vuelvan a contactar conmigo, por favor."),
    ("es", "Pido la supresión de todos mis datos."),
    ("es", "No admitimos llamadas comerciales en este número."),
    ("it", "Non contattatemi mai più, grazie."),
    ("it", "Cancellate i miei dati dai vostri archivi."),
    ("nl", "Wilt u mij voortaan met rust laten?"),
    ("nl", "Haal mijn e-mailadres uit al uw bestanden."),
    ("pt", "Não precisa me ligar mais, obrigado."),
    ("pt", "Peço a eliminação de todos os meus dados."),
    ("sv", "Radera mina personuppgifter, tack."),
    ("sv", "Lämna oss i fred."),
    ("no", "Slett alle personopplysningene mine."),
    ("no", "Ikke ring flere ganger."),
    ("da", "Hold op med at skrive til mig."),
    ("da", "Lad være med at kontakte os igen."),
]


@pytest.mark.parametrize(("lang", "text"), OPT_OUTS)
def test_common_opt_out_wordings_are_caught(lang: str, text: str) -> None:
    u = analyze(text, today=TODAY)
    # a short reply may be told English on a guess: the opt-out is caught all the same
    assert u.language in (lang, "en")
    assert u.label is Label.DO_NOT_CONTACT, (text, u.label, u.confidence)
    assert u.checkback is None


@pytest.mark.parametrize("text", ["STOP", "Stopp.", "Parar", "Abmelden!", "Afmeld"])
def test_a_reply_that_is_only_stop_is_an_opt_out(text: str) -> None:
    assert any(h.label is Label.DO_NOT_CONTACT for h in rules_intl.hard_hits(lowered(text)))


@pytest.mark.parametrize("text", [
    "Lassen Sie mich das in Ruhe überlegen, ich melde mich.",
    "Stopp mal, worum geht es denn überhaupt?",
    "Was kostet das für zehn Leute? Schicken Sie mir bitte ein Angebot.",
    "Si vous me rappelez la semaine prochaine, on en parlera.",
    "Ring mig på torsdag, så pratar vi.",
])
def test_what_is_not_an_opt_out_is_not_one_by_rule(text: str) -> None:
    assert all(h.label is not Label.DO_NOT_CONTACT for h in rules_intl.hard_hits(lowered(text)))


def test_no_corpus_phrasing_of_another_label_trips_an_opt_out_rule() -> None:
    wrong = [p.text for p in intl_corpus.phrasings() if p.label is not Label.DO_NOT_CONTACT
             and any(h.label is Label.DO_NOT_CONTACT
                     for h in rules_intl.hard_hits(lowered(p.text)))]
    assert wrong == []


def test_the_opt_out_head_ships_with_calibrated_thresholds() -> None:
    head = load_head(HEAD_FILE)
    assert head.opt_out is not None and head.opt_out.shape == (head.mean.shape[0] + 1,)
    suspect, decide = head.meta["opt_out_suspect"], head.meta["opt_out_decide"]
    assert 0.0 < suspect <= decide <= 1.0


def test_a_suspected_opt_out_in_another_language_holds_the_contact() -> None:
    u = analyze("Woher haben Sie eigentlich meine Nummer? Ich habe kein Interesse.",
                today=TODAY)
    assert u.label is Label.DO_NOT_CONTACT or (u.opt_out_suspected and u.needs_review)
