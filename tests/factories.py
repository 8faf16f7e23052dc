"""Factories for the database tests (factory-boy), and facts that make any procedure complete."""

from __future__ import annotations

from datetime import date

import factory

from exitentry.accounts.audit import Actor
from exitentry.accounts.models import HallAssignment, Role, Unit, User
from exitentry.law import examples
from exitentry.law.catalog import catalog
from exitentry.registry.models import Affiliation, Permit, Person, TravelDocument, Visa

TODAY = date(2026, 11, 2)  # a Monday with no holiday for 15 working days either side


def hall_day(day: date | None = None) -> date:
    """The last day on or before ``day`` (Beijing's today) the reception hall opens: its counter takes
    nothing on a closed day (``services.intake.at_the_counter``), so a test on the real today uses this."""
    from exitentry.law.calendar import beijing_today
    from exitentry.law.halls import last_opening_day

    return last_opening_day(catalog().halls["reception-hall"], day or beijing_today())


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Unit {n}")
    kind = Unit.Kind.EMPLOYER
    credit_code = factory.Sequence(lambda n: f"91110000{n:010d}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    surname = factory.Sequence(lambda n: f"Surname{n}")
    given_names = "Alex"
    sex = Person.Sex.FEMALE
    birth_date = date(1985, 6, 1)
    nationality = "DEU"


class TravelDocumentFactory(factory.django.DjangoModelFactory):
    """A German passport in force from 2020 to 2030; give ``person`` (and the dates a test counts from)."""

    class Meta:
        model = TravelDocument

    person = factory.SubFactory(PersonFactory)
    number = factory.Sequence(lambda n: f"T{n:08d}")
    issuing_country = "DEU"
    issued_on = date(2020, 1, 1)
    expires_on = date(2030, 1, 1)


class VisaFactory(factory.django.DjangoModelFactory):
    """A single-entry Z visa in force through 2026, with no stay of its own but a residence permit to apply
    for within 30 days of entry, in ``travel_document`` (a new passport unless given; its holder is the
    visa's); give the category, stay and dates a test counts from."""

    class Meta:
        model = Visa

    travel_document = factory.SubFactory(TravelDocumentFactory)
    person = factory.SelfAttribute("travel_document.person")
    number = factory.Sequence(lambda n: f"V{n:08d}")
    category = "Z"
    entries = 1
    duration_of_stay_days = 0
    valid_from = date(2026, 1, 1)
    valid_until = date(2026, 12, 31)
    residence_permit_within_days = 30


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.APPLICANT
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def halls(self, create, extracted, **kwargs):
        for hall_id in extracted or ():
            HallAssignment.objects.create(user=self, hall_id=hall_id)
        if create:
            self.save()


def applicant(**kwargs) -> User:
    return UserFactory(role=Role.APPLICANT, person=kwargs.pop("person", None) or PersonFactory(), **kwargs)


def officer(*halls: str, role: str = Role.OFFICER) -> User:
    return UserFactory(role=role, halls=list(halls) or ["reception-hall"])


def actor(user: User) -> Actor:
    return Actor(user, "127.0.0.1")


class PermitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Permit

    person = factory.SubFactory(PersonFactory)
    kind = "residence-permit"
    permit_type = "work"
    number = factory.Sequence(lambda n: f"P{n:09d}")
    issued_on = date(2025, 12, 1)
    valid_until = date(2026, 12, 1)


class AffiliationFactory(factory.django.DjangoModelFactory):
    """A person's place on a unit's roster (an employee of an employer, unless told otherwise)."""

    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(UnitFactory)
    relation = Affiliation.Relation.EMPLOYEE
    started_on = date(2024, 9, 1)


def unit_handler(unit: Unit | None = None, **kwargs) -> User:
    return UserFactory(role=Role.UNIT, unit=unit or UnitFactory(), **kwargs)


# A parent born in 1960 visiting a child working in Beijing on an S1 visa, applying for a two-year rp-personal-affairs permit.
FAMILY_VISIT = {
    "household_registration_in_china": False,
    "ground": "family",
    "family_relation": "parent",
    "birth_date": "1960-05-01",
    "validity": "P2Y",
    "visa_category": "S1",
    "visa_requires_residence_permit": True,
    "limited_mobility": False,
    "high_level_talent": False,
    "first_application_in_china": False,
    "documents_in_other_language": False,
    "documents_issued_abroad": True,
}


def eligible_facts(procedure_id: str, on: date = TODAY) -> dict[str, object]:
    """A fact set on which ``procedure_id`` is complete and eligible (``law.examples``)."""
    return examples.eligible_facts(procedure_id, on)


PROCEDURES = sorted(catalog().procedures)
