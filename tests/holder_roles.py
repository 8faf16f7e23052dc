"""The people around a permit's holder, by their situation towards the holder: who reports a change of the
holder's particulars and who reads the reports and their receipts (the API tests of both)."""

from __future__ import annotations

from datetime import timedelta

from exitentry.accounts.models import Role
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from exitentry.compliance.models import Alert
from exitentry.law.calendar import beijing_today
from factories import AffiliationFactory, UnitFactory, UserFactory, applicant, officer, unit_handler


def case_for(person, user, state=State.SUBMITTED) -> Case:
    return Case.objects.create(
        reference=f"BJ2026{80000000 + Case.objects.count():08d}",
        procedure_id="rp-work",
        person=person,
        submitted_by=user,
        unit=user.unit,
        acting_as="proxy",
        hall_id="reception-hall",
        state=state,
        submitted_on=beijing_today() - timedelta(days=2),
    )


def who(role: str, person):
    """A user of ``role`` and situation towards ``person``."""
    if role == "holder":
        return applicant(person=person)
    if role == "another applicant":
        return applicant()
    if role in ("proxy with a case", "proxy without"):
        user = UserFactory(role=Role.PROXY, unit=UnitFactory(kind="agency"))
        if role == "proxy with a case":
            case_for(person, user)
        return user
    if role == "unit with the person on its roster":
        user = unit_handler()
        AffiliationFactory(person=person, unit=user.unit, started_on=beijing_today() - timedelta(days=90))
        return user
    if role == "unit without":
        return unit_handler()
    if role in ("officer of the district", "supervisor of the district"):
        Alert.objects.create(
            person=person,
            ground_id="follow-up-reason-for-residence-changed",
            cause_key="report:1",
            source_id="regulations",
            section="Art. 34(3)",
            opened_on=beijing_today(),
        )
        return officer("reception-hall", role=Role.SUPERVISOR if "supervisor" in role else Role.OFFICER)
    if role == "officer elsewhere":
        return officer("shijingshan")
    if role == "institution":
        return UserFactory(role=Role.INSTITUTION, unit=UnitFactory(kind="bank"))
    return UserFactory(role=Role.ADMINISTRATOR, is_staff=True)
