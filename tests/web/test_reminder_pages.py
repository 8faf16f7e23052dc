"""The reminders in the app over HTTP: the panel on ``/my/``, the list, marking read; each account sees only
its own (the holder's, the unit handler's copy), another's is not found, and reading is audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import tests.compliance.test_reminders as world
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from case_helpers import client_for
from exitentry.accounts.models import AuditEntry, Role
from exitentry.cases.registry_facts import day_text
from exitentry.compliance.models import ChangeReport, Reminder
from exitentry.compliance.reminders import remind
from exitentry.law.rules import duties
from factories import PermitFactory, UnitFactory, UserFactory, applicant, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminded(django_capture_on_commit_callbacks):
    """A holder (zh-hans) and their employer's handler, reminded ahead of the extension's last day to apply;
    another applicant and another unit's handler, reminded of nothing."""
    unit = UnitFactory(name="Demo Tech", name_zh="示范科技")
    handler = UserFactory(role=Role.UNIT, unit=unit, email="hr@example.org")
    holder = applicant(person=world.worker_in_china(unit), email="anna@example.org", language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        remind(world.before(40))
    return {
        "holder": holder,
        "handler": handler,
        "other": applicant(),
        "other_unit": UserFactory(role=Role.UNIT, unit=UnitFactory()),
    }


def test_the_holder_sees_the_reminder_with_its_duty_day_and_citation_in_each_language(reminded) -> None:
    client = client_for(reminded["holder"])
    home = client.get("/en/my/").content.decode()
    assert "You have 1 unread reminder of a deadline." in home and 'href="/en/my/reminders/"' in home
    page = client.get("/en/my/reminders/").content.decode()
    due = day_text(world.before(30))
    assert f"Reminder: a last day on {due.en} (WEBER Anna)" in page
    assert (
        f"Apply to extend the residence permit at least 30 days before it expires. The last day is {due.en}."
        in page
    )
    assert "Exit and Entry Administration Law of the People&#x27;s Republic of China, Art. 32" in page
    assert "A copy for" not in page
    zh = client.get("/zh-hans/my/reminders/").content.decode()
    assert f"提醒：WEBER Anna有一项事务须于{due.zh}前办理" in zh
    assert "《中华人民共和国出境入境管理法》第三十二条" in zh
    assert "您有1条未读的期限提醒。" in client.get("/zh-hans/my/").content.decode()


def test_the_unit_handler_sees_the_units_copy_and_nobody_else_sees_anything(reminded) -> None:
    page = client_for(reminded["handler"]).get("/en/my/reminders/").content.decode()
    assert "A copy for Demo Tech: a reminder of a duty of WEBER Anna, who is with the unit." in page
    for who in ("other", "other_unit"):
        client = client_for(reminded[who])
        assert "No reminders yet." in client.get("/en/my/reminders/").content.decode()
        assert "No unread reminders." in client.get("/en/my/").content.decode()
        for reminder in Reminder.objects.all():
            assert client.post(f"/en/my/reminders/{reminder.pk}/read/").status_code == 404
    assert not Reminder.objects.filter(read_at__isnull=False).exists()


def test_the_hall_side_and_strangers_get_no_reminder_page(reminded) -> None:
    assert client_for(officer("reception-hall")).get("/en/my/reminders/").status_code == 403
    response = Client().get("/en/my/reminders/")
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_marking_read_is_ones_own_audited_and_empties_the_unread_count(reminded) -> None:
    holder = reminded["holder"]
    client = client_for(holder)
    client.get("/en/my/reminders/")
    mine = Reminder.objects.get(user=holder)
    listed = AuditEntry.objects.get(actor=holder, action="reminder.list")
    assert listed.new == {"reminders": [mine.pk]}
    response = client.post(f"/en/my/reminders/{mine.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/en/my/reminders/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert (
        AuditEntry.objects.filter(actor=holder, action="reminder.read", object_id=str(mine.pk)).count() == 1
    )
    assert "No unread reminders." in client.get("/en/my/").content.decode()
    assert Reminder.objects.get(user=reminded["handler"]).read_at is None  # the unit's copy is its own
    assert client.get(f"/en/my/reminders/{mine.pk}/read/").status_code == 405


def test_mark_all_as_read_marks_only_ones_own(reminded) -> None:
    client_for(reminded["handler"]).post("/en/my/reminders/read/")
    assert list(Reminder.objects.filter(read_at__isnull=True).values_list("user", flat=True)) == [
        reminded["holder"].pk
    ]


def test_the_list_costs_the_same_queries_for_one_reminder_or_many(
    reminded, django_assert_max_num_queries
) -> None:
    holder = reminded["holder"]
    client = client_for(holder)
    client.get("/en/my/reminders/")  # the session and the audit chain's head, once
    one = Reminder.objects.get(user=holder)
    with CaptureQueriesContext(connection) as few:
        client.get("/en/my/reminders/")
    for n in range(9):
        Reminder.objects.create(
            key=f"{one.key}:copy{n}",
            user=holder,
            person=one.person,
            kind=one.kind,
            ground_id=one.ground_id,
            cause_key=one.cause_key,
            source_id=one.source_id,
            section=one.section,
            due_on=one.due_on,
            created_on=one.created_on,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/en/my/reminders/")


def test_reminders_of_the_holders_own_reports_cost_the_same_queries_for_one_or_five(
    django_assert_num_queries,
) -> None:
    holder = applicant()
    permit = PermitFactory(person=holder.person, issued_on=date(2025, 12, 1), valid_until=date(2027, 12, 1))
    particulars = ["name", "sex", "birth_date", "duration", "reason"]

    def reminded_of(particular: str) -> None:
        """A reminder ahead of the duty a report of the holder's that ``particular`` changed starts."""
        changed = date(2026, 10, 20) + timedelta(days=len(particular))
        told = ChangeReport.objects.create(
            permit=permit, particular=particular, changed_on=changed, reported_on=changed,
            filed_by=holder, filed_at=timezone.now(), number=f"BD2026{ChangeReport.objects.count():07d}",
            source="web",
        )  # fmt: skip
        Reminder.objects.create(
            key=f"change:{told.pk}", user=holder, person=holder.person, kind="ahead",
            ground_id=duties.PARTICULARS_CHANGE, cause_key=f"permit:{permit.pk}:change:{told.pk}",
            source_id="exit-entry-law", section="Art. 33", due_on=changed + timedelta(days=10),
            created_on=changed,
        )  # fmt: skip

    client = client_for(holder)
    reminded_of(particulars[0])
    client.get("/en/my/reminders/")  # the session and the audit chain's head, once
    with CaptureQueriesContext(connection) as one:
        page = client.get("/en/my/reminders/").content.decode()
    assert "What changed: Name" in page
    for particular in particulars[1:]:
        reminded_of(particular)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get("/en/my/reminders/").content.decode()
    assert page.count('class="reminder ') == 5
    assert "What changed: Reason for residence" in page and "What changed: Date of birth" in page


def test_a_reminder_of_a_permits_duty_links_to_the_permit(reminded) -> None:
    permit = reminded["holder"].person.permits.get()
    client = client_for(reminded["holder"])
    for lang, says in (("en", "The permit and what to apply for"), ("zh-hans", "证件及可申请的事项")):
        page = client.get(f"/{lang}/my/reminders/").content.decode()
        assert f'<a href="/{lang}/my/permits/{permit.pk}/">{says}</a>' in page


def test_the_link_to_the_permit_follows_the_chinese_sentence_with_no_space(reminded) -> None:
    permit = reminded["holder"].person.permits.get()
    client = client_for(reminded["holder"])
    zh = client.get("/zh-hans/my/reminders/").content.decode()
    assert f'。<a href="/zh-hans/my/permits/{permit.pk}/">' in zh
    en = client.get("/en/my/reminders/").content.decode()
    assert f'. <a href="/en/my/permits/{permit.pk}/">' in en
