"""The periodic tasks of ``settings.EXITENTRY_PERIODIC_TASKS`` (name -> (dotted task path, when)), enqueued
once per due time whatever the number of schedulers: each run is a ``PeriodicRun`` row, unique per task and
due time, inserted in the same transaction as the task's own row; the scheduler that loses the insert
enqueues nothing.

``when`` is a number of seconds (every so often, counted from the epoch, so every scheduler finds the same
due times) or ``"HH:MM"`` (every day at that time, Beijing time). A scheduler enqueues the latest due run
it has not seen: a run missed while no worker ran is done once when one starts, not once per time missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from exitentry import clock
from exitentry.background.models import PeriodicRun
from exitentry.law.calendar import BEIJING


@dataclass(frozen=True, slots=True)
class Periodic:
    name: str
    task_path: str
    when: int | str

    def last_due(self, now: datetime) -> datetime:
        """The latest due time at or before ``now``."""
        if isinstance(self.when, int):
            seconds = int(now.timestamp()) // self.when * self.when
            return datetime.fromtimestamp(seconds, UTC)
        local = now.astimezone(BEIJING)
        due = datetime.combine(local.date(), time.fromisoformat(self.when), BEIJING)
        return due if due <= local else due - timedelta(days=1)


def periodic_tasks() -> list[Periodic]:
    tasks = []
    for name, (path, when) in settings.EXITENTRY_PERIODIC_TASKS.items():
        if isinstance(when, int) and when < 1:
            raise ValueError(f"periodic task {name!r}: every {when} seconds")
        tasks.append(Periodic(name, path, when))
    return tasks


def tick(now: datetime | None = None) -> list[str]:
    """Enqueue every periodic task whose latest due run no scheduler has enqueued; the names enqueued."""
    now = now or clock.now()
    enqueued = []
    for periodic in periodic_tasks():
        due = periodic.last_due(now)
        if PeriodicRun.objects.filter(name=periodic.name, due_at=due).exists():
            continue
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(name=periodic.name, due_at=due)
                result = import_string(periodic.task_path).enqueue()
                PeriodicRun.objects.filter(pk=run.pk).update(result_id=str(result.id))
        except IntegrityError:  # another scheduler enqueued it first
            continue
        enqueued.append(periodic.name)
    return enqueued
