"""Conditions in three values: true, false, or unknown because a fact they depend on is missing."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.catalog import catalog
from exitentry.law.conditions import compile_condition
from exitentry.law.facts import parse_facts

D = date.fromisoformat
ON = D("2026-11-22")
FAMILY_ON_S_VISA = {"all": [{"ground": "family"}, {"visa_category": ["S1", "S2"]}]}
YOUNG_OLD_OR_LIMITED = {"any": [{"age": {"lt": 16}}, {"age": {"gte": 60}}, {"limited_mobility": True}]}


def evaluate(raw: object, facts: dict[str, object], on: date = ON) -> tuple[bool | None, set[str]]:
    """The condition's value on the facts, and the facts it recorded as missing."""
    condition = compile_condition(raw, catalog().facts, "test")
    missing: set[str] = set()
    return condition.evaluate(parse_facts(facts, catalog().facts, on), on, missing), missing


@pytest.mark.parametrize(
    ("raw", "facts", "expected"),
    [
        pytest.param({"ground": "family"}, {"ground": "family"}, (True, set()), id="equal is true"),
        pytest.param({"ground": "family"}, {"ground": "medical"}, (False, set()), id="different is false"),
        pytest.param(
            {"ground": "family"}, {}, (None, {"ground"}), id="a missing fact is unknown and recorded"
        ),
        pytest.param(
            {"visa_category": ["S1", "S2"]}, {"visa_category": "S2"}, (True, set()), id="one of, in the list"
        ),
        pytest.param(
            {"visa_category": ["S1", "S2"]}, {"visa_category": "Q1"}, (False, set()), id="one of, not in it"
        ),
        pytest.param(
            {"age": {"gte": 60}}, {"birth_date": "1966-11-22"}, (True, set()), id="aged 60 is 60 or over"
        ),
        pytest.param({"age": {"gte": 60}}, {"birth_date": "1966-11-23"}, (False, set()), id="aged 59 is not"),
        pytest.param(
            {"age": {"gte": 60}}, {}, (None, {"birth_date"}), id="age is asked for as the birth date"
        ),
        pytest.param(
            {"age": {"lt": 16}}, {"birth_date": "2010-11-22"}, (False, set()), id="aged 16 is not under 16"
        ),
        pytest.param(
            {"age": {"ne": 16}}, {"birth_date": "2010-11-23"}, (True, set()), id="aged 15 is not 16"
        ),
    ],
)
def test_a_single_test_of_a_fact(raw: object, facts: dict, expected: tuple) -> None:
    assert evaluate(raw, facts) == expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(
            {"ground": "medical"},
            (False, set()),
            id="false when one part is false though the other is unknown",
        ),
        pytest.param(
            {"ground": "family"}, (None, {"visa_category"}), id="unknown when it depends on the missing part"
        ),
        pytest.param(
            {"ground": "family", "visa_category": "S1"}, (True, set()), id="true when every part is true"
        ),
        pytest.param(
            {}, (None, {"ground", "visa_category"}), id="every missing part it depends on is recorded"
        ),
    ],
)
def test_all_of_several_parts(facts: dict, expected: tuple) -> None:
    assert evaluate(FAMILY_ON_S_VISA, facts) == expected


def test_a_mapping_with_several_keys_means_all_of_them() -> None:
    assert evaluate({"ground": "family", "visa_category": ["S1", "S2"]}, {"ground": "medical"}) == (
        False,
        set(),
    )
    assert evaluate({"ground": "family", "visa_category": ["S1", "S2"]}, {"ground": "family"}) == (
        None,
        {"visa_category"},
    )


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(
            {"birth_date": "2012-01-01"},
            (True, set()),
            id="true when one part is true though another is unknown",
        ),
        pytest.param(
            {"limited_mobility": True}, (True, set()), id="true on limited mobility without the age"
        ),
        pytest.param(
            {"birth_date": "1990-01-01"},
            (None, {"limited_mobility"}),
            id="unknown when it depends on the missing part",
        ),
        pytest.param(
            {"birth_date": "1990-01-01", "limited_mobility": False},
            (False, set()),
            id="false when every part is false",
        ),
        pytest.param(
            {}, (None, {"birth_date", "limited_mobility"}), id="every missing part it depends on is recorded"
        ),
    ],
)
def test_any_of_several_parts(facts: dict, expected: tuple) -> None:
    assert evaluate(YOUNG_OLD_OR_LIMITED, facts) == expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param({}, (None, {"ground"}), id="not of unknown is unknown"),
        pytest.param({"ground": "family"}, (False, set()), id="not of true is false"),
        pytest.param({"ground": "medical"}, (True, set()), id="not of false is true"),
    ],
)
def test_not(facts: dict, expected: tuple) -> None:
    assert evaluate({"not": {"ground": "family"}}, facts) == expected


