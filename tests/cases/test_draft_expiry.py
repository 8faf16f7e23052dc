"""Drafts expire (a project policy): a draft untouched for 60 days is closed as expired by the daily task,
the filer and the applicant are reminded a week before and told when it expires (once each, in their
language), the filer's mandate over the person then ends after the 30 days' grace, and the pages and the
API show the draft as expired in both languages. The 60, 7 and 30 days are written here on purpose, not read
from the code under test."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string

from case_helpers import client_for, started, upload_everything
from exitentry.accounts.audit import verify
from exitentry.accounts.models import AuditEntry, Role
from exitentry.background import schedule
from exitentry.cases import access, expiry, services
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case, CaseEvent
from exitentry.law.calendar import BEIJING, beijing_today
from exitentry.messaging.models import Message
from factories import TODAY, PersonFactory, UnitFactory, UserFactory, actor, applicant, eligible_facts

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)
EXPIRY, AHEAD, GRACE = 60, 7, 30


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr("exitentry.cases.access.beijing_today", lambda: TODAY)
    monkeypatch.setattr("exitentry.cases.services.drafts.beijing_today", lambda: TODAY)
    monkeypatch.setattr("exitentry.web.case_pages.beijing_today", lambda: TODAY)
    monkeypatch.setattr("exitentry.api.cases.reading.beijing_today", lambda: TODAY)


def touched(case: Case, day: date) -> Case:
    """As if ``case`` was last changed on ``day`` (at 23:30 Beijing time, late in the day)."""
    Case.objects.filter(pk=case.pk).update(touched_at=datetime.combine(day, time(23, 30), BEIJING))
    case.refresh_from_db()
    return case


def proxy_draft(language: str = "en") -> tuple[Case, object, object]:
    """A proxy's draft for a person who has an account of their own; the proxy, the person's account."""
    filer = UserFactory(
        role=Role.PROXY, unit=UnitFactory(kind="agency"), email="agency@example.com", language=language
    )
    person = PersonFactory()
    own = applicant(person=person, email="self@example.com", language="zh-hans")
    return touched(started(filer, "rp-work", person=person), TODAY), filer, own


def reminded_for(day: date) -> None:
    """The daily run a week before ``day``: it reminds of the drafts expiring by then (none closes sooner
    than a week after its reminder)."""
    expiry.run(day - AHEAD * DAY)


def messages(case: Case) -> list[tuple[str, int, str]]:
    return sorted(
        (m.event_key.split(":")[0], m.user_id, m.language)
        for m in Message.objects.filter(event_key__contains=f":{case.pk}:")
    )


def test_a_draft_untouched_for_60_days_is_closed_as_expired_once_with_its_reason() -> None:
    case, filer, _ = proxy_draft()
    reminded_for(TODAY + EXPIRY * DAY)
    assert expiry.run(TODAY + (EXPIRY - 1) * DAY).expired == 0
    assert Case.objects.get(pk=case.pk).state == State.DRAFT
    day = TODAY + EXPIRY * DAY
    assert expiry.run(day).expired == 1
    assert expiry.run(day).expired == 0 and expiry.run(day + DAY).expired == 0  # twice: nothing twice
    case.refresh_from_db()
    assert (case.state, case.closed_on) == (State.EXPIRED, day)
    [event] = CaseEvent.objects.filter(case=case, action="expire")
    assert (event.from_state, event.to_state, event.actor_id) == (State.DRAFT, State.EXPIRED, None)
    assert "untouched" in event.note
    [entry] = AuditEntry.objects.filter(action="case.expire", object_id=str(case.pk))
    assert entry.actor_id is None and entry.actor_name == "system"
    assert (
        entry.new["state"] == State.EXPIRED
        and "untouched" in entry.new["reason"]
        and entry.new["days"] == EXPIRY
    )
    with pytest.raises(Exception):  # noqa: B017, PT011 - closed: no step of the applicant's side moves it
        services.submit(actor(filer), case, "reception-hall", on=day)


def test_the_filer_and_the_applicant_are_reminded_a_week_before_and_told_once_in_their_language() -> None:
    case, filer, own = proxy_draft(language="en")
    expiry.run(TODAY + (EXPIRY - AHEAD - 1) * DAY)
    assert messages(case) == []
    for offset in (EXPIRY - AHEAD, EXPIRY - AHEAD, EXPIRY - 3):  # the same draft and date: once
        expiry.run(TODAY + offset * DAY)
    assert messages(case) == sorted(
        [("draft-reminder", filer.pk, "en"), ("draft-reminder", own.pk, "zh-hans")]
    )
    to_filer = Message.objects.get(event_key__startswith="draft-reminder", user=filer)
    expires = TODAY + EXPIRY * DAY
    assert (
        f"{expires.day} {expires:%B} {expires.year}" in to_filer.body
        and f"/en/my/{case.pk}/" in to_filer.body
    )
    to_them = Message.objects.get(event_key__startswith="draft-reminder", user=own)
    assert f"{expires.year}年{expires.month}月{expires.day}日" in to_them.body and "过期" in to_them.subject
    expiry.run(expires)
    expiry.run(expires)
    assert [k for k, _, _ in messages(case)].count("draft-expired") == 2  # one each, once


def test_the_reminders_read_the_peoples_own_accounts_once_for_all_drafts() -> None:
    """Each reminded draft tells its person's own account too; the task reads those accounts in one query."""
    drafts = [proxy_draft()[0] for _ in range(3)]
    with CaptureQueriesContext(connection) as captured:
        expiry.run(TODAY + (EXPIRY - AHEAD) * DAY)
    assert all(len(messages(case)) == 2 for case in drafts)
    own_accounts = [q for q in captured if '"person_id" IN' in q["sql"] and "accounts_user" in q["sql"]]
    assert len(own_accounts) == 1


