"""``exitentry.compiled``: queries by one key, compiled once; and the session, user and second-factor device
reads built on it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db.models import F
from django.utils import timezone
from django_otp.middleware import OTPMiddleware

from case_helpers import accepted, authenticator
from exitentry.accounts.backends import ModelBackend
from exitentry.accounts.models import User
from exitentry.accounts.otp_devices import SecondFactorDevice, by_id
from exitentry.accounts.sessions import SessionStore
from exitentry.cases.models import Case, FeeExemption, Material
from exitentry.compiled import KeyedQuery, insert
from factories import UserFactory, applicant, officer

pytestmark = pytest.mark.django_db


def test_a_query_that_does_not_use_its_key_is_refused_not_run_without_it() -> None:
    with pytest.raises(ValueError, match="the query must use its key"):
        KeyedQuery(lambda case: Material.objects.filter(size__gt=5))(1)


def test_the_querys_other_values_are_fixed_when_built_and_the_key_goes_wherever_it_is_used() -> None:
    clerk, visitor = officer("reception-hall"), applicant()
    staff = KeyedQuery(
        lambda pk: User.objects.filter(pk__gte=pk, pk__lte=pk, role__in=("officer", "supervisor"))
    )
    assert staff(clerk.pk) == [clerk] and staff(visitor.pk) == []
    ((params, key_at),) = {(c.params, c.key_at) for c in staff._compiled.values()}
    assert key_at == (0, 1) and params[2:] == ("officer", "supervisor")


def test_insert_writes_the_row_save_would_in_one_statement(django_assert_num_queries) -> None:
    first, second = (accepted(applicant(), "rp-personal-affairs") for _ in range(2))
    saved = FeeExemption.objects.create(case=first[0], reason="order 1", recorded_by=first[1].user)
    inserted = FeeExemption(case=second[0], reason="order 1", recorded_by=first[1].user)
    with django_assert_num_queries(1):
        insert(inserted)
    assert inserted.pk is not None and not inserted._state.adding
    stored = FeeExemption.objects.get(pk=inserted.pk)
    own = ("id", "case_id", "recorded_at")
    assert {k: v for k, v in _fields(stored).items() if k not in own} == {
        k: v for k, v in _fields(saved).items() if k not in own
    }
    assert (stored.case_id, stored.recorded_at) == (second[0].pk, inserted.recorded_at)


@pytest.mark.parametrize(
    "build",
    [
        lambda case: Material.objects.filter(case_id=case).values("pk"),
        lambda case: Case.objects.filter(pk=case).prefetch_related("payments"),
    ],
)
def test_a_query_for_other_than_model_objects_is_refused(build) -> None:
    with pytest.raises(ValueError, match="reads model objects"):
        KeyedQuery(build)(1)


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_objects_come_back_as_the_queryset_builds_them_with_what_they_hold_one_of(
    django_assert_num_queries,
) -> None:
    waived, clerk = accepted(applicant(), "rp-personal-affairs")
    plain, _ = accepted(applicant(), "rp-personal-affairs")
    FeeExemption.objects.create(case=waived, reason="order 1", recorded_by=clerk.user)

    def build(key):
        related = Case.objects.filter(pk=key).select_related("person", "permit", "fee_exemption")
        return related.annotate(surname=F("person__surname"))

    by_pk = KeyedQuery(build)
    for case in (waived, plain):
        [kept], [orm] = by_pk(case.pk), list(build(case.pk))
        with django_assert_num_queries(0):
            assert _fields(kept) == _fields(orm) and kept.facts == orm.facts and kept.surname == orm.surname
            assert _fields(kept.person) == _fields(orm.person) and kept.permit == orm.permit
            assert not kept._state.adding and kept._state.db == orm._state.db
            if case == waived:
                assert _fields(kept.fee_exemption) == _fields(orm.fee_exemption)
            else:
                assert not hasattr(kept, "fee_exemption") and not hasattr(orm, "fee_exemption")


def test_the_sql_is_compiled_once_and_serves_every_key() -> None:
    first, second = UserFactory(), UserFactory()
    by_pk = KeyedQuery(lambda pk: type(first).objects.filter(pk=pk))
    assert by_pk(first.pk) == [first] and by_pk(second.pk) == [second] and by_pk(-1) == []
    assert len(by_pk._compiled) == 1


def test_a_session_reads_back_until_it_expires_and_not_after() -> None:
    store = SessionStore()
    store["who"] = "officer"
    store.create()
    assert SessionStore(store.session_key)["who"] == "officer"
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(store.session_key)
    assert "who" not in expired and expired.session_key is None
    assert "who" not in SessionStore("no-such-key-" + "x" * 20)


def test_the_backend_gives_an_active_user_and_refuses_an_inactive_or_unknown_one() -> None:
    user, gone = UserFactory(), UserFactory(is_active=False)
    backend = ModelBackend()
    assert backend.get_user(user.pk) == user and backend.get_user(user.pk).role == user.role
    assert backend.get_user(gone.pk) is None and backend.get_user(-5) is None


def test_the_second_factors_device_is_found_by_its_persistent_id_as_django_otp_finds_it() -> None:
    device = authenticator(officer("reception-hall"))
    ours = SecondFactorDevice(lambda request: None)._device_from_persistent_id
    theirs = OTPMiddleware(lambda request: None)._device_from_persistent_id
    legacy = f"django_otp.plugins.otp_totp.models.TOTPDevice/{device.pk}"
    assert ours(device.persistent_id) == device and ours(legacy) == device
    for other in ("", "otp_totp.totpdevice", "otp_totp.totpdevice/x", "nope.device/1"):
        assert ours(other) is None and theirs(other) is None, other
    assert ours("accounts.user/1") is None  # not a device (django-otp's own fails on it)
    assert ours(f"otp_totp.totpdevice/{device.pk + 1000}") is None
    assert len(by_id(type(device))._compiled) == 1
