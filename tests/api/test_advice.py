"""``/api/v1/facts`` and ``/api/v1/advice``: the advisor over HTTP, and every bad input as a named 4xx."""

from __future__ import annotations

from datetime import date

import pytest

import exitentry.api.advice
from factories import FAMILY_VISIT


def test_the_facts_come_with_their_questions_and_options(api) -> None:
    response = api.get("/facts")
    assert response.status_code == 200
    facts = {f["id"]: f for f in response.json()}
    assert facts["birth_date"]["type"] == "date"
    assert facts["birth_date"]["question"] == {
        "en": "What is the applicant's date of birth?",
        "zh": "申请人的出生日期是？",
    }
    assert [o["value"] for o in facts["ground"]["options"]] == [
        "family",
        "chinese-origin-property",
        "medical",
        "other-private-affairs",
    ]
    assert facts["age"]["derived_from"] == ["birth_date"]
    assert facts["ground"]["derived_from"] == []


def test_a_family_visit_aged_66_gets_complete_advice(api) -> None:
    response = api.post(
        "/advice", {"procedure": "rp-personal-affairs", "facts": FAMILY_VISIT, "on": "2026-09-24"}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["eligible"], body["missing_facts"]) == ("complete", True, [])
    assert body["on"] == "2026-09-24"
    assert body["fee_total_cny"] == 800  # two years: the 1-3 year band
    assert body["proxy_allowed"] is True  # aged 60 or over (Regulations Art. 19)
    assert [a["id"] for a in body["interview"]] == ["interview-on-request"]
    assert [(a["id"], a["due"]) for a in body["time_limits"]] == [
        ("processing", "2026-10-12"),
        ("receipt-validity", "2026-10-22"),
    ]
    assert [h["id"] for h in body["halls"]][:2] == ["reception-hall", "zhongguancun"]


def test_the_answer_has_the_shape_of_advice_as_dict_and_leaves_out_keys_that_do_not_apply(api) -> None:
    body = api.post(
        "/advice", {"procedure": "rp-personal-affairs", "facts": FAMILY_VISIT, "on": "2026-09-24"}
    ).json()
    passport = body["materials"][0]
    assert passport == {
        "id": "passport",
        "text": {
            "en": "A valid passport or other international travel document",
            "zh": "有效护照或其他国际旅行证件",
        },
        "why": None,
        "condition": "always",
        "cite": passport["cite"],
        "provisional": False,
    }
    assert set(body) == {
        "procedure", "on", "status", "eligible", "missing_facts", "fee_total_cny",
        "fee_due_at_acceptance_cny", "proxy_allowed", "provisional", "eligibility", "materials", "fees", "time_limits", "submission", "interview",
        "health", "translation", "obligations", "notes", "pending", "halls", "where",
    }  # fmt: skip


def test_missing_facts_are_listed_with_their_questions(api) -> None:
    body = api.post("/advice", {"procedure": "rp-personal-affairs", "facts": {}, "on": "2026-11-23"}).json()
    assert body["status"] == "needs-facts"
    assert body["eligible"] is None
    assert body["missing_facts"][0]["id"] == "household_registration_in_china"
    assert body["fee_total_cny"] is None


def test_materials_waiting_on_an_answer_are_pending_with_when_they_are_needed_and_the_facts_they_wait_for(
    api,
) -> None:
    """Neither required nor dropped: each pending material says when it is needed (its rule's reason) and
    which of the missing facts decide it, in the order they are asked; answered, nothing is pending."""
    known = {"household_registration_in_china": False, "ground": "family", "birth_date": "1960-05-01"}
    body = api.post("/advice", advice(facts=known)).json()
    pending = {a["id"]: a for a in body["pending"]}
    health = pending["health-certificate"]
    assert health["waits_for"] == ["validity"]  # the applicant is over 18: only the validity decides it
    assert "more than 1 year" in health["why"]["en"] and "超过1年" in health["why"]["zh"]
    assert health["cite"] and "health-certificate" not in {a["id"] for a in body["materials"]}
    asked = [f["id"] for f in body["missing_facts"]]
    authentication = pending["consular-authentication"]["waits_for"]
    assert (
        authentication
        == sorted(authentication, key=asked.index)
        == ["visa_category", "documents_issued_abroad"]
    )
    assert {f for a in body["pending"] for f in a["waits_for"]} <= set(asked)
    answered = api.post("/advice", advice(facts=FAMILY_VISIT)).json()
    assert answered["status"] == "complete" and answered["pending"] == []
    assert "waits_for" not in answered["materials"][0]


