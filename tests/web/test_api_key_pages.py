"""``/account/api-keys/``: who may keep keys and give which scopes, the key shown once, the list, revoking;
in both languages, each change audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from page_world import html

from case_helpers import sign_in
from exitentry.accounts import api_keys
from exitentry.accounts.models import ApiKey, AuditEntry, Role
from exitentry.law.calendar import beijing_today
from factories import UnitFactory, UserFactory, applicant, officer

pytestmark = pytest.mark.django_db
ALL_SCOPES = sorted(api_keys.SCOPES)


def unit_admin(unit=None):
    return UserFactory(role=Role.UNIT, unit=unit or UnitFactory(), is_unit_admin=True)


def bank_desk():
    return UserFactory(role=Role.INSTITUTION, unit=UnitFactory(kind="bank"))


ROLES = {
    "unit administrator": (unit_admin, ["unit:people:read", "unit:reports:write"]),
    "unit handler": (lambda: UserFactory(role=Role.UNIT, unit=UnitFactory()), None),
    "institution": (lambda: bank_desk(), ["status:check"]),
    "institution account of no institution": (lambda: UserFactory(role=Role.INSTITUTION), None),
    "applicant": (applicant, None),
    "officer": (officer, None),
    "administrator": (lambda: UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True), None),
}


PASSWORD = "correct horse battery staple"  # tests/factories.py


def form(scopes, name="HR system", days=90, proof=PASSWORD) -> dict:
    return {
        "proof": proof,
        "name": name,
        "scopes": scopes,
        "expires_on": (beijing_today() + timedelta(days=days)).isoformat(),
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_unit_administrators_and_institutions_keep_keys_each_with_its_own_scopes(client, role) -> None:
    make_user, grantable = ROLES[role]
    sign_in(client, make_user())
    page = client.get("/en/account/api-keys/")
    every = client.post("/en/account/api-keys/", form(ALL_SCOPES))
    if grantable is None:
        assert (page.status_code, every.status_code) == (403, 403)
        assert 'href="/en/account/api-keys/"' not in html(client.get("/en/"))
        assert not ApiKey.objects.exists()
        return
    assert page.status_code == 200
    assert 'href="/en/account/api-keys/"' in html(page)  # the header links it
    offered = {s for s in ALL_SCOPES if f'value="{s}"' in html(page)}
    assert offered == set(grantable)
    assert every.status_code == 422  # a scope the role may not give is no choice at all
    assert not ApiKey.objects.exists()
    made = client.post("/en/account/api-keys/", form(grantable))
    assert (made.status_code, made["Location"]) == (303, "/en/account/api-keys/")
    assert ApiKey.objects.get().scopes == grantable


def made(client, *args, lang="en", **kwargs) -> str:
    """Make a key on the page and follow the redirect: the answer that shows the key."""
    answer = client.post(f"/{lang}/account/api-keys/", form(*args, **kwargs))
    assert answer.status_code == 303
    shown = client.get(answer["Location"])
    assert "no-store" in shown["Cache-Control"]
    return html(shown)


def test_the_key_is_shown_once_and_works_and_the_list_shows_only_its_beginning(client) -> None:
    admin = unit_admin()
    sign_in(client, admin)
    page = made(client, ["unit:people:read"], name="Payroll")
    row = ApiKey.objects.get()
    key = page.split('id="new-key">', 1)[1].split("<", 1)[0]
    assert key.startswith(row.prefix + "_") and api_keys.find(key) == row
    assert "shown only this once" in page
    assert key not in str(dict(client.session))  # taken out of the session once shown
    listed = html(client.get("/en/account/api-keys/"))  # a reload
    assert "Payroll" in listed and f"{row.prefix}_…" in listed
    assert key not in listed and key[len(row.prefix) :] not in listed
    assert f"The key “Payroll” ({row.prefix}_…) is no longer shown" in listed
    assert 'id="key-gone"' not in html(client.get("/en/account/api-keys/"))  # said once
    assert ApiKey.objects.count() == 1
    entry = AuditEntry.objects.get(action="api_key.create")
    assert (entry.actor, entry.new["scopes"], entry.new["prefix"]) == (
        admin,
        ["unit:people:read"],
        row.prefix,
    )


@pytest.mark.parametrize(
    ("days", "name", "error"),
    [(0, "HR", "after today"), (366, "HR", "within one year"), (30, "", "required")],
)
def test_a_key_expires_within_a_year_and_has_a_name(client, days, name, error) -> None:
    sign_in(client, bank_desk())
    answer = client.post("/en/account/api-keys/", form(["status:check"], name=name, days=days))
    assert answer.status_code == 422 and error in html(answer)
    assert not ApiKey.objects.exists()


def test_a_year_ahead_is_the_longest(client) -> None:
    sign_in(client, bank_desk())
    assert client.post("/en/account/api-keys/", form(["status:check"], days=365)).status_code == 303


def test_revoking_stops_the_key_and_is_audited_and_another_units_key_is_not_found(client) -> None:
    unit = UnitFactory()
    first, second = unit_admin(unit), unit_admin(unit)
    sign_in(client, first)
    client.post("/en/account/api-keys/", form(["unit:reports:write"], name="Payroll"))
    row = ApiKey.objects.get()
    elsewhere = Client()
    sign_in(elsewhere, unit_admin())
    assert elsewhere.post(f"/en/account/api-keys/{row.pk}/revoke/").status_code == 404
    bank = Client()
    sign_in(bank, bank_desk())
    assert bank.post(f"/en/account/api-keys/{row.pk}/revoke/").status_code == 404
    assert "Payroll" not in html(elsewhere.get("/en/account/api-keys/"))
    colleague = Client()
    sign_in(colleague, second)  # the unit's keys are the unit's: another administrator revokes them
    assert colleague.post(f"/en/account/api-keys/{row.pk}/revoke/").status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None
    (entry,) = AuditEntry.objects.filter(action="api_key.revoke")
    assert (entry.actor, entry.object_id) == (second, str(row.pk))
    assert "Revoked" in html(client.get("/en/account/api-keys/"))
    assert colleague.post(f"/en/account/api-keys/{row.pk}/revoke/").status_code == 302
    assert AuditEntry.objects.filter(action="api_key.revoke").count() == 1  # once


def test_the_page_reads_in_chinese(client) -> None:
    sign_in(client, bank_desk())
    page = made(client, ["status:check"], lang="zh-hans")
    for words in ["API 密钥", "仅显示这一次", "撤销", "到期"]:
        assert words in page
    assert "不再显示" in html(client.get("/zh-hans/account/api-keys/"))


def test_signed_out_callers_go_to_sign_in(client) -> None:
    answer = client.get("/en/account/api-keys/")
    assert answer.status_code == 302 and "/sign-in/" in answer["Location"]


@pytest.mark.parametrize(
    ("lang", "make_user", "scope", "said"),
    [
        ("en", bank_desk, "status:check", "Status checks"),
        ("zh-hans", bank_desk, "status:check", "身份状态核查"),
        ("en", unit_admin, "unit:people:read", "Read the unit's people"),
        ("zh-hans", unit_admin, "unit:people:read", "查阅本单位人员"),
        ("en", unit_admin, "unit:reports:write", "File the unit's reports"),
        ("zh-hans", unit_admin, "unit:reports:write", "提交本单位报告"),
    ],
)
def test_scopes_are_named_in_the_pages_language_their_code_shown_only_beside(
    client, lang, make_user, scope, said
) -> None:
    """People read what a key may do; the scope's code (``status:check``) is for the developer, after it."""
    sign_in(client, make_user())
    page = made(client, [scope], lang=lang).replace("&#x27;", "'")
    choice = page.split(f'value="{scope}"', 1)[1].split("</label>", 1)[0]
    assert (
        said in choice and f'<small class="scope-code"><code class="muted">{scope}</code></small>' in choice
    )
    assert choice.index(said) < choice.index(scope)
    row = page.split('<table class="keys">', 1)[1]
    assert (
        f'<span class="tag">{said}</span>{" " if lang == "en" else ""}<small class="scope-code">'
        f'<code class="muted">{scope}</code></small>' in row
    )
    assert f'<span class="tag">{scope}</span>' not in page


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "The key “Payroll” was already revoked."), ("zh-hans", "密钥“Payroll”此前已被撤销。")],
)
def test_revoking_a_key_revoked_already_in_another_tab_says_so(client, lang, said) -> None:
    sign_in(client, unit_admin())
    client.post("/en/account/api-keys/", form(["unit:reports:write"], name="Payroll"))
    row = ApiKey.objects.get()
    client.post(f"/{lang}/account/api-keys/{row.pk}/revoke/")
    page = html(client.post(f"/{lang}/account/api-keys/{row.pk}/revoke/", follow=True))
    assert said in page
    assert AuditEntry.objects.filter(action="api_key.revoke").count() == 1


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "A key with this name exists"), ("zh-hans", "已有同名密钥")],
)
def test_a_second_working_key_of_the_same_name_is_refused(client, lang, said) -> None:
    sign_in(client, unit_admin())
    assert (
        client.post("/en/account/api-keys/", form(["unit:reports:write"], name="Payroll")).status_code == 303
    )
    answer = client.post(f"/{lang}/account/api-keys/", form(["unit:reports:write"], name=" payroll "))
    assert answer.status_code == 422 and said in html(answer)
    assert ApiKey.objects.count() == 1
    client.post(f"/en/account/api-keys/{ApiKey.objects.get().pk}/revoke/")  # a revoked key's name is free
    assert (
        client.post("/en/account/api-keys/", form(["unit:reports:write"], name="Payroll")).status_code == 303
    )


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_page_links_to_the_api_s_documentation_in_its_own_language(client, lang) -> None:
    sign_in(client, unit_admin())
    page = html(client.get(f"/{lang}/account/api-keys/"))
    assert f'href="/api/docs?lang={lang}"' in page


