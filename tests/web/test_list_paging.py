"""Every paged list of the site reads its ``page`` as a person means it (``web.paging.page_of``): ``01`` is
page 1 and ``02`` page 2, said nothing of; a page below 1 or no number at all shows the first page, one past
the last the last page, and the list says so in the page's language, never a 500 nor a silent other page."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.utils import translation
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from exitentry.accounts.models import Role
from exitentry.web.paging import page_of
from factories import applicant, officer, unit_handler

pytestmark = pytest.mark.django_db

LISTS = {
    "/notices/": None,
    "/my/": applicant,
    "/my/reminders/": applicant,
    "/my/share-codes/": applicant,
    "/console/": officer,
    "/console/alerts/": officer,
    "/console/lookup/": lambda: officer(role=Role.SUPERVISOR),  # the lookups made at the halls
    "/unit/": unit_handler,
    "/unit/reports/": unit_handler,
}
SAID = {
    "en": "There is no page “{asked}”; shown instead: page 1 of 1.",
    "zh-hans": "没有第“{asked}”页，改为显示第1页，共1页。",
}


def notes(page: str) -> list[str]:
    return re.findall(r'<p class="notice not-understood" role="note">([^<]*)</p>', page)


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("asked", ["01", "1", "0", "-1", "abc", "999999", "9" * 5000])
def test_every_paged_list_answers_an_odd_page_with_a_page_and_says_what_it_shows(path, asked):
    maker = LISTS[path]
    response = client_for(maker() if maker else None).get(f"/en{path}", {"page": asked})
    assert response.status_code == 200
    said = (
        []
        if asked in {"01", "1"}
        else [SAID["en"].format(asked=asked if len(asked) < 20 else "9" * 19 + "…")]
    )
    assert notes(html(response)) == said


@pytest.mark.parametrize("lang", SAID)
def test_the_list_says_it_in_the_page_s_language(lang):
    response = client_for(applicant()).get(f"/{lang}/my/reminders/?page=0")
    assert notes(html(response)) == [SAID[lang].format(asked="0")]


@pytest.mark.parametrize(
    ("asked", "shown", "said"),
    [
        (None, 1, False),
        ("", 1, False),
        ("2", 2, False),
        ("02", 2, False),
        (" 3 ", 3, False),
        ("0", 1, True),
        ("-2", 1, True),
        ("two", 1, True),
        ("2.0", 1, True),
        ("4", 3, True),
        ("999999", 3, True),
    ],
)
def test_a_page_below_the_first_is_the_first_past_the_last_the_last_and_either_is_said(asked, shown, said):
    request = RequestFactory().get("/", {} if asked is None else {"page": asked})
    with translation.override("en"):
        page = page_of(request, ["a", "b", "c"], size=1)
    assert page.number == shown
    assert bool(page.not_understood) is said
    if said:
        assert f"shown instead: page {shown} of 3" in page.not_understood
