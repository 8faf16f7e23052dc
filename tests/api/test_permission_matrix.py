"""Every case endpoint of the API, for every role, on a case of its own and on someone else's.

The expected answers are written here, not read from the access rules or the lifecycle table under test:
which cases each role sees, and for each endpoint what the applicant's side and the hall's side get on a
case they see. 401 signed out, 404 for a case the user may not see, 403 for one they see but may not act
on, and otherwise a real answer ("ok": the state or the rules may still refuse with 409 or 422; "kind": a
document not issued yet, a 404 that names what is missing).
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from case_helpers import pdf, sign_in, submitted
from exitentry.accounts.models import Role
from exitentry.cases import services
from factories import PersonFactory, UnitFactory, UserFactory, actor, applicant, eligible_facts, officer

pytestmark = pytest.mark.django_db

# (method, path template, the applicant's side gets, the hall's side gets); {c} is the case id
ENDPOINTS = [
    ("get", "/cases/{c}", "ok", "ok"),
    ("patch", "/cases/{c}/facts", "ok", 403),
    ("post", "/cases/{c}/submit", "ok", 403),
    ("post", "/cases/{c}/materials", "ok", "ok"),  # the applicant's side uploads, the counter too
    ("post", "/cases/{c}/receive", 403, "ok"),
    ("post", "/cases/{c}/missing-facts", 403, "ok"),  # the answers the rules came to need, at the counter
    ("post", "/cases/{c}/deficiency-notices", 403, "ok"),
    ("post", "/cases/{c}/receipt", 403, "ok"),
    ("post", "/cases/{c}/tasks", 403, "ok"),
    ("post", "/cases/{c}/decision", 403, "ok"),
    ("post", "/cases/{c}/payments", 403, "ok"),  # the fee is paid and recorded at the hall
    ("post", "/cases/{c}/fee-exemption", 403, "ok"),
    ("post", "/cases/{c}/pre_examine", 403, "ok"),
    ("post", "/cases/{c}/resubmit", "ok", "ok"),
    ("post", "/cases/{c}/forward_to_ministry", 403, "ok"),
    ("post", "/cases/{c}/issue", 403, "ok"),
    ("post", "/cases/{c}/mark_ready", 403, "ok"),
    ("post", "/cases/{c}/collect", 403, "ok"),
    ("post", "/cases/{c}/withdraw", "ok", 403),
    ("get", "/cases/{c}/documents/receipt", "kind", "kind"),
]
# role -> (its side, the cases it sees)
ROLES = {
    "applicant": ("applicant", {"applicant's"}),
    "unit": ("applicant", {"unit's"}),
    "proxy": ("applicant", set()),
    "officer": ("hall", {"applicant's", "unit's"}),
    "officer elsewhere": ("hall", set()),
    "supervisor": ("hall", {"applicant's", "unit's"}),
    "institution": (None, set()),
    "administrator": (None, set()),
}
BODIES = {
    "/cases/{c}/facts": {"facts": {}},
    "/cases/{c}/missing-facts": {"facts": {}},
    "/cases/{c}/submit": {"hall_id": "reception-hall"},
    "/cases/{c}/tasks": {"kind": "interview"},
    "/cases/{c}/decision": {"outcome": "approved", "validity": "P1Y"},
    "/cases/{c}/payments": {"amount_cny": 1, "method": "card"},
    "/cases/{c}/fee-exemption": {"reason": "order 1"},
}


@pytest.fixture
def world():
    owner = applicant()
    handler = UserFactory(role=Role.UNIT, unit=UnitFactory())
    own = submitted(owner, "rp-work")
    staff = services.start_case(
        actor(handler),
        procedure_id="rp-work",
        person=PersonFactory(),
        facts=eligible_facts("rp-work"),
        entered=True,
    )
    services.submit(actor(handler), staff, "reception-hall")
    users = {
        "applicant": owner,
        "unit": handler,
        "proxy": UserFactory(role=Role.PROXY, unit=UnitFactory(kind="agency")),
        "officer": officer("reception-hall"),
        "officer elsewhere": officer("shunyi"),
        "supervisor": officer("reception-hall", role=Role.SUPERVISOR),
        "institution": UserFactory(role=Role.INSTITUTION),
        "administrator": UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
    }
    return users, {"applicant's": own, "unit's": staff}


def call(client: Client, method: str, template: str, case_id: int):
    path = "/api/v1" + template.format(c=case_id)
    if template.endswith("/materials"):
        upload = pdf(f"passport {case_id}")
        return client.post(path, {"material_id": "passport", "file": upload})
    if method == "get":
        return client.get(path)
    body = json.dumps(BODIES.get(template, {}))
    return getattr(client, method)(path, body, content_type="application/json")


@pytest.mark.parametrize("who", list(ROLES))
def test_every_endpoint_answers_each_role_as_the_table_says(world, who: str) -> None:
    users, cases = world
    side, sees = ROLES[who]
    client = Client()
    sign_in(client, users[who])
    for name, case in cases.items():
        for method, template, applicant_side, hall_side in ENDPOINTS:
            expected = 404 if name not in sees else {"applicant": applicant_side, "hall": hall_side}[side]
            response = call(client, method, template, case.pk)
            status = response.status_code
            where = f"{who} {method.upper()} {template} on the {name} case: {status}"
            if expected == "ok":
                assert status in (200, 201, 409, 422), where
            elif expected == "kind":  # a document not issued yet names what is missing, unlike "not found"
                assert status == 404 and response.json()["detail"][0]["field"] == "kind", where
            else:
                assert status == expected, where
                if status == 404:
                    assert response.json()["detail"][0]["field"] is None, where


def test_signed_out_every_endpoint_is_401(world) -> None:
    _, cases = world
    for method, template, *_ in ENDPOINTS:
        assert call(Client(), method, template, cases["applicant's"].pk).status_code == 401, template


def test_every_case_endpoint_of_the_api_is_in_the_table(api) -> None:
    """A new endpoint on ``/cases/{case_id}`` must be added above, with what each side gets."""
    paths = {p.removeprefix("/api/v1") for p in api.get("/openapi.json").json()["paths"]}

    def route(template: str) -> str:
        last = template.rsplit("/", 1)[1]
        path = template.replace("{c}", "{case_id}").replace("documents/receipt", "documents/{kind}")
        return path.replace(f"/{last}", "/{action}") if last in STEPS else path

    assert {p for p in paths if p.startswith("/cases/{case_id}")} == {route(t) for _, t, *_ in ENDPOINTS}


STEPS = {"pre_examine", "resubmit", "forward_to_ministry", "issue", "mark_ready", "collect", "withdraw"}
