"""Scenarios from the Beijing one-stop guide (seed 002): work permit and work-type residence permit together.

Expected dates are worked out by hand on the 2026 holiday table (DOMAIN-FACTS): Spring Festival rest
15-23 Feb with make-up working Saturdays 14 and 28 Feb; Mid-Autumn rest 25-27 Sep; National Day 1-7 Oct.
"""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.advice import ANSWER_SECTIONS, COMPLETE, INELIGIBLE, NEEDS_FACTS, NotInForce, advise
from exitentry.law.intake import (
    APPOINTMENT_LETTER,
    SubmissionRefused,
    WhoMayHandIn,
    check_submitter,
    comes_in_person,
    not_booked_here,
)

NEW = "one-stop-work-permits"
RENEWAL = "one-stop-work-permits-renewal"
TRANSFER = "one-stop-work-permits-transfer"
ON_SITE = [
    "online-attachments",
    "passport",
    "registered-handler-id",
    "application-form",
    "accommodation-registration",
    "employer-opinion-letter",
]
MONDAY = date(2026, 3, 9)
EVERYDAY = {
    "one_stop_route": "notification-letter",
    "household_registration_in_china": False,
    "work_permit_category": "B",
    "birth_date": "1985-06-01",
    "limited_mobility": False,
    "high_level_talent": False,
    "validity": "P1Y",
    "visa_requires_residence_permit": False,
    "other_staff_handle": False,
}


def facts(**changes: object) -> dict[str, object]:
    return {**EVERYDAY, **changes}


def ids(answers) -> list[str]:
    return [a.id for a in answers]


def line(answers, line_id: str):
    (found,) = (a for a in answers if a.id == line_id)
    return found


@pytest.mark.parametrize(
    ("changes", "status", "failed"),
    [
        pytest.param({}, COMPLETE, [], id="a holder of the notification letter may use the one-stop service"),
        pytest.param(
            {"one_stop_route": "in-china"}, COMPLETE, [], id="a talent already in the mainland may use it"
        ),
        pytest.param(
            {"one_stop_route": "renewal"},
            INELIGIBLE,
            ["route"],
            id="a renewal is sent to the one-stop renewal procedure",
        ),
        pytest.param(
            {"one_stop_route": "transfer"},
            INELIGIBLE,
            ["route"],
            id="a change of employer is sent to the one-stop change-of-employer procedure",
        ),
        pytest.param(
            {"household_registration_in_china": True},
            INELIGIBLE,
            ["no-household-registration"],
            id="an uncancelled household registration bars the application",
        ),
    ],
)
def test_who_may_apply_for_both_permits_at_once(changes, status, failed):
    advice = advise(NEW, facts(**changes), MONDAY)
    assert advice.status == status
    assert [a.id for a in advice.eligibility if a.met is False] == failed
    assert all(a.failure is not None for a in advice.eligibility if a.met is False)


def test_a_renewal_has_only_the_household_registration_bar_and_the_validity_range():
    advice = advise(
        RENEWAL,
        {"household_registration_in_china": True, "work_permit_category": "A", "validity": "P1Y"},
        MONDAY,
    )
    assert advice.status == INELIGIBLE
    assert ids(advice.eligibility) == ["no-household-registration", "validity-in-range"]


@pytest.mark.parametrize("procedure", [NEW, RENEWAL])
@pytest.mark.parametrize(
    ("category", "on", "working_days", "due"),
    [
        pytest.param("A", date(2026, 3, 9), 1, date(2026, 3, 10), id="category A on a Monday: Tuesday"),
        pytest.param("B", date(2026, 3, 9), 3, date(2026, 3, 12), id="category B on a Monday: Thursday"),
        pytest.param("C", date(2026, 3, 9), 3, date(2026, 3, 12), id="category C on a Monday: Thursday"),
        pytest.param(
            "A",
            date(2026, 2, 13),
            1,
            date(2026, 2, 14),
            id="category A before Spring Festival: make-up Saturday",
        ),
        pytest.param(
            "B", date(2026, 2, 13), 3, date(2026, 2, 25), id="category B before Spring Festival: 25 February"
        ),
        pytest.param(
            "A", date(2026, 9, 24), 1, date(2026, 9, 28), id="category A before Mid-Autumn: the Monday after"
        ),
        pytest.param(
            "C", date(2026, 9, 24), 3, date(2026, 9, 30), id="category C before Mid-Autumn: 30 September"
        ),
    ],
)
def test_the_online_pre_examination_takes_one_or_three_working_days(
    procedure, category, on, working_days, due
):
    advice = advise(procedure, facts(work_permit_category=category), on)
    (pre,) = (a for a in advice.time_limits if a.counts == "pre-examination")
    assert (pre.working_days, pre.due, pre.provisional) == (working_days, due, False)


