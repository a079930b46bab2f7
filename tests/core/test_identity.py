"""One normal form per identity: an opt-out given under one spelling holds under every other
(properties over generated addresses, numbers and profiles)."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from notnow.core.identity import (
    IdentityKind,
    digest,
    identities,
    normal_email,
    normal_linkedin,
    normal_phone,
)

LETTERS = "abcdefghijklmnopqrstuvwxyz"
local_parts = st.text(LETTERS + "0123456789._-", min_size=1, max_size=20).filter(
    lambda t: t[0] not in "._-")
labels = st.text(LETTERS + "0123456789", min_size=1, max_size=12)
unicode_labels = st.sampled_from(["bücher", "münchen", "café", "straße", "ñandú", "zürich",
                                  "español", "δοκιμή", "пример"])
tlds = st.sampled_from(["com", "de", "fr", "co.uk", "example", "org"])


@st.composite
def addresses(draw: st.DrawFn) -> tuple[str, str]:
    """An address and its domain, the domain possibly international."""
    domain = f"{draw(st.one_of(labels, unicode_labels))}.{draw(tlds)}"
    return f"{draw(local_parts)}@{domain}", domain


def _case(draw: st.DrawFn, text: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(ch.upper() if flip else ch for ch, flip in zip(text, flips, strict=True))


@st.composite
def spellings(draw: st.DrawFn) -> tuple[str, str]:
    """The same address written two ways a person (or a mail client) would write it."""
    address, domain = draw(addresses())
    local = address.rsplit("@", 1)[0]
    ascii_domain = domain.encode("idna").decode("ascii")
    other = f"{local}@{draw(st.sampled_from([domain, ascii_domain]))}"
    other = _case(draw, other)
    if draw(st.booleans()):
        other = f"mailto:{other}"
    elif draw(st.booleans()):
        other = f"{draw(st.sampled_from(['Dana Ruiz', '“R., Dana”', 'x']))} <{other}>"
    if draw(st.booleans()):
        other = f"  {other}\t"
    if draw(st.booleans()):
        tag = draw(st.text(LETTERS, min_size=1, max_size=6))
        head, tail = other.rsplit("@", 1)
        other = f"{head}+{tag}@{tail}"
    return address, other


@given(spellings())
def test_every_spelling_of_an_address_is_one_address(pair: tuple[str, str]) -> None:
    address, other = pair
    assert normal_email(address) is not None
    assert normal_email(other) == normal_email(address)


@given(addresses())
def test_the_normal_form_is_ascii_lower_case_and_a_fixed_point(pair: tuple[str, str]) -> None:
    found = normal_email(pair[0])
    assert found is not None and found == found.lower() and found.isascii()
    assert normal_email(found) == found


@given(addresses(), addresses())
def test_different_addresses_stay_different(a: tuple[str, str], b: tuple[str, str]) -> None:
    if a[0].lower().split("+")[0] != b[0].lower().split("+")[0]:
        left, right = normal_email(a[0]), normal_email(b[0])
        assert left != right or a[1].encode("idna") == b[1].encode("idna")


@pytest.mark.parametrize("text", ["", "dana", "dana@", "@acme.com", "dana@acme", "a@b@c.com",
                                  "mailto:", "<>"])
def test_what_is_not_an_address(text: str) -> None:
    assert normal_email(text) is None


REGIONS = ["US", "FR", "GB", "DE", "ES", "IT", "SE", "AU", "CA", "NL", "BR", "JP"]


@st.composite
def numbers(draw: st.DrawFn) -> tuple[str, phonenumbers.PhoneNumber]:
    region = draw(st.sampled_from(REGIONS))
    kind = draw(st.sampled_from([phonenumbers.PhoneNumberType.FIXED_LINE,
                                 phonenumbers.PhoneNumberType.MOBILE]))
    example = phonenumbers.example_number_for_type(region, kind) or \
        phonenumbers.example_number(region)
    assert example is not None
    # vary the last digits: another number of the same plan (kept only when valid)
    national = str(example.national_number)
    tail = draw(st.text("0123456789", min_size=2, max_size=2))
    number = phonenumbers.parse(f"+{example.country_code}{national[:-2]}{tail}", None)
    assume(phonenumbers.is_valid_number(number))
    return region, number


FORMATS = [phonenumbers.PhoneNumberFormat.E164, phonenumbers.PhoneNumberFormat.INTERNATIONAL,
           phonenumbers.PhoneNumberFormat.NATIONAL]


@settings(max_examples=200)
@given(numbers(), st.sampled_from(FORMATS), st.sampled_from(FORMATS),
       st.sampled_from(["", ".", "-", " ", "  "]))
def test_a_number_in_any_format_of_the_accounts_country_is_one_number(
        pair: tuple[str, phonenumbers.PhoneNumber], first: int, second: int,
        separator: str) -> None:
    region, number = pair
    a = phonenumbers.format_number(number, first)
    b = phonenumbers.format_number(number, second)
    if separator:
        b = b.replace(" ", separator)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    assert normal_phone(a, region) == normal_phone(b, region) == e164
    assert normal_phone(e164.replace("+", "00", 1), region) == e164
    assert normal_phone(e164, None) == e164  # written in full, it needs no country


@pytest.mark.parametrize(("raw", "country", "expected"), [
    ("01 23 45 67 89", "FR", "+33123456789"),
    ("+33 (0)1 23 45 67 89", None, "+33123456789"),
    ("(415) 555-0132", "US", "+14155550132"),
    ("415.555.0132", "us", "+14155550132"),
    ("020 7946 0018", "UK", "+442079460018"),
    ("12345", "FR", None),
    ("call me", "FR", None),
])
def test_phone_examples(raw: str, country: str | None, expected: str | None) -> None:
    assert normal_phone(raw, country) == expected


handles = st.text(LETTERS + "0123456789-", min_size=3, max_size=30).filter(
    lambda h: h.strip("-") == h)


@given(handles, st.sampled_from(["https://", "http://", ""]),
       st.sampled_from(["www.", "", "fr.", "m.", "de."]), st.sampled_from(["in", "pub"]),
       st.sampled_from(["", "/", "/?trk=public_profile", "/details/experience/", "#about"]),
       st.booleans())
def test_every_form_of_a_profile_url_is_one_profile(handle: str, scheme: str, host: str,
                                                     kind: str, tail: str, shout: bool) -> None:
    url = f"{scheme}{host}linkedin.com/{kind}/{handle.upper() if shout else handle}{tail}"
    assert normal_linkedin(url) == f"in/{handle.lower()}"


def test_profile_examples() -> None:
    assert normal_linkedin("https://www.linkedin.com/in/luc%C3%ADa-p") == "in/lucía-p"
    assert normal_linkedin("https://www.linkedin.com/company/Acme-Corp/") == "company/acme-corp"
    assert normal_linkedin("https://example.com/in/dana") is None
    assert normal_linkedin("dana ruiz") is None


@given(spellings(), st.binary(min_size=16, max_size=32))
def test_the_list_keeps_one_keyed_hash_per_person_never_the_address(
        pair: tuple[str, str], key: bytes) -> None:
    address, other = pair
    [a] = identities(email=address)
    [b] = identities(email=other)
    assert a.kind == IdentityKind.EMAIL
    assert digest(key, a) == digest(key, b)
    assert len(digest(key, a)) == 64 and "@" not in digest(key, a)
    assert digest(key + b"x", a) != digest(key, a)
