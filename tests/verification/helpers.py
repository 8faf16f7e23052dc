"""People, codes and institution desks for the status-check tests."""

from __future__ import annotations

from datetime import date

from exitentry.accounts.models import Role, Unit
from exitentry.verification import sharecodes
from factories import PermitFactory, TravelDocumentFactory, UnitFactory, UserFactory, actor, applicant

BIRTH = date(1985, 6, 1)  # PersonFactory's


def holder(**permit):
    """An applicant with a passport and a work-type residence permit (or the permit given)."""
    user = applicant()
    TravelDocumentFactory(person=user.person)
    PermitFactory(person=user.person, **({"valid_until": date(2099, 12, 1)} | permit))
    return user


def desk(kind: str = Unit.Kind.BANK):
    """An institution's verification account, at a unit of ``kind``."""
    return UserFactory(role=Role.INSTITUTION, unit=UnitFactory(kind=kind))


def code_for(user, purpose: str = "bank", duration: str = "1d") -> tuple[object, str]:
    return sharecodes.make(actor(user), purpose, duration)
