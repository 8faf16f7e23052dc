"""The admin in both languages: a language switch in its header, the appointments' fields named in the
page's language, halls by name and hall categories in words, Chinese labels ending in a full-width colon."""

from __future__ import annotations

import pytest
from django.test import Client

from case_helpers import sign_in
from exitentry.accounts.models import Role
from exitentry.appointments.models import Counter
from factories import UserFactory

pytestmark = pytest.mark.django_db


def administrator(language: str) -> Client:
    client = Client(headers={"accept-language": language})
    return sign_in(client, UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True))


@pytest.mark.parametrize(
    ("language", "other", "name"), [("en", "zh-hans", "简体中文"), ("zh-hans", "en", "English")]
)
def test_the_admin_header_switches_language(language, other, name) -> None:
    client = administrator(language)
    html = client.get("/admin/").content.decode()
    assert 'id="language-switch"' in html and f'value="{other}"' in html and name in html
    switched = client.post("/i18n/setlang/", {"language": other, "next": "/admin/"})
    assert switched["Location"] == "/admin/"
    assert f'<html lang="{other}"' in client.get("/admin/").content.decode()


def test_the_chinese_counter_pages_name_fields_halls_and_categories_in_chinese() -> None:
    Counter.objects.create(hall_id="reception-hall", number=7, categories=["*"], active=True)
    client = administrator("zh-hans")
    listing = client.get("/admin/appointments/counter/").content.decode()
    assert "北京市公安局出入境管理总队接待大厅" in listing and "本大厅受理的全部业务" in listing
    assert ">reception-hall<" not in listing and "reception-hall #" not in listing and '["*"]' not in listing
    for english in ("Hall id", "Categories", "Active"):
        assert english not in listing
    counter = Counter.objects.get(number=7)
    form = client.get(f"/admin/appointments/counter/{counter.pk}/change/").content.decode()
    assert "开启或关闭的原因：" in form and "开启或关闭的原因:" not in form
    assert "办理类别" in form and "居留许可 · 工作类" in form and "Number" not in form


def test_the_english_counter_list_names_the_hall_and_the_categories() -> None:
    Counter.objects.create(
        hall_id="chaoyang", number=3, categories=["rp:work", "pilot:chaoyang"], active=True
    )
    listing = administrator("en").get("/admin/appointments/counter/").content.decode()
    assert "Exit-Entry Administration &amp; Foreigner Service Center of Chaoyang Sub-bureau" in listing
    assert "Residence permit · Work; Employees under the pilot policies · Chaoyang District" in listing


@pytest.mark.parametrize(
    "page",
    [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/unit/",
        "/admin/appointments/counter/",
        "/admin/appointments/counter/add/",
        "/admin/appointments/dayoverride/",
        "/admin/appointments/slot/",
        "/admin/appointments/slotlength/",
        "/admin/appointments/bookingrules/",
    ],
)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_main_admin_pages_open_in_each_language(page, language) -> None:
    response = administrator(language).get(page)
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()


def test_the_favicon_is_served(client) -> None:
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("web/favicon.svg")
    assert finders.find("web/favicon.svg")
    assert 'rel="icon"' in client.get("/en/").content.decode()


@pytest.mark.parametrize(
    ("page", "english"),
    [
        (
            "/admin/messaging/message/",
            ("Event key", "Channel", "Address", "Language", "State", "Attempts", "Created at", "Sent at"),
        ),
        (
            "/admin/compliance/reminder/",
            ("Key", "User", "Person", "Unit", "Kind", "Ground id", "Due on", "Created on", "Read at"),
        ),
    ],
)
def test_the_chinese_outbox_and_reminder_lists_name_their_columns_and_filters_in_chinese(
    page, english
) -> None:
    """The read-only lists of the outbox and the reminders named their columns and filters by the fields'
    code names ("EVENT KEY", "以 state") on the Chinese admin; each field now has a name in both languages."""
    from datetime import date

    from exitentry.compliance.models import Reminder
    from exitentry.messaging.models import Message
    from factories import PersonFactory, applicant

    user, person = applicant(), PersonFactory()
    Message.objects.create(
        event_key="k:1",
        user=user,
        channel="email",
        address="a@example.org",
        language="en",
        subject="s",
        body="b",
    )
    Reminder.objects.create(
        key="k:1", user=user, person=person, kind="ahead", ground_id="g", cause_key="c", source_id="law",
        section="Art. 32", due_on=date(2026, 12, 1), created_on=date(2026, 11, 1),
    )  # fmt: skip
    listing = administrator("zh-hans").get(page).content.decode()
    header = listing[
        listing.index('id="result_list"') : listing.index("</thead>", listing.index('id="result_list"'))
    ]
    for words in english:
        assert f">{words}<" not in header and f">{words.upper()}<" not in header, words
    assert "以 state" not in listing and "以 kind" not in listing and "以 channel" not in listing
