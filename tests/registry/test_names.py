"""A person's name holds letters of any script, spaces, hyphens, apostrophes, periods and middle dots, at
most 100 characters a part (a full name as the passport's visual zone prints it): refused otherwise, in both languages, on every way in (API, web form, model)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from case_helpers import client_for
from exitentry.accounts.models import Role
from exitentry.registry.models import Person
from factories import UserFactory, eligible_facts

pytestmark = pytest.mark.django_db
ODD = "O'Brien 😀 <i>x</i>"
LONG = "Zoë" + "A" * 300


def person(**names) -> Person:
    return Person(sex="F", birth_date="1990-03-04", nationality="DEU", **{"surname": "Li"} | names)


@pytest.mark.parametrize(
    "names",
    [
        {"surname": "Nguyễn", "given_names": "Thị Minh-Anh"},
        {"surname": "O’Brien", "given_names": "Zoë J."},
        {"surname": "王", "given_names": "小明", "chinese_name": "安娜·施密特"},
        {"surname": "عبد\u200dالله", "given_names": "क्\u200dष"},
        {"surname": "A" * 100, "given_names": "B" * 100, "chinese_name": "王" * 100},
    ],
    ids=["accents", "apostrophe and period", "chinese", "joiners", "at the limit"],
)
def test_names_of_any_script_are_taken(names) -> None:
    person(**names).full_clean()


@pytest.mark.parametrize(
    ("names", "field", "en", "zh"),
    [
        ({"surname": ODD}, "surname", "remove “😀”", "请删除“😀”"),
        ({"given_names": "Ann <b>"}, "given_names", "remove “<”", "请删除“<”"),
        ({"given_names": "Ann2"}, "given_names", "remove “2”", "请删除“2”"),
        (
            {"given_names": LONG},
            "given_names",
            "up to 100 characters in this field (303 given)",
            "最多可登记100个字符（现为303个）",
        ),
        ({"chinese_name": "王" * 101}, "chinese_name", "up to 100 characters", "最多可登记100个字符"),
    ],
    ids=["emoji and markup", "markup", "digit", "too long", "chinese too long"],
)
def test_a_name_that_is_no_name_is_refused_by_the_model_in_both_languages(names, field, en, zh) -> None:
    with pytest.raises(ValidationError) as raised:
        person(**names).full_clean()
    with translation.override("en"):
        assert en in raised.value.message_dict[field][0]
    with translation.override("zh-hans"):
        assert zh in raised.value.message_dict[field][0]


def test_the_api_refuses_an_odd_name_and_stores_nobody() -> None:
    handler = UserFactory(role=Role.PROXY)
    body = {
        "procedure": "rp-work",
        "person": {"surname": ODD, "given_names": LONG, "sex": "F", "birth_date": "1990-03-04"}
        | {"nationality": "DEU"},
        "facts": eligible_facts("rp-work") | {"birth_date": "1990-03-04"},
    }
    r = client_for(handler).post("/api/v1/cases", json.dumps(body), content_type="application/json")
    assert r.status_code == 422, r.content
    said = {item["field"]: item["message"] for item in r.json()["detail"]}
    assert "remove “😀”" in said["person.surname"] and "up to 100 characters" in said["person.given_names"]
    assert not Person.objects.exists()


def test_the_web_form_shows_each_name_error_beside_its_field_in_chinese() -> None:
    from exitentry.web.person_form import NewPersonForm

    data = {"person-surname": ODD, "person-given_names": LONG, "person-sex": "F"}
    data |= {"person-birth_date": "1990-03-04", "person-nationality": "DEU"}
    with translation.override("zh-hans"):
        form = NewPersonForm(data=data)
        assert not form.is_valid()
        assert "请删除“😀”" in form.errors["surname"][0]
        assert "最多可登记100个字符（现为303个）" in form.errors["given_names"][0]


def test_a_69_character_name_from_a_passport_is_taken_on_the_web_form() -> None:
    from exitentry.web.person_form import NewPersonForm

    surname = "Wolfeschlegelsteinhausenbergerdorff-Hubert Blaine Wolfeschlegelsteinn"
    assert len(surname) == 69
    data = {"person-surname": surname, "person-given_names": "Adolph Blaine Charles David Earl"}
    data |= {"person-sex": "M", "person-birth_date": "1990-03-04", "person-nationality": "DEU"}
    form = NewPersonForm(data=data)
    assert form.is_valid(), form.errors
    person = form.save()
    person.refresh_from_db()
    assert person.surname == surname


def test_initials_give_the_surname_first_then_each_given_name_as_a_public_notice_and_a_check_show_them():
    assert Person(surname="Schmidt", given_names="Anna Beate").initials == "S. A. B."
    assert Person(surname="van der Berg", given_names="Jan").initials == "V. J."


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "as the passport's data page prints it, in Latin letters"),
        ("zh-hans", "请按护照资料页所印的拉丁字母填写"),
    ],
)
def test_the_as_in_passport_names_take_latin_letters_and_the_chinese_name_its_own_field(lang, says) -> None:
    from exitentry.web.person_form import NewPersonForm

    data = {"person-surname": "施密特", "person-given_names": "Anna", "person-chinese_name": "施密特"}
    data |= {"person-sex": "F", "person-birth_date": "1990-03-04", "person-nationality": "DEU"}
    with translation.override(lang):
        form = NewPersonForm(data=data)
        assert not form.is_valid()
        assert says in form.errors["surname"][0] and "chinese_name" not in form.errors
    latin = data | {"person-surname": "Nguyễn-O’Brien", "person-given_names": "Zoë J."}
    assert NewPersonForm(data=latin).is_valid()


def test_a_name_as_in_the_passport_keeps_its_modifier_letters() -> None:
    """The Uzbek Latin ʻ (U+02BB) and ʼ (U+02BC) are letters of Latin names (category Lm)."""
    from exitentry.registry import names

    assert names.not_as_in_passport("Oʻzbekova") is None and names.not_as_in_passport("Qurʼon") is None
    assert names.not_as_in_passport("Иванова") is not None
