"""What the admin's pages say, in the page's language: a Chinese label ends in a full-width colon, a
permission is named in words of the language, a language by its name, a citation by its label (the
document's title and the article), a task result's status and columns in words."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult, get_date_max

from case_helpers import sign_in
from exitentry.accounts.models import Role
from exitentry.compliance.models import Reminder
from exitentry.law.sources import cite
from exitentry.messaging.models import Message
from factories import UserFactory
from verification.helpers import holder

pytestmark = pytest.mark.django_db

LAW, ARTICLE = "exit-entry-law", "Art. 33"


def administrator(language: str) -> Client:
    client = Client(headers={"accept-language": language})
    return sign_in(client, UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True))


def reminder() -> Reminder:
    user = holder()
    return Reminder.objects.create(
        key=f"r-{user.pk}", user=user, person=user.person, kind=Reminder.Kind.AHEAD,
        ground_id="change-of-particulars-within-10-days", cause_key="permit:1:change:1", source_id=LAW,
        section=ARTICLE, due_on=date(2026, 12, 10), created_on=date(2026, 12, 1),
    )  # fmt: skip


def message() -> Message:
    return Message.objects.create(
        event_key="reminder:r-1:email", channel=Message.Channel.EMAIL, address="a@example.org",
        language="zh-hans", subject="提醒", body="正文",
    )  # fmt: skip


def test_a_chinese_read_only_page_ends_its_labels_in_a_full_width_colon() -> None:
    page = f"/admin/messaging/message/{message().pk}/change/"
    html = administrator("zh-hans").get(page).content.decode()
    assert "<label>发送渠道：</label>" in html and ":</label>" not in html
    english = administrator("en").get(page).content.decode()
    assert "<label>Channel:</label>" in english


@pytest.mark.parametrize(
    ("language", "said", "unsaid"),
    [("zh-hans", "算法</strong>：<bdi>", "算法</strong>:"), ("en", "algorithm</strong>: <bdi>", "：")],
)
def test_the_account_page_summarises_the_password_with_the_colon_of_its_language(
    language, said, unsaid
) -> None:
    html = administrator(language).get(f"/admin/accounts/user/{UserFactory().pk}/change/").content.decode()
    assert said in html.lower() and unsaid not in html


@pytest.mark.parametrize(
    ("language", "said", "unsaid"),
    [("zh-hans", "可以查看API 密钥", "Can view API key"), ("en", "Can view API key", "可以查看")],
)
def test_the_account_page_names_the_permissions_in_its_language(language, said, unsaid) -> None:
    client = administrator(language)
    user = UserFactory()
    html = client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert said in html and unsaid not in html


@pytest.mark.parametrize(("language", "name"), [("zh-hans", "简体中文"), ("en", "简体中文")])
def test_the_outbox_names_the_language_of_a_message(language, name) -> None:
    client = administrator(language)
    shown = message()
    for page in ("/admin/messaging/message/", f"/admin/messaging/message/{shown.pk}/change/"):
        html = client.get(page).content.decode()
        assert name in html and "zh-hans</" not in html and ">zh-hans" not in html, page


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_reminder_cites_its_article_by_its_label_in_the_page_language(language) -> None:
    label = escape(cite(LAW, ARTICLE).label.get(language))
    html = administrator(language).get(f"/admin/compliance/reminder/{reminder().pk}/change/").content.decode()
    assert label in html and f">{ARTICLE}<" not in html and f">{LAW}<" not in html
    assert ">change-of-particulars-within-10-days<" not in html


def test_a_chinese_task_result_says_its_status_and_columns_in_chinese() -> None:
    result = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}}, task_path="exitentry.messaging.tasks.deliver",
        backend_name="default", run_after=get_date_max(),
    )  # fmt: skip
    client = administrator("zh-hans")
    listing = client.get("/admin/django_tasks_database/dbtaskresult/").content.decode()
    page = client.get(f"/admin/django_tasks_database/dbtaskresult/{result.pk}/change/").content.decode()
    for html in (listing, page):
        assert "待执行" in html and ">Ready<" not in html
    assert "Task name" not in listing and "Run after" not in page and "Traceback" not in page


def test_the_chinese_index_heads_its_tables_in_chinese() -> None:
    """The headings screen readers read (Django's admin ships no Chinese for them)."""
    html = administrator("zh-hans").get("/admin/").content.decode()
    assert "模型名称" in html and "修改或查看列表链接" in html
    assert "Model name" not in html and "Add link" not in html and "Change or view list link" not in html
