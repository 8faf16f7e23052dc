"""The hall's counter steps (receiving the materials, accepting, handing over the permit) are taken on a
day the hall opens (seed 000 "Hours: Monday - Saturday"; statutory holidays closed): the processing clock
never starts on a Sunday."""

from __future__ import annotations

from datetime import date

import pytest

from case_helpers import hall_accepts, hall_receives, submitted, upload_everything
from exitentry.cases import services
from exitentry.cases.lifecycle import State
from factories import TODAY, actor, applicant, officer

pytestmark = pytest.mark.django_db

SUNDAY = date(2026, 11, 8)
NATIONAL_DAY = date(2026, 10, 2)


@pytest.mark.parametrize("day", [SUNDAY, NATIONAL_DAY])
def test_the_materials_are_not_received_on_a_day_the_hall_is_closed(day: date) -> None:
    user = applicant()
    case = submitted(user, "rp-extension")
    clerk = actor(officer(case.hall_id))
    with pytest.raises(services.Refused, match="is closed on") as refused:
        hall_receives(clerk, case, on=day)
    assert refused.value.field == "on" and "不对外办公" in refused.value.message.zh
    case.refresh_from_db()
    assert case.state == State.SUBMITTED and case.received_on is None


def test_an_application_is_not_accepted_on_a_sunday() -> None:
    user = applicant()
    case = submitted(user, "rp-extension")
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)
    upload_everything(user, case)
    with pytest.raises(services.Refused, match="is closed on"):
        hall_accepts(clerk, case, on=SUNDAY)
    saturday = date(2026, 11, 7)  # the halls open Monday to Saturday
    assert hall_accepts(clerk, case, on=saturday).issued_on == saturday
