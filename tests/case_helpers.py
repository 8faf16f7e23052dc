"""Driving a case through its life with the services, as the people of each role would."""

from __future__ import annotations

import re
import time
from datetime import date, datetime

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from exitentry.accounts import policy
from exitentry.accounts.audit import Actor
from exitentry.accounts.middleware import SEEN_KEY, idle_seconds
from exitentry.accounts.models import Role
from exitentry.appointments.opening import hall_changes
from exitentry.cases import services
from exitentry.cases.models import Case, Receipt
from exitentry.compliance import services as enforcement
from exitentry.documents.sample import sample_pdf
from exitentry.law import examples
from exitentry.law.calendar import BEIJING, beijing_today
from exitentry.law.catalog import catalog
from factories import (
    TODAY,
    PermitFactory,
    PersonFactory,
    TravelDocumentFactory,
    UnitFactory,
    UserFactory,
    actor,
    eligible_facts,
    officer,
)


def pdf(label: str, size: int = 0) -> SimpleUploadedFile:
    """A real one-page PDF whose bytes differ by label (padded to ``size`` bytes when asked)."""
    return SimpleUploadedFile(f"{label}.pdf", sample_pdf(label, size), "application/pdf")


def without_tokens(page: str) -> str:
    """The page without its random CSRF tokens, whose letters may spell any short code a test looks for."""
    return re.sub(r"[A-Za-z0-9]{64}", "", page)


# RFC 6238's test secret (hex of "12345678901234567890"): the authenticator of every hall-side test user.
TOTP_KEY = "3132333435363738393031323334353637383930"


def authenticator(user) -> TOTPDevice:
    """The user's confirmed TOTP device, with the known test key."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="authenticator", defaults={"key": TOTP_KEY, "confirmed": True}
    )
    return device


def current_code(user) -> str:
    """The six digits the user's authenticator app shows now."""
    device = authenticator(user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client: Client, user) -> Client:
    """``client`` signed in as ``user``, with the second factor given when the user needs one: the session
    holds the user's confirmed authenticator as django-otp's own ``login`` puts it there."""
    client.force_login(user)
    if policy.needs_second_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
        session[SEEN_KEY] = int(time.time())  # as the second step's own request leaves it
        session.set_expiry(idle_seconds())
        session.save()
    return client


def client_for(user, *, csrf: bool = False) -> Client:
    """A test client signed in as ``user`` (signed out for None), with the second factor if needed. With
    ``csrf`` it checks the CSRF token as for a browser, and holds one: its cookie is set, and
    ``client.csrf_token`` goes in ``X-CSRFToken``."""
    client = Client(enforce_csrf_checks=csrf)
    if user is not None:
        sign_in(client, user)
    if csrf:
        request = HttpRequest()
        client.csrf_token = get_token(request)
        client.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
    return client


def held_permit(procedure_id: str, person, facts: dict):
    work = catalog().procedure(procedure_id).casework
    if work.action == "issue":
        return None
    permit_type = (
        work.permit_type or facts.get("residence_permit_type", "")
        if work.permit == "residence-permit"
        else ""
    )
    return PermitFactory(person=person, kind=work.permit, permit_type=permit_type)


def approval_validity(case: Case, on: date | None = None) -> str:
    """A validity the approval may give on ``on`` (Beijing's today unless given)."""
    work = catalog().procedure(case.procedure_id).casework
    held = case.permit.permit_type if case.permit else None
    return examples.approval_validity(work, held, case.facts, case.person.birth_date, on or beijing_today())


def started(user, procedure_id: str, **kwargs) -> Case:
    facts = kwargs.pop("facts", None) or eligible_facts(procedure_id)
    person = kwargs.pop("person", None) or user.person
    # a proxy's or unit's first case for a person the test just made: as if it entered them
    kwargs.setdefault("entered", person != user.person and not person.cases.exists())
    permit = kwargs.pop("permit", None) or held_permit(procedure_id, person, facts)
    return services.start_case(
        actor(user), procedure_id=procedure_id, person=person, facts=facts, permit=permit, on=TODAY, **kwargs
    )


def submitted(user, procedure_id: str, **kwargs) -> Case:
    case = started(user, procedure_id, **kwargs)
    hall = services.hall_choices(catalog().procedure(procedure_id), case.facts)[0]
    return services.submit(actor(user), case, hall, on=TODAY)


def filer_of(procedure_id: str) -> tuple[object, dict]:
    """Who files ``procedure_id`` in life, and for whom (``submitted``'s keywords): the employer's handler
    for a new person where only the employer files it (``holding.filed_by_employer``), else an applicant
    for themself."""
    from exitentry.law.rules.holding import filed_by_employer
    from factories import PersonFactory, applicant, unit_handler

    if filed_by_employer(catalog().procedure(procedure_id)):
        return unit_handler(), {"person": PersonFactory()}
    return applicant(), {}


def filed_as_filed_in_life(procedure_id: str) -> tuple[object, Case]:
    """A case of ``procedure_id`` submitted by whoever files it (``filer_of``)."""
    user, whom = filer_of(procedure_id)
    return user, submitted(user, procedure_id, **whom)