@pytest.mark.parametrize("offset", [EXPIRY - AHEAD, EXPIRY], ids=["reminders", "expiry"])
def test_the_days_run_makes_as_many_queries_for_20_drafts_as_for_2(offset: int) -> None:
    """The run reads the drafts, their people's accounts and writes their states, events, audit entries and
    messages for all of them at once (a first run, of one draft, makes what is made once: the audit chain's
    head); every draft still has its two messages and an expired one its audit entry, the chain intact.
    The delivery of each message, enqueued when the run commits, is a task of its own and not counted."""
    day = TODAY + offset * DAY
    counts = []
    for n in (1, 2, 20):
        drafts = [proxy_draft()[0] for _ in range(n)]
        if offset == EXPIRY:
            reminded_for(day)
        with CaptureQueriesContext(connection) as captured:
            expiry.run(day)
        counts.append(len(captured))
        assert all(len(messages(case)) == (4 if offset == EXPIRY else 2) for case in drafts)  # + reminders
        audited = AuditEntry.objects.filter(action="case.expire", object_id__in=[str(c.pk) for c in drafts])
        assert audited.count() == (n if offset == EXPIRY else 0)
    assert counts[1] == counts[2]
    assert verify().ok


def test_a_change_to_the_draft_starts_the_60_days_again() -> None:
    case, filer, _ = proxy_draft()
    later = TODAY + 40 * DAY
    services.update_facts(actor(filer), case, eligible_facts("rp-work"), on=later)
    case.refresh_from_db()
    assert expiry.expires_on(case) > TODAY + EXPIRY * DAY
    assert expiry.run(TODAY + EXPIRY * DAY).expired == 0
    touched(case, TODAY)
    upload_everything(filer, case)
    case.refresh_from_db()
    assert expiry.run(TODAY + EXPIRY * DAY).expired == 0 and case.state == State.DRAFT


def test_an_expired_draft_keeps_the_mandate_only_for_the_grace() -> None:
    case, filer, _ = proxy_draft()
    expired_on = TODAY + EXPIRY * DAY
    assert access.reads_person(filer, case.person_id, expired_on + 400 * DAY)  # a draft: for ever, before
    reminded_for(expired_on)
    expiry.run(expired_on)
    assert access.reads_person(filer, case.person_id, expired_on + GRACE * DAY)
    assert not access.reads_person(filer, case.person_id, expired_on + (GRACE + 1) * DAY)


