"""What a unit's report pages, its roster and the officers' alerts say, in the page's language: who filed a
report, the state of the hall's follow-up, what each event does (a death: the permit is cancelled), the
events' codes beside their names, one wording for days, and every ground an alert can have in the filter."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import translation
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from chinese_text import stray
from exitentry.accounts.models import Role
from exitentry.compliance import alert_list, change_reports
from exitentry.compliance.models import Alert
from exitentry.compliance.unit_reports import Draft, file_report
from exitentry.law.rules.unit_reports import DEATH_FOLLOW_UP_GROUND, FOLLOW_UP_GROUND
from exitentry.registry.models import Affiliation
from exitentry.web import supervisor_views
from factories import TODAY, AffiliationFactory, PermitFactory, UnitFactory, actor, officer, unit_handler

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files_today(monkeypatch):
    """Reports are filed on the pages' day (the follow-up needs a permit running on it)."""
    monkeypatch.setattr("exitentry.compliance.unit_reports.beijing_today", lambda *_: TODAY)


@pytest.fixture
def handler():
    return unit_handler(UnitFactory(name="Acme Robotics", name_zh="艾克米机器人"))


@pytest.fixture
def place(handler):
    return AffiliationFactory(unit=handler.unit, person__surname="Okafor", person__given_names="Chidi")


@pytest.fixture
def permit(place):
    return PermitFactory(
        person=place.person, issued_on=TODAY - timedelta(days=100), valid_until=TODAY + timedelta(days=9)
    )


def filed(handler, place, event: str = "employee-resigned"):
    return file_report(actor(handler), handler.unit, Draft(place.person_id, event, TODAY), source="web")


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "Acme Robotics, unit handler"), ("zh-hans", "艾克米机器人经办人")]
)
def test_the_receipt_says_who_filed_it_in_the_pages_language(handler, place, permit, lang, words):
    report = filed(handler, place)
    page = html(client_for(handler).get(f"/{lang}/unit/reports/{report.pk}/"))
    assert words in page and "Text(" not in page


@pytest.mark.parametrize(
    ("lang", "open_words", "none_words"),
    [("en", "Open", "No follow-up needed"), ("zh-hans", "跟进中", "无需跟进")],
)
def test_the_list_shows_the_follow_ups_state_and_the_permit_in_its_own_column(
    handler, place, permit, lang, open_words, none_words
):
    report = filed(handler, place)
    other = AffiliationFactory(unit=handler.unit, person__surname="Bellman")
    quiet = filed(handler, other, "violation")
    page = html(client_for(handler).get(f"/{lang}/unit/reports/"))
    row = re.search(rf'<tr id="report-{report.pk}">.*?</tr>', page, re.S).group(0)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert cells[-2] == permit.number and open_words in cells[-1] and permit.number not in cells[-1]
    quiet_row = re.search(rf'<tr id="report-{quiet.pk}">.*?</tr>', page, re.S).group(0)
    assert none_words in quiet_row
    alert = Alert.objects.get(pk=report.follow_up_id)
    alert.closed_on, alert.resolution = TODAY, Alert.Resolution.RESOLVED
    alert.save()
    page = html(client_for(handler).get(f"/{lang}/unit/reports/"))
    row = re.search(rf'<tr id="report-{report.pk}">.*?</tr>', page, re.S).group(0)
    assert ("Closed on" if lang == "en" else "已结束") in row and open_words not in row


