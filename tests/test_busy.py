"""A transaction the database aborted to break a deadlock answers 409, "nothing saved, send it again", in
both languages, on the pages and in the API, never 500 (PostgreSQL: SQLite has no deadlock to break)."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError, connection, transaction
from django.test import RequestFactory
from django.utils import translation

from exitentry.api.errors import describe
from exitentry.busy import BUSY, aborted_for_another
from exitentry.registry.models import Person
from exitentry.web.busy import Busy
from factories import PersonFactory
from race_helpers import PATIENCE

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def deadlock() -> OperationalError:
    """The error of the transaction PostgreSQL aborted: two lock the same two rows in opposite orders."""
    people = [PersonFactory().pk, PersonFactory().pk]
    both_hold_one = threading.Barrier(2)
    raised: list[BaseException] = []

    def lock(first: int, then: int) -> None:
        try:
            with transaction.atomic():
                list(Person.objects.select_for_update().filter(pk=first).values_list("pk"))
                both_hold_one.wait(timeout=PATIENCE)
                list(Person.objects.select_for_update().filter(pk=then).values_list("pk"))
        except OperationalError as exc:
            raised.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=lock, args=pair) for pair in (people, people[::-1])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(raised) == 1, raised
    return raised[0]


def test_the_api_answers_a_deadlock_409_send_it_again(deadlock) -> None:
    assert aborted_for_another(deadlock)
    assert describe(deadlock) == (409, [(None, BUSY)])
    assert describe(OperationalError("the server closed the connection"))[0] == 500


@pytest.mark.parametrize(
    ("language", "title", "says"), [("en", "Not saved", BUSY.en), ("zh-hans", "未保存", BUSY.zh)]
)
def test_a_page_answers_a_deadlock_409_send_it_again(deadlock, language, title, says) -> None:
    request = RequestFactory().post("/cases/1/withdraw/")
    request.user = AnonymousUser()
    with translation.override(language):
        response = Busy(lambda r: None).process_exception(request, deadlock)
    assert response.status_code == 409
    assert f"<h1>{title}</h1>" in response.content.decode() and says in response.content.decode()
    assert Busy(lambda r: None).process_exception(request, OperationalError("gone")) is None
