"""The cases API over HTTP: the same policy and rules as the services, errors in the one shape."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from case_helpers import (
    accepted,
    client_for,
    hall_accepts,
    hall_receives,
    pdf,
    sign_in,
    submitted,
    upload_everything,
)
from exitentry.accounts.models import AuditEntry, Role
from exitentry.cases import services
from exitentry.cases.models import Payment
from exitentry.law.calendar import beijing_today
from exitentry.registry.models import Permit
from factories import PersonFactory, UnitFactory, UserFactory, actor, applicant, eligible_facts, officer

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body: object | None = None):
    return client.post(f"/api/v1{path}", json.dumps(body or {}), content_type="application/json")


def problem(response) -> tuple[int, list]:
    return response.status_code, [d["field"] for d in response.json()["detail"]]


def new_employee(**person) -> dict:
    """A unit's filing of rp-work for a new person (``person``: more of the person's fields)."""
    return {
        "procedure": "rp-work",
        "person": {
            "surname": "Müller",
            "given_names": "Anna",
            "sex": "F",
            "birth_date": "1990-03-04",
            "nationality": "DEU",
            **person,
        },
        "facts": eligible_facts("rp-work") | {"birth_date": "1990-03-04"},
    }


def test_a_unit_handler_files_for_a_new_employee_and_the_hall_takes_it_to_collected() -> None:
    handler = UserFactory(role=Role.UNIT, unit=UnitFactory())
    unit = client_for(handler)
    body = new_employee()
    created = post(unit, "/cases", body)
    assert created.status_code == 201, created.content
    case = created.json()
    assert case["state"] == "draft" and case["acting_as"] == "unit"
    submitted_case = post(unit, f"/cases/{case['id']}/submit", {"hall_id": "chaoyang"}).json()
    assert submitted_case["state"] == "submitted" and submitted_case["reference"].startswith("BJ")

    hall = client_for(officer("chaoyang"))
    assert [row["id"] for row in hall.get("/api/v1/queue").json()] == [case["id"]]
    unanswered = post(hall, f"/cases/{case['id']}/receive")  # filed by the unit: nothing is presumed
    assert problem(unanswered) == (422, ["applicant_present"]) and "hands in" in unanswered.content.decode()
    received = post(hall, f"/cases/{case['id']}/receive", {"applicant_present": True}).json()
    assert {item["id"] for item in received["outstanding"]} >= {"passport", "work-permit"}
    notice = post(hall, f"/cases/{case['id']}/deficiency-notices")
    assert notice.status_code == 201 and len(notice.json()["items"]) == len(received["outstanding"])
    for item in received["outstanding"]:
        upload = pdf(item["id"])
        r = unit.post(f"/api/v1/cases/{case['id']}/materials", {"material_id": item["id"], "file": upload})
        assert r.status_code == 201, r.content
    paused = hall.get(f"/api/v1/cases/{case['id']}").json()
    issued_on = notice.json()["issued_on"]
    assert paused["notices"][0]["paused"] == {"from": issued_on, "until": None}
    resubmitted = post(unit, f"/cases/{case['id']}/resubmit").json()
    assert resubmitted["state"] == "received"
    assert resubmitted["notices"][0]["paused"] == {"from": issued_on, "until": issued_on}
    receipt = post(hall, f"/cases/{case['id']}/receipt")
    assert receipt.status_code == 201 and receipt.json()["valid_until"]
    decision = post(hall, f"/cases/{case['id']}/decision", {"outcome": "approved", "validity": "P2Y"})
    assert decision.status_code == 201
    if due := hall.get(f"/api/v1/cases/{case['id']}").json()["fee"]["due_cny"]:
        assert (
            post(hall, f"/cases/{case['id']}/payments", {"amount_cny": due, "method": "card"}).status_code
            == 201
        )
    for step in ("issue", "mark_ready", "collect"):
        assert post(hall, f"/cases/{case['id']}/{step}").status_code == 200
    final = hall.get(f"/api/v1/cases/{case['id']}").json()
    assert final["state"] == "collected" and final["permit"]["kind"] == "residence-permit"
    assert all(d["status"] == "met" for d in final["deadlines"] if d["started_on"])


def test_signed_out_callers_get_401_and_nothing_else() -> None:
    r = Client().get("/api/v1/cases")
    assert r.status_code == 401 and r.json()["detail"][0]["message"]


def test_someone_elses_case_is_404_as_if_it_did_not_exist() -> None:
    case = submitted(applicant(), "rp-work")
    r = client_for(applicant()).get(f"/api/v1/cases/{case.pk}")
    assert r.status_code == 404


def test_an_applicant_may_see_their_case_but_accepting_it_is_403() -> None:
    user = applicant()
    case = submitted(user, "rp-work")
    assert client_for(user).get(f"/api/v1/cases/{case.pk}").status_code == 200
    assert post(client_for(user), f"/cases/{case.pk}/receive").status_code == 403


def test_an_illegal_step_is_409_and_a_bad_value_is_422_naming_the_field() -> None:
    user = applicant()
    case = submitted(user, "rp-work")
    hall = client_for(officer(case.hall_id))
    assert problem(post(hall, f"/cases/{case.pk}/issue")) == (409, ["state"])
    post(hall, f"/cases/{case.pk}/receive", {"applicant_present": True})
    upload_everything(user, case)
    post(hall, f"/cases/{case.pk}/receipt")
    assert problem(post(hall, f"/cases/{case.pk}/decision", {"outcome": "approved", "validity": "P6Y"})) == (
        422,
        ["validity"],
    )
    assert problem(post(hall, f"/cases/{case.pk}/decision", {"outcome": "maybe"})) == (422, ["outcome"])
    assert problem(post(hall, f"/cases/{case.pk}/fly")) == (404, ["action"])


def test_a_refused_validity_answers_in_english_and_in_chinese() -> None:
    user = applicant()
    case = submitted(user, "rp-work")
    hall = client_for(officer(case.hall_id))
    post(hall, f"/cases/{case.pk}/receive", {"applicant_present": True})
    upload_everything(user, case)
    post(hall, f"/cases/{case.pk}/receipt")
    r = post(hall, f"/cases/{case.pk}/decision", {"outcome": "approved", "validity": "P6Y"})
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {
            "field": "validity",
            "message": "The validity must be at most 5 years; 6 years was given.",
            "message_zh": "有效期不得超过5年；填写的是6年。",
        }
    ]


def test_an_illegal_step_and_an_unknown_one_answer_in_both_languages() -> None:
    case = submitted(applicant(), "rp-work")
    hall = client_for(officer(case.hall_id))
    [item] = post(hall, f"/cases/{case.pk}/issue").json()["detail"]
    assert item["message"] == "cannot issue a case that is Submitted" and "已提交" in item["message_zh"]
    [item] = post(hall, f"/cases/{case.pk}/fly").json()["detail"]
    assert "No action 'fly'" in item["message"] and "没有“fly”这一步骤" in item["message_zh"]


def test_an_impossible_birth_date_is_refused_and_nothing_is_stored() -> None:
    handler = UserFactory(role=Role.UNIT, unit=UnitFactory())
    body = {
        "procedure": "rp-work",
        "person": {"surname": "X", "sex": "F", "birth_date": "1990-02-30", "nationality": "DEU"},
        "facts": {},
    }
    status, fields = problem(post(client_for(handler), "/cases", body))
    assert status == 422 and fields == ["person.birth_date"]
    from exitentry.registry.models import Person

    assert not Person.objects.exists()


def test_a_new_person_by_the_api_is_named_as_in_the_passport() -> None:
    """A surname in Cyrillic letters is refused for a new person as on the page (Latin letters, ICAO Doc
    9303), in both languages; Uzbek Latin's ʻ is a letter of the name."""
    from exitentry.registry.models import Person

    unit = client_for(UserFactory(role=Role.UNIT, unit=UnitFactory()))
    refused = post(unit, "/cases", new_employee(surname="Иванова"))
    [item] = refused.json()["detail"]
    assert (refused.status_code, item["field"]) == (422, "person.surname")
    assert "Latin letters" in item["message"] and "拉丁字母" in item["message_zh"]
    assert not Person.objects.exists()
    assert post(unit, "/cases", new_employee(surname="Oʻzbekova")).status_code == 201


