"""A checklist for a procedure whose materials the sources do not list (permanent residence): the
explanation stands under "Materials to bring", not an empty heading; the time and "in person or by proxy"
headings say what the sources say, or that they do not state it, citing."""

from __future__ import annotations

import re

import pytest
from test_advisor import click_through

pytestmark = pytest.mark.django_db
URL = "/{lang}/advisor/pr-application/"
ANSWERS = {
    "pr_conditions_met": "true",
    "household_registration_in_china": "false",
    "birth_date": "1980-01-01",
    "limited_mobility": "false",
    "documents_in_other_language": "false",
}


def section(html: str, heading: str) -> str:
    """What follows ``heading`` up to the next heading."""
    found = re.search(rf"<h3[^>]*>{re.escape(heading)}</h3>(.*?)(?=<h3|</section>)", html, re.S)
    assert found, f"no heading {heading!r}"
    return found.group(1)


@pytest.mark.parametrize(
    ("lang", "materials", "says", "time", "not_stated", "proxy"),
    [
        (
            "en",
            "Materials to bring",
            "the sources do not hold it",
            "Time",
            "processing time is not stated",
            "In person or by proxy",
        ),
        ("zh-hans", "需携带的材料", "本资料未收录该清单", "时限", "资料未载明办理时限", "本人办理或代办"),
    ],
)
def test_the_explanation_stands_under_the_headings_it_belongs_to(
    client, beijing_at, lang, materials, says, time, not_stated, proxy
):
    html = click_through(client, lang, ANSWERS, url=URL)
    assert says in section(html, materials)
    assert not_stated in section(html, time)
    assert section(html, proxy).strip()
    assert html.count(says) == 1  # not repeated in the notes
