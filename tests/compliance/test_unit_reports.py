"""Filing a unit's Art. 26 reports (compliance.unit_reports): the roster place ended, the hall's follow-up
opened for a running work or study permit, everything audited, and what is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.factories import AffiliationFactory, PermitFactory, UnitFactory, actor, unit_handler

from exitentry.accounts.models import AuditEntry, Unit
from exitentry.cases.services import Refused
from exitentry.compliance.models import Alert, UnitReport
from exitentry.compliance.reminders import to_remind
from exitentry.compliance.scan import scan
from exitentry.compliance.unit_reports import Draft, file_report, file_reports
from exitentry.law.calendar import beijing_today
from exitentry.law.rules.unit_reports import FOLLOW_UP_GROUND
from exitentry.registry.models import Affiliation

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return beijing_today()


@pytest.fixture
def handler():
    return unit_handler()


@pytest.fixture
def place(handler):
    return AffiliationFactory(unit=handler.unit)


def running_work_permit(person, today):
    return PermitFactory(
        person=person, issued_on=today - timedelta(days=200), valid_until=today + timedelta(days=300)
    )


def test_a_resignation_ends_the_place_and_opens_the_halls_follow_up_on_the_work_permit(handler, place, today):
    permit = running_work_permit(place.person, today)
    day = today - timedelta(days=3)
    report = file_report(
        actor(handler), handler.unit, Draft(place.person_id, "employee-resigned", day, "Left"), source="web"
    )
    place.refresh_from_db()
    assert place.ended_on == day
    assert (
        report.number.startswith(f"BG{today:%Y}") and report.ground_id == "report-employee-resigns-or-moves"
    )
    alert = report.follow_up
    assert (alert.person_id, alert.ground_id, alert.closed_on) == (place.person_id, FOLLOW_UP_GROUND, None)
    assert (alert.source_id, alert.section) == ("regulations", "Art. 34(3)")
    assert report.permit == permit
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"unit_report.file", "affiliation.end", "alert.open"} <= actions


def test_a_violation_keeps_the_place_and_opens_no_follow_up(handler, place, today):
    running_work_permit(place.person, today)
    report = file_report(
        actor(handler), handler.unit, Draft(place.person_id, "violation", today), source="api"
    )
    place.refresh_from_db()
    assert place.ended_on is None and report.follow_up is None and not Alert.objects.exists()


def test_a_change_of_work_location_is_only_reported_keeping_the_place_and_opening_no_follow_up(
    handler, place, today
):
    running_work_permit(place.person, today)
    report = file_report(
        actor(handler),
        handler.unit,
        Draft(place.person_id, "employee-changed-work-location", today),
        source="web",
    )
    place.refresh_from_db()
    assert place.ended_on is None and report.follow_up is None and not Alert.objects.exists()


def test_a_graduation_follows_up_a_study_permit_and_not_a_work_permit(today):
    school = UnitFactory(kind=Unit.Kind.SCHOOL)
    handler = unit_handler(school)
    place = AffiliationFactory(unit=school, relation=Affiliation.Relation.STUDENT)
    running_work_permit(place.person, today)  # a work permit is not what a graduation ends
    report = file_report(
        actor(handler), school, Draft(place.person_id, "student-graduated", today), source="web"
    )
    assert report.follow_up is None
    study = PermitFactory(
        person=place.person, permit_type="study", issued_on=today - timedelta(days=9), valid_until=today
    )
    other = AffiliationFactory(unit=school, person=place.person, relation="student", started_on=today)
    again = file_report(
        actor(handler), school, Draft(place.person_id, "student-withdrew", today), source="web"
    )
    assert again.affiliation == other and again.permit == study and again.follow_up is not None


def test_a_permit_issued_after_the_event_or_already_void_is_not_followed_up(handler, place, today):
    PermitFactory(person=place.person, issued_on=today, valid_until=today + timedelta(days=90))
    PermitFactory(
        person=place.person,
        issued_on=today - timedelta(days=90),
        valid_until=today + timedelta(days=90),
        status="void",
    )
    report = file_report(
        actor(handler),
        handler.unit,
        Draft(place.person_id, "employee-resigned", today - timedelta(days=1)),
        source="web",
    )
    assert report.follow_up is None


def test_the_same_event_on_the_same_day_is_refused_the_second_time(handler, place, today):
    draft = Draft(place.person_id, "violation", today)
    file_report(actor(handler), handler.unit, draft, source="web")
    with pytest.raises(Refused) as refused:
        file_report(actor(handler), handler.unit, draft, source="web")
    assert refused.value.field == "event" and "已" in refused.value.message.zh
    assert UnitReport.objects.count() == 1


def test_an_event_that_ends_the_place_is_reported_once_naming_the_first_receipt(handler, place, today):
    """A resignation ends the place: a second one (another day, while the place was still open on it) is
    the same event again, refused with the first receipt's number."""
    first = file_report(
        actor(handler), handler.unit, Draft(place.person_id, "employee-resigned", today), source="web"
    )
    again = Draft(place.person_id, "employee-resigned", today - timedelta(days=2))
    with pytest.raises(Refused) as refused:
        file_report(actor(handler), handler.unit, again, source="web")
    assert refused.value.field == "event"
    assert first.number in refused.value.message.en and first.number in refused.value.message.zh
    assert UnitReport.objects.count() == 1
    both = [Draft(place.person_id, "violation", today - timedelta(days=d)) for d in (1, 3)]
    assert len(file_reports(actor(handler), handler.unit, both, source="csv")) == 2  # no end: both stand


