"""With DEBUG off (the suite's settings, as production), an unexpected failure answers without the
traceback, the SQL or the exception's words, on a page and in the API; so do a missing page and a
refusal."""

from __future__ import annotations

import pytest
from django.db import ProgrammingError
from django.test import Client

from case_helpers import client_for
from factories import applicant

pytestmark = pytest.mark.django_db
SECRET = 'relation "cases_case" SELECT "cases_case"."reference" FROM secret_table_name'
LEAKS = ("Traceback", "SELECT", "secret_table_name", "ProgrammingError", 'File "/', "site-packages")


def _fail(*args, **kwargs):
    raise ProgrammingError(SECRET)


def test_debug_is_off_here(settings):
    assert settings.DEBUG is False


def test_a_failing_page_and_api_call_show_nothing_of_the_failure(monkeypatch):
    monkeypatch.setattr("exitentry.cases.access.cases_for", _fail)
    browser = client_for(applicant())
    browser.raise_request_exception = False
    for path in ("/en/my/", "/api/v1/cases"):
        answer = browser.get(path)
        assert answer.status_code == 500, path
        said = answer.content.decode()
        assert not [leak for leak in LEAKS if leak in said], (path, said[:300])


@pytest.mark.parametrize("path", ["/en/no-such-page/", "/api/v1/no-such", "/en/console/", "/admin/nothing/"])
def test_missing_and_refused_pages_name_no_internals(path):
    said = Client().get(path, follow=True).content.decode()
    assert not [leak for leak in (*LEAKS, "urlpatterns", "URLconf") if leak in said], path


@pytest.mark.parametrize("path", ["/en/my/", "/zh-hans/my/"])
def test_a_failing_page_says_so_in_chinese_then_english_on_the_sites_own_page(monkeypatch, path):
    """``500.html`` is rendered without the request (Django's ``server_error``): static, both languages."""
    monkeypatch.setattr("exitentry.cases.access.cases_for", _fail)
    browser = client_for(applicant())
    browser.raise_request_exception = False
    answer = browser.get(path)
    said = answer.content.decode()
    assert answer.status_code == 500 and answer["Content-Type"].startswith("text/html")
    assert "Server Error (500)" not in said and '<html lang="zh-Hans">' in said
    assert said.index("服务器出错") < said.index("Something went wrong on our side")
    assert 'href="/zh-hans/"' in said and 'href="/en/"' in said
    assert "<style" not in said and "<script" not in said and " style=" not in said  # the CSP allows none
