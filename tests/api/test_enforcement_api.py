"""``/api/v1`` enforcement records over real HTTP: the hall that sees the person records and reads them
with each deadline met, due or late; another hall's officer gets 404, the applicant 403; what the law
refuses is 422 in English and Chinese."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from case_helpers import client_for, submitted
from exitentry.accounts.models import AuditEntry, Role
from exitentry.compliance.enforcement import OrderToLeave
from exitentry.registry.models import Permit
from factories import PermitFactory, TravelDocumentFactory, applicant, officer

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body: object | None = None):
    return client.post(f"/api/v1{path}", json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def case():
    case = submitted(applicant(), "rp-extension")
    TravelDocumentFactory(person=case.person, number="C01X00T47")
    return case


def test_an_order_to_leave_of_16_days_is_422_in_both_languages_and_15_is_recorded(case) -> None:
    hall = client_for(officer(case.hall_id))
    refused = post(
        hall, f"/people/{case.person_id}/orders-to-leave", {"ordered_on": "2026-01-02", "days": 16}
    )
    assert refused.status_code == 422
    [problem] = refused.json()["detail"]
    assert problem["field"] == "days" and "at most 15 days" in problem["message"]
    huge = post(
        hall, f"/people/{case.person_id}/orders-to-leave", {"ordered_on": "2026-01-02", "days": 10**9}
    )
    assert huge.status_code == 422 and "at most 15 days" in huge.json()["detail"][0]["message"]
    assert "第三十三条" in problem["message_zh"]
    made = post(hall, f"/people/{case.person_id}/orders-to-leave", {"ordered_on": "2026-01-02", "days": 15})
    assert made.status_code == 201
    [order] = made.json()["orders_to_leave"]
    assert (order["last_day"], order["left_on"], order["exit"]["status"]) == ("2026-01-17", None, "late")
    assert order["exit"]["cite"][0]["section"] == "Art. 33"
    left = post(hall, f"/orders-to-leave/{order['id']}/exit", {"on": "2026-01-17", "port": "PEK"})
    assert left.json()["orders_to_leave"][0]["exit"]["status"] == "met"
    again = post(hall, f"/orders-to-leave/{order['id']}/exit", {"on": "2026-01-18", "port": "PEK"})
    assert again.status_code == 422 and again.json()["detail"][0]["message_zh"]


def test_a_detention_transfer_and_reports_are_recorded_and_shown(case) -> None:
    hall = client_for(officer(case.hall_id, role=Role.SUPERVISOR))
    made = post(
        hall,
        f"/people/{case.person_id}/detentions",
        {"detained_at": "2026-03-01T10:30:00+08:00", "place": "Chaoyang station"},
    )
    [detention] = made.json()["detentions"]
    assert detention["transfer_due_at"].startswith("2026-03-02T02:30:00")  # 24 hours, in UTC
    assert detention["transfer"]["status"] == "late"  # long past, never recorded
    sent = post(
        hall, f"/detentions/{detention['id']}/transfer", {"at": "2026-03-02T10:30:00+08:00", "to": "X"}
    )
    assert sent.json()["detentions"][0]["transfer"]["status"] == "met"
    naive = post(hall, f"/detentions/{detention['id']}/transfer", {"at": "2026-03-02T10:30:00", "to": "X"})
    assert naive.status_code == 422
    restricted = post(
        hall,
        f"/people/{case.person_id}/restrictions",
        {
            "decided_on": "2026-03-01",
            "area": "110105",
            "residence": "2 Road",
            "report_times": ["2099-01-01T09:00:00+08:00"],
        },
    )
    [restriction] = restricted.json()["restrictions"]
    assert restriction["reports"][0]["report"]["status"] == "due"
    bad_area = post(
        hall,
        f"/people/{case.person_id}/restrictions",
        {"decided_on": "2026-03-01", "area": "1", "residence": "x"},
    )
    assert bad_area.status_code == 422 and bad_area.json()["detail"][0]["field"] == "area"


def test_a_repatriation_records_costs_and_refuses_six_years_of_no_entry(case) -> None:
    hall = client_for(officer(case.hall_id))
    body = {"decided_on": "2026-02-20", "no_entry_years": 6, "can_pay": False, "illegally_employed": True}
    refused = post(hall, f"/people/{case.person_id}/repatriations", body)
    assert refused.status_code == 422 and "第六十二条" in refused.json()["detail"][0]["message_zh"]
    made = post(hall, f"/people/{case.person_id}/repatriations", {**body, "no_entry_years": 2})
    [r] = made.json()["repatriations"]
    assert r["costs"]["who"] == "illegal-employer" and r["costs"]["cite"][0]["section"] == "Art. 32"
    done = post(hall, f"/repatriations/{r['id']}/carried-out", {"on": "2026-03-01", "port": "PEK"})
    assert done.json()["repatriations"][0]["no_entry_until"] == "2028-03-01"


def test_another_halls_officer_gets_404_and_the_applicant_403(case) -> None:
    path = f"/people/{case.person_id}/orders-to-leave"
    body = {"ordered_on": "2026-11-22", "days": 5}
    assert post(client_for(officer("shunyi")), path, body).status_code == 404
    assert (
        client_for(officer("shunyi")).get(f"/api/v1/people/{case.person_id}/enforcement").status_code == 404
    )
    mine = client_for(case.submitted_by)
    assert post(mine, path, body).status_code == 403
    assert mine.get(f"/api/v1/people/{case.person_id}/enforcement").status_code == 403
    assert post(client_for(None), path, body).status_code == 401
    hall = client_for(officer(case.hall_id))
    order = post(hall, path, body).json()["orders_to_leave"][0]
    assert (
        post(
            client_for(officer("shunyi")),
            f"/orders-to-leave/{order['id']}/exit",
            {"on": "2026-11-23", "port": "PEK"},
        ).status_code
        == 404
    )
    assert (
        post(mine, f"/orders-to-leave/{order['id']}/exit", {"on": "2026-11-23", "port": "PEK"}).status_code
        == 404
    )
    read = hall.get(f"/api/v1/people/{case.person_id}/enforcement")
    assert read.status_code == 200 and read.json()["orders_to_leave"][0]["id"] == order["id"]
    assert AuditEntry.objects.filter(action="enforcement.read", object_id=str(case.person_id)).count() == 2


def test_an_exit_names_its_port_by_code_or_name_and_the_person_shows_it_in_both_languages(case) -> None:
    hall = client_for(officer(case.hall_id))
    made = post(hall, f"/people/{case.person_id}/orders-to-leave", {"ordered_on": "2026-01-02", "days": 15})
    [order] = made.json()["orders_to_leave"]
    blank = post(hall, f"/orders-to-leave/{order['id']}/exit", {"on": "2026-01-10", "port": "   "})
    assert blank.status_code == 422
    [problem] = blank.json()["detail"]
    assert problem["field"] == "port" and "请填写口岸" in problem["message_zh"]
    left = post(hall, f"/orders-to-leave/{order['id']}/exit", {"on": "2026-01-10", "port": "北京西站"})
    assert left.status_code == 200
    [movement] = hall.get(f"/api/v1/people/{case.person_id}").json()["movements"]
    assert movement["port"] == "Beijing West Railway Station"  # a name, as the field always held
    assert movement["port_code"] == "beijing-west-railway"
    assert movement["port_name"] == {"en": "Beijing West Railway Station", "zh": "北京西站"}


def test_a_port_the_catalogue_lacks_is_kept_as_entered(case) -> None:
    hall = client_for(officer(case.hall_id))
    made = post(hall, f"/people/{case.person_id}/orders-to-leave", {"ordered_on": "2026-01-02", "days": 15})
    [order] = made.json()["orders_to_leave"]
    post(hall, f"/orders-to-leave/{order['id']}/exit", {"on": "2026-01-10", "port": "Erenhot Railway Port"})
    [movement] = hall.get(f"/api/v1/people/{case.person_id}").json()["movements"]
    assert (movement["port"], movement["port_code"]) == ("Erenhot Railway Port", None)
    assert movement["port_name"] == {"en": "Erenhot Railway Port", "zh": "Erenhot Railway Port"}


def test_an_order_names_the_documents_it_is_to_cancel_in_words_and_says_when_none_were_kept(case) -> None:
    held = PermitFactory(person=case.person, number="E12345678", issued_on=date(2025, 6, 1))
    PermitFactory(person=case.person, number="E87654321", issued_on=date(2026, 2, 1))  # after the order
    hall = client_for(officer(case.hall_id))
    path = f"/people/{case.person_id}/orders-to-leave"
    made = post(hall, path, {"ordered_on": "2026-01-02", "days": 15})
    [order] = made.json()["orders_to_leave"]
    named = {d["number"]: d for d in order["documents"]}
    assert "E87654321" not in named and order["documents_note"] is None
    assert named["E12345678"] == {
        "number": "E12345678",
        "kind": "residence-permit",
        "kind_text": {"en": "Residence permit", "zh": "居留证件"},
        "cancelled": False,
    }
    Permit.objects.filter(pk=held.pk).update(status=Permit.Status.CANCELLED)  # as the order asks
    read = hall.get(f"/api/v1/people/{case.person_id}/enforcement").json()["orders_to_leave"][0]
    assert {d["number"]: d["cancelled"] for d in read["documents"]}["E12345678"] is True
    OrderToLeave.objects.filter(pk=order["id"]).update(documents=None)  # recorded before they were kept
    before = hall.get(f"/api/v1/people/{case.person_id}/enforcement").json()["orders_to_leave"][0]
    assert before["documents"] == []
    assert "none were recorded" in before["documents_note"]["en"]
    assert "未记录" in before["documents_note"]["zh"]


def test_an_order_dated_after_today_or_sent_again_is_422_naming_the_date(case) -> None:
    hall = client_for(officer(case.hall_id))
    path = f"/people/{case.person_id}/orders-to-leave"
    future = post(hall, path, {"ordered_on": "2030-01-01", "days": 15})
    assert future.status_code == 422
    [problem] = future.json()["detail"]
    assert problem["field"] == "ordered_on" and problem["message"] == "The date cannot be after today."
    assert post(hall, path, {"ordered_on": "2026-01-02", "days": 15}).status_code in (200, 201)
    again = post(hall, path, {"ordered_on": "2026-01-02", "days": 15})
    assert again.status_code == 422 and "already recorded" in again.json()["detail"][0]["message"]
    assert OrderToLeave.objects.filter(person_id=case.person_id).count() == 1
