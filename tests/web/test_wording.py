"""Page text names the document with its article and reads in each language's own punctuation: an article
number never stands alone ("Art. 26", "第二十六条"), Chinese text takes full-width brackets, and people are
named by their names, not their login names."""

from __future__ import annotations

import re
from datetime import date

import pytest
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from case_helpers import submitted
from exitentry.accounts.models import Role
from factories import UnitFactory, UserFactory, applicant, officer, unit_handler
from unit_world import Roster

pytestmark = pytest.mark.django_db

REGULATIONS_EN = "Regulations of the People&#x27;s Republic of China on the Administration of the Entry and Exit of Foreigners"
REGULATIONS_ZH = "《中华人民共和国外国人入境出境管理条例》"


def headings(page: str) -> list[str]:
    return re.findall(r"<h[1-3]\b[^>]*>(.*?)</h[1-3]>", page, flags=re.S)


def cited_under_a_heading(page: str) -> list[str]:
    """The citations set on the line after a heading, as their text."""
    return [
        re.sub(r"<[^>]+>", "", found)
        for found in re.findall(r"</h[1-3]>\s*<span class=\"cites\">(.*?)</span>", page, flags=re.S)
    ]


def test_the_unit_reports_name_the_regulations_with_the_article_in_each_language():
    """The heading is short ("Unit reports"); the line under it cites the Regulations by their full official
    title and the article, in each language."""
    handler = unit_handler(UnitFactory(name="Acme Robotics", name_zh="艾克米机器人"))
    browser = client_for(handler)
    en = html(browser.get("/en/unit/reports/"))
    zh = html(browser.get("/zh-hans/unit/reports/"))
    assert "under Art. 26" not in en and f"{REGULATIONS_EN}, Art. 26" in cited_under_a_heading(en)
    assert f"{REGULATIONS_ZH}第二十六条" in cited_under_a_heading(zh) and ">第二十六条" not in zh
    assert headings(en)[0] == "Unit reports" and headings(zh)[0] == "单位报告"
    new = html(client_for(Roster().handler).get("/zh-hans/unit/reports/new/"))  # events for its people
    assert " (《" not in new and "（《" in new  # each event's article in full-width brackets
    assert headings(new)[0] == "新建报告" and f"{REGULATIONS_ZH}第二十六条" in cited_under_a_heading(new)


@pytest.mark.parametrize(("language", "title"), [("en", REGULATIONS_EN), ("zh-hans", REGULATIONS_ZH)])
def test_no_heading_holds_a_documents_full_title_which_the_line_under_it_cites(language, title):
    """A long official title in a heading wraps it over many lines on a phone: the heading says what the
    section is, the citation under it names the document in full."""
    from exitentry.compliance.models import Alert

    case = submitted(applicant(), "rp-extension")
    person = case.person
    Alert.objects.create(
        person=person, ground_id="follow-up-reason-for-residence-changed", cause_key="x", source_id="regulations", section="Art. 25",
        opened_on=date(2026, 3, 1),
    )  # fmt: skip
    browser = client_for(officer(case.hall_id))
    pages = [
        html(browser.get(f"/{language}/console/people/{person.pk}/")),
        html(browser.get(f"/{language}/console/permits/{case.permit_id}/")),
        html(
            client_for(UserFactory(role=Role.INSTITUTION, unit=UnitFactory(kind="bank"))).get(
                f"/{language}/institution/"
            )
        ),
    ]
    for page in pages:
        assert [h for h in headings(page) if title in h] == []
        assert any(title in cited for cited in cited_under_a_heading(page))


def test_the_hall_names_who_submitted_by_name_in_full_width_brackets_and_the_article_with_its_title():
    user = applicant(first_name="Anna", last_name="Schmidt", username="anna.login")
    case = submitted(user, "rp-work")
    browser = client_for(officer(case.hall_id))
    en = html(browser.get(f"/en/console/cases/{case.pk}/"))
    zh = html(browser.get(f"/zh-hans/console/cases/{case.pk}/"))
    assert "anna.login" not in en and "anna.login" not in zh
    assert "(Anna Schmidt)" in en and "（Anna Schmidt）" in zh
    assert f"({REGULATIONS_EN}, Art. 16)" in en and f"（{REGULATIONS_ZH}第十六条）" in zh


def test_the_rosters_bars_have_a_legend_in_each_language():
    """The "Next 12 months" bars say what their marks and ticks are (30, 60 and 90 days: ``unit_views``)."""
    browser = client_for(Roster().handler)
    en = html(browser.get("/en/unit/"))
    zh = html(browser.get("/zh-hans/unit/"))
    assert "from today (left) to 12 months ahead (right), with ticks at 30, 60 and 90 days" in en
    assert "自今日（左）至12个月后（右），刻度为30、60和90日" in zh


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "with ticks at 14 and 45 days"), ("zh-hans", "刻度为14和45日")]
)
def test_the_rosters_legend_names_the_ticks_of_the_filters_it_has(monkeypatch, lang, said):
    """The ticks and their legend come from the filters' days (``staff.WITHIN_CALENDAR_DAYS``), never a
    text of their own."""
    monkeypatch.setattr("exitentry.compliance.staff.WITHIN_CALENDAR_DAYS", {"14": 14, "45": 45})
    page = html(client_for(Roster().handler).get(f"/{lang}/unit/"))
    assert said in page
    assert "90" not in page[page.index('id="timeline-legend"') :].split("</p>")[0]
