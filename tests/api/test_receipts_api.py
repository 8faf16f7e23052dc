"""The receipts of reports as PDFs over the API, for whoever sees the report on the pages: a holder's
report of a change of particulars (the holder, a proxy or unit that reads them, the halls that read them)
and a unit's Art. 26 report (the unit's handlers or its HR system's key, the halls that read the person).
Anyone else gets 404 as if there were no such report, signed out 401; every download is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from case_helpers import client_for
from exitentry import clock
from exitentry.accounts import api_keys, invitations
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import AuditEntry, Role
from exitentry.compliance import change_reports, unit_reports
from exitentry.compliance.models import ChangeReport
from exitentry.law.calendar import beijing_today
from factories import (
    AffiliationFactory,
    PermitFactory,
    UnitFactory,
    UserFactory,
    actor,
    applicant,
    unit_handler,
)
from holder_roles import who

pytestmark = pytest.mark.django_db


def assert_receipt(answer, object_type: str, pk: int, user) -> None:
    """A PDF answer, its reading audited as the page's is."""
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "application/pdf" and answer.content.startswith(b"%PDF")
    entry = AuditEntry.objects.get(action="document.read", object_type=object_type, object_id=str(pk))
    assert entry.actor_id == user.pk


def assert_not_found(answer) -> None:
    assert answer.status_code == 404, answer.content
    assert answer.json()["detail"][0]["field"] is None
    assert not AuditEntry.objects.filter(action="document.read").exists()


@pytest.fixture
def change_report():
    holder = applicant()
    today = beijing_today()
    permit = PermitFactory(person=holder.person, valid_until=today + timedelta(days=300))
    return change_reports.file(actor(holder), permit, "reason", today - timedelta(days=1), source="web")


CHANGE_MATRIX = [
    ("holder", 200),
    ("another applicant", 404),
    ("proxy with a case", 200),
    ("proxy without", 404),
    ("unit with the person on its roster", 200),
    ("unit without", 404),
    ("officer of the district", 200),
    ("supervisor of the district", 200),
    ("officer elsewhere", 404),
    ("institution", 404),
    ("administrator", 404),
]


@pytest.mark.parametrize(("role", "status"), CHANGE_MATRIX)
def test_who_downloads_the_receipt_of_a_change_report(change_report: ChangeReport, role, status) -> None:
    person = change_report.permit.person
    user = change_report.filed_by if role == "holder" else who(role, person)
    url = f"/api/v1/permits/{change_report.permit_id}/change-reports/{change_report.pk}/receipt"
    answer = client_for(user).get(url)
    if status == 200:
        assert_receipt(answer, "changereport", change_report.pk, user)
    else:
        assert_not_found(answer)


def test_a_change_receipt_is_found_under_its_own_permit_only_and_not_signed_out(change_report) -> None:
    other = PermitFactory(person=change_report.permit.person)
    client = client_for(change_report.filed_by)
    assert_not_found(client.get(f"/api/v1/permits/{other.pk}/change-reports/{change_report.pk}/receipt"))
    url = f"/api/v1/permits/{change_report.permit_id}/change-reports/{change_report.pk}/receipt"
    assert Client().get(url).status_code == 401


@pytest.fixture
def unit_report():
    handler = unit_handler()
    place = AffiliationFactory(unit=handler.unit, started_on=beijing_today() - timedelta(days=90))
    draft = unit_reports.Draft(place.person_id, "violation", beijing_today())
    return unit_reports.file_report(actor(handler), handler.unit, draft, source="web")


UNIT_MATRIX = [
    ("the unit's handler", 200),
    ("another handler of the unit", 200),
    ("another unit's handler", 404),
    ("the person reported on", 404),  # the unit's report, not the holder's: the pages do not show it them
    ("proxy with a case", 404),  # reads the person, not the unit's reports
    ("unit with the person on its roster", 404),  # another unit that employs them too
    ("officer of the district", 200),
    ("supervisor of the district", 200),
    ("officer elsewhere", 404),
    ("institution", 404),
    ("administrator", 404),
]


@pytest.mark.parametrize(("role", "status"), UNIT_MATRIX)
def test_who_downloads_the_receipt_of_a_units_report(unit_report, role, status) -> None:
    user = {
        "the unit's handler": lambda: unit_report.filed_by,
        "another handler of the unit": lambda: unit_handler(unit_report.unit),
        "another unit's handler": unit_handler,
        "the person reported on": lambda: applicant(person=unit_report.person),
    }.get(role, lambda: who(role, unit_report.person))()
    answer = client_for(user).get(f"/api/v1/unit-reports/{unit_report.pk}/receipt")
    if status == 200:
        assert_receipt(answer, "unitreport", unit_report.pk, user)
    else:
        assert_not_found(answer)


