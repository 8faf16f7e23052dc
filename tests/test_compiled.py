"""``exitentry.compiled``: queries by one key, compiled once; and the session and user reads built on it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from exitentry.accounts.backends import ModelBackend
from exitentry.accounts.sessions import SessionStore
from exitentry.cases.models import Material
from exitentry.compiled import KeyedQuery
from factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_query_with_another_parameter_is_refused_not_run_with_the_wrong_one() -> None:
    with pytest.raises(ValueError, match="the key must be the query's only parameter"):
        KeyedQuery(lambda case: Material.objects.filter(case_id=case, size__gt=5))(1)


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
