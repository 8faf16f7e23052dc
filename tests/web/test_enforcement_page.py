"""The officers' page of a person's enforcement records: each deadline met, due or late in the page's
language with its article, for the halls that see the person only."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from case_helpers import actor, client_for, submitted, with_enforcement_records
from exitentry.compliance import services as enforcement
from exitentry.compliance.models import ActivityRestriction, Detention, OrderToLeave, Repatriation
from exitentry.law.calendar import BEIJING
from exitentry.law.rules.holding import kind_name
from exitentry.registry.models import Permit
from factories import applicant, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    case = submitted(applicant(), "rp-extension")
    clerk = officer(case.hall_id)
    with_enforcement_records(case.person, clerk)
    return {"case": case, "person": case.person, "clerk": clerk}


def test_the_hall_sees_each_deadline_with_its_status_and_article_in_both_languages(world) -> None:
    clerk = client_for(world["clerk"])
    page = clerk.get(f"/en/console/people/{world['person'].pk}/enforcement/").content.decode()
    assert "Sun 1 March 2026 10:30" in page and "Mon 2 March 2026 10:30" in page  # the 24 hours, Beijing time
    assert page.count('class="status status-late"') == 2  # the transfer and the report, never recorded
    assert page.count('class="status status-met"') == 1  # left on 10 January, before the 17th
    assert "Art. 33" in page and "Art. 29" in page and "Art. 32" in page
    assert (
        'The unit or individual that employed them illegally<br><span class="payer">Demo Restaurant</span>'
        in page
    )
    zh = clerk.get(f"/zh-hans/console/people/{world['person'].pk}/enforcement/").content.decode()
    assert "已逾期" in zh and "已按期履行" in zh and "第三十三条" in zh and "非法聘用的单位、个人" in zh


@pytest.mark.parametrize(("lang", "alerts"), [("en", "Alerts"), ("zh-hans", "预警")])
def test_the_page_leads_back_to_the_persons_page_it_is_opened_from(world, lang, alerts) -> None:
    """Opened from the person's page ("Record and track enforcement measures"), the page links back to it,
    as the permit page does (before, only the site's menu led anywhere from here)."""
    person = world["person"]
    page = client_for(world["clerk"]).get(f"/{lang}/console/people/{person.pk}/enforcement/").content.decode()
    crumbs = page[page.index('class="breadcrumb"') : page.index("</p>", page.index('class="breadcrumb"'))]
    assert f'href="/{lang}/console/people/{person.pk}/">{person}</a>' in crumbs
    assert f'href="/{lang}/console/alerts/">{alerts}</a>' in crumbs


@pytest.mark.parametrize(
    ("lang", "label"), [("en", "<dt>Hall of their district</dt>"), ("zh-hans", "<dt>所属辖区大厅</dt>")]
)
def test_the_persons_page_names_the_hall_of_their_district_plainly(world, lang, label) -> None:
    """The hall whose district the person belongs to (where their alerts go): "District of" said neither
    that it is a hall nor whose district."""
    person = world["person"]
    page = client_for(world["clerk"]).get(f"/{lang}/console/people/{person.pk}/").content.decode()
    assert label in page and "District of" not in page


def test_another_hall_and_the_applicant_do_not_see_the_page(world) -> None:
    path = f"/en/console/people/{world['person'].pk}/enforcement/"
    assert client_for(officer("shunyi")).get(path).status_code == 404
    assert client_for(world["case"].submitted_by).get(path).status_code == 403


def test_an_order_of_16_days_is_refused_beside_its_field_and_15_days_recorded_then_its_exit(world) -> None:
    clerk = client_for(world["clerk"])
    base = f"/console/people/{world['person'].pk}/enforcement"
    refused = clerk.post(f"/zh-hans{base}/order/", {"ordered_on": "2026-01-12", "days": "16"})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert 'id="order-days-error">限期出境的期限最长不得超过15日' in page and 'value="16"' in page
    english = clerk.post(f"/en{base}/order/", {"ordered_on": "2026-01-12", "days": "16"}).content.decode()
    assert 'id="order-days-error">An order to leave may give at most 15 days' in english
    done = clerk.post(f"/en{base}/order/", {"ordered_on": "2026-01-12", "days": "15"})
    assert done.status_code == 302 and done["Location"] == f"/en{base}/"
    order = OrderToLeave.objects.get(ordered_on="2026-01-12")
    assert order.last_day.isoformat() == "2026-01-27"
    left = clerk.post(f"/en{base}/exit/", {"order": order.pk, "on": "2026-01-28", "port": "PEK"})
    assert left.status_code == 302
    page = clerk.get(f"/en{base}/").content.decode()
    assert f'data-order="{order.pk}"' in page
    row = page.split(f'data-order="{order.pk}"')[1].split("</tr>")[0]
    assert "Wed 28 January 2026" in row and "status-late" in row  # left the day after the last day


def test_a_transfer_with_no_time_is_refused_and_with_a_beijing_time_recorded(world) -> None:
    clerk = client_for(world["clerk"])
    base = f"/en/console/people/{world['person'].pk}/enforcement"
    detention = Detention.objects.get(person=world["person"])
    refused = clerk.post(f"{base}/transfer/", {"detention": detention.pk, "at": "soon", "to": "Facility"})
    assert refused.status_code == 422 and "Give a valid value here." in refused.content.decode()
    sent = clerk.post(
        f"{base}/transfer/", {"detention": detention.pk, "at": "2026-03-02T10:30", "to": "Facility"}
    )
    assert sent.status_code == 302
    detention.refresh_from_db()
    assert detention.transferred_at == detention.transfer_due_at  # 10:30 Beijing time, the 24th hour: met
    assert detention.status(detention.transfer_due_at) == "met"


def test_another_hall_and_the_applicant_cannot_record(world) -> None:
    path = f"/en/console/people/{world['person'].pk}/enforcement/order/"
    body = {"ordered_on": "2026-01-12", "days": "5"}
    assert client_for(officer("shunyi")).post(path, body).status_code == 404
    assert client_for(world["case"].submitted_by).post(path, body).status_code == 403
    assert client_for(world["clerk"]).post(path.replace("/order/", "/nothing/"), body).status_code == 404
    assert OrderToLeave.objects.filter(ordered_on="2026-01-12").count() == 0


def on(monkeypatch, instant: str) -> None:
    """Requests answered at ``instant`` (Beijing time): a decision is never dated after today."""
    at = datetime.fromisoformat(instant).replace(tzinfo=BEIJING)
    monkeypatch.setattr("exitentry.clock.now", lambda: at)


def test_a_detention_is_recorded_with_its_transfer_due_24_hours_later_and_shown_due(
    world, monkeypatch
) -> None:
    on(monkeypatch, "2099-05-01T09:00")
    clerk = client_for(world["clerk"])
    base = f"/console/people/{world['person'].pk}/enforcement"
    refused = clerk.post(f"/zh-hans{base}/detain/", {"detained_at": "", "place": "Station"})
    assert refused.status_code == 422
    assert 'id="detain-detained_at-error">请在此填写有效的值。' in refused.content.decode()
    done = clerk.post(f"/en{base}/detain/", {"detained_at": "2099-05-01T08:15", "place": "Airport"})
    assert done.status_code == 302
    detention = Detention.objects.get(place="Airport")
    assert detention.transfer_due_at.isoformat() == "2099-05-02T00:15:00+00:00"  # 08:15 Beijing + 24 h
    row = clerk.get(f"/en{base}/").content.decode().split(f'data-detention="{detention.pk}"')[1]
    assert "Sat 2 May 2099 08:15" in row.split("</tr>")[0] and "status-due" in row.split("</tr>")[0]


def test_a_restriction_outside_a_division_code_is_refused_and_one_with_two_reports_recorded(
    world, monkeypatch
) -> None:
    on(monkeypatch, "2099-04-01T10:00")
    clerk = client_for(world["clerk"])
    base = f"/console/people/{world['person'].pk}/enforcement"
    body = {
        "decided_on": "2099-04-01",
        "area": "Chaoyang",
        "residence": "3 Road",
        "report_times": ["2099-04-08T09:00", "", "2099-04-15T09:00"],
    }
    refused = clerk.post(f"/en{base}/restrict/", body)
    assert refused.status_code == 422
    page = refused.content.decode()
    assert 'id="restrict-area-error">An area is an administrative division code' in page
    assert 'value="3 Road"' in page  # what was typed is kept
    assert clerk.post(f"/en{base}/restrict/", body | {"area": "110105"}).status_code == 302
    restriction = ActivityRestriction.objects.get(residence="3 Road")
    assert [r.due_at.isoformat() for r in restriction.reports.all()] == [
        "2099-04-08T01:00:00+00:00",
        "2099-04-15T01:00:00+00:00",
    ]
    early = clerk.post(f"/en{base}/lift/", {"restriction": restriction.pk, "on": "2099-03-01"})
    assert early.status_code == 422 and "cannot come before the decision" in early.content.decode()
    on(monkeypatch, "2099-05-01T10:00")  # lifted on the day it is, never before
    assert (
        clerk.post(f"/en{base}/lift/", {"restriction": restriction.pk, "on": "2099-05-01"}).status_code == 302
    )
    restriction.refresh_from_db()
    assert restriction.lifted_on.isoformat() == "2099-05-01"
    shown = clerk.get(f"/zh-hans{base}/").content.decode()
    said = re.search(rf'<p data-restriction="{restriction.pk}">(.*?)</p>', shown, re.S)[1]
    assert "。自2099年5月1日" in said and "。 " not in said  # no half-width space between the sentences


def test_a_repatriation_outside_the_years_is_refused_and_the_law_decides_who_pays(world, monkeypatch) -> None:
    on(monkeypatch, "2099-06-10T10:00")
    clerk = client_for(world["clerk"])
    base = f"/console/people/{world['person'].pk}/enforcement"
    body = {"decided_on": "2099-06-01", "no_entry_years": "6", "payer": "Guarantor Ltd"}
    refused = clerk.post(f"/zh-hans{base}/repatriate/", body)
    assert refused.status_code == 422
    assert 'id="repatriate-no_entry_years-error">遣送出境后不准入境的期限为1至5年' in refused.content.decode()
    page = clerk.get(f"/en{base}/").content.decode()
    assert 'name="no_entry_years" min="1" max="5"' in page.replace(" required", "")
    assert clerk.post(f"/en{base}/repatriate/", body | {"no_entry_years": "3"}).status_code == 302
    repatriation = Repatriation.objects.get(payer="Guarantor Ltd")
    assert repatriation.costs().who == "guarantor"  # cannot pay, not illegally employed: Art. 32
    done = clerk.post(
        f"/en{base}/carry-out/", {"repatriation": repatriation.pk, "on": "2099-06-10", "port": "PEK"}
    )
    assert done.status_code == 302
    row = clerk.get(f"/en{base}/").content.decode().split(f'data-repatriation="{repatriation.pk}"')[1]
    row = row.split("</tr>")[0]
    assert "Sat 10 June 2102" in row and "running: entry is barred" in row
    assert "guaranteed their stay or residence" in row and "Guarantor Ltd" in row


def test_the_case_page_warns_of_an_application_inside_a_no_entry_period_in_both_languages(world) -> None:
    """Art. 31 bars entry, not applying: the officer sees the period on the case page, with its article."""
    clerk, case = client_for(world["clerk"]), world["case"]
    path = f"/console/cases/{case.pk}/"
    assert "no-entry" not in clerk.get(f"/en{path}").content.decode()  # decided, not carried out: no period
    repatriation = Repatriation.objects.get(person=world["person"])
    enforcement.carry_out(
        actor(world["clerk"]), repatriation, on=case.submitted_on - timedelta(days=1), port="PEK"
    )
    page = clerk.get(f"/en{path}").content.decode()
    until = (repatriation.no_entry().last_day).strftime("%-d %B %Y")
    assert 'class="notice no-entry"' in page and "entry into China is barred until" in page and until in page
    assert "Art. 31" in page
    zh = clerk.get(f"/zh-hans{path}").content.decode()
    assert "不准入境" in zh and "第三十一条" in zh


def test_an_exit_through_a_port_named_in_chinese_is_shown_by_its_name_in_the_pages_language(world) -> None:
    clerk = client_for(world["clerk"])
    person = world["person"]
    base = f"/console/people/{person.pk}/enforcement"
    form = clerk.get(f"/zh-hans{base}/").content.decode()
    assert '<datalist id="port-names">' in form and '<option value="北京大兴国际机场">' in form
    order = enforcement.order_to_leave(actor(world["clerk"]), person, ordered_on=date(2026, 2, 2), days=10)
    blank = clerk.post(f"/zh-hans{base}/exit/", {"order": order.pk, "on": "2026-02-05", "port": "  "})
    assert blank.status_code == 422 and 'class="error"' in blank.content.decode()
    assert not person.movements.filter(on=date(2026, 2, 5)).exists()
    left = clerk.post(
        f"/zh-hans{base}/exit/", {"order": order.pk, "on": "2026-02-05", "port": "北京大兴国际机场"}
    )
    assert left.status_code == 302
    assert person.movements.get(on=date(2026, 2, 5)).port == "PKX"
    zh = clerk.get(f"/zh-hans/console/people/{person.pk}/").content.decode()
    assert "北京大兴国际机场" in zh and "北京首都国际机场" in zh  # and the exit recorded as "PEK"
    assert "International Airport" not in zh
    en = clerk.get(f"/en/console/people/{person.pk}/").content.decode()
    assert "Beijing Daxing International Airport" in en and "Beijing Capital International Airport" in en


def test_an_order_to_leave_names_the_documents_it_is_to_cancel_per_art_33_and_keeps_them(world) -> None:
    """Art. 33: the deciding authority cancels or confiscates the holder's original exit-entry documents;
    with Art. 35(3) those are the visa, stay or residence permit, never a work permit or PR card
    (``law.rules.endings``). The order keeps the numbers it named: cancelling the visa afterwards, as the
    order asks, leaves it named; a permit issued after the order is not."""
    from exitentry.accounts.audit import AuditEntry
    from factories import PermitFactory

    person = world["person"]
    visa = PermitFactory(person=person, kind="visa", permit_type="", valid_until=date(2026, 6, 1))
    work = PermitFactory(person=person, kind="work-permit", permit_type="", valid_until=date(2026, 6, 1))
    old = PermitFactory(person=person, kind="visa", permit_type="", valid_until=date(2025, 12, 31))
    later = PermitFactory(
        person=person, kind="visa", permit_type="", issued_on=date(2026, 2, 3), valid_until=date(2026, 6, 1)
    )
    order = enforcement.order_to_leave(actor(world["clerk"]), person, ordered_on=date(2026, 2, 2), days=10)
    assert visa.number in order.documents
    assert not {work.number, old.number, later.number} & set(order.documents)
    audited = AuditEntry.objects.get(action="enforcement.order", object_id=str(order.pk))
    assert audited.new["cancels"] == order.documents
    Permit.objects.filter(pk=visa.pk).update(status=Permit.Status.CANCELLED)
    page = client_for(world["clerk"]).get(f"/en/console/people/{person.pk}/enforcement/").content.decode()
    row = page[page.index(f'id="order-{order.pk}"') :].split("</tr>")[0]
    assert visa.number in row
    assert work.number not in row and old.number not in row and later.number not in row
    assert (
        "Documents to cancel or confiscate (Regulations of the People&#x27;s Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 33)"
        in page
    )
    zh = client_for(world["clerk"]).get(f"/zh-hans/console/people/{person.pk}/enforcement/").content.decode()
    assert "应注销或收缴的证件（《中华人民共和国外国人入境出境管理条例》第三十三条）" in zh


def test_an_order_recorded_before_its_documents_were_kept_says_none_were_recorded(world) -> None:
    person = world["person"]
    order = OrderToLeave.objects.get(person=person)
    OrderToLeave.objects.filter(pk=order.pk).update(
        documents=None
    )  # as migration 0015_order_to_leave_documents_not_kept leaves it
    for language, said in (("en", "none were recorded"), ("zh-hans", "未记录应注销或收缴的证件")):
        page = client_for(world["clerk"]).get(f"/{language}/console/people/{person.pk}/enforcement/")
        row = page.content.decode().split(f'id="order-{order.pk}"')[1].split("</tr>")[0]
        assert said in row, language


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_each_document_of_an_order_says_its_kind_and_whether_it_was_cancelled_since(world, language) -> None:
    """As the API's ``documents``: the number, the kind of the permit in words and "cancelled since"."""
    from factories import PermitFactory

    person = world["person"]
    visa = PermitFactory(person=person, kind="visa", permit_type="", valid_until=date(2026, 6, 1))
    order = enforcement.order_to_leave(actor(world["clerk"]), person, ordered_on=date(2026, 2, 2), days=10)
    client = client_for(world["clerk"])
    url = f"/{language}/console/people/{person.pk}/enforcement/"
    kind = kind_name("visa").en if language == "en" else kind_name("visa").zh
    since = "cancelled since" if language == "en" else "此后已注销"
    row = client.get(url).content.decode().split(f'id="order-{order.pk}"')[1].split("</tr>")[0]
    assert visa.number in row and kind in row and since not in row
    Permit.objects.filter(pk=visa.pk).update(status=Permit.Status.CANCELLED)
    row = client.get(url).content.decode().split(f'id="order-{order.pk}"')[1].split("</tr>")[0]
    assert visa.number in row and kind in row and since in row
    api = client.get(f"/api/v1/people/{person.pk}/enforcement").json()["orders_to_leave"]
    [mine] = [o for o in api if o["id"] == order.pk]
    assert {
        "number": visa.number,
        "kind": "visa",
        "kind_text": kind_name("visa").as_dict(),
        "cancelled": True,
    } in mine["documents"]


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "(Visa, cancelled on Wed 4 March 2026)"), ("zh-hans", "（签证，已于2026年3月4日（周三）注销）")],
)
def test_a_cancelled_document_of_an_order_says_the_day_of_its_cancellation(world, language, said) -> None:
    """The day is the permit's cancellation event's, in Beijing (Art. 35), in words."""
    from datetime import UTC, datetime

    from exitentry.registry.models import PermitEvent
    from factories import PermitFactory

    person = world["person"]
    visa = PermitFactory(person=person, kind="visa", permit_type="", valid_until=date(2026, 6, 1))
    order = enforcement.order_to_leave(actor(world["clerk"]), person, ordered_on=date(2026, 2, 2), days=10)
    Permit.objects.filter(pk=visa.pk).update(status=Permit.Status.CANCELLED)
    at = datetime(2026, 3, 3, 17, 30, tzinfo=UTC)  # 01:30 on 4 March in Beijing
    PermitEvent.objects.create(permit=visa, kind=PermitEvent.Kind.CANCELLATION, at=at, after={})
    page = client_for(world["clerk"]).get(f"/{language}/console/people/{person.pk}/enforcement/")
    row = page.content.decode().split(f'id="order-{order.pk}"')[1].split("</tr>")[0]
    assert said in row and "since" not in row and "此后" not in row


