"""Shared by the unit portal's tests: a unit with an administrator, a handler and people on its roster in
every standing (expiring within 20, 45 and 80 days, in force for long, expired, void, left), and another
unit with its own; a user of every role."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from exitentry.accounts.models import Role, Unit
from exitentry.compliance.models import Alert, UnitReport
from exitentry.registry import services as registry
from exitentry.registry.models import Affiliation, Permit
from factories import TODAY, PermitFactory, PersonFactory, UnitFactory, UserFactory, applicant, officer


def on_roster(unit, surname: str, days_left: int | None, relation: str = "employee", **permit):
    """A person on ``unit``'s roster since a year ago, holding a work-type residence permit whose last day
    is ``days_left`` after TODAY (none for None)."""
    person = PersonFactory(surname=surname)
    Affiliation.objects.create(
        person=person, unit=unit, relation=relation, started_on=TODAY - timedelta(days=365)
    )
    if days_left is not None:
        permit.setdefault("issued_on", TODAY - timedelta(days=300))
        PermitFactory(person=person, valid_until=TODAY + timedelta(days=days_left), **permit)
    return person


class Roster:
    """A unit with an administrator, a handler and people in every standing; another unit with its own."""

    def __init__(self):
        self.unit = UnitFactory(name="Demo Tech", name_zh="示范科技")
        self.admin = UserFactory(role=Role.UNIT, unit=self.unit, is_unit_admin=True)
        self.handler = UserFactory(role=Role.UNIT, unit=self.unit)
        self.in_20 = on_roster(self.unit, "Twenty", 20)
        self.in_45 = on_roster(self.unit, "Fortyfive", 45)
        self.in_80 = on_roster(self.unit, "Eighty", 80, relation="employee")
        self.far = on_roster(self.unit, "Far", 400)
        self.expired = on_roster(self.unit, "Expired", -3)
        self.void = on_roster(self.unit, "Void", 100)
        registry.end_permit(
            self.void.permits.get(), Permit.Status.VOID, "void-damaged-lost-stolen-robbed", on=TODAY
        )
        self.left = on_roster(self.unit, "Left", 50)
        Affiliation.objects.filter(person=self.left).update(ended_on=TODAY - timedelta(days=1))
        self.other_unit = UnitFactory(kind=Unit.Kind.SCHOOL)
        self.other_handler = UserFactory(role=Role.UNIT, unit=self.other_unit, is_unit_admin=True)
        self.theirs = on_roster(self.other_unit, "Theirs", 20, relation="student", permit_type="study")

    def ours(self):
        return [self.in_20, self.in_45, self.in_80, self.far, self.expired, self.void]


ROLES = (
    "handler",
    "admin",
    "other_handler",
    "removed_handler",
    "our_institution",
    "applicant",
    "proxy",
    "officer",
    "supervisor",
    "institution",
    "administrator",
    "anonymous",
)


def user_of(roster: Roster, role: str):
    return {
        "handler": roster.handler,
        "admin": roster.admin,
        "other_handler": roster.other_handler,
        "applicant": applicant(),
        "proxy": UserFactory(role=Role.PROXY),
        "removed_handler": UserFactory(role=Role.UNIT, unit=roster.unit, is_active=False),
        "our_institution": UserFactory(role=Role.INSTITUTION, unit=roster.unit),  # the unit's desk account
        "officer": officer("reception-hall"),
        "supervisor": officer("reception-hall", role=Role.SUPERVISOR),
        "institution": UserFactory(role=Role.INSTITUTION),
        "administrator": UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
        "anonymous": None,
    }[role]


def reason_changed(permit: Permit, on: date, follow_up: Alert | None = None) -> UnitReport:
    """The holder's employer reports that they resigned on ``on`` (the change of the reason for residence
    Art. 34(3) is about), with the hall's follow-up alert when given."""
    unit = UnitFactory()
    place = Affiliation.objects.create(
        person=permit.person, unit=unit, relation="employee", started_on=on - timedelta(days=300), ended_on=on
    )
    return UnitReport.objects.create(
        unit=unit,
        person=permit.person,
        affiliation=place,
        event="employee-resigned",
        ground_id="report-employee-resigns-or-moves",
        happened_on=on,
        filed_by=UserFactory(role=Role.UNIT, unit=unit),
        filed_at=timezone.now(),
        number=f"BG2026{UnitReport.objects.count() + 1:07d}",
        source=UnitReport.Source.WEB,
        permit=permit,
        follow_up=follow_up,
    )
