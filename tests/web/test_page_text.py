"""What the pages say, in both languages: dates and times read as words in Beijing time, never as raw
ISO stamps; names kept in two languages shown in the page's."""

from __future__ import annotations

import re

import pytest
from page_world import client_for, html, make_world, pages_today  # noqa: F401 - pages_today is an autouse fixture

from case_helpers import accepted
from exitentry.accounts.models import Role
from factories import UnitFactory, UserFactory, applicant

pytestmark = pytest.mark.django_db

ISO_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
IN_WORDS = {
    "/zh-hans": re.compile(r"\d{4}年\d{1,2}月\d{1,2}日（周.）\d{2}:\d{2}"),
    "/en": re.compile(r"[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]+ \d{4} \d{2}:\d{2}"),
}


def _visible(page: str) -> str:
    """The page's text, without the markup (and so without machine-read attributes such as ``datetime``)."""
    return re.sub(r"<[^>]+>", " ", page)


@pytest.mark.parametrize("prefix", ["/zh-hans", "/en"])
def test_the_case_pages_show_no_raw_timestamps(prefix):
    """The history, the files received and the verification tasks read as the other dates do."""
    owner = applicant()
    case, clerk = accepted(owner, "rp-work")
    hall = client_for(clerk.user)
    assert hall.post(f"{prefix}/console/cases/{case.pk}/open_task/", {"kind": "phone"}).status_code == 302
    for client, path in ((client_for(owner), f"/my/{case.pk}/"), (hall, f"/console/cases/{case.pk}/")):
        text = _visible(html(client.get(prefix + path)))
        assert ISO_STAMP.findall(text) == [], path
        assert IN_WORDS[prefix].search(text), path


@pytest.mark.parametrize(
    ("role", "ask"),
    [(Role.UNIT, "ask your unit's administrator"), (Role.APPLICANT, "ask the Exit-Entry Administration")],
)
def test_the_refusal_page_says_whom_to_ask(role, ask):
    """A unit handler's accounts are the unit's to give; anyone else asks the administration."""
    user = UserFactory(role=role, unit=UnitFactory() if role == Role.UNIT else None)
    response = client_for(user).get("/en/console/health/")
    assert response.status_code == 403 and ask in html(response)


@pytest.mark.parametrize(
    ("prefix", "shown", "not_shown"),
    [
        ("/zh-hans", "：示范科技有限公司", "Demo Technology Ltd"),
        ("/en", ": Demo Technology Ltd", "示范科技有限公司"),
    ],
)
def test_the_case_page_names_the_submitting_unit_in_the_pages_language(prefix, shown, not_shown):
    world = make_world()
    unit = world.user("unit").unit
    unit.name, unit.name_zh = "Demo Technology Ltd", "示范科技有限公司"
    unit.save()
    page = _visible(html(world.client("officer").get(f"{prefix}/console/cases/{world.own['unit'].pk}/")))
    assert shown in page and not_shown not in page
