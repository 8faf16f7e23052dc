"""The slot picker warns beside a time inside the cancellation cut-off, and its paging reads as paging."""

from __future__ import annotations

from unittest import mock

import pytest
from tests.appointments.helpers import WEEK, at, hall_with_slots

from case_helpers import client_for, submitted
from chinese_text import stray
from exitentry.appointments.models import BookingRules
from factories import applicant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday_before")]
SUNDAY_NIGHT = at("2026-11-22T22:06")


def picker_page(lang: str, when=SUNDAY_NIGHT, **query):
    hall_with_slots()
    user = applicant()
    case = submitted(user, "rp-work")
    with mock.patch("exitentry.clock.now", return_value=when):
        page = client_for(user).get(f"/{lang}/my/{case.pk}/booking/", {"from": WEEK.isoformat(), **query})
    assert page.status_code == 200
    return page


def picker(lang: str, when=SUNDAY_NIGHT, **query) -> str:
    return picker_page(lang, when, **query).content.decode()


def day_section(html: str, heading: str) -> str:
    start = html.index(f"<h2>{heading}</h2>")
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize(
    "lang, monday, tuesday, warning",
    [
        ("en", "Mon 23 November 2026", "Tue 24 November 2026", "cannot be cancelled or moved"),
        ("zh-hans", "2026年11月23日（周一）", "2026年11月24日（周二）", "不能取消或改约"),
    ],
)
def test_a_time_inside_the_cut_off_is_marked_before_it_is_booked(lang, monday, tuesday, warning) -> None:
    html = picker(lang)
    assert warning in html and "24" in html[html.index(warning) - 300 : html.index(warning) + 300]
    assert "slot final" in day_section(html, monday)
    assert "slot final" not in day_section(html, tuesday)


def test_the_warning_follows_the_booking_rules_cut_off() -> None:
    BookingRules.objects.update_or_create(pk=1, defaults={"cutoff_hours": 48})
    html = picker("en")
    assert "within 48 hours" in html
    assert "slot final" in day_section(html, "Tue 24 November 2026")


def test_nothing_is_marked_when_every_time_is_far_enough() -> None:
    html = picker("en", when=at("2026-11-20T10:00"))
    assert "slot final" not in html and "cannot be cancelled or moved" not in html


@pytest.mark.parametrize(
    "lang, later, earlier", [("en", "Later days", "Earlier days"), ("zh-hans", "更晚的日期", "更早的日期")]
)
def test_the_other_days_links_follow_the_listed_days(lang, later, earlier) -> None:
    html = picker(lang, when=at("2026-11-20T10:00"))
    assert html.index(later) > html.rindex('class="slot-day"') and earlier in html


def test_a_final_time_is_marked_in_chinese_with_no_space_before_its_bracket() -> None:
    page = picker_page("zh-hans")
    assert "（不可更改）" in day_section(page.content.decode(), "2026年11月23日（周一）")
    assert stray(page) == []
