"""The hall's compliance work over HTTP: the district rule, the alerts list and its filters, a person's
page, actions on an alert (audited; the scan does not reopen a cause an officer closed), voiding and
cancelling from the permit's page (Art. 34(3) after a public notice, Art. 35 with the issuing authority
notified), the public notices, and the supervisor's charts."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils.html import escape
from page_world import client_for, html, pages_today  # noqa: F401 - autouse fixture

from exitentry.accounts.models import AuditEntry, Role
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from exitentry.compliance import actions, district
from exitentry.compliance.models import Alert, AlertAction, OrderToLeave, PublicNotice, UnitReport
from exitentry.compliance.scan import OVERSTAY, Finding, described
from exitentry.compliance.scan import scan as run_scan
from exitentry.law.rules import duties
from exitentry.law.rules.duties import particulars_change_due
from exitentry.law.rules.public_notice import (
    NOTICE_GROUND,
    notice_may_be_published_from,
    notice_period_ends,
)
from exitentry.law.sources import cite
from exitentry.law.text import day_text
from exitentry.registry.models import (
    AccommodationRegistration,
    EntryExit,
    Permit,
    PermitEvent,
)
from factories import (
    TODAY,
    PermitFactory,
    PersonFactory,
    TravelDocumentFactory,
    UnitFactory,
    UserFactory,
    VisaFactory,
    applicant,
    officer,
)
from unit_world import reason_changed

pytestmark = pytest.mark.django_db
CONFIRMED = {"confirm": "on"}


def case_at(person, hall: str, submitted_on: date = TODAY - timedelta(days=10)) -> Case:
    n = Case.objects.count()
    return Case.objects.create(
        reference=f"BJ2026{70000000 + n:08d}",
        procedure_id="rp-work",
        person=person,
        submitted_by=applicant(),
        acting_as="self",
        hall_id=hall,
        state=State.SUBMITTED,
        submitted_on=submitted_on,
    )


def alert(person, ground_id: str = duties.EXTENSION, **kw) -> Alert:
    kw.setdefault("due_on", TODAY - timedelta(days=3))
    return Alert.objects.create(
        person=person,
        ground_id=ground_id,
        cause_key=kw.pop("cause_key", f"permit:{Alert.objects.count()}"),
        source_id="exit-entry-law",
        section="Art. 32",
        opened_on=kw.pop("opened_on", TODAY - timedelta(days=2)),
        **kw,
    )


@pytest.fixture
def people():
    """One person per way into a district: a case at reception, a later case at Zhongguancun over an
    earlier reception one, an address in Haidian, an address nowhere, nothing at all."""
    at_reception = PersonFactory()
    case_at(at_reception, "reception-hall")
    moved = PersonFactory()
    case_at(moved, "reception-hall", TODAY - timedelta(days=40))
    case_at(moved, "zhongguancun", TODAY - timedelta(days=5))
    haidian = PersonFactory()
    AccommodationRegistration.objects.create(
        person=haidian,
        address="No. 1 Some Road, Haidian District",
        registered_on=TODAY,
        registered_with="PSB",
    )
    nowhere = PersonFactory()
    AccommodationRegistration.objects.create(
        person=nowhere, address="Somewhere in Hebei", registered_on=TODAY, registered_with="Hotel"
    )
    return {
        "reception": at_reception,
        "moved": moved,
        "haidian": haidian,
        "nowhere": nowhere,
        "none": PersonFactory(),
    }


def test_the_district_rule_latest_case_then_address_then_the_reception_hall(people):
    halls = {name: district.hall_of_person(p) for name, p in people.items()}
    assert halls == {
        "reception": "reception-hall",
        "moved": "zhongguancun",
        "haidian": "zhongguancun",
        "nowhere": "reception-hall",
        "none": "reception-hall",
    }
    zgc = officer("zhongguancun")
    assert set(district.alerts_for_officer(zgc).values_list("pk", flat=True)) == set()
    a, b = alert(people["haidian"]), alert(people["reception"])
    assert list(district.alerts_for_officer(zgc)) == [a]
    assert list(district.alerts_for_officer(officer("reception-hall"))) == [b]


@pytest.mark.parametrize(
    ("who", "alerts_status", "person_status"),
    [
        ("officer_own", 200, 200),
        ("officer_other", 200, 404),
        ("supervisor", 200, 200),
        ("applicant", 403, 403),
        ("unit", 403, 403),
        ("institution", 403, 403),
        ("anonymous", 302, 302),
    ],
)
def test_who_sees_the_alerts_and_the_person(people, who, alerts_status, person_status):
    person = people["reception"]
    alert(person)
    users = {
        "officer_own": officer("reception-hall"),
        "officer_other": officer("shijingshan"),
        "supervisor": officer("reception-hall", role=Role.SUPERVISOR),
        "applicant": applicant(person=person),
        "unit": UserFactory(role=Role.UNIT, unit=UnitFactory()),
        "institution": UserFactory(role=Role.INSTITUTION),
        "anonymous": None,
    }
    client = client_for(users[who])
    assert client.get("/en/console/alerts/").status_code == alerts_status
    response = client.get(f"/en/console/people/{person.pk}/")
    assert response.status_code == person_status
    if person_status == 200:
        assert AuditEntry.objects.filter(action="person.read", object_id=str(person.pk)).exists()
    page = client.get("/en/console/alerts/")
    if alerts_status == 200:
        assert (str(person) in html(page)) is (who != "officer_other")


def test_the_filters_by_ground_and_status_and_urgency_order(people):
    p = people["reception"]
    overstay = alert(p, OVERSTAY, due_on=None, since=TODAY - timedelta(days=9), cause_key="until:x")
    late = alert(p, duties.EXTENSION, due_on=TODAY - timedelta(days=20))
    card = alert(p, duties.PR_CARD_RENEWAL, due_on=TODAY + timedelta(days=12))
    closed = alert(p, duties.EXTENSION, closed_on=TODAY, due_on=TODAY - timedelta(days=40))
    client = client_for(officer("reception-hall"))

    def shown(query: str) -> list[int]:
        page = html(client.get(f"/en/console/alerts/?{query}"))
        return [int(n) for n in re.findall(r'data-alert="(\d+)"', page)]

    assert shown("") == [late.pk, overstay.pk, card.pk]  # open, the earliest day first
    assert shown("status=overdue") == [late.pk, overstay.pk]
    assert shown("status=due") == [card.pk]
    assert shown("status=closed") == [closed.pk]
    assert shown(f"ground={OVERSTAY}") == [overstay.pk]
    assert set(shown(f"ground={duties.EXTENSION}&status=all")) == {closed.pk, late.pk}
    assert shown("status=nonsense&ground=nonsense") == [late.pk, overstay.pk, card.pk]
    zh = html(client_for(officer("reception-hall")).get("/zh-hans/console/alerts/"))
    assert "<h1>预警</h1>" in zh and "第二十五条" in zh


def test_the_alert_list_is_audited_as_the_alerts_and_people_it_showed_never_as_cases(people):
    """The list names each alert's person: the trail says which alerts and which people were shown (before,
    the people's ids were written as case ids under ``case.list``, naming cases nobody saw)."""
    p, q = people["reception"], people["nowhere"]
    first, second, third = alert(p), alert(q), alert(p, duties.PR_CARD_RENEWAL)
    user = officer("reception-hall")
    assert client_for(user).get("/en/console/alerts/").status_code == 200
    assert not AuditEntry.objects.filter(action="case.list", object_type="alerts").exists()
    entry = AuditEntry.objects.get(actor=user, action="person.list", object_type="alerts")
    assert sorted(entry.new["alerts"]) == sorted([first.pk, second.pk, third.pk])
    assert sorted(entry.new["people"]) == sorted([p.pk, q.pk])