def test_a_person_not_on_the_units_roster_is_refused(handler, today):
    elsewhere = AffiliationFactory()  # another unit's employee
    with pytest.raises(Refused) as refused:
        file_report(
            actor(handler), handler.unit, Draft(elsewhere.person_id, "violation", today), source="web"
        )
    assert refused.value.field == "person"
    assert not UnitReport.objects.exists()


def test_an_event_after_the_place_ended_is_refused(handler, place, today):
    file_report(
        actor(handler),
        handler.unit,
        Draft(place.person_id, "employee-resigned", today - timedelta(days=5)),
        source="web",
    )
    with pytest.raises(Refused) as refused:
        file_report(actor(handler), handler.unit, Draft(place.person_id, "violation", today), source="web")
    assert refused.value.field == "person"


def test_a_day_after_today_is_refused(handler, place, today):
    with pytest.raises(Refused) as refused:
        file_report(
            actor(handler),
            handler.unit,
            Draft(place.person_id, "violation", today + timedelta(days=1)),
            source="web",
        )
    assert refused.value.field == "happened_on"
    assert not UnitReport.objects.exists()


def test_a_student_event_for_an_employee_is_refused(handler, place, today):
    with pytest.raises(Refused) as refused:
        file_report(actor(handler), handler.unit, Draft(place.person_id, "student-left", today), source="web")
    assert refused.value.field == "event"


def test_several_reports_are_filed_all_or_none(handler, place, today):
    good = Draft(place.person_id, "violation", today)
    bad = Draft(place.person_id, "student-left", today)
    with pytest.raises(Refused):
        file_reports(actor(handler), handler.unit, [good, bad], source="csv")
    assert not UnitReport.objects.exists()
    place.refresh_from_db()
    assert place.ended_on is None


def test_the_daily_scan_leaves_the_follow_up_open_and_no_reminder_is_made_of_it(handler, place, today):
    running_work_permit(place.person, today)
    report = file_report(
        actor(handler), handler.unit, Draft(place.person_id, "employee-resigned", today), source="web"
    )
    summary = scan(today)
    assert FOLLOW_UP_GROUND not in summary.closed
    report.follow_up.refresh_from_db()
    assert report.follow_up.closed_on is None
    assert all(finding.ground_id != FOLLOW_UP_GROUND for _, finding in to_remind(today))


def test_an_event_the_units_kind_does_not_report_is_refused_naming_those_it_does(handler, place, today):
    """One check for the form, the API and the upload: an employer files no student's event."""
    with pytest.raises(Refused) as refused:
        file_report(
            actor(handler), handler.unit, Draft(place.person_id, "student-graduated", today), source="api"
        )
    assert refused.value.field == "event"
    listed = refused.value.message.en.split("the events it reports are:")[1]
    assert "employee-resigned" in listed and "student-" not in listed
    assert listed.startswith(" The employee resigned (employee-resigned); The employee changed work location")
    assert "本单位的报告事项有：聘用的外国人离职（employee-resigned）、" in refused.value.message.zh
    assert not UnitReport.objects.exists()
