"""The advisor's answers are posted by anyone: a stranger is held to the API's rate per address
(``EXITENTRY_ANON_RATE``), as ``POST /api/v1/advice`` is, and a signed-in account to its own
(``EXITENTRY_USER_RATE``); past it 429 with ``Retry-After``, said in both languages."""

from __future__ import annotations

import pytest
from django.test import Client

from case_helpers import sign_in
from factories import applicant

pytestmark = pytest.mark.django_db

URL = "/{lang}/advisor/rp-personal-affairs/"
ANSWER = {"household_registration_in_china": "false"}


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_stranger_posting_answers_past_the_rate_is_refused_and_another_address_is_not(
    settings, lang
) -> None:
    settings.EXITENTRY_ANON_RATE = "3/h"
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    url = URL.format(lang=lang)
    assert [stranger.post(url, ANSWER).status_code for _ in range(3)] == [200, 200, 200]
    limited = stranger.post(url, ANSWER)
    assert limited.status_code == 429 and 0 < int(limited["Retry-After"]) <= 3600
    body = limited.content.decode()
    assert "Too many requests from your address" in body and "您所在地址的请求过多" in body
    assert stranger.post(url, ANSWER, HTTP_HX_REQUEST="true").status_code == 429
    assert Client(REMOTE_ADDR="198.51.100.4").post(url, ANSWER).status_code == 200


def test_a_signed_in_account_is_held_to_its_own_rate_from_any_address(settings) -> None:
    settings.EXITENTRY_USER_RATE = "3/h"
    user = applicant()
    first = sign_in(Client(REMOTE_ADDR="203.0.113.9"), user)
    url = URL.format(lang="en")
    assert [first.post(url, ANSWER).status_code for _ in range(3)] == [200, 200, 200]
    second = sign_in(Client(REMOTE_ADDR="198.51.100.4"), user)
    limited = second.post(url, ANSWER)
    assert limited.status_code == 429 and "Too many requests from your account" in limited.content.decode()
    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), applicant()).post(url, ANSWER).status_code == 200