def test_actions_are_recorded_audited_and_closing_needs_a_note(people):
    p = people["reception"]
    a = alert(p)
    user = officer("reception-hall")
    client = client_for(user)
    response = client.post(f"/en/console/alerts/{a.pk}/act/", {"kind": "contacted", "note": "by phone"})
    assert response.status_code == 302
    action = AlertAction.objects.get(alert=a)
    assert (action.kind, action.by, action.note) == ("contacted", user, "by phone")
    assert AuditEntry.objects.filter(action="alert.contacted", object_id=str(a.pk), actor=user).exists()

    refused = client.post(f"/en/console/alerts/{a.pk}/act/", {"kind": "resolved", "note": " "})
    assert refused.status_code == 422 and "note" in html(refused)
    zh = client.post(f"/zh-hans/console/alerts/{a.pk}/act/", {"kind": "case_opened"})
    assert zh.status_code == 422 and "请选择此人的一项申请" in html(zh)
    own_case = Case.objects.get(person=p)
    assert (
        client.post(
            f"/en/console/alerts/{a.pk}/act/", {"kind": "case_opened", "case": own_case.pk}
        ).status_code
        == 302
    )
    assert AlertAction.objects.get(alert=a, kind="case_opened").case == own_case

    assert (
        client.post(
            f"/en/console/alerts/{a.pk}/act/", {"kind": "unfounded", "note": "left in May"}
        ).status_code
        == 302
    )
    a.refresh_from_db()
    assert (a.closed_on, a.resolution) == (TODAY, "unfounded")
    again = client.post(f"/en/console/alerts/{a.pk}/act/", {"kind": "contacted"})
    assert again.status_code == 422
    other = client_for(officer("shijingshan"))
    assert other.post(f"/en/console/alerts/{a.pk}/act/", {"kind": "contacted"}).status_code == 404


