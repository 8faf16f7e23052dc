"""Personal-affairs residence permits (seed 000, Regulations Arts. 15(5), 16-19, 36): every provision, as
table-driven scenarios with the expected answers written out from the guide."""

from __future__ import annotations

from datetime import date

import pytest

from exitentry.law.advice import COMPLETE, INELIGIBLE, NEEDS_FACTS, Advice, advise
from exitentry.law.examples import eligible_facts
from exitentry.law.facts import FactError

D = date.fromisoformat
ON = D("2026-11-22")  # a Sunday
FIRST = "rp-personal-affairs"
EXTENSION = "rp-personal-affairs-extension"

# A 36-year-old visiting her spouse on a Q2 visa, asking for one year: every fact the rules need, nothing more.
KNOWN = {
    "household_registration_in_china": False,
    "ground": "family",
    "family_relation": "spouse",
    "visa_category": "Q2",
    "documents_issued_abroad": False,
    "birth_date": "1990-05-01",
    "validity": "P1Y",
    "first_application_in_china": False,
    "limited_mobility": False,
    "documents_in_other_language": False,
    "visa_requires_residence_permit": False,
    "high_level_talent": False,
}
KNOWN_FOR_EXTENSION = {
    **{k: v for k, v in KNOWN.items() if k not in ("visa_requires_residence_permit", "high_level_talent")},
    "first_entry": True,
    "good_stay_record": False,
    "inviter_guarantees_expenses": False,
}
AGED_15 = "2011-11-23"
AGED_16 = "2010-11-22"
AGED_17 = "2008-11-23"
AGED_18 = "2008-11-22"
AGED_59 = "1966-11-23"
AGED_60 = "1966-11-22"
BASE_MATERIALS = ("passport", "application-form", "accommodation-registration")


def ask(procedure: str = FIRST, on: date = ON, **changes: object) -> Advice:
    facts = dict(KNOWN if procedure == FIRST else KNOWN_FOR_EXTENSION)
    for name, value in changes.items():
        if value is None:
            facts.pop(name, None)
        else:
            facts[name] = value
    return advise(procedure, facts, on)


def ids(answers) -> tuple[str, ...]:
    return tuple(a.id for a in answers)


def test_the_known_facts_give_a_complete_answer() -> None:
    advice = ask()
    assert (advice.status, advice.missing, advice.eligible) == (COMPLETE, (), True)


# --- grounds and their materials ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "materials", "notes_family"),
    [
        pytest.param(
            {"visa_category": "S1"},
            ("family-member-travel-document", "visited-person-residence-permit", "family-certificate-letter"),
            True,
            id="a family visitor on an S1 visa brings the family member's certificate letter",
        ),
        pytest.param(
            {"visa_category": "S2", "documents_issued_abroad": None},
            ("family-member-travel-document", "visited-person-residence-permit", "family-certificate-letter"),
            True,
            id="a family visitor on an S2 visa is not asked where the documents were issued",
        ),
        pytest.param(
            {"visa_category": "Q2", "documents_issued_abroad": True},
            (
                "family-member-travel-document",
                "visited-person-residence-permit",
                "kinship-documents",
                "consular-authentication",
            ),
            True,
            id="a family visitor on another visa with foreign documents has them authenticated by the consulate",
        ),
        pytest.param(
            {"visa_category": "Q2", "documents_issued_abroad": False},
            ("family-member-travel-document", "visited-person-residence-permit", "kinship-documents"),
            True,
            id="a family visitor on another visa with Chinese documents needs no authentication",
        ),
        pytest.param(
            {
                "ground": "chinese-origin-property",
                "birth_date": AGED_60,
                "chinese_origin": True,
                "owns_beijing_property": True,
                "visa_category": None,
                "documents_issued_abroad": None,
            },
            ("property-ownership", "deposit-certificate"),
            False,
            id="a person of Chinese origin aged 60 with a Beijing home brings the ownership and deposit papers",
        ),
        pytest.param(
            {
                "ground": "medical",
                "medical_over_six_months": True,
                "visa_category": None,
                "documents_issued_abroad": None,
            },
            ("medical-proof",),
            False,
            id="a patient brings the hospital's proof of six months' treatment",
        ),
        pytest.param(
            {"ground": "other-private-affairs", "visa_category": None, "documents_issued_abroad": None},
            ("private-affairs-proof",),
            False,
            id="other private affairs need proof of the need to reside",
        ),
    ],
)
def test_each_ground_brings_its_own_materials(changes: dict, materials: tuple, notes_family: bool) -> None:
    advice = ask(**changes)
    assert advice.status == COMPLETE
    assert ids(advice.materials) == BASE_MATERIALS + materials
    assert ("other-supporting-documents" in ids(advice.notes)) is notes_family


