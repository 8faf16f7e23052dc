"""A holder a unit reported dead, on the console and the alerts API: the follow-up offers only what the law
core offers for it (``law.rules.alert_actions``: closing it), says why, and leads to the permit's page,
where the permit is cancelled on the death certificate (Exit and Entry Administration Law Art. 40 para. 2),
which closes the follow-up; an action not offered is refused with why (422, never a 500)."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.utils import translation
from django.utils.html import escape
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from exitentry.compliance.models import Alert, AlertAction
from exitentry.compliance.unit_reports import Draft, file_report
from exitentry.law.rules.endings import DEATH_CANCEL_GROUND
from exitentry.registry.models import Permit, PermitEvent
from exitentry.verification.status import status_of
from factories import TODAY, AffiliationFactory, PermitFactory, actor, officer, unit_handler

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files_today(monkeypatch):
    """Reports are filed, and the hall's reach is read, on the pages' day."""
    monkeypatch.setattr("exitentry.compliance.unit_reports.beijing_today", lambda *_: TODAY)
    monkeypatch.setattr("exitentry.cases.access.beijing_today", lambda: TODAY)


@pytest.fixture
def died():
    handler = unit_handler()
    place = AffiliationFactory(unit=handler.unit)
    PermitFactory(
        person=place.person, issued_on=TODAY - timedelta(days=100), valid_until=TODAY + timedelta(days=90)
    )
    return file_report(actor(handler), handler.unit, Draft(place.person_id, "died", TODAY), source="web")


@pytest.fixture
def hall():
    return client_for(officer("reception-hall"))


def card(page: str, alert_id: int) -> str:
    return re.search(
        rf'<article class="alert-card[^"]*" id="alert-{alert_id}">.*?</article>', page, re.S
    ).group(0)


@pytest.mark.parametrize(
    ("lang", "offered", "not_offered", "why"),
    [
        (
            "en",
            ("Closed as resolved", "Closed as unfounded"),
            ("Ordered to leave", "Contacted the person"),
            "died",
        ),
        ("zh-hans", ("关闭：已解决", "关闭：查无实据"), ("已责令限期出境", "已联系本人"), "死亡"),
    ],
)
def test_the_death_follow_up_offers_only_closing_it_says_why_and_leads_to_the_cancellation(
    died, hall, lang, offered, not_offered, why
):
    shown = card(html(hall.get(f"/{lang}/console/people/{died.person_id}/")), died.follow_up_id)
    assert all(f"> {name}</label>" in shown for name in offered)
    assert not any(name in shown for name in not_offered)
    assert 'name="ordered_on"' not in shown and why in shown
    assert f"/console/permits/{died.permit_id}/#cancel-h" in shown


def test_another_alert_still_offers_every_action(died, hall):
    other = Alert.objects.create(
        person_id=died.person_id,
        ground_id="follow-up-reason-for-residence-changed",
        cause_key="x",
        source_id="regulations",
        section="Art. 34(3)",
        opened_on=TODAY,
    )
    shown = card(html(hall.get(f"/en/console/people/{died.person_id}/")), other.pk)
    assert "Ordered to leave" in shown and "Contacted the person" in shown and 'name="ordered_on"' in shown


def test_an_order_to_leave_posted_for_a_dead_holder_is_refused_with_why_and_nothing_recorded(died, hall):
    response = hall.post(
        f"/en/console/alerts/{died.follow_up_id}/act/",
        {"kind": "order_to_leave", "ordered_on": TODAY.isoformat(), "days": "10", "note": "x"},
    )
    assert response.status_code == 422 and "died" in card(html(response), died.follow_up_id)
    assert not AlertAction.objects.exists()


def test_the_permit_page_offers_the_cancellation_on_death_and_shows_it_once_recorded(died, hall):
    page = html(hall.get(f"/en/console/permits/{died.permit_id}/"))
    assert f'value="{DEATH_CANCEL_GROUND}"' in page and "death certificate" in page
    response = hall.post(
        f"/en/console/permits/{died.permit_id}/cancel/",
        {"ground_id": DEATH_CANCEL_GROUND, "authority_notified": "on", "confirm": "on"},
    )
    assert response.status_code == 302
    assert Permit.objects.get(pk=died.permit_id).status == Permit.Status.CANCELLED
    page = html(hall.get(f"/zh-hans/console/permits/{died.permit_id}/"))
    status = re.search(r"<dd><strong class=\"tag permit-[^\"]*\">.*?</dd>", page, re.S).group(0)
    assert "死亡证明" in status and "第四十条" in status
    alert = Alert.objects.get(pk=died.follow_up_id)
    assert (alert.closed_on, alert.resolution) == (TODAY, "resolved")
    assert (alert.source_id, alert.section) == ("exit-entry-law", "Art. 40 para. 2")


def test_a_visa_page_does_not_offer_the_cancellation_on_death(died, hall):
    visa = PermitFactory(
        person=died.person,
        kind="visa",
        permit_type="",
        issued_on=TODAY,
        valid_until=TODAY + timedelta(days=30),
    )
    page = html(hall.get(f"/en/console/permits/{visa.pk}/"))
    assert DEATH_CANCEL_GROUND not in page and "cancel-ordered-out" in page


def api_act(client, alert_id: int, body: dict):
    return client.post(
        f"/api/v1/alerts/{alert_id}/actions",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )


def test_the_api_says_what_the_death_follow_up_offers_and_refuses_the_rest_with_422(died, hall):
    read = hall.get(f"/api/v1/alerts/{died.follow_up_id}").json()
    assert read["offers"] == ["resolved", "unfounded"] and "died" in read["offers_why"]["en"]
    assert [c["section"] for c in read["offers_cite"]] == ["Art. 40 para. 2"]
    for body in ({"kind": "contacted"}, {"kind": "order_to_leave"}):
        refused = api_act(hall, died.follow_up_id, body)
        assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "kind", refused.content
    assert not AlertAction.objects.exists()
    done = api_act(hall, died.follow_up_id, {"kind": "unfounded", "note": "alive"})
    assert done.status_code == 201 and done.json()["resolution"] == "unfounded"


def test_a_permit_cancelled_on_the_death_is_labelled_so_and_needs_no_art_35_notification(died, hall):
    response = hall.post(
        f"/en/console/permits/{died.permit_id}/cancel/", {"ground_id": DEATH_CANCEL_GROUND, "confirm": "on"}
    )
    assert response.status_code == 302
    assert Permit.objects.get(pk=died.permit_id).events.get(kind="cancellation").authority_notified_by is None
    for lang, said, link, not_said in (
        (
            "en",
            "Cancelled on the holder&#x27;s death</strong>",
            "Exit and Entry Administration Law of the People&#x27;s Republic of China, Art. 40 para. 2</a>",
            "Art. 35",
        ),
        (
            "zh-hans",
            "因持证人死亡注销</strong>",
            "《中华人民共和国出境入境管理法》第四十条第二款</a>",
            "第三十五条",
        ),
    ):
        page = html(hall.get(f"/{lang}/console/permits/{died.permit_id}/"))
        status = re.search(r"<dd><strong class=\"tag permit-[^\"]*\">.*?</dd>", page, re.S).group(0)
        assert said in status and not_said not in status
        # the death's article is linked to the sources page, as every other citation is, and said once
        assert f'<a class="cite" href="/{lang}/sources/#source-exit-entry-law"' in status, status
        assert link in status, status
        cited = "Art. 40" if lang == "en" else "第四十条"
        assert status.count(cited) == 1, status
    checked = status_of(died.person, TODAY)
    assert checked.state == "cancelled" and "holder's death" in checked.label.en


def test_another_cancellation_ground_still_asks_for_the_art_35_notification(died, hall):
    response = hall.post(
        f"/en/console/permits/{died.permit_id}/cancel/", {"ground_id": "cancel-ordered-out", "confirm": "on"}
    )
    assert response.status_code == 422
    assert (
        "Regulations of the People&#x27;s Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 35"
        in html(response)
    )
    response = hall.post(
        f"/zh-hans/console/permits/{died.permit_id}/cancel/",
        {"ground_id": "cancel-ordered-out", "confirm": "on"},
    )
    assert "《中华人民共和国外国人入境出境管理条例》第三十五条：请先通知签发机关" in html(response)
    assert "依《中华人民共和国外国人入境出境管理条例》第三十五条所列情形注销的" in html(response)
    assert Permit.objects.get(pk=died.permit_id).status == Permit.Status.VALID


def test_the_follow_ups_actions_name_who_took_them(died):
    user = officer("reception-hall")
    user.first_name, user.last_name = "Lan", "Wang"
    user.save()
    client = client_for(user)
    client.post(
        f"/en/console/permits/{died.permit_id}/cancel/", {"ground_id": DEATH_CANCEL_GROUND, "confirm": "on"}
    )
    shown = card(html(client.get(f"/en/console/people/{died.person_id}/")), died.follow_up_id)
    assert " · Lan Wang" in shown and user.username not in shown


def history(page: str) -> str:
    return re.search(r'<ol class="history">.*?</ol>', page, re.S).group(0)


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [
        (
            "en",
            "<strong>Cancelled on the holder&#x27;s death (Exit and Entry Administration Law of the People&#x27;s"
            " Republic of China, Art. 40 para. 2)",
            "Art. 35",
        ),
        (
            "zh-hans",
            "<strong>因持证人死亡注销（《中华人民共和国出境入境管理法》第四十条第二款）",
            "第三十五条",
        ),
    ],
)
def test_the_permits_history_names_a_cancellation_on_the_death_by_its_own_article(
    died, hall, lang, said, not_said
):
    hall.post(
        f"/en/console/permits/{died.permit_id}/cancel/", {"ground_id": DEATH_CANCEL_GROUND, "confirm": "on"}
    )
    shown = history(html(hall.get(f"/{lang}/console/permits/{died.permit_id}/")))
    assert said in shown and not_said not in shown


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_another_cancellation_keeps_its_label_in_the_history(died, hall, lang):
    hall.post(
        f"/en/console/permits/{died.permit_id}/cancel/",
        {"ground_id": "cancel-ordered-out", "authority_notified": "on", "confirm": "on"},
    )
    shown = history(html(hall.get(f"/{lang}/console/permits/{died.permit_id}/")))
    with translation.override(lang):
        assert f"<strong>{escape(PermitEvent.Kind.CANCELLATION.label)}</strong>" in shown
    assert "death" not in shown and "死亡" not in shown