def key_call(unit_report, admin, *scopes: str):
    key = api_keys.issue(Actor(admin), "HR system", list(scopes), clock.now() + timedelta(days=30)).key
    headers = {"Authorization": f"Bearer {key}"}
    return Client(enforce_csrf_checks=True).get(
        f"/api/v1/unit-reports/{unit_report.pk}/receipt", headers=headers
    )


def test_a_units_hr_system_downloads_its_receipts_with_the_reports_key_only(unit_report) -> None:
    admin = unit_handler(unit_report.unit, is_unit_admin=True)
    answer = key_call(unit_report, admin, api_keys.UNIT_REPORTS_WRITE)
    assert_receipt(answer, "unitreport", unit_report.pk, admin)
    assert AuditEntry.objects.get(action="document.read").api_key is not None
    assert key_call(unit_report, admin, api_keys.UNIT_PEOPLE_READ).status_code == 403  # not its scope
    stranger = unit_handler(UnitFactory(), is_unit_admin=True)
    assert key_call(unit_report, stranger, api_keys.UNIT_REPORTS_WRITE).status_code == 404
    signed_out = Client().get(f"/api/v1/unit-reports/{unit_report.pk}/receipt")
    assert signed_out.status_code == 401 and "unit:reports:write" in signed_out["WWW-Authenticate"]


def test_an_institution_of_the_same_unit_sees_no_receipt(unit_report) -> None:
    user = UserFactory(role=Role.INSTITUTION, unit=unit_report.unit)
    assert_not_found(client_for(user).get(f"/api/v1/unit-reports/{unit_report.pk}/receipt"))


def test_a_removed_handler_gets_no_receipt_of_the_units_report(unit_report) -> None:
    """A handler the unit's administrator removed (``invitations.remove``): the session signed in before no
    longer reads the unit's reports."""
    handler = unit_report.filed_by
    admin = unit_handler(unit_report.unit, is_unit_admin=True)
    client = client_for(handler)
    url = f"/api/v1/unit-reports/{unit_report.pk}/receipt"
    assert_receipt(client.get(url), "unitreport", unit_report.pk, handler)
    invitations.remove(actor(admin), handler.pk)
    assert client.get(url).status_code == 401  # signed out by the removal
    assert AuditEntry.objects.filter(action="document.read").count() == 1


@pytest.mark.parametrize("kind", ["agency", "inviting"])
def test_a_handler_of_a_unit_that_files_no_art_26_reports_gets_no_receipt(unit_report, kind) -> None:
    """An agency or an inviting unit files no Art. 26 reports: its handler reads no unit's report, not even
    one on a person on its roster, nor its own unit's were its kind changed."""
    other = unit_handler(UnitFactory(kind=kind))
    AffiliationFactory(
        person=unit_report.person, unit=other.unit, started_on=beijing_today() - timedelta(days=9)
    )
    assert_not_found(client_for(other).get(f"/api/v1/unit-reports/{unit_report.pk}/receipt"))
    unit_report.unit.kind = kind
    unit_report.unit.save(update_fields=["kind"])
    assert_not_found(client_for(unit_report.filed_by).get(f"/api/v1/unit-reports/{unit_report.pk}/receipt"))


def test_the_key_of_a_removed_administrator_gets_no_receipt(unit_report) -> None:
    admin = unit_handler(unit_report.unit, is_unit_admin=True)
    other = unit_handler(unit_report.unit, is_unit_admin=True)
    key = api_keys.issue(
        Actor(admin), "HR system", [api_keys.UNIT_REPORTS_WRITE], clock.now() + timedelta(days=30)
    )
    headers = {"Authorization": f"Bearer {key.key}"}
    url = f"/api/v1/unit-reports/{unit_report.pk}/receipt"
    assert_receipt(Client().get(url, headers=headers), "unitreport", unit_report.pk, admin)
    invitations.remove(actor(other), admin.pk)
    assert Client().get(url, headers=headers).status_code == 401  # the key's owner left: ``refusal``
    assert AuditEntry.objects.filter(action="document.read").count() == 1