@pytest.mark.parametrize(
    ("category", "on", "due"),
    [
        pytest.param(
            "B", date(2026, 3, 9), date(2026, 3, 19), id="B from Mon 9 March: 12 March, then 19 March"
        ),
        pytest.param(
            "A", date(2026, 3, 9), date(2026, 3, 17), id="A from Mon 9 March: 10 March, then 17 March"
        ),
        pytest.param(
            "B", date(2026, 2, 13), date(2026, 3, 3), id="B over Spring Festival: 25 February, then 3 March"
        ),
        pytest.param(
            "C",
            date(2026, 9, 24),
            date(2026, 10, 13),
            id="C over Mid-Autumn and National Day: 30 September, then 13 October (make-up Sat 10th)",
        ),
    ],
)
def test_both_permits_are_ready_five_working_days_after_the_pre_examination(category, on, due):
    """Seed 002, 4. How to apply b-c: the paper documents are handed in after the pre-examination passes
    (1 working day for A, 3 for B/C), and the permits follow in five working days: the expected day counts
    both, not five working days from the planned submission."""
    advice = advise(NEW, facts(work_permit_category=category), on)
    processing = line(advice.time_limits, "processing")
    pre = next(a for a in advice.time_limits if a.counts == "pre-examination")
    assert (processing.counts, processing.working_days, processing.due) == ("processing", 5, due)
    assert processing.after_working_days == pre.working_days == (1 if category == "A" else 3)


@pytest.mark.parametrize(
    ("category", "on", "due"),
    [
        pytest.param("B", date(2026, 3, 9), date(2026, 4, 2), id="B from 9 March: 12 March, then 2 April"),
        pytest.param("A", date(2026, 3, 9), date(2026, 3, 31), id="A from 9 March: 10 March, then 31 March"),
        pytest.param(
            "B",
            date(2026, 2, 13),
            date(2026, 3, 17),
            id="B from 13 February over Spring Festival: 25 February, then 17 March (make-up Sat 28th)",
        ),
    ],
)
def test_the_residence_permit_receipt_runs_15_working_days_from_the_earliest_counter_day(category, on, due):
    """Regulations Art. 18 with seed 002, 4. How to apply b-c: the receipt is issued at the counter, where the
    paper documents are handed in after the pre-examination passes; at the earliest it runs from the day
    the pre-examination is done by, not from the planned online submission."""
    advice = advise(NEW, facts(work_permit_category=category), on)
    receipt = line(advice.time_limits, "receipt-validity")
    pre = next(a for a in advice.time_limits if a.counts == "pre-examination")
    assert (receipt.counts, receipt.working_days, receipt.due) == ("receipt-validity", 15, due)
    assert receipt.after_working_days == pre.working_days == (1 if category == "A" else 3)


def test_a_period_running_into_an_unpublished_year_is_marked_provisional():
    advice = advise(NEW, facts(), date(2026, 12, 28))
    pre = line(advice.time_limits, "pre-examination-category-b-c")
    processing = line(advice.time_limits, "processing")
    assert (pre.due, pre.provisional) == (date(2026, 12, 31), False)
    # 5 working days after 31 Dec: 1 January 2027 is a statutory holiday, the year's notice unpublished
    assert (processing.due, processing.provisional) == (date(2027, 1, 8), True)
    assert advice.provisional is True


@pytest.mark.parametrize(
    ("category", "present", "absent"),
    [
        pytest.param("A", "no-appointment", "appointment", id="category A needs no appointment"),
        pytest.param("B", "appointment", "no-appointment", id="category B books an appointment"),
        pytest.param("C", "appointment", "no-appointment", id="category C books an appointment"),
    ],
)
def test_only_categories_b_and_c_book_an_appointment(category, present, absent):
    submission = ids(advise(NEW, facts(work_permit_category=category), MONDAY).submission)
    assert present in submission
    assert absent not in submission
    assert submission[0] == "online-submission"
    assert "no-exit-entry-appointment" in submission