def test_ordered_to_leave_on_an_alert_is_the_order_itself_linked_from_the_history(people):
    """A person of the district with no case: the officer records the order on the alert card; Art. 33
    refuses 16 days beside nothing else, 15 days make one OrderToLeave the action links to."""
    p = people["haidian"]
    a = alert(p)
    client = client_for(officer("zhongguancun"))
    act = f"/console/alerts/{a.pk}/act/"
    bare = client.post(f"/en{act}", {"kind": "order_to_leave", "note": "at the door"})
    assert bare.status_code == 422 and "Give a valid value for “Ordered on”." in html(bare)
    bare_zh = client.post(f"/zh-hans{act}", {"kind": "order_to_leave", "ordered_on": "2026-01-12"})
    assert bare_zh.status_code == 422 and "请为“出境期限（日）”填写有效的值。" in html(bare_zh)
    long = client.post(f"/zh-hans{act}", {"kind": "order_to_leave", "ordered_on": "2026-01-12", "days": "16"})
    assert long.status_code == 422 and "限期出境的期限最长不得超过15日" in html(long)
    assert 'value="16"' in html(long)
    assert not OrderToLeave.objects.exists() and not AlertAction.objects.exists()
    done = client.post(f"/en{act}", {"kind": "order_to_leave", "ordered_on": "2026-01-12", "days": "15"})
    assert done.status_code == 302
    order = OrderToLeave.objects.get(person=p)
    action = AlertAction.objects.get(alert=a)
    assert (action.kind, action.order, order.last_day) == ("order_to_leave", order, date(2026, 1, 27))
    page = html(client.get(f"/en/console/people/{p.pk}/"))
    link = f'href="/en/console/people/{p.pk}/enforcement/#order-{order.pk}">order to leave by Tue 27 January 2026'
    assert link in page
    assert f'id="order-{order.pk}"' in html(client.get(f"/en/console/people/{p.pk}/enforcement/"))
    zh = html(client.get(f"/zh-hans/console/people/{p.pk}/"))
    assert "限期出境" in zh and "第三十三条" in zh
    with pytest.raises(actions.ActionRefused):  # "ordered to leave" with no order is refused, not a note
        actions.act(actions.Actor(user=officer("zhongguancun")), a, "order_to_leave", on=TODAY)


def overstayer():
    p = PersonFactory()
    doc = TravelDocumentFactory(person=p, number="X1234567")
    EntryExit.objects.create(
        person=p, direction="entry", on=date(2026, 1, 5), port="PEK", travel_document=doc
    )
    Permit.objects.create(
        person=p, kind="stay-permit", number="S0001", issued_on=date(2026, 1, 6), valid_until=date(2026, 3, 1)
    )
    return p


def test_the_scan_does_not_reopen_a_cause_an_officer_closed():
    p = overstayer()
    run_scan(TODAY)
    opened = Alert.objects.get(person=p, ground_id=OVERSTAY)
    client = client_for(officer("reception-hall"))
    client.post(f"/en/console/alerts/{opened.pk}/act/", {"kind": "resolved", "note": "left, record late"})
    summary = run_scan(TODAY + timedelta(days=1))
    assert Alert.objects.filter(person=p).count() == 1
    assert summary.opened[OVERSTAY] == 0
    assert Finding(p.pk, OVERSTAY, opened.cause_key, since=opened.since).cause_key == opened.cause_key


@pytest.fixture
def holder():
    p = PersonFactory(given_names="Anna Maria", surname="Schmidt", nationality="DEU")
    TravelDocumentFactory(person=p, number="C4D999001")
    AccommodationRegistration.objects.create(
        person=p,
        address="Flat 9, 12 Secret Lane, Dongcheng District",
        registered_on=TODAY,
        registered_with="PSB",
    )
    alert(p)  # the hall's work with the holder, through which it reads their permits (access.hall_people)
    permit = PermitFactory(person=p, number="E987654321", valid_until=date(2027, 12, 1))  # past the notice
    reason_changed(permit, TODAY - timedelta(days=30))  # the holder's period to report has run out
    return permit


def test_voiding_for_art_34_3_waits_for_the_public_notice_period(holder, monkeypatch):
    client = client_for(officer("reception-hall"))
    url = f"/en/console/permits/{holder.pk}/"
    assert client.get(url).status_code == 200
    post = {"ground_id": NOTICE_GROUND, "confirm": "on"}
    refused = client.post(url + "void/", post)
    assert refused.status_code == 409 and "publish a public notice first" in html(refused)

    assert client.post(url + "notice/", CONFIRMED).status_code == 302
    notice = PublicNotice.objects.get(permit=holder)
    assert (notice.published_on, notice.period_ends_on) == (TODAY, notice_period_ends(TODAY))
    assert AuditEntry.objects.filter(action="permit.public_notice", object_id=str(holder.pk)).exists()
    assert client.post(url + "notice/", CONFIRMED).status_code == 409  # one running at a time

    last_day = notice.period_ends_on
    monkeypatch.setattr("exitentry.web.case_pages.beijing_today", lambda: last_day)
    still = client.post(url + "void/", post)
    assert still.status_code == 409 and notice.number in html(still)
    holder.refresh_from_db()
    assert holder.status == Permit.Status.VALID

    monkeypatch.setattr("exitentry.web.case_pages.beijing_today", lambda: last_day + timedelta(days=1))
    assert client.post(url + "void/", post).status_code == 302
    holder.refresh_from_db()
    assert holder.status == Permit.Status.VOID
    assert AuditEntry.objects.filter(action="permit.void", object_id=str(holder.pk)).exists()


