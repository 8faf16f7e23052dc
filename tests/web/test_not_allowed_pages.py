"""An address that only takes a form (a step's POST), reached by a reload or Back, answers 405 with a page
in both languages that says so and leads back to the page the form belongs to, never an empty body; the
API keeps its own 405 shape."""

from __future__ import annotations

import pytest
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from case_helpers import submitted
from factories import applicant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "first", "second"),
    [
        ("zh-hans", "此地址只接受从页面提交的表单", "This address only takes a form sent from its page"),
        ("en", "This address only takes a form sent from its page", "此地址只接受从页面提交的表单"),
    ],
)
@pytest.mark.parametrize("step", ["submit", "resubmit", "upload", "answers"])
def test_a_get_to_a_steps_address_answers_a_bilingual_405_leading_back_to_the_case(lang, first, second, step):
    user = applicant()
    case = submitted(user, "rp-work")
    response = client_for(user).get(f"/{lang}/my/{case.pk}/{step}/")
    page = html(response)
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert page.index(first) < page.index(second)
    assert f'href="/{lang}/my/{case.pk}/"' in page


def test_the_api_keeps_its_own_405():
    response = client_for(applicant()).delete("/api/v1/procedures")
    assert response.status_code == 405 and response["Content-Type"].startswith("application/json")


def test_an_empty_405_without_allow_still_gets_the_page():
    """A view's bare ``HttpResponseNotAllowed`` is not the only empty 405: one without ``Allow`` gets the page
    too, without the header, never a server error."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from exitentry.web.not_allowed import NotAllowedPage

    request = RequestFactory().get("/en/my/")
    page = NotAllowedPage(lambda request: HttpResponse(status=405))(request)
    assert page.status_code == 405 and "Allow" not in page and page.content