@pytest.mark.parametrize(
    ("changes", "failed"),
    [
        pytest.param(
            {"birth_date": AGED_59, "chinese_origin": True, "owns_beijing_property": True},
            "chinese-origin-over-60-with-property",
            id="a person of Chinese origin aged 59 with a Beijing home is not eligible on that ground",
        ),
        pytest.param(
            {"birth_date": AGED_60, "chinese_origin": False, "owns_beijing_property": True},
            "chinese-origin-over-60-with-property",
            id="a person not of Chinese origin is not eligible on that ground",
        ),
        pytest.param(
            {"birth_date": AGED_60, "chinese_origin": True, "owns_beijing_property": False},
            "chinese-origin-over-60-with-property",
            id="a person of Chinese origin without a Beijing home is not eligible on that ground",
        ),
    ],
)
def test_the_chinese_origin_ground_needs_origin_age_60_and_a_home(changes: dict, failed: str) -> None:
    advice = ask(ground="chinese-origin-property", **changes)
    assert advice.status == INELIGIBLE
    failures = [a for a in advice.eligibility if a.met is False]
    assert ids(failures) == (failed,)
    assert "age 60 or over" in failures[0].failure.en
    assert "年满60周岁" in failures[0].failure.zh


# Regulations Art. 15(5): the permit for a long-term family visit goes to the spouse, parents, children under
# 18 and parents-in-law of a foreigner residing in China for work, study or the like; others reside for
# "other private affairs".
@pytest.mark.parametrize("procedure", [FIRST, EXTENSION])
@pytest.mark.parametrize(
    ("relation", "birth_date", "eligible"),
    [
        pytest.param("spouse", "1990-05-01", True, id="the spouse"),
        pytest.param("parent", AGED_60, True, id="a parent"),
        pytest.param("parent-in-law", AGED_60, True, id="a parent-in-law"),
        pytest.param("child", AGED_17, True, id="a child of 17"),
        pytest.param("child", AGED_18, False, id="a child of 18 is no longer under 18"),
        pytest.param("other", "1990-05-01", False, id="a sibling or another relative"),
    ],
)
def test_a_family_visit_is_for_the_spouse_parents_children_under_18_and_parents_in_law(
    procedure: str, relation: str, birth_date: str, eligible: bool
) -> None:
    advice = ask(procedure, family_relation=relation, birth_date=birth_date)
    assert advice.status == (COMPLETE if eligible else INELIGIBLE)
    (line,) = [a for a in advice.eligibility if a.id == "family-relation"]
    assert line.met is eligible
    assert {f"{c.source}: {c.section}" for c in line.cite} == {
        "regulations: Art. 15(5)",
        "bj-personal-affairs: Who may apply",
    }
    if not eligible:
        assert "children under 18" in line.failure.en and "other private affairs" in line.failure.en
        assert "未满18周岁的子女" in line.failure.zh and "其他私人事务" in line.failure.zh


def test_the_family_relation_is_asked_only_on_the_family_ground() -> None:
    assert "family_relation" in [f.id for f in ask(family_relation=None).missing]
    advice = ask(ground="medical", medical_over_six_months=True, family_relation=None)
    assert advice.status == COMPLETE
    assert "family-relation" not in [a.id for a in advice.eligibility if a.met is not None]