@pytest.mark.parametrize("ending", ["void", "cancel"])
def test_a_permit_past_its_last_day_is_neither_voided_nor_cancelled(holder, ending):
    """Arts. 34 and 35 end a permit in force: the page offers neither once it expired, and the service
    refuses, on the page and in the API."""
    holder.valid_until = TODAY - timedelta(days=1)
    holder.save(update_fields=["valid_until"])
    client = client_for(officer("reception-hall"))
    url = f"/en/console/permits/{holder.pk}/"
    page = html(client.get(url))
    assert f"{url}{ending}/" not in page and "end a permit still in force" in page
    ground = {"void": "void-damaged-lost-stolen-robbed", "cancel": "cancel-obtained-illegally"}[ending]
    post = {"ground_id": ground, "confirm": "on", "authority_notified": "on"}
    refused = client.post(f"{url}{ending}/", post)
    assert refused.status_code == 409 and "end a permit still in force" in html(refused)
    case_at(holder.person, "reception-hall")
    api = client.post(
        f"/api/v1/permits/{holder.pk}/{ending}", {"ground_id": ground}, content_type="application/json"
    )
    assert api.status_code == 409 and "有效期" in api.json()["detail"][0]["message_zh"]
    holder.refresh_from_db()
    assert holder.status == Permit.Status.VALID


