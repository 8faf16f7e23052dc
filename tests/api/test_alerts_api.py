"""``/api/v1/alerts`` over real HTTP: the console's alerts of the officer's halls' districts, with its
filters and order, and what was done about one, through the console's service (audited); every role."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

import pytest
from django.test import Client

from case_helpers import client_for
from exitentry.accounts.models import AuditEntry, Role
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from exitentry.compliance.models import Alert, AlertAction, OrderToLeave
from exitentry.compliance.scan import OVERSTAY
from exitentry.law.calendar import beijing_today
from exitentry.law.rules import duties
from factories import PersonFactory, UnitFactory, UserFactory, applicant, officer

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body: object, key: str | None = ""):
    """POST ``body`` as JSON with an ``Idempotency-Key`` (``key``; a new one when empty; none when None)."""
    headers = {} if key is None else {"Idempotency-Key": key or uuid.uuid4().hex}
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers)


def alert(person, ground_id: str = duties.EXTENSION, **kw) -> Alert:
    today = beijing_today()
    kw.setdefault("due_on", today - timedelta(days=3))
    return Alert.objects.create(
        person=person,
        ground_id=ground_id,
        cause_key=kw.pop("cause_key", f"permit:{Alert.objects.count()}"),
        source_id="bj-personal-affairs",
        section="Legal Reminders 2",
        opened_on=today - timedelta(days=40),
        **kw,
    )


@pytest.fixture
def person():
    """A person of the reception hall's district: their latest case is there."""
    person = PersonFactory()
    Case.objects.create(
        reference="BJ202670000001",
        procedure_id="rp-work",
        person=person,
        submitted_by=applicant(),
        acting_as="self",
        hall_id="reception-hall",
        state=State.SUBMITTED,
        submitted_on=beijing_today() - timedelta(days=10),
    )
    return person


# who -> (GET /alerts, GET /alerts/{id}, POST /alerts/{id}/actions)
MATRIX = {
    "anonymous": (401, 401, 401),
    "applicant": (403, 403, 403),
    "unit handler": (403, 403, 403),
    "institution": (403, 403, 403),
    "officer of the district": (200, 200, 201),
    "officer of another district": (200, 404, 404),
    "supervisor": (200, 200, 201),
}


@pytest.mark.parametrize("who", MATRIX)
def test_who_lists_reads_and_acts_on_an_alert(person, who) -> None:
    a = alert(person)
    users = {
        "anonymous": None,
        "applicant": applicant(person=person),
        "unit handler": UserFactory(role=Role.UNIT, unit=UnitFactory()),
        "institution": UserFactory(role=Role.INSTITUTION),
        "officer of the district": officer("reception-hall"),
        "officer of another district": officer("shijingshan"),
        "supervisor": officer("reception-hall", role=Role.SUPERVISOR),
    }
    client = client_for(users[who])
    listed = client.get("/api/v1/alerts")
    read = client.get(f"/api/v1/alerts/{a.pk}")
    acted = post(client, f"/alerts/{a.pk}/actions", {"kind": "contacted", "note": "by phone"})
    assert (listed.status_code, read.status_code, acted.status_code) == MATRIX[who]
    if listed.status_code == 200:
        assert [r["id"] for r in listed.json()] == ([] if who == "officer of another district" else [a.pk])
    if acted.status_code == 201:
        [action] = acted.json()["actions"]
        assert (action["kind"], action["by"], action["note"]) == (
            "contacted",
            users[who].username,
            "by phone",
        )
        assert AuditEntry.objects.filter(
            action="alert.contacted", object_id=str(a.pk), actor=users[who]
        ).exists()
    else:
        assert not AlertAction.objects.exists()
    if listed.status_code == 403:
        assert listed.json()["detail"][0]["message_zh"]


def test_pending_second_factor_is_403_saying_so(person) -> None:
    client = Client()
    client.force_login(officer("reception-hall"))
    answer = client.get("/api/v1/alerts")
    assert answer.status_code == 403 and "second-factor" in answer.json()["detail"][0]["message"]


def test_the_list_has_the_consoles_filters_and_order(person) -> None:
    today = beijing_today()
    overstay = alert(person, OVERSTAY, due_on=None, since=today - timedelta(days=9), cause_key="until:x")
    late = alert(person, duties.EXTENSION, due_on=today - timedelta(days=20))
    card = alert(person, duties.PR_CARD_RENEWAL, due_on=today + timedelta(days=12))
    closed = alert(person, duties.EXTENSION, closed_on=today, due_on=today - timedelta(days=40))
    client = client_for(officer("reception-hall"))

    def ids(query: str) -> list[int]:
        answer = client.get(f"/api/v1/alerts?{query}")
        assert answer.status_code == 200, answer.content
        return [r["id"] for r in answer.json()]

    assert ids("") == [late.pk, overstay.pk, card.pk]  # open, the earliest day first
    assert ids("status=overdue") == [late.pk, overstay.pk]
    assert ids("status=due") == [card.pk]
    assert ids("status=closed") == [closed.pk]
    assert ids(f"ground={OVERSTAY}") == [overstay.pk]
    assert set(ids(f"ground={duties.EXTENSION}&status=all")) == {closed.pk, late.pk}
    assert ids("limit=1&offset=1") == [overstay.pk]
    row = client.get("/api/v1/alerts?status=overdue").json()[0]
    assert row["overdue"] is True and row["person"] == str(person) and row["ground"]["zh"]
    assert row["cite"]["section"] == "Legal Reminders 2"
    bad_status = client.get("/api/v1/alerts?status=nonsense")
    assert bad_status.status_code == 422 and bad_status.json()["detail"][0]["field"] == "status"
    bad_ground = client.get("/api/v1/alerts?ground=nonsense")
    assert bad_ground.status_code == 422 and bad_ground.json()["detail"][0]["message_zh"]
    assert not AuditEntry.objects.filter(action="case.list", object_type="alerts").exists()
    listing = AuditEntry.objects.filter(action="person.list", object_type="alerts").latest("pk")
    assert listing.new == {"alerts": [late.pk, overstay.pk], "people": [person.pk]}  # the last page's rows


