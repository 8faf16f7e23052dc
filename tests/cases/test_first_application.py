"""A first application for a permit the person already holds in force is refused, naming the permit held
and the procedures that extend, renew or change it instead; a void, cancelled or expired permit, or one of
another type, does not stand in the way."""

from __future__ import annotations

import json
from datetime import date

import pytest

from case_helpers import client_for
from exitentry.cases import services
from exitentry.cases.models import Case
from exitentry.law.rules import holding
from exitentry.registry.models import Permit
from factories import TODAY, PermitFactory, actor, applicant, eligible_facts

pytestmark = pytest.mark.django_db


def start(user, procedure_id: str) -> Case:
    return services.start_case(
        actor(user),
        procedure_id=procedure_id,
        person=user.person,
        facts=eligible_facts(procedure_id),
        on=TODAY,
    )


def refusal(user, procedure_id: str) -> services.Refused:
    with pytest.raises(services.Refused) as refused:
        start(user, procedure_id)
    assert refused.value.field == "procedure"
    assert not Case.objects.filter(procedure_id=procedure_id).exists()
    return refused.value


def test_a_second_personal_affairs_permit_is_refused_naming_the_one_held_and_what_applies_instead():
    user = applicant()
    PermitFactory(
        person=user.person, number="E10000001", permit_type="private-affairs", valid_until=date(2027, 5, 31)
    )
    refused = refusal(user, "rp-personal-affairs")
    assert "No. E10000001, valid until 31 May 2027" in refused.message.en
    assert refused.message.en.endswith(
        "Apply instead for: Personal-affairs residence permit (extension); Residence permit renewal (any type)."
    )
    assert "编号E10000001，有效期至2027年5月31日" in refused.message.zh
    assert "“私人事务类居留许可（延期）”" in refused.message.zh
    assert "rp-" not in refused.message.en + refused.message.zh  # titles, never ids


@pytest.mark.parametrize("procedure_id", ["rp-personal-affairs", "rp-work"])
def test_a_permanent_resident_id_card_in_force_stands_in_the_way_of_a_residence_permit(procedure_id):
    user = applicant()
    PermitFactory(person=user.person, kind="pr-card", permit_type="", number="156DEU261102", valid_until=None)
    refused = refusal(user, procedure_id)
    assert "holds a permanent resident ID card in force: No. 156DEU261102" in refused.message.en
    assert "resides and works in China on the card" in refused.message.en
    assert "Beijing guide to foreign permanent residence" in refused.message.en
    assert (
        "外国人永久居留身份证" in refused.message.zh and "北京市外国人永久居留办事指南" in refused.message.zh
    )
    rule = holding.RESIDES_ON_PR_CARD_TEXT  # the law core's wording, with the guide it cites
    assert refused.message.en.endswith(f" {rule.en}.") and refused.message.zh.endswith(f"{rule.zh}。")
    page = client_for(user).get(f"/en/advisor/{procedure_id}/").content.decode()
    assert "A permanent resident ID card is held" in page


@pytest.mark.parametrize(
    "ended",
    [
        {"status": Permit.Status.VOID},
        {"status": Permit.Status.CANCELLED},
        {"valid_until": date(2026, 11, 1)},  # its last valid day was yesterday
    ],
)
def test_a_permanent_resident_id_card_no_longer_in_force_does_not_stand_in_the_way(ended):
    user = applicant()
    PermitFactory(person=user.person, **({"kind": "pr-card", "permit_type": ""} | ended))
    assert start(user, "rp-personal-affairs").state == "draft"


@pytest.mark.parametrize(
    "ended",
    [
        {"status": Permit.Status.VOID},
        {"status": Permit.Status.CANCELLED},
        {"valid_until": date(2026, 11, 1)},  # its last valid day was yesterday
        {"permit_type": "study"},  # another type of residence permit
    ],
)
def test_a_permit_no_longer_in_force_or_of_another_type_does_not_stand_in_the_way(ended):
    user = applicant()
    PermitFactory(person=user.person, **({"permit_type": "private-affairs"} | ended))
    assert start(user, "rp-personal-affairs").state == "draft"


def test_a_work_permit_held_stands_in_the_way_of_the_one_stop_service_which_points_to_renewal_and_transfer():
    user = applicant()
    PermitFactory(person=user.person, kind="work-permit", permit_type="", number="WP0000001")
    refused = refusal(user, "one-stop-work-permits")
    assert "No. WP0000001" in refused.message.en
    assert refused.message.en.endswith(
        "Apply instead for: Work permit and work-type residence permit together (one-stop service, extension); "
        "Work permit and work-type residence permit together (one-stop service, change of employer)."
    )
    assert start(user, "rp-work").state == "draft"  # the residence permit alone is not held


def test_a_work_type_residence_permit_held_stands_in_the_way_of_both_first_applications():
    user = applicant()
    PermitFactory(person=user.person, permit_type="work")
    assert "one-stop service, extension" in refusal(user, "rp-work").message.en
    assert "Residence permit renewal (any type)" in refusal(user, "one-stop-work-permits").message.en


def test_a_permanent_resident_card_held_points_to_its_renewal_and_change():
    user = applicant()
    PermitFactory(person=user.person, kind="pr-card", permit_type="", valid_until=date(2034, 1, 1))
    refused = refusal(user, "pr-application")
    assert refused.message.en.endswith(
        "Apply instead for: Foreign Permanent Resident ID Card (renewal on expiry); "
        "Foreign Permanent Resident ID Card (change of content)."
    )
    assert "renewal on expiry" in refusal(user, "pr-zhongguancun").message.en


def test_a_stay_permit_held_has_no_procedure_instead_so_the_hall_is_asked():
    user = applicant()
    PermitFactory(person=user.person, kind="stay-permit", permit_type="")
    refused = refusal(user, "stay-permit")
    assert refused.message.en.endswith("Ask at an exit-entry hall what applies instead.")
    assert refused.message.zh.endswith("请向出入境接待大厅咨询应办理的业务。")


def test_the_api_answers_422_on_the_procedure_in_both_languages():
    user = applicant()
    PermitFactory(person=user.person, permit_type="private-affairs", valid_until=date(2099, 1, 1))
    body = {"procedure": "rp-personal-affairs", "person_id": user.person.pk}
    body["facts"] = eligible_facts("rp-personal-affairs")
    response = client_for(user).post("/api/v1/cases", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["field"] == "procedure" and "already holds a valid permit" in detail["message"]
    assert "不能再次首次申请" in detail["message_zh"]