def test_the_daily_task_is_scheduled_and_runs_the_expiry() -> None:
    scheduled = {p.name: p for p in schedule.periodic_tasks()}
    periodic = scheduled["draft-expiry"]
    assert isinstance(periodic.when, str)  # once a day, at a time of day
    task = import_string(periodic.task_path)
    case, _, _ = proxy_draft()
    day = (TODAY + EXPIRY * DAY).isoformat()
    reminded_for(TODAY + EXPIRY * DAY)
    assert task.call(day) == {"on": day, "expired": 1, "reminded": 0}
    assert task.call(day) == {"on": day, "expired": 0, "reminded": 0}
    assert Case.objects.get(pk=case.pk).state == State.EXPIRED


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_pages_and_api_show_the_days_left_and_then_the_draft_expired(lang) -> None:
    case, filer, _ = proxy_draft()
    touched(case, TODAY - 50 * DAY)
    browser = client_for(filer)
    page = browser.get(f"/{lang}/my/{case.pk}/").content.decode()
    left = "(10 days left)" if lang == "en" else "（还剩10天）"
    assert left in page
    answer = browser.get(f"/api/v1/cases/{case.pk}").json()
    assert answer["draft_expires_on"] == (TODAY + 10 * DAY).isoformat()
    reminded_for(TODAY + 10 * DAY)
    expiry.run(TODAY + 10 * DAY)
    page = browser.get(f"/{lang}/my/{case.pk}/").content.decode()
    listed = browser.get(f"/{lang}/my/").content.decode()
    word, said = ("Expired", "closed as expired") if lang == "en" else ("已过期", "作为过期申请关闭")
    assert word in page and said in page and word in listed
    assert 'class="deadlines"' not in page  # no time limit of a draft that was never submitted will start
    answer = browser.get(f"/api/v1/cases/{case.pk}").json()
    assert answer["state"] == "expired" and answer["draft_expires_on"] is None
    assert answer["state_label"] == {"en": "Expired", "zh": "已过期"}
    assert answer["events"][-1] | {"at": None} == {
        "action": "expire",
        "from": "draft",
        "to": "expired",
        "at": None,
        "actor": None,
    }
    listed = json.loads(browser.get("/api/v1/cases?state=expired").content)
    assert [(row["id"], row["state"]) for row in listed] == [(case.pk, "expired")]


CAP = 180  # days from a draft's start, however often it is changed (written here, not read from the code)


def started_on(case: Case, day: date) -> Case:
    """As if ``case`` was started on ``day`` (at 08:00 Beijing time)."""
    Case.objects.filter(pk=case.pk).update(created_at=datetime.combine(day, time(8), BEIJING))
    case.refresh_from_db()
    return case


def test_a_draft_kept_alive_by_changes_expires_180_days_after_it_was_started_and_the_mandate_ends() -> None:
    """A filer who changes the draft every 59 days would hold the person's records for good: a draft
    expires 180 days after it was started however often it was changed, as an untouched one does."""
    case, filer, own = proxy_draft()
    started_on(case, TODAY)
    end = TODAY + CAP * DAY
    for day in (59, 118, CAP - AHEAD):  # a change within each 60 days keeps it from the 60 days' expiry
        touched(case, TODAY + day * DAY)
        assert expiry.run(TODAY + day * DAY).expired == 0
    touched(case, end - DAY)
    assert expiry.expires_on(case) == end
    assert expiry.run(end - DAY).expired == 0
    assert [k for k, _, _ in messages(case)].count("draft-reminder") == 2  # a week before: filer, applicant
    reminder = Message.objects.get(event_key__startswith="draft-reminder", user=filer)
    assert "180 days after it was started" in reminder.body
    assert expiry.run(end).expired == 1
    case.refresh_from_db()
    assert (case.state, case.closed_on) == (State.EXPIRED, end)
    [event] = CaseEvent.objects.filter(case=case, action="expire")
    assert "180 days" in event.note
    [entry] = AuditEntry.objects.filter(action="case.expire", object_id=str(case.pk))
    assert "started" in entry.new["reason"] and entry.new["started_on"] == TODAY.isoformat()
    told = Message.objects.get(event_key__startswith="draft-expired", user=own)
    assert "180" in told.body and told.language == "zh-hans"
    assert access.reads_person(filer, case.person_id, end + GRACE * DAY)
    assert not access.reads_person(filer, case.person_id, end + (GRACE + 1) * DAY)


def test_the_cap_is_a_setting(settings) -> None:
    settings.EXITENTRY_DRAFT_MAX_DAYS = 90
    case, _, _ = proxy_draft()
    started_on(case, TODAY)
    touched(case, TODAY + 80 * DAY)
    assert expiry.expires_on(case) == TODAY + 90 * DAY
    reminded_for(TODAY + 90 * DAY)
    assert expiry.run(TODAY + 89 * DAY).expired == 0 and expiry.run(TODAY + 90 * DAY).expired == 1