def test_a_mislabelled_upload_is_422_and_not_stored() -> None:
    user = applicant()
    case = submitted(user, "rp-work")
    upload = SimpleUploadedFile("passport.jpg", b"%PDF-1.4 not a jpeg", "image/jpeg")
    r = client_for(user).post(
        f"/api/v1/cases/{case.pk}/materials", {"material_id": "passport", "file": upload}
    )
    assert problem(r) == (422, ["file"])
    assert not case.materials.exists()


def test_reading_a_case_or_a_person_is_written_to_the_audit_trail() -> None:
    user = applicant()
    case = submitted(user, "rp-work")
    hall_user = officer(case.hall_id)
    client_for(hall_user).get(f"/api/v1/cases/{case.pk}")
    client_for(hall_user).get(f"/api/v1/people/{case.person_id}")
    reads = AuditEntry.objects.filter(actor=hall_user).values_list("action", "object_id")
    assert list(reads) == [("case.read", str(case.pk)), ("person.read", str(case.person_id))]


def test_a_case_and_a_person_name_the_person_as_the_pages_do_with_the_nationality_by_name() -> None:
    from exitentry.registry import countries

    case = submitted(applicant(), "rp-work")
    hall = client_for(officer(case.hall_id))
    person = case.person
    for said in (
        hall.get(f"/api/v1/cases/{case.pk}").json()["applicant"],
        hall.get(f"/api/v1/people/{case.person_id}").json(),
    ):
        assert said["name"] == str(person) and said["surname"] == person.surname
        assert said["nationality_label"] == countries.text(person.nationality).as_dict()
    assert hall.get(f"/api/v1/cases/{case.pk}").json()["person"] == str(person)


