"""Page text names the document with its article and reads in each language's own punctuation: an article
number never stands alone ("Art. 26", "第二十六条"), Chinese text takes full-width brackets, and people are
named by their names, not their login names."""

from __future__ import annotations

import pytest
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from case_helpers import submitted
from factories import UnitFactory, applicant, officer, unit_handler
from unit_world import Roster

pytestmark = pytest.mark.django_db

REGULATIONS_EN = "Regulations of the People&#x27;s Republic of China on the Administration of the Entry and Exit of Foreigners"
REGULATIONS_ZH = "《中华人民共和国外国人入境出境管理条例》"


def test_the_unit_reports_name_the_regulations_with_the_article_in_each_language():
    handler = unit_handler(UnitFactory(name="Acme Robotics", name_zh="艾克米机器人"))
    browser = client_for(handler)
    en = html(browser.get("/en/unit/reports/"))
    zh = html(browser.get("/zh-hans/unit/reports/"))
    assert "under Art. 26" not in en and f"{REGULATIONS_EN}, Art. 26" in en
    assert f"{REGULATIONS_ZH}第二十六条规定的报告" in zh and ">第二十六条" not in zh
    new = html(client_for(Roster().handler).get("/zh-hans/unit/reports/new/"))  # events for its people
    assert " (《" not in new and "（《" in new  # each event's article in full-width brackets


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
    assert "自今日（左）至12个月后（右），刻度为30日、60日和90日" in zh
