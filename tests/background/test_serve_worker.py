"""``exitentry serve`` (DEBUG, as ``dev.py serve`` runs it) starts one worker beside the web server, which
runs the periodic tasks, and stops it with the server."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.test_kill_under_load import _free_port, server_env  # noqa: F401 - the fixture: a database of its own

ROOT = Path(__file__).resolve().parents[2]
DONE = (
    "from django_tasks_db.models import DBTaskResult as R; "
    "print(R.objects.filter(task_path='exitentry.accounts.tasks.write_audit_checkpoint', status='SUCCESSFUL').count())"
)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_serve_runs_a_worker_beside_the_server_and_stops_it_with_the_server(server_env) -> None:  # noqa: F811
    env = {**server_env, "EXITENTRY_SCHEDULER_TICK": "0.5"}
    serve = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "exitentry.cli",
            "serve",
            "--no-demo",
            "--noreload",
            "--port",
            str(_free_port()),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert time.monotonic() < deadline, "the worker ran no periodic task"
            check = subprocess.run(
                [sys.executable, "-m", "exitentry.cli", "manage", "shell", "-c", DONE],
                env=env,
                capture_output=True,
                text=True,
            )
            if check.returncode == 0 and check.stdout.split()[-1] == "1":
                break
            time.sleep(1)
        workers = _children(serve.pid)
        assert len(workers) == 1
        serve.send_signal(signal.SIGINT)
        serve.wait(30)
    finally:
        serve.kill()
    assert not Path(f"/proc/{workers[0]}").exists()