@pytest.mark.parametrize(
    ("changes", "proxy", "interview"),
    [
        pytest.param(
            {"birth_date": "1966-03-10"}, False, "required", id="aged 59 the applicant is interviewed"
        ),
        pytest.param({"birth_date": "1966-03-09"}, True, "on-request", id="aged 60 today a proxy may apply"),
        pytest.param(
            {"limited_mobility": True}, True, "on-request", id="limited mobility lets a proxy apply"
        ),
        pytest.param(
            {"high_level_talent": True}, True, "on-request", id="a high-level talent may use a proxy"
        ),
        pytest.param(
            {"work_permit_category": "A", "birth_date": "1985-06-01"},
            True,
            "on-request",
            id="a category A (high-end) talent is a high-level talent: a proxy may apply",
        ),
    ],
)
def test_who_may_apply_by_proxy_instead_of_an_interview(changes, proxy, interview):
    advice = advise(NEW, facts(**changes), MONDAY)
    assert advice.status == COMPLETE
    assert advice.proxy_allowed is proxy
    assert [a.mode for a in advice.interview] == [interview]
    assert ("proxy" in ids(advice.submission)) is proxy


@pytest.mark.parametrize("birth_date", ["1985-06-01", "1966-03-10"], ids=["aged 40", "aged 59"])
def test_a_renewal_may_always_be_handled_by_a_proxy(birth_date):
    advice = advise(RENEWAL, facts(birth_date=birth_date), MONDAY)
    assert advice.status == COMPLETE
    assert advice.proxy_allowed is True
    assert [a.mode for a in advice.interview] == ["on-request"]


def test_with_no_facts_the_new_application_asks_for_them_in_order_and_guesses_nothing():
    advice = advise(NEW, {}, MONDAY)
    assert advice.status == NEEDS_FACTS
    assert [f.id for f in advice.missing] == [
        "one_stop_route",
        "household_registration_in_china",
        "validity",
        "other_staff_handle",
        "work_permit_category",
        "birth_date",
        "limited_mobility",
        "high_level_talent",
        "visa_requires_residence_permit",
    ]
    assert [a.met for a in advice.eligibility] == [None, None, None]
    assert not any(a.counts == "pre-examination" for a in advice.time_limits)
    assert advice.interview == ()
    assert advice.proxy_allowed is None
    assert not {"appointment", "no-appointment", "proxy"} & set(ids(advice.submission))


def test_with_no_facts_the_renewal_asks_only_for_the_registration_the_validity_and_the_category():
    advice = advise(RENEWAL, {}, MONDAY)
    assert [f.id for f in advice.missing] == [
        "household_registration_in_china",
        "validity",
        "other_staff_handle",
        "work_permit_category",
    ]
    assert advice.proxy_allowed is True


def test_an_applicant_aged_60_is_not_asked_about_mobility_or_talent():
    advice = advise(NEW, {"birth_date": "1966-03-09"}, MONDAY)
    assert "limited_mobility" not in {f.id for f in advice.missing}
    assert "high_level_talent" not in {f.id for f in advice.missing}
    assert advice.proxy_allowed is True


def test_the_on_site_materials_cover_both_permits():
    assert ids(advise(NEW, facts(), MONDAY).materials) == ON_SITE


@pytest.mark.parametrize("procedure", [NEW, RENEWAL, TRANSFER])
@pytest.mark.parametrize(
    ("other_staff", "asked"), [(True, True), (False, False)], ids=["other staff", "handler"]
)
def test_the_letter_of_introduction_is_asked_only_where_other_staff_hand_it_in(procedure, other_staff, asked):
    """Seed 002, 5. Materials (work permit) (2): "other personnel of the employer the letter of introduction
    and the original and copy of his/her identity document" - only where other staff handle it."""
    advice = advise(procedure, facts(other_staff_handle=other_staff), MONDAY)
    assert advice.status == COMPLETE
    assert ("other-staff-introduction" in ids(advice.materials)) is asked
    unknown = advise(procedure, {k: v for k, v in facts().items() if k != "other_staff_handle"}, MONDAY)
    assert "other_staff_handle" in {f.id for f in unknown.missing}
    assert "other-staff-introduction" not in ids(unknown.materials)


def test_a_category_a_applicant_filed_by_the_unit_is_not_told_to_come_in_person():
    """Seed 002, 6. Notes (1) with 3. (2): category A (high-end) talents are the high-level talents who may
    entrust the inviting unit, and need no appointment (4. b): no "must come, book a time" warning."""
    advice = advise(NEW, facts(work_permit_category="A", high_level_talent=False), MONDAY)
    assert comes_in_person(advice, "unit") is None
    assert "high_level_talent" not in {
        f.id for f in advise(NEW, {"work_permit_category": "A"}, MONDAY).missing
    }


