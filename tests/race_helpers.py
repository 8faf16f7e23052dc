"""Ordering two transactions on PostgreSQL by what the database shows, not by how long a step takes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.db import connection, transaction

PATIENCE = 20  # seconds before a race that never reaches its next step fails the test instead of hanging


def backend_pid() -> int:
    """The server process of this thread's connection (each thread has its own)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def until_blocked(waiter: int, holder: int | None, running: threading.Thread) -> None:
    """Return once the backend ``waiter`` waits for a lock ``holder`` holds (None: any other backend, such
    as one queued before it for the same row), or once ``running`` (the waiter's thread) has ended."""
    deadline = time.monotonic() + PATIENCE
    with connection.cursor() as cursor:
        while running.is_alive():
            cursor.execute(
                "SELECT coalesce(%s = ANY(pg_blocking_pids(%s)), cardinality(pg_blocking_pids(%s)) > 0)",
                [holder, waiter, waiter],
            )
            if cursor.fetchone()[0]:
                return
            assert time.monotonic() < deadline, "the other transaction neither waited for this one nor ended"
            time.sleep(0.01)  # between two looks at the database; the order comes from the database


def waits_for(hold: Callable[[], object], other: Callable[[], object]) -> bool:
    """Whether ``other``, run in a thread on its own connection while this thread's transaction holds what
    ``hold`` locked, waits for this transaction (it goes on once this one commits; what it raised is raised
    here)."""
    ready, pids, raised = threading.Event(), {}, []

    def body() -> None:
        try:
            pids["other"] = backend_pid()
            ready.set()
            other()
        except BaseException as exc:  # reported to the test's thread
            raised.append(exc)
        finally:
            ready.set()
            connection.close()

    running = threading.Thread(target=body)
    try:
        with transaction.atomic():
            hold()
            holder = backend_pid()
            running.start()
            assert ready.wait(timeout=PATIENCE)
            until_blocked(pids["other"], holder, running)  # or it ended
            waited = running.is_alive()
    finally:
        running.join()
    if raised:
        raise raised[0]
    return waited
