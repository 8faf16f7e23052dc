"""The background worker of the tests: ``drain`` runs, in this process, every task that is ready (again and
again while retries come due at once), as ``exitentry worker --batch`` does."""

from __future__ import annotations

from exitentry.background.worker import Worker


def drain(max_tasks: int | None = None) -> None:
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()
