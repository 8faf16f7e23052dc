"""Every case endpoint of the API, for every role, on a case of its own and on someone else's.

The policy's own matrix is pinned in tests/cases/test_policy.py; here every endpoint must answer as that
policy says: 401 signed out, 404 for a case the user may not see, 403 for one they see but may not act
on, and otherwise a real answer (the state machine or the rules may still refuse with 409 or 422).
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from case_helpers import submitted
from exitentry.accounts.models import Role
from exitentry.cases import access, services
from factories import PersonFactory, UnitFactory, UserFactory, actor, applicant, eligible_facts, officer

pytestmark = pytest.mark.django_db

# (method, path template, policy action); {c} is the case id
ENDPOINTS = [
    ("get", "/cases/{c}", "view"),
    ("patch", "/cases/{c}/facts", "edit"),
    ("post", "/cases/{c}/submit", "submit"),
    ("post", "/cases/{c}/materials", ("upload", "review_materials")),  # the applicant's side, or the counter
    ("post", "/cases/{c}/receive", "receive"),
    ("post", "/cases/{c}/deficiency-notices", "notify_deficiency"),
    ("post", "/cases/{c}/receipt", "accept"),
    ("post", "/cases/{c}/tasks", "verify"),
    ("post", "/cases/{c}/decision", "decide"),
    ("post", "/cases/{c}/payments", "pay"),
    ("post", "/cases/{c}/pre_examine", "pre_examine"),
    ("post", "/cases/{c}/resubmit", "resubmit"),
    ("post", "/cases/{c}/forward_to_ministry", "forward_to_ministry"),
    ("post", "/cases/{c}/issue", "issue"),
    ("post", "/cases/{c}/mark_ready", "mark_ready"),
    ("post", "/cases/{c}/collect", "collect"),
    ("post", "/cases/{c}/withdraw", "withdraw"),
    ("get", "/cases/{c}/documents/receipt", "view"),
]
BODIES = {
    "/cases/{c}/facts": {"facts": {}},
    "/cases/{c}/submit": {"hall_id": "reception-hall"},
    "/cases/{c}/tasks": {"kind": "interview"},
    "/cases/{c}/decision": {"outcome": "approved", "validity": "P1Y"},
    "/cases/{c}/payments": {"amount_cny": 1, "method": "card"},
}


@pytest.fixture
def world():
    owner = applicant()
    handler = UserFactory(role=Role.UNIT, unit=UnitFactory())
    own = submitted(owner, "rp-work")
    staff = services.start_case(
        actor(handler), procedure_id="rp-work", person=PersonFactory(), facts=eligible_facts("rp-work")
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
        upload = SimpleUploadedFile("passport.pdf", f"%PDF-1.4 {case_id}".encode(), "application/pdf")
        return client.post(path, {"material_id": "passport", "file": upload})
    if method == "get":
        return client.get(path)
    body = json.dumps(BODIES.get(template, {}))
    return getattr(client, method)(path, body, content_type="application/json")


@pytest.mark.parametrize(
    "who",
    [
        "applicant",
        "unit",
        "proxy",
        "officer",
        "officer elsewhere",
        "supervisor",
        "institution",
        "administrator",
    ],
)
def test_every_endpoint_answers_as_the_policy_says_for_each_role(world, who: str) -> None:
    users, cases = world
    user = users[who]
    client = Client()
    client.force_login(user)
    for name, case in cases.items():
        visible = access.may(user, "view", case)
        for method, template, action in ENDPOINTS:
            response = call(client, method, template, case.pk)
            status = response.status_code
            where = f"{who} {method.upper()} {template} on the {name} case"
            if not visible:
                assert status == 404 and response.json()["detail"][0]["field"] is None, where
            elif not any(
                access.may(user, a, case) for a in (action if isinstance(action, tuple) else (action,))
            ):
                assert status == 403, where
            elif status == 404:  # a document not issued yet names what is missing, unlike "not found"
                assert response.json()["detail"][0]["field"] == "kind", where
            else:
                assert status not in (401, 403), f"{where}: {status}"


def test_signed_out_every_endpoint_is_401(world) -> None:
    _, cases = world
    for method, template, _ in ENDPOINTS:
        assert call(Client(), method, template, cases["applicant's"].pk).status_code == 401, template


def test_the_matrix_is_not_empty_on_either_side(world) -> None:
    users, cases = world
    assert access.may(users["applicant"], "withdraw", cases["applicant's"])
    assert access.may(users["officer"], "receive", cases["unit's"])
    assert not access.may(users["officer elsewhere"], "view", cases["unit's"])