def test_the_api_holds_art_34_3_too(holder):
    client = client_for(officer("reception-hall"))
    case_at(holder.person, "reception-hall")
    response = client.post(
        f"/api/v1/permits/{holder.pk}/void", {"ground_id": NOTICE_GROUND}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "公告" in response.json()["detail"][0]["message_zh"]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_public_notice_pages_show_no_passport_nor_address(holder, lang):
    PublicNotice.objects.all().delete()
    client_for(officer("reception-hall")).post(f"/en/console/permits/{holder.pk}/notice/", CONFIRMED)
    notice = PublicNotice.objects.get()
    anyone = client_for(None)
    listing = html(anyone.get(f"/{lang}/notices/"))
    page = html(anyone.get(f"/{lang}/notices/{notice.pk}/"))
    for text in (listing, page):
        assert notice.number in text and "S. A. M." in text and "•••••••321" in text
        for secret in ("C4D999001", "Secret Lane", "E987654321", "Schmidt", "Anna"):
            assert secret not in text
    words = ("Public notice", "Germany", "declared void") if lang == "en" else ("公告", "德国", "作废")
    assert all(w in page for w in words)
    if lang == "zh-hans":  # a date written in Chinese takes no spaces around it
        assert re.search(r"请于\d{4}年\d{1,2}月\d{1,2}日（周.）前到", page), page


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_permit_and_person_pages_name_a_permit_in_words_as_the_holders_pages_do(holder, lang):
    client = client_for(officer("reception-hall"))
    name = {"en": "Residence permit · Work", "zh-hans": "居留证件 · 工作类"}[lang]
    permit_page = html(client.get(f"/{lang}/console/permits/{holder.pk}/"))
    assert f'<span class="subtitle">{name}</span>' in permit_page and "residence-permit" not in permit_page
    assert f"<td>{name}</td>" in html(client.get(f"/{lang}/console/people/{holder.person_id}/"))
    own = html(client_for(applicant(person=holder.person)).get(f"/{lang}/my/permits/{holder.pk}/"))
    assert name in own  # the holder's page names it the same way


def test_a_cancellation_records_who_notified_the_issuing_authority(holder):
    user = officer("reception-hall")
    client = client_for(user)
    url = f"/en/console/permits/{holder.pk}/cancel/"
    post = {"ground_id": "cancel-declared-void-or-misused", "confirm": "on"}
    refused = client.post(url, post)
    assert refused.status_code == 422 and "issuing authority" in html(refused)
    assert client.post(url, {**post, "authority_notified": "on"}).status_code == 302
    event = PermitEvent.objects.get(permit=holder, kind=PermitEvent.Kind.CANCELLATION)
    assert event.authority_notified_by == user and event.authority_notified_at is not None
    assert "issuing authority notified by" in html(client.get(f"/en/console/permits/{holder.pk}/"))
    user.first_name, user.last_name = "Lan", "Wang"
    user.save()  # the full name where there is one, as the other pages show a user
    assert "notified by Lan Wang at" in html(client.get(f"/en/console/permits/{holder.pk}/"))
    bad = client.post(f"/zh-hans/console/permits/{holder.pk}/void/", {"ground_id": "nope", "confirm": "on"})
    assert bad.status_code in (409, 422)


@pytest.mark.parametrize(
    "lang, ending, said",
    [
        ("en", "void", ["Choose a ground.", "Tick the box to confirm."]),
        ("zh-hans", "void", ["请选择一项理由。", "请勾选以确认。"]),
        ("en", "cancel", ["Choose a ground.", "notify the issuing authority", "Tick the box to confirm."]),
        ("zh-hans", "cancel", ["请选择一项理由。", "请先通知签发机关", "请勾选以确认。"]),
    ],
)
def test_an_ending_with_nothing_chosen_says_everything_missing_at_once(holder, lang, ending, said):
    client = client_for(officer("reception-hall", role=Role.SUPERVISOR))
    refused = client.post(f"/{lang}/console/permits/{holder.pk}/{ending}/", {})
    page = html(refused)
    assert refused.status_code == 422
    assert [word for word in said if word not in page] == []
    assert not PermitEvent.objects.filter(permit=holder).exists()


def test_another_halls_officer_gets_404_for_the_permit(holder):
    assert client_for(officer("shijingshan")).get(f"/en/console/permits/{holder.pk}/").status_code == 404
    assert (
        client_for(applicant(person=holder.person)).get(f"/en/console/permits/{holder.pk}/").status_code
        == 403
    )


def test_the_supervisor_charts_render_as_svg_with_matching_data_tables():
    p = PersonFactory()
    case_at(p, "reception-hall", TODAY - timedelta(days=3))
    late = case_at(PersonFactory(), "reception-hall", TODAY - timedelta(days=30))
    late.decision_due = TODAY - timedelta(days=2)
    late.save()
    alert(p, OVERSTAY, due_on=None, since=TODAY - timedelta(days=5), opened_on=TODAY, cause_key="u")
    alert(p, duties.EXTENSION, opened_on=TODAY - timedelta(days=7))
    supervisor = officer("reception-hall", role=Role.SUPERVISOR)
    client = client_for(supervisor)
    page = html(client.get("/en/console/health/"))
    tables = dict(
        re.findall(r'<table class="health chart-data" data-chart="(\w+)">(.*?)</table>', page, re.S)
    )
    assert set(tables) == {"queue", "alerts"}
    last_row = re.findall(r"<tr><th scope=\"row\">.*?</th>(.*?)</tr>", tables["queue"], re.S)[-1]
    assert [int(v) for v in re.findall(r'<td class="amount">(\d+)</td>', last_row)] == [2, 0, 1]
    alert_rows = re.findall(r"<tr><th scope=\"row\">.*?</th>(.*?)</tr>", tables["alerts"], re.S)
    assert [int(v) for v in re.findall(r"(\d+)</td>", alert_rows[-1])] == [1, 0]
    assert [int(v) for v in re.findall(r"(\d+)</td>", alert_rows[-2])] == [0, 1]
    for name in ("queue", "alerts"):
        assert f'src="/en/console/health/{name}.svg"' in page
        svg = client.get(f"/en/console/health/{name}.svg")
        assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
        assert b"<svg" in svg.content
    zh = client.get("/zh-hans/console/health/alerts.svg").content.decode()
    assert described(duties.EXTENSION, TODAY)[0].zh in zh and "周一" in zh  # the legend and axis in Chinese
    assert client_for(officer("reception-hall")).get("/en/console/health/queue.svg").status_code == 403
    assert client.get("/en/console/health/nothing.svg").status_code == 404


def test_a_refused_step_shows_the_person_or_permit_again_and_the_read_is_audited(people, holder):
    """A refused action on an alert answers with the person's page, a refused ending or notice with the
    permit's: each shows the same personal data as the page itself and is audited as its read."""
    p = people["reception"]
    a = alert(p)
    user = officer("reception-hall")
    client = client_for(user)

    def reads(action: str, pk: int) -> int:
        return AuditEntry.objects.filter(action=action, object_id=str(pk), actor=user).count()

    refused = client.post(f"/en/console/alerts/{a.pk}/act/", {"kind": "resolved", "note": " "})
    assert refused.status_code == 422 and p.surname.upper() in html(refused)
    assert reads("person.read", p.pk) == 1

    case_at(holder.person, "reception-hall")
    url = f"/en/console/permits/{holder.pk}/"
    for path, post, status in (
        ("void/", {"ground_id": NOTICE_GROUND}, 422),  # the box is not ticked
        ("void/", {"ground_id": NOTICE_GROUND, "confirm": "on"}, 409),  # no public notice yet
        ("cancel/", {"ground_id": "nonsense", "confirm": "on", "authority_notified": "on"}, 422),
    ):
        answer = client.post(url + path, post)
        assert answer.status_code == status and holder.number in html(answer)
    assert client.post(url + "notice/", CONFIRMED).status_code == 302
    again = client.post(url + "notice/", CONFIRMED)
    assert again.status_code == 409 and holder.number in html(again)
    assert reads("permit.read", holder.pk) == 4


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_public_notice_waits_for_the_holders_own_period_to_report(holder, monkeypatch, lang):
    """Art. 34(3) reaches a holder who did not report the change within the period (Exit and Entry
    Administration Law Art. 33: 10 days): before it has run the page says from which day a notice may be
    published, and the service refuses one; after, it is published once the officer confirms."""
    PublicNotice.objects.all().delete()
    UnitReport.objects.all().delete()
    changed = TODAY - timedelta(days=3)
    reason_changed(holder, changed)
    first = notice_may_be_published_from(changed)
    assert first == particulars_change_due(changed) + timedelta(days=1) and first > TODAY
    client = client_for(officer("reception-hall"))
    url = f"/{lang}/console/permits/{holder.pk}/"
    page = html(client.get(url))
    said = day_text(first)
    assert url + "notice/" not in page and (said.en if lang == "en" else said.zh) in page
    assert first.isoformat() not in page  # dates in words, as people read them
    assert ("Art. 33" if lang == "en" else "第三十三条") in page
    refused = client.post(url + "notice/", {"confirm": "on"})
    assert refused.status_code == 409 and not PublicNotice.objects.exists()

    monkeypatch.setattr("exitentry.web.case_pages.beijing_today", lambda: first)
    assert url + "notice/" in html(client.get(url))
    unconfirmed = client.post(url + "notice/")
    assert unconfirmed.status_code == 422 and not PublicNotice.objects.exists()
    assert client.post(url + "notice/", {"confirm": "on"}).status_code == 302
    assert PublicNotice.objects.get(permit=holder).published_on == first


def test_no_public_notice_without_a_recorded_change_of_the_reason(holder):
    PublicNotice.objects.all().delete()
    UnitReport.objects.all().delete()
    client = client_for(officer("reception-hall"))
    refused = client.post(f"/en/console/permits/{holder.pk}/notice/", {"confirm": "on"})
    assert refused.status_code == 409 and not PublicNotice.objects.exists()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "cannot be used for this permit"),
        ("zh-hans", "不适用《中华人民共和国外国人入境出境管理条例》第三十四条第（三）项"),
    ],
)
def test_voiding_on_art_34_3_without_a_recorded_change_says_the_ground_does_not_apply(holder, lang, words):
    """Without a change of the reason on record, Art. 34(3) is no ground at all: the refusal says so, not
    that no notice is needed (which read as if the voiding could go ahead)."""
    UnitReport.objects.all().delete()
    client = client_for(officer("reception-hall"))
    refused = client.post(
        f"/{lang}/console/permits/{holder.pk}/void/", {"ground_id": NOTICE_GROUND, "confirm": "on"}
    )
    assert refused.status_code == 409 and words in html(refused)
    holder.refresh_from_db()
    assert holder.status == Permit.Status.VALID