def test_without_a_date_the_advice_is_for_today_in_beijing(api, monkeypatch) -> None:
    monkeypatch.setattr(exitentry.api.advice, "beijing_today", lambda: date(2026, 11, 23))
    body = api.post("/advice", {"procedure": "rp-personal-affairs", "facts": {"validity": "P1Y"}}).json()
    assert body["on"] == "2026-11-23"


def advice(**body):
    return {"procedure": "rp-personal-affairs", "facts": {}, "on": "2026-11-23", **body}


@pytest.mark.parametrize(
    ("body", "status", "field", "words"),
    [
        pytest.param(advice(procedure="rp-nothing"), 404, "procedure", "no procedure 'rp-nothing'",
                     id="an unknown procedure is a 404 naming the procedure"),
        pytest.param(advice(facts={"shoe_size": 42}), 422, "facts.shoe_size", "not a fact the rules know",
                     id="an unknown fact is named"),
        pytest.param(advice(facts={"age": 30}), 422, "facts.age", "not a fact the rules know",
                     id="a derived fact cannot be given directly"),
        pytest.param(advice(facts={"ground": "tourism"}), 422, "facts.ground", "expected one of family",
                     id="a value outside a fact's options is refused"),
        pytest.param(advice(facts={"validity": "two years"}), 422, "facts.validity", "is not a duration",
                     id="a malformed duration is refused"),
        pytest.param(advice(facts={"birth_date": "1990-02-30"}), 422, "facts.birth_date", "is not a real date",
                     id="an impossible birth date is refused"),
        pytest.param(advice(facts={"birth_date": "2030-01-01"}), 422, "facts.birth_date", "after the date of the advice",
                     id="a birth date after the advice date is refused"),
        pytest.param(advice(facts={"limited_mobility": "maybe"}), 422, "facts.limited_mobility", "expected yes or no",
                     id="a yes-or-no fact refuses other words"),
        pytest.param(advice(on="2026-02-30"), 422, "on", "day value is outside expected range",
                     id="an impossible advice date is refused"),
        pytest.param(advice(on="2020-01-01"), 422, "on", "no rules are in force for it on 2020-01-01",
                     id="a date before the procedure is in force is refused with the dates it covers"),
        pytest.param(advice(facts=["ground"]), 422, "facts", "valid dictionary",
                     id="facts must be an object"),
        pytest.param({"facts": {}}, 422, "procedure", "Field required", id="the procedure is required"),
        pytest.param(advice(fact={}), 422, "fact", "Extra inputs are not permitted",
                     id="a misspelt top-level key is refused rather than ignored"),
        pytest.param("{not json", 400, "body", "not valid JSON", id="a body that is not JSON is a 400"),
        pytest.param("[1, 2]", 422, "body", "valid dictionary", id="a body that is not an object is refused"),
    ],
)  # fmt: skip
def test_bad_input_is_a_4xx_naming_the_field_and_why(api, body, status, field, words) -> None:
    response = api.post("/advice", body)
    got_status, fields, message = api.problem(response)
    assert (got_status, fields) == (status, [field])
    assert words in message
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_a_malformed_length_tells_an_api_client_iso_8601_in_both_languages(api) -> None:
    """The API takes a length as ISO 8601, as documented, and says so in its own message (people, on the
    pages, are told years, months and days instead)."""
    response = api.post("/advice", {"procedure": "rp-personal-affairs", "facts": {"validity": "two years"}})
    (detail,) = response.json()["detail"]
    assert (response.status_code, detail["field"]) == (422, "facts.validity")
    assert "P1Y, P6M, P2Y6M or P180D" in detail["message"]
    assert detail["message_zh"] == "期限须为ISO 8601格式，如P1Y、P6M、P2Y6M或P180D。"
