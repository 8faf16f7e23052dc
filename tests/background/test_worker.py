"""The worker runs tasks, tries a failing one again (bounded, with backoff) and shows its error to the
administrator; a task whose worker was killed with SIGKILL is done by the next worker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult
from tests.background.tasks import FAILURES, broken, flaky
from tests.test_kill_under_load import server_env  # noqa: F401 - the fixture: a database of its own

from case_helpers import sign_in
from exitentry import clock
from exitentry.accounts.models import Role
from exitentry.background.worker import backoff, recover_orphans
from factories import UserFactory
from worker_helpers import drain

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_wait(settings):
    settings.EXITENTRY_TASK_BACKOFF = 0
    settings.EXITENTRY_TASK_ATTEMPTS = 3
    FAILURES.clear()


@pytest.mark.django_db
def test_a_failing_task_is_tried_again_until_it_succeeds(no_wait) -> None:
    result = flaky.enqueue("twice", 2)
    drain()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL" and row.return_value == 3
    assert len(row.worker_ids) == 3


@pytest.mark.django_db
def test_a_task_failing_every_attempt_stays_failed_and_the_admin_shows_why(no_wait) -> None:
    result = broken.enqueue()
    drain()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "FAILED" and len(row.worker_ids) == 3
    assert row.exception_class_path == "builtins.ValueError"
    client = Client()
    sign_in(client, UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    listing = client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    assert listing.status_code == 200 and "broken" in listing.content.decode()
    page = client.get(f"/admin/django_tasks_database/dbtaskresult/{row.pk}/change/")
    assert page.status_code == 200
    assert "the gateway refused: 503 Service Unavailable" in page.content.decode()


@pytest.mark.django_db
def test_between_attempts_the_task_waits_longer_each_time(settings) -> None:
    settings.EXITENTRY_TASK_BACKOFF, settings.EXITENTRY_TASK_ATTEMPTS = 30, 5
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(seconds=s) for s in (30, 60, 120)]
    result = flaky.enqueue("later", 1)
    FAILURES.clear()
    before = clock.now()
    drain()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "READY" and row.run_after >= before + timedelta(seconds=30)
    assert "failure 1 of 1" in row.traceback  # the last error, shown meanwhile


@pytest.mark.django_db
def test_a_task_left_running_past_the_timeout_is_queued_again(settings) -> None:
    settings.EXITENTRY_TASK_TIMEOUT = 60
    stale, fresh = flaky.enqueue("stale", 0), flaky.enqueue("fresh", 0)
    DBTaskResult.objects.filter(pk=stale.id).update(
        status="RUNNING", started_at=clock.now() - timedelta(seconds=61), worker_ids=["dead"]
    )
    DBTaskResult.objects.filter(pk=fresh.id).update(
        status="RUNNING", started_at=clock.now(), worker_ids=["alive"]
    )
    assert recover_orphans() == 1
    assert DBTaskResult.objects.get(pk=stale.id).status == "READY"
    assert DBTaskResult.objects.get(pk=fresh.id).status == "RUNNING"


def _state(env: dict, task_id: str) -> list[str]:
    """The task's status and number of attempts, read by a process of its own."""
    return _run(env, "manage", "shell", "-c", STATE.format(id=task_id)).stdout.split()[-2:]


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "exitentry.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done


STATE = "from django_tasks_db.models import DBTaskResult as R; r = R.objects.get(pk='{id}'); print(r.status, len(r.worker_ids))"


def test_a_task_whose_worker_is_killed_is_done_by_the_next_worker(server_env, tmp_path: Path) -> None:  # noqa: F811
    env = {
        **server_env,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")]),
        "EXITENTRY_TASK_TIMEOUT": "3",
        "EXITENTRY_SCHEDULER_TICK": "0.5",
        "EXITENTRY_TASK_BACKOFF": "0",
    }
    trace = tmp_path / "trace"
    _run(env, "manage", "migrate", "--noinput")
    enqueue = f"from tests.background.tasks import slow; print(slow.enqueue({str(trace)!r}, 2).id)"
    task_id = _run(env, "manage", "shell", "-c", enqueue).stdout.split()[-1]

    def worker() -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "exitentry.cli", "worker", "--interval", "0.2"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def wait_for(condition, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, (
                f"timed out; trace: {trace.read_text() if trace.exists() else ''}"
            )
            time.sleep(0.2)

    first = worker()
    try:
        wait_for(lambda: trace.exists() and "start" in trace.read_text())
        first.send_signal(9)  # SIGKILL, mid-task
        first.wait(10)
    finally:
        first.kill()
    assert _state(env, task_id) == ["RUNNING", "1"]
    second = worker()
    try:
        wait_for(lambda: trace.read_text().count("done") == 1)
        wait_for(lambda: _state(env, task_id)[0] == "SUCCESSFUL")
    finally:
        second.terminate()
        second.wait(10)
    assert trace.read_text().split() == ["start", "start", "done"]
    assert _state(env, task_id) == ["SUCCESSFUL", "2"]


@pytest.mark.django_db
def test_a_worker_run_in_process_gives_back_the_signals_it_took() -> None:
    """``exitentry worker`` takes SIGINT and SIGTERM to stop after its task; once it has stopped, a signal
    reaches whatever handled it before (pytest itself, when a test runs the worker in-process)."""
    import signal
    from unittest import mock

    from exitentry.background.worker import run

    def mine(number, frame):  # pragma: no cover - never sent
        raise AssertionError

    before = signal.signal(signal.SIGTERM, mine)
    try:
        # as ``worker_helpers.drain``: the worker would close the test's own connection between tasks
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            run(scheduler=False, batch=True)
        assert signal.getsignal(signal.SIGTERM) is mine
    finally:
        signal.signal(signal.SIGTERM, before)