def test_a_person_outside_your_cases_is_404() -> None:
    assert (
        client_for(officer("reception-hall")).get(f"/api/v1/people/{PersonFactory().pk}").status_code == 404
    )


def test_writes_with_a_session_need_the_csrf_token() -> None:
    user = applicant()
    client = Client(enforce_csrf_checks=True)
    sign_in(client, user)
    r = client.post(
        "/api/v1/cases",
        json.dumps({"procedure": "rp-work", "person_id": user.person_id}),
        content_type="application/json",
    )
    assert r.status_code == 403


@pytest.mark.parametrize("path", ["/cases", "/queue"])
def test_a_list_takes_the_same_number_of_queries_for_1_10_and_100_cases(
    path, django_assert_max_num_queries
) -> None:
    hall_user = officer("reception-hall")
    unit_handler = UserFactory(role=Role.UNIT, unit=UnitFactory())
    viewer = hall_user if path == "/queue" else unit_handler
    client = client_for(viewer)
    counts = []
    made = 0
    for n in (1, 10, 100):
        while made < n:
            case = services.start_case(
                actor(unit_handler),
                procedure_id="rp-work",
                person=PersonFactory(),
                facts=eligible_facts("rp-work"),
                entered=True,
            )
            services.submit(actor(unit_handler), case, "reception-hall")
            made += 1
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            r = client.get(f"/api/v1{path}", {"limit": 200})
        assert r.status_code == 200 and len(r.json()) == n
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_a_case_detail_takes_the_same_number_of_queries_however_long_its_lists() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = applicant()
    case, clerk = accepted(user, "rp-personal-affairs")  # its fee not due yet: the payments made as records
    client = client_for(clerk.user)
    counts, paid = [], []
    for n in (1, 10, 30):
        while len(paid) < n:
            paid.append(1 + len(paid) % 2)  # 1, 2, 1, ... CNY: within the fee
            Payment.objects.create(case=case, amount_cny=paid[-1], method="cash", received_by=clerk.user)
            services.open_task(clerk, case, "phone")
        with CaptureQueriesContext(connection) as queries:
            r = client.get(f"/api/v1/cases/{case.pk}")
        assert r.status_code == 200
        body = r.json()
        assert [p["amount_cny"] for p in body["payments"]] == paid  # in the order they were paid
        assert len(body["tasks"]) == n and [t["id"] for t in body["tasks"]] == sorted(
            t["id"] for t in body["tasks"]
        )
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_a_permit_reads_with_its_history_and_someone_elses_is_404() -> None:
    from case_helpers import approval_validity

    user = applicant()
    case = submitted(user, "rp-extension")
    hall = officer(case.hall_id)
    clerk = actor(hall)
    hall_receives(clerk, case)
    upload_everything(user, case)
    hall_accepts(clerk, case)
    services.decide(clerk, case, "approved", validity=approval_validity(case))
    services.issue(clerk, case)
    r = client_for(user).get(f"/api/v1/permits/{case.permit_id}")
    assert r.status_code == 200
    assert [e["kind"] for e in r.json()["events"]] == ["extension"]
    assert r.json()["events"][0]["after"]["valid_until"] == r.json()["valid_until"]
    assert client_for(applicant()).get(f"/api/v1/permits/{case.permit_id}").status_code == 404
    person = client_for(user).get(f"/api/v1/people/{user.person_id}").json()
    assert [p["id"] for p in person["permits"]] == [case.permit_id]


