"""The national Regulations' procedures (seed 004, Arts. 10-23, 36): residence permits by type, their
extension, renewal and reissue, visa extension, renewal and reissue, the stay permit, the study-permit
endorsement and exit without a passport. Expected dates are counted by hand on the 2026 holiday table."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.advice import COMPLETE, INELIGIBLE, NEEDS_FACTS, Advice, advise
from exitentry.law.facts import FactError

D = date.fromisoformat
ON = D("2026-11-22")
AGED_15 = "2011-11-23"
AGED_16 = "2010-11-22"
AGED_17 = "2009-11-23"
AGED_59 = "1966-11-23"
AGED_60 = "1966-11-22"
ADULT = "1990-05-01"

PROXY_FACTS = {
    "birth_date": ADULT,
    "limited_mobility": False,
    "first_entry": True,
    "good_stay_record": False,
    "inviter_guarantees_expenses": False,
}
FIRST_PERMIT = {
    "validity": "P1Y",
    "high_level_talent": False,
    "birth_date": ADULT,
    "limited_mobility": False,
    "visa_requires_residence_permit": False,
}
# Every fact each procedure needs for a complete answer, and nothing more.
KNOWN: dict[str, dict[str, object]] = {
    "rp-work": FIRST_PERMIT,
    "rp-study": FIRST_PERMIT,
    "rp-journalist": FIRST_PERMIT,
    "rp-family-reunion": {**FIRST_PERMIT, "foster_care": False},
    "rp-extension": {**PROXY_FACTS, "residence_permit_type": "work", "validity": "P1Y"},
    "rp-renewal": {**PROXY_FACTS, "residence_permit_type": "work"},
    "rp-reissue": {**PROXY_FACTS, "residence_permit_type": "work"},
    "visa-extension": {
        **PROXY_FACTS,
        "original_stay_days": 30,
        "extended_stay_days_so_far": 0,
        "requested_extension_days": 10,
    },
    "visa-renewal": {**PROXY_FACTS, "visa_renewal_ground": "new-passport"},
    "visa-reissue": {**PROXY_FACTS, "document_loss_reason": "lost"},
    "stay-permit": {**PROXY_FACTS, "stay_permit_days": 90},
    "study-part-time-endorsement": {"residence_permit_type": "study", "school_approval": True},
    "exit-without-passport": {"home_mission_can_reissue_passport": False},
}
ALL_HALLS = ("reception-hall", "zhongguancun", "chaoyang", "shunyi", "shijingshan", "tongzhou")
STAR_HALLS = ("reception-hall", "zhongguancun")
FIRST_PERMITS = ("rp-work", "rp-study", "rp-journalist", "rp-family-reunion")


def ask(procedure: str, on: date = ON, **changes: object) -> Advice:
    facts = dict(KNOWN[procedure])
    for name, value in changes.items():
        if value is None:
            facts.pop(name, None)
        else:
            facts[name] = value
    return advise(procedure, facts, on)


def ids(answers) -> tuple[str, ...]:
    return tuple(a.id for a in answers)


def cites(answer) -> set[str]:
    return {f"{c.source}: {c.section}" for c in answer.cite}


def one(answers, answer_id: str):
    (found,) = (a for a in answers if a.id == answer_id)
    return found


@pytest.mark.parametrize("procedure", list(KNOWN))
def test_the_known_facts_give_a_complete_eligible_answer(procedure: str) -> None:
    advice = ask(procedure)
    assert (advice.status, advice.missing, advice.eligible) == (COMPLETE, (), True)


@pytest.mark.parametrize("procedure", list(KNOWN))
def test_no_fee_is_invented_the_advice_says_the_sources_state_none(procedure: str) -> None:
    advice = ask(procedure)
    assert advice.fees == ()
    assert advice.fee_total_cny is None
    assert "not stated in the sources" in one(advice.notes, "fee-not-stated").text.en


@pytest.mark.parametrize("procedure", list(KNOWN))
def test_every_procedure_is_in_force_from_1_september_2013(procedure: str) -> None:
    assert ask(procedure, on=D("2013-09-01")).status == COMPLETE


# --- acceptance receipts (Arts. 13, 18, 36) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("procedure", "accepted", "working_days", "valid_to", "provisional", "article"),
    [
        pytest.param(
            "visa-extension",
            "2026-09-24",
            7,
            "2026-10-12",
            False,
            "Art. 13",
            id="a visa extension accepted on 24 September 2026 has its receipt valid to 12 October over Mid-Autumn and National Day",
        ),
        pytest.param(
            "stay-permit",
            "2026-02-12",
            7,
            "2026-02-28",
            False,
            "Art. 13",
            id="a stay permit accepted on 12 February 2026 counts both make-up Saturdays around Spring Festival",
        ),
        pytest.param(
            "visa-reissue",
            "2026-06-17",
            7,
            "2026-06-29",
            False,
            "Art. 13",
            id="a visa reissue accepted on 17 June 2026 skips the Dragon Boat Festival",
        ),
        pytest.param(
            "visa-renewal",
            "2026-12-28",
            7,
            "2027-01-07",  # 1 January 2027 rested as a statutory holiday
            True,
            "Art. 13",
            id="a visa renewal accepted on 28 December 2026 reaches into unpublished 2027 and is provisional",
        ),
        pytest.param(
            "rp-work",
            "2026-09-24",
            15,
            "2026-10-22",
            False,
            "Art. 18",
            id="a work permit accepted on 24 September 2026 has its receipt valid to 22 October",
        ),
        pytest.param(
            "rp-study",
            "2026-04-30",
            15,
            "2026-05-25",
            False,
            "Art. 18",
            id="a study permit accepted on 30 April 2026 counts the 9 May make-up Saturday after Labour Day",
        ),
        pytest.param(
            "rp-journalist",
            "2026-06-17",
            15,
            "2026-07-09",
            False,
            "Art. 18",
            id="a journalist permit accepted on 17 June 2026 has its receipt valid to 9 July",
        ),
        pytest.param(
            "rp-family-reunion",
            "2026-12-28",
            15,
            "2027-01-19",
            True,
            "Art. 18",
            id="a family-reunion permit accepted on 28 December 2026 is provisional beyond 2026",
        ),
        pytest.param(
            "rp-extension",
            "2026-02-12",
            15,
            "2026-03-11",
            False,
            "Art. 18",
            id="a permit extension accepted on 12 February 2026 has its receipt valid to 11 March",
        ),
        pytest.param(
            "rp-renewal",
            "2026-05-08",
            15,
            "2026-05-28",
            False,
            "Art. 18",
            id="a permit renewal accepted on 8 May 2026 counts the next day's make-up Saturday",
        ),
        pytest.param(
            "rp-reissue",
            "2026-09-30",
            15,
            "2026-10-27",
            False,
            "Art. 18",
            id="a permit reissue accepted on 30 September 2026 resumes counting on 8 October",
        ),
    ],
)
def test_the_acceptance_receipt_runs_its_working_days_on_the_official_calendar(
    procedure: str, accepted: str, working_days: int, valid_to: str, provisional: bool, article: str
) -> None:
    receipt = one(ask(procedure, on=D(accepted)).time_limits, "receipt-validity")
    assert (receipt.working_days, receipt.counts) == (working_days, "receipt-validity")
    assert (receipt.due, receipt.provisional) == (D(valid_to), provisional)
    assert {f"regulations: {article}", "regulations: Art. 36"} <= cites(receipt)
    assert "legally" in receipt.text.en


@pytest.mark.parametrize(
    ("procedure", "section"),
    [
        pytest.param(
            "study-part-time-endorsement",
            "Art. 22",
            id="the endorsement states no time limit, so none is invented",
        ),
        pytest.param(
            "exit-without-passport",
            "Art. 23",
            id="exit without a passport states no time limit, so none is invented",
        ),
    ],
)
def test_procedures_without_a_stated_time_limit_say_so(procedure: str, section: str) -> None:
    advice = ask(procedure)
    assert advice.time_limits == ()
    assert cites(one(advice.notes, "time-not-stated")) == {
        f"regulations: {section} (no time limit is stated)"
    }


@pytest.mark.parametrize(
    ("procedure", "article"),
    [
        pytest.param(
            "visa-extension",
            "Art. 13 para. 2",
            id="a visa extension promises a one-time notice of what is missing",
        ),
        pytest.param(
            "stay-permit", "Art. 13 para. 2", id="a stay permit promises a one-time notice of what is missing"
        ),
        pytest.param(
            "rp-work", "Art. 18 para. 2", id="a work permit promises a one-time notice of what is missing"
        ),
        pytest.param(
            "rp-reissue",
            "Art. 18 para. 2",
            id="a permit reissue promises a one-time notice of what is missing",
        ),
    ],
)
def test_missing_materials_are_notified_at_one_time(procedure: str, article: str) -> None:
    assert cites(one(ask(procedure).notes, "one-time-notice")) == {f"regulations: {article}"}


# --- who may apply by proxy (Art. 19) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("procedure", "changes", "proxy"),
    [
        pytest.param(
            "visa-extension",
            {"birth_date": AGED_15},
            True,
            id="a visa extension for someone aged 15 may be made by proxy",
        ),
        pytest.param(
            "visa-extension",
            {"birth_date": AGED_16},
            False,
            id="a visa extension for someone just 16 may not be made by proxy",
        ),
        pytest.param(
            "visa-extension",
            {"birth_date": AGED_59},
            False,
            id="a visa extension for someone aged 59 may not be made by proxy",
        ),
        pytest.param(
            "visa-extension",
            {"birth_date": AGED_60},
            True,
            id="a visa extension for someone aged 60 may be made by proxy",
        ),
        pytest.param(
            "visa-extension",
            {"limited_mobility": True},
            True,
            id="a visa extension for someone of limited mobility may be made by proxy",
        ),
        pytest.param(
            "visa-extension",
            {"first_entry": False, "good_stay_record": True},
            True,
            id="a visa extension on a later entry with a good record may be made by proxy",
        ),
        pytest.param(
            "visa-extension",
            {"first_entry": False},
            False,
            id="a visa extension on a later entry without a good record may not be made by proxy",
        ),
        pytest.param(
            "visa-extension",
            {"good_stay_record": True},
            False,
            id="a visa extension on a first entry may not be made by proxy for a good record",
        ),
        pytest.param(
            "visa-extension",
            {"inviter_guarantees_expenses": True},
            True,
            id="a visa extension whose inviter guarantees the expenses may be made by proxy",
        ),
        pytest.param(
            "stay-permit",
            {"inviter_guarantees_expenses": True},
            True,
            id="a stay permit whose inviter guarantees the expenses may be made by proxy",
        ),
        pytest.param(
            "visa-renewal",
            {"first_entry": False, "good_stay_record": True},
            True,
            id="a visa renewal on a later entry with a good record may be made by proxy",
        ),
        pytest.param(
            "visa-reissue",
            {"birth_date": AGED_60},
            True,
            id="a visa reissue for someone aged 60 may be made by proxy",
        ),
        pytest.param(
            "rp-extension",
            {"inviter_guarantees_expenses": True},
            True,
            id="a permit extension whose inviter guarantees the expenses may be made by proxy",
        ),
        pytest.param(
            "rp-renewal",
            {"birth_date": AGED_15},
            True,
            id="a permit renewal for someone aged 15 may be made by proxy",
        ),
        pytest.param(
            "rp-reissue", {}, False, id="a permit reissue for an adult on a first entry is made in person"
        ),
        pytest.param(
            "rp-work",
            {"high_level_talent": True},
            True,
            id="a first work permit for a high-level talent may be made by proxy",
        ),
        pytest.param(
            "rp-work",
            {"birth_date": AGED_60},
            True,
            id="a first work permit for someone aged 60 may be made by proxy",
        ),
        pytest.param(
            "rp-study",
            {"birth_date": AGED_15},
            True,
            id="a first study permit for someone aged 15 may be made by proxy",
        ),
        pytest.param(
            "rp-family-reunion",
            {"limited_mobility": True},
            True,
            id="a first family-reunion permit for someone of limited mobility may be made by proxy",
        ),
        pytest.param(
            "rp-work",
            {"first_entry": False, "good_stay_record": True},
            False,
            id="a first permit may not be made by proxy for a good record alone",
        ),
        pytest.param(
            "rp-journalist",
            {"inviter_guarantees_expenses": True},
            False,
            id="a first permit may not be made by proxy because the inviter guarantees the expenses",
        ),
    ],
)
def test_who_may_apply_by_proxy(procedure: str, changes: dict, proxy: bool) -> None:
    facts = {**KNOWN[procedure], **changes}
    advice = advise(procedure, facts, ON)
    assert advice.status == COMPLETE
    assert advice.proxy_allowed is proxy
    assert ids(advice.submission) == (("proxy",) if proxy else ("in-person",))
    if proxy:
        article = "Art. 19 para. 2" if procedure in FIRST_PERMITS else "Art. 19 para. 1"
        assert f"regulations: {article}" in cites(one(advice.submission, "proxy"))


@pytest.mark.parametrize("procedure", FIRST_PERMITS)
def test_a_first_residence_permit_is_applied_for_in_person_with_biometrics(procedure: str) -> None:
    in_person = one(ask(procedure).submission, "in-person")
    assert (in_person.mode, "biometric" in in_person.text.en) == ("in-person", True)
    assert cites(in_person) == {"regulations: Art. 16"}


def test_an_unknown_age_leaves_the_proxy_question_open() -> None:
    advice = ask("visa-extension", birth_date=None)
    assert (advice.status, [f.id for f in advice.missing]) == (NEEDS_FACTS, ["birth_date"])
    assert advice.proxy_allowed is None


# --- materials (Arts. 12, 16, 17, 22) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("procedure", "changes", "materials"),
    [
        pytest.param(
            "rp-work", {}, ("passport", "photos", "work-permit"), id="a work permit needs the work permit"
        ),
        pytest.param(
            "rp-work",
            {"high_level_talent": True},
            ("passport", "photos", "work-permit", "talent-documents"),
            id="a high-level talent adds the talent documents",
        ),
        pytest.param(
            "rp-study",
            {},
            ("passport", "photos", "admission-letter"),
            id="a study permit needs the admitting institution's letter with the duration of study",
        ),
        pytest.param(
            "rp-journalist",
            {},
            ("passport", "photos", "authority-letter-and-press-card"),
            id="a journalist permit needs the authority's letter and the press card",
        ),
        pytest.param(
            "rp-family-reunion",
            {},
            ("passport", "photos", "family-membership-proof"),
            id="a family-reunion permit needs proof of family membership",
        ),
        pytest.param(
            "rp-family-reunion",
            {"foster_care": True},
            ("passport", "photos", "power-of-attorney"),
            id="a foster-care permit needs a power of attorney instead",
        ),
        pytest.param(
            "rp-extension",
            {},
            ("application-form", "passport", "reason-materials", "work-permit"),
            id="a work-type permit extension needs the form, the passport and the reason: the work permit",
        ),
        pytest.param(
            "rp-renewal",
            {},
            ("application-form", "passport", "reason-materials"),
            id="a permit renewal needs the form, the passport and the reason",
        ),
        pytest.param(
            "rp-reissue",
            {},
            ("application-form", "passport", "reason-materials"),
            id="a permit reissue needs the form, the passport and the reason",
        ),
        pytest.param(
            "visa-extension",
            {},
            ("application-form", "passport", "reason-materials"),
            id="a visa extension needs the form, the passport and the reason",
        ),
        pytest.param(
            "stay-permit",
            {},
            ("application-form", "passport", "reason-materials"),
            id="a stay permit needs the form, the passport and the reason",
        ),
        pytest.param(
            "study-part-time-endorsement",
            {},
            ("passport-with-permit", "school-approval"),
            id="the endorsement needs the permit and the school's approval with place and duration",
        ),
        pytest.param(
            "exit-without-passport",
            {},
            (),
            id="exit without a passport lists no materials the sources do not state",
        ),
    ],
)
def test_materials_by_procedure(procedure: str, changes: dict, materials: tuple[str, ...]) -> None:
    assert ids(ask(procedure, **changes).materials) == materials


def test_the_family_reunion_materials_need_to_know_whether_it_is_foster_care() -> None:
    advice = ask("rp-family-reunion", foster_care=None)
    assert [f.id for f in advice.missing] == ["foster_care"]
    assert ids(advice.materials) == ("passport", "photos")


def test_exit_without_a_passport_says_its_materials_are_not_stated() -> None:
    assert (
        "not listed in the sources" in one(ask("exit-without-passport").notes, "materials-not-stated").text.en
    )


# --- health certificate (Art. 16 last paragraph) -----------------------------------------------------


@pytest.mark.parametrize(
    ("procedure", "changes", "needed"),
    [
        pytest.param(
            "rp-work",
            {"validity": "P1Y"},
            False,
            id="a work permit for exactly one year needs no health certificate",
        ),
        pytest.param(
            "rp-work",
            {"validity": "P1Y1D"},
            True,
            id="a work permit for a year and a day needs a health certificate",
        ),
        pytest.param(
            "rp-study",
            {"validity": "P2Y", "birth_date": AGED_17},
            True,
            id="a student aged 17 applying for two years needs one too, the Regulations set no age",
        ),
        pytest.param(
            "rp-extension",
            {"validity": "P3Y"},
            True,
            id="an extension for three years needs a health certificate",
        ),
        pytest.param("rp-renewal", {}, False, id="a renewal asks for no health certificate"),
    ],
)
def test_a_health_certificate_for_a_permit_over_one_year(procedure: str, changes: dict, needed: bool) -> None:
    advice = ask(procedure, **changes)
    assert ids(advice.health) == (("health-certificate",) if needed else ())


def test_the_health_certificate_is_valid_six_months_from_issue() -> None:
    advice = advise(
        "rp-work", {**KNOWN["rp-work"], "validity": "P2Y", "health_certificate_issue_date": "2026-08-31"}, ON
    )
    certificate = one(advice.health, "health-certificate")
    assert certificate.due == D("2027-02-28")
    assert cites(certificate) == {"regulations: Art. 16 para. 2"}


def test_the_health_certificates_condition_reads_as_the_rule_counts_in_both_languages() -> None:
    """The rule is "more than one year" (exactly one year needs none): the Chinese must not say 1年以上,
    which in Chinese legal usage includes the year itself (Civil Code Art. 1259)."""
    advice = advise("rp-work", {**KNOWN["rp-work"], "validity": "P2Y"}, ON)
    why = one(advice.health, "health-certificate").why
    assert "more than 1 year" in why.en and "exactly 1 year needs none" in why.en
    assert "超过1年" in why.zh and "以上" not in why.zh


# --- validity ranges (Exit and Entry Administration Law Art. 30) ---------------------------------------


@pytest.mark.parametrize(
    ("procedure", "changes", "eligible"),
    [
        pytest.param("rp-work", {"validity": "P90D"}, True, id="a work permit may run 90 days"),
        pytest.param("rp-work", {"validity": "P89D"}, False, id="a work permit may not run 89 days"),
        pytest.param("rp-work", {"validity": "P5Y"}, True, id="a work permit may run five years"),
        pytest.param(
            "rp-work", {"validity": "P5Y1D"}, False, id="a work permit may not run five years and a day"
        ),
        pytest.param("rp-study", {"validity": "P180D"}, True, id="a study permit may run 180 days"),
        pytest.param("rp-study", {"validity": "P179D"}, False, id="a study permit may not run 179 days"),
        pytest.param(
            "rp-journalist", {"validity": "P90D"}, False, id="a journalist permit may not run 90 days"
        ),
        pytest.param(
            "rp-family-reunion",
            {"validity": "P5Y1D"},
            False,
            id="a family-reunion permit may not run five years and a day",
        ),
        pytest.param(
            "rp-extension", {"validity": "P90D"}, True, id="a work permit may be extended for 90 days"
        ),
        pytest.param(
            "rp-extension",
            {"residence_permit_type": "study", "validity": "P90D"},
            False,
            id="a study permit may not be extended for 90 days",
        ),
        pytest.param(
            "rp-extension",
            {"residence_permit_type": "private-affairs", "validity": "P180D"},
            True,
            id="a private-affairs permit may be extended for 180 days",
        ),
    ],
)
def test_validity_ranges_by_permit_type(procedure: str, changes: dict, eligible: bool) -> None:
    advice = ask(procedure, **changes)
    assert advice.status == (COMPLETE if eligible else INELIGIBLE)
    (rule,) = (a for a in advice.eligibility if a.id.startswith("validity-in-range"))
    assert rule.met is eligible
    assert cites(rule) == {"exit-entry-law: Art. 30"}
    assert (rule.failure is None) is eligible


# --- eligibility of the visa and stay procedures ------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "so_far", "requested", "eligible"),
    [
        pytest.param(30, 20, 10, True, id="a 30-day visa extended by 20 may be extended by 10 more"),
        pytest.param(30, 20, 11, False, id="a 30-day visa extended by 20 may not be extended by 11 more"),
        pytest.param(30, 0, 30, True, id="a 30-day visa may be extended once by 30 days"),
        pytest.param(30, 30, 1, False, id="a 30-day visa already extended by 30 may not be extended again"),
    ],
)
def test_the_visa_extension_cap(original: int, so_far: int, requested: int, eligible: bool) -> None:
    advice = ask(
        "visa-extension",
        original_stay_days=original,
        extended_stay_days_so_far=so_far,
        requested_extension_days=requested,
    )
    cap = one(advice.eligibility, "within-extension-cap")
    assert (advice.status, cap.met) == ((COMPLETE, True) if eligible else (INELIGIBLE, False))
    assert {"regulations: Art. 14", "exit-entry-law: Art. 29"} == cites(cap)


def test_the_extension_cap_asks_only_for_the_numbers_still_missing() -> None:
    advice = ask("visa-extension", extended_stay_days_so_far=None, requested_extension_days=None)
    assert [f.id for f in advice.missing] == ["extended_stay_days_so_far", "requested_extension_days"]


def test_extensions_already_beyond_the_original_stay_are_refused_as_a_fact_error() -> None:
    with pytest.raises(FactError) as raised:
        ask("visa-extension", extended_stay_days_so_far=31)
    assert raised.value.fact == "extended_stay_days_so_far"
    assert "Art. 14" in raised.value.message


def test_whether_the_extension_is_within_the_cap_is_derived_never_typed_in() -> None:
    with pytest.raises(FactError) as raised:
        ask("visa-extension", extension_within_cap=True)
    assert raised.value.fact == "extension_within_cap"


def test_a_visa_extension_counts_for_the_current_entry_only_and_keeps_the_purpose() -> None:
    notes = ask("visa-extension").notes
    assert cites(one(notes, "current-entry-only")) == {"regulations: Art. 14 para. 1"}
    assert cites(one(notes, "purpose-unchanged")) == {"regulations: Art. 14 para. 2"}


@pytest.mark.parametrize(
    ("procedure", "changes", "eligible"),
    [
        pytest.param(
            "visa-renewal",
            {"visa_renewal_ground": "change-of-purpose"},
            True,
            id="a visa is renewed to change the purpose of stay",
        ),
        pytest.param(
            "visa-renewal",
            {"visa_renewal_ground": "entry-facilitation"},
            True,
            id="a visa is renewed for entry facilitation",
        ),
        pytest.param(
            "visa-renewal",
            {"visa_renewal_ground": "leave-group"},
            True,
            id="a visa is renewed to stay apart from a tour group",
        ),
        pytest.param(
            "visa-renewal",
            {"visa_renewal_ground": "other"},
            False,
            id="a visa is not renewed on a ground Art. 10 does not list",
        ),
        pytest.param(
            "visa-reissue", {"document_loss_reason": "damaged"}, True, id="a damaged visa is reissued"
        ),
        pytest.param(
            "visa-reissue", {"document_loss_reason": "stolen"}, True, id="a stolen visa is reissued"
        ),
        pytest.param(
            "visa-reissue", {"document_loss_reason": "robbed"}, True, id="a robbed visa is reissued"
        ),
        pytest.param(
            "visa-reissue",
            {"document_loss_reason": "other"},
            False,
            id="a visa is not reissued for another reason",
        ),
        pytest.param("stay-permit", {"stay_permit_days": 180}, True, id="a stay permit may run 180 days"),
        pytest.param(
            "stay-permit", {"stay_permit_days": 181}, False, id="a stay permit may not run 181 days"
        ),
        pytest.param(
            "study-part-time-endorsement",
            {"school_approval": False},
            False,
            id="no endorsement without the school's approval",
        ),
        pytest.param(
            "study-part-time-endorsement",
            {"residence_permit_type": "work"},
            False,
            id="only a study permit takes the endorsement",
        ),
        pytest.param(
            "exit-without-passport",
            {"home_mission_can_reissue_passport": True},
            False,
            id="exit formalities are not for someone whose embassy can issue a new passport",
        ),
    ],
)
def test_eligibility_of_the_other_procedures(procedure: str, changes: dict, eligible: bool) -> None:
    advice = ask(procedure, **changes)
    assert advice.status == (COMPLETE if eligible else INELIGIBLE)
    assert all(a.failure is not None for a in advice.eligibility if a.met is False)


def test_without_the_endorsement_a_student_may_not_work_off_campus() -> None:
    note = one(ask("study-part-time-endorsement").notes, "no-work-without-endorsement")
    assert cites(note) == {"regulations: Art. 22 para. 2"}


@pytest.mark.parametrize(
    ("procedure", "note"),
    [
        pytest.param("visa-reissue", "old-visa-void", id="a reissued visa's lost original is declared void"),
        pytest.param(
            "rp-reissue", "old-permit-void", id="a reissued permit's lost original is declared void"
        ),
    ],
)
def test_a_lost_document_is_declared_void(procedure: str, note: str) -> None:
    assert "regulations: Art. 34(1)" in cites(one(ask(procedure).notes, note))


@pytest.mark.parametrize(
    "procedure",
    [
        "rp-extension",
        "rp-renewal",
        "rp-reissue",
        "visa-extension",
        "visa-renewal",
        "visa-reissue",
        "stay-permit",
    ],
)
def test_extensions_renewals_reissues_and_stay_permits_state_the_refusal_grounds(procedure: str) -> None:
    assert cites(one(ask(procedure).notes, "refusal-grounds")) == {"regulations: Art. 21"}


# --- halls -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("procedure", "halls"),
    [
        pytest.param("rp-work", ALL_HALLS, id="every hall takes a first work permit"),
        pytest.param("rp-study", ALL_HALLS, id="every hall takes a first study permit"),
        pytest.param("rp-family-reunion", ALL_HALLS, id="every hall takes a first family-reunion permit"),
        pytest.param(
            "rp-journalist",
            STAR_HALLS,
            id="only the reception hall and Zhongguancun take a journalist permit",
        ),
        pytest.param("rp-extension", ALL_HALLS, id="every hall is listed for a permit extension"),
        pytest.param(
            "study-part-time-endorsement", ALL_HALLS, id="every hall takes the study-permit endorsement"
        ),
        pytest.param(
            "visa-extension", STAR_HALLS, id="only the reception hall and Zhongguancun take a visa extension"
        ),
        pytest.param(
            "visa-renewal", STAR_HALLS, id="only the reception hall and Zhongguancun take a visa renewal"
        ),
        pytest.param(
            "visa-reissue", STAR_HALLS, id="only the reception hall and Zhongguancun take a visa reissue"
        ),
        pytest.param(
            "stay-permit", STAR_HALLS, id="only the reception hall and Zhongguancun take a stay permit"
        ),
        pytest.param(
            "exit-without-passport",
            STAR_HALLS,
            id="only the reception hall and Zhongguancun handle exit without a passport",
        ),
    ],
)
def test_where_to_apply(procedure: str, halls: tuple[str, ...]) -> None:
    assert tuple(h.id for h in ask(procedure).halls) == halls


@pytest.mark.parametrize(
    ("procedure", "permit_type", "journalist_note", "beijing_pointer"),
    [
        pytest.param(
            "rp-extension",
            "journalist",
            True,
            False,
            id="a journalist extension is told only the reception hall or Zhongguancun take it",
        ),
        pytest.param(
            "rp-renewal",
            "journalist",
            True,
            False,
            id="a journalist renewal is told only the reception hall or Zhongguancun take it",
        ),
        pytest.param(
            "rp-reissue",
            "journalist",
            True,
            False,
            id="a journalist reissue is told only the reception hall or Zhongguancun take it",
        ),
        pytest.param(
            "rp-extension", "work", False, False, id="a work permit extension gets no journalist note"
        ),
        pytest.param(
            "rp-extension",
            "private-affairs",
            False,
            True,
            id="a private-affairs extension is pointed to the Beijing guide's procedure",
        ),
        pytest.param(
            "rp-renewal",
            "private-affairs",
            False,
            False,
            id="a private-affairs renewal is not pointed to the extension guide",
        ),
    ],
)
def test_the_permit_type_brings_in_the_hall_and_guide_notes(
    procedure: str, permit_type: str, journalist_note: bool, beijing_pointer: bool
) -> None:
    notes = ids(ask(procedure, residence_permit_type=permit_type).notes)
    assert ("journalist-halls" in notes, "private-affairs-in-beijing" in notes) == (
        journalist_note,
        beijing_pointer,
    )


def test_a_first_journalist_permit_always_carries_the_hall_note() -> None:
    assert "journalist-halls" in ids(ask("rp-journalist").notes)


# --- obligations linked from the residence catalog ---------------------------------------------------


def test_an_extension_shows_the_30_days_before_expiry_deadline() -> None:
    advice = advise("rp-extension", {**KNOWN["rp-extension"], "permit_expiry_date": "2027-01-15"}, ON)
    deadline = one(advice.obligations, "extension-at-least-30-days-before-expiry")
    assert deadline.due == D("2026-12-16")


def test_a_first_work_permit_is_due_within_30_days_of_entry_when_the_visa_says_so() -> None:
    advice = advise(
        "rp-work",
        {**KNOWN["rp-work"], "visa_requires_residence_permit": True, "entry_date": "2026-03-01"},
        ON,
    )
    assert one(advice.obligations, "residence-permit-within-30-days-of-entry").due == D("2026-03-31")


def test_the_chinese_message_for_impossible_stay_days_names_the_regulations_as_the_catalog_does() -> None:
    with pytest.raises(FactError) as raised:
        ask("visa-extension", extended_stay_days_so_far=31)
    assert "《中华人民共和国外国人入境出境管理条例》第十四条" in raised.value.text.zh
    assert (
        "Regulations of the People's Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 14"
        in raised.value.text.en
    )
    assert "实施细则" not in raised.value.text.zh


# --- finality of refusals (seed 000 Legal Reminders 6, seed 002 Notes (5)) ---------------------------

# Both Beijing guides: a decision not to extend, renew or reissue an ordinary visa, not to issue a stay or
# residence permit, or not to extend the residence period is final. The Regulations' own procedures for
# those decisions carry the note; the endorsement and the exit formalities are none of them.
FINAL_REFUSALS = (
    "rp-work",
    "rp-study",
    "rp-journalist",
    "rp-family-reunion",
    "rp-extension",
    "rp-renewal",
    "rp-reissue",
    "visa-extension",
    "visa-renewal",
    "visa-reissue",
    "stay-permit",
)


@pytest.mark.parametrize("procedure", FINAL_REFUSALS)
def test_a_refusal_of_a_visa_stay_or_residence_permit_is_final_as_both_guides_say(procedure: str) -> None:
    final = one(ask(procedure).notes, "decision-final")
    assert cites(final) == {"bj-personal-affairs: Legal Reminders 6", "bj-one-stop: 6. Notes (5)"}
    assert "final" in final.text.en and "最终决定" in final.text.zh
    assert "visa" in final.text.en and "停留" in final.text.zh


@pytest.mark.parametrize("procedure", ("study-part-time-endorsement", "exit-without-passport"))
def test_no_finality_is_claimed_for_decisions_the_guides_do_not_name(procedure: str) -> None:
    assert "decision-final" not in ids(ask(procedure).notes)


# --- the seed audit: the one-stop route in Beijing, the Beijing health-certificate floor ---------------


def test_a_work_permit_in_beijing_points_to_the_one_stop_service() -> None:
    """Seed 002 3. The service scope: the one-stop service takes "all applications filed directly in the
    mainland for the work permit and the work-type residence permit"; its materials stay its own."""
    note = one(ask("rp-work").notes, "one-stop-in-beijing")
    assert cites(note) == {"bj-one-stop: 3. The service scope"}
    assert note.see == "one-stop-work-permits"
    assert "one-stop" in note.text.en and "两证联办" in note.text.zh
    assert "one-stop-in-beijing" not in ids(ask("rp-study").notes)