def test_the_medical_ground_without_six_months_of_treatment_is_not_eligible() -> None:
    advice = ask(ground="medical", medical_over_six_months=False)
    assert advice.status == INELIGIBLE
    assert [a.id for a in advice.eligibility if a.met is False] == ["medical-over-six-months"]


def test_the_medical_ground_asks_whether_treatment_lasts_six_months() -> None:
    advice = ask(ground="medical")
    assert advice.status == NEEDS_FACTS
    assert [f.id for f in advice.missing] == ["medical_over_six_months"]


# --- the health certificate -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "validity", "on", "needed"),
    [
        pytest.param(AGED_17, "P2Y", ON, False, id="an applicant aged 17 needs no health certificate"),
        pytest.param(
            AGED_18, "P2Y", ON, True, id="an applicant aged 18 is above 18 and needs one for two years"
        ),
        pytest.param(
            "2008-02-29", "P2Y", D("2026-02-28"), True, id="born 29 February 2008 is 18 on 28 February 2026"
        ),
        pytest.param("1990-05-01", "P1Y", ON, False, id="one year of validity is not more than one year"),
        pytest.param("1990-05-01", "P1Y1D", ON, True, id="a year and a day is more than one year"),
        pytest.param("1990-05-01", "P13M", ON, True, id="13 months is more than one year"),
        pytest.param("1990-05-01", "P364D", ON, False, id="364 days is less than one year"),
    ],
)
def test_the_health_certificate_is_needed_from_18_for_more_than_a_year(
    birth_date: str, validity: str, on: date, needed: bool
) -> None:
    advice = ask(on=on, birth_date=birth_date, validity=validity)
    assert advice.status == COMPLETE
    assert ("health-certificate" in ids(advice.health)) is needed
    assert ("health-certificate" in ids(advice.materials)) is needed


def test_a_health_certificate_issued_on_31_august_is_valid_until_28_february() -> None:
    advice = ask(validity="P2Y", health_certificate_issue_date="2026-08-31")
    (certificate,) = advice.health
    assert certificate.due == D("2027-02-28")


# --- fees by validity -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("validity", "on", "fee"),
    [
        pytest.param("P180D", ON, 400, id="180 days costs 400 yuan"),
        pytest.param("P6M", ON, 400, id="6 months costs 400 yuan"),
        pytest.param("P364D", ON, 400, id="364 days is less than one year and costs 400 yuan"),
        pytest.param(
            "P365D", D("2024-01-10"), 400, id="365 days from 10 January 2024 is less than the leap year"
        ),
        pytest.param("P365D", ON, 800, id="365 days from 22 November 2026 is one year and costs 800 yuan"),
        pytest.param("P1Y", ON, 800, id="one year costs 800 yuan"),
        pytest.param("P2Y11M", ON, 800, id="2 years 11 months costs 800 yuan"),
        pytest.param("P3Y", ON, 1000, id="three years costs 1000 yuan"),
        pytest.param("P5Y", ON, 1000, id="five years costs 1000 yuan"),
    ],
)
def test_the_fee_follows_the_band_of_the_validity(validity: str, on: date, fee: int) -> None:
    advice = ask(on=on, validity=validity, birth_date=AGED_17)  # under 18: no health certificate question
    assert advice.status == COMPLETE
    assert [a.amount_cny for a in advice.fees] == [fee]
    assert advice.fee_total_cny == fee


@pytest.mark.parametrize(
    "validity",
    [
        pytest.param("P5Y1D", id="five years and a day is beyond the 5-year maximum"),
        pytest.param("P179D", id="179 days is below the 180-day minimum"),
    ],
)
def test_a_validity_outside_180_days_to_5_years_is_ineligible_and_has_no_fee(validity: str) -> None:
    advice = ask(validity=validity)
    assert advice.status == INELIGIBLE
    (failed,) = [a for a in advice.eligibility if a.met is False]
    assert failed.id == "validity-in-range"
    assert failed.failure.en == "Residence permits other than for work are issued for 180 days to 5 years."
    assert advice.fees == ()
    assert advice.fee_total_cny is None


