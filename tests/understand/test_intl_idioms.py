"""Issue 11, third step: delivery-failure notices and a few everyday idioms in every language
notnow reads, the corpus's later batches, and the multilingual features.

The phrasings below are ours, written for this test (not in the training corpus).
"""

from __future__ import annotations

from datetime import date

import pytest

from notnow.core.model import Label
from notnow.understand import analyze, intl_corpus, rules_intl
from notnow.understand.features import featurize
from notnow.understand.textprep import lowered

TODAY = date(2026, 11, 22)

BOUNCES = [
    "Échec de la remise à ces destinataires : compta@exemple.fr",
    "Zustellung fehlgeschlagen. Die Nachricht an vertrieb@beispiel.de kam nicht an.",
    "Error de entrega: el mensaje a ventas@ejemplo.es no llegó.",
    "Le informamos de que la dirección ventas@ejemplo.es no existe en este servidor.",
    "Mancato recapito del messaggio a ordini@esempio.it.",
    "Bezorging mislukt voor inkoop@voorbeeld.nl.",
    "Falha na entrega da mensagem para vendas@exemplo.pt.",
    "Leveransen misslyckades till order@exempel.se.",
    "Leveringen mislyktes: meldingen til salg@eksempel.no kom ikke fram.",
    "Leveringsfejl: beskeden til salg@eksempel.dk kom ikke frem.",
]


@pytest.mark.parametrize("text", BOUNCES)
def test_delivery_failure_notices_are_auto_replies(text: str) -> None:
    assert any(h.label is Label.AUTO_REPLY for h in rules_intl.hard_hits(lowered(text)))
    assert analyze(text, today=TODAY).label is Label.AUTO_REPLY


IDIOMS = [
    (Label.NOT_NOW, "Darüber will ich erst einmal schlafen."),
    (Label.NOT_NOW, "Je vais y réfléchir, la nuit porte conseil."),
    (Label.NOT_NOW, "Ik wil er een nachtje over slapen."),
    (Label.NO_AUTHORITY, "Ce n'est pas moi qui décide, voyez avec la direction."),
    (Label.NO_AUTHORITY, "No soy yo quien decide estas compras."),
    (Label.NO_AUTHORITY, "Det er ikke jeg som bestemmer her."),
    (Label.PRICE, "Zum halben Preis vielleicht, so nicht."),
    (Label.PRICE, "Det blev for os lidt for dyrt."),
    (Label.PRICE, "Non credevo che costasse così tanto."),
    (Label.HAS_SOLUTION, "Wir sind mit unserem Dienstleister rundum zufrieden, danke."),
    (Label.HAS_SOLUTION, "Jeg er kjempefornøyd med avtalen jeg har."),
]


@pytest.mark.parametrize(("label", "text"), IDIOMS)
def test_everyday_idioms_are_cues_for_their_label(label: Label, text: str) -> None:
    assert label in {h.label for h in rules_intl.cue_hits(lowered(text))}


def test_no_corpus_phrasing_of_another_label_trips_a_new_bounce_rule() -> None:
    wrong = [p.text for p in intl_corpus.phrasings()
             if p.label is not Label.AUTO_REPLY
             and any(h.label is Label.AUTO_REPLY for h in rules_intl.hard_hits(lowered(p.text)))]
    assert wrong == []


def test_a_later_batch_leaves_the_earlier_rows_as_they_were() -> None:
    first = intl_corpus.rows(later=False)
    every = intl_corpus.rows()
    assert len(every) > len(first)
    # the rows of the first batches (as written, lower case, in an email) keep their order
    # and text: a new batch only appends (joins drawn per language may change)
    kept = [r.text for r in first if not r.source.startswith("notnow-authored: a ")]
    assert [r.text for r in every[:len(kept)]] == kept
    assert all(p.lang for p in intl_corpus.phrasings())
    assert {intl_corpus.files()[-1].stem.partition("_")[2]} <= set(intl_corpus.LATER_BATCHES)


@pytest.mark.parametrize(("text", "feature"), [
    ("Wir haben keinen Bedarf.", "¬bedarf"),
    ("Nous n'avons pas besoin de ça.", "¬besoin"),
    ("Vi har ikke brug for det.", "¬brug"),
    ("Não temos interesse.", "¬temos"),
])
def test_a_negation_in_any_language_marks_the_words_after_it(text: str, feature: str) -> None:
    assert feature in featurize(text)