@pytest.mark.parametrize(
    ("birth_date", "validity"),
    [
        pytest.param("2016-05-01", "P3Y", id="aged 10, three years"),
        pytest.param(AGED_17, "P3Y", id="aged 17, three years"),
        pytest.param("2008-11-22", "P3Y", id="aged 18, three years"),
        pytest.param(ADULT, "P1Y", id="an adult, exactly one year"),
        pytest.param(ADULT, "P2Y", id="an adult, two years"),
    ],
)
def test_a_private_affairs_extension_asks_the_health_certificate_as_the_beijing_procedure_does(
    birth_date: str, validity: str
) -> None:
    """Seed 000 asks it from 18 ("aged above 18"): the national extension of a private-affairs permit and
    the Beijing one give the same line for the same applicant."""
    national = ask(
        "rp-extension", residence_permit_type="private-affairs", birth_date=birth_date, validity=validity
    )
    beijing = advise(
        "rp-personal-affairs-extension",
        {
            **PROXY_FACTS,
            "birth_date": birth_date,
            "validity": validity,
            "household_registration_in_china": False,
            "ground": "medical",
            "medical_over_six_months": True,
            "documents_in_other_language": False,
        },
        ON,
    )
    assert national.status == beijing.status == COMPLETE
    assert [(a.text, a.cite) for a in national.health] == [(a.text, a.cite) for a in beijing.health]


def test_a_work_permit_extension_for_a_17_year_old_still_asks_the_health_certificate() -> None:
    """The Regulations set no age (Art. 16): only the Beijing private-affairs guide has the floor."""
    advice = ask("rp-extension", birth_date=AGED_17, validity="P3Y")
    assert ids(advice.health) == ("health-certificate",)
    assert cites(one(advice.health, "health-certificate")) == {"regulations: Art. 16 para. 2"}