def test_closing_needs_a_note_a_closed_alert_is_409_and_the_order_to_leave_is_art_33s(person) -> None:
    a = alert(person)
    client = client_for(officer("reception-hall"))
    path = f"/alerts/{a.pk}/actions"
    no_note = post(client, path, {"kind": "resolved", "note": " "})
    assert no_note.status_code == 422 and no_note.json()["detail"][0]["field"] == "note"
    assert "请在备注中说明" in no_note.json()["detail"][0]["message_zh"]
    no_days = post(client, path, {"kind": "order_to_leave", "ordered_on": "2026-01-12"})
    assert no_days.status_code == 422 and no_days.json()["detail"][0]["field"] == "days"
    too_long = post(client, path, {"kind": "order_to_leave", "ordered_on": "2026-01-12", "days": 16})
    assert too_long.status_code == 422 and "第三十三条" in too_long.json()["detail"][0]["message_zh"]
    assert not OrderToLeave.objects.exists() and not AlertAction.objects.exists()
    ordered = post(client, path, {"kind": "order_to_leave", "ordered_on": "2026-01-12", "days": 15})
    assert ordered.status_code == 201
    order = OrderToLeave.objects.get(person=person)
    assert ordered.json()["actions"][0]["order_id"] == order.pk and order.last_day == date(2026, 1, 27)
    case = Case.objects.get(person=person)
    opened = post(client, path, {"kind": "case_opened", "case_id": case.pk})
    assert opened.status_code == 201 and opened.json()["actions"][-1]["case_id"] == case.pk
    other = post(client, path, {"kind": "case_opened", "case_id": 10**9})
    assert other.status_code == 422 and other.json()["detail"][0]["field"] == "case"
    closed = post(client, path, {"kind": "unfounded", "note": "left in May"})
    assert closed.status_code == 201
    assert (closed.json()["closed_on"], closed.json()["resolution"]) == (str(beijing_today()), "unfounded")
    again = post(client, path, {"kind": "contacted"})
    assert again.status_code == 409 and again.json()["detail"][0]["field"] == "alert"
    assert AlertAction.objects.filter(alert=a).count() == 3
    read = client.get(f"/api/v1/alerts/{a.pk}")
    assert [x["kind"] for x in read.json()["actions"]] == ["order_to_leave", "case_opened", "unfounded"]
    assert AuditEntry.objects.filter(action="alert.read", object_id=str(a.pk)).exists()


def test_a_retried_action_with_the_same_key_records_one_action_and_answers_as_the_first_time(person) -> None:
    a = alert(person)
    who = officer("reception-hall")
    client = client_for(who)
    path = f"/alerts/{a.pk}/actions"
    first = post(client, path, {"kind": "contacted", "note": "by phone"}, key="call-1")
    again = post(client, path, {"kind": "contacted", "note": "by phone"}, key="call-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert AlertAction.objects.filter(alert=a).count() == 1
    assert AuditEntry.objects.filter(action="alert.contacted", object_id=str(a.pk)).count() == 1
    other = post(client, path, {"kind": "contacted", "note": "by e-mail"}, key="call-1")
    assert other.status_code == 422 and other.json()["detail"][0]["field"] == "Idempotency-Key"
    assert other.json()["detail"][0]["message_zh"]
    missing = post(client, path, {"kind": "contacted"}, key=None)
    assert missing.status_code == 422
    assert AlertAction.objects.filter(alert=a).count() == 1
    later = post(client, path, {"kind": "contacted", "note": "by phone"}, key="call-2")  # a new action
    assert later.status_code == 201 and AlertAction.objects.filter(alert=a).count() == 2


def test_a_refusal_is_kept_for_its_key_too(person) -> None:
    a = alert(person)
    client = client_for(officer("reception-hall"))
    path = f"/alerts/{a.pk}/actions"
    refused = post(client, path, {"kind": "resolved", "note": " "}, key="close-1")
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "note"
    assert post(client, path, {"kind": "resolved", "note": " "}, key="close-1").json() == refused.json()
    elsewhere = client_for(officer("shijingshan"))  # the same key is each user's own
    assert post(elsewhere, path, {"kind": "contacted"}, key="close-1").status_code == 404
    assert not AlertAction.objects.exists()
