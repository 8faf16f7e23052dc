"""The officer's case page on a day the case's hall is closed at its counter (a statutory holiday, a
Sunday, a supervisor's closure) offers no counter step (receive, accept) and says why, in the page's
language, with the very text the service refuses with (``services.counter_closed``)."""

from __future__ import annotations

import html as markup
from datetime import date

import pytest
from advisor_forms import forms
from page_world import client_for, html

from case_helpers import submitted
from exitentry.appointments.models import DayOverride
from exitentry.appointments.opening import hall_changes
from exitentry.cases import services
from factories import TODAY, actor, applicant, officer

pytestmark = pytest.mark.django_db

NATIONAL_DAY = date(2026, 10, 2)
MAKEUP_SUNDAY = date(2026, 9, 20)  # a make-up working Sunday: closed, unconfirmed (``law.halls``)
MAKEUP_SATURDAY = date(2026, 10, 10)  # a make-up working day on one of the halls' weekdays: open
LANGUAGES = (("en", "en"), ("zh-hans", "zh"))


@pytest.fixture
def page_on(monkeypatch):
    """The case page of a submitted case, read by its hall's officer (second factor given) on ``day``."""

    def read(day: date, case, lang: str) -> str:
        monkeypatch.setattr("exitentry.web.case_pages.beijing_today", lambda: day)
        response = client_for(officer(case.hall_id)).get(f"/{lang}/console/cases/{case.pk}/")
        assert response.status_code == 200
        return markup.unescape(html(response))

    return read


def step_actions(page: str) -> set[str]:
    return {
        f["attrs"]["action"].rstrip("/").rsplit("/", 1)[-1]
        for f in forms(page)
        if "step" in f["attrs"].get("class", "")
    }


def refusal(case, day: date):
    with pytest.raises(services.Refused) as refused:
        services.receive(
            actor(officer(case.hall_id)),
            case,
            applicant_present=True,
            on=day,
            changes=hall_changes(case.hall_id, day),
        )
    return refused.value.message


@pytest.mark.parametrize("day", [NATIONAL_DAY, MAKEUP_SUNDAY])
@pytest.mark.parametrize(("lang", "side"), LANGUAGES)
def test_on_a_day_the_law_closes_the_hall_the_page_offers_no_receipt_and_gives_the_services_reason(
    page_on, day, lang, side
):
    case = submitted(applicant(), "rp-work")
    page = page_on(day, case, lang)
    assert "receive" not in step_actions(page)
    assert refusal(case, day).get(side) in page
    assert "No step is open at this stage." not in page and "当前阶段没有可办理的步骤。" not in page


def test_a_holidays_reason_names_the_holiday_and_a_make_up_sundays_says_it_is_unconfirmed(page_on):
    case = submitted(applicant(), "rp-work")
    assert "National Day" in page_on(NATIONAL_DAY, case, "en")
    assert "make-up working day" in page_on(MAKEUP_SUNDAY, case, "en")


@pytest.mark.parametrize("day", [TODAY, MAKEUP_SATURDAY])
def test_on_a_day_the_hall_opens_receipt_is_offered_and_no_closure_is_said(page_on, day):
    case = submitted(applicant(), "rp-work")
    page = page_on(day, case, "en")
    assert "receive" in step_actions(page)
    assert "counter-closed" not in page


@pytest.mark.parametrize(("lang", "side"), LANGUAGES)
def test_a_supervisors_closure_closes_the_counter_with_its_reason(page_on, lang, side):
    case = submitted(applicant(), "rp-work")
    DayOverride.objects.create(
        hall_id=case.hall_id, day=TODAY, kind=DayOverride.Kind.CLOSED, reason="Power outage.",
        reason_zh="停电。", created_by=officer(case.hall_id),
    )  # fmt: skip
    page = page_on(TODAY, case, lang)
    assert "receive" not in step_actions(page)
    said = refusal(case, TODAY)
    assert said.get(side) in page
    assert (
        "Closed by the hall's decision (Power outage)." in said.en
        and "大厅决定当日暂停办公（停电）。" in said.zh
    )
    other_hall = submitted(applicant(), "rp-work")
    other_hall.hall_id = "zhongguancun"
    other_hall.save(update_fields=["hall_id"])
    assert "receive" in step_actions(page_on(TODAY, other_hall, lang))  # the closure is its hall's alone
