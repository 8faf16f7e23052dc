"""What people read carries the law's numbers, never a parameter's placeholder ("over
{chinese-origin-property-age}"): the lists of procedures, in both languages, on the web and in the API."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from exitentry.law.catalog import catalog

pytestmark = pytest.mark.django_db
PLACEHOLDER = re.compile(r"\{[a-z][a-z0-9_-]*\}")


# Beijing's personal-affairs guide: a person of Chinese origin over 60 who bought a home may apply.
WRITTEN_IN = {
    "/en/": "Chinese origin over 60 who bought",
    "/zh-hans/": "60周岁以上外籍华人",
    "/api/v1/procedures": "Chinese origin over 60 who bought",
}


@pytest.mark.parametrize("path", WRITTEN_IN)
def test_the_lists_of_procedures_read_with_their_numbers(path) -> None:
    body = Client().get(path).content.decode("unicode_escape" if path.startswith("/api") else "utf-8")
    assert catalog().procedures, "no procedures to list"
    assert not PLACEHOLDER.findall(body), PLACEHOLDER.findall(body)[:5]
    assert WRITTEN_IN[path] in body