def one_stop_submitted(**kwargs) -> Case:
    """A new one-stop case submitted by an employer's handler for a new employee: the employer files it
    (seed 002, 4. How to apply a), never the applicant."""
    from factories import PersonFactory, unit_handler

    return submitted(unit_handler(), "one-stop-work-permits", person=PersonFactory(), **kwargs)


# A one-stop procedure that came to ask the validity after cases were filed (``filed_before_a_fact_was_needed``)
COUNTER_PROCEDURE = "one-stop-work-permits-renewal"
COUNTER_HALL = "one-stop-counter"


def filed_before_a_fact_was_needed() -> Case:
    """A unit's one-stop extension submitted and pre-examined, its facts as they were saved before the
    procedure asked the validity."""
    unit_user = UserFactory(role=Role.UNIT, unit=UnitFactory())
    case = started(
        unit_user, COUNTER_PROCEDURE, person=PersonFactory(), facts=eligible_facts(COUNTER_PROCEDURE)
    )
    services.submit(actor(unit_user), case, COUNTER_HALL, on=TODAY)
    services.pre_examine(actor(officer(COUNTER_HALL)), case, on=TODAY)
    old = {k: v for k, v in case.facts.items() if k != "validity"}
    Case.objects.filter(pk=case.pk).update(facts=old)
    case.refresh_from_db()
    return case


def upload_everything(user, case: Case) -> None:
    for item in services.outstanding(case, TODAY):
        services.upload_material(actor(user), case, item.item.id, pdf(f"{case.pk}-{item.item.id}"), on=TODAY)


def hall_receives(clerk: Actor, case: Case, *, on: date | None = None, present: bool = True) -> Case:
    """The hall receives ``case``, the officer recording whether the applicant came in person (the
    service presumes nothing): in person unless ``present`` is False."""
    return services.receive(
        clerk,
        case,
        applicant_present=present,
        on=on,
        changes=hall_changes(case.hall_id, on or beijing_today()),
    )


def originals_seen(clerk: Actor, case: Case, *, on: date | None = None) -> None:
    """The officer marks seen the original of every received item the law core says the hall sees at
    intake (``services.originals_unseen``), as at the counter."""
    for item in services.originals_unseen(case, on or beijing_today()):
        for m in case.materials.filter(material_id=item.id):
            services.mark_material(clerk, m, defect=m.defect, original_seen=True)


def received_in_full(user, procedure_id: str = "pr-application") -> tuple[Case, Actor]:
    """A case the hall has received complete, its originals seen, not yet accepted, nothing paid; and the
    officer."""
    case = submitted(user, procedure_id)
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)
    upload_everything(user, case)
    originals_seen(clerk, case, on=TODAY)
    return case, clerk


def hall_accepts(clerk: Actor, case: Case, *, on: date | None = None) -> Receipt:
    """The hall accepts ``case`` after seeing the originals the law core requires and taking the part of the
    fee it says is paid at acceptance (by card)."""
    originals_seen(clerk, case, on=on)
    early = services.fee_of(case, on or beijing_today()).outstanding_at_acceptance
    if early:
        services.record_payment(clerk, case, early, "card", on=on)
    return services.accept(clerk, case, on=on, changes=hall_changes(case.hall_id, on or beijing_today()))


def accepted(user, procedure_id: str, **kwargs) -> tuple[Case, Actor]:
    """A case the hall received complete and accepted on ``TODAY``, and the officer who took it in."""
    case = submitted(user, procedure_id, **kwargs)
    clerk = actor(officer(case.hall_id))
    hall_receives(clerk, case, on=TODAY)
    upload_everything(user, case)
    hall_accepts(clerk, case, on=TODAY)
    return case, clerk


def with_enforcement_records(person, clerk) -> None:
    """One record of each kind on ``person``, recorded by ``clerk``: a detention never transferred, an order
    to leave met by an exit, a repatriation whose costs fall on an illegal employer, and a restriction
    with a report never made (all long past, so each status is the same whatever today is)."""
    TravelDocumentFactory(person=person, number="C01X00T47")
    by = actor(clerk)
    enforcement.detain(
        by, person, detained_at=datetime(2026, 3, 1, 10, 30, tzinfo=BEIJING), place="Chaoyang station"
    )
    order = enforcement.order_to_leave(by, person, ordered_on=date(2026, 1, 2), days=15)
    enforcement.record_exit(by, order, on=date(2026, 1, 10), port="PEK")
    enforcement.repatriate(
        by, person, decided_on=date(2026, 2, 1), no_entry_years=2, can_pay=False, illegally_employed=True,
        payer="Demo Restaurant",
    )  # fmt: skip
    enforcement.restrict(
        by, person, decided_on=date(2026, 3, 1), area="110105", residence="2 Test Road",
        report_times=[datetime(2026, 3, 2, 9, tzinfo=BEIJING)],
    )  # fmt: skip
