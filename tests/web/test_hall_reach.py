"""The hall side's reach into a person over time (``access.hall_people``, a project policy): an officer or
supervisor reads a person (the console's person, permit and enforcement pages; the API's person, permit
and enforcement records) while their halls have current work with them: a case at their halls not closed
or closed within 30 days, an alert of their halls' district open or closed within 30 days, an enforcement
record made by an officer of their halls, in force or closed (transferred, lifted, carried out, its last day
passed) within 30 days, a lookup by travel document that found the person, made by an
officer of their halls within 7 days. A case closed long ago stays readable as the hall's record, not the
person's records today; another hall reads none of it. Every read answered 200 is audited.

The expected answers, the 30 days and the 7 are written here, not read from the rule under test."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from case_helpers import client_for, submitted
from exitentry.accounts.models import AuditEntry, Role
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from exitentry.compliance.models import (
    ActivityRestriction,
    Alert,
    Detention,
    OrderToLeave,
    PersonLookup,
    Repatriation,
)
from exitentry.law.calendar import BEIJING
from factories import TODAY, PermitFactory, PersonFactory, applicant, officer

pytestmark = pytest.mark.django_db
GRACE = 30
LOOKUP_GRANT = 7
DAY = timedelta(days=1)
HALL, OTHER = "reception-hall", "shijingshan"  # a person with no case nor address is of HALL's district


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr("exitentry.cases.access.beijing_today", lambda: TODAY)
    monkeypatch.setattr("exitentry.web.case_pages.beijing_today", lambda: TODAY)


def person(someone=None):
    someone = someone or PersonFactory()
    PermitFactory(person=someone, kind="visa", permit_type="", valid_until=TODAY + 60 * DAY)
    return someone


def _case(closed_days_ago: int | None):
    def make():
        user = applicant()
        case = submitted(user, "rp-work")
        person(user.person)
        assert case.hall_id == HALL
        if closed_days_ago is not None:
            on = TODAY - closed_days_ago * DAY
            Case.objects.filter(pk=case.pk).update(state=State.COLLECTED, closed_on=on)
        return case.person

    return make


def _alert(closed_days_ago: int | None):
    def make():
        someone = person()
        closed = None if closed_days_ago is None else TODAY - closed_days_ago * DAY
        Alert.objects.create(
            person=someone,
            ground_id="overstay",
            cause_key="k",
            source_id="regulations",
            section="Art. 25",
            opened_on=TODAY - 100 * DAY,
            closed_on=closed,
        )
        return someone

    return make


def _order(last_day_ago: int):
    """An order to leave whose last day was ``last_day_ago`` days ago (negative: still running)."""

    def make():
        someone = person()
        last = TODAY - last_day_ago * DAY
        OrderToLeave.objects.create(
            person=someone, recorded_by=officer(HALL), ordered_on=last - 10 * DAY, days=10, last_day=last
        )
        return someone

    return make


def _detention(transferred_days_ago: int | None):
    def make():
        someone = person()
        detained = datetime.combine(TODAY - 400 * DAY, time(9), BEIJING)
        transferred = None
        if transferred_days_ago is not None:
            transferred = datetime.combine(TODAY - transferred_days_ago * DAY, time(23, 30), BEIJING)
        Detention.objects.create(
            person=someone,
            recorded_by=officer(HALL),
            detained_at=detained,
            place="Hall",
            transfer_due_at=detained + timedelta(hours=24),
            transferred_at=transferred,
            transferred_to="Centre" if transferred else "",
        )
        return someone

    return make


def _restriction(lifted_days_ago: int | None):
    def make():
        someone = person()
        lifted = None if lifted_days_ago is None else TODAY - lifted_days_ago * DAY
        ActivityRestriction.objects.create(
            person=someone,
            recorded_by=officer(HALL),
            decided_on=TODAY - 400 * DAY,
            area="110105",
            residence="somewhere",
            lifted_on=lifted,
        )
        return someone

    return make


def _repatriation(repatriated_days_ago: int | None):
    def make():
        someone = person()
        done = None if repatriated_days_ago is None else TODAY - repatriated_days_ago * DAY
        Repatriation.objects.create(
            person=someone,
            recorded_by=officer(HALL),
            decided_on=TODAY - 400 * DAY,
            no_entry_years=1,
            can_pay=True,
            illegally_employed=False,
            repatriated_on=done,
            no_entry_until=None if done is None else done + 365 * DAY,
        )
        return someone

    return make


def _lookup(days_ago: int):
    def make():
        someone = person()
        PersonLookup.objects.create(
            made_by=officer(HALL),
            made_on=TODAY - days_ago * DAY,
            number="X1",
            issuing_country="DEU",
            reason=PersonLookup.Reason.STREET_CHECK,
            person=someone,
        )
        return someone

    return make


def _nothing():
    return person()  # of HALL's district, with no case, alert or record


# situation -> (how the person is made, whether HALL's staff read them; OTHER's staff never do)
SITUATIONS = {
    "open case": (_case(None), True),
    "case collected 30 days ago": (_case(GRACE), True),
    "case collected 31 days ago": (_case(GRACE + 1), False),
    "case collected a year ago": (_case(400), False),
    "open alert": (_alert(None), True),
    "alert closed 30 days ago": (_alert(GRACE), True),
    "alert closed 31 days ago": (_alert(GRACE + 1), False),
    "order to leave of the hall, running": (_order(-5), True),
    "order to leave, last day 30 days ago": (_order(GRACE), True),
    "order to leave, last day 31 days ago": (_order(GRACE + 1), False),
    "detention, not transferred yet": (_detention(None), True),
    "detention, transferred 30 days ago": (_detention(GRACE), True),
    "detention, transferred 31 days ago": (_detention(GRACE + 1), False),
    "restriction in force": (_restriction(None), True),
    "restriction lifted 31 days ago": (_restriction(GRACE + 1), False),
    "repatriation decided, not carried out": (_repatriation(None), True),
    "repatriation carried out 31 days ago": (_repatriation(GRACE + 1), False),
    "found by the hall's lookup 7 days ago": (_lookup(LOOKUP_GRANT), True),
    "found by the hall's lookup 8 days ago": (_lookup(LOOKUP_GRANT + 1), False),
    "of the district, nothing else": (_nothing, False),
}
MATRIX = [
    (role, halls, situation)
    for role in (Role.OFFICER, Role.SUPERVISOR)
    for halls in ("own", "other")
    for situation in SITUATIONS
]


@pytest.mark.parametrize(("role", "halls", "situation"), MATRIX)
def test_the_hall_reads_a_person_only_while_it_has_work_with_them(role, halls, situation) -> None:
    make, reads = SITUATIONS[situation]
    someone = make()
    permit = someone.permits.get()
    user = officer(HALL if halls == "own" else OTHER, role=role)
    reads = reads and halls == "own"
    browser = client_for(user)
    expected = 200 if reads else 404
    where = f"{role}, {halls} halls, {situation}"
    paths = [
        f"/en/console/people/{someone.pk}/",
        f"/en/console/permits/{permit.pk}/",
        f"/en/console/people/{someone.pk}/enforcement/",
        f"/api/v1/people/{someone.pk}",
        f"/api/v1/permits/{permit.pk}",
        f"/api/v1/people/{someone.pk}/enforcement",
    ]
    for path in paths:
        before = AuditEntry.objects.filter(actor=user).count()
        assert browser.get(path).status_code == expected, f"{where}: {path}"
        assert AuditEntry.objects.filter(actor=user).count() > before or not reads, f"{where}: {path} audited"
    ground = '{"ground_id": "no-such-ground"}'  # refused once found: nothing is ended
    voided = browser.post(f"/api/v1/permits/{permit.pk}/void", ground, content_type="application/json")
    assert voided.status_code == (422 if reads else 404), where
    for alert in Alert.objects.filter(
        person=someone
    ):  # a refused action shows the person's page: not past reach
        acted = browser.post(f"/en/console/alerts/{alert.pk}/act/", {"kind": ""})
        assert acted.status_code == (422 if reads else 404), f"{where}: an action on alert {alert.pk}"
    for case in Case.objects.filter(person=someone):  # the hall's own case files stay its records
        page = browser.get(f"/en/console/cases/{case.pk}/")
        assert page.status_code == (200 if halls == "own" else 404)
        assert (f"/en/console/people/{someone.pk}/" in page.content.decode()) == reads, where
        assert browser.get(f"/api/v1/cases/{case.pk}").status_code == (200 if halls == "own" else 404)


def test_the_alerts_list_links_a_person_only_while_the_hall_reads_them() -> None:
    """An alert closed long ago stays on the list as the hall's record; its person's page is linked only
    while it opens (no link that answers 404)."""
    recent, old = _alert(GRACE)(), _alert(GRACE + 1)()
    page = client_for(officer(HALL)).get("/en/console/alerts/?status=closed").content.decode()
    assert str(recent) in page and str(old) in page
    assert f"/en/console/people/{recent.pk}/" in page
    assert f"/en/console/people/{old.pk}/" not in page
