"""Where a pilot entity's employee may submit (seed 000 and seed 003 "Where to apply": the Chaoyang and
Shunyi centres take "foreign employees in demonstrating entities and enterprises" of their district)."""

from __future__ import annotations

import pytest

from case_helpers import started
from exitentry.cases import services
from exitentry.law.catalog import catalog
from factories import TODAY, actor, applicant, eligible_facts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("pilot", "hall", "taken"),
    [
        pytest.param("chaoyang", "chaoyang", True, id="a Chaoyang pilot employee submits in Chaoyang"),
        pytest.param("shunyi", "chaoyang", False, id="a Shunyi pilot employee does not"),
        pytest.param("none", "chaoyang", False, id="nor does anyone else"),
    ],
)
def test_a_permanent_residence_application_at_the_district_centre(pilot, hall, taken) -> None:
    user = applicant()
    facts = eligible_facts("pr-application") | {"pilot_zone_employee": pilot}
    case = started(user, "pr-application", facts=facts)
    assert (hall in services.hall_choices(catalog().procedure("pr-application"), case.facts)) is taken
    if taken:
        assert services.submit(actor(user), case, hall, on=TODAY).hall_id == hall
    else:
        with pytest.raises(services.Refused, match="cannot be submitted to") as refused:
            services.submit(actor(user), case, hall, on=TODAY)
        assert refused.value.field == "hall_id"
