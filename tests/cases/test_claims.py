"""A passport the applicant's side gave (a claim) goes when the case that would have brought it to the counter
closes without that: a draft closed as expired (also at the 180 days' cap) or a case withdrawn deletes its
person's claims that no live case refers to any more, each with an audit entry; the registry's documents,
a claim another live case will bring, and a claim some record names stay."""

from __future__ import annotations

import threading
import time as clock_time
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from case_helpers import hall_receives, started, submitted
from exitentry.accounts.audit import verify
from exitentry.accounts.models import AuditEntry, Role
from exitentry.cases import expiry, services
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from exitentry.law.calendar import BEIJING
from exitentry.registry.models import TravelDocument
from factories import (
    TODAY,
    PersonFactory,
    TravelDocumentFactory,
    UnitFactory,
    UserFactory,
    VisaFactory,
    actor,
    applicant,
    officer,
)

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)
EXPIRY, MAX, AHEAD = 60, 180, 7  # written here on purpose, not read from the code under test
DROP = "person.document.drop"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr("exitentry.cases.access.beijing_today", lambda: TODAY)
    monkeypatch.setattr("exitentry.cases.services.drafts.beijing_today", lambda: TODAY)


def claim(person, number: str) -> TravelDocument:
    return TravelDocumentFactory(person=person, number=number, claim=True)


def proxy_draft() -> tuple[Case, TravelDocument]:
    """A proxy's draft for a person it entered with a passport (a claim), untouched since TODAY."""
    filer = UserFactory(role=Role.PROXY, unit=UnitFactory(kind="agency"))
    person = PersonFactory()
    given = claim(person, f"C{person.pk:08d}")
    case = started(filer, "rp-work", person=person)
    Case.objects.filter(pk=case.pk).update(touched_at=datetime.combine(TODAY, time(9), BEIJING))
    return case, given


def expire_on(day: date) -> int:
    """The daily run a week before ``day`` (the reminder: none closes sooner), then on ``day``."""
    expiry.run(day - AHEAD * DAY)
    return expiry.run(day).expired


def test_an_expired_draft_takes_its_persons_claim_with_it_audited() -> None:
    case, given = proxy_draft()
    registry_passport = TravelDocumentFactory(person=case.person)  # recorded by the hall: no claim
    expiry.run(TODAY + (EXPIRY - AHEAD) * DAY)  # reminded
    assert expiry.run(TODAY + (EXPIRY - 1) * DAY).expired == 0
    assert TravelDocument.objects.filter(pk=given.pk).exists()  # the draft still lives: so does its claim
    assert expiry.run(TODAY + EXPIRY * DAY).expired == 1
    assert Case.objects.get(pk=case.pk).state == State.EXPIRED
    assert not TravelDocument.objects.filter(pk=given.pk).exists()
    assert TravelDocument.objects.filter(pk=registry_passport.pk).exists()
    entry = AuditEntry.objects.get(action=DROP)
    assert (entry.object_type, entry.object_id, entry.actor_id) == ("person", str(case.person_id), None)
    assert entry.old == {"document": given.pk, "country": "DEU", "number": given.number, "claim": True}
    assert entry.new == {"case": case.pk, "action": "case.expire"}
    assert verify().ok


def test_a_draft_closed_at_the_180_days_cap_takes_its_claim_too() -> None:
    case, given = proxy_draft()
    Case.objects.filter(pk=case.pk).update(
        created_at=datetime.combine(TODAY - (MAX - 30) * DAY, time(9), BEIJING),
        touched_at=datetime.combine(TODAY + 20 * DAY, time(9), BEIJING),  # changed lately: only the cap
    )
    assert expire_on(TODAY + 30 * DAY) == 1
    assert not TravelDocument.objects.filter(pk=given.pk).exists()
    assert AuditEntry.objects.get(action=DROP).new["case"] == case.pk


def test_withdrawing_takes_the_claim_and_the_audit_names_who_withdrew() -> None:
    user = applicant()
    given = claim(user.person, "C0WITHDR1")
    case = submitted(user, "rp-work")
    services.withdraw(actor(user), case)
    assert not TravelDocument.objects.filter(pk=given.pk).exists()
    entry = AuditEntry.objects.get(action=DROP)
    assert (entry.actor_id, entry.new) == (user.pk, {"case": case.pk, "action": "case.withdraw"})


