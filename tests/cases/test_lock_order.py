"""The case services lock rows in one order (``cases.services.steps``), so two of them on the same person at
the same moment wait for each other and both succeed; neither is aborted as a deadlock (PostgreSQL).

Each race holds a new draft (``services.start_case``) open right after its person's row is locked and its
case row inserted, starts the other service in a second thread with its own connection, lets the draft go
on once the database shows that service waiting for the draft's transaction, and checks that both ended
well. Both threads append to the same audit chain, as the threads of one web worker do."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.models.signals import post_save

from case_helpers import started, submitted
from exitentry.accounts.audit import verify
from exitentry.accounts.models import Role
from exitentry.cases import expiry, services
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case, CaseEvent
from exitentry.law.calendar import BEIJING
from exitentry.registry.models import TravelDocument
from factories import TODAY, PersonFactory, TravelDocumentFactory, UnitFactory, UserFactory, actor, applicant
from race_helpers import PATIENCE, backend_pid, until_blocked, waits_for

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
DAY = timedelta(days=1)
EXPIRY, AHEAD = 60, 7  # written here on purpose, not read from the code under test


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr("exitentry.cases.access.beijing_today", lambda: TODAY)
    monkeypatch.setattr("exitentry.cases.services.drafts.beijing_today", lambda: TODAY)


def race_a_new_draft(start: Callable[[], Case], other: Callable[[], object]) -> list[BaseException]:
    """Run ``start`` (a new draft) and ``other`` in two threads as described above; what each raised."""
    inserted, other_ready, go_on = threading.Event(), threading.Event(), threading.Event()
    pids: dict[str, int] = {}
    failures: list[BaseException] = []

    def hold(sender, instance, created, **kwargs) -> None:
        if created and threading.current_thread() is drafting:
            inserted.set()  # the person's row is locked and the draft inserted, uncommitted
            go_on.wait(timeout=PATIENCE)

    def run(name: str, work: Callable[[], object], ready: threading.Event) -> Callable[[], None]:
        def body() -> None:
            try:
                pids[name] = backend_pid()
                ready.set()
                work()
            except BaseException as exc:  # reported to the test's thread
                failures.append(exc)
            finally:
                inserted.set()
                connection.close()

        return body

    drafting = threading.Thread(target=run("draft", start, threading.Event()))
    other_thread = threading.Thread(target=run("other", other, other_ready))
    post_save.connect(hold, sender=Case, weak=False)
    try:
        drafting.start()
        assert inserted.wait(timeout=PATIENCE)
        other_thread.start()
        assert other_ready.wait(timeout=PATIENCE)
        until_blocked(pids["other"], pids["draft"], other_thread)
    finally:
        go_on.set()
        drafting.join()
        other_thread.join()
        post_save.disconnect(hold, sender=Case)
    return failures


def test_a_new_draft_and_withdrawing_the_persons_case_at_once_both_succeed() -> None:
    """The withdrawal waits for the draft (the person's row first) and then sees it live: the claim stays."""
    user = applicant()
    given = TravelDocumentFactory(person=user.person, number="C0LOCK001", claim=True)
    case = submitted(user, "rp-work")

    failures = race_a_new_draft(
        lambda: started(user, "rp-personal-affairs"), lambda: services.withdraw(actor(user), case)
    )

    assert failures == []
    assert Case.objects.get(pk=case.pk).state == State.WITHDRAWN
    assert Case.objects.filter(person=user.person, state=State.DRAFT).count() == 1
    assert TravelDocument.objects.filter(pk=given.pk, claim=True).exists()
    assert verify().ok


def test_a_new_draft_and_the_expiry_of_the_persons_draft_at_once_both_succeed() -> None:
    """The day's expiry waits for the draft (the people's rows first) and then sees it live: the claim stays."""
    filer = UserFactory(role=Role.PROXY, unit=UnitFactory(kind="agency"))
    person = PersonFactory()
    given = TravelDocumentFactory(person=person, number="C0LOCK002", claim=True)
    old = started(filer, "rp-work", person=person)
    Case.objects.filter(pk=old.pk).update(touched_at=datetime.combine(TODAY, datetime.min.time(), BEIJING))
    expiry.run(TODAY + (EXPIRY - AHEAD) * DAY)  # reminded: the run on the day closes it

    failures = race_a_new_draft(
        lambda: started(filer, "rp-personal-affairs", person=person),
        lambda: expiry.run(TODAY + EXPIRY * DAY),
    )

    assert failures == []
    assert Case.objects.get(pk=old.pk).state == State.EXPIRED
    assert Case.objects.filter(person=person, state=State.DRAFT).count() == 1
    assert TravelDocument.objects.filter(pk=given.pk, claim=True).exists()
    assert verify().ok


def test_a_row_naming_a_case_is_inserted_without_waiting_for_a_step_on_the_case() -> None:
    """A step locks and saves the case's row FOR NO KEY UPDATE (it never changes the row's key): a row of
    another transaction naming the case (its foreign key takes FOR KEY SHARE) goes in while the step's
    transaction is still open."""
    user = applicant()
    case = submitted(user, "rp-work")
    assert not waits_for(
        lambda: services.withdraw(actor(user), case),
        lambda: CaseEvent.objects.create(case_id=case.pk, action="note", from_state="", to_state=""),
    )
    assert CaseEvent.objects.filter(case=case, action="note").exists()


def test_a_row_naming_the_person_is_inserted_without_waiting_for_a_withdrawal() -> None:
    """A withdrawal locks the person's row (``claims.lock_people``) FOR NO KEY UPDATE: no key of the row
    changes, so a row of another transaction naming the person (its foreign key takes FOR KEY SHARE: here a
    passport recorded) goes in while the withdrawal's transaction is still open."""
    user = applicant()
    case = submitted(user, "rp-work")
    assert not waits_for(
        lambda: services.withdraw(actor(user), case),
        lambda: TravelDocumentFactory(person=user.person, number="C0LOCK003"),
    )
    assert TravelDocument.objects.filter(person=user.person, number="C0LOCK003").exists()