@pytest.mark.parametrize("resolution", [Alert.Resolution.RESOLVED, Alert.Resolution.UNFOUNDED])
@pytest.mark.parametrize(
    ("lang", "closed", "verdicts"),
    [
        ("en", "Closed on", ("esolved", "unfounded")),
        ("zh-hans", "已结束", ("已办结", "不成立", "已解决", "查无实据")),
    ],
)
def test_the_unit_sees_when_the_hall_closed_its_follow_up_not_the_officers_verdict(
    handler, place, permit, resolution, lang, closed, verdicts
):
    """Least privilege: the unit learns whether the hall still follows its report up, and since or until
    when; the officer's verdict on it (resolved, unfounded) stays the hall's, shown on the console."""
    report = filed(handler, place)
    alert = Alert.objects.get(pk=report.follow_up_id)
    alert.closed_on, alert.resolution = TODAY, resolution
    alert.save()
    page = html(client_for(handler).get(f"/{lang}/unit/reports/"))
    row = re.search(rf'<tr id="report-{report.pk}">.*?</tr>', page, re.S).group(0)
    assert closed in row and not any(v in row for v in verdicts)
    receipt = html(client_for(handler).get(f"/{lang}/unit/reports/{report.pk}/"))
    assert not any(v in receipt for v in verdicts)
    api = client_for(handler).get("/api/v1/units/me/reports").json()["items"]
    assert [r["number"] for r in api] == [report.number] and resolution not in str(api)
    hall = client_for(officer("reception-hall")).get(f"/api/v1/alerts/{alert.pk}").json()
    assert (hall["closed_on"], hall["resolution"]) == (TODAY.isoformat(), resolution)


def test_a_death_opens_the_cancellation_follow_up_not_a_reason_change(handler, place, permit):
    report = filed(handler, place, "died")
    assert Alert.objects.get(pk=report.follow_up_id).ground_id == DEATH_FOLLOW_UP_GROUND
    page = html(client_for(handler).get(f"/en/unit/reports/{report.pk}/"))
    assert "cancel" in page and "holder reports the change" not in page


def test_the_officer_is_not_offered_the_art_34_3_notice_for_a_dead_holder(handler, place, permit):
    died = filed(handler, place, "died")
    page = html(client_for(officer("reception-hall")).get(f"/en/console/people/{place.person_id}/"))
    card = re.search(
        rf'<article class="alert-card[^"]*" id="alert-{died.follow_up_id}">.*?</article>', page, re.S
    )
    assert "cancelled" in card.group(0) and "public notice and voiding" not in card.group(0)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_events_table_says_a_death_cancels_the_permit_and_a_disappearance_is_marked(handler, place, lang):
    page = html(client_for(handler).get(f"/{lang}/unit/reports/new/"))
    rows = {
        name: re.search(rf"<tr><td>{name}[ <].*?</tr>", page, re.S).group(0)
        for name in (
            ("The person died", "The person went missing", "The employee resigned")
            if lang == "en"
            else ("死亡", "失踪", "聘用的外国人离职")
        )
    }
    died, missing, resigned = rows.values()
    if lang == "en":
        assert "cancels" in died and "reason for residence" not in died and "Art. 34" not in died
        assert "Art. 40" in died
        assert "stays on the roster" in missing and "marked" in missing
        assert "of these types" not in resigned
        assert (
            "The reason for residence of the person’s running work-type residence permit has changed"
            in resigned
        )
    else:
        assert "注销" in died and "居留事由" not in died and "第四十条" in died
        assert "仍在人员名册上" in missing and "标出" in missing
        assert "此人在有效期内的工作类居留证件的原居留事由已变更" in resigned


def test_the_chinese_roster_says_days_one_way(handler, place, permit):
    page = html(client_for(handler).get("/zh-hans/unit/"))
    row = re.search(rf'<tr data-person="{place.person_id}".*?</tr>', page, re.S).group(0)
    assert "（还剩9天）" in row and "剩余" not in row and not re.search(r"\d日）", row)