@pytest.mark.parametrize(
    ("route", "shown"),
    [
        pytest.param("in-china", True, id="the in-China route explains who is covered"),
        pytest.param("notification-letter", False, id="the notification-letter route does not"),
    ],
)
def test_the_in_china_note_follows_the_route(route, shown):
    assert ("in-china-route" in ids(advise(NEW, facts(one_stop_route=route), MONDAY).notes)) is shown


@pytest.mark.parametrize("procedure", [NEW, RENEWAL, TRANSFER])
def test_fees_are_not_invented_and_only_the_one_stop_counters_take_it(procedure):
    advice = advise(procedure, facts(), MONDAY)
    assert advice.fees == ()
    assert advice.fee_total_cny is None
    assert "fees-not-stated" in ids(advice.notes)
    assert {"verification", "decision-final"} <= set(ids(advice.notes))
    (hall,) = advice.halls
    assert hall.id == "one-stop-counter"
    assert "15 one-stop service counters" in hall.address.en
    assert [c.field for c in hall.choices] == ["opening hours"]
    assert "15 one-stop service counters" in advice.procedure.where.en
    assert advice.as_dict()["where"]["zh"]


@pytest.mark.parametrize("procedure", [NEW, RENEWAL])
def test_the_procedures_are_in_force_from_1_february_2023(procedure):
    with pytest.raises(NotInForce):
        advise(procedure, facts(), date(2023, 1, 31))
    first_day = advise(procedure, facts(), date(2023, 2, 1))
    assert first_day.provisional is True  # the 2023 holiday schedule is not in the catalog


@pytest.mark.parametrize(
    ("procedure", "changes"),
    [
        pytest.param(NEW, {}, id="a new application"),
        pytest.param(
            NEW, {"one_stop_route": "in-china", "birth_date": "1950-01-01"}, id="a 76-year-old in China"
        ),
        pytest.param(NEW, {"work_permit_category": "A", "high_level_talent": True}, id="a category A talent"),
        pytest.param(RENEWAL, {}, id="a renewal"),
    ],
)
def test_every_line_of_advice_cites_its_source(procedure, changes):
    advice = advise(procedure, facts(**changes), MONDAY)
    answers = [a for name in ANSWER_SECTIONS for a in getattr(advice, name)]
    assert answers
    assert all(a.cite for a in answers)
    conditional = [a for a in answers if a.section != "eligibility" and a.condition != "always"]
    assert all(a.why is not None for a in conditional)


ROUTES = {  # the guide's routes (3. The service scope): the procedure, its route fact, what approval does
    "notification letter": (NEW, {"one_stop_route": "notification-letter"}, "issue"),
    "already in the mainland": (NEW, {"one_stop_route": "in-china"}, "issue"),
    "change of employer": (TRANSFER, {}, "change"),
    "renewal": (RENEWAL, {}, "extension"),  # the two permits' extension （延期）
}
CATEGORIES = {  # category -> pre-examination working days, the appointment line (4. How to apply b)
    "A": (1, "no-appointment"),
    "B": (3, "appointment"),
    "C": (3, "appointment"),
}


@pytest.mark.parametrize("category", sorted(CATEGORIES))
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_every_route_and_category_has_the_guides_materials_clock_appointment_and_outcome(route, category):
    procedure, route_facts, action = ROUTES[route]
    advice = advise(procedure, {**facts(work_permit_category=category), **route_facts}, MONDAY)
    working_days, appointment = CATEGORIES[category]
    assert advice.status == COMPLETE
    assert ids(advice.materials) == ON_SITE
    (pre,) = (a for a in advice.time_limits if a.counts == "pre-examination")
    assert pre.working_days == working_days
    assert line(advice.time_limits, "processing").working_days == 5
    assert {"appointment", "no-appointment"} & set(ids(advice.submission)) == {appointment}
    casework = advice.procedure.casework
    assert (casework.action, casework.permit, casework.permit_type, casework.with_work_permit) == (
        action,
        "residence-permit",
        "work",
        True,
    )
    assert all(c.source == "bj-one-stop" for c in casework.cite)


