"""What follows a unit's report that a holder died (Regulations Art. 26(4)): the follow-up takes only the
actions the law core offers for it (``law.rules.alert_actions``), the rest refused with why and nothing
written, and the permit is cancelled on the death certificate (Exit and Entry Administration Law Art. 40
para. 2), audited, which closes the follow-up as resolved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.factories import AffiliationFactory, PermitFactory, actor, officer, unit_handler

from exitentry.accounts.models import AuditEntry
from exitentry.compliance import actions
from exitentry.compliance.endings import end_permit
from exitentry.compliance.models import Alert, AlertAction, OrderToLeave
from exitentry.compliance.unit_reports import Draft, file_report
from exitentry.law.calendar import beijing_today
from exitentry.law.rules.alert_actions import ACTIONS, CLOSING
from exitentry.law.rules.endings import DEATH_CANCEL_GROUND
from exitentry.law.rules.unit_reports import DEATH_FOLLOW_UP_GROUND
from exitentry.law.sources import cite
from exitentry.registry.models import Permit, PermitEvent
from exitentry.registry.services import OutOfReach

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return beijing_today()


@pytest.fixture
def died(today):
    handler = unit_handler()
    place = AffiliationFactory(unit=handler.unit)
    PermitFactory(
        person=place.person, issued_on=today - timedelta(days=200), valid_until=today + timedelta(days=300)
    )
    draft = Draft(place.person_id, "died", today - timedelta(days=1))
    return file_report(actor(handler), handler.unit, draft, source="web")


@pytest.fixture
def hall():
    return actor(officer("reception-hall"))


@pytest.mark.parametrize("kind", ["contacted", "case_opened"])
def test_the_death_follow_up_refuses_what_makes_no_sense_for_a_dead_holder(died, hall, today, kind):
    assert died.follow_up.ground_id == DEATH_FOLLOW_UP_GROUND
    with pytest.raises(actions.ActionRefused) as refused:
        actions.act(hall, died.follow_up, kind, on=today, note="tried")
    assert refused.value.field == "kind" and "died" in refused.value.text.en
    assert (
        not AlertAction.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="alert.").exclude(action="alert.open").exists()
    )


def test_no_order_to_leave_is_recorded_for_a_dead_holder(died, hall, today):
    with pytest.raises(actions.ActionRefused) as refused:
        actions.order_to_leave(hall, died.follow_up, ordered_on=today, days=10, on=today)
    assert refused.value.field == "kind"
    assert not OrderToLeave.objects.exists() and not AlertAction.objects.exists()


def test_the_death_follow_up_closes_as_unfounded_with_a_note(died, hall, today):
    actions.act(hall, died.follow_up, "unfounded", on=today, note="The person is alive.")
    alert = Alert.objects.get(pk=died.follow_up_id)
    assert (alert.closed_on, alert.resolution) == (today, "unfounded")


def test_cancelling_the_permit_on_the_death_closes_the_follow_up_as_resolved_audited(died, hall, today):
    permit = end_permit(hall, died.permit, "cancel", DEATH_CANCEL_GROUND, on=today, authority_notified=True)
    assert permit.status == Permit.Status.CANCELLED
    event = PermitEvent.objects.get(permit=permit, kind=PermitEvent.Kind.CANCELLATION)
    assert event.ground_id == DEATH_CANCEL_GROUND
    alert = Alert.objects.get(pk=died.follow_up_id)
    assert (alert.closed_on, alert.resolution) == (today, "resolved")
    [done] = AlertAction.objects.filter(alert=alert)
    assert done.kind == "resolved" and permit.number in done.note and "Art. 40" in done.note
    said = cite("exit-entry-law", "Art. 40 para. 2").label  # the Law's full official title
    assert said.en in done.note and said.zh in done.note
    logged = AuditEntry.objects.filter(action__in=("permit.cancel", "alert.resolved"))
    assert sorted(logged.values_list("action", flat=True)) == ["alert.resolved", "permit.cancel"]


def test_a_visa_is_not_cancelled_on_the_death(died, hall, today):
    visa = PermitFactory(
        person=died.person,
        kind="visa",
        permit_type="",
        issued_on=today,
        valid_until=today + timedelta(days=30),
    )
    with pytest.raises(OutOfReach):
        end_permit(hall, visa, "cancel", DEATH_CANCEL_GROUND, on=today, authority_notified=True)
    assert Alert.objects.get(pk=died.follow_up_id).closed_on is None


def test_a_cancellation_on_another_ground_leaves_the_death_follow_up_open(died, hall, today):
    end_permit(hall, died.permit, "cancel", "cancel-obtained-illegally", on=today, authority_notified=True)
    assert Alert.objects.get(pk=died.follow_up_id).closed_on is None


def test_the_law_cores_actions_are_the_ones_an_alert_records():
    assert tuple(AlertAction.Kind.values) == ACTIONS and actions.CLOSING == CLOSING