# --- time limits in working days ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "pick_up", "receipt_until", "provisional"),
    [
        pytest.param(ON, D("2026-12-01"), D("2026-12-11"), False, id="applying on 22 November 2026"),
        pytest.param(
            D("2026-09-24"),
            D("2026-10-12"),
            D("2026-10-22"),
            False,
            id="applying on 24 September 2026 before National Day",
        ),
        pytest.param(
            D("2025-12-31"), D("2026-01-12"), D("2026-01-22"), False, id="applying on New Year's Eve 2025"
        ),
        pytest.param(
            D("2026-12-21"),
            D("2026-12-30"),
            D("2027-01-12"),  # 1 January 2027 rested as a statutory holiday
            True,
            id="applying on 21 December 2026 reaches 2027",
        ),
    ],
)
def test_pick_up_after_7_working_days_and_the_receipt_lasts_15(
    on: date, pick_up: date, receipt_until: date, provisional: bool
) -> None:
    advice = ask(on=on)
    processing, receipt = advice.time_limits
    assert (processing.id, processing.working_days, processing.due) == ("processing", 7, pick_up)
    assert (receipt.id, receipt.working_days, receipt.due) == ("receipt-validity", 15, receipt_until)
    assert receipt.provisional is provisional
    assert advice.provisional is provisional


# --- who may apply instead of the applicant, and interviews ---------------------------------------


@pytest.mark.parametrize(
    ("procedure", "changes", "proxy"),
    [
        pytest.param(FIRST, {"birth_date": AGED_15}, True, id="an applicant aged 15 may apply by proxy"),
        pytest.param(FIRST, {"birth_date": AGED_16}, False, id="an applicant aged 16 applies in person"),
        pytest.param(FIRST, {"birth_date": AGED_59}, False, id="an applicant aged 59 applies in person"),
        pytest.param(FIRST, {"birth_date": AGED_60}, True, id="an applicant aged 60 may apply by proxy"),
        pytest.param(
            FIRST, {"limited_mobility": True}, True, id="an applicant of limited mobility may apply by proxy"
        ),
        pytest.param(
            FIRST,
            {"birth_date": AGED_15, "limited_mobility": None},
            True,
            id="an applicant aged 15 is not asked about mobility",
        ),
        pytest.param(
            FIRST,
            {"first_entry": False, "good_stay_record": True, "inviter_guarantees_expenses": True},
            False,
            id="a first application cannot go by proxy on a good stay record or a guarantee (Art 19 para 2)",
        ),
        pytest.param(
            FIRST,
            {"high_level_talent": True},
            True,
            id="a high-level or urgently needed talent may apply by proxy (Art 19 para 2)",
        ),
        pytest.param(
            EXTENSION, {"birth_date": AGED_15}, True, id="an extension for someone aged 15 may go by proxy"
        ),
        pytest.param(
            EXTENSION, {"birth_date": AGED_60}, True, id="an extension for someone aged 60 may go by proxy"
        ),
        pytest.param(
            EXTENSION,
            {"limited_mobility": True},
            True,
            id="an extension for someone of limited mobility may go by proxy",
        ),
        pytest.param(
            EXTENSION,
            {"first_entry": False, "good_stay_record": True},
            True,
            id="an extension for someone on a later entry with a good record may go by proxy",
        ),
        pytest.param(
            EXTENSION,
            {"first_entry": True, "good_stay_record": True},
            False,
            id="an extension on a first entry is not by proxy for a good record",
        ),
        pytest.param(
            EXTENSION,
            {"first_entry": False, "good_stay_record": False},
            False,
            id="an extension for someone with a poor stay record is in person",
        ),
        pytest.param(
            EXTENSION,
            {"inviter_guarantees_expenses": True},
            True,
            id="an extension where the inviter guarantees the expenses may go by proxy",
        ),
        pytest.param(
            EXTENSION,
            {},
            False,
            id="an extension for an adult on a first entry with no guarantee is in person",
        ),
    ],
)
def test_who_may_apply_by_proxy(procedure: str, changes: dict, proxy: bool) -> None:
    advice = ask(procedure, **changes)
    assert advice.status == COMPLETE
    assert advice.proxy_allowed is proxy
    assert ids(advice.submission) == (("proxy",) if proxy else ("in-person",))