def test_the_alerts_filter_and_the_row_badge_say_open_in_one_word(people):
    alert(people["reception"], due_on=TODAY + timedelta(days=5))
    page = html(client_for(officer("reception-hall")).get("/zh-hans/console/alerts/"))
    assert '<option value="open" selected>未关闭</option>' in page and "未办结" not in page
    assert "<td>未关闭</td>" in page


@pytest.mark.parametrize(("lang", "label"), [("en", "as written"), ("zh-hans", "原文照录")])
def test_an_officers_note_is_shown_as_written_and_says_so(people, lang, label):
    """A free-text note is the officer's own words, never translated: the page says so in its language."""
    p = people["reception"]
    client = client_for(officer("reception-hall"))
    client.post(f"/en/console/alerts/{alert(p).pk}/act/", {"kind": "contacted", "note": "已电话联系本人"})
    page = html(client.get(f"/{lang}/console/people/{p.pk}/"))
    shown = '<q class="as-written">已电话联系本人</q> <small class="as-written-label">'
    assert f"{shown}{label}</small>" in page


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_public_notices_list_keeps_each_day_on_one_line(holder, lang):
    """The listing's narrow columns: its published and report-by days are set as dates (``.date``, which
    the stylesheet keeps from wrapping: "2026年12月3日（周四）" not split before the weekday)."""
    PublicNotice.objects.all().delete()
    client_for(officer("reception-hall")).post(f"/en/console/permits/{holder.pk}/notice/", CONFIRMED)
    notice = PublicNotice.objects.get()
    listing = html(client_for(None).get(f"/{lang}/notices/"))
    for day in (notice.published_on, notice.period_ends_on):
        assert re.search(
            rf'<td><span class="date">[^<]*{day_text(day).get(lang[:2])}[^<]*</span></td>', listing
        )


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_permits_public_notice_section_cites_art_34_3_with_the_regulations_title(lang):
    """With no change of the reason for residence on record, the officer is told there is nothing to announce,
    citing Art. 34(3) as the decision beside it does (the Regulations' title and the article, readable), not
    as a bare locator ("Art. 34(3): ...")."""
    person = PersonFactory()
    alert(person)
    permit = PermitFactory(person=person, valid_until=date(2027, 12, 1))
    page = html(client_for(officer("reception-hall")).get(f"/{lang}/console/permits/{permit.pk}/"))
    said = page.split('<p class="help notice-refused">')[1].split("</p>")[0]
    label = cite("regulations", "Art. 34(3)").label
    assert said.startswith(escape(label.en if lang == "en" else label.zh)), said


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_public_notice_names_the_issuing_authority_and_the_hall_to_report_at(holder, lang):
    """Regulations Art. 34: the issuing authority declares a permit void by public notice. The notice names
    that authority and the hall where the holder reports, with its address and hours, from the law core's
    halls (``law.rules.public_notice.notice_hall``), and points to the other halls."""
    from exitentry.law.halls import AUTHORITY, hours
    from exitentry.law.rules.public_notice import notice_hall

    PublicNotice.objects.all().delete()
    client_for(officer("reception-hall")).post(f"/en/console/permits/{holder.pk}/notice/", CONFIRMED)
    notice = PublicNotice.objects.get()
    page = html(client_for(None).get(f"/{lang}/notices/{notice.pk}/"))
    hall = notice_hall()
    zh = lang != "en"
    for text in (AUTHORITY, hall.name, hall.address, hours(hall)):
        assert escape(text.zh if zh else text.en) in page, text
    said = page.split('<p class="notice-text">')[1].split("</p>")[0]
    assert escape(hall.name.zh if zh else hall.name.en) in said, said
    assert f'href="/{lang}/halls/"' in page


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_public_notice_keeps_the_hall_it_named_when_the_halls_change_later(holder, lang, monkeypatch):
    """A notice names the hall to report at as it was when the notice was published (its name, address
    and hours, recorded with it): a later change of the halls leaves a notice already published as it
    was, and only a notice published after it names the hall as it is then."""
    import dataclasses
    from datetime import time

    from exitentry.accounts.audit import Actor
    from exitentry.compliance import notices
    from exitentry.law.catalog import catalog
    from exitentry.law.halls import hours
    from exitentry.law.model import Session
    from exitentry.law.rules.public_notice import NOTICE_HALL, notice_hall
    from exitentry.law.text import Text

    PublicNotice.objects.all().delete()
    was = notice_hall()
    client_for(officer("reception-hall")).post(f"/en/console/permits/{holder.pk}/notice/", CONFIRMED)
    old = PublicNotice.objects.get()
    moved = dataclasses.replace(
        was,
        name=Text("Exit-Entry Hall at Moved Street", "迁址后的出入境大厅"),
        address=Text("1 Moved Street, Tongzhou District", "通州区迁址街1号"),
        weekdays=frozenset(range(5)),
        sessions=(Session(time(8, 30), time(16, 0)),),
    )
    monkeypatch.setitem(catalog().halls, NOTICE_HALL, moved)
    assert hours(moved) != hours(was)
    zh = lang != "en"

    def shown(notice: PublicNotice) -> tuple[str, str]:
        page = html(client_for(None).get(f"/{lang}/notices/{notice.pk}/"))
        return page, page.split('<p class="notice-text">')[1].split("</p>")[0]

    page, said = shown(old)
    for text in (was.name, was.address, hours(was)):
        assert escape(text.zh if zh else text.en) in page, text
    for text in (moved.name, moved.address, hours(moved)):
        assert escape(text.zh if zh else text.en) not in page, text
    assert escape(was.name.zh if zh else was.name.en) in said, said
    other = PermitFactory(person=PersonFactory(), number="E987654322", valid_until=date(2027, 12, 1))
    reason_changed(other, TODAY - timedelta(days=30))
    page, said = shown(notices.publish(Actor(officer("reception-hall")), other, on=TODAY))
    for text in (moved.name, moved.address, hours(moved)):
        assert escape(text.zh if zh else text.en) in page, text
    assert escape(moved.name.zh if zh else moved.name.en) in said, said


