"""A throttle's counter lasts its whole window in the production database cache, whose ``incr`` rewrites the
row with the cache's default timeout (300 s)."""

from __future__ import annotations

import types
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from exitentry import throttling


class Hourly(throttling.WindowThrottle):
    scope = "probe-hourly"

    def rate(self) -> str:
        return "3/h"


@pytest.mark.django_db(transaction=True)
def test_an_hourly_count_holds_after_five_quiet_minutes_in_the_database_cache(settings, monkeypatch):
    table = "exitentry_cache_window_probe"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    }
    call_command("createcachetable", verbosity=0)
    mid_hour = 1_800_000_000 // 3600 * 3600 + 1800
    monkeypatch.setattr(throttling, "time", types.SimpleNamespace(time=lambda: mid_hour))
    try:
        limit = Hourly()
        for _ in range(3):
            limit.count("203.0.113.9")
        assert limit.spent("203.0.113.9")
        later = timezone.now() + timedelta(seconds=301)
        monkeypatch.setattr("django.core.cache.backends.db.tz_now", lambda: later)
        assert limit.spent("203.0.113.9")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
