"""Permits issued through the system are numbered from their own series, one per kind, kept by the
database: unique, never the case's reference, and unbroken under concurrent issuing (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from case_helpers import approval_validity, hall_accepts, hall_receives, submitted, upload_everything
from exitentry.cases import services
from exitentry.registry import numbering
from factories import TODAY, actor, applicant, officer

pytestmark = pytest.mark.django_db


def test_each_kind_has_its_own_series_of_numbers_in_the_order_issued() -> None:
    first, second = numbering.next_number("residence-permit"), numbering.next_number("residence-permit")
    work = numbering.next_number("work-permit")
    assert (first, second, work) == ("BJR000000001", "BJR000000002", "BJW000000001")


def test_an_unknown_kind_has_no_series() -> None:
    with pytest.raises(ValueError, match="no number series for 'parking-permit'"):
        numbering.next_number("parking-permit")


def test_a_permit_issued_on_a_case_has_a_number_of_its_series_not_the_cases_reference() -> None:
    user = applicant()
    case = submitted(user, "rp-work")
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)
    upload_everything(user, case)
    hall_accepts(clerk, case, on=TODAY)
    case.refresh_from_db()
    services.decide(clerk, case, "approved", validity=approval_validity(case), on=TODAY)
    services.issue(clerk, case, on=TODAY)
    case.refresh_from_db()
    assert case.permit.number == "BJR000000001"
    assert case.reference not in case.permit.number


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_numbers_drawn_at_once_in_many_transactions_are_unique_and_unbroken() -> None:
    """Eight transactions draw at once (a barrier), each holding its transaction open a moment after; the
    series' row lock makes the later ones wait for the earlier to commit, so no number is given twice."""
    barrier = threading.Barrier(8)
    drawn: list[str] = []
    errors: list[BaseException] = []

    def draw() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                drawn.append(numbering.next_number("stay-permit"))
                connection.cursor().execute("SELECT pg_sleep(0.05)")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=draw) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(drawn) == [f"BJS{n:09d}" for n in range(1, 9)]
