"""Factories for the database tests (factory-boy), and facts that make any procedure complete.

``eligible_facts`` asks the law core what each procedure still needs and tries candidate values in turn,
keeping the first that does not make the application ineligible: the fact sets come from the rules
themselves, so a new procedure in the catalog is covered without writing its facts here.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import factory

from exitentry.accounts.audit import Actor
from exitentry.accounts.models import HallAssignment, Role, Unit, User
from exitentry.law.advice import COMPLETE, INELIGIBLE, advise
from exitentry.law.catalog import catalog
from exitentry.registry.models import Permit, Person

TODAY = date(2026, 11, 2)  # a Monday with no holiday for 15 working days either side


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


def _candidates(fact, on: date) -> list[object]:
    if fact.type == "bool":
        return [False, True]
    if fact.type == "enum":
        return [o.value for o in fact.options]
    if fact.type == "duration":
        return ["P2Y", "P1Y", "P180D", "P90D", "P10Y", "P5Y"]
    if fact.type == "int":
        values = [v for v in (fact.minimum, 70, 85, 100, fact.maximum) if v is not None]
        return [
            v
            for v in values
            if (fact.minimum is None or v >= fact.minimum) and (fact.maximum is None or v <= fact.maximum)
        ]
    if fact.type == "date":
        if "birth" in fact.id:
            return [date(1985, 6, 1).isoformat()]
        return [(on - timedelta(days=20)).isoformat(), (on + timedelta(days=200)).isoformat()]
    raise AssertionError(fact.type)


@cache
def _eligible(procedure_id: str, on: date) -> tuple[tuple[str, object], ...]:
    facts: dict[str, object] = {}
    for _ in range(60):
        advice = advise(procedure_id, facts, on=on)
        if advice.status == COMPLETE:
            return tuple(facts.items())
        assert advice.missing, f"{procedure_id} is ineligible on {facts}"
        fact = advice.missing[0]
        for value in _candidates(fact, on):
            if advise(procedure_id, {**facts, fact.id: value}, on=on).status != INELIGIBLE:
                facts[fact.id] = value
                break
        else:
            raise AssertionError(f"no value of {fact.id} keeps {procedure_id} eligible")
    raise AssertionError(f"{procedure_id}: facts did not converge")


def eligible_facts(procedure_id: str, on: date = TODAY) -> dict[str, object]:
    """A fact set on which ``procedure_id`` is complete and eligible, found from the rules."""
    return dict(_eligible(procedure_id, on))


PROCEDURES = sorted(catalog().procedures)