def test_a_claim_another_live_case_will_bring_to_the_counter_stays() -> None:
    user = applicant()
    given = claim(user.person, "C0KEPT001")
    first = started(user, "rp-work")
    other = submitted(user, "rp-personal-affairs")  # open, no passport named yet
    services.withdraw(actor(user), first)
    assert TravelDocument.objects.filter(pk=given.pk, claim=True).exists()
    assert not AuditEntry.objects.filter(action=DROP).exists()
    services.withdraw(actor(user), other)  # the last live case goes: so does the claim
    assert not TravelDocument.objects.filter(pk=given.pk).exists()


def test_a_case_received_already_does_not_keep_a_later_claim() -> None:
    """A received case names its passport (checked at intake): a claim given since, which no intake will
    check, goes with the next withdrawn case."""
    user = applicant()
    TravelDocumentFactory(person=user.person, issued_on=TODAY - 400 * DAY)
    case = submitted(user, "rp-work")
    received = hall_receives(actor(officer(case.hall_id)), case, on=TODAY)
    assert received.travel_document is not None and not received.travel_document.claim
    later = claim(user.person, "C0LATER01")
    services.withdraw(actor(user), started(user, "rp-personal-affairs"))
    assert not TravelDocument.objects.filter(pk=later.pk).exists()
    assert TravelDocument.objects.filter(pk=received.travel_document_id).exists()


def test_a_claim_a_record_names_stays() -> None:
    """A visa recorded in the claimed passport (or a case bound to it) keeps it: nothing is deleted under
    a record that names it."""
    user = applicant()
    in_visa = claim(user.person, "C0VISA001")
    VisaFactory(travel_document=in_visa)
    bound = claim(user.person, "C0BOUND01")
    case = submitted(user, "rp-work")
    Case.objects.filter(pk=case.pk).update(travel_document=bound)
    services.withdraw(actor(user), started(user, "rp-personal-affairs"))
    services.withdraw(actor(user), case)
    assert set(TravelDocument.objects.filter(person=user.person).values_list("number", flat=True)) == {
        "C0VISA001",
        "C0BOUND01",
    }
    assert not AuditEntry.objects.filter(action=DROP).exists()


def test_another_persons_claim_is_untouched() -> None:
    case, _ = proxy_draft()
    elsewhere = claim(PersonFactory(), "C0OTHER01")
    assert expire_on(TODAY + EXPIRY * DAY) == 1
    assert TravelDocument.objects.filter(pk=elsewhere.pk).exists()


def test_the_days_run_drops_claims_in_as_many_queries_for_20_drafts_as_for_2() -> None:
    day = TODAY + EXPIRY * DAY
    counts = []
    for n in (1, 2, 20):
        drafts = [proxy_draft() for _ in range(n)]
        expiry.run(day - AHEAD * DAY)
        with CaptureQueriesContext(connection) as captured:
            assert expiry.run(day).expired == n
        counts.append(len(captured))
        assert not TravelDocument.objects.filter(pk__in=[given.pk for _, given in drafts]).exists()
    assert counts[1] == counts[2]
    assert AuditEntry.objects.filter(action=DROP).count() == 23
    assert verify().ok


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_new_draft_at_the_moment_of_withdrawing_keeps_the_claim() -> None:
    """A draft for the person being written while their last live case is withdrawn: the withdrawal waits
    for it (the person's row is locked before the live-case check) and sees it, so the claim stays."""
    user = applicant()
    given = claim(user.person, "C0RACE001")
    case = submitted(user, "rp-work")
    inserted, go_on = threading.Event(), threading.Event()

    def new_draft() -> None:
        try:
            with transaction.atomic():
                started(user, "rp-personal-affairs")  # ``services.start_case``, left uncommitted a while
                inserted.set()
                go_on.wait(timeout=5)
                clock_time.sleep(0.5)  # the withdrawal is waiting on the person's row by now
        finally:
            connection.close()

    writer = threading.Thread(target=new_draft)
    writer.start()
    assert inserted.wait(timeout=5)
    go_on.set()
    with CaptureQueriesContext(connection) as done:
        services.withdraw(actor(user), case)
    writer.join()
    locks = [
        q["sql"] for q in done.captured_queries if q["sql"].endswith(("FOR UPDATE", "FOR NO KEY UPDATE"))
    ]
    assert any('FROM "registry_person"' in sql for sql in locks), locks  # not only the audit chain's
    assert TravelDocument.objects.filter(pk=given.pk, claim=True).exists()
    assert not AuditEntry.objects.filter(action=DROP).exists()