@pytest.mark.parametrize(
    ("lang", "before", "after"),
    [
        (
            "en",
            "180 days after it was started, however often it is changed",
            "180 days after it was started.",
        ),
        ("zh-hans", "即发起之日起180日，无论其间是否修改", "即发起之日起180日。"),
    ],
)
def test_the_page_says_the_draft_ends_180_days_after_its_start(lang, before, after) -> None:
    case, filer, _ = proxy_draft()
    started_on(case, TODAY - 175 * DAY)
    browser = client_for(filer)
    page = browser.get(f"/{lang}/my/{case.pk}/").content.decode()
    assert before in page and ("(5 days left)" if lang == "en" else "还剩5天") in page
    reminded_for(TODAY + 5 * DAY)
    expiry.run(TODAY + 5 * DAY)
    assert after in browser.get(f"/{lang}/my/{case.pk}/").content.decode()


def test_a_draft_past_the_cap_on_the_first_run_is_reminded_and_closed_a_week_later_on_the_day_it_names():
    """The first run after the cap came in found drafts started more than 180 days before: they closed at
    once, unreminded, told they had closed on their 180th day, long past. Each is now reminded first and
    closes a week after; the notice names the day it really closed."""
    case, filer, own = proxy_draft()
    first_run = TODAY + (CAP + 20) * DAY
    started_on(case, TODAY)
    touched(case, first_run - 10 * DAY)
    assert expiry.run(first_run).expired == 0
    closes = first_run + AHEAD * DAY
    reminder = Message.objects.get(event_key__startswith="draft-reminder", user=filer)
    assert f"{closes.day} {closes:%B} {closes.year}" in reminder.body
    assert expiry.expires_on(Case.objects.get(pk=case.pk)) == closes
    assert expiry.run(closes - DAY).expired == 0
    assert expiry.run(closes).expired == 1
    case.refresh_from_db()
    assert (case.state, case.closed_on) == (State.EXPIRED, closes)
    told = Message.objects.get(event_key__startswith="draft-expired", user=filer)
    assert f"was closed as expired on {closes.day} {closes:%B} {closes.year}" in told.body
    to_them = Message.objects.get(event_key__startswith="draft-expired", user=own)
    assert f"已于{closes.year}年{closes.month}月{closes.day}日作为过期申请关闭" in to_them.body


def test_after_missed_runs_the_notice_names_the_day_the_draft_really_closed() -> None:
    case, filer, _ = proxy_draft()
    expiry.run(TODAY + (EXPIRY - AHEAD) * DAY)  # reminded a week ahead
    late = TODAY + (EXPIRY + 3) * DAY  # the daily runs stopped meanwhile
    assert expiry.run(late).expired == 1
    case.refresh_from_db()
    assert case.closed_on == late
    told = Message.objects.get(event_key__startswith="draft-expired", user=filer)
    assert f"was closed as expired on {late.day} {late:%B} {late.year}" in told.body


def test_a_change_to_a_capped_draft_does_not_put_off_its_closing() -> None:
    """The week's grace runs from the first reminder: changing a draft the cap closes keeps its day (a
    change each day would otherwise put it off for good)."""
    case, filer, _ = proxy_draft()
    today = beijing_today()  # a change is stamped now
    started_on(case, today - (CAP - 3) * DAY)
    services.update_facts(actor(filer), case, eligible_facts("rp-work"), on=today)
    assert expiry.run(today).expired == 0  # reminded: it closes a week later, not in 3 days
    services.update_facts(actor(filer), case, eligible_facts("rp-work"), on=today)
    assert expiry.run(today + (AHEAD - 1) * DAY).expired == 0
    assert expiry.run(today + AHEAD * DAY).expired == 1


@pytest.mark.parametrize(
    ("own_language", "filer_language", "told_in"), [("", "en", "en"), ("", "", "zh-hans")]
)
def test_an_applicant_with_no_language_of_their_own_is_told_in_that_of_the_proxy_acting_for_them(
    own_language, filer_language, told_in
) -> None:
    """The chain: the person's account's language, else that of the proxy or unit acting for them (the
    filer), else Chinese."""
    case, filer, own = proxy_draft(language=filer_language)
    type(own).objects.filter(pk=own.pk).update(language=own_language)
    expiry.run(TODAY + (EXPIRY - AHEAD) * DAY)
    assert Message.objects.get(event_key__startswith="draft-reminder", user=own).language == told_in
