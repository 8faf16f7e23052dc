"""A name shown in a language other than the page's carries ``lang`` (WCAG 2.2 SC 3.1.2, Language of Parts),
so assistive technology reads it with the right voice: a person's Chinese name on an English page, a
unit's English name on a Chinese page where it keeps no Chinese one, a Chinese name kept as a unit's only
name on an English page. A name in the page's own language carries none. One filter does it (``name``)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from exitentry.accounts.models import Unit
from exitentry.law.text import Text
from unit_world import Roster

pytestmark = pytest.mark.django_db


def shown(value, language: str) -> str:
    with translation.override(language):
        return Template("{% load lawtext %}{{ value|name }}").render(Context({"value": value}))


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        ("王小明", "en", '<span lang="zh-Hans">王小明</span>'),
        ("王小明", "zh-hans", "王小明"),
        (Text("Demo Tech", "示范科技"), "en", "Demo Tech"),
        (Text("Demo Tech", "示范科技"), "zh-hans", "示范科技"),
        (Text("Demo Tech", "Demo Tech"), "zh-hans", '<span lang="en">Demo Tech</span>'),
        (Text("示范科技", "示范科技"), "en", '<span lang="zh-Hans">示范科技</span>'),
        (Text("<b>Tech</b>", "<b>Tech</b>"), "zh-hans", '<span lang="en">&lt;b&gt;Tech&lt;/b&gt;</span>'),
        ("", "en", ""),
        (None, "en", ""),
    ],
)
def test_the_filter_marks_a_name_in_the_other_language(value, language, expected) -> None:
    assert shown(value, language) == expected


def test_a_persons_chinese_name_on_the_english_roster_and_their_page_is_marked() -> None:
    roster = Roster()
    roster.in_20.chinese_name = "二十"
    roster.in_20.save()
    client = client_for(roster.handler)
    assert '<span lang="zh-Hans">二十</span>' in html(client.get("/en/unit/"))
    assert '<span lang="zh-Hans">二十</span>' in html(client.get(f"/en/unit/people/{roster.in_20.pk}/"))
    assert 'lang="zh-Hans">二十' not in html(client.get("/zh-hans/unit/"))


def test_a_units_english_name_on_the_chinese_page_is_marked_where_it_keeps_no_chinese_one() -> None:
    roster = Roster()
    Unit.objects.filter(pk=roster.unit.pk).update(name_zh="")
    page = html(client_for(roster.handler).get("/zh-hans/unit/"))
    assert '<span lang="en">Demo Tech</span>' in page
