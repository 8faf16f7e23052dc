"""Reminders on hand-made records: a residence permit's extension reminded ahead of its last day to apply
and once it has passed, to the holder and to the unit's handler, each once, in each one's language, by
e-mail and SMS through the outbox, retried when the mail server fails; the command and the task."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command

from exitentry.accounts.audit import Actor
from exitentry.accounts.models import Role
from exitentry.cases.models import Case, Receipt
from exitentry.cases.registry_facts import day_text
from exitentry.compliance import tasks
from exitentry.compliance.coming_due import LEAD_CALENDAR_DAYS
from exitentry.compliance.models import Reminder
from exitentry.compliance.reminders import remind
from exitentry.compliance.scan import scan
from exitentry.compliance.units import units_on
from exitentry.law.rules import duties
from exitentry.messaging.models import Message
from exitentry.registry import roster
from exitentry.registry import services as registry
from exitentry.registry.models import Affiliation, EntryExit, Person
from factories import PersonFactory, TravelDocumentFactory, UnitFactory, UserFactory, VisaFactory, applicant
from worker_helpers import drain

pytestmark = pytest.mark.django_db
EXPIRES = date(2026, 9, 30)  # the permit's last day; the last day to apply to extend it is 30 days before


def before(days: int) -> date:
    return EXPIRES - timedelta(days=days)


@pytest.fixture
def unit():
    return UnitFactory(name="Demo Tech", name_zh="示范科技")


@pytest.fixture
def handler(unit):
    return UserFactory(role=Role.UNIT, unit=unit, email="hr@example.org", language="en")


def worker_in_china(unit, *, expires: date = EXPIRES, permit_type: str = "work") -> Person:
    """A person who entered on a Z visa and holds a residence permit to ``expires``, issued on a case the
    unit filed."""
    person = PersonFactory(surname="Weber", given_names="Anna")
    doc = TravelDocumentFactory(person=person)
    VisaFactory(travel_document=doc, valid_until=date(2026, 3, 31))
    EntryExit.objects.create(
        person=person, direction="entry", on=date(2026, 1, 10), port="PEK", travel_document=doc
    )
    filer = (unit.handlers.first() or UserFactory(role=Role.UNIT, unit=unit)) if unit else UserFactory()
    case = Case.objects.create(
        procedure_id="rp-work",
        person=person,
        submitted_by=filer,
        acting_as="unit" if unit else "self",
        unit=unit,
    )
    permit = registry.issue_permit(
        person,
        "residence-permit",
        number=f"R{person.pk:08d}",
        issued_on=date(2026, 2, 1),
        valid_until=expires,
        permit_type=permit_type,
        case=case,
    )
    roster.join_on_issue(Actor(None), unit, permit, permit.issued_on)  # as the case's issue does
    return person


def run(on: date, capture) -> None:
    scan(on)
    with capture(execute=True):
        remind(on)
    drain()


def reminders() -> list[tuple[str, str, str]]:
    return sorted(Reminder.objects.values_list("user__username", "kind", "due_on"))


def test_the_extension_is_reminded_ahead_once_and_again_once_its_last_day_to_apply_has_passed(
    unit, handler, django_capture_on_commit_callbacks
) -> None:
    assert LEAD_CALENDAR_DAYS[duties.EXTENSION] >= 40 - 30  # 40 days before the permit ends is in the lead
    person = worker_in_china(unit)
    own = applicant(person=person, email="anna@example.org", language="zh-hans", phone="+8613800000001")
    last_day_to_apply = duties.extension_due(EXPIRES, before(40))
    assert last_day_to_apply == before(30)

    run(
        before(30) - timedelta(days=LEAD_CALENDAR_DAYS[duties.EXTENSION] + 1),
        django_capture_on_commit_callbacks,
    )
    assert reminders() == [] and mail.outbox == []

    run(before(40), django_capture_on_commit_callbacks)
    ahead = [(handler.username, "ahead", last_day_to_apply), (own.username, "ahead", last_day_to_apply)]
    assert reminders() == sorted(ahead)
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "hr@example.org"]
    assert Message.objects.filter(channel="sms", address="+8613800000001", state="sent").count() == 1

    for days in (40, 31, 30):  # the same day again, the next days: nothing new
        run(before(days), django_capture_on_commit_callbacks)
        assert reminders() == sorted(ahead)
    assert len(mail.outbox) == 2 and Message.objects.count() == 3

    run(before(29), django_capture_on_commit_callbacks)
    overdue = [(handler.username, "overdue", last_day_to_apply), (own.username, "overdue", last_day_to_apply)]
    assert reminders() == sorted(ahead + overdue)
    assert len(mail.outbox) == 4 and Message.objects.filter(state="sent").count() == 6
    run(before(29), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 4 and Message.objects.count() == 6


def test_each_message_is_in_its_recipients_language_and_cites_the_guide(
    unit, handler, django_capture_on_commit_callbacks
) -> None:
    person = worker_in_china(unit)
    applicant(person=person, email="anna@example.org", language="zh-hans")
    run(before(29), django_capture_on_commit_callbacks)
    by = {m.to[0]: m for m in mail.outbox}
    zh, en = by["anna@example.org"], by["hr@example.org"]
    assert zh.subject == f"逾期提醒：WEBER Anna的办理期限已于{day_text(before(30)).zh}届满"
    assert "居留证件有效期届满30日前提出申请" in zh.body
    assert "依据：《中华人民共和国出境入境管理法》第三十二条" in zh.body
    assert "/zh-hans/my/reminders/" in zh.body
    assert en.subject == f"Overdue: the last day was {day_text(before(30)).en} (WEBER Anna)"
    assert "A copy for Demo Tech: a reminder of a duty of WEBER Anna" in en.body
    assert "Apply to extend the residence permit at least 30 days before it expires." in en.body
    assert "Source: Exit and Entry Administration Law of the People's Republic of China, Art. 32" in en.body
    assert "/en/my/reminders/" in en.body


def test_a_holder_with_no_language_of_their_own_is_reminded_in_that_of_the_unit_acting_for_them(
    unit, handler, django_capture_on_commit_callbacks
) -> None:
    """The chain: the person's account's language, else that of the unit acting for them (its handler's
    account), else Chinese."""
    person = worker_in_china(unit)
    applicant(person=person, email="anna@example.org", language="")
    run(before(29), django_capture_on_commit_callbacks)
    by = {m.to[0]: m for m in mail.outbox}
    assert by["anna@example.org"].subject.startswith("Overdue: the last day was")


def test_a_failing_mail_server_is_tried_again_and_the_row_shows_it(
    settings, django_capture_on_commit_callbacks
) -> None:
    settings.EXITENTRY_TASK_BACKOFF = 0
    person = worker_in_china(None)
    applicant(person=person, email="anna@example.org", language="en")
    with mock.patch("exitentry.messaging.channels.EmailMessage.send", side_effect=[OSError("refused"), 1]):
        run(before(40), django_capture_on_commit_callbacks)
    message = Message.objects.get()
    assert (message.state, message.attempts, message.last_error) == ("sent", 2, "")
    assert message.event_key == f"reminder:{Reminder.objects.get().key}:email"


def test_a_mail_server_failing_for_good_leaves_the_reminder_and_its_failed_message(
    settings, django_capture_on_commit_callbacks
) -> None:
    settings.EXITENTRY_TASK_BACKOFF, settings.EXITENTRY_TASK_ATTEMPTS = 0, 2
    person = worker_in_china(None)
    applicant(person=person, email="anna@example.org", language="en")
    with mock.patch("exitentry.messaging.channels.EmailMessage.send", side_effect=OSError("refused")):
        run(before(40), django_capture_on_commit_callbacks)
        run(before(40), django_capture_on_commit_callbacks)  # the next run does not send it again
    message = Message.objects.get()
    assert (message.state, message.attempts, message.last_error) == ("failed", 2, "OSError: refused")
    assert Reminder.objects.count() == 1


def test_the_units_a_person_is_with_are_those_on_whose_roster_they_have_a_place_on_the_day(unit) -> None:
    worker = worker_in_china(unit)
    family = worker_in_china(unit, permit_type="family-reunion")  # filed by the unit, but no work permit
    on_own = worker_in_china(None)
    through_an_agency = worker_in_china(UnitFactory(kind="agency"))
    school = UnitFactory(kind="school")
    left = PersonFactory()
    Affiliation.objects.create(
        person=left, unit=school, relation="student", started_on=date(2025, 9, 1), ended_on=date(2026, 5, 31)
    )
    leaving = PersonFactory()
    Affiliation.objects.create(
        person=leaving,
        unit=school,
        relation="student",
        started_on=date(2025, 9, 1),
        ended_on=date(2026, 6, 1),
    )
    Affiliation.objects.create(person=leaving, unit=unit, relation="employee", started_on=date(2026, 6, 1))
    not_yet = PersonFactory()
    Affiliation.objects.create(person=not_yet, unit=unit, relation="employee", started_on=date(2026, 6, 2))
    people = [worker, family, on_own, through_an_agency, left, leaving, not_yet]
    found = units_on([p.pk for p in people], date(2026, 6, 1))
    assert found == {worker.pk: {unit.pk}, leaving.pk: {unit.pk, school.pk}}


def test_the_receipt_of_the_case_that_issued_the_permit_does_not_count_as_applying_to_extend_it(
    unit, handler, django_capture_on_commit_callbacks
) -> None:
    person = worker_in_china(unit)
    case = Case.objects.get(person=person)
    Receipt.objects.create(case=case, number="S1", issued_on=date(2026, 1, 20), issued_by=handler)
    Case.objects.filter(pk=case.pk).update(state="issued", permit=person.permits.get())
    run(before(40), django_capture_on_commit_callbacks)
    assert reminders() == [(handler.username, "ahead", before(30))]
    Case.objects.filter(pk=case.pk).update(state="accepted")  # an application still pending on it
    Reminder.objects.all().delete()
    run(before(40), django_capture_on_commit_callbacks)
    assert reminders() == []


def test_someone_with_no_account_is_reminded_only_through_the_unit(
    unit, handler, django_capture_on_commit_callbacks
) -> None:
    worker_in_china(unit)
    run(before(40), django_capture_on_commit_callbacks)
    assert reminders() == [(handler.username, "ahead", before(30))]


def test_the_command_says_what_it_made_and_the_task_makes_nothing_more(
    unit, handler, django_capture_on_commit_callbacks
) -> None:
    worker_in_china(unit)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("compliance_remind", on=before(40), stdout=out)
    assert out.getvalue().strip() == (
        f"compliance reminders of {before(40).isoformat()}: made 1 ahead; messages queued 1 email; 0 made before"
    )
    result = tasks.daily_reminders.call(before(40).isoformat())
    assert result == {"on": before(40).isoformat(), "made": {}, "messages": {}, "already": 1}


def ahead(ground_id: str, cause: str, section: str, due_on: date, created_on: date) -> Reminder:
    """A reminder ahead of a duty of the Exit and Entry Administration Law, to a new applicant."""
    user = applicant()
    return Reminder.objects.create(
        key=f"test:{ground_id}:{cause}:{due_on}",
        user=user,
        person=user.person,
        kind=Reminder.Kind.AHEAD,
        ground_id=ground_id,
        cause_key=cause,
        source_id="exit-entry-law",
        section=section,
        due_on=due_on,
        created_on=created_on,
    )


@pytest.mark.parametrize(
    ("cause", "en", "zh"),
    [
        ("permit:1:document:64", "What changed: Passport number", "变更事项：护照号码"),
        ("permit:1:report:9", "What changed: Reason for residence", "变更事项：居留事由"),
    ],
)
def test_a_change_of_particulars_reminder_names_what_changed(cause, en, zh) -> None:
    from exitentry.compliance.reminders import said

    reminder = ahead(duties.PARTICULARS_CHANGE, cause, "Art. 33", date(2026, 12, 10), date(2026, 12, 1))
    line = said(reminder).line
    assert en in line.en and zh in line.zh
    assert "The last day is" in line.en


@pytest.mark.parametrize(
    ("due_on", "en", "zh"),
    [
        (
            date(2026, 10, 1),
            "The last day is 1 October 2026. The halls are closed that day: the last day a hall is open "
            "before it is 30 September 2026.",
            "最后期限为2026年10月1日。当日各出入境大厅均不办公：此前最后一个办公日为2026年9月30日。",
        ),
        (date(2026, 9, 29), "The last day is 29 September 2026.", "最后期限为2026年9月29日。"),
    ],
)
def test_a_reminder_due_when_every_hall_is_closed_gives_the_last_day_one_opens(due_on, en, zh) -> None:
    from exitentry.compliance.reminders import said

    reminder = ahead(duties.EXTENSION, "permit:1", "Art. 32", due_on, date(2026, 9, 20))
    assert (said(reminder).when.en, said(reminder).when.zh) == (en, zh)
