"""The events a unit reports under Regulations Art. 26, and what each does (rules.unit_reports)."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.model import RESIDENCE_PERMIT_TYPES
from exitentry.law.rules.grounds import ground
from exitentry.law.rules.unit_reports import (
    DEATH_FOLLOW_UP_GROUND,
    FOLLOW_UP_GROUND,
    ReportRefused,
    all_events,
    effect,
    events_to_report,
)

ON = date(2026, 12, 6)


def ids(events) -> list[str]:
    return [e.id for e in events]


def test_an_employer_reports_a_resignation_a_move_a_violation_a_death_and_a_disappearance() -> None:
    assert ids(events_to_report("employee", ON)) == [
        "employee-resigned",
        "employee-changed-work-location",
        "violation",
        "died",
        "went-missing",
        "other-circumstance",
    ]


def test_a_school_reports_the_five_ways_a_student_leaves_and_items_3_and_4() -> None:
    assert ids(events_to_report("student", ON)) == [
        "student-graduated",
        "student-completed",
        "student-discontinued",
        "student-withdrew",
        "student-left",
        "violation",
        "died",
        "went-missing",
        "other-circumstance",
    ]


def test_before_the_regulations_took_effect_no_event_is_to_be_reported() -> None:
    assert events_to_report("employee", date(2013, 8, 31)) == ()


@pytest.mark.parametrize(
    ("event", "item"),
    [
        ("employee-resigned", "Art. 26(1)"),
        ("employee-changed-work-location", "Art. 26(1)"),
        ("student-withdrew", "Art. 26(2)"),
        ("violation", "Art. 26(3)"),
        ("went-missing", "Art. 26(4)"),
    ],
)
def test_each_event_cites_the_item_of_article_26_it_falls_under(event: str, item: str) -> None:
    found = next(e for e in all_events() if e.id == event)
    assert [(c.source, c.section) for c in found.cite] == [("regulations", item)]


@pytest.mark.parametrize(
    ("event", "relation", "ends_place", "ends_basis_of"),
    [
        ("employee-resigned", "employee", True, ("work",)),
        ("employee-changed-work-location", "employee", False, ()),  # Art. 26(1): reported only
        ("student-graduated", "student", True, ("study",)),
        ("student-left", "student", True, ("study",)),
        ("violation", "employee", False, ()),
        ("went-missing", "employee", False, ()),
    ],
)
def test_what_a_report_ends(event: str, relation: str, ends_place: bool, ends_basis_of: tuple) -> None:
    done = effect(event, relation, ON)
    assert (done.ends_place, done.ends_basis_of, done.opens_follow_up) == (
        ends_place,
        ends_basis_of,
        bool(ends_basis_of),
    )
    if ends_basis_of:
        assert done.follow_up_ground == FOLLOW_UP_GROUND


@pytest.mark.parametrize("relation", ["employee", "student"])
def test_a_death_ends_the_place_and_the_hall_cancels_the_permit_not_a_reason_change(relation: str) -> None:
    """Exit and Entry Administration Law Art. 40 para. 2: the death is declared with the death certificate
    and the stay or residence permit is cancelled; no Art. 34(3) report by the holder, no public notice."""
    done = effect("died", relation, ON)
    assert (done.ends_place, done.ends_basis_of) == (True, ())
    assert done.opens_follow_up and done.follow_up_ground == DEATH_FOLLOW_UP_GROUND
    assert done.follow_up_of == RESIDENCE_PERMIT_TYPES  # whatever its type: the holder is dead
    assert [(c.source, c.section) for c in done.cite] == [
        ("regulations", "Art. 26(4)"),
        ("exit-entry-law", "Art. 40 para. 2"),
    ]
    follow_up = ground(DEATH_FOLLOW_UP_GROUND)
    assert follow_up.kind == "follow-up" and "cancel" in follow_up.text.en and "注销" in follow_up.text.zh
    assert "34" not in follow_up.text.en + follow_up.text.zh


def test_a_disappearance_keeps_the_person_on_the_roster_and_opens_nothing() -> None:
    done = effect("went-missing", "employee", ON)
    assert (done.ends_place, done.ends_basis_of, done.opens_follow_up, done.follow_up_ground) == (
        False,
        (),
        False,
        None,
    )


def test_an_event_that_ends_the_basis_of_a_permit_cites_art_34_3_beside_art_26() -> None:
    sections = [c.section for c in effect("employee-resigned", "employee", ON).cite]
    assert sections == ["Art. 26(1)", "Art. 34(3)"]
    assert [c.section for c in effect("violation", "student", ON).cite] == ["Art. 26(3)"]


def test_the_follow_up_ground_cites_art_34_3_and_art_26_in_both_languages() -> None:
    follow_up = ground(FOLLOW_UP_GROUND)
    assert follow_up.kind == "follow-up"
    assert [c.section for c in follow_up.cite] == ["Art. 34(3)", "Art. 26"]
    assert follow_up.text.en and follow_up.text.zh


def test_a_student_event_is_refused_for_an_employee_in_both_languages() -> None:
    with pytest.raises(ReportRefused) as refused:
        effect("student-graduated", "employee", ON)
    assert (
        "is not reported for an employee" in refused.value.text.en and "聘用的外国人" in refused.value.text.zh
    )
    with pytest.raises(ReportRefused) as refused:
        effect("employee-resigned", "student", ON)
    assert "is not reported for a student; choose" in refused.value.text.en


def test_an_unknown_event_is_refused_naming_the_events_there_are() -> None:
    with pytest.raises(ReportRefused) as refused:
        effect("fired", "employee", ON)
    assert "employee-resigned" in refused.value.text.en and "fired" in refused.value.text.zh


def test_no_event_sets_a_day_count_the_article_only_says_promptly() -> None:
    from exitentry.law.rules.grounds import ground_kind

    assert ground_kind("unit-report").deadline.en == "promptly on discovering it"
    assert not any(any(ch.isdigit() for ch in e.text.en) for e in all_events())
