"""A permit cancelled on the holder's death while another officer closes its follow-up (PostgreSQL): the
cancellation waits for the follow-up's row, then leaves the closed follow-up as it is, never a refusal."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction

from exitentry.compliance import actions
from exitentry.compliance.endings import end_permit
from exitentry.compliance.models import Alert
from exitentry.compliance.unit_reports import Draft, file_report
from exitentry.law.calendar import beijing_today
from exitentry.law.rules.endings import DEATH_CANCEL_GROUND
from exitentry.registry.models import Permit
from factories import AffiliationFactory, PermitFactory, actor, officer, unit_handler
from race_helpers import PATIENCE, backend_pid, until_blocked

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_a_follow_up_closed_while_the_permit_is_cancelled_on_the_death_stays_as_closed() -> None:
    today = beijing_today()
    handler = unit_handler()
    place = AffiliationFactory(unit=handler.unit)
    PermitFactory(
        person=place.person, issued_on=today - timedelta(days=200), valid_until=today + timedelta(days=300)
    )
    died = file_report(
        actor(handler), handler.unit, Draft(place.person_id, "died", today - timedelta(days=1)), source="web"
    )
    ready = threading.Event()
    pids: dict[str, int] = {}
    failures: list[BaseException] = []

    def cancel() -> None:
        try:
            pids["cancel"] = backend_pid()
            ready.set()
            end_permit(actor(officer("reception-hall")), died.permit, "cancel", DEATH_CANCEL_GROUND, on=today)
        except BaseException as exc:  # reported to the test's thread
            failures.append(exc)
        finally:
            ready.set()
            connection.close()

    cancelling = threading.Thread(target=cancel)
    try:
        with transaction.atomic():
            # Another officer's closing as ``actions.act`` does it, before its audit entry: locked, closed.
            Alert.objects.select_for_update().filter(pk=died.follow_up_id).update(
                closed_on=today, resolution=actions.Kind.UNFOUNDED
            )
            cancelling.start()
            assert ready.wait(timeout=PATIENCE)
            until_blocked(pids["cancel"], backend_pid(), cancelling)
    finally:
        cancelling.join()
    assert failures == []
    assert Permit.objects.get(pk=died.permit_id).status == Permit.Status.CANCELLED
    assert Alert.objects.get(pk=died.follow_up_id).resolution == "unfounded"
