"""No page or API read hands over someone else's data for a guessed id (IDOR). One world holds an
applicant's case with a material, their permit, an alert and enforcement records made at their hall, a
unit's roster with a report and a share code; then a stranger of every side (another applicant, a
proxy, another unit's administrator, an officer and a supervisor of another hall, another bank's desk)
asks every GET route that takes an id, walked from the URL patterns and the API's OpenAPI document,
with the ids of those objects. None may answer 200 but the public pages (the notices of Art. 34(3))."""

from __future__ import annotations

import re

import pytest
from django.urls import get_resolver

from case_helpers import actor, client_for, pdf, submitted, with_enforcement_records
from exitentry.accounts.models import Role
from exitentry.cases import services
from exitentry.compliance.models import Alert
from exitentry.compliance.unit_reports import Draft, file_report
from exitentry.registry.models import Permit
from exitentry.verification import sharecodes
from factories import TODAY, PermitFactory, UnitFactory, UserFactory, applicant, officer
from unit_world import Roster

pytestmark = pytest.mark.django_db
PUBLIC = ("/en/notices/",)


@pytest.fixture
def world():
    owner = applicant()
    case = submitted(owner, "rp-work")
    PermitFactory(person=owner.person)
    material = services.upload_material(actor(owner), case, "passport", pdf("mine"), on=TODAY)
    clerk = officer(case.hall_id)
    with_enforcement_records(owner.person, clerk)
    alert = Alert.objects.create(
        person=owner.person,
        ground_id="overstay",
        cause_key="k",
        source_id="regulations",
        section="Art. 25",
        opened_on=TODAY,
    )
    roster = Roster()
    report = file_report(
        actor(roster.admin), roster.unit, Draft(roster.in_20.pk, "violation", TODAY), source="web"
    )
    code, _ = sharecodes.make(actor(owner), "bank", "1d")
    people = [owner.person_id, roster.in_20.pk, roster.far.pk]
    mine = client_for(owner)  # the ids are the right ones: their owners read them
    assert mine.get(f"/en/my/{case.pk}/").status_code == mine.get(f"/en/materials/{material.pk}/").status_code
    assert mine.get(f"/api/v1/people/{owner.person_id}").status_code == 200
    assert client_for(clerk).get(f"/en/console/people/{owner.person_id}/").status_code == 200
    assert client_for(roster.admin).get(f"/api/v1/units/me/reports/{report.pk}").status_code in (200, 401)
    return {
        "case_id": [case.pk],
        "material_id": [material.pk],
        "person_id": people,
        "permit_id": list(Permit.objects.filter(person_id__in=people).values_list("pk", flat=True)),
        "alert_id": [alert.pk],
        "report_id": [report.pk],
        "code_id": [code.pk],
    }


STRANGERS = {
    "applicant": applicant,
    "proxy": lambda: UserFactory(role=Role.PROXY, unit=UnitFactory(kind="agency")),
    "unit": lambda: UserFactory(role=Role.UNIT, unit=UnitFactory(), is_unit_admin=True),
    "officer": lambda: officer("shunyi"),
    "supervisor": lambda: officer("shunyi", role=Role.SUPERVISOR),
    "institution": lambda: UserFactory(role=Role.INSTITUTION, unit=UnitFactory(kind="bank")),
}


def _page_routes() -> list[str]:
    from test_csrf_everywhere import _routes

    return [r for r in _routes(get_resolver().url_patterns) if "<int:" in r and not r.startswith("admin/")]


def _api_routes(client) -> list[str]:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    return [f"api/v1{p}" for p, ops in paths.items() if "get" in ops and re.search(r"\{\w+_id\}", p)]


def _asked(route: str, ids: dict) -> list[str]:
    """``route`` with each id of the world its parameter names (a parameter it has no ids for: all)."""
    name = re.search(r"<int:(\w+)>|\{(\w+_id)\}", route)
    if name is None:
        return ["/" + route]
    param = name.group(1) or name.group(2)
    values = ids.get(param) or sorted({v for vs in ids.values() for v in vs})
    return [p for v in values for p in _asked(route[: name.start()] + str(v) + route[name.end() :], ids)]


@pytest.mark.parametrize("who", sorted(STRANGERS))
def test_a_stranger_reads_nothing_by_guessing_an_id(world, who):
    browser = client_for(STRANGERS[who]())
    routes = _page_routes() + _api_routes(browser)
    assert len(routes) > 20
    given = []
    for route in routes:
        for path in _asked(route, world):
            if path.startswith(PUBLIC):
                continue
            answer = browser.get(path)
            if answer.status_code == 200:
                given.append(path)
    assert given == []