def test_a_change_of_employer_asks_no_route_but_who_is_interviewed_as_a_new_application_does():
    advice = advise(TRANSFER, {}, MONDAY)
    assert [f.id for f in advice.missing] == [
        "household_registration_in_china",
        "validity",
        "other_staff_handle",
        "work_permit_category",
        "birth_date",
        "limited_mobility",
        "high_level_talent",
    ]
    assert "transfer-route" in ids(advise(TRANSFER, facts(), MONDAY).notes)


def test_the_one_stop_counters_alone_take_the_one_stop_service_and_nothing_else():
    from exitentry.law.catalog import catalog

    for procedure in catalog().procedures.values():
        halls = {h.id for h in catalog().halls_for(procedure)}
        if procedure.group == "work-permits":
            assert halls == {"one-stop-counter"}, procedure.id
        else:
            assert "one-stop-counter" not in halls, procedure.id


@pytest.mark.parametrize("procedure", [NEW, RENEWAL, TRANSFER])
@pytest.mark.parametrize(
    ("validity", "needed"),
    [
        pytest.param("P1Y", False, id="exactly one year: not 'more than one year'"),
        pytest.param("P1Y1D", True, id="a day over one year"),
        pytest.param("P2Y", True, id="two years"),
        pytest.param("P90D", False, id="the shortest work-type permit"),
    ],
)
def test_a_work_type_permit_of_more_than_one_year_needs_a_health_certificate(procedure, validity, needed):
    """Regulations Art. 16 para. 2: "Foreigners applying for a residence permit with a validity period of more
    than one year shall submit a health certificate ... valid for 6 months from the date of issuance." The
    one-stop guide (seed 002, 5.) lists the residence permit's materials without it; the Regulations apply
    to the work-type residence permit issued at the one-stop counter all the same."""
    advice = advise(procedure, facts(validity=validity), MONDAY)
    assert advice.status == COMPLETE
    assert ("health-certificate" in ids(advice.materials)) is needed
    if needed:
        health = line(advice.health, "health-certificate")
        assert health.months == 6
        assert [(c.source, c.section) for c in health.cite] == [("regulations", "Art. 16 para. 2")]


def test_the_one_stop_health_certificate_expires_six_months_after_issue():
    advice = advise(NEW, facts(validity="P2Y", health_certificate_issue_date="2025-09-08"), MONDAY)
    assert line(advice.health, "health-certificate").due == date(2026, 3, 8)  # before Mon 9 March 2026


@pytest.mark.parametrize("procedure", [NEW, RENEWAL, TRANSFER])
def test_a_work_type_permit_is_issued_for_90_days_to_5_years(procedure):
    advice = advise(procedure, facts(validity="P6Y"), MONDAY)
    assert advice.status == INELIGIBLE
    assert line(advice.eligibility, "validity-in-range").met is False


@pytest.mark.parametrize(
    ("procedure", "acting_as", "allowed"),
    [
        pytest.param(NEW, "unit", True, id="new: the inviting unit"),
        pytest.param(NEW, "agency", True, id="new: a specialised service agency"),
        pytest.param(NEW, "proxy", False, id="new: not the inviting individual or a relative"),
        pytest.param(RENEWAL, "unit", True, id="renewal: the inviting unit"),
        pytest.param(RENEWAL, "proxy", False, id="renewal: not the inviting individual or a relative"),
        pytest.param(TRANSFER, "agency", True, id="change of employer: an agency"),
    ],
)
def test_only_the_inviting_unit_or_a_specialised_agency_may_apply_instead(procedure, acting_as, allowed):
    """Seed 002, 6. Notes (1): applicants aged 60 or over (...) "may entrust the inviting unit or specialized
    service agencies with the application"; the guide names no relative or other person, as seed 000 does
    ("the host organization, a family member of the applicant, or a specialized service agency")."""
    advice = advise(procedure, facts(birth_date="1960-01-01"), MONDAY)
    assert advice.proxy_allowed is True
    if allowed:
        check_submitter(advice, acting_as)
    else:
        with pytest.raises(SubmissionRefused) as refused:
            check_submitter(advice, acting_as)
        assert "inviting unit or a specialised service agency" in refused.value.text.en
        assert "邀请单位或专门服务机构" in refused.value.text.zh
        # Art. 19's individual proxies: the inviting individual or a relative, never "another person"
        assert "not the inviting individual or a relative of the applicant" in refused.value.text.en
        assert "邀请个人或申请人的亲属不能代为申请" in refused.value.text.zh
        assert "another person" not in refused.value.text.en and "其他个人" not in refused.value.text.zh
        assert ("bj-one-stop", "6. Notes (1)") in [(c.source, c.section) for c in refused.value.cite]
        told = comes_in_person(advice, acting_as)
        assert isinstance(told, WhoMayHandIn) and not told.must_come  # not "must come in person"
        assert told.text.en.startswith(refused.value.text.en) and told.text.zh.startswith(
            refused.value.text.zh
        )


