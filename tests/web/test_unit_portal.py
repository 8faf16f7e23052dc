"""The unit's portal: its own people only (the roster), each with permits, visas, standing, duties and open
applications; filtered (expiring within 30/60/90 days, expired, void) and sorted in the database, a page
at a time in a bounded number of queries; one person's page, 404 off the roster; reads audited; an
application started from a person ends in the unit's draft; the permission matrix of every role."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from advisor_forms import form_with_class, forms, hidden_fields
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture
from state_badges import badge, badge_cite

from case_helpers import submitted, without_tokens
from exitentry.accounts.models import AuditEntry
from exitentry.cases import access, services
from exitentry.cases.models import Case
from exitentry.compliance.staff import STANDING_NAMES
from exitentry.law.rules.endings import DEATH_CANCEL_GROUND
from exitentry.law.sources import cite
from exitentry.registry import services as registry
from exitentry.registry.models import Affiliation, Permit
from exitentry.registry.standing import DIED
from factories import (
    TODAY,
    PermitFactory,
    VisaFactory,
    actor,
    eligible_facts,
)
from unit_world import ROLES, Roster, on_roster, user_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster():
    return Roster()


def listed(page: str) -> list[str]:
    """The surnames of the rows, in order."""
    return [
        m.group(1).split()[0].title()
        for m in re.finditer(r'data-person="\d+"[^>]*>\s*<td><a [^>]*>([^<]+)</a>', page)
    ]


def test_the_list_shows_the_units_own_people_by_their_nearest_last_day_with_where_they_stand(roster):
    page = html(client_for(roster.handler).get("/en/unit/"))
    assert "Our foreign staff and students" in page and "Demo Tech" in page
    assert listed(page) == ["Twenty", "Fortyfive", "Eighty", "Far", "Void", "Expired"]
    assert "Theirs" not in without_tokens(page) and "Left" not in without_tokens(page)
    row = page[page.index(f'data-person="{roster.in_20.pk}"') :].split("</tr>")[0]
    assert "⚠</span> Expiring" in row and "20 days left" in row
    assert "Apply to extend the residence permit at least 30 days before it expires" in row
    assert "Foreign employee" in row
    void_row = page[page.index(f'data-person="{roster.void.pk}"') :].split("</tr>")[0]
    assert badge(void_row) == "Void or cancelled"  # one line in the cell; the article is linked after it
    assert badge_cite(void_row) == escape(cite("regulations", "Arts. 34–35").one_line_label.en)
    assert "Declared void</small>" in void_row  # the permit line: its state by name, the article linked
    zh = html(client_for(roster.handler).get("/zh-hans/unit/"))
    assert "即将到期" in zh and "示范科技" in zh
    zh_void_row = zh[zh.index(f'data-person="{roster.void.pk}"') :].split("</tr>")[0]
    assert badge(zh_void_row) == "已作废或注销"
    assert badge_cite(zh_void_row) == "《中华人民共和国外国人入境出境管理条例》第三十四条至第三十五条"
    assert "已宣布作废</small>" in zh_void_row


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            "Cancelled on the holder&#x27;s death (Exit and Entry Administration Law of the People&#x27;s Republic of China, Art. 40 para. 2)",
        ),
        ("zh-hans", "因持证人死亡注销（《中华人民共和国出境入境管理法》第四十条第二款）"),
    ],
)
def test_a_person_whose_permit_was_cancelled_on_the_death_reads_so_not_void_or_cancelled(roster, lang, said):
    died = on_roster(roster.unit, "Died", 100)
    registry.end_permit(died.permits.get(), Permit.Status.CANCELLED, DEATH_CANCEL_GROUND, on=TODAY)
    page = html(client_for(roster.handler).get(f"/{lang}/unit/?filter=void"))
    assert sorted(listed(page)) == ["Died", "Void"]
    standings = {
        who.pk: re.search(
            r'<strong class="permit-state state-void">.*?</strong>',
            page[page.index(f'data-person="{who.pk}"') :],
            re.S,
        ).group(0)
        for who in (died, roster.void)
    }
    assert badge(standings[died.pk]) == escape(DIED.get(lang))  # not "void or cancelled"
    assert badge(standings[roster.void.pk]) == escape(STANDING_NAMES["void"].get(lang))
    died_row = page[page.index(f'data-person="{died.pk}"') :].split("</tr>")[0]
    assert said.startswith(escape(DIED.get(lang))) and badge_cite(died_row) in said  # Art. 40 para. 2


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ("30", ["Twenty"]),
        ("60", ["Twenty", "Fortyfive"]),
        ("90", ["Twenty", "Fortyfive", "Eighty"]),
        ("expired", ["Expired"]),
        ("void", ["Void"]),
        ("", ["Twenty", "Fortyfive", "Eighty", "Far", "Void", "Expired"]),
        ("nonsense", ["Twenty", "Fortyfive", "Eighty", "Far", "Void", "Expired"]),
    ],
)
def test_the_filters_choose_by_the_days_to_the_last_day_or_how_it_ended(roster, chosen, expected):
    assert listed(html(client_for(roster.handler).get(f"/en/unit/?filter={chosen}"))) == expected


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            [
                "The filter “zzz” was not understood; shown instead: Everyone.",
                "The order “&lt;b&gt;” was not understood; sorted instead: Nearest last day first.",
                "There is no page “abc”; shown instead: page 1 of 1.",
            ],
        ),
        (
            "zh-hans",
            [
                "未能识别筛选条件“zzz”，改为显示：全部人员。",
                "未能识别排序方式“&lt;b&gt;”，改为：到期日最近的在前。",
                "没有第“abc”页，改为显示第1页，共1页。",
            ],
        ),
    ],
)
def test_a_filter_order_or_page_not_understood_is_said_with_what_is_shown_instead(roster, lang, said):
    for extra in ({}, {"HTTP_HX_REQUEST": "true"}):
        page = html(
            client_for(roster.handler).get(f"/{lang}/unit/?filter=zzz&sort=%3Cb%3E&page=abc", **extra)
        )
        notices = re.findall(r'<p class="notice not-understood" role="note">([^<]*)</p>', page)
        assert notices == said and len(listed(page)) == 6
    beyond = html(client_for(roster.handler).get(f"/{lang}/unit/?filter=30&page=9"))
    assert len(re.findall('class="notice not-understood"', beyond)) == 1 and listed(beyond) == ["Twenty"]
    understood = html(client_for(roster.handler).get(f"/{lang}/unit/?filter=30&sort=name&page=1"))
    assert "not-understood" not in understood


def test_the_list_sorts_by_name_by_the_furthest_last_day_and_htmx_gets_the_list_alone(roster):
    by_name = listed(html(client_for(roster.handler).get("/en/unit/?sort=name")))
    assert by_name == sorted(by_name)
    assert listed(html(client_for(roster.handler).get("/en/unit/?sort=-expiry")))[:2] == ["Far", "Eighty"]
    partial = html(client_for(roster.handler).get("/en/unit/?filter=30", HTTP_HX_REQUEST="true"))
    assert "<html" not in partial and listed(partial) == ["Twenty"]


def test_a_page_of_many_people_costs_the_same_queries_as_a_page_of_few(roster):
    browser = client_for(roster.handler)
    browser.get("/en/unit/")  # warm the session and the catalog

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert browser.get("/en/unit/").status_code == 200
        return len(captured)

    few = queries()
    for n in range(60):
        person = on_roster(roster.unit, f"Many{n:02d}", 10 + n)
        VisaFactory(
            travel_document__person=person,
            valid_from=TODAY,
            valid_until=TODAY + timedelta(days=90),
            residence_permit_within_days=None,
        )
    many = queries()
    assert many == few, f"{few} queries for 6 people, {many} for a page of 50"
    page = html(browser.get("/en/unit/"))
    assert "Page 1 of 2" in page and len(listed(page)) == 50


def test_the_list_and_a_person_are_audited_with_the_people_shown(roster):
    client_for(roster.handler).get("/en/unit/?filter=30")
    entry = AuditEntry.objects.get(action="unit.people.list")
    assert entry.actor_id == roster.handler.pk and entry.new["people"] == [roster.in_20.pk]
    client_for(roster.handler).get(f"/en/unit/people/{roster.in_45.pk}/")
    read = AuditEntry.objects.get(action="unit.person.read")
    assert read.object_id == str(roster.in_45.pk) and read.new["unit"] == roster.unit.pk


def test_a_persons_page_shows_permits_visas_timeline_and_the_units_applications(roster):
    case = submitted(roster.handler, "rp-extension", person=roster.in_45)
    other = Case.objects.create(
        procedure_id="rp-study",
        person=roster.in_45,
        submitted_by=roster.other_handler,
        acting_as="unit",
        unit=roster.other_unit,
    )
    page = html(client_for(roster.handler).get(f"/en/unit/people/{roster.in_45.pk}/"))
    assert "FORTYFIVE" in page.upper() and "Timeline" in page
    assert f"/en/my/{case.pk}/" in page and f"/en/my/{other.pk}/" not in page
    assert "last day of the Residence permit" in page
    zh = html(client_for(roster.handler).get(f"/zh-hans/unit/people/{roster.in_45.pk}/"))
    assert "时间线" in zh


def test_a_work_permit_in_its_last_days_bears_no_residence_permit_duty_but_the_permit_beside_it_does(roster):
    """Exit and Entry Administration Law Art. 32 binds the residence permit, not the work permit: the work
    permit reads as in force with no duty of its own, on the roster and on the person's page; the work-type
    residence permit beside it is the one expiring, and the one extension of both is listed once."""
    PermitFactory(
        person=roster.far,
        kind="work-permit",
        permit_type="",
        number="BJW0000005",
        issued_on=TODAY - timedelta(days=360),
        valid_until=TODAY + timedelta(days=5),
    )
    page = html(client_for(roster.handler).get("/en/unit/"))
    row = page[page.index(f'data-person="{roster.far.pk}"') :].split("</tr>")[0]
    line = next(li for li in row.split("<li") if "BJW0000005" in li)
    assert 'class="permit-valid"' in line and "Expiring" not in line
    person = html(client_for(roster.handler).get(f"/zh-hans/unit/people/{roster.far.pk}/"))
    card = next(a for a in person.split("<article")[1:] if "BJW0000005" in a).split("</article>")[0]
    assert "即将到期" not in card and "居留证件有效期届满" not in card
    PermitFactory(person=roster.far, kind="residence-permit", valid_until=TODAY + timedelta(days=5))
    page = html(client_for(roster.handler).get("/en/unit/"))
    row = page[page.index(f'data-person="{roster.far.pk}"') :].split("</tr>")[0]
    assert "Expiring" in row and "Apply to extend the residence permit" in row
    timeline = html(client_for(roster.handler).get(f"/en/unit/people/{roster.far.pk}/")).split(
        "timeline-list"
    )[1]
    lines = re.findall(r"<li[^>]*>.*?</li>", timeline.split("</ol>")[0], re.S)
    assert len(lines) == len(set(lines))


def test_an_extension_started_from_a_roster_persons_permit_ends_in_the_units_draft(roster):
    browser = client_for(roster.handler)
    page = html(browser.get(f"/en/unit/people/{roster.in_20.pk}/"))
    start = [f for f in forms(page) if (f["attrs"].get("action") or "").endswith("/advisor/rp-extension/")]
    assert start, "the permit offers its extension"
    carried = hidden_fields(start[0])
    permit = roster.in_20.permits.get()
    assert carried["permit"] == str(permit.pk)
    answers = {k: raw(v) for k, v in eligible_facts("rp-extension").items()} | carried
    checklist = html(browser.post("/en/advisor/rp-extension/", answers))
    offer = html(browser.get("/en/apply/rp-extension/", hidden_fields(form_with_class(checklist, "apply"))))
    assert f'<option value="{permit.pk}" selected>' in offer
    response = browser.post(
        "/en/apply/rp-extension/",
        hidden_fields(form_with_class(offer, "start-application")) | {"permit": str(permit.pk)},
    )
    assert response.status_code == 302
    case = Case.objects.get(person=roster.in_20)
    assert (case.unit_id, case.acting_as, case.permit_id) == (roster.unit.pk, "unit", permit.pk)


def raw(value: object) -> str:
    return "true" if value is True else "false" if value is False else str(value)


PAGES = {
    # role: (the list, our person, their person, the handlers page, a download)
    "handler": (200, 200, 404, 403, 200),
    "admin": (200, 200, 404, 200, 200),
    "other_handler": (200, 404, 200, 200, 200),
    "removed_handler": (302, 302, 302, 302, 302),  # their session no longer signs them in
    "our_institution": (403, 403, 403, 403, 403),  # the unit's own desk account sees no roster
    "applicant": (403, 403, 403, 403, 403),
    "proxy": (403, 403, 403, 403, 403),
    "officer": (403, 403, 403, 403, 403),
    "supervisor": (403, 403, 403, 403, 403),
    "institution": (403, 403, 403, 403, 403),
    "administrator": (403, 403, 403, 403, 403),
    "anonymous": (302, 302, 302, 302, 302),
}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_portal_and_whose_people(roster, role):
    browser = client_for(user_of(roster, role))
    got = tuple(
        browser.get(url).status_code
        for url in (
            "/en/unit/",
            f"/en/unit/people/{roster.in_20.pk}/",
            f"/en/unit/people/{roster.theirs.pk}/",
            "/en/unit/handlers/",
            "/en/unit/people.csv",
        )
    )
    assert got == PAGES[role]


def test_another_units_handler_lists_only_their_own(roster):
    page = html(client_for(roster.other_handler).get("/en/unit/"))
    assert listed(page) == ["Theirs"]
    assert "Foreign student" in page


def test_a_person_who_left_the_roster_is_no_longer_the_units(roster):
    assert client_for(roster.handler).get(f"/en/unit/people/{roster.left.pk}/").status_code == 404


def test_a_handler_applies_for_a_roster_person_another_unit_applied_for_but_not_for_a_stranger_of_theirs(
    roster,
):
    Case.objects.create(
        procedure_id="rp-study",
        person=roster.theirs,
        submitted_by=roster.other_handler,
        acting_as="unit",
        unit=roster.other_unit,
    )
    Affiliation.objects.create(person=roster.theirs, unit=roster.unit, relation="employee", started_on=TODAY)
    permit = roster.theirs.permits.get()
    facts = eligible_facts("rp-extension") | {"residence_permit_type": "study"}
    case = services.start_case(
        actor(roster.handler),
        procedure_id="rp-extension",
        person=roster.theirs,
        facts=facts,
        permit=permit,
        on=TODAY,
    )
    assert (case.unit_id, case.acting_as) == (roster.unit.pk, "unit")
    Affiliation.objects.filter(person=roster.theirs, unit=roster.unit).delete()
    Case.objects.filter(pk=case.pk).delete()
    with pytest.raises(access.Denied):
        services.start_case(
            actor(roster.handler),
            procedure_id="rp-extension",
            person=roster.theirs,
            facts=facts,
            permit=permit,
            on=TODAY,
        )


DATE = "white-space: nowrap"


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_rows_due_day_and_last_day_are_each_kept_on_one_line(roster, lang):
    """The roster's "Due" column is narrow: its day, and the standing's last day, are each set in an
    element the stylesheet keeps from wrapping (a wrapped "Thu 12 / November 2026" reads badly)."""
    page = html(client_for(roster.handler).get(f"/{lang}/unit/"))
    row = page[page.index(f'data-person="{roster.in_20.pk}"') :].split("</tr>")[0]
    due = row.split('<td class="due">')[1].split("</td>")[0]
    assert re.search(r'<strong class="date">[^<]*(2026|2027)[^<]*</strong>', due), due
    assert re.search(r'<span class="date">[^<]*(2026|2027)[^<]*</span>', row), row
    css = Path(finders.find("web/site.css")).read_text()
    assert re.search(r"(^|[\s,}])\.date\s*\{[^}]*" + DATE, css, re.M)


def test_the_timeline_ticks_are_the_roster_filters_days(roster, monkeypatch):
    monkeypatch.setattr("exitentry.compliance.staff.WITHIN_CALENDAR_DAYS", {"45": 45, "73": 73})
    page = html(client_for(roster.handler).get("/en/unit/"))
    ticks = re.findall(r'class="tl-tick" x="([0-9.]+)"', page)
    assert ticks and set(ticks) == {"12.3", "20.0"}
