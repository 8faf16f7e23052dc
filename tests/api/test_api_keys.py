"""API keys over real HTTP: a valid key passes, an unknown, expired or revoked one gets a 401, a key without
the operation's scope a 403, a key past its rate a 429, each in both languages; every use is in the audit
trail once; a session still works where the operation takes either."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from exitentry import clock
from exitentry.accounts import api_keys
from exitentry.accounts.audit import Actor, verify
from exitentry.accounts.models import ApiKey, AuditEntry, Role
from factories import UnitFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.key_urls")]


@pytest.fixture
def institution():
    return UserFactory(role=Role.INSTITUTION, unit=UnitFactory(kind="bank"), username="bank")


@pytest.fixture
def unit_admin():
    return UserFactory(role=Role.UNIT, unit=UnitFactory(), is_unit_admin=True, username="hr-admin")


def make(user, *scopes: str, days: int = 30) -> api_keys.Issued:
    return api_keys.issue(Actor(user), "HR system", list(scopes), clock.now() + timedelta(days=days))


def call(key: str | None, path: str = "/whoami", method: str = "get", client: Client | None = None):
    headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
    return getattr(client or Client(), method)(f"/api/key-test{path}", headers=headers)


def refusal(response) -> tuple[int, str, str]:
    (item,) = response.json()["detail"]
    return response.status_code, item["message"], item["message_zh"]


def uses(key: ApiKey) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(api_key=key).order_by("chain", "seq"))


def test_a_valid_key_acts_as_its_account_and_each_use_is_audited_once(institution) -> None:
    issued = make(institution, api_keys.STATUS_CHECK)
    response = call(issued.key)
    assert response.status_code == 200
    assert response.json() == {"user": "bank", "key": issued.row.prefix}
    (entry,) = uses(issued.row)
    assert (entry.action, entry.actor, entry.role) == ("api_key.use", institution, Role.INSTITUTION)
    assert entry.new == {"method": "GET", "path": "/api/key-test/whoami", "status": 200}
    assert call(issued.key).status_code == 200
    assert len(uses(issued.row)) == 2
    assert verify().ok  # the key is sealed in the entry's hash with the rest


def test_an_endpoint_that_audits_itself_makes_the_only_entry_and_it_names_the_key(institution) -> None:
    issued = make(institution, api_keys.STATUS_CHECK)
    assert call(issued.key, "/checks", "post").status_code == 200  # no CSRF token: a key is no cookie
    (entry,) = uses(issued.row)
    assert (entry.action, entry.object_id, entry.actor) == ("status.check", "ABC123", institution)


NUL_PREFIX = "ek_" + "\x00" * 8 + "_" + "x" * 43  # PostgreSQL cannot look a NUL up: once a 422
ODD = ["ek_00000000_" + "x" * 43, "nonsense", "ek_", "", NUL_PREFIX, "ek_0000000g_" + "x" * 43]


@pytest.mark.parametrize("sent", ODD, ids=["zeros", "nonsense", "tag", "empty", "nul-prefix", "not-hex"])
def test_an_unknown_key_is_refused_with_401_in_both_languages(institution, sent) -> None:
    make(institution, api_keys.STATUS_CHECK)
    response = call(sent)
    status, en, zh = refusal(response)
    assert status == 401
    assert "not known" in en and "无法识别" in zh
    assert response["WWW-Authenticate"].startswith("Bearer ")
    assert not AuditEntry.objects.filter(action="api_key.use").exists()


def test_a_key_with_a_right_prefix_and_a_wrong_secret_is_unknown(institution) -> None:
    issued = make(institution, api_keys.STATUS_CHECK)
    forged = issued.key[:-4] + ("AAAA" if not issued.key.endswith("AAAA") else "BBBB")
    assert refusal(call(forged))[0] == 401
    assert uses(issued.row) == []


def test_a_revoked_key_is_refused_from_the_next_request_on(institution) -> None:
    issued = make(institution, api_keys.STATUS_CHECK)
    assert call(issued.key).status_code == 200
    api_keys.revoke(Actor(institution), issued.row)
    status, en, zh = refusal(call(issued.key))
    assert (status, "revoked" in en, "撤销" in zh) == (401, True, True)


def test_an_expired_key_is_refused(institution) -> None:
    issued = make(institution, api_keys.STATUS_CHECK)
    ApiKey.objects.filter(pk=issued.row.pk).update(
        created_at=clock.now() - timedelta(days=40), expires_at=clock.now() - timedelta(seconds=1)
    )
    status, en, zh = refusal(call(issued.key))
    assert (status, "expired" in en, "过期" in zh) == (401, True, True)


def test_a_key_whose_account_was_switched_off_or_left_its_unit_is_refused(unit_admin) -> None:
    issued = make(unit_admin, api_keys.UNIT_PEOPLE_READ)
    assert call(issued.key, "/people").status_code == 200
    unit_admin.unit = UnitFactory()
    unit_admin.save()
    assert refusal(call(issued.key, "/people"))[0] == 401  # it would read the new unit's people otherwise
    unit_admin.is_unit_admin = False
    unit_admin.save()
    assert refusal(call(issued.key, "/people"))[0] == 401


def test_a_key_without_the_operations_scope_gets_403_and_the_refusal_is_audited(unit_admin) -> None:
    issued = make(unit_admin, api_keys.UNIT_PEOPLE_READ)
    status, en, zh = refusal(call(issued.key, "/whoami"))
    assert status == 403
    assert "'status:check'" in en and "status:check" in zh
    (entry,) = uses(issued.row)
    assert entry.new["status"] == 403


def test_past_its_rate_a_key_gets_429_and_another_key_does_not(institution, settings) -> None:
    settings.EXITENTRY_KEY_RATE = "3/h"
    first, second = make(institution, api_keys.STATUS_CHECK), make(institution, api_keys.STATUS_CHECK)
    assert [call(first.key).status_code for _ in range(3)] == [200, 200, 200]
    limited = call(first.key)
    assert limited.status_code == 429
    assert "请求过于频繁" in limited.json()["detail"][0]["message_zh"]
    assert 0 < int(limited["Retry-After"]) <= 3600
    assert call(second.key).status_code == 200
    assert [e.new["status"] for e in uses(first.row)] == [200, 200, 200, 429]


def test_last_used_is_written_at_most_once_a_minute(institution) -> None:
    issued = make(institution, api_keys.STATUS_CHECK)
    call(issued.key)
    first = ApiKey.objects.get(pk=issued.row.pk).last_used_at
    assert first is not None
    call(issued.key)
    assert ApiKey.objects.get(pk=issued.row.pk).last_used_at == first
    ApiKey.objects.filter(pk=issued.row.pk).update(last_used_at=first - timedelta(seconds=61))
    call(issued.key)
    assert ApiKey.objects.get(pk=issued.row.pk).last_used_at > first


def test_key_or_session_takes_a_signed_in_user_and_a_key(unit_admin) -> None:
    client = Client()
    client.force_login(unit_admin)
    assert call(None, "/people", client=client).json() == {"user": "hr-admin", "key": None}
    issued = make(unit_admin, api_keys.UNIT_PEOPLE_READ)
    assert call(issued.key, "/people").json() == {"user": "hr-admin", "key": issued.row.prefix}
    assert refusal(call(None, "/people"))[0] == 401  # neither
    assert refusal(call(None))[0] == 401  # a key-only operation takes no session
    assert refusal(call(None, client=client))[0] == 401


def test_the_key_is_stored_only_as_its_digest(institution) -> None:
    issued = make(institution, api_keys.STATUS_CHECK)
    row = ApiKey.objects.get(pk=issued.row.pk)
    assert issued.key.startswith(row.prefix + "_") and len(issued.key) == len(row.prefix) + 1 + 43
    stored = " ".join(str(v) for v in ApiKey.objects.filter(pk=row.pk).values().get().values())
    assert issued.key not in stored and issued.key[len(row.prefix) + 1 :] not in stored
    assert row.digest == api_keys.digest(issued.key)
    create = AuditEntry.objects.get(action="api_key.create", object_id=str(row.pk))
    assert issued.key[len(row.prefix) :] not in str(create.new)


@pytest.mark.parametrize("path", ["/api/v1/cases", "/api/v1/queue", "/api/v1/bookings"])
def test_a_key_opens_no_operation_that_does_not_take_keys(unit_admin, path) -> None:
    issued = make(unit_admin, api_keys.UNIT_PEOPLE_READ, api_keys.UNIT_REPORTS_WRITE)
    response = Client().get(path, headers={"Authorization": f"Bearer {issued.key}"})
    assert response.status_code == 401


def test_wrong_keys_from_one_address_are_limited_then_even_a_right_one_waits(institution, settings) -> None:
    """Unknown (or refused) keys count against the caller's address at the strangers' rate
    (``throttling.StrangerThrottle``): past it 429 with ``Retry-After`` in both languages, before any key is
    looked at; another address is not held up."""
    settings.EXITENTRY_ANON_RATE = "3/h"
    issued = make(institution, api_keys.STATUS_CHECK)
    guesser = Client(REMOTE_ADDR="203.0.113.5")
    assert [call(ODD[0], client=guesser).status_code for _ in range(3)] == [401, 401, 401]
    limited = call(issued.key, client=guesser)
    status, en, zh = refusal(limited)
    assert status == 429 and "wrong API keys" in en and "错误的接口密钥" in zh
    assert 0 < int(limited["Retry-After"]) <= 3600
    assert call(issued.key, client=Client(REMOTE_ADDR="198.51.100.5")).status_code == 200


def test_a_signed_in_caller_is_still_counted_for_wrong_keys(institution, unit_admin, settings) -> None:
    """A wrong key counts against the address even where the request is signed in (``api.auth.ApiKey``
    does not rely on ``MachineCalls`` having made a keyed call anonymous): a session lifts no limit."""
    from django.test import RequestFactory

    from exitentry.api.auth import ApiKey as KeyAuth
    from exitentry.api.errors import ApiError

    settings.EXITENTRY_ANON_RATE = "3/h"
    issued = make(institution, api_keys.STATUS_CHECK)
    request = RequestFactory().get("/api/v1/whoami", REMOTE_ADDR="203.0.113.7")
    request.user = unit_admin
    auth = KeyAuth(api_keys.STATUS_CHECK)
    for _ in range(3):
        with pytest.raises(ApiError) as wrong:
            auth.authenticate(request, ODD[0])
        assert wrong.value.status == 401
    with pytest.raises(ApiError) as limited:
        auth.authenticate(request, issued.key)
    assert limited.value.status == 429
