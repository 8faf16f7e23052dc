"""Names and notes people type: refused when empty, only spaces or holding control characters, stored
and compared in Unicode NFC, and refused with the limit (never cut) when too long."""

from __future__ import annotations

import json
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from case_helpers import accepted, client_for
from exitentry.accounts.models import Role
from exitentry.cases import services
from exitentry.registry.models import Person
from exitentry.typed_text import normal, problem
from factories import TODAY, UnitFactory, UserFactory, applicant, eligible_facts

pytestmark = pytest.mark.django_db
DECOMPOSED = unicodedata.normalize("NFD", "Müller")  # "u" + combining diaeresis


def person_body(surname: str, **more) -> dict:
    return {
        "procedure": "rp-work",
        "person": {"surname": surname, "sex": "F", "birth_date": "1990-03-04", "nationality": "DEU", **more},
        "facts": eligible_facts("rp-work") | {"birth_date": "1990-03-04"},
    }


def start(surname: str, **more):
    handler = UserFactory(role=Role.UNIT, unit=UnitFactory())
    return client_for(handler).post(
        "/api/v1/cases", json.dumps(person_body(surname, **more)), content_type="application/json"
    )


@pytest.mark.parametrize(
    ("surname", "says"),
    [
        ("   ", "cannot be empty or only spaces"),
        ("\u3000\t", "cannot be empty or only spaces"),
        ("Mül\x00ler", "control or invisible formatting characters (character U+0000)"),
        ("Mül\u202eler", "(character U+202E)"),  # a right-to-left override turns the name around on screen
        ("M" * 101, "up to 100 characters in this field (101 given)"),  # registry.names.LIMIT
    ],
    ids=["spaces", "ideographic space and tab", "NUL", "bidi override", "too long"],
)
def test_a_name_that_is_no_name_is_refused_over_the_api_and_nothing_is_stored(surname, says) -> None:
    r = start(surname)
    assert r.status_code == 422, r.content
    (item,) = r.json()["detail"]
    assert item["field"] == "person.surname" and says in item["message"]
    assert not Person.objects.exists()


def test_a_name_is_stored_in_nfc_and_found_however_it_was_typed() -> None:
    assert start(DECOMPOSED, given_names="  José ").status_code == 201
    person = Person.objects.get()
    assert person.surname == "Müller" == unicodedata.normalize("NFC", person.surname)
    assert person.given_names == "José"
    assert Person.objects.filter(surname=DECOMPOSED).get() == person  # compared in NFC too


def test_names_in_arabic_persian_and_devanagari_keep_their_joiners() -> None:
    for name in ("عبد\u200dالله", "می\u200cخواهم", "क्\u200dष"):
        assert problem(normal(name), limit=100) is None


def test_the_web_form_refuses_a_name_with_a_control_character() -> None:
    from exitentry.web.person_form import NewPersonForm

    form = NewPersonForm(
        data={
            "person-surname": "Mül\x07ler",
            "person-sex": "F",
            "person-birth_date": "1990-03-04",
            "person-nationality": "DEU",
        }
    )
    assert not form.is_valid() and "surname" in form.errors


def test_an_over_long_exemption_reason_is_refused_with_its_limit_not_cut() -> None:
    case, clerk = accepted(applicant(), "rp-personal-affairs")
    with pytest.raises(services.Refused, match=r"at most 300 characters \(301 given\)") as refused:
        services.exempt_fee(clerk, case, "x" * 301, on=TODAY)
    assert "最多300个字符" in refused.value.message.zh
    assert not type(case).objects.filter(pk=case.pk, fee_exemption__isnull=False).exists()


def test_a_payment_method_outside_the_fixed_list_is_refused_and_the_list_is_in_the_schema() -> None:
    case, clerk = accepted(applicant(), "rp-personal-affairs")
    with pytest.raises(services.Refused, match="not a way to pay at the hall") as refused:
        services.record_payment(clerk, case, 1, "<script>alert(1)</script>", on=TODAY)
    assert refused.value.field == "method" and "现金" in refused.value.message.zh
    assert not case.payments.exists()
    schema = client_for(None).get("/api/v1/openapi.json").json()["components"]["schemas"]
    method = schema["PaymentIn"]["properties"]["method"]
    enum = method.get("enum") or schema[method["$ref"].rsplit("/", 1)[1]]["enum"]
    assert enum == ["cash", "card", "mobile", "transfer"]


@given(st.text(max_size=40))
def test_normal_is_idempotent_and_nfc(value) -> None:
    once = normal(value)
    assert normal(once) == once and unicodedata.is_normalized("NFC", once)


def test_a_model_error_reads_in_english_and_in_chinese() -> None:
    from django.utils import translation

    person = Person(surname="  ", sex="F", birth_date="1990-03-04", nationality="DEU")
    with pytest.raises(ValidationError) as raised:
        person.full_clean()
    with translation.override("en"):
        assert "cannot be empty" in raised.value.message_dict["surname"][0]
    with translation.override("zh-hans"):
        assert "不能为空" in raised.value.message_dict["surname"][0]
