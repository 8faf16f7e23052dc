from __future__ import annotations

from unittest import mock

import pytest
from tests.appointments.helpers import BEFORE, hall_with_slots

from case_helpers import submitted
from exitentry.accounts.audit import Actor
from exitentry.appointments import services
from exitentry.appointments.models import Slot
from factories import applicant


@pytest.fixture
def booked_case():
    """An applicant's rp-work case booked into the first slot of the test week at the reception hall."""
    hall_with_slots("reception-hall", 30)
    user = applicant()
    case = submitted(user, "rp-work")
    return services.book(Actor(user), case, Slot.objects.order_by("starts_at").first().pk, now=BEFORE)


@pytest.fixture
def friday_before():
    """The pages are read on the Friday before the test week (the clock, today, the halls' "open now")."""
    with (
        mock.patch("exitentry.clock.now", return_value=BEFORE),
        mock.patch("exitentry.web.case_pages.beijing_today", return_value=BEFORE.date()),
        mock.patch("exitentry.web.views.beijing_now", return_value=BEFORE),
    ):
        yield