def test_nested_all_inside_not_inside_all_is_decided_by_its_false_part() -> None:
    raw = {
        "all": [
            {"ground": "family"},
            {"not": {"visa_category": ["S1", "S2"]}},
            {"documents_issued_abroad": True},
        ]
    }
    assert evaluate(raw, {"ground": "family", "visa_category": "S1"}) == (False, set())
    assert evaluate(raw, {"ground": "family", "visa_category": "Q1"}) == (None, {"documents_issued_abroad"})


@pytest.mark.parametrize(
    ("validity", "on", "expected"),
    [
        pytest.param("P1Y", ON, False, id="P1Y is not more than a year"),
        pytest.param("P1Y1D", ON, True, id="P1Y1D is more than a year"),
        pytest.param("P13M", ON, True, id="P13M is more than a year"),
        pytest.param("P365D", D("2026-01-10"), False, id="365 days is a year from 10 January 2026"),
        pytest.param("P366D", D("2026-01-10"), True, id="366 days is more than a year from 10 January 2026"),
        pytest.param(
            "P366D", D("2024-01-10"), False, id="366 days is a year from 10 January 2024 (leap year)"
        ),
    ],
)
def test_durations_compare_by_the_day_they_end_on(validity: str, on: date, expected: bool) -> None:
    assert evaluate({"validity": {"gt": "P1Y"}}, {"validity": validity}, on) == (expected, set())


def test_a_comparison_with_two_bounds_needs_both() -> None:
    between = {"validity": {"gte": "P180D", "lte": "P5Y"}}
    assert evaluate(between, {"validity": "P179D"}) == (False, set())
    assert evaluate(between, {"validity": "P5Y"}) == (True, set())
    assert evaluate(between, {"validity": "P5Y1D"}) == (False, set())


@pytest.mark.parametrize("raw", [True, None], ids=["true", "absent"])
def test_an_absent_or_true_condition_always_holds_and_needs_no_facts(raw: object) -> None:
    condition = compile_condition(raw, catalog().facts, "test")
    assert condition.always
    assert condition.evaluate({}, ON, set()) is True


def test_a_condition_lists_the_facts_it_is_asked_through() -> None:
    condition = compile_condition(YOUNG_OLD_OR_LIMITED, catalog().facts, "test")
    assert condition.facts == {"birth_date", "limited_mobility"}


def test_a_condition_reads_as_text_for_the_trace() -> None:
    condition = compile_condition(FAMILY_ON_S_VISA, catalog().facts, "test")
    assert condition.text == "ground = family and visa_category in [S1, S2]"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        pytest.param({"favourite_colour": "red"}, "unknown fact 'favourite_colour'", id="an unknown fact"),
        pytest.param({"ground": "spaceship"}, "'spaceship'", id="an unknown option"),
        pytest.param({"visa_category": ["S1", "S9"]}, "'S9'", id="an unknown option in a list"),
        pytest.param(
            {"age": {"between": [16, 60]}}, "unknown comparison 'between'", id="an unknown operator"
        ),
        pytest.param({"validity": {"gt": "P1X"}}, "'P1X'", id="a threshold that is not a duration"),
        pytest.param(
            {"entry_date": {"gt": "2026-02-30"}}, "'2026-02-30'", id="a threshold that is not a date"
        ),
        pytest.param({"limited_mobility": "perhaps"}, "'perhaps'", id="a yes-or-no test against a word"),
        pytest.param({"any": []}, "non-empty list", id="any of nothing"),
        pytest.param({"all": {"ground": "family"}}, "non-empty list", id="all of a mapping"),
        pytest.param({}, "non-empty mapping", id="an empty mapping"),
        pytest.param(False, "non-empty mapping", id="false"),
    ],
)
def test_catalog_data_that_does_not_fit_is_refused_at_compile_time_naming_the_entry(
    raw: object, reason: str
) -> None:
    with pytest.raises(ValueError, match=r"^procedures/x.yaml: rule y: ") as raised:
        compile_condition(raw, catalog().facts, "procedures/x.yaml: rule y")
    assert reason in str(raised.value)
