"""Language detection: the ten languages notnow reads, others named, nothing guessed."""

from __future__ import annotations

import pytest

from notnow.understand.language import SUPPORTED, detect


@pytest.mark.parametrize(("text", "code"), [
    ("We'll pass for now, thanks for thinking of us.", "en"),
    ("Wir haben leider keinen Bedarf, trotzdem vielen Dank.", "de"),
    ("Merci, mais nous avons déjà un prestataire.", "fr"),
    ("Gracias, pero ahora mismo no tenemos presupuesto.", "es"),
    ("Grazie, ma per il momento non ci interessa.", "it"),
    ("Bedankt, maar we hebben hier geen budget voor.", "nl"),
    ("Obrigado, mas não temos interesse neste momento.", "pt"),
    ("Tack, men vi har redan en leverantör.", "sv"),
    ("Takk, men vi har ikke behov for dette nå.", "no"),
    ("Tak, men vi har ikke brug for det lige nu.", "da"),
])
def test_each_supported_language_is_told_apart(text: str, code: str) -> None:
    found = detect(text)
    assert found.code == code and found.supported and found.confidence >= 0.5


@pytest.mark.parametrize(("text", "code"), [
    ("Dziękuję, ale nie jestem zainteresowany.", "pl"),
    ("Kiitos, mutta emme tarvitse tätä nyt.", "fi"),
    ("谢谢，我们目前不需要。", "zh"),
    ("ありがとうございます。今は必要ありません。", "ja"),
    ("Спасибо, нам это не интересно.", "ru"),
])
def test_other_languages_are_named_and_not_supported(text: str, code: str) -> None:
    found = detect(text)
    assert found.code == code and not found.supported


def test_no_words_no_language_and_plain_short_ascii_is_english() -> None:
    assert detect("12345 !!!").code is None
    assert detect("Nope.").code == "en"
    assert set(SUPPORTED) == {"en", "de", "fr", "es", "it", "nl", "pt", "sv", "no", "da"}