@pytest.mark.parametrize(
    ("changes", "interview"),
    [
        pytest.param(
            {"birth_date": AGED_15},
            "interview-on-request",
            id="an applicant aged 15 is interviewed only on request",
        ),
        pytest.param({"birth_date": AGED_16}, "interview-required", id="an applicant aged 16 is interviewed"),
        pytest.param({"birth_date": AGED_59}, "interview-required", id="an applicant aged 59 is interviewed"),
        pytest.param(
            {"birth_date": AGED_60},
            "interview-on-request",
            id="an applicant aged 60 is interviewed only on request",
        ),
        pytest.param(
            {"limited_mobility": True}, "interview-on-request", id="an applicant of limited mobility likewise"
        ),
    ],
)
def test_the_face_to_face_interview(changes: dict, interview: str) -> None:
    advice = ask(**changes)
    assert ids(advice.interview) == (interview,)
    assert (
        advice.interview[0].mode
        == {"interview-required": "required", "interview-on-request": "on-request"}[interview]
    )


# --- translation, minors, household registration ------------------------------------------------


@pytest.mark.parametrize(
    ("other_language", "lines"),
    [
        pytest.param(True, ("translate-non-english",), id="materials in French are translated into Chinese"),
        pytest.param(False, (), id="materials in English or Chinese need no translation"),
    ],
)
def test_materials_in_a_language_other_than_english_are_translated(
    other_language: bool, lines: tuple
) -> None:
    assert ids(ask(documents_in_other_language=other_language).translation) == lines


@pytest.mark.parametrize(
    ("birth_date", "first_time", "needed"),
    [
        pytest.param(
            AGED_17,
            True,
            True,
            id="aged 17 applying for the first time proves nationality by birth certificate",
        ),
        pytest.param(AGED_17, False, False, id="aged 17 applying again does not"),
        pytest.param(AGED_18, True, False, id="aged 18 applying for the first time does not"),
    ],
)
def test_a_minor_applying_for_the_first_time_proves_nationality(
    birth_date: str, first_time: bool, needed: bool
) -> None:
    advice = ask(birth_date=birth_date, first_application_in_china=first_time)
    assert advice.status == COMPLETE
    assert ("minor-first-application" in ids(advice.materials)) is needed


def test_whether_it_is_a_first_application_is_asked_only_of_a_minor() -> None:
    assert [f.id for f in ask(birth_date=AGED_17, first_application_in_china=None).missing] == [
        "first_application_in_china"
    ]
    assert ask(birth_date=AGED_18, first_application_in_china=None).status == COMPLETE


# Points for Attention 5 is for an application "for the first time in China"; an extension is made on a
# residence permit held here (Regulations Art. 17), so it never asks, and a minor's extension brings no
# birth certificate or parents' documents for it.
@pytest.mark.parametrize("first_time", [None, True, False])
def test_a_minors_extension_is_not_asked_whether_it_is_a_first_application(first_time) -> None:
    advice = ask(EXTENSION, birth_date=AGED_17, first_application_in_china=first_time)
    assert (advice.status, advice.missing) == (COMPLETE, ())
    assert "minor-first-application" not in ids(advice.materials)


