"""At 1280px, in a real browser: a long unbroken text someone typed wraps instead of widening the page, the
Chinese header keeps the language switch on its line, and the deadlines' headings keep their words whole."""

from __future__ import annotations

from datetime import timedelta

import pytest

from case_helpers import submitted
from exitentry.compliance.unit_reports import Draft, file_report
from exitentry.law.calendar import beijing_today
from factories import AffiliationFactory, UnitFactory, VisaFactory, actor, applicant, unit_handler

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests/factories.py
WIDE = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
# how many lines each element's text takes (the distinct tops of its text's boxes)
LINES = """els => els.map(el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
})"""


def sign_in(page, live_url: str, lang: str, user) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_url}/{lang}/sign-in/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form.sign-in button[type=submit]").click()


def test_a_note_of_2000_characters_without_a_space_wraps(page, live_url):
    handler = unit_handler(UnitFactory())
    place = AffiliationFactory(unit=handler.unit)
    draft = Draft(place.person_id, "violation", beijing_today() - timedelta(days=1), note="x" * 2000)
    report = file_report(actor(handler), handler.unit, draft, source="web")
    sign_in(page, live_url, "en", handler)
    page.goto(f"{live_url}/en/unit/reports/{report.pk}/")
    assert page.get_by_text("x" * 2000).count() == 1
    assert page.evaluate(WIDE) == [1280, 1280]


def test_the_chinese_header_and_the_deadlines_headings_keep_to_their_lines(page, live_url):
    user = applicant(username="anna.schmidt")  # as long a name as the demo's
    case = submitted(user, "rp-work")
    sign_in(page, live_url, "zh-hans", user)
    page.goto(f"{live_url}/zh-hans/my/{case.pk}/")
    name = page.locator(".site-name").bounding_box()
    switch = page.locator(".language-switch button").bounding_box()
    assert switch["y"] < name["y"] + name["height"]  # on the header's first line, not below it
    heads = page.locator("section.deadlines thead th")
    line = heads.first.bounding_box()["height"]
    assert heads.count() == 4 and all(heads.nth(i).bounding_box()["height"] == line for i in range(4))


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_roster_fits_1280px_with_every_column_readable(page, live_url, lang):
    """The unit's roster at 1280px: the page is no wider than the screen (the header spans it), no column
    is squeezed to a character a line, and a void permit's long cited state wraps inside its cell."""
    from exitentry.registry.models import PermitEvent
    from factories import PermitFactory

    handler = unit_handler(UnitFactory())
    today = beijing_today()
    for n in range(3):
        place = AffiliationFactory(unit=handler.unit, started_on=today - timedelta(days=300 + n))
        permit = PermitFactory(
            person=place.person,
            issued_on=today - timedelta(days=200),
            valid_until=today + timedelta(days=5 + n),
        )
        if n == 0:
            permit.status = "void"
            permit.save(update_fields=["status"])
            PermitEvent.objects.create(
                permit=permit, kind=PermitEvent.Kind.VOID, at=permit.issued_on, after={}
            )
        if n == 1:
            draft = Draft(place.person_id, "employee-changed-work-location", today - timedelta(days=1))
            file_report(actor(handler), handler.unit, draft, source="web")
        if n == 2:  # as in the demo: a visa beside the permit, and an application under way
            VisaFactory(person=place.person, valid_until=today + timedelta(days=60))
            submitted(handler, "rp-extension", person=place.person, permit=permit)
    sign_in(page, live_url, lang, handler)
    page.goto(f"{live_url}/{lang}/unit/")
    assert page.locator("table.roster tbody tr").count() == 3
    assert page.evaluate(WIDE) == [1280, 1280]
    assert page.locator(".site-header").bounding_box()["width"] == 1280
    for width in (1280, 1024):  # a laptop's window too: the table scrolls in its box, no heading squeezed
        page.set_viewport_size({"width": width, "height": 900})
        lines = page.locator("table.roster thead th").evaluate_all(LINES)
        assert len(lines) == 6 and max(lines) <= 2, (width, lines)  # no heading a character a line
        assert page.evaluate(WIDE) == [width, width]
    page.set_viewport_size({"width": 1280, "height": 900})
    person = page.locator("table.roster tbody td:first-child").first.bounding_box()
    assert person["width"] >= 160  # the person's summary (roster since, reports) wraps by words