def test_an_order_naming_no_documents_says_none_in_words(world) -> None:
    person = world["person"]
    order = OrderToLeave.objects.get(person=person)
    OrderToLeave.objects.filter(pk=order.pk).update(documents=[])
    for language, said in (("en", ">none<"), ("zh-hans", ">无<")):
        page = client_for(world["clerk"]).get(f"/{language}/console/people/{person.pk}/enforcement/")
        row = page.content.decode().split(f'id="order-{order.pk}"')[1].split("</tr>")[0]
        assert said in row and "—" not in row, language


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Named in an order to leave of {day} (to cancel)"),
        ("zh-hans", "已列入{day}的限期出境决定（应注销）"),
    ],
)
def test_the_permit_page_names_the_order_to_leave_that_is_to_cancel_it(world, language, words) -> None:
    """Regulations Art. 33 and 35: an order to leave names the permits it is to cancel; until the permit is
    cancelled its page says so beside its standing, linking the person's enforcement records."""
    from django.utils import translation

    from exitentry.law.calendar import beijing_today
    from exitentry.web.templatetags.lawtext import day as day_of
    from factories import PermitFactory

    person, today = world["person"], beijing_today()
    visa = PermitFactory(
        person=person,
        kind="visa",
        permit_type="",
        issued_on=today - timedelta(days=30),
        valid_until=today + timedelta(days=100),
    )
    ordered_on = today - timedelta(days=1)
    order = enforcement.order_to_leave(actor(world["clerk"]), person, ordered_on=ordered_on, days=10)
    assert visa.number in order.documents
    page = client_for(world["clerk"]).get(f"/{language}/console/permits/{visa.pk}/").content.decode()
    with translation.override(language):
        day = day_of(ordered_on)
    assert words.format(day=day) in page
    assert f'/console/people/{person.pk}/enforcement/#order-{order.pk}"' in page
    Permit.objects.filter(pk=visa.pk).update(status=Permit.Status.CANCELLED)  # as the order asks
    assert enforcement.orders_to_cancel(Permit.objects.get(pk=visa.pk)) == []


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("detain", {"detained_at": "2030-01-01T09:00", "place": "Station"}, "detained_at"),
        ("restrict", {"decided_on": "2030-01-01", "area": "1101", "residence": "2 Road"}, "decided_on"),
        ("repatriate", {"decided_on": "2030-01-01", "no_entry_years": "1"}, "decided_on"),
        ("order", {"ordered_on": "2030-01-01", "days": "15"}, "ordered_on"),
    ],
)
def test_a_record_dated_after_today_is_refused_beside_its_date(world, action, body, field) -> None:
    clerk = client_for(world["clerk"])
    before = [m.objects.count() for m in (Detention, ActivityRestriction, Repatriation, OrderToLeave)]
    base = f"/console/people/{world['person'].pk}/enforcement"
    refused = clerk.post(f"/en{base}/{action}/", body)
    assert refused.status_code == 422 and "The date cannot be after today." in refused.content.decode()
    assert "日期不能晚于今天。" in clerk.post(f"/zh-hans{base}/{action}/", body).content.decode()
    assert [m.objects.count() for m in (Detention, ActivityRestriction, Repatriation, OrderToLeave)] == before


@pytest.mark.parametrize(
    ("lang", "chaoyang", "city"), [("en", "Chaoyang District", "Beijing"), ("zh-hans", "朝阳区", "北京市")]
)
def test_the_restricted_area_is_chosen_among_beijings_districts_by_name(
    world, monkeypatch, lang, chaoyang, city
):
    on(monkeypatch, "2099-04-01T10:00")
    clerk = client_for(world["clerk"])
    base = f"/console/people/{world['person'].pk}/enforcement"
    page = clerk.get(f"/{lang}{base}/").content.decode()
    form = page.split("enforcement-restrict")[1].split("</form>")[0]
    assert '<select id="restrict-area" name="area" required' in form
    assert f'<option value="110105">{chaoyang}</option>' in form and f'<option value="11">{city}' in form
    assert "110105" not in form.replace('value="110105"', "")
    body = {"decided_on": "2099-04-01", "area": "110105", "residence": "3 Road", "report_times": [""]}
    assert clerk.post(f"/{lang}{base}/restrict/", body).status_code == 302
    record = clerk.get(f"/{lang}{base}/").content.decode().split("data-restriction=")[1].split("</p>")[0]
    assert chaoyang in record and "110105" not in record
