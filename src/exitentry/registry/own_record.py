"""An applicant who signed up themself enters their own registry record (``accounts.registration``): made
by the person form, linked to their account, self-declared; the hall checks the passport against the
original at intake."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import Role, User
from exitentry.accounts.registration import Refused
from exitentry.law.text import Text
from exitentry.registry.models import Person

HAS_RECORD = Text(
    "Your account already has its registry record: your details are changed at the hall.",
    "您的账户已有登记信息：如需更改，请到出入境大厅办理。",
)


def own_record(actor: Actor, make: Callable[[], Person]) -> Person:
    """The applicant's own registry record, made by ``make()`` (the person form's save) and linked to
    their account, in one transaction with its audit entry; refused (409) to an account that has one."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.user.pk)
        if user.role != Role.APPLICANT or user.person_id is not None:
            raise Refused(HAS_RECORD, status=409)
        person = make()
        user.person = person
        user.save(update_fields=["person"])
        person.travel_documents.update(own_declaration=True)
        passports = list(person.travel_documents.values_list("issuing_country", flat=True))
        record(actor, "person.create.own", "person", person.pk, new={"user": user.pk, "passports": passports})
    actor.user.person = person
    return person
