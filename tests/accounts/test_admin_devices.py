"""Authenticators (django-otp's devices) in the admin: read-only, the key never shown, and deleted only to
reset a lost one (its owner enrols a new one at the next sign-in), which is audited; django-otp's and
django-tasks' apps and models are named in the admin's language."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.utils import translation
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from case_helpers import authenticator, sign_in
from exitentry.accounts.models import AuditEntry, Role
from factories import UserFactory, officer

pytestmark = pytest.mark.django_db
DEVICES = {"totpdevice": TOTPDevice, "staticdevice": StaticDevice}


def administrator():
    return UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


def device(kind: str):
    owner = officer("reception-hall")
    if kind == "totpdevice":
        return authenticator(owner)
    found = StaticDevice.objects.create(user=owner, name="backup", confirmed=True)
    StaticToken.objects.create(device=found, token="wang2222")
    return found


def url(kind: str, *rest: object) -> str:
    app = "otp_totp" if kind == "totpdevice" else "otp_static"
    return "/".join([f"/admin/{app}/{kind}", *map(str, rest), ""])


@pytest.mark.parametrize("kind", DEVICES)
def test_a_device_cannot_be_added_or_changed_in_the_admin(kind) -> None:
    found = device(kind)
    client = sign_in(Client(), administrator())
    assert client.get(url(kind, "add")).status_code == 403
    page = client.get(url(kind, found.pk, "change"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="name"' not in html and 'name="confirmed"' not in html and "_save" not in html
    assert "wang2222" not in html and getattr(found, "key", "wang2222") not in html  # key, backup codes
    changed = client.post(url(kind, found.pk, "change"), {"name": "mine now", "user": found.user_id})
    assert changed.status_code == 403
    assert DEVICES[kind].objects.get(pk=found.pk).name == found.name


@pytest.mark.parametrize("kind", DEVICES)
def test_a_lost_device_is_deleted_and_the_deletion_audited(kind) -> None:
    found = device(kind)
    who = administrator()
    client = sign_in(Client(), who)
    confirm = client.get(url(kind, found.pk, "delete")).content.decode()
    assert found.name in confirm and "wang2222" not in confirm
    assert client.post(url(kind, found.pk, "delete"), {"post": "yes"}).status_code == 302
    assert not DEVICES[kind].objects.filter(pk=found.pk).exists()
    (gone,) = AuditEntry.objects.filter(action=f"{kind}.delete")
    assert (gone.actor, gone.object_type, gone.object_id) == (who, kind, str(found.pk))
    assert gone.old == {"user": found.user.username, "name": found.name}


def test_devices_deleted_from_the_list_are_each_audited() -> None:
    first, second = device("totpdevice"), device("totpdevice")
    client = sign_in(Client(), administrator())
    chosen = {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"}
    assert client.post(url("totpdevice"), chosen).status_code == 302
    assert not TOTPDevice.objects.filter(pk__in=[first.pk, second.pk]).exists()
    deleted = AuditEntry.objects.filter(action="totpdevice.delete")
    assert sorted(int(e.object_id) for e in deleted) == sorted([first.pk, second.pk])


def test_the_chinese_admin_names_django_otps_and_django_tasks_apps_and_models_in_chinese() -> None:
    client = Client(headers={"accept-language": "zh-hans"})
    sign_in(client, administrator())
    index = client.get("/admin/").content.decode()
    for model, app_zh, model_zh in (
        (TOTPDevice, "身份验证器", "TOTP 身份验证器"),
        (StaticDevice, "备用码", "备用码组"),
        (DBTaskResult, "后台任务队列", "任务结果"),
    ):
        assert app_zh in index and f">{model_zh}</a>" in index, model
        with translation.override("en"):
            names = (str(model._meta.app_config.verbose_name), str(model._meta.verbose_name_plural))
        assert all(f">{name}<" not in index for name in names), names
    assert "Otp_Totp" not in index and "Tasks Database Backend" not in index


def test_the_english_admin_names_them_in_english() -> None:
    client = Client(headers={"accept-language": "en"})
    sign_in(client, administrator())
    index = client.get("/admin/").content.decode()
    assert ">Authenticators<" in index or "Authenticators</a>" in index
    assert (
        ">TOTP authenticators</a>" in index
        and ">Backup code sets</a>" in index
        and ">Task results</a>" in index
    )


def test_every_model_in_the_admin_is_named_in_both_languages() -> None:
    for model in admin.site._registry:
        with translation.override("en"):
            en = (str(model._meta.app_config.verbose_name), str(model._meta.verbose_name_plural))
        with translation.override("zh-hans"):
            zh = (str(model._meta.app_config.verbose_name), str(model._meta.verbose_name_plural))
        assert en[0] != zh[0] and en[1] != zh[1], model


ENGLISH_HEADINGS = (
    "Identity",
    "Timestamps",
    "Configuration",
    "State",
    "Throttling",
    "User",
    "Name",
    "Confirmed",
    "Created at",
    "Last used at",
    "Step",
    "T0",
    "Digits",
    "Tolerance",
    "Drift",
    "Throttling failure timestamp",
    "Throttling failure count",
    "The user that this device belongs to",
    "Search by user",
)


def shown_words(html: str) -> str:
    """The page's text as a reader sees it, from the content on (no tags, no script)."""
    content = html.split('id="content"', 1)[1]
    return " ".join(re.sub(r"<script.*?</script>|<[^>]+>", " ", content, flags=re.S).split())


@pytest.mark.parametrize("kind", DEVICES)
@pytest.mark.parametrize("page", ["list", "view"])
def test_the_chinese_admin_heads_a_devices_list_and_page_in_chinese(kind, page) -> None:
    found = device(kind)
    client = Client(headers={"accept-language": "zh-hans"})
    sign_in(client, administrator())
    answer = client.get(url(kind) + "?q=" if page == "list" else url(kind, found.pk, "change"))
    assert answer.status_code == 200
    text = shown_words(answer.content.decode())
    english = [e for e in ENGLISH_HEADINGS if re.search(rf"(?<![\w-]){e}(?![\w-])", text)]
    assert not english, english
    for chinese in ("用户", "名称", "创建时间", "最近使用时间"):
        assert chinese in text, chinese
    if page == "view":
        assert "身份" in text and "时间" in text
        if kind == "totpdevice":
            assert all(heading in text for heading in ("配置", "状态", "验证失败", "连续失败次数")), text


def test_the_english_admin_keeps_the_devices_headings_in_english() -> None:
    found = device("totpdevice")
    client = Client(headers={"accept-language": "en"})
    sign_in(client, administrator())
    text = shown_words(client.get(url("totpdevice", found.pk, "change")).content.decode())
    for heading in ("Identity", "Failed attempts", "User", "Created at", "Failed attempts in a row"):
        assert heading in text, heading
