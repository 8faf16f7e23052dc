"""A counter is named by its hall's name as ``law.halls.hall_label`` gives it (the catalog's name, or the
id of a hall the catalog no longer lists) in the active language, and its number."""

from __future__ import annotations

from django.utils.translation import override

from exitentry.appointments.models import Counter
from exitentry.law.halls import hall_label


def test_a_counter_is_named_by_its_halls_catalog_name_in_the_active_language_and_its_number():
    counter = Counter(hall_id="reception-hall", number=3)
    with override("en"):
        assert str(counter) == (
            "Exit-Entry Administration Reception Hall of Beijing Municipal Public Security Bureau #3"
        )
    with override("zh-hans"):
        assert str(counter) == "北京市公安局出入境管理总队接待大厅 #3"


def test_a_counter_of_a_hall_the_catalog_no_longer_lists_is_named_by_the_halls_id():
    with override("zh-hans"):
        assert str(Counter(hall_id="closed-hall", number=2)) == "closed-hall #2"
    assert hall_label("closed-hall").en == hall_label("closed-hall").zh == "closed-hall"
