"""A unit sees its own staff and those it reported: the person page of someone the unit reported off its
roster leads to the report's receipt (read-only, with the hall's follow-up), never a 404; a person the unit
never had stays unseen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from exitentry.compliance.models import UnitReport
from factories import TODAY, AffiliationFactory, PermitFactory, PersonFactory, UnitFactory, unit_handler

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files_today(monkeypatch):
    monkeypatch.setattr("exitentry.compliance.unit_reports.beijing_today", lambda *_: TODAY)


def reported(lang: str, event: str, surname: str, given_names: str):
    """A unit's handler, a person of theirs holding a permit, and the report the handler filed of them
    through the form three days ago: (the handler's browser, the person, the report)."""
    handler = unit_handler(UnitFactory())
    place = AffiliationFactory(unit=handler.unit, person__surname=surname, person__given_names=given_names)
    PermitFactory(
        person=place.person, issued_on=TODAY - timedelta(days=100), valid_until=TODAY + timedelta(days=90)
    )
    browser = client_for(handler)
    filed = browser.post(
        f"/{lang}/unit/reports/new/",
        {"person": place.person_id, "event": event, "happened_on": (TODAY - timedelta(days=3)).isoformat()},
    )
    assert filed.status_code == 302
    return browser, place.person, UnitReport.objects.get(person=place.person)


@pytest.mark.parametrize(
    ("lang", "follow_up"), [("en", "Follow-up by the hall"), ("zh-hans", "出入境管理机构的后续核查")]
)
def test_the_page_of_a_person_the_unit_reported_leads_to_the_reports_receipt(lang, follow_up):
    browser, person, report = reported(lang, "employee-resigned", "Okafor", "Chidi")
    opened = browser.get(f"/{lang}/unit/people/{person.pk}/")
    assert opened.status_code == 302 and opened["Location"] == f"/{lang}/unit/reports/{report.pk}/"
    receipt = html(browser.get(opened["Location"]))
    assert "okafor" in receipt.casefold()
    assert follow_up in receipt


def test_a_person_the_unit_never_had_nor_reported_stays_unseen():
    handler = unit_handler(UnitFactory())
    stranger = PersonFactory()
    assert client_for(handler).get(f"/en/unit/people/{stranger.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("lang", "event", "state"),
    [
        ("en", "The employee changed work location", "No follow-up needed"),
        ("zh-hans", "聘用的外国人变更工作地域", "无需跟进"),
    ],
)
def test_the_page_of_a_person_still_on_the_roster_lists_the_units_reports_of_them(lang, event, state):
    """The roster marks a report beside the person; their own page lists it too (receipt, event, day,
    the hall's follow-up), each linked to its receipt."""
    browser, person, report = reported(lang, "employee-changed-work-location", "Silva", "Ben")
    page = browser.get(f"/{lang}/unit/people/{person.pk}/")
    assert page.status_code == 200
    shown = html(page)
    assert f'<a href="/{lang}/unit/reports/{report.pk}/">{report.number}</a>' in shown
    section = shown[shown.index('id="reports-h"') :]
    assert event in section and state in section
