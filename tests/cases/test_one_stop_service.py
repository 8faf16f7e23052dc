"""The one-stop service end to end (seed 002): the employer's handler files both permits at once, the
pre-examination clock by the work permit's category, one intake, one decision, both permits issued.

Dates on the 2026 holiday table (DOMAIN-FACTS): National Day rest 1-7 October, make-up working Saturday
10 October. Submitted on Wednesday 30 September, the working day before National Day: category A's one
working day ends on Thursday 8 October, category B's three on the make-up Saturday 10 October.
"""

from __future__ import annotations

from datetime import date

import pytest

from case_helpers import approval_validity, client_for, hall_accepts, hall_receives, pdf
from exitentry.accounts.models import Role
from exitentry.cases import services
from exitentry.cases.deadlines import case_deadlines
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from exitentry.law.catalog import catalog
from exitentry.registry.models import Permit
from factories import (
    AffiliationFactory,
    PermitFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
    actor,
    eligible_facts,
    officer,
)

pytestmark = pytest.mark.django_db

NEW = "one-stop-work-permits"
BEFORE_NATIONAL_DAY = date(2026, 9, 30)


def handler(unit=None):
    return UserFactory(role=Role.UNIT, unit=unit or UnitFactory())


# Categories B and C are asked who is exempt from the interview; category A is (seed 002, 6. Notes (1)).
NOT_EXEMPT = {"limited_mobility": False, "high_level_talent": False}


def filed(category: str, on: date = BEFORE_NATIONAL_DAY, user=None):
    """A one-stop case filed by a unit's handler for a new employee and submitted on ``on``."""
    user = user or handler()
    facts = {**eligible_facts(NEW, on), "work_permit_category": category, **NOT_EXEMPT}
    case = services.start_case(
        actor(user),
        procedure_id=NEW,
        person=PersonFactory(),
        facts=facts,
        acting_as="unit",
        on=on,
        entered=True,
    )
    for item in services.outstanding(case, on):
        services.upload_material(actor(user), case, item.item.id, pdf(f"{case.pk}-{item.item.id}"), on=on)
    hall = services.hall_choices(catalog().procedure(NEW), case.facts)[0]
    return services.submit(actor(user), case, hall, on=on), user


def pre_examination(case, today):
    (clock,) = (d for d in case_deadlines(case, today) if d.clock == "pre-examination")
    return clock


@pytest.mark.parametrize(
    ("category", "working_days", "due"),
    [
        pytest.param("A", 1, date(2026, 10, 8), id="category A: one working day, Thursday 8 October"),
        pytest.param("B", 3, date(2026, 10, 10), id="category B: three, the make-up Saturday 10 October"),
        pytest.param("C", 3, date(2026, 10, 10), id="category C: three, as B"),
    ],
)
def test_the_pre_examination_clock_runs_over_national_day_by_the_category(category, working_days, due):
    case, _ = filed(category)
    clock = pre_examination(case, BEFORE_NATIONAL_DAY)
    assert (clock.working_days, clock.started_on, clock.deadline.due) == (
        working_days,
        BEFORE_NATIONAL_DAY,
        due,
    )
    assert clock.deadline.provisional is False
    assert clock.status == "due"


