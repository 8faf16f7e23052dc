"""Ordering two transactions on PostgreSQL by what the database shows, not by how long a step takes."""

from __future__ import annotations

import threading
import time

from django.db import connection

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