@pytest.mark.parametrize("birth_date", [AGED_15, AGED_16, AGED_17, AGED_18, AGED_59, AGED_60])
@pytest.mark.parametrize("validity", ["P180D", "P1Y", "P2Y", "P5Y"])
@pytest.mark.parametrize("ground", ["family", "medical"])
def test_the_extension_answers_as_a_first_application_made_again(birth_date, validity, ground) -> None:
    """Materials, health certificate, fees, validity and interview of an extension are those of a first
    application that is not the applicant's first in China: only the proxies differ (Art. 19 para. 2)."""
    changes = {"birth_date": birth_date, "validity": validity, "ground": ground}
    if ground == "medical":
        changes |= {"medical_over_six_months": True, "visa_category": None, "documents_issued_abroad": None}
    first = ask(FIRST, first_application_in_china=False, **changes)
    extension = ask(EXTENSION, first_application_in_china=None, **changes)
    assert extension.status == first.status == COMPLETE
    for section in ("eligibility", "health", "fees", "time_limits", "interview", "translation"):
        assert getattr(extension, section) == getattr(first, section), section
    # Art. 16(5)'s residence permit of the person visited is the first application's alone
    first_materials = tuple(a for a in first.materials if a.id != "visited-person-residence-permit")
    assert extension.materials == first_materials
    assert extension.fee_total_cny == first.fee_total_cny


def test_a_minors_first_application_asks_whether_it_is_the_first_and_an_extension_does_not() -> None:
    facts = {"household_registration_in_china": False, "ground": "family", "family_relation": "child"}
    facts |= {"birth_date": AGED_17, "validity": "P1Y", "visa_category": "S1"}
    assert "first_application_in_china" in [f.id for f in advise(FIRST, facts, ON).missing]
    assert "first_application_in_china" not in [f.id for f in advise(EXTENSION, facts, ON).missing]


def test_an_uncancelled_household_registration_bars_the_application() -> None:
    advice = ask(household_registration_in_china=True)
    assert advice.status == INELIGIBLE
    assert advice.eligible is False
    (failed,) = [a for a in advice.eligibility if a.met is False]
    assert failed.id == "no-household-registration"
    assert (
        failed.failure.en
        == "Cancel the household registration in China first; apply only after it is cancelled."
    )
    assert failed.failure.zh == "请先注销在中国的户籍，注销后再申请。"


# --- obligations and their dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "obligation", "due"),
    [
        pytest.param(
            {"visa_requires_residence_permit": True, "entry_date": "2026-09-01"},
            "residence-permit-within-30-days-of-entry",
            D("2026-10-08"),
            id="entry on 1 September 2026: apply by 8 October, rolled past National Day",
        ),
        pytest.param(
            {"visa_requires_residence_permit": True, "entry_date": "2026-03-01"},
            "residence-permit-within-30-days-of-entry",
            D("2026-03-31"),
            id="entry on 1 March 2026: apply by 31 March",
        ),
        pytest.param(
            {"permit_expiry_date": "2026-12-31"},
            "extension-at-least-30-days-before-expiry",
            D("2026-12-01"),
            id="a permit expiring on 31 December 2026: apply to extend by 1 December",
        ),
        pytest.param(
            {"change_date": "2026-09-21"},
            "change-of-particulars-within-10-days",
            D("2026-10-08"),
            id="particulars changed on 21 September 2026: apply by 8 October, rolled past National Day",
        ),
    ],
)
def test_obligations_carry_their_dates(changes: dict, obligation: str, due: date) -> None:
    advice = ask(**changes)
    (answer,) = [a for a in advice.obligations if a.id == obligation]
    assert answer.due == due


def test_a_dated_fact_too_far_for_the_calendar_to_roll_its_deadline_is_refused_by_name() -> None:
    with pytest.raises(FactError, match="outside the calendar's range") as raised:
        ask(change_date="1900-01-01")
    assert raised.value.fact == "change_date"


def test_no_residence_permit_deadline_when_the_visa_does_not_require_one() -> None:
    advice = ask(visa_requires_residence_permit=False, entry_date="2026-09-01")
    assert "residence-permit-within-30-days-of-entry" not in ids(advice.obligations)


def test_the_extension_has_no_after_entry_deadline() -> None:
    assert ids(ask(EXTENSION).obligations) == (
        "extension-at-least-30-days-before-expiry",
        "change-of-particulars-within-10-days",
    )


# --- what is asked when nothing is known ----------------------------------------------------------