def test_one_intake_and_one_decision_issue_both_permits_within_five_working_days():
    """Received on Friday 9 October: five working days with the make-up Saturday are 10, 12, 13, 14, 15."""
    case, user = filed("B")
    clerk = actor(officer(case.hall_id))
    services.pre_examine(clerk, case, on=date(2026, 10, 8))
    hall_receives(clerk, case, on=date(2026, 10, 9))
    hall_accepts(clerk, case, on=date(2026, 10, 9))
    case.refresh_from_db()
    services.decide(
        clerk, case, "approved", validity=approval_validity(case, date(2026, 10, 12)), on=date(2026, 10, 12)
    )
    services.issue(clerk, case, on=date(2026, 10, 12))
    services.mark_ready(clerk, case, on=date(2026, 10, 13))
    case.refresh_from_db()
    assert case.state == State.READY
    permits = Permit.objects.filter(person=case.person).order_by("kind")
    assert [(p.kind, p.permit_type) for p in permits] == [("residence-permit", "work"), ("work-permit", "")]
    assert {p.valid_until for p in permits} == {case.permit.valid_until}
    assert all(p.events.get().case_id == case.pk for p in permits)
    clocks = {d.clock: d for d in case_deadlines(case, date(2026, 10, 13))}
    assert (clocks["pre-examination"].status, clocks["pre-examination"].done_on) == ("met", date(2026, 10, 8))
    processing = clocks["processing"]
    assert (processing.working_days, processing.deadline.due, processing.status) == (
        5,
        date(2026, 10, 15),
        "met",
    )


def test_a_handler_of_another_unit_does_not_see_the_case():
    case, user = filed("A")
    stranger = handler()
    colleague = handler(user.unit)
    for path in (f"/en/my/{case.pk}/", f"/api/v1/cases/{case.pk}"):
        assert client_for(stranger).get(path).status_code == 404
        assert client_for(colleague).get(path).status_code == 200
    deadlines = client_for(colleague).get(f"/api/v1/cases/{case.pk}").json()["deadlines"]
    (pre,) = (d for d in deadlines if d["clock"] == "pre-examination")
    assert (pre["due"], pre["why"]["zh"]) == ("2026-10-08", "申请人的工作许可为A类。")


@pytest.mark.parametrize(
    ("category", "en", "zh"),
    [
        pytest.param("A", "Thu 8 October 2026", "2026年10月8日（周四）", id="category A"),
        pytest.param("B", "Sat 10 October 2026", "2026年10月10日（周六）", id="category B"),
    ],
)
def test_both_sides_pages_show_the_pre_examination_clock_in_both_languages(category, en, zh):
    case, user = filed(category)
    clerk = officer(case.hall_id)
    for who, path in ((user, f"/my/{case.pk}/"), (clerk, f"/console/cases/{case.pk}/")):
        english = client_for(who).get(f"/en{path}").content.decode()
        chinese = client_for(who).get(f"/zh-hans{path}").content.decode()
        assert "Online pre-examination of the application" in english and en in english
        assert "网上预审" in chinese and zh in chinese
        assert f"The applicant&#x27;s work permit is category {category}" in english
        assert f"申请人的工作许可为{category}类" in chinese


@pytest.mark.parametrize(
    ("procedure", "action", "numbered"),
    [
        pytest.param(
            "one-stop-work-permits-renewal", "extension", False, id="a renewal extends both, same numbers"
        ),
        pytest.param(
            "one-stop-work-permits-transfer", "change", False, id="a change of employer changes both"
        ),
    ],
)
def test_a_renewal_or_change_of_employer_acts_on_both_permits_held(procedure, action, numbered):
    user, on = handler(), date(2026, 11, 2)
    person = PersonFactory()
    residence = PermitFactory(person=person, kind="residence-permit", permit_type="work", number="RP1")
    work = PermitFactory(person=person, kind="work-permit", permit_type="", number="WP1")
    if (
        action == "change"
    ):  # the new employer applies (bj-one-stop 3. (2)), its mandate an open case of its own
        Case.objects.create(
            procedure_id="one-stop-work-permits",
            person=person,
            submitted_by=user,
            acting_as="unit",
            unit=user.unit,
        )
    else:
        AffiliationFactory(person=person, unit=user.unit)  # the unit's employee: it acts for them
    case = services.start_case(
        actor(user),
        procedure_id=procedure,
        person=person,
        facts=eligible_facts(procedure, on),
        acting_as="unit",
        permit=residence,
        on=on,
    )
    for item in services.outstanding(case, on):
        services.upload_material(actor(user), case, item.item.id, pdf(f"{case.pk}-{item.item.id}"), on=on)
    case = services.submit(
        actor(user), case, services.hall_choices(catalog().procedure(procedure), case.facts)[0], on=on
    )
    clerk = actor(officer(case.hall_id))
    services.pre_examine(clerk, case, on=on)
    hall_receives(clerk, case, on=on)
    hall_accepts(clerk, case, on=on)
    case.refresh_from_db()
    services.decide(clerk, case, "approved", validity=approval_validity(case, on), on=on)
    services.issue(clerk, case, on=on)
    assert Permit.objects.filter(person=person).count() == 2
    for held in (residence, work):
        held.refresh_from_db()
        event = held.events.get()
        assert (event.kind, event.case_id) == (action, case.pk)
        assert held.valid_until > date(2026, 12, 1)
        assert (held.number not in ("RP1", "WP1")) is numbered
    assert residence.valid_until == work.valid_until


