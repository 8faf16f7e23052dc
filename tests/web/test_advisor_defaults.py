"""What the advisor starts from: the planned submission date is a day a hall taking the procedure opens
(not a Sunday or a holiday), and the registry's answers come from the documents the stay rests on that day:
the visa is the one the last entry was made on, whatever its entry validity (Regulations Art. 36(2)-(3))."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from advisor_forms import forms, hidden_fields
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from exitentry.registry.models import EntryExit
from factories import TODAY, PermitFactory, TravelDocumentFactory, VisaFactory, applicant

pytestmark = pytest.mark.django_db
SUNDAY = date(2026, 11, 8)
PROCEDURE = "rp-personal-affairs-extension"


def start_form(page: str, procedure_id: str) -> dict[str, str]:
    [form] = [f for f in forms(page) if f"/advisor/{procedure_id}/" in (f["attrs"].get("action") or "")]
    return hidden_fields(form)


def holder_with_visa(days_past_its_end: int):
    """A holder of a personal-affairs permit who entered on an S1 visa that ended ``days_past_its_end``
    days before TODAY (negative: it is still in force)."""
    holder = applicant()
    person = holder.person
    PermitFactory(person=person, permit_type="private-affairs", valid_until=TODAY + timedelta(days=20))
    passport = TravelDocumentFactory(person=person)
    until = TODAY - timedelta(days=days_past_its_end)
    VisaFactory(
        travel_document=passport,
        category="S1",
        duration_of_stay_days=180,
        valid_from=until - timedelta(days=180),
        valid_until=until,
        residence_permit_within_days=None,
    )
    EntryExit.objects.create(
        person=person, direction="entry", on=until - timedelta(days=170), port="PEK", travel_document=passport
    )
    return holder


@pytest.mark.parametrize("days_past_its_end", [-5, 0, 1, 30])
def test_the_visa_entered_on_is_prefilled_while_its_holder_is_in_china_on_that_entry(days_past_its_end):
    """A visa's validity is for entering; the stay on it runs from the entry (Art. 36(2)-(3)), so the visa
    entered on is the one the stay rests on after its last day for entry too (``visa_of_last_entry``)."""
    holder = holder_with_visa(days_past_its_end)
    page = html(client_for(holder).get(f"/en/my/people/{holder.person_id}/permits/"))
    assert start_form(page, PROCEDURE).get("visa_category") == "S1"


def test_no_visa_is_prefilled_once_its_holder_has_left_china():
    holder = holder_with_visa(-5)
    passport = holder.person.travel_documents.get()
    EntryExit.objects.create(
        person=holder.person,
        direction="exit",
        on=TODAY - timedelta(days=2),
        port="PEK",
        travel_document=passport,
    )
    page = html(client_for(holder).get(f"/en/my/people/{holder.person_id}/permits/"))
    assert start_form(page, PROCEDURE).get("visa_category") is None


def test_a_start_from_my_permits_on_a_sunday_plans_the_next_day_a_hall_opens(monkeypatch):
    monkeypatch.setattr("exitentry.web.case_pages.beijing_today", lambda: SUNDAY)
    holder = holder_with_visa(-30)
    page = html(client_for(holder).get(f"/en/my/people/{holder.person_id}/permits/"))
    assert start_form(page, PROCEDURE)["on"] == "2026-11-09"


@pytest.mark.parametrize(
    "today, planned",
    [
        (SUNDAY, "2026-11-09"),  # Monday
        (date(2026, 11, 9), "2026-11-09"),  # a weekday: today
        (date(2026, 10, 1), "2026-10-08"),  # National Day holiday (1-7 Oct 2026): the day after
    ],
)
def test_a_fresh_advisor_plans_the_first_day_a_hall_opens(client, monkeypatch, today, planned):
    monkeypatch.setattr("exitentry.web.views.beijing_today", lambda: today)
    for language in ("en", "zh-hans"):
        page = html(client.get(f"/{language}/advisor/{PROCEDURE}/"))
        assert f'name="on" value="{planned}"' in page, language