@pytest.mark.parametrize(
    ("procedure", "duty"),
    [
        pytest.param(NEW, True, id="a holder of the notification letter enters on a visa that says so"),
        pytest.param(TRANSFER, False, id="a change of employer: the permit is held already"),
        pytest.param(RENEWAL, False, id="an extension: the permit is held already"),
    ],
)
def test_a_new_applicant_applies_within_30_days_of_entry_where_the_visa_says_so(procedure, duty):
    """Seed 000 Legal Reminders 1 (the Exit and Entry Administration Law's duty for every residence permit):
    "Where visas held by foreigners specify that foreigners need to apply for residence permits after entry,
    such foreigners must do so within 30 days of their date of entry"; Regulations Art. 9: the visa says so."""
    given = facts(visa_requires_residence_permit=True, entry_date="2026-03-01")
    advice = advise(procedure, given, MONDAY)
    assert advice.status == COMPLETE
    found = [a for a in advice.obligations if a.id == "residence-permit-within-30-days-of-entry"]
    assert [a.due for a in found] == ([date(2026, 3, 31)] if duty else [])


@pytest.mark.parametrize(
    ("procedure", "changes"),
    [(NEW, {"work_permit_category": "A"}), (RENEWAL, {})],
    ids=["category A", "renewal"],
)
def test_where_a_proxy_may_apply_the_checklist_does_not_also_say_the_applicant_comes_in_person(
    procedure, changes
):
    """Seed 002 6. Notes (1) lets the inviting unit or an agency apply; no seed says the applicant still
    comes for fingerprints, so the in-person line shows only where no proxy rule applies."""
    submission = ids(advise(procedure, facts(**changes), MONDAY).submission)
    assert "proxy" in submission
    assert "in-person" not in submission and "proxy-hands-in" not in submission


def test_where_no_proxy_may_apply_the_applicant_comes_in_person():
    advice = advise(NEW, facts(work_permit_category="B", birth_date="1985-06-01"), MONDAY)
    assert "proxy" not in ids(advice.submission) and "in-person" in ids(advice.submission)


@pytest.mark.parametrize("procedure", [NEW, RENEWAL, TRANSFER])
@pytest.mark.parametrize("category", ["B", "C"])
def test_categories_b_and_c_book_in_the_service_system_and_bring_its_appointment_letter(procedure, category):
    """Seed 002, 4. How to apply b: B and C book in the Service System for Foreigners Working in China, go to
    the counter with its appointment letter, and make no other appointment with the Exit-Entry
    Administration: this site books them no time."""
    said = not_booked_here(advise(procedure, facts(work_permit_category=category), MONDAY))
    assert "book an appointment in the Service System for Foreigners Working in China" in said.text.en
    assert "No separate appointment with the Exit-Entry Administration is needed." in said.text.en
    assert (
        "外国人来华工作管理服务系统中预约" in said.text.zh and "无需另行预约出入境管理部门。" in said.text.zh
    )
    assert said.bring == APPOINTMENT_LETTER and "预约函" in said.bring.zh
    assert ("bj-one-stop", "4. How to apply b") in {(c.source, c.section) for c in said.cite}


def test_category_a_needs_no_appointment_and_comes_to_the_counter_in_its_hours():
    said = not_booked_here(advise(NEW, facts(work_permit_category="A"), MONDAY))
    assert said.text.en.startswith("No appointment is needed. ") and "in its opening hours." in said.text.en
    assert said.text.zh.startswith("无需预约。") and said.text.zh.count("无需预约") == 1
    assert said.bring is None
    assert ("bj-one-stop", "4. How to apply b") in {(c.source, c.section) for c in said.cite}


def test_a_procedure_booked_at_an_exit_entry_hall_is_booked_here():
    family = {"ground": "family", "family_relation": "spouse", "visa_category": "S1", "validity": "P2Y"}
    assert not_booked_here(advise("rp-personal-affairs", family, MONDAY)) is None
