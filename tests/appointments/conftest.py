from __future__ import annotations

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
