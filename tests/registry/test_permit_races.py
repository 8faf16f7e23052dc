"""Writes to one permit at the same moment (PostgreSQL): each reads the permit's row locked, so none decides
on what it read before another's write, nor writes back particulars another has just changed."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from case_helpers import accepted
from exitentry.cases import services
from exitentry.registry import services as registry
from exitentry.registry.models import Permit, PermitEvent
from factories import TODAY, PermitFactory, applicant
from race_helpers import PATIENCE, backend_pid, until_blocked

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
LOST = "void-damaged-lost-stolen-robbed"


def test_two_officers_voiding_a_permit_at_once_void_it_once() -> None:
    held = PermitFactory()
    copies = [Permit.objects.get(pk=held.pk), Permit.objects.get(pk=held.pk)]  # each officer's page
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def void(permit: Permit) -> None:
        try:
            barrier.wait(timeout=PATIENCE)
            registry.end_permit(permit, Permit.Status.VOID, LOST, on=TODAY)
            outcomes.append("voided")
        except registry.PermitAlreadyEnded:
            outcomes.append("already ended")
        finally:
            connection.close()

    threads = [threading.Thread(target=void, args=(copy,)) for copy in copies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already ended", "voided"]
    assert PermitEvent.objects.filter(permit=held, kind=PermitEvent.Kind.VOID).count() == 1


def test_a_permit_voided_while_its_extension_is_issued_stays_void() -> None:
    """The issue reads the permit with its case while the voiding is uncommitted, and writes its new last
    day once the voiding is done: the voiding is not undone, and the extension's event saw the permit void."""
    user = applicant()
    case, clerk = accepted(user, "rp-extension")
    services.decide(clerk, case, "approved", validity="P2Y", on=TODAY)
    ready = threading.Event()
    pids: dict[str, int] = {}
    failures: list[BaseException] = []

    def issue() -> None:
        try:
            pids["issue"] = backend_pid()
            ready.set()
            services.issue(clerk, case, on=TODAY)
        except BaseException as exc:  # reported to the test's thread
            failures.append(exc)
        finally:
            ready.set()
            connection.close()

    issuing = threading.Thread(target=issue)
    try:
        with transaction.atomic():
            registry.end_permit(Permit.objects.get(pk=case.permit_id), Permit.Status.VOID, LOST, on=TODAY)
            issuing.start()
            assert ready.wait(timeout=PATIENCE)
            until_blocked(pids["issue"], backend_pid(), issuing)  # at the permit's row, its case locked
    finally:
        issuing.join()
    assert failures == []
    permit = Permit.objects.get(pk=case.permit_id)
    assert permit.status == Permit.Status.VOID
    assert permit.valid_until > case.permit.valid_until  # the extension was written too
    assert permit.events.get(kind="extension").before["status"] == Permit.Status.VOID
