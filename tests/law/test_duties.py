"""The scan's bounds (``duties``) say the same as the one-person functions, day by day, across month ends
and the National Day and Spring Festival rest days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from exitentry.law.rules import duties

DAYS = [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 400, 3)]


def around(on: date, before: int, after: int) -> list[date]:
    return [on + timedelta(days=n) for n in range(-before, after + 1)]


@pytest.mark.parametrize("on", DAYS[::4])
def test_the_expiries_with_the_extension_late_are_exactly_those_extension_late_finds(on: date) -> None:
    first, last = duties.expiries_with_extension_late(on)
    for expiry in around(on, 5, 40):
        assert (duties.extension_late(expiry, on) is not None) == (first <= expiry <= last), expiry


@pytest.mark.parametrize("on", DAYS[::4])
def test_the_cards_in_their_renewal_window_are_exactly_those_pr_card_renewal_open_finds(on: date) -> None:
    first, last = duties.card_expiries_in_renewal_window(on)
    for expiry in around(on, 5, 40):
        assert (duties.pr_card_renewal_open(expiry, on) is not None) == (first <= expiry <= last), expiry


@pytest.mark.parametrize("within", [None, 10, 30, 45])
@pytest.mark.parametrize("on", DAYS[::2])
def test_the_entries_past_the_residence_permit_deadline_are_those_residence_permit_late_finds(
    on: date, within: int | None
) -> None:
    latest = duties.latest_entry_with_residence_permit_late(on, within)
    for entry in around(on, 60, 0):
        assert (duties.residence_permit_late(entry, on, within) is not None) == (entry <= latest), entry


@pytest.mark.parametrize("within", [1, 10, 30])
@pytest.mark.parametrize("on", DAYS[::8])
def test_the_entries_with_the_residence_permit_coming_due_on_the_visas_days_are_those_it_finds(
    on: date, within: int
) -> None:
    first, last = duties.entries_with_residence_permit_coming_due(on, 10, within)
    for entry in around(on, 60, 5):
        found = duties.residence_permit_coming_due(entry, on, 10, within) is not None
        assert found == (first <= entry <= last), entry


def test_the_days_the_visa_states_set_the_residence_permit_deadline_else_the_laws_30() -> None:
    """Regulations Art. 9: the visa states the time limit for applying for the residence permit after
    entry; the Law's 30 days (Art. 30) where the visa's number is not given."""
    assert duties.residence_permit_due(date(2026, 3, 2), 10) == date(2026, 3, 12)
    assert duties.residence_permit_due(date(2026, 3, 2)) == date(2026, 4, 1)
    assert duties.residence_permit_due(date(2026, 3, 2), 30) == date(2026, 4, 1)
    assert duties.residence_permit_due(date(2026, 9, 25), 10) == date(2026, 10, 8)  # 5 October: National Day


def test_an_extension_is_late_from_the_29th_day_before_expiry() -> None:
    assert duties.extension_late(date(2026, 12, 31), date(2026, 12, 1)) is None
    assert duties.extension_late(date(2026, 12, 31), date(2026, 12, 2)) == date(2026, 12, 1)
    assert duties.extension_late(date(2026, 12, 31), date(2027, 1, 1)) is None  # run out: Art. 25(1) now


def test_a_residence_permit_due_on_a_rest_day_is_due_on_the_next_working_day() -> None:
    assert duties.residence_permit_due(date(2026, 9, 5)) == date(2026, 10, 8)  # 5 October: National Day
    assert duties.residence_permit_due(date(2026, 3, 1)) == date(2026, 3, 31)


@pytest.mark.parametrize("on", DAYS)
def test_the_changes_past_their_deadline_are_those_particulars_change_late_finds(on: date) -> None:
    latest = duties.latest_change_with_particulars_late(on)
    for change in around(on, 30, 0):
        assert (duties.particulars_change_late(change, on) is not None) == (change <= latest), change


def test_a_public_notice_is_refused_in_words_while_the_holder_may_still_report():
    """Regulations Art. 34(3) with Exit and Entry Administration Law Art. 33: the refusal is the law core's,
    with its days in words; from the first day a notice may be published there is none."""
    from exitentry.law.rules.public_notice import notice_may_be_published_from, publication_too_early

    changed = date(2026, 11, 2)
    first = notice_may_be_published_from(changed)
    refusal = publication_too_early(changed, first - timedelta(days=1))
    assert (
        "on 2 November 2026" in refusal.en
        and "until 12 November 2026" in refusal.en
        and "Exit and Entry Administration Law of the People's Republic of China, Art. 33" in refusal.en
    )
    assert "2026年11月2日" in refusal.zh and "第三十三条" in refusal.zh
    assert publication_too_early(changed, first) is None


# --- the legal last day, and the last day a hall is open on or before it ---------------------------


def _dated(obligation_id: str, fact: str, anchor: date, on: date):
    from exitentry.law.advice import dated_obligation
    from exitentry.law.catalog import catalog

    return dated_obligation(duties.obligation(obligation_id, on), catalog().calendar)(
        {fact: anchor}, on, set()
    )


@pytest.mark.parametrize(
    ("expiry", "legal", "open_day"),
    [
        pytest.param(date(2026, 10, 31), date(2026, 10, 1), date(2026, 9, 30), id="due on National Day"),
        pytest.param(
            date(2026, 3, 18), date(2026, 2, 16), date(2026, 2, 14), id="due in the Spring Festival holiday"
        ),
        pytest.param(date(2026, 12, 23), date(2026, 11, 23), None, id="due on a Monday the halls open"),
        pytest.param(date(2026, 12, 29), date(2026, 11, 29), date(2026, 11, 28), id="due on a Sunday"),
    ],
)
def test_an_extension_due_when_every_hall_is_closed_gives_the_last_day_one_opens(
    expiry: date, legal: date, open_day: date | None
) -> None:
    """The legal day stays as computed (seed "at least 30 days prior"); the practical one is beside it."""
    on = date(2026, 1, 5)
    assert duties.extension_due(expiry, on) == legal
    answer = _dated(duties.EXTENSION, "permit_expiry_date", expiry, on)
    assert (answer.due, answer.last_open_day) == (legal, open_day)
    assert answer.as_dict().get("last_open_day") == (open_day.isoformat() if open_day else None)


def test_a_card_renewal_window_ending_on_a_holiday_gives_the_last_day_a_hall_opens() -> None:
    answer = _dated(duties.PR_CARD_RENEWAL, "card_expiry_date", date(2026, 10, 3), date(2026, 9, 1))
    assert (answer.window_from, answer.due, answer.last_open_day) == (
        date(2026, 9, 3),
        date(2026, 10, 3),
        date(2026, 9, 30),
    )