def test_the_expiries_csv_spells_the_surname_as_the_page_does(handler, place, permit):
    response = client_for(handler).get("/en/unit/people.csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[1][0] == "OKAFOR"


def test_every_ground_an_alert_can_have_is_in_the_filter_once_and_filters(handler, place, permit):
    unit_alert = Alert.objects.get(pk=filed(handler, place).follow_up_id)
    holder_alert = Alert.objects.create(
        person=place.person,
        ground_id=FOLLOW_UP_GROUND,
        cause_key=f"change:1:permit:{permit.pk}",
        source_id="regulations",
        section="Art. 34(3)",
        opened_on=TODAY,
    )
    client = client_for(officer("reception-hall"))
    page = html(client.get("/en/console/alerts/?status=all"))
    select = page.split('name="ground"', 1)[1].split("</select>", 1)[0]
    offered = re.findall(r'<option value="([^"]+)"', select)
    assert offered == [g["id"] for g in alert_list.grounds(TODAY)] and len(offered) == len(set(offered))
    assert change_reports.HOLDER_TOLD.en.split(":")[0] in select and DEATH_FOLLOW_UP_GROUND in offered
    with translation.override("en"):
        for key, shown, hidden in (
            (alert_list.HOLDER_FOLLOW_UP, holder_alert, unit_alert),
            (FOLLOW_UP_GROUND, unit_alert, holder_alert),
        ):
            found = html(client.get(f"/en/console/alerts/?status=all&ground={key}"))
            assert f'data-alert="{shown.pk}"' in found and f'data-alert="{hidden.pk}"' not in found


def test_the_health_chart_counts_a_holder_s_follow_up_under_its_own_name(handler, place, permit):
    filed(handler, place)
    Alert.objects.create(
        person=place.person,
        ground_id=FOLLOW_UP_GROUND,
        cause_key=f"change:1:permit:{permit.pk}",
        source_id="regulations",
        section="Art. 34(3)",
        opened_on=TODAY,
    )
    chart = supervisor_views._alerts_chart(officer("reception-hall", role=Role.SUPERVISOR), TODAY)
    named = {g["id"]: g["text"] for g in alert_list.grounds(TODAY)}
    counted = {s.label: sum(s.values) for s in chart.series}
    assert counted == {named[FOLLOW_UP_GROUND]: 1, named[alert_list.HOLDER_FOLLOW_UP]: 1}


@pytest.mark.parametrize(
    ("relation", "lang", "name"),
    [
        ("employee", "en", "Foreign employee"),
        ("student", "en", "Foreign student"),
        ("employee", "zh-hans", "聘用的外国人"),
        ("student", "zh-hans", "留学生"),
    ],
)
def test_the_roster_and_the_form_name_the_relation_as_the_receipt_does(relation, lang, name):
    """One word for whom the unit reports, the law's (Art. 26: "聘用的外国人", "留学生"): the roster, the
    person's page, the roster's download, the form's person list, the events' group and the receipt all
    say it, capitalised as a label in English; the registry's own label for the relation says it too."""
    handler = unit_handler(UnitFactory(kind="employer" if relation == "employee" else "school"))
    place = AffiliationFactory(unit=handler.unit, relation=relation, person__surname="Okafor")
    PermitFactory(
        person=place.person, issued_on=TODAY - timedelta(days=100), valid_until=TODAY + timedelta(days=90)
    )
    assert f"<br>{name} · " in html(client_for(handler).get(f"/{lang}/unit/"))
    assert f"<p>{name} · " in html(client_for(handler).get(f"/{lang}/unit/people/{place.person_id}/"))
    download = csv.reader(io.StringIO(client_for(handler).get(f"/{lang}/unit/people.csv").content.decode()))
    assert name in next(line for line in download if "OKAFOR" in line)
    with translation.override(lang):
        assert str(Affiliation.Relation(relation).label) == name
    page = html(client_for(handler).get(f"/{lang}/unit/reports/new/"))
    assert f'<optgroup label="{name}">' in page
    assert re.search(rf"<option value=\"{place.person_id}\"[^>]*>[^<]* · {name} · ", page)
    event = "employee-changed-work-location" if relation == "employee" else "student-graduated"
    report = filed(handler, place, event)
    assert name in html(client_for(handler).get(f"/{lang}/unit/reports/{report.pk}/"))


@pytest.mark.parametrize(
    ("lang", "source", "words"),
    [
        ("en", "api", "filed through the API"),
        ("zh-hans", "api", "通过接口提交"),
        ("en", "csv", "filed in a CSV upload"),
        ("zh-hans", "web", "通过网页表单提交"),
    ],
)
def test_the_receipt_says_how_the_report_was_filed_in_words(handler, place, permit, lang, source, words):
    report = file_report(
        actor(handler), handler.unit, Draft(place.person_id, "employee-resigned", TODAY), source=source
    )
    response = client_for(handler).get(f"/{lang}/unit/reports/{report.pk}/")
    assert words in html(response)
    if lang == "zh-hans":
        assert "法律依据：《" in html(response) and stray(response) == []