@pytest.mark.parametrize(
    ("procedure", "order"),
    [
        pytest.param(
            FIRST,
            [
                "household_registration_in_china",
                "ground",
                "birth_date",
                "validity",
                "visa_category",
                "documents_issued_abroad",
                "first_application_in_china",
                "limited_mobility",
                "high_level_talent",
                "documents_in_other_language",
                "visa_requires_residence_permit",
            ],
            id="the first application asks eligibility first, then what the materials and proxies depend on",
        ),
        pytest.param(
            EXTENSION,
            [
                "household_registration_in_china",
                "ground",
                "birth_date",
                "validity",
                "visa_category",
                "documents_issued_abroad",
                "limited_mobility",
                "first_entry",
                "good_stay_record",
                "inviter_guarantees_expenses",
                "documents_in_other_language",
            ],
            id="the extension asks about earlier entries and a guarantee, never whether it is a first application",
        ),
    ],
)
def test_the_facts_asked_for_when_nothing_is_known(procedure: str, order: list) -> None:
    advice = advise(procedure, {}, ON)
    assert advice.status == NEEDS_FACTS
    assert [f.id for f in advice.missing] == order
    assert ids(advice.materials) == BASE_MATERIALS
    assert advice.fee_total_cny is None


# --- where to apply, and the standing notes -------------------------------------------------------


def test_the_six_halls_of_the_guide_take_the_application_monday_to_saturday() -> None:
    halls = ask().halls
    assert [h.id for h in halls] == [
        "reception-hall",
        "zhongguancun",
        "chaoyang",
        "shunyi",
        "shijingshan",
        "tongzhou",
    ]
    assert all(h.weekdays == {0, 1, 2, 3, 4, 5} for h in halls)
    shijingshan = next(h for h in halls if h.id == "shijingshan")
    assert [(s.opens.isoformat("minutes"), s.closes.isoformat("minutes")) for s in shijingshan.sessions] == [
        ("09:00", "12:00"),
        ("13:30", "17:30"),
    ]


def test_every_applicant_is_told_the_standing_notes() -> None:
    assert ids(ask(ground="medical", medical_over_six_months=True).notes) == (
        "originals-and-copies",  # Points for Attention 2
        "one-time-notice",  # Regulations Art. 18 para. 2
        "verification",  # Legal Reminders 5
        "decision-final",  # Legal Reminders 6
        "pay-and-collect",  # Steps
    )


def test_a_material_whose_condition_waits_for_an_answer_is_pending_with_its_reason_until_answered():
    """Until the validity wanted is known, the health certificate is neither required nor dropped: it is
    pending, with the rule's own reason (Regulations Art. 16: more than one year); answered, it is decided."""
    on = date(2026, 12, 7)
    facts = dict(eligible_facts("rp-personal-affairs-extension", on))
    facts.pop("validity")
    waiting = advise("rp-personal-affairs-extension", facts, on)
    assert "validity" in {f.id for f in waiting.missing}
    (pending,) = [a for a in waiting.pending if a.id == "health-certificate"]
    assert "more than 1 year" in pending.why.en and "超过1年" in pending.why.zh
    assert "health-certificate" not in {a.id for a in waiting.materials}
    for validity, needed in (("P2Y", True), ("P1Y", False)):
        answered = advise("rp-personal-affairs-extension", {**facts, "validity": validity}, on)
        assert ("health-certificate" in {a.id for a in answered.materials}) is needed
        assert answered.pending == ()


# --- the seed audit: Regulations Arts. 16(5), 17, 18 para. 2, 19 para. 2 and 21 ----------------------


def cites(answer) -> set[str]:
    return {f"{c.source}: {c.section}" for c in answer.cite}


def one(answers, rule_id: str):
    return next(a for a in answers if a.id == rule_id)


