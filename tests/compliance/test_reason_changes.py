"""A change of the reason for residence a unit reported (Regulations Art. 26) as the holder's Art. 33 duty:
dated from the day it happened on the holder's permit (``scan.held``), reminded ahead of its last day once,
and no longer once the holder applied on the permit; and the holder's own report of it, which the hall sees
(``compliance.change_reports.file``): it joins the follow-up alert it covers, or opens one, which the
unit's later report of the same change joins; one follow-up per change, left open for the officer's
decision on the basis, in either order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

import unit_world
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import AuditEntry
from exitentry.cases.models import Case, Receipt
from exitentry.compliance import change_reports
from exitentry.compliance.coming_due import LEAD_CALENDAR_DAYS, coming_due
from exitentry.compliance.models import Alert, AlertAction, ChangeReport, Reminder, UnitReport
from exitentry.compliance.notices import decision, publish_refusal, reason_changed_on
from exitentry.compliance.reminders import remind
from exitentry.compliance.scan import held
from exitentry.compliance.unit_reports import Draft, file_report
from exitentry.law.rules import duties, holding
from exitentry.law.rules.unit_reports import FOLLOW_UP_GROUND
from exitentry.law.text import day_text
from factories import TODAY, AffiliationFactory, PermitFactory, PersonFactory, actor, applicant, unit_handler

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder():
    user = applicant(person=PersonFactory(given_names="Anna", surname="Schmidt"))
    permit = PermitFactory(person=user.person, issued_on=date(2025, 12, 1), valid_until=date(2027, 12, 1))
    return user, permit


def follow_up(permit, on: date):
    """The unit's report that the holder resigned on ``on``, with the follow-up alert it opened."""
    alert = Alert.objects.create(
        person=permit.person,
        ground_id=FOLLOW_UP_GROUND,
        cause_key=f"report:x:permit:{permit.pk}",
        source_id="regulations",
        section="Art. 34(3)",
        opened_on=on,
    )
    return unit_world.reason_changed(permit, on, follow_up=alert)


def change_duty(permit, on: date):
    return next(d for d in holding.duties(held([permit], on)[permit.pk], on) if holding.runs_from_change(d))


def test_the_duty_is_dated_from_the_day_the_unit_reported_until_the_holder_applies(holder):
    user, permit = holder
    changed = TODAY - timedelta(days=3)
    assert change_duty(permit, TODAY).due is None  # nothing on record: undated
    follow_up(permit, changed)
    assert change_duty(permit, TODAY).due == duties.particulars_change_due(changed)
    case = Case.objects.create(
        procedure_id="rp-renewal", person=user.person, submitted_by=user, acting_as="self",
        permit=permit, state="accepted", submitted_on=TODAY,
    )  # fmt: skip
    Receipt.objects.create(case=case, number="S1", issued_on=TODAY, issued_by=user)
    assert change_duty(permit, TODAY).due is None


def test_the_holder_is_reminded_once_ahead_of_the_last_day(holder):
    user, permit = holder
    lead = LEAD_CALENDAR_DAYS[duties.PARTICULARS_CHANGE]
    changed = TODAY - timedelta(days=3)
    due = duties.particulars_change_due(changed)
    report = follow_up(permit, changed)
    far = due - timedelta(days=lead + 1)
    assert not [f for f in coming_due(far) if f.person_id == user.person_id]
    on = due - timedelta(days=lead)
    found = [f for f in coming_due(on) if f.person_id == user.person_id]
    assert [(f.ground_id, f.cause_key, f.due_on) for f in found] == [
        (duties.PARTICULARS_CHANGE, f"permit:{permit.pk}:report:{report.pk}", due)
    ]
    remind(on)
    remind(on)
    remind(on + timedelta(days=1))
    made = Reminder.objects.filter(user=user, ground_id=duties.PARTICULARS_CHANGE)
    assert [(r.kind, r.due_on) for r in made] == [("ahead", due)]
    assert not [f for f in coming_due(due + timedelta(days=1)) if f.person_id == user.person_id]


def file(user, permit, changed_on: date, particular: str = "reason") -> ChangeReport:
    return change_reports.file(Actor(user), permit, particular, changed_on, source=ChangeReport.Source.WEB)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("exitentry.compliance.change_reports.beijing_today", lambda *_: TODAY)