def test_once_pre_examined_category_a_is_told_to_walk_in_and_b_to_book_in_the_service_system():
    a, a_handler = filed("A")
    b, b_handler = filed("B")
    clerk = actor(officer(a.hall_id))
    for case in (a, b):
        services.pre_examine(clerk, case, on=date(2026, 10, 8))
    english = client_for(a_handler).get(f"/en/my/{a.pk}/").content.decode()
    chinese = client_for(a_handler).get(f"/zh-hans/my/{a.pk}/").content.decode()
    assert "No appointment is needed." in english and f"/my/{a.pk}/booking/" not in english
    assert "无需预约。" in chinese
    page = client_for(b_handler).get(f"/en/my/{b.pk}/").content.decode()
    assert f"/en/my/{b.pk}/booking/" not in page and "No appointment is needed." not in page
    assert "book an appointment in the Service System for Foreigners Working in China" in page


def test_over_spring_festival_2027_the_clock_skips_its_statutory_days_and_is_marked_provisional():
    """The 2027 holiday notice is not in the law calendar: the statutory Spring Festival (5-8 February,
    Lunar New Year's Eve to the 3rd) and the days in lieu of its Saturday and Sunday (9-10 February,
    Holidays Measures Art. 6) are rested, its bridging days are not guessed."""
    case, user = filed("B", on=date(2027, 2, 5))
    clock = pre_examination(case, date(2027, 2, 5))
    assert (clock.deadline.due, clock.deadline.provisional) == (date(2027, 2, 15), True)
    page = client_for(user).get(f"/en/my/{case.pk}/").content.decode()
    assert "Mon 15 February 2027" in page and "provisional" in page


@pytest.mark.parametrize(
    "procedure", [NEW, "one-stop-work-permits-transfer", "one-stop-work-permits-renewal"]
)
def test_the_applicant_does_not_file_a_one_stop_application_for_herself(procedure):
    """Seed 002, 4. How to apply a: "The application shall be submitted by the employer" (its handler, in
    the Service System for Foreigners Working in China), for every route of 3. The service scope, the
    renewal (3) too; an S1 visa holder's own start is refused, saying so in both languages with the guide
    cited."""
    from factories import TravelDocumentFactory, VisaFactory, applicant

    me = applicant()
    VisaFactory(travel_document=TravelDocumentFactory(person=me.person), category="S1")
    permit = None
    if procedure != NEW:
        permit = PermitFactory(person=me.person, permit_type="work")
    with pytest.raises(services.Refused) as refused:
        services.start_case(
            actor(me),
            procedure_id=procedure,
            person=me.person,
            facts=eligible_facts(procedure, BEFORE_NATIONAL_DAY),
            permit=permit,
            on=BEFORE_NATIONAL_DAY,
        )
    said = refused.value.message
    assert refused.value.field == "procedure"
    assert "employer" in said.en and "How to apply" in said.en
    assert "用人单位" in said.zh and "“两证联办”指南" in said.zh
    assert not Case.objects.filter(person=me.person).exists()
