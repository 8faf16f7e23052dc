"""The API at intake: a case lists the originals the hall has still to see (``originals_unseen``, with the
source), the receipt is refused (422, field ``original_seen``) until each is marked, and receiving asks
who hands the materials in for every case (Regulations Arts. 16, 19)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from case_helpers import client_for, submitted, upload_everything
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from factories import applicant, officer

pytestmark = pytest.mark.django_db


def call(client: Client, method: str, path: str, body: object | None = None, **headers):
    return getattr(client, method)(
        f"/api/v1{path}", json.dumps(body or {}), content_type="application/json", headers=headers
    )


def test_the_receipt_waits_for_the_originals_the_case_lists_and_is_issued_once_they_are_marked():
    user = applicant()
    case = submitted(user, "rp-personal-affairs")
    hall = client_for(officer(case.hall_id))
    unanswered = call(hall, "post", f"/cases/{case.pk}/receive")
    assert unanswered.status_code == 422
    assert [d["field"] for d in unanswered.json()["detail"]] == ["applicant_present"]
    assert call(hall, "post", f"/cases/{case.pk}/receive", {"applicant_present": True}).status_code == 200
    upload_everything(user, case)

    detail = hall.get(f"/api/v1/cases/{case.pk}").json()
    unseen = detail["originals_unseen"]
    assert {i["id"] for i in unseen} == {m["material_id"] for m in detail["materials"]}
    assert all(i["cite"][0]["section"] == "Points for Attention 2" for i in unseen)

    refused = call(hall, "post", f"/cases/{case.pk}/receipt")
    assert refused.status_code == 422
    [problem] = refused.json()["detail"]
    assert problem["field"] == "original_seen"
    assert problem["message"].startswith("Acceptance waits for the originals")
    assert problem["message_zh"].startswith("受理前须核验原件")
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED

    for material in detail["materials"]:
        marked = call(hall, "patch", f"/materials/{material['id']}", {"original_seen": True})
        assert marked.status_code == 200
    assert marked.json()["originals_unseen"] == []
    issued = call(hall, "post", f"/cases/{case.pk}/receipt")
    assert issued.status_code == 201
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED


def test_the_openapi_documents_the_originals_and_the_presence_asked_for_every_case():
    schema = Client().get("/api/v1/openapi.json").json()
    receipt = schema["paths"]["/api/v1/cases/{case_id}/receipt"]["post"]
    assert "original_seen" in receipt["description"] and "422" in receipt["description"]
    case_out = schema["components"]["schemas"]["CaseOut"]["properties"]
    assert "originals_unseen" in case_out and "original_seen" in case_out["originals_unseen"]["description"]
    receive_in = schema["components"]["schemas"]["ReceiveIn"]["properties"]["applicant_present"]
    assert "nothing is presumed" in receive_in["description"] and "Art. 16" in receive_in["description"]
