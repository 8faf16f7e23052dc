"""``exitentry worker``: django-tasks-db's worker, with two things it lacks, and the scheduler beside it.

- Retries: a task that fails is run again after a backoff (``EXITENTRY_TASK_BACKOFF`` seconds, doubled at
  each attempt, at most an hour), until it has been tried ``EXITENTRY_TASK_ATTEMPTS`` times; then it stays
  FAILED. Its row keeps the last error's class and traceback meanwhile, shown in the admin (Task results).
  The attempts are the row's ``worker_ids``: every claim adds one.
- Recovery: django-tasks-db leaves a task RUNNING for ever when its worker dies (SIGKILL, a lost machine).
  A task RUNNING for longer than ``EXITENTRY_TASK_TIMEOUT`` seconds is taken to be orphaned and made
  READY again (an attempt spent), at the worker's start and on every scheduler tick. The timeout must
  exceed the longest task; tasks are written to be run again safely (idempotent).

The scheduler (``schedule.tick``) runs in a thread of the same process every ``EXITENTRY_SCHEDULER_TICK``
seconds; the worker's loop keeps the main thread, where the signals arrive.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from exitentry import clock
from exitentry.background import schedule

logger = logging.getLogger("exitentry.background")

MAX_BACKOFF = 3600


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next attempt, after ``attempts`` tries."""
    return timedelta(seconds=min(settings.EXITENTRY_TASK_BACKOFF * 2 ** (attempts - 1), MAX_BACKOFF))


def retry_or_fail(result: DBTaskResult, now: datetime | None = None) -> bool:
    """Put a failed task back in the queue for its next attempt, if it has any left; whether it did."""
    attempts = len(result.worker_ids)
    if attempts >= settings.EXITENTRY_TASK_ATTEMPTS:
        logger.error("task %s (%s) failed for good after %d attempts", result.id, result.task_path, attempts)
        return False
    run_after = (now or clock.now()) + backoff(attempts)
    DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=run_after, finished_at=None
    )
    logger.warning(
        "task %s (%s) failed (attempt %d); again at %s", result.id, result.task_path, attempts, run_after
    )
    return True


def recover_orphans(now: datetime | None = None) -> int:
    """Tasks RUNNING for longer than the timeout, their worker presumed dead: READY again, or FAILED when
    that was their last attempt. How many were found."""
    now = now or clock.now()
    cutoff = now - timedelta(seconds=settings.EXITENTRY_TASK_TIMEOUT)
    found = 0
    for result in DBTaskResult.objects.running().filter(started_at__lt=cutoff):
        note = (
            f"The worker running this task ({result.worker_ids[-1] if result.worker_ids else '?'}) stopped "
            f"answering: still RUNNING {settings.EXITENTRY_TASK_TIMEOUT} s after {result.started_at:%Y-%m-%d %H:%M:%S}.\n"
        )
        last = len(result.worker_ids) >= settings.EXITENTRY_TASK_ATTEMPTS
        changes = {"exception_class_path": "exitentry.background.worker.Orphaned", "traceback": note}
        if last:
            changes |= {"status": TaskResultStatus.FAILED, "finished_at": now}
        else:
            changes |= {"status": TaskResultStatus.READY, "run_after": now}
        # Only if no one else has recovered (and another worker claimed) it meanwhile.
        with transaction.atomic():
            found += DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
            ).update(**changes)
        logger.warning(
            "task %s (%s) orphaned by its worker: %s", result.id, result.task_path, changes["status"]
        )
    return found


class Worker(db_worker.Worker):
    """django-tasks-db's worker; a failed task is retried (``retry_or_fail``)."""

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if db_task_result.status == TaskResultStatus.FAILED:
            retry_or_fail(db_task_result)


class Scheduler(threading.Thread):
    """Every tick: recover orphaned tasks, then enqueue the periodic tasks that are due."""

    def __init__(self, every: float):
        super().__init__(name="exitentry-scheduler", daemon=True)
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            close_old_connections()
            try:
                recover_orphans()
                for name in schedule.tick():
                    logger.info("periodic task %s enqueued", name)
            except Exception:  # a database gone for a while: try again next tick
                logger.exception("the scheduler's tick failed")
            finally:
                close_old_connections()
            self.stopped.wait(self.every)


def run(
    *, interval: float = 1.0, scheduler: bool = True, batch: bool = False, max_tasks: int | None = None
) -> None:
    """Run the worker (and the scheduler beside it) until a signal stops it."""
    recover_orphans()
    ticker = Scheduler(settings.EXITENTRY_SCHEDULER_TICK) if scheduler else None
    if ticker is not None:
        ticker.start()
    worker = Worker(
        queue_names=list(settings.TASKS["default"].get("QUEUES", ["default"])),
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=max_tasks,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )
    stopping = [signal.SIGINT, signal.SIGTERM, *([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else [])]
    before = {number: signal.getsignal(number) for number in stopping}
    worker.configure_signals()  # these signals stop the worker after its task ...
    try:
        worker.run()
    finally:
        for number, handler in before.items():  # ... and only while it runs (a test calls ``run`` in-process)
            signal.signal(number, handler)
        if ticker is not None:
            ticker.stopped.set()
