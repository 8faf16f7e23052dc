"""Enforcement checks: the exit deadline (Regulations Art. 33), the restricted-area duty (Art. 24) and the
24-hour detention transfer (Art. 29); rules.enforcement."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from exitentry.law.calendar import BEIJING
from exitentry.law.rulefunctions import RULE_FUNCTIONS
from exitentry.law.rules.enforcement import (
    ExitDeadlineTooLong,
    detention_transfer,
    exit_deadline,
    record_cites,
    restricted_area_duty,
)

D = date.fromisoformat


def beijing(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("ordered_on", "days", "last_day", "expires_at"),
    [
        pytest.param(
            "2026-11-22",
            15,
            "2026-12-07",
            "2026-12-08T00:00:00",
            id="15 days from an order on 22 November end on 7 December",
        ),
        pytest.param(
            "2026-09-24",
            15,
            "2026-10-09",
            "2026-10-10T00:00:00",
            id="15 days over National Day still end on 9 October, calendar days",
        ),
        pytest.param(
            "2026-09-30",
            1,
            "2026-10-01",
            "2026-10-02T00:00:00",
            id="one day from 30 September ends on the National Day holiday, not moved",
        ),
    ],
)
def test_the_exit_deadline_is_counted_in_calendar_days_from_the_day_after_the_order(
    ordered_on: str, days: int, last_day: str, expires_at: str
) -> None:
    deadline = exit_deadline(D(ordered_on), days)
    assert deadline.last_day == D(last_day)
    assert deadline.expires_at == beijing(expires_at)
    assert ("regulations", "Art. 33") in {(c.source, c.section) for c in deadline.cite}


def test_an_exit_deadline_of_16_days_is_refused() -> None:
    with pytest.raises(
        ExitDeadlineTooLong,
        match="at most 15 days \\(Regulations of the People.s Republic of China on .*, Art. 33\\), not 16",
    ):
        exit_deadline(D("2026-11-22"), 16)


def test_an_exit_deadline_of_no_days_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        exit_deadline(D("2026-11-22"), 0)


@pytest.mark.parametrize(
    ("restricted_by", "outside", "ok", "sections"),
    [
        pytest.param(None, True, True, {"Art. 24"}, id="without a restricted area there is no area duty"),
        pytest.param(
            "document", False, True, {"Art. 24"}, id="inside the area the document restricts the duty is met"
        ),
        pytest.param(
            "document",
            True,
            False,
            {"Art. 24", "Art. 25(3)"},
            id="outside the area the document restricts the duty is broken",
        ),
        pytest.param(
            "temporary-entry",
            True,
            False,
            {"Art. 24", "Art. 25(3)"},
            id="outside the area of a temporary entry the duty is broken",
        ),
    ],
)
def test_the_restricted_area_duty(
    restricted_by: str | None, outside: bool, ok: bool, sections: set[str]
) -> None:
    check = restricted_area_duty(restricted_by=restricted_by, outside_area=outside)
    assert check.ok is ok
    assert {c.section for c in check.cite} == sections
    assert check.text.en and check.text.zh


def test_an_unknown_restriction_source_is_refused() -> None:
    with pytest.raises(ValueError, match="restricted_by"):
        restricted_area_duty(restricted_by="hotel", outside_area=False)


DETAINED = beijing("2026-11-20T10:00:00")


@pytest.mark.parametrize(
    ("transferred_at", "now", "ok"),
    [
        pytest.param(
            beijing("2026-11-21T10:00:00"),
            beijing("2026-11-22T10:00:00"),
            True,
            id="a transfer exactly 24 hours later is in time",
        ),
        pytest.param(
            beijing("2026-11-21T10:00:01"),
            beijing("2026-11-22T10:00:00"),
            False,
            id="a transfer one second after 24 hours is late",
        ),
        pytest.param(
            datetime(2026, 11, 21, 1, 59, tzinfo=UTC),
            beijing("2026-11-22T10:00:00"),
            True,
            id="a transfer recorded in UTC is compared as the same instant",
        ),
        pytest.param(
            None,
            beijing("2026-11-21T09:00:00"),
            True,
            id="not yet transferred within the 24 hours is still in time",
        ),
        pytest.param(
            None, beijing("2026-11-21T10:00:01"), False, id="not yet transferred after 24 hours is overdue"
        ),
    ],
)
def test_a_detained_foreigner_is_transferred_within_24_hours(
    transferred_at: datetime | None, now: datetime, ok: bool
) -> None:
    check = detention_transfer(DETAINED, transferred_at=transferred_at, now=now)
    assert check.ok is ok
    assert check.due == beijing("2026-11-21T10:00:00")
    assert [(c.source, c.section) for c in check.cite] == [("regulations", "Art. 29 para. 2")]


def test_a_detention_time_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        detention_transfer(datetime(2026, 11, 20, 10, 0), transferred_at=None, now=DETAINED)


def test_a_transfer_before_the_detention_is_refused() -> None:
    with pytest.raises(ValueError, match="before the detention"):
        detention_transfer(DETAINED, transferred_at=beijing("2026-11-20T09:00:00"), now=DETAINED)


def test_each_kind_of_record_cites_an_article_a_rule_of_the_module_encodes():
    encoded = {c for f in RULE_FUNCTIONS.values() if ".rules.enforcement." in f.name for c in f.cite}
    cited = record_cites()
    assert set(cited) == {"detention", "restriction", "repatriation", "costs", "order"}
    assert all(set(c) <= encoded for c in cited.values()), cited
