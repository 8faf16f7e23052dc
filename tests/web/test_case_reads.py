"""The case pages read a case as the API does (``cases.reads.case_lists``): a fixed number of queries
however long its lists, and a step's POST no longer reads the lists it does not show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from page_world import client_for, pages_today  # noqa: F401 - pages_today is an autouse fixture

from audit_helpers import APPEND_STATEMENTS
from case_helpers import accepted
from exitentry.cases import services
from exitentry.cases.models import Payment
from factories import applicant

pytestmark = pytest.mark.django_db

# session, user, (the officer's second factor: django-otp's device, and the officer's halls), the case
# with what it holds one of, the audit entry of the read (``APPEND_STATEMENTS``, inside the request's
# transaction, no savepoint of its own), the six lists (materials, notices, pauses, tasks, payments, events with their actors' names)
# the fee exemption, the running no-entry periods of the person (Art. 31), and whether the hall reads the
# person today (``access.hall_people``, one query), and the passport the case is received on
# (``cases.reads.passport_of``: a case's own comes with it; this one has none bound, so the person's, one query)
HALL_PAGE_QUERIES = 15 + APPEND_STATEMENTS
MY_PAGE_QUERIES = 12 + APPEND_STATEMENTS  # and the case's active appointment
# session, user, second factor, halls, the case, the service (savepoint, lock, its checks, the task, its
# audit entry without a savepoint of its own)
STEP_QUERIES = 10 + APPEND_STATEMENTS


def _count(client, method: str, path: str, data: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, data or {})
    assert response.status_code in (200, 302), response.status_code
    return len(queries)


def test_both_sides_case_pages_take_the_same_queries_however_long_the_case_lists() -> None:
    user = applicant()
    case, clerk = accepted(user, "rp-personal-affairs")  # its fee not due yet: payments made as records
    hall, mine = client_for(clerk.user), client_for(user)
    counts = []
    for n in (1, 10):
        while len(services.fee_of(case, case.received_on).payments) < n:
            Payment.objects.create(case=case, amount_cny=1, method="cash", received_by=clerk.user)
            services.open_task(clerk, case, "phone")
        counts.append(
            (
                _count(hall, "get", f"/en/console/cases/{case.pk}/"),
                _count(mine, "get", f"/en/my/{case.pk}/"),
                _count(hall, "post", f"/en/console/cases/{case.pk}/open_task/", {"kind": "phone"}),
            )
        )
    assert counts == [(HALL_PAGE_QUERIES, MY_PAGE_QUERIES, STEP_QUERIES)] * 2
