"""The units' rosters kept filled: a case an employer or school filed that ends in a work-type or study
residence permit (or the one-stop work permit) being issued puts the person on that unit's roster, once;
an agency's case, a family permit, or a person already there change nothing."""

from __future__ import annotations

import pytest

from case_helpers import approval_validity, hall_accepts, hall_receives, submitted, upload_everything
from exitentry.accounts.models import AuditEntry, Role, Unit
from exitentry.cases import lifecycle, services
from exitentry.law.catalog import catalog
from exitentry.registry.models import Affiliation
from factories import TODAY, PersonFactory, UnitFactory, UserFactory, actor, applicant, officer

pytestmark = pytest.mark.django_db


def issued_by(handler, procedure_id: str, person=None):
    """A case ``handler`` filed for ``person``, approved and issued on TODAY."""
    case = submitted(handler, procedure_id, person=person or PersonFactory())
    clerk = actor(officer(case.hall_id))
    if lifecycle.has_pre_examination(catalog().procedure(procedure_id)):
        services.pre_examine(clerk, case, on=TODAY)
    hall_receives(clerk, case, on=TODAY)
    upload_everything(handler, case)
    hall_accepts(clerk, case, on=TODAY)
    services.decide(clerk, case, "approved", validity=approval_validity(case, TODAY), on=TODAY)
    return services.issue(clerk, case, on=TODAY)


def handler_of(kind: str):
    return UserFactory(role=Role.UNIT, unit=UnitFactory(kind=kind))


def places(person) -> list[tuple[int, str, object, object]]:
    return list(person.affiliations.values_list("unit_id", "relation", "started_on", "ended_on"))


def test_an_employer_whose_work_permit_case_is_issued_gets_the_person_on_its_roster_as_an_employee():
    hr = handler_of(Unit.Kind.EMPLOYER)
    case = issued_by(hr, "rp-work")
    assert places(case.person) == [(hr.unit_id, "employee", TODAY, None)]
    entry = AuditEntry.objects.get(action="roster.join")
    assert entry.new == {
        "person": case.person_id,
        "unit": hr.unit_id,
        "relation": "employee",
        "since": "2026-11-02",
    }


def test_a_school_whose_study_permit_case_is_issued_gets_a_student():
    registrar = handler_of(Unit.Kind.SCHOOL)
    case = issued_by(registrar, "rp-study")
    assert places(case.person) == [(registrar.unit_id, "student", TODAY, None)]


def test_the_one_stop_work_permits_put_the_person_on_the_employers_roster_once():
    hr = handler_of(Unit.Kind.EMPLOYER)
    case = issued_by(hr, "one-stop-work-permits")
    assert sorted(case.person.permits.values_list("kind", flat=True)) == ["residence-permit", "work-permit"]
    assert places(case.person) == [(hr.unit_id, "employee", TODAY, None)]


def test_a_person_already_on_the_roster_keeps_the_place_they_have():
    hr = handler_of(Unit.Kind.EMPLOYER)
    person = PersonFactory()
    Affiliation.objects.create(
        person=person, unit=hr.unit, relation="employee", started_on=TODAY.replace(year=2024)
    )
    issued_by(hr, "rp-work", person=person)
    assert places(person) == [(hr.unit_id, "employee", TODAY.replace(year=2024), None)]
    assert not AuditEntry.objects.filter(action="roster.join").exists()


def test_a_person_who_left_joins_again_with_a_new_place():
    hr = handler_of(Unit.Kind.EMPLOYER)
    person = PersonFactory()
    left = TODAY.replace(year=2025)
    Affiliation.objects.create(
        person=person, unit=hr.unit, relation="employee", started_on=left.replace(year=2024), ended_on=left
    )
    issued_by(hr, "rp-work", person=person)
    assert sorted(places(person), key=lambda p: p[2]) == [
        (hr.unit_id, "employee", left.replace(year=2024), left),
        (hr.unit_id, "employee", TODAY, None),
    ]


@pytest.mark.parametrize(
    ("filer", "procedure_id"),
    [
        ("agency", "rp-work"),  # an agency files for people it does not employ
        ("employer", "rp-family-reunion"),  # not a work or study permit
        ("applicant", "rp-work"),  # the person applied on their own
    ],
)
def test_nobody_joins_a_roster_from_another_units_case_or_another_permit(filer, procedure_id):
    if filer == "agency":
        user = UserFactory(role=Role.PROXY, unit=UnitFactory(kind=Unit.Kind.AGENCY))
    elif filer == "applicant":
        user = applicant()
    else:
        user = handler_of(filer)
    case = issued_by(user, procedure_id, person=user.person if filer == "applicant" else None)
    assert case.permit is not None
    assert not Affiliation.objects.exists()
