"""Tasks for the worker's tests: one that fails a given number of times first, one that always fails, one
that takes a while and leaves a trace of each start and end in a file."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task

FAILURES: dict[str, int] = {}


@task()
def flaky(name: str, failures: int) -> int:
    FAILURES[name] = FAILURES.get(name, 0) + 1
    if FAILURES[name] <= failures:
        raise RuntimeError(f"{name}: failure {FAILURES[name]} of {failures}")
    return FAILURES[name]


@task()
def broken() -> None:
    raise ValueError("the gateway refused: 503 Service Unavailable")


@task()
def slow(path: str, seconds: float) -> str:
    trace = Path(path)
    with trace.open("a") as f:
        f.write("start\n")
    time.sleep(seconds)
    with trace.open("a") as f:
        f.write("done\n")
    return "done"
