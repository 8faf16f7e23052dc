"""The API keys and share codes in the admin: listed read-only for the administrator (never a digest, never
a secret), filtered and searched, revoked by the action through their services (audited); nobody else
gets in, and nobody adds, edits or deletes one there."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils.html import escape

from case_helpers import sign_in
from exitentry import clock
from exitentry.accounts import api_keys
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import ApiKey, AuditEntry, Role
from exitentry.verification import sharecodes
from exitentry.verification.models import ShareCode
from factories import UnitFactory, UserFactory, applicant, officer
from verification.helpers import code_for, desk, holder

pytestmark = pytest.mark.django_db
KEYS, CODES = "/admin/accounts/apikey/", "/admin/verification/sharecode/"


def administrator():
    return UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


def key(user, scope: str, name: str = "HR system") -> api_keys.Issued:
    return api_keys.issue(Actor(user), name, [scope], clock.now() + timedelta(days=30))


def page(client: Client, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200
    return answer.content.decode()


def revoked_in_history(client: Client, url: str, row, admin_user) -> str:
    """Django's history of ``row`` holds the revocation (one change, by ``admin_user``); its page shows the
    entry, whose message this answers in the client's language."""
    (logged,) = LogEntry.objects.filter(object_id=str(row.pk), content_type__model=type(row)._meta.model_name)
    assert (logged.user, logged.action_flag, logged.object_repr) == (admin_user, CHANGE, str(row))
    history = page(client, f"{url}{row.pk}/history/")
    return next(m for m in ("Changed Revoked.", "已修改已撤销。") if m in history)


@pytest.fixture
def keys():
    bank = desk()
    hr = UserFactory(role=Role.UNIT, unit=UnitFactory(name="Acme HR"), is_unit_admin=True, username="hr-acme")
    return key(bank, api_keys.STATUS_CHECK, "Teller desk"), key(hr, api_keys.UNIT_PEOPLE_READ, "Payroll")


def test_the_administrator_lists_every_key_and_never_sees_a_digest_or_a_secret(keys) -> None:
    client = sign_in(Client(), administrator())
    listed = page(client, KEYS)
    for issued in keys:
        assert f"{issued.row.prefix}_…" in listed and issued.row.name in listed
        assert issued.row.digest not in listed and issued.key not in listed
    assert "hr-acme" in listed and "Acme HR" in listed and "查阅本单位人员" in listed  # the scope by name
    shown = page(client, f"{KEYS}{keys[0].row.pk}/change/")
    assert keys[0].row.prefix in shown and keys[0].row.digest not in shown and 'name="name"' not in shown
    assert client.get(f"{KEYS}add/").status_code == 403
    assert client.post(f"{KEYS}{keys[0].row.pk}/delete/").status_code == 403
    assert {ApiKey, ShareCode} <= set(admin.site._registry)


def test_keys_are_filtered_by_state_and_scope_and_found_by_prefix_or_owner(keys) -> None:
    teller, payroll = keys
    api_keys.revoke(Actor(administrator()), payroll.row)
    client = sign_in(Client(), administrator())

    def names(query: str) -> set[str]:
        listed = page(client, f"{KEYS}?{query}")
        return {k.row.name for k in keys if f"{k.row.prefix}_…" in listed}

    assert names("state=revoked") == {"Payroll"}
    assert names("state=active") == {"Teller desk"}
    assert names("state=expired") == set()
    assert names("scope=status:check") == {"Teller desk"}
    assert names("scope=unit:people:read") == {"Payroll"}
    assert names(f"q={payroll.row.prefix}") == {"Payroll"}
    assert names("q=hr-acme") == {"Payroll"}


