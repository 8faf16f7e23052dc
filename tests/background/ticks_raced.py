"""Several schedulers ticking at the same instant, each in a thread with its own connection; run as a script
(``python -m tests.background.ticks_raced``) on the migrated database ``EXITENTRY_DATA_DIR`` holds, it
prints what they left, as JSON (``test_schedule``)."""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime

SCHEDULERS = 6
AT = datetime(2026, 12, 2, 1, 30, tzinfo=UTC)  # 09:30 in Beijing: every periodic task is due


def race() -> dict:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from exitentry.background import schedule
    from exitentry.background.models import PeriodicRun

    barrier = threading.Barrier(SCHEDULERS)
    enqueued: list[str] = []

    def run() -> None:
        try:
            barrier.wait()
            enqueued.extend(schedule.tick(AT))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(SCHEDULERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "enqueued": sorted(enqueued),
        "runs": sorted(PeriodicRun.objects.values_list("name", flat=True)),
        "tasks": sorted(DBTaskResult.objects.values_list("task_path", flat=True)),
    }


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exitentry.settings")
    django.setup()
    print(json.dumps(race()))
