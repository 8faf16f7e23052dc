"""A secret shown once (``web.shown_once``) is held for the session only from the POST that makes it to
the GET that shows it, and never longer than ``TTL_SECONDS``: a GET that comes too late does not show it,
and the server deletes it past its time even when the page is never loaded (the periodic task); the
session row, read back from the database, never holds it."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from page_world import html

from case_helpers import sign_in
from exitentry import clock
from exitentry.accounts.models import HeldSecret
from exitentry.verification.models import ShareCode
from exitentry.web import shown_once
from verification.helpers import holder

pytestmark = pytest.mark.django_db
MINE = "/en/my/share-codes/"


def stored(client) -> str:
    """What the database holds for the session now: the session row decoded, and its held secrets."""
    session = str(Session.objects.get(session_key=client.session.session_key).get_decoded())
    return session + str(list(HeldSecret.objects.values("kind", "secret", "row")))


def make(client) -> str:
    """Make a code; the secret it will show, as the database holds it until then."""
    assert client.post(MINE, {"purpose": "bank", "duration": "1h"}).status_code == 303
    return re.search(r"'secret': '([0-9A-Z-]+)'", stored(client)).group(1)


def shown(answer) -> str | None:
    found = re.search(r'id="new-code">([0-9A-Z-]+)<', html(answer))
    return found.group(1) if found else None


def test_the_showing_takes_the_secret_out_of_the_stored_session(client) -> None:
    sign_in(client, holder())
    code = make(client)
    assert shown(client.get(MINE)) == code
    assert code not in stored(client) and code.replace("-", "") not in stored(client)


def test_a_secret_is_still_shown_just_before_it_expires(client) -> None:
    sign_in(client, holder())
    code = make(client)
    almost = clock.now() + timedelta(seconds=shown_once.TTL_SECONDS - 5)
    with mock.patch("exitentry.clock.now", return_value=almost):
        assert shown(client.get(MINE)) == code


def test_a_secret_whose_get_comes_too_late_is_never_shown_and_leaves_the_session(client) -> None:
    sign_in(client, holder())
    code = make(client)
    late = clock.now() + timedelta(seconds=shown_once.TTL_SECONDS + 1)
    with mock.patch("exitentry.clock.now", return_value=late):
        page = html(client.get(MINE))
    assert code not in page and 'id="new-code"' not in page
    hint = ShareCode.objects.get().hint
    assert f"The code ending …{hint} is no longer shown" in page  # so the holder knows to make another
    assert code not in stored(client) and "shown-once" not in stored(client)


def test_making_another_secret_purges_one_left_unshown(client) -> None:
    sign_in(client, holder())
    first = make(client)
    late = clock.now() + timedelta(seconds=shown_once.TTL_SECONDS + 1)
    with mock.patch("exitentry.clock.now", return_value=late):
        second = make(client)
        assert first not in stored(client)
        assert shown(client.get(MINE)) == second


def test_a_secret_whose_page_is_never_loaded_is_deleted_by_the_server_after_its_time(client) -> None:
    """The redirect's GET never comes (the tab closed, the connection lost) and the session makes no other
    request: the periodic task deletes the secret once its time is past, not before."""
    from exitentry.web.tasks import purge_shown_once

    sign_in(client, holder())
    code = make(client)
    assert purge_shown_once.call() == {"purged": 0}
    assert code in stored(client)
    late = clock.now() + timedelta(seconds=shown_once.TTL_SECONDS + 1)
    with mock.patch("exitentry.clock.now", return_value=late):
        assert purge_shown_once.call() == {"purged": 1}
    assert code not in stored(client) and code.replace("-", "") not in stored(client)


def test_the_purge_runs_every_minute(settings) -> None:
    path, every = settings.EXITENTRY_PERIODIC_TASKS["shown-once-purge"]
    assert path == "exitentry.web.tasks.purge_shown_once" and every == 60