def test_a_family_visitor_brings_the_residence_permit_of_the_person_visited() -> None:
    """Regulations Art. 16(5): "proof of kinship and the residence permit of the person being visited"."""
    permit = one(ask().materials, "visited-person-residence-permit")
    assert cites(permit) == {"regulations: Art. 16(5)"}
    assert "residence permit" in permit.text.en and "居留证件" in permit.text.zh
    medical = ask(
        ground="medical", medical_over_six_months=True, visa_category=None, documents_issued_abroad=None
    )
    assert "visited-person-residence-permit" not in ids(medical.materials)


def test_a_talent_may_apply_by_proxy_under_the_rule_the_work_permit_uses() -> None:
    """One Art. 19 para. 2 for every first residence permit: the same condition and why as rp-work's."""
    mine = one(ask(high_level_talent=True).submission, "proxy")
    work = advise(
        "rp-work",
        {"validity": "P1Y", "high_level_talent": True, "birth_date": "1990-05-01", "limited_mobility": False},
        ON,
    )
    theirs = one(work.submission, "proxy")
    assert (mine.condition, mine.why) == (theirs.condition, theirs.why)
    assert "regulations: Art. 19 para. 2" in cites(mine)
    assert "trustee" in mine.text.en  # the guide's own line: a copy of the trustee's ID


def test_the_in_person_line_shows_only_where_no_proxy_rule_applies() -> None:
    """A 14-year-old's checklist says someone else may apply, not also that the applicant comes in person."""
    young = ask(birth_date="2012-05-01")
    assert ids(young.submission) == ("proxy",)
    assert ids(ask().submission) == ("in-person",)


def test_the_extension_is_applied_for_in_person_without_the_first_applications_biometrics() -> None:
    """Art. 17 asks the form, passport, photos and reason materials; the fingerprints are Art. 16's."""
    first = one(ask().submission, "in-person")
    extension = one(ask(EXTENSION).submission, "in-person")
    assert "fingerprints" in first.text.en and "regulations: Art. 16" in cites(first)
    assert "fingerprints" not in extension.text.en and "指纹" not in extension.text.zh
    assert "regulations: Art. 16" not in cites(extension)
    assert "regulations: Art. 17" in cites(extension)


def test_the_one_time_notice_and_the_refusal_grounds_are_the_national_procedures_lines() -> None:
    national = advise(
        "rp-extension",
        {
            "residence_permit_type": "private-affairs",
            "validity": "P1Y",
            "birth_date": "1990-05-01",
            "limited_mobility": False,
            "first_entry": True,
            "good_stay_record": False,
            "inviter_guarantees_expenses": False,
        },
        ON,
    )
    first, extension = ask(), ask(EXTENSION)
    assert "one-time-notice" in ids(first.notes) and "refusal-grounds" not in ids(first.notes)
    for rule_id, article in (("one-time-notice", "Art. 18 para. 2"), ("refusal-grounds", "Art. 21")):
        line = one(extension.notes, rule_id)
        assert cites(line) == {f"regulations: {article}"}
        assert line.text == one(national.notes, rule_id).text
    assert one(first.notes, "one-time-notice").text == one(national.notes, "one-time-notice").text


@pytest.mark.parametrize("procedure", [FIRST, EXTENSION])
def test_the_application_forms_photo_is_half_length_as_the_guide_says(procedure: str) -> None:
    """Seed 000, Materials: "full-faced and bareheaded against a white background, color print, two inches,
    half-length"."""
    (form,) = [a for a in ask(procedure).materials if a.id == "application-form"]
    assert "half-length" in form.text.en and "半身" in form.text.zh
    assert "bj-personal-affairs: Materials" in cites(form)


def test_the_change_of_particulars_duty_names_the_date_and_place_of_issuance_as_the_guide_does() -> None:
    """Seed 000, Legal Reminders 4: "… residence duration, date and place of issuance, passport number …"; it
    repeats the Law's Art. 33, which the duty cites for every residence permit (obligations/residence.yaml)."""
    (duty,) = [o for o in ask(EXTENSION).obligations if o.id == "change-of-particulars-within-10-days"]
    assert "date and place of issuance" in duty.text.en and "签发日期和地点" in duty.text.zh
    assert cites(duty) == {"exit-entry-law: Art. 33"}