def test_an_officer_voids_a_lost_permit_citing_article_34_and_the_history_keeps_it() -> None:
    user = applicant()
    case = submitted(user, "rp-extension")
    Permit.objects.filter(pk=case.permit_id).update(
        valid_until=beijing_today() + timedelta(days=30)
    )  # in force
    hall = client_for(officer(case.hall_id))
    assert problem(post(hall, f"/permits/{case.permit_id}/void", {"ground_id": "refusal-fraud"})) == (
        422,
        ["ground_id"],
    )
    r = post(hall, f"/permits/{case.permit_id}/void", {"ground_id": "void-damaged-lost-stolen-robbed"})
    assert r.status_code == 200 and r.json()["state"] == "void"
    again = post(hall, f"/permits/{case.permit_id}/void", {"ground_id": "void-damaged-lost-stolen-robbed"})
    assert problem(again) == (409, ["state"])
    assert (
        again.json()["detail"][0]["message"]
        == "This permit is already “Declared void (Regulations of the People's Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 34)”."
    )
    history = hall.get(f"/api/v1/permits/{case.permit_id}").json()["events"]
    assert history[-1]["kind"] == "void" and history[-1]["ground_id"] == "void-damaged-lost-stolen-robbed"
    assert post(client_for(user), f"/permits/{case.permit_id}/cancel", {"ground_id": "x"}).status_code == 403
    assert (
        post(client_for(officer("shunyi")), f"/permits/{case.permit_id}/void", {"ground_id": "x"}).status_code
        == 404
    )


def test_a_list_that_shows_peoples_names_is_audited_as_one_entry_naming_the_cases() -> None:
    user = applicant()
    case = submitted(user, "rp-work")
    hall_user = officer(case.hall_id)
    client_for(hall_user).get("/api/v1/queue")
    entry = AuditEntry.objects.get(actor=hall_user, action="case.list")
    assert (entry.object_type, entry.new) == ("queue", {"cases": [case.pk]})
    client_for(applicant()).get("/api/v1/cases")  # an empty page shows nobody: nothing to record
    assert AuditEntry.objects.filter(action="case.list").count() == 1


def test_a_unit_registers_a_new_employee_with_a_passport_and_a_malformed_one_stores_nothing() -> None:
    from exitentry.registry.models import Person, TravelDocument

    unit = client_for(UserFactory(role=Role.UNIT, unit=UnitFactory()))
    person = {"surname": "Okafor", "sex": "M", "birth_date": "1988-04-02", "nationality": "NGA"}
    bad = {
        "number": "a1-234",
        "issuing_country": "NGA",
        "issued_on": "2024-01-01",
        "expires_on": "2023-01-01",
    }
    r = post(unit, "/cases", {"procedure": "rp-work", "person": {**person, "passport": bad}, "facts": {}})
    status, fields = problem(r)
    assert (status, sorted(fields)) == (422, ["person.passport", "person.passport.number"])
    assert "cannot expire before it is issued" in r.content.decode()
    assert not Person.objects.exists() and not TravelDocument.objects.exists()
    good = {**bad, "number": "A12345678", "expires_on": "2034-01-01"}
    r = post(unit, "/cases", {"procedure": "rp-work", "person": {**person, "passport": good}, "facts": {}})
    assert r.status_code == 201
    assert TravelDocument.objects.get().number == "A12345678"


def test_an_applicant_records_a_new_passport_and_a_duplicate_or_future_birth_is_a_422() -> None:
    user = applicant()
    client = client_for(user)
    doc = {
        "number": "C98765432",
        "issuing_country": "DEU",
        "issued_on": "2026-01-05",
        "expires_on": "2036-01-04",
    }
    assert post(client, f"/people/{user.person_id}/travel-documents", doc).status_code == 201
    status, fields = problem(post(client, f"/people/{user.person_id}/travel-documents", doc))
    assert status == 422 and fields == [None]
    assert post(client_for(applicant()), f"/people/{user.person_id}/travel-documents", doc).status_code == 404
    unit = client_for(UserFactory(role=Role.UNIT, unit=UnitFactory()))
    future = {"surname": "X", "sex": "F", "birth_date": "2030-01-01", "nationality": "DEU"}
    assert problem(post(unit, "/cases", {"procedure": "rp-work", "person": future, "facts": {}})) == (
        422,
        ["person.birth_date"],
    )


def test_the_api_queue_narrows_to_one_hall_and_never_beyond_the_officers_own() -> None:
    here = submitted(applicant(), "rp-work")
    client = client_for(officer(here.hall_id, "zhongguancun"))
    assert [r["id"] for r in client.get("/api/v1/queue", {"hall_id": here.hall_id}).json()] == [here.pk]
    assert client.get("/api/v1/queue", {"hall_id": "zhongguancun"}).json() == []
    assert client_for(officer("shunyi")).get("/api/v1/queue", {"hall_id": here.hall_id}).json() == []


