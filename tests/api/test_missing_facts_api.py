"""``POST /cases/{id}/missing-facts``: the counter records the answers a rule came to need after the case was
filed, as the hall case page does: only the hall's officers and supervisors (the filer 403, another hall 404,
the second factor first), each value checked by the law core (422 naming the fact, in both languages), the
filer's answers untouched, and the change audited with the facts before and after."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from case_helpers import (
    COUNTER_HALL,
    COUNTER_PROCEDURE,
    client_for,
    filed_before_a_fact_was_needed,
    hall_receives,
    started,
)
from exitentry.accounts.audit import AuditEntry
from exitentry.accounts.models import Role
from exitentry.cases.models import Case
from factories import PersonFactory, UnitFactory, UserFactory, actor, eligible_facts, officer

pytestmark = pytest.mark.django_db


def record(client: Client, case: Case, facts: dict):
    body = json.dumps({"facts": facts})
    return client.post(f"/api/v1/cases/{case.pk}/missing-facts", body, content_type="application/json")


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR])
def test_the_hall_records_the_missing_answer_and_it_is_audited(role) -> None:
    case = filed_before_a_fact_was_needed()
    answer = record(client_for(officer(COUNTER_HALL, role=role)), case, {"validity": "P2Y"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["facts"]["validity"] == "P2Y" and answer.json()["id"] == case.pk
    case.refresh_from_db()
    assert case.facts["validity"] == "P2Y"
    entry = AuditEntry.objects.get(action="case.record_facts", object_id=str(case.pk))
    assert "validity" not in entry.old["facts"] and entry.new["facts"]["validity"] == "P2Y"


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"validity": "two years"}, "facts.validity"),  # a value the law core refuses
        ({}, "facts.validity"),  # no answer: the one the rules still ask for is named
        (
            {"validity": "P2Y", "household_registration_in_china": True},
            "facts.household_registration_in_china",
        ),
    ],
)
def test_a_refused_answer_is_422_naming_the_fact_in_both_languages(facts, field) -> None:
    case = filed_before_a_fact_was_needed()
    before = dict(case.facts)
    answer = record(client_for(officer(COUNTER_HALL)), case, facts)
    assert answer.status_code == 422, answer.content
    (problem,) = answer.json()["detail"]
    assert problem["field"] == field
    assert problem["message"] and problem["message_zh"] and problem["message"] != problem["message_zh"]
    case.refresh_from_db()
    assert case.facts == before
    assert not AuditEntry.objects.filter(action="case.record_facts").exists()


def test_the_filer_may_not_another_hall_does_not_see_it_and_the_second_factor_comes_first() -> None:
    case = filed_before_a_fact_was_needed()
    assert record(client_for(case.submitted_by), case, {"validity": "P2Y"}).status_code == 403
    elsewhere = record(client_for(officer("shijingshan")), case, {"validity": "P2Y"})
    assert elsewhere.status_code == 404 and elsewhere.json()["detail"][0]["field"] is None
    pending = Client()
    pending.force_login(officer(COUNTER_HALL))  # the password only
    refused = record(pending, case, {"validity": "P2Y"})
    assert refused.status_code == 403 and "second-factor" in refused.json()["detail"][0]["message"]
    assert record(Client(), case, {"validity": "P2Y"}).status_code == 401
    case.refresh_from_db()
    assert "validity" not in case.facts


def test_the_case_says_what_the_rules_still_need_until_the_counter_records_it() -> None:
    case = filed_before_a_fact_was_needed()
    clerk = officer(COUNTER_HALL)
    hall_receives(actor(clerk), case, present=False)
    client = client_for(clerk)
    read = client.get(f"/api/v1/cases/{case.pk}")
    assert read.status_code == 200, read.content  # not the one-time list's refusal
    [needed] = read.json()["missing_facts"]
    assert needed["id"] == "validity" and needed["question"]["en"] and needed["question"]["zh"]
    assert read.json()["outstanding"] is None  # no one-time list while an answer is missing
    done = record(client, case, {"validity": "P2Y"}).json()
    assert done["missing_facts"] == [] and "health-certificate" in {x["id"] for x in done["outstanding"]}


@pytest.mark.parametrize("state", ["refused", "approved", "withdrawn", "expired"])
def test_a_case_past_the_counter_still_needs_no_answer(state) -> None:
    """Outside the states the counter records answers in (``record_facts``) the case needs none: a decided,
    withdrawn or expired case does not say it "still needs" one, on the API as on the page."""
    case = filed_before_a_fact_was_needed()
    Case.objects.filter(pk=case.pk).update(state=state)
    clerk = client_for(officer(COUNTER_HALL))
    read = clerk.get(f"/api/v1/cases/{case.pk}")
    assert read.status_code == 200, read.content
    assert read.json()["missing_facts"] == []
    page = clerk.get(f"/en/console/cases/{case.pk}/").content.decode()
    assert "record_facts" not in page


def test_a_drafts_filer_reads_the_facts_the_rules_still_need_to_answer_them() -> None:
    """A draft's missing facts are its filer's to give (``PATCH /cases/{id}/facts``): the case lists them."""
    unit_user = UserFactory(role=Role.UNIT, unit=UnitFactory())
    facts = {k: v for k, v in eligible_facts(COUNTER_PROCEDURE).items() if k != "validity"}
    case = started(unit_user, COUNTER_PROCEDURE, person=PersonFactory(), facts=facts)
    read = client_for(unit_user).get(f"/api/v1/cases/{case.pk}")
    assert read.status_code == 200, read.content
    assert [f["id"] for f in read.json()["missing_facts"]] == ["validity"]
