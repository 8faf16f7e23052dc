"""The background worker of the tests: ``drain`` runs, in this process, every task that is ready (again and
again while retries come due at once), as ``exitentry worker --batch`` does.

The worker closes the connections it finds outside autocommit between tasks, as it should in a process of
its own; inside a test's transaction that would be the test's own connection, so ``drain`` keeps it."""

from __future__ import annotations

from unittest import mock

from exitentry.background.worker import Worker


def drain(max_tasks: int | None = None) -> None:
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        worker.run()
