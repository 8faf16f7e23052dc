"""The pilot policies' halls (seed 000 and seed 003 "Where to apply"): the Chaoyang and Shunyi centres take,
besides residence permits on the basis of employment, study, family reunion or private affairs, "foreign
employees in demonstrating entities and enterprises in Chaoyang [Shunyi] District who meet the terms and
conditions stipulated in the Ten Immigration Policies ... and the Twenty Immigration Policies". The seeds
give the hall and no easing of the procedure itself, so the fact ``pilot_zone_employee`` routes only.
"""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.advice import advise
from exitentry.law.catalog import catalog
from exitentry.law.halls import hall_facts, halls_accepting, halls_listed

ON = date(2026, 3, 9)
GENERAL = ["reception-hall", "zhongguancun"]
EVERY_RP_HALL = ["reception-hall", "zhongguancun", "chaoyang", "shunyi", "shijingshan", "tongzhou"]


def hall_ids(procedure_id: str, **facts: object) -> list[str]:
    return [h.id for h in halls_accepting(catalog().procedure(procedure_id), facts)]


@pytest.mark.parametrize(
    ("procedure_id", "pilot", "halls"),
    [
        pytest.param("pr-zhongguancun", "none", GENERAL, id="seed 003: a ZGC talent not in a pilot entity"),
        pytest.param(
            "pr-zhongguancun",
            "chaoyang",
            [*GENERAL, "chaoyang"],
            id="seed 003: 'foreign employees in demonstrating entities ... in Chaoyang District' may go to Chaoyang",
        ),
        pytest.param(
            "pr-application",
            "shunyi",
            [*GENERAL, "shunyi"],
            id="seed 000: '... in Shunyi District' may go to Shunyi, not to Chaoyang",
        ),
        pytest.param(
            "visa-extension", "chaoyang", [*GENERAL, "chaoyang"], id="the note names people, not procedures"
        ),
        pytest.param(
            "rp-personal-affairs",
            "chaoyang",
            EVERY_RP_HALL,
            id="residence permits: every hall already, unchanged",
        ),
        pytest.param(
            "one-stop-work-permits",
            "chaoyang",
            ["one-stop-counter"],
            id="seed 002: the one-stop service stays at its own counters",
        ),
    ],
)
def test_a_pilot_entity_employee_may_also_apply_at_the_district_centre(procedure_id, pilot, halls) -> None:
    assert hall_ids(procedure_id, pilot_zone_employee=pilot) == halls


def test_without_the_answer_the_district_centres_take_only_residence_permits() -> None:
    assert hall_ids("pr-zhongguancun") == GENERAL


def test_the_advice_routes_by_the_answer() -> None:
    facts = {"pilot_zone_employee": "shunyi", "household_registration_in_china": False}
    assert [h.id for h in advise("pr-application", facts, ON).halls] == [*GENERAL, "shunyi"]
    assert [h.id for h in advise("pr-application", {}, ON).halls] == GENERAL


@pytest.mark.parametrize(
    ("procedure_id", "asked"),
    [
        pytest.param("pr-zhongguancun", ("pilot_zone_employee",), id="the answer adds a hall: worth asking"),
        pytest.param("rp-personal-affairs", (), id="the answer changes nothing: not asked"),
        pytest.param("one-stop-work-permits", (), id="a dedicated counter: not asked"),
    ],
)
def test_the_fact_is_offered_only_where_it_changes_the_halls(procedure_id, asked) -> None:
    assert hall_facts(catalog().procedure(procedure_id)) == asked


def test_the_guide_lists_the_district_centres_a_pilot_employee_may_use() -> None:
    assert [h.id for h in halls_listed(catalog().procedure("pr-zhongguancun"))] == [
        *GENERAL,
        "chaoyang",
        "shunyi",
    ]