def test_the_detail_shows_the_processing_clock_paused_while_the_one_time_notice_is_unanswered() -> None:
    user = applicant()
    case = submitted(user, "rp-personal-affairs")
    hall = client_for(officer(case.hall_id))
    post(hall, f"/cases/{case.pk}/receive", {"applicant_present": True})
    post(hall, f"/cases/{case.pk}/deficiency-notices")
    clocks = {d["clock"]: d for d in client_for(user).get(f"/api/v1/cases/{case.pk}").json()["deadlines"]}
    assert clocks["processing"]["status"] == "paused"
    upload_everything(user, case)
    post(client_for(user), f"/cases/{case.pk}/resubmit")
    clocks = {d["clock"]: d for d in client_for(user).get(f"/api/v1/cases/{case.pk}").json()["deadlines"]}
    assert clocks["processing"]["status"] == "due"


def test_a_ground_that_does_not_fit_the_ending_is_refused_listing_the_ids_that_do() -> None:
    case = submitted(applicant(), "rp-extension")
    hall = client_for(officer(case.hall_id))
    r = post(hall, f"/permits/{case.permit_id}/cancel", {"ground_id": "void-damaged-lost-stolen-robbed"})
    [item] = r.json()["detail"]
    assert (r.status_code, item["field"]) == (422, "ground_id")
    for listed in ("cancel-declared-void-or-misused (Art. 35(1))", "cancel-obtained-illegally (Art. 35(2))"):
        assert listed in item["message"]
    assert "grounds.yaml" not in item["message"] and "grounds(kind, on)" not in item["message"]
    assert "cancel-obtained-illegally（第三十五条第（二）项）" in item["message_zh"]
    assert "void-damaged-lost-stolen-robbed (" not in item["message"]  # a void ground is not offered


def test_a_case_shows_its_passport_awaiting_the_halls_check_until_the_hall_receives_it() -> None:
    """The passport given with a new person is a claim until the hall has it in hand: the case says so,
    names the issuing country in both languages, and once received shows the document it was received on."""
    handler = UserFactory(role=Role.UNIT, unit=UnitFactory())
    unit = client_for(handler)
    today = beijing_today()
    passport = {
        "number": "C01X00T47",
        "issuing_country": "DEU",
        "issued_on": (today - timedelta(days=400)).isoformat(),
        "expires_on": (today + timedelta(days=3000)).isoformat(),
    }
    body = new_employee(passport=passport)
    case = post(unit, "/cases", body).json()
    assert case["passport"] == {
        "kind": "passport",
        "number": "C01X00T47",
        "issuing_country": "DEU",
        "issuing_country_name": {"en": "Germany", "zh": "德国"},
        "expires_on": passport["expires_on"],
        "claim": True,
    }
    post(unit, f"/cases/{case['id']}/submit", {"hall_id": "chaoyang"})
    hall = client_for(officer("chaoyang"))
    received = post(hall, f"/cases/{case['id']}/receive", {"applicant_present": True}).json()
    assert received["passport"]["number"] == "C01X00T47" and received["passport"]["claim"] is False
    assert unit.get(f"/api/v1/cases/{case['id']}").json()["passport"] == received["passport"]


def test_a_case_with_no_passport_on_record_shows_none() -> None:
    handler = UserFactory(role=Role.UNIT, unit=UnitFactory())
    body = {
        "procedure": "rp-work",
        "person": {
            "surname": "Ng",
            "given_names": "Mei",
            "sex": "F",
            "birth_date": "1990-03-04",
            "nationality": "SGP",
        },
        "facts": eligible_facts("rp-work") | {"birth_date": "1990-03-04"},
    }
    case = post(client_for(handler), "/cases", body).json()
    assert case["passport"] is None


def test_a_second_draft_for_the_same_person_and_procedure_is_409_naming_the_first() -> None:
    user = applicant()
    me = client_for(user)
    body = {"procedure": "rp-personal-affairs", "person_id": user.person_id}
    first = post(me, "/cases", body | {"facts": eligible_facts("rp-personal-affairs")})
    assert first.status_code == 201, first.content
    draft_id = first.json()["id"]
    second = post(me, "/cases", body | {"facts": {}})
    assert problem(second) == (409, ["procedure"])
    assert f"case {draft_id}" in second.json()["detail"][0]["message"]
    assert f"申请{draft_id}" in second.json()["detail"][0]["message_zh"]
    assert second["Location"] == f"/api/v1/cases/{draft_id}"
    assert services.open_draft(user, user.person, "rp-personal-affairs").pk == draft_id
    assert me.get("/api/v1/cases").json()[0]["id"] == draft_id and len(me.get("/api/v1/cases").json()) == 1
