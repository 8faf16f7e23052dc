"""The periodic tasks: their due times, and one run enqueued per due time however many schedulers tick."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult
from tests.background.ticks_raced import AT, race

from exitentry.background import schedule
from exitentry.background.models import PeriodicRun
from exitentry.law.calendar import BEIJING

ROOT = Path(__file__).resolve().parents[2]
NAMES = sorted(settings.EXITENTRY_PERIODIC_TASKS)
PATHS = sorted(path for path, _ in settings.EXITENTRY_PERIODIC_TASKS.values())


def test_due_times_every_so_many_seconds_and_daily_in_beijing_time() -> None:
    every = schedule.Periodic("p", "x.y", 300)
    assert every.last_due(datetime(2026, 12, 2, 1, 7, 30, tzinfo=UTC)) == datetime(
        2026, 12, 2, 1, 5, tzinfo=UTC
    )
    daily = schedule.Periodic("d", "x.y", "09:00")
    assert daily.last_due(datetime(2026, 12, 2, 9, 0, tzinfo=BEIJING)) == datetime(
        2026, 12, 2, 9, 0, tzinfo=BEIJING
    )
    assert daily.last_due(datetime(2026, 12, 2, 8, 59, tzinfo=BEIJING)) == datetime(
        2026, 12, 1, 9, 0, tzinfo=BEIJING
    )


def test_every_periodic_task_of_the_settings_is_a_task() -> None:
    from django.utils.module_loading import import_string
    from django_tasks.base import Task

    for periodic in schedule.periodic_tasks():
        assert isinstance(import_string(periodic.task_path), Task), periodic.name


@pytest.mark.django_db
def test_a_tick_enqueues_each_due_task_once_and_the_next_due_time_again() -> None:
    assert sorted(schedule.tick(AT)) == NAMES
    assert schedule.tick(AT) == [] and schedule.tick(AT + timedelta(seconds=1)) == []
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == PATHS
    later = AT + timedelta(seconds=settings.AUDIT_CHECKPOINT_EVERY)
    assert "audit-checkpoint" in schedule.tick(later)  # with the every-minute purge of shown secrets
    run = PeriodicRun.objects.get(name="audit-checkpoint", due_at=later)
    assert (
        DBTaskResult.objects.get(pk=run.result_id).task_path
        == "exitentry.accounts.tasks.write_audit_checkpoint"
    )


EXPECTED = {"enqueued": NAMES, "runs": NAMES, "tasks": PATHS}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_schedulers_ticking_at_once_enqueue_each_run_once_on_postgresql() -> None:
    assert race() == EXPECTED


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite race")
def test_schedulers_ticking_at_once_enqueue_each_run_once_on_sqlite(tmp_path: Path) -> None:
    env = {**os.environ, "EXITENTRY_DATA_DIR": str(tmp_path), "EXITENTRY_DEBUG": "1"}
    env.pop("EXITENTRY_DATABASE_URL", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests")])
    for args in (["exitentry.cli", "manage", "migrate", "--noinput"], ["tests.background.ticks_raced"]):
        done = subprocess.run(
            [sys.executable, "-m", *args], env=env, capture_output=True, text=True, timeout=300, cwd=ROOT
        )
        assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == EXPECTED
