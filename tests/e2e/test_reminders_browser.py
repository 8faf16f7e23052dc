"""A holder in a real headless Chromium, reminded ahead of their extension's last day to apply, sees the
Reminders panel on /my/ in Chinese, opens the reminders, reads the duty and its citation, marks it read,
and the panel says nothing is unread."""

from __future__ import annotations

from datetime import timedelta

import pytest
import tests.compliance.test_reminders as world

from exitentry.compliance.reminders import remind
from exitentry.law.calendar import beijing_today
from factories import applicant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"  # tests/factories.py


def test_a_holder_reads_a_reminder_in_chinese_and_marks_it_read(page, live_url):
    today = beijing_today()
    person = world.worker_in_china(None, expires=today + timedelta(days=40))
    holder = applicant(person=person, email="anna@example.org", language="zh-hans")
    remind(today)

    page.goto(f"{live_url}/zh-hans/sign-in/")
    page.fill("#id_username", holder.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
    page.goto(f"{live_url}/zh-hans/my/")
    panel = page.locator(".reminders-panel")
    assert "您有1条未读的期限提醒。" in panel.inner_text()
    with page.expect_navigation():
        panel.get_by_role("link", name="查看提醒").click()

    reminder = page.locator("li.reminder.unread")
    text = reminder.inner_text()
    assert "需要延长居留期限的，应当在居留证件有效期届满30日前提出申请。" in text
    assert "《中华人民共和国出境入境管理法》第三十二条" in text
    with page.expect_navigation():
        reminder.get_by_role("button", name="标为已读").click()
    assert page.locator("li.reminder.unread").count() == 0
    page.goto(f"{live_url}/zh-hans/my/")
    assert "没有未读的提醒。" in page.locator(".reminders-panel").inner_text()