def test_an_overstay_shows_the_visas_stay_per_entry_and_the_day_the_last_entrys_stay_ended():
    """The alert says since when; beside the visa the page says how long each stay is and when the stay
    of the last entry ended (Art. 36(3)), so a visa valid for entry later does not look like a mistake."""
    p = PersonFactory()
    doc = TravelDocumentFactory(person=p, number="X7654321")
    VisaFactory(
        travel_document=doc,
        category="L",
        number="V7654321",
        duration_of_stay_days=30,
        valid_from=date(2026, 9, 23),
        valid_until=date(2026, 12, 22),
        residence_permit_within_days=None,
    )
    EntryExit.objects.create(
        person=p, direction="entry", on=date(2026, 9, 1), port="PEK", travel_document=doc
    )
    EntryExit.objects.create(
        person=p, direction="exit", on=date(2026, 9, 20), port="PEK", travel_document=doc
    )
    EntryExit.objects.create(
        person=p, direction="entry", on=date(2026, 10, 2), port="PEK", travel_document=doc
    )
    run_scan(date(2026, 11, 2))
    assert Alert.objects.get(person=p, ground_id=OVERSTAY).since == date(2026, 11, 2)
    client = client_for(officer("reception-hall"))
    page = html(client.get(f"/en/console/people/{p.pk}/"))
    assert "In China illegally since Mon 2 November 2026" in page
    stay = re.search(r'<li class="visa">(.*?)</li>', page, re.S).group(1)
    assert "Visa L V7654321: Wed 23 September 2026 – Tue 22 December 2026" in stay
    assert "Stay per entry: 30 days" in stay
    assert "the stay of the entry on Fri 2 October 2026 ended on Sun 1 November 2026" in stay
    assert "Art. 36(3)" in stay
    zh = html(client.get(f"/zh-hans/console/people/{p.pk}/"))
    visa_zh = re.search(r'<li class="visa">(.*?)</li>', zh, re.S).group(1)
    assert "每次停留期：30日" in visa_zh and "第三十六条" in visa_zh