def test_the_revoke_action_revokes_through_the_service_and_is_audited(keys) -> None:
    teller, payroll = keys
    admin_user = administrator()
    api_keys.revoke(Actor(teller.row.created_by), teller.row)  # already revoked by its owner
    client = sign_in(Client(headers={"accept-language": "en"}), admin_user)
    answer = client.post(
        KEYS, {"action": "revoke_selected", "_selected_action": [teller.row.pk, payroll.row.pk]}, follow=True
    )
    assert answer.status_code == 200 and "1 key revoked." in answer.content.decode()
    assert ApiKey.objects.filter(revoked_at__isnull=True).count() == 0
    (entry,) = AuditEntry.objects.filter(action="api_key.revoke", actor=admin_user)
    assert (entry.object_id, entry.role) == (str(payroll.row.pk), Role.ADMINISTRATOR)
    assert api_keys.refusal(ApiKey.objects.get(pk=payroll.row.pk), clock.now()) == "revoked"
    assert revoked_in_history(client, KEYS, payroll.row, admin_user) == "Changed Revoked."
    assert not LogEntry.objects.filter(object_id=str(teller.row.pk)).exists()  # revoked before, by its owner


def test_the_administrator_revokes_share_codes_never_sees_them_and_the_holder_sees_it(keys) -> None:
    owner = holder()
    share, code = code_for(owner)
    admin_user = administrator()
    client = sign_in(Client(headers={"accept-language": "zh-hans"}), admin_user)
    listed = page(client, CODES)
    assert f"…{share.hint}" in listed and owner.username in listed
    assert code not in listed and share.digest not in listed
    assert client.get(f"{CODES}add/").status_code == 403
    answer = client.post(CODES, {"action": "revoke_selected", "_selected_action": [share.pk]}, follow=True)
    assert "已撤销 1 个分享码。" in answer.content.decode()
    share.refresh_from_db()
    assert share.revoked_at is not None
    (entry,) = AuditEntry.objects.filter(action="share-code.revoke")
    assert (entry.actor, entry.object_id) == (admin_user, str(share.pk))
    assert revoked_in_history(client, CODES, share, admin_user) == "已修改已撤销。"
    assert "Revoked" in sign_in(Client(), owner).get("/en/my/share-codes/").content.decode()


def test_only_the_administrator_withdraws_anothers_share_code() -> None:
    share, _ = code_for(holder())
    for someone in (desk(), officer(), holder()):
        with pytest.raises(PermissionDenied):
            sharecodes.withdraw(Actor(someone), share.pk)
    share.refresh_from_db()
    assert share.revoked_at is None


ROLES = {
    "institution": desk,
    "unit administrator": lambda: UserFactory(role=Role.UNIT, unit=UnitFactory(), is_unit_admin=True),
    "applicant": applicant,
    "officer": lambda: officer("reception-hall"),
    "supervisor": lambda: officer("reception-hall", role=Role.SUPERVISOR),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", [KEYS, CODES])
def test_nobody_else_opens_the_lists_or_revokes(keys, role, url) -> None:
    share, _ = code_for(holder())
    client = sign_in(Client(), ROLES[role]())
    assert client.get(url).status_code == 302  # to the sign-in: the admin is not theirs
    pks = [k.row.pk for k in keys] if url == KEYS else [share.pk]
    client.post(url, {"action": "revoke_selected", "_selected_action": pks})
    assert not ApiKey.objects.filter(revoked_at__isnull=False).exists()
    assert not ShareCode.objects.filter(revoked_at__isnull=False).exists()


@pytest.mark.parametrize(
    ("language", "teller", "payroll"),
    [("en", "Status checks", "Read the unit's people"), ("zh-hans", "身份状态核查", "查阅本单位人员")],
)
def test_the_key_list_names_the_scopes_in_the_readers_language(keys, language, teller, payroll) -> None:
    client = sign_in(Client(headers={"accept-language": language}), administrator())
    listed = page(client, KEYS)
    cells = re.findall(r'<td class="field-scope_list">(.*?)</td>', listed)
    assert sorted(cells) == sorted([escape(teller), escape(payroll)])
    assert f">{escape(payroll)}</a>" in listed  # the scope filter's choices too
