"""The home page tells apart the two procedures that both extend a personal-affairs residence permit."""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape
from page_world import html

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "own", "any_type"),
    [
        (
            "en",
            "The one to use for a personal-affairs permit in Beijing",
            "For a personal-affairs permit in Beijing, use “Personal-affairs residence permit (extension)” instead.",
        ),
        (
            "zh-hans",
            "在北京延期私人事务类居留许可请选此项",
            "在北京延期私人事务类居留许可的，请改选“私人事务类居留许可（延期）”。",
        ),
    ],
)
def test_each_personal_affairs_extension_card_says_whom_it_fits(client, lang, own, any_type):
    page = html(client.get(f"/{lang}/"))
    cards = dict(re.findall(r'href="/[\w-]+/guide/([\w-]+)/">[^<]*</a></h3>\s*<p>(.*?)</p>', page, re.S))
    assert escape(own) in cards["rp-personal-affairs-extension"]
    assert escape(any_type) in cards["rp-extension"]
