"""Accessibility in a real headless Chromium: axe-core (the ``axe-playwright-python`` package bundles it)
checks the main pages of every role in English and Chinese against WCAG 2.0 and 2.1 A and AA and axe's
best practices (tags ``wcag2a``, ``wcag2aa``, ``wcag21a``, ``wcag21aa``, ``best-practice``; GB/T
37668-2019 follows WCAG 2.x), and no page may have a ``serious`` or ``critical`` violation. Each page also
names its language (``en`` or ``zh-Hans``) on ``<html>``. The public queue screen, which htmx refreshes,
says a new call in a polite live region and leaves the page alone while nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from case_helpers import client_for, submitted
from exitentry import clock
from exitentry.accounts.models import Role, Unit
from exitentry.appointments.models import QueueTicket
from exitentry.appointments.tickets import today
from exitentry.documents.tokens import make_token
from exitentry.registry.models import Affiliation
from factories import PermitFactory, PersonFactory, UnitFactory, UserFactory, applicant, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RULES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],  # the passes are not read: axe then records one node of each, faster
}
BLOCKING = {"serious", "critical"}
LANGUAGES = {"en": "en", "zh-hans": "zh-Hans"}  # the path's prefix: the page's BCP 47 language tag
HALL = "reception-hall"


@pytest.fixture
def people():
    """One account of each role, with something to show: an applicant's submitted case and permit, a unit's
    roster of one, a bank's verification desk, and an officer of the hall that holds the case."""
    holder = applicant()
    case = submitted(holder, "rp-work")
    PermitFactory(person=holder.person)  # after the case: a first application is refused to a holder
    unit = UnitFactory(name="Demo Tech", name_zh="示范科技")
    staff = PersonFactory(surname="Soon")
    Affiliation.objects.create(
        person=staff, unit=unit, relation="employee", started_on=today() - timedelta(days=300)
    )
    PermitFactory(person=staff)
    bank = UnitFactory(name="Demo Bank", name_zh="示范银行", kind=Unit.Kind.BANK)
    return {
        "anyone": None,
        "applicant": holder,
        "unit": UserFactory(role=Role.UNIT, unit=unit, is_unit_admin=True),
        "institution": UserFactory(role=Role.INSTITUTION, unit=bank),
        "officer": officer(case.hall_id),
        "case": case,
        "staff": staff,
    }


def signed_in(page, live_url: str, user) -> None:
    """The browser holds the session of ``user`` (second factor given), as after signing in."""
    session = client_for(user).cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_url}])


def blocking_violations(page) -> list[str]:
    found = Axe().run(page, options=RULES).response["violations"]
    return [
        f"{page.url}: [{v['impact']}] {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes'][:3]]}"
        for v in found
        if v["impact"] in BLOCKING
    ]


def test_the_main_pages_of_every_role_have_no_serious_accessibility_violation_in_either_language(
    page, live_url, people
):
    case, staff = people["case"], people["staff"]
    token = make_token("receipt", "BJ202600000001-R")
    pages = {
        "anyone": ["/", "/guide/rp-work/", "/advisor/rp-work/", "/sign-in/", f"/halls/{HALL}/queue/"],
        "applicant": ["/my/", f"/my/{case.pk}/", "/my/permits/", "/my/share-codes/"],
        "unit": ["/unit/", f"/unit/people/{staff.pk}/", "/unit/reports/", "/account/api-keys/"],
        "institution": ["/institution/"],
        "officer": [
            "/console/",
            f"/console/cases/{case.pk}/",
            f"/console/hall/{HALL}/day/",
            "/console/alerts/",
        ],
    }
    problems = []
    for role, paths in pages.items():
        page.context.clear_cookies()
        if people[role] is not None:
            signed_in(page, live_url, people[role])
        for prefix, tag in LANGUAGES.items():
            for path in paths:
                response = page.goto(f"{live_url}/{prefix}{path}", timeout=30_000)  # a busy machine
                assert response is not None and response.status == 200, (role, prefix, path)
                assert page.locator("html").get_attribute("lang") == tag, page.url
                problems += blocking_violations(page)
    for prefix, tag in LANGUAGES.items():  # the document check has no language prefix: it follows the cookie
        page.context.add_cookies([{"name": "django_language", "value": prefix, "url": live_url}])
        page.goto(f"{live_url}/verify/{token}", timeout=30_000)
        assert page.locator("html").get_attribute("lang") == tag
        problems += blocking_violations(page)
    assert not problems, "\n".join(problems)


def test_the_queue_screen_says_a_new_call_politely_and_is_left_alone_while_nothing_changes(page, live_url):
    case = submitted(applicant(), "rp-work")
    now = clock.now()
    ticket = QueueTicket.objects.create(
        hall_id=HALL, day=today(now), letter="W", number=1, case=case, issued_at=now - timedelta(minutes=5)
    )
    page.goto(f"{live_url}/en/halls/{HALL}/queue/")
    live = page.get_by_role("status")
    assert live.get_attribute("aria-live") == "polite"
    assert live.inner_text() == ""
    page.evaluate("() => { document.querySelector('.queue-screen').dataset.seen = 'yes'; }")
    with page.expect_response(lambda r: f"/halls/{HALL}/queue/" in r.url):
        pass  # a poll that finds nothing new
    page.wait_for_timeout(200)
    assert page.locator(".queue-screen").get_attribute("data-seen") == "yes"  # the same table, not swapped

    QueueTicket.objects.filter(pk=ticket.pk).update(state=QueueTicket.State.CALLED, counter=3, called_at=now)
    page.locator(".queue-screen tbody tr.latest", has_text="W001").wait_for(timeout=8_000)
    expect(live).to_have_text("Ticket W001: counter 3")  # written when htmx settles, just after the swap
    assert page.locator(".queue-screen").get_attribute("data-seen") is None
