"""Generated requests (schemathesis) over every operation of the OpenAPI document, anonymous and signed in
as an applicant and as an officer, and over the operations that take an API key with a unit's and an
institution's key: no answer is a server error, and every answer is documented (its status, its content
type, its body matching the schema).

The requests go to the Django app through WSGI, in the test's transaction, on SQLite and on PostgreSQL
alike. The applicant has a draft, a received case and an accepted one (with its materials and an open
verification task); the officer works at their hall. Half the ids schemathesis generates (the even ones)
are moved onto those records, so signed-in requests reach real cases, materials, tasks and people, not
only 404s; so do a unit key's, onto the unit's roster and its report. Each test signs in once, for all its
examples (a sign-in per example took some 40% of the run). The run is bounded (``MAX_EXAMPLES`` per
operation, a fixed seed) and its answers are counted by status for the summary at the end of the run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from case_helpers import accepted, client_for, hall_receives, started, submitted
from exitentry import clock
from exitentry.accounts import api_keys
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import Role
from exitentry.cases import services
from exitentry.compliance import unit_reports
from exitentry.compliance.models import UnitReport
from factories import TODAY, UnitFactory, UserFactory, applicant
from unit_world import Roster

pytestmark = [pytest.mark.django_db, pytest.mark.generated_requests]

MAX_EXAMPLES = 20  # beside the coverage phase's cases, which schemathesis makes for every operation
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CONFIG = schemathesis.Config.from_dict({"seed": 10, "generation": {"max-examples": MAX_EXAMPLES}})


class Counted:
    """Django's WSGI app, counting its answers by status into ``counts``."""

    def __init__(self) -> None:
        self.django = WSGIHandler()
        self.counts: Counter = Counter()

    def __call__(self, environ, start_response):
        def counted(status, headers, *args):
            self.counts[int(status.split()[0])] += 1
            return start_response(status, headers, *args)

        return self.django(environ, counted)


app = Counted()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=CONFIG)
keyed = schema.include(
    lambda c: any("ApiKey" in way for way in c.operation.definition.raw.get("security", []))
)


@pytest.fixture(autouse=True)
def in_the_test_transaction(answers) -> Iterator[None]:
    """As in Django's test client, the connection is not closed after a request: it holds the test's
    transaction. The answers are counted for the run's summary."""
    app.counts = answers
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def records() -> dict[str, object]:
    """The applicant and the officer, and the ids of the records they work on, by path parameter."""
    person = applicant()
    received = submitted(person, "rp-personal-affairs")
    case, clerk = accepted(person, "rp-personal-affairs")
    draft = started(person, "rp-personal-affairs")  # last: one open draft per person and procedure
    hall_receives(clerk, received, on=TODAY)
    task = services.open_task(clerk, case, "site_visit")
    return {
        "applicant": person,
        "officer": clerk.user,
        "ids": {
            "case_id": [draft.pk, received.pk, case.pk],
            "material_id": list(case.materials.values_list("pk", flat=True)),
            "task_id": [task.pk],
            "person_id": [person.person_id],
        },
    }


def signed_in(user) -> dict[str, dict[str, str]]:
    """The cookies and headers of a request by ``user``: none when signed out, else the session's cookie
    and the CSRF token (cookie and header)."""
    if user is None:
        return {}
    client = client_for(user, csrf=True)
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    return {"cookies": cookies, "headers": {"X-CSRFToken": client.csrf_token}}


@pytest.fixture
def credentials(who, records) -> dict[str, dict[str, str]]:
    """``who``'s cookies and headers, signed in once for all the test's examples."""
    return signed_in(records.get(who))


def moved(case, ids: dict[str, list[int]]) -> None:
    """Move the even ids of ``case``'s path onto the records of ``ids``."""
    for name, value in case.path_parameters.items():
        if name in ids and isinstance(value, int) and value % 2 == 0:
            case.path_parameters[name] = ids[name][value // 2 % len(ids[name])]


@pytest.mark.parametrize("who", [None, "applicant", "officer"], ids=["anonymous", "applicant", "officer"])
@schema.parametrize()
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # the fixtures: above
def test_no_answer_is_a_server_error_or_undocumented(case, who, records, credentials) -> None:
    moved(case, records["ids"])
    case.call_and_validate(**credentials, checks=CHECKS)


@pytest.fixture
def keys() -> dict[str, object]:
    """A unit administrator's key with both unit scopes and an institution's key, and the ids of the
    unit's people and of its one report."""
    world = Roster()
    filed = unit_reports.Draft(world.far.pk, "employee-resigned", TODAY)
    report = unit_reports.file_report(Actor(world.admin), world.unit, filed, source=UnitReport.Source.API)
    bank = UserFactory(role=Role.INSTITUTION, unit=UnitFactory(kind="bank"))
    until = clock.now() + timedelta(days=30)
    unit_scopes = [api_keys.UNIT_PEOPLE_READ, api_keys.UNIT_REPORTS_WRITE]
    return {
        "unit": api_keys.issue(Actor(world.admin), "HR system", unit_scopes, until).key,
        "institution": api_keys.issue(Actor(bank), "bank desk", [api_keys.STATUS_CHECK], until).key,
        "ids": {"person_id": [p.pk for p in world.ours()], "report_id": [report.pk]},
    }


@pytest.mark.parametrize("whose", ["unit", "institution"])
@keyed.parametrize()
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # ``keys``: above
def test_no_answer_to_a_key_is_a_server_error_or_undocumented(case, whose, keys) -> None:
    moved(case, keys["ids"])
    case.call_and_validate(headers={"Authorization": f"Bearer {keys[whose]}"}, checks=CHECKS)