def test_the_holders_report_joins_the_follow_up_it_covers_and_leaves_the_basis_to_the_officer(holder, today):
    user, permit = holder
    changed = TODAY - timedelta(days=5)
    alert = follow_up(permit, changed).follow_up
    report = file(user, permit, changed - timedelta(days=2))  # the holder dates it two days earlier
    alert.refresh_from_db()
    assert report.follow_up == alert and (alert.closed_on, alert.resolution) == (None, "")
    assert not AlertAction.objects.filter(alert=alert).exists()  # the officer decides (Art. 34(3))
    joined = AuditEntry.objects.get(action="alert.join", object_id=str(alert.pk))
    assert joined.actor == user and "No public notice follows" in joined.new["note"]
    assert Alert.objects.filter(ground_id=FOLLOW_UP_GROUND).count() == 1


def test_a_report_of_an_earlier_change_leaves_the_follow_up_open_and_opens_its_own(holder, today):
    user, permit = holder
    alert = follow_up(permit, TODAY - timedelta(days=1)).follow_up
    report = file(user, permit, date(2026, 1, 5))
    alert.refresh_from_db()
    assert alert.closed_on is None and not alert.actions.exists()
    assert report.follow_up != alert and report.follow_up.closed_on is None  # another change: its own
    assert Alert.objects.filter(ground_id=FOLLOW_UP_GROUND).count() == 2


# --- one follow-up per change, whichever of the holder and the unit reports it first ------------------


@pytest.fixture
def employed(holder, today, monkeypatch):
    """The holder on their employer's roster, with the employer's handler."""
    monkeypatch.setattr("exitentry.compliance.unit_reports.beijing_today", lambda *_: TODAY)
    user, permit = holder
    handler = unit_handler()
    AffiliationFactory(unit=handler.unit, person=user.person)
    return user, permit, handler


def resigned(handler, person, on: date) -> UnitReport:
    """The employer's own report (Regulations Art. 26) that ``person`` resigned on ``on``."""
    return file_report(actor(handler), handler.unit, Draft(person.pk, "employee-resigned", on), source="web")


def test_the_units_report_of_a_resignation_the_holder_reported_joins_the_holders_follow_up(employed):
    user, permit, handler = employed
    told = file(user, permit, TODAY - timedelta(days=4))
    unit = resigned(handler, user.person, TODAY - timedelta(days=3))  # the unit dates it a day later
    alert = Alert.objects.get(ground_id=FOLLOW_UP_GROUND)
    told.refresh_from_db()
    assert told.follow_up == alert == unit.follow_up and unit.permit == permit
    assert alert.closed_on is None and change_reports.opened_by_holder(alert.cause_key)  # the officer decides
    joined = AuditEntry.objects.get(action="alert.join", object_id=str(alert.pk))
    assert joined.new == {"report": unit.number}


def test_the_holders_report_of_a_resignation_the_unit_reported_joins_the_units_follow_up(employed):
    user, permit, handler = employed
    unit = resigned(handler, user.person, TODAY - timedelta(days=3))
    told = file(user, permit, TODAY - timedelta(days=4))
    alert = Alert.objects.get(ground_id=FOLLOW_UP_GROUND)
    assert told.follow_up == alert == unit.follow_up
    assert alert.closed_on is None  # the holder reported (no public notice follows); the officer decides
    joined = AuditEntry.objects.get(action="alert.join", object_id=str(alert.pk))
    assert joined.new["change_report"] == told.number


def _outcome(user, permit, reports):
    """The open follow-ups and, for each report, whether its follow-up is the one open."""
    alerts = list(Alert.objects.filter(ground_id=FOLLOW_UP_GROUND))
    for report in reports:
        report.refresh_from_db()
    opened = [a for a in alerts if a.closed_on is None]
    return len(alerts), len(opened), [r.follow_up_id == opened[0].pk for r in reports]


@pytest.mark.parametrize("holder_first", [True, False])
def test_either_order_leaves_one_open_follow_up_a_third_report_joins(employed, holder_first):
    user, permit, handler = employed
    other = unit_handler()
    AffiliationFactory(unit=other.unit, person=user.person)
    if holder_first:
        first = file(user, permit, TODAY - timedelta(days=4))
        second = resigned(handler, user.person, TODAY - timedelta(days=3))
    else:
        first = resigned(handler, user.person, TODAY - timedelta(days=3))
        second = file(user, permit, TODAY - timedelta(days=4))
    third = resigned(other, user.person, TODAY - timedelta(days=3))  # the second employer, the same change
    assert _outcome(user, permit, [first, second, third]) == (1, 1, [True, True, True])
    assert not AlertAction.objects.exists()  # nobody decided for the officer