@pytest.mark.parametrize(("lang", "said"), [("en", "Your password is not right"), ("zh-hans", "密码不正确")])
def test_a_new_key_asks_for_the_password_again(client, lang, said) -> None:
    """A signed-in session alone (a desk left unlocked) makes no key: the password is asked again, a wrong
    one refused with why and counted against the account's budget of wrong proofs (audited)."""
    admin = unit_admin()
    sign_in(client, admin)
    for proof in ("", "wrong password"):
        answer = client.post(f"/{lang}/account/api-keys/", form(["unit:reports:write"], proof=proof))
        assert answer.status_code == 422 and not ApiKey.objects.exists()
        assert said in html(answer)
    assert AuditEntry.objects.filter(actor=admin, action="account.second_factor.fail").count() == 2
    assert client.post(f"/{lang}/account/api-keys/", form(["unit:reports:write"])).status_code == 303
    assert ApiKey.objects.count() == 1


@pytest.mark.parametrize(
    ("lang", "password", "codes"),
    [
        ("en", ("password", "passwords"), ("code", "authenticator")),
        ("zh-hans", ("密码",), ("验证码", "身份验证器")),
    ],
)
def test_wrong_passwords_past_the_budget_lock_with_words_for_a_password_and_no_internal_name(
    client, lang, password, codes
) -> None:
    """A unit administrator has no authenticator: the page that pauses their proofs speaks of passwords,
    in the page's language, and names no audit action."""
    sign_in(client, unit_admin())
    for _ in range(40):
        answer = client.post(f"/{lang}/account/api-keys/", form(["unit:reports:write"], proof="wrong"))
        if answer.status_code == 429:
            break
    assert answer.status_code == 429
    page = html(answer)
    body = page[page.index("<main") : page.index("</main>")]
    assert "account.second_factor" not in page and "second_factor" not in page and ".fail" not in page
    assert any(word in body for word in password), body
    assert not any(word in body for word in codes), body
