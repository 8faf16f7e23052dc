"""A line's window not yet open: a few weeks away in days, further away by the day it opens."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.utils import translation

from exitentry.web.templatetags.lawtext import due_note

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("language", "opens", "said"),
    [
        ("en", date(2026, 12, 20), "opens in 13 days"),
        ("en", date(2036, 10, 20), "opens on Mon 20 October 2036"),
        ("zh-hans", date(2036, 10, 20), "2036年10月20日（周一）开始"),
    ],
)
def test_a_window_far_ahead_is_given_by_its_day(language, opens, said) -> None:
    answer = SimpleNamespace(due=date(2037, 1, 1), window_from=opens)
    with translation.override(language):
        note = due_note(answer, TODAY)
    assert note == {"kind": "later", "text": said}