def test_a_report_of_another_change_or_of_another_permit_opens_its_own_follow_up(employed):
    user, permit, handler = employed
    earlier = file(user, permit, date(2026, 1, 5))  # a change long before the resignation
    unit = resigned(handler, user.person, TODAY - timedelta(days=3))
    other = PermitFactory(person=user.person, permit_type="study", valid_until=date(2027, 6, 1))
    elsewhere = file(user, other, TODAY - timedelta(days=3))  # the same day, but another permit
    opened = {earlier.follow_up_id, unit.follow_up_id, elsewhere.follow_up_id}
    assert len(opened) == 3 and Alert.objects.filter(ground_id=FOLLOW_UP_GROUND).count() == 3
    assert not Alert.objects.filter(pk__in=opened, closed_on__isnull=False).exists()


def test_a_reason_change_no_unit_reported_opens_a_follow_up_for_the_hall(holder, today):
    user, permit = holder
    file(user, permit, TODAY, particular="name")
    assert not Alert.objects.exists()  # a new name is no change of the basis of residence
    report = file(user, permit, TODAY - timedelta(days=2))
    alert = Alert.objects.get(ground_id=FOLLOW_UP_GROUND)
    assert (alert.person_id, alert.opened_on, alert.closed_on) == (user.person_id, TODAY, None)
    assert alert.cause_key == f"change:{report.pk}:permit:{permit.pk}"


def test_the_holders_own_report_dates_the_duty_and_the_earliest_change_is_reminded_once(holder, today):
    user, permit = holder
    lead = LEAD_CALENDAR_DAYS[duties.PARTICULARS_CHANGE]
    changed = TODAY - timedelta(days=2)
    report = file(user, permit, changed)
    due = duties.particulars_change_due(changed)
    assert change_duty(permit, TODAY).due == due
    follow_up(permit, changed + timedelta(days=1))  # the unit dates the same change a day later
    assert change_duty(permit, TODAY).due == due
    on = due - timedelta(days=lead)
    found = [(f.cause_key, f.due_on) for f in coming_due(on) if f.person_id == user.person_id]
    assert found == [(f"permit:{permit.pk}:change:{report.pk}", due)]


def test_no_notice_for_a_reason_change_the_holder_reported_themselves_and_the_officer_is_told_so(
    holder, today
):
    user, permit = holder
    report = file(user, permit, TODAY - timedelta(days=2))
    said = publish_refusal(permit, TODAY)
    assert report.number in said.en and day_text(TODAY).en in said.en and "reported" in said.en
    assert report.number in said.zh and day_text(TODAY).zh in said.zh and "持证人已自行报告" in said.zh
    assert "no change of the reason" not in said.en


# --- only an event that ends the basis changes the reason for residence (Art. 34(3)) ------------------


def reported(handler, person, event: str, on: date) -> UnitReport:
    return file_report(actor(handler), handler.unit, Draft(person.pk, event, on), source="web")


def test_a_death_report_offers_no_notice_or_voiding_and_no_holders_report_joins_it(employed):
    user, permit, handler = employed
    died = reported(handler, user.person, "died", TODAY - timedelta(days=3))
    assert died.permit == permit and died.follow_up is not None  # the hall cancels it (Law Art. 40)
    later = TODAY + timedelta(days=90)
    assert reason_changed_on(permit) is None and decision(permit, later) is None
    assert "no change of the reason" in publish_refusal(permit, later).en
    told = file(user, permit, TODAY - timedelta(days=3))
    assert told.follow_up != died.follow_up and told.follow_up.ground_id == FOLLOW_UP_GROUND


def test_a_resignation_still_offers_the_notice_and_a_holders_report_joins_it(employed):
    user, permit, handler = employed
    unit = reported(handler, user.person, "employee-resigned", TODAY - timedelta(days=3))
    later = TODAY + timedelta(days=90)
    assert reason_changed_on(permit) == unit.happened_on and decision(permit, later).may_publish
    assert file(user, permit, TODAY - timedelta(days=3)).follow_up == unit.follow_up
