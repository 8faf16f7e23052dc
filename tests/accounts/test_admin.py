"""The admin is for reference data only, and only for administrators."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client

from case_helpers import sign_in
from exitentry.accounts.models import Role, Unit, User
from exitentry.cases.models import Case
from exitentry.registry.models import Permit, Person
from factories import UserFactory, officer

pytestmark = pytest.mark.django_db


def test_units_accounts_and_their_halls_are_in_the_admin_and_personal_data_is_not() -> None:
    registered = set(admin.site._registry)
    assert {Unit, User} <= registered
    assert not {Case, Person, Permit} & registered


def test_an_administrator_can_open_the_account_list_and_add_a_unit() -> None:
    client = Client()
    sign_in(client, UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    assert client.get("/admin/accounts/user/").status_code == 200
    r = client.post(
        "/admin/accounts/unit/add/",
        {"name": "Tsinghua", "kind": "school", "credit_code": "12100000400000624D"},
    )
    assert r.status_code == 302 and Unit.objects.filter(name="Tsinghua").exists()


def test_an_officer_is_sent_to_the_admin_sign_in() -> None:
    client = Client()
    sign_in(client, officer("reception-hall"))
    assert client.get("/admin/accounts/user/").status_code == 302


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_administrator_reads_the_case_lifecycle_table_in_the_admin(language) -> None:
    from exitentry.cases import lifecycle

    client = Client(headers={"accept-language": language})
    sign_in(client, UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    assert 'href="/admin/cases/lifecycle/"' in client.get("/admin/").content.decode()
    html = client.get("/admin/cases/lifecycle/").content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    assert body.count("<tr>") == len(lifecycle.TABLE)
    lang = "zh" if language.startswith("zh") else "en"
    decide = lifecycle.TABLE["decide"]
    assert decide.label.get(lang) in body
    for action in lifecycle.TABLE.values():
        assert f"<code>{action.id}</code>" in body
    assert ("批准或不予批准" if lang == "zh" else "approved or refused") in body


def test_an_officer_cannot_open_the_lifecycle_page_of_the_admin() -> None:
    client = Client()
    sign_in(client, officer("reception-hall"))
    assert client.get("/admin/cases/lifecycle/").status_code == 302


def test_the_admin_index_names_every_app_and_model_of_the_project_in_chinese() -> None:
    """The section and model names are the apps' and models' ``verbose_name``, translated."""
    from django.utils import translation

    client = Client(headers={"accept-language": "zh-hans"})
    sign_in(client, UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    html = client.get("/admin/").content.decode()
    ours = [m for m in admin.site._registry if m._meta.app_config.name.startswith("exitentry.")]
    assert ours
    for model in ours:
        names = []
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names.append((str(model._meta.app_config.verbose_name), str(model._meta.verbose_name_plural)))
        (app_en, model_en), (app_zh, model_zh) = names
        assert app_zh != app_en and model_zh != model_en, model
        assert app_zh in html and model_zh in html, model
        assert f">{app_en}<" not in html and f">{model_en.capitalize()}<" not in html, model


def test_the_chinese_admin_names_the_sign_in_throttling_records_in_chinese() -> None:
    """django-axes ships no Chinese: the project names its app, models and columns (accounts.apps, .po)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.utils import translation

    client = Client(headers={"accept-language": "zh-hans"})
    sign_in(client, UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    index = client.get("/admin/").content.decode()
    assert "登录限制" in index and "Axes" not in index
    for model, chinese in (
        (AccessAttempt, "登录尝试"),
        (AccessFailureLog, "登录失败记录"),
        (AccessLog, "登录记录"),
    ):
        assert f">{chinese}</a>" in index
        with translation.override("en"):
            assert str(model._meta.verbose_name_plural).capitalize() not in index
    AccessAttempt.objects.create(
        username="someone", ip_address="192.0.2.1", user_agent="Firefox", http_accept="*/*", path_info="/",
        get_data="", post_data="", failures_since_start=2,
    )  # fmt: skip
    attempts = client.get("/admin/axes/accessattempt/").content.decode()
    assert "尝试时间" in attempts and "用户代理" in attempts and "登录失败次数" in attempts
    assert "Attempt Time" not in attempts and "Failed Logins" not in attempts


def test_the_english_admin_names_them_in_english() -> None:
    client = Client(headers={"accept-language": "en"})
    sign_in(client, UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    index = client.get("/admin/").content.decode()
    assert "Sign-in throttling" in index and ">Access attempts</a>" in index


@pytest.mark.parametrize("model", ["messaging.message", "compliance.reminder"])
def test_the_outbox_and_the_reminders_are_records_the_admin_cannot_delete(model) -> None:
    """What was sent and to whom is a record: read-only in the admin, no delete action or page."""
    from django.apps import apps

    model_admin = admin.site._registry[apps.get_model(model)]
    client = Client()
    user = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    sign_in(client, user)
    page = client.get(f"/admin/{model.replace('.', '/')}/")
    assert page.status_code == 200
    assert "delete_selected" not in page.content.decode()
    assert not model_admin.has_delete_permission(type("R", (), {"user": user})())


def test_the_account_page_names_its_role_section_in_chinese() -> None:
    client = Client(headers={"accept-language": "zh-hans"})
    admin_user = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    sign_in(client, admin_user)
    html = client.get(f"/admin/accounts/user/{admin_user.pk}/change/").content.decode()
    assert "<h2>角色</h2>" in html or ">角色<" in html


def test_no_field_help_text_names_a_module() -> None:
    """The admin and the forms show help texts to people: "registry.ports" or "law.rules.x" means nothing
    to them."""
    import re

    from django.apps import apps
    from django.utils import translation

    dotted = re.compile(r"\b[a-z_]{2,}\.[a-z_]{2,}\b")
    named = [
        (model._meta.label, field.name, language, str(field.help_text))
        for model in apps.get_models()
        if model.__module__.startswith("exitentry.")
        for field in model._meta.get_fields()
        if getattr(field, "help_text", "")
        for language in ("en", "zh-hans")
        if translation.activate(language) or dotted.search(str(field.help_text))
    ]
    translation.deactivate()
    assert named == []


@pytest.mark.parametrize(
    ("language", "index", "django_says"),
    [("en", "Administration", "Recent actions"), ("zh-hans", "系统管理", "最近动作")],
)
def test_the_admin_is_named_as_the_site_in_both_languages_and_speaks_the_chosen_one(
    language, index, django_says
) -> None:
    """Not "Django administration": the header and the title carry the service's name in both languages,
    the index its title in the chosen one; Django's own words come from its catalogue in that language."""
    client = Client(headers={"accept-language": language})
    sign_in(client, UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    html = client.get("/admin/").content.decode()
    name = "北京出入境外国人服务 · Beijing Exit-Entry Foreigner Services"
    assert "Django" not in html and "管理网站" not in html
    assert f'<a href="/admin/">{name}</a>' in html
    assert f"<title>{index} | {name}</title>" in html and f"<h1>{index}</h1>" in html
    assert django_says in html
