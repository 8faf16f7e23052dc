"""Facts: input is checked against its definition; nothing is defaulted or guessed."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.catalog import catalog
from exitentry.law.facts import Duration, FactError, parse_facts

D = date.fromisoformat
ON = D("2026-11-22")


def parse(raw: dict[str, object], on: date = ON) -> dict[str, object]:
    return parse_facts(raw, catalog().facts, on)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        pytest.param("true", True, id="true"),
        pytest.param("yes", True, id="yes"),
        pytest.param("YES", True, id="YES"),
        pytest.param(True, True, id="a JSON true"),
        pytest.param("false", False, id="false"),
        pytest.param("no", False, id="no"),
        pytest.param(False, False, id="a JSON false"),
    ],
)
def test_a_yes_or_no_fact_is_read(raw: object, value: bool) -> None:
    assert parse({"limited_mobility": raw}) == {"limited_mobility": value}


@pytest.mark.parametrize("raw", ["maybe", 2, 1.0], ids=["maybe", "the number 2", "a float"])
def test_a_yes_or_no_fact_refuses_anything_else(raw: object) -> None:
    with pytest.raises(FactError) as raised:
        parse({"limited_mobility": raw})
    assert raised.value.fact == "limited_mobility"


def test_a_date_fact_is_read_from_yyyy_mm_dd() -> None:
    assert parse({"entry_date": "2026-03-01"}) == {"entry_date": D("2026-03-01")}


@pytest.mark.parametrize("raw", ["2026-02-30", "2026-13-01", "next Tuesday", 20260301])
def test_an_impossible_date_is_refused_naming_the_fact(raw: object) -> None:
    with pytest.raises(FactError, match=r"^entry_date: ") as raised:
        parse({"entry_date": raw})
    assert raised.value.fact == "entry_date"
    assert str(raw) in raised.value.message


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        pytest.param("85", 85, id="the text 85"),
        pytest.param(0, 0, id="the lower bound 0"),
        pytest.param(100, 100, id="the upper bound 100"),
    ],
)
def test_a_whole_number_within_its_bounds_is_read(raw: object, value: int) -> None:
    assert parse({"zgc_score": raw}) == {"zgc_score": value}


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        pytest.param(101, "at most 100", id="101 is above the maximum"),
        pytest.param(-1, "at least 0", id="-1 is below the minimum"),
        pytest.param("eighty", "whole number", id="a word"),
        pytest.param(85.5, "whole number", id="a fraction"),
        pytest.param(True, "whole number", id="a yes"),
    ],
)
def test_a_whole_number_out_of_bounds_or_not_a_number_is_refused(raw: object, reason: str) -> None:
    with pytest.raises(FactError, match=reason) as raised:
        parse({"zgc_score": raw})
    assert raised.value.fact == "zgc_score"


def test_an_option_is_read_by_its_value() -> None:
    assert parse({"ground": "family"}) == {"ground": "family"}


@pytest.mark.parametrize("raw", ["Family", "tourism", 1])
def test_a_value_that_is_not_an_option_is_refused_listing_the_options(raw: object) -> None:
    with pytest.raises(
        FactError, match="family, chinese-origin-property, medical, other-private-affairs"
    ) as raised:
        parse({"ground": raw})
    assert raised.value.fact == "ground"


@pytest.mark.parametrize(
    ("raw", "months", "days"),
    [
        pytest.param("P1Y6M", 18, 0, id="P1Y6M is 18 months"),
        pytest.param("P180D", 0, 180, id="P180D is 180 days"),
        pytest.param("P5Y", 60, 0, id="P5Y is 60 months"),
        pytest.param("P1Y1D", 12, 1, id="P1Y1D is 12 months and a day"),
        pytest.param(" p2y ", 24, 0, id="lower case with spaces"),
    ],
)
def test_a_duration_is_read_in_iso_8601(raw: str, months: int, days: int) -> None:
    assert parse({"validity": raw}) == {"validity": Duration(months, days)}


@pytest.mark.parametrize("raw", ["two years", "P", "1Y", "P1W", "P-1Y", "PT12H", 12])
def test_a_duration_that_is_not_iso_8601_is_refused_naming_the_fact(raw: object) -> None:
    with pytest.raises(FactError, match=r"^validity: ") as raised:
        parse({"validity": raw})
    assert raised.value.fact == "validity"


def test_a_length_that_is_not_one_tells_people_their_forms_and_an_api_client_iso_8601() -> None:
    """People give a length in years, months and days (the pages' picker) and are never shown ISO 8601; an
    API client, which sends ISO 8601, is told in those terms, in both languages."""
    with pytest.raises(FactError) as raised:
        parse({"validity": "two years"})
    text, api = raised.value.text, raised.value.api
    assert text.en == "Give a length in years, months and days, such as 1 year 6 months, or 180 days."
    assert text.zh == "请按年、月、日填写期限，如1年6个月，或180日。"
    assert "P1Y" not in text.en + text.zh and "P180D" not in text.en + text.zh
    assert api.en == "validity: 'two years' is not a duration such as P1Y, P6M, P2Y6M or P180D"
    assert api.zh == "期限须为ISO 8601格式，如P1Y、P6M、P2Y6M或P180D。"


@pytest.mark.parametrize("raw", ["P0D", "P0Y0M", "P0Y0M0D"])
def test_a_duration_of_zero_is_refused_naming_the_fact(raw: str) -> None:
    with pytest.raises(FactError, match="longer than zero") as raised:
        parse({"validity": raw})
    assert raised.value.text.en == "The validity must be longer than zero."
    assert raised.value.text.zh == "有效期必须大于零。"


@pytest.mark.parametrize("raw", ["P99999Y", "P1201M", "P36601D", "P50Y18301D", "P99999999D"])
def test_a_duration_longer_than_a_century_is_refused_in_both_languages(raw: str) -> None:
    with pytest.raises(FactError, match="longer than 100 years") as raised:
        parse({"validity": raw})
    assert raised.value.text.zh == "有效期最长为100年（1200个月，或36600日）。"
    assert raised.value.text.en == "The validity may be at most 100 years (1,200 months, or 36,600 days)."
    # an API client is told in the API's own terms, ISO 8601
    assert (
        raised.value.api.en.startswith("validity: ") and "(P100Y, P1200M or P36600D)" in raised.value.api.en
    )
    assert raised.value.api.zh == "有效期最长为100年（P100Y、P1200M或P36600D）。"


@pytest.mark.parametrize("raw", ["P100Y", "P1200M", "P36600D", "P50Y18300D"])
def test_a_duration_of_a_century_is_read(raw: str) -> None:
    assert parse({"validity": raw})["validity"] == Duration.parse(raw)


@pytest.mark.parametrize("raw", ["1899-12-31", "2200-01-01", "0001-01-01", "9999-12-31"])
def test_a_date_too_far_for_any_period_to_be_counted_from_it_is_refused(raw: str) -> None:
    with pytest.raises(FactError, match="is not between 1900-01-01 and 2199-12-31") as raised:
        parse({"entry_date": raw})
    assert raised.value.text.zh == "请输入1900年1月1日至2199年12月31日之间的日期。"
    assert raised.value.text.en == "Enter a date from 1 January 1900 to 31 December 2199."


@pytest.mark.parametrize("text", ["P1Y", "P6M", "P2Y6M", "P180D", "P1Y1D"])
def test_a_duration_is_written_back_as_it_was_read(text: str) -> None:
    assert str(Duration.parse(text)) == text


@pytest.mark.parametrize(
    ("duration", "start", "end"),
    [
        pytest.param(
            "P1Y", D("2024-02-29"), D("2025-02-28"), id="a year from 29 February ends on 28 February"
        ),
        pytest.param(
            "P1Y6M", D("2024-08-31"), D("2026-02-28"), id="18 months from 31 August clamp to 28 February"
        ),
        pytest.param("P1M1D", D("2026-01-31"), D("2026-03-01"), id="months first, then days"),
        pytest.param("P180D", D("2026-03-01"), D("2026-08-28"), id="180 calendar days"),
    ],
)
def test_a_duration_ends_on_the_corresponding_day(duration: str, start: date, end: date) -> None:
    assert Duration.parse(duration).end_from(start) == end


def test_an_unknown_fact_is_refused_by_name() -> None:
    with pytest.raises(FactError, match="not a fact the rules know") as raised:
        parse({"favourite_colour": "red"})
    assert raised.value.fact == "favourite_colour"


def test_a_derived_fact_cannot_be_given_directly() -> None:
    with pytest.raises(FactError) as raised:
        parse({"age": 30})
    assert raised.value.fact == "age"


@pytest.mark.parametrize("empty", [None, ""], ids=["null", "blank"])
def test_an_empty_value_stays_unknown_and_is_never_guessed(empty: object) -> None:
    assert parse({"limited_mobility": empty, "entry_date": empty, "ground": empty, "validity": empty}) == {}


def test_the_age_is_derived_from_the_date_of_birth_on_the_advice_date() -> None:
    assert parse({"birth_date": "1966-11-22"})["age"] == 60
    assert parse({"birth_date": "1966-11-22"}, on=D("2026-11-21"))["age"] == 59


def test_a_child_born_on_the_advice_date_is_aged_0() -> None:
    assert parse({"birth_date": "2026-11-22"})["age"] == 0


def test_a_birth_date_after_the_advice_date_is_refused() -> None:
    with pytest.raises(FactError, match="after the date of the advice") as raised:
        parse({"birth_date": "2026-11-23"})
    assert raised.value.fact == "birth_date"