def test_an_order_to_leave_dated_after_today_or_sent_twice_from_an_alert_is_refused_and_recorded_once(people):
    """The tester's walk: "Ordered on" 2030-01-01 is refused beside the form, as the unit report refuses a
    day after today; the same order sent twice is one order and one action, the second send told so."""
    p = people["haidian"]
    a = alert(p)
    client = client_for(officer("zhongguancun"))
    act = f"/console/alerts/{a.pk}/act/"
    future = client.post(f"/en{act}", {"kind": "order_to_leave", "ordered_on": "2030-01-01", "days": "15"})
    assert future.status_code == 422 and "The date cannot be after today." in html(future)
    future_zh = client.post(
        f"/zh-hans{act}", {"kind": "order_to_leave", "ordered_on": "2030-01-01", "days": "15"}
    )
    assert "日期不能晚于今天。" in html(future_zh)
    assert not OrderToLeave.objects.exists() and not AlertAction.objects.exists()
    order = {"kind": "order_to_leave", "ordered_on": "2026-01-12", "days": "15"}
    assert client.post(f"/en{act}", order).status_code == 302
    twice = client.post(f"/en{act}", order)
    assert twice.status_code == 422 and "This order to leave is already recorded" in html(twice)
    assert "该限期出境决定已登记" in html(client.post(f"/zh-hans{act}", order))
    assert (
        OrderToLeave.objects.filter(person=p).count() == 1
        and AlertAction.objects.filter(alert=a).count() == 1
    )


def test_after_an_exit_the_console_shows_no_stay_of_the_last_entry_nor_one_made_with_another_passport():
    """The stay a visa allows is shown for the visa the stay is on (``registry.stay.visa_of_last_entry``):
    none once the person has left, and none for a visa in a passport the entry was not made with."""
    p = PersonFactory()
    doc, other = TravelDocumentFactory(person=p), TravelDocumentFactory(person=p)
    for document, number in ((doc, "V1000001"), (other, "V1000002")):
        VisaFactory(
            travel_document=document,
            category="L",
            number=number,
            duration_of_stay_days=30,
            valid_from=TODAY - timedelta(days=60),
            valid_until=TODAY + timedelta(days=60),
            residence_permit_within_days=None,
        )
    entered = TODAY - timedelta(days=20)
    EntryExit.objects.create(person=p, direction="entry", on=entered, port="PEK", travel_document=doc)
    case_at(p, "reception-hall")  # the hall sees the person through their case
    client = client_for(officer("reception-hall"))

    def stays() -> dict[str, bool]:
        page = html(client.get(f"/en/console/people/{p.pk}/"))
        rows = re.findall(r'<li class="visa">(.*?)</li>', page, re.S)
        return {
            n: any(n in r and "the stay of the entry on" in r for r in rows) for n in ("V1000001", "V1000002")
        }

    assert stays() == {"V1000001": True, "V1000002": False}
    EntryExit.objects.create(
        person=p, direction="exit", on=TODAY - timedelta(days=5), port="PEK", travel_document=doc
    )
    assert stays() == {"V1000001": False, "V1000002": False}
