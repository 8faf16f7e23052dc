"""``POST /status-checks/code`` and ``/status-checks/document`` over HTTP: who may call them, what they
answer, in both languages, and that every check is audited."""

from __future__ import annotations

import pytest

from case_helpers import sign_in
from exitentry.accounts.models import AuditEntry, Role
from exitentry.verification import checks
from exitentry.verification.models import StatusCheck
from factories import UnitFactory, UserFactory, applicant, officer
from verification.helpers import BIRTH, code_for, desk, holder

pytestmark = pytest.mark.django_db
CODE = "/status-checks/code"
DOCUMENT = "/status-checks/document"


def test_a_bank_checks_a_code(api):
    user = holder()
    _, code = code_for(user)
    sign_in(api.client, desk())
    response = api.post(CODE, {"code": code, "birth_date": BIRTH.isoformat()})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["match"] is True and body["status"]["valid"] is True
    assert body["status"]["nationality"] == {"en": "Germany", "zh": "德国"}
    assert body["status"]["document"]["zh"] == "居留证件"
    assert set(body["status"]) == {
        "valid",
        "state",
        "label",
        "document",
        "permit_type",
        "valid_until",
        "initials",
        "nationality",
        "photo",
    }
    assert StatusCheck.objects.get(pk=body["check_id"]).result == "match"
    assert AuditEntry.objects.filter(action="status.check").count() == 1


def test_a_wrong_birth_date_is_one_generic_404_in_both_languages(api):
    _, code = code_for(holder())
    sign_in(api.client, desk())
    response = api.post(CODE, {"code": code, "birth_date": "1999-01-01"})
    assert response.status_code == 404
    detail = response.json()["detail"][0]
    assert detail["message"] == checks.NO_STATUS.en and detail["message_zh"] == checks.NO_STATUS.zh
    other = api.post(CODE, {"code": "AAAA-BBBB-CCCC", "birth_date": BIRTH.isoformat()})
    assert other.status_code == 404 and other.json() == response.json()


def test_a_verification_request_answers_match_or_no_match(api):
    user = holder()
    person = user.person
    sign_in(api.client, desk())
    number = person.travel_documents.get().number
    hit = api.post(DOCUMENT, {"document_number": number, "name": f"{person.surname} Alex"})
    assert hit.status_code == 200 and hit.json()["match"] is True
    assert hit.json()["status"]["state"] == "valid"
    miss = api.post(DOCUMENT, {"document_number": number, "name": "Someone Else"})
    assert miss.status_code == 200 and miss.json() == {
        "match": False,
        "check_id": miss.json()["check_id"],
        "status": None,
    }


def test_bad_input_is_422(api):
    sign_in(api.client, desk())
    response = api.post(CODE, {"code": "x", "birth_date": "yesterday"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["message_zh"]


@pytest.mark.parametrize(
    "who",
    [
        "anonymous",
        "holder",
        "applicant",
        "proxy",
        "unit",
        "officer",
        "supervisor",
        "administrator",
        "agency-desk",
    ],
)
def test_only_an_institution_desk_may_check(api, who):
    _, code = code_for(holder())
    users = {
        "holder": lambda: holder(),
        "applicant": lambda: applicant(),
        "proxy": lambda: UserFactory(role=Role.PROXY),
        "unit": lambda: UserFactory(role=Role.UNIT, unit=UnitFactory(kind="bank")),
        "officer": lambda: officer(),
        "supervisor": lambda: officer(role=Role.SUPERVISOR),
        "administrator": lambda: UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
        "agency-desk": lambda: desk("agency"),
    }
    if who != "anonymous":
        sign_in(api.client, users[who]())
    for path, body in (
        (CODE, {"code": code, "birth_date": BIRTH.isoformat()}),
        (DOCUMENT, {"document_number": "X00000001", "name": "A B"}),
    ):
        response = api.post(path, body)
        assert response.status_code == (401 if who == "anonymous" else 403), (path, response.content)
        assert response.json()["detail"][0]["message_zh"]
    assert not StatusCheck.objects.exists()


def test_institutions_are_rate_limited(api, settings):
    settings.EXITENTRY_STATUS_CHECK_RATE = "2/m"
    bank = desk()
    sign_in(api.client, bank)
    body = {"document_number": "X00000001", "name": "A B"}
    assert [api.post(DOCUMENT, body).status_code for _ in range(3)] == [200, 200, 429]
    # a colleague at the same bank shares its budget; another bank does not
    colleague = UserFactory(role=Role.INSTITUTION, unit=bank.unit)
    sign_in(api.client, colleague)
    assert api.post(DOCUMENT, body).status_code == 429
    sign_in(api.client, desk())
    assert api.post(DOCUMENT, body).status_code == 200


def test_the_openapi_document_declares_both(api):
    paths = api.get("/openapi.json").json()["paths"]
    for path in (CODE, DOCUMENT):
        operation = paths[f"/api/v1{path}"]["post"]
        assert {"200", "401", "403", "404", "422", "429"} <= set(operation["responses"])
        assert operation["security"]


def test_wrong_tries_over_the_api_lock_the_code_and_are_audited(api):
    share, code = code_for(holder())
    sign_in(api.client, desk())
    for _ in range(5):
        assert api.post(CODE, {"code": code, "birth_date": "2001-01-01"}).status_code == 404
    locked = api.post(CODE, {"code": code, "birth_date": BIRTH.isoformat()})
    assert locked.status_code == 404 and locked.json()["detail"][0]["message"] == checks.NO_STATUS.en
    share.refresh_from_db()
    assert share.locked
    results = list(AuditEntry.objects.filter(action="status.check").values_list("new__result", flat=True))
    assert results == ["no-match"] * 5 + ["refused"]
