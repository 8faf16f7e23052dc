"""A server killed with SIGKILL in the middle of a write load loses nothing it answered 2xx for, and its
audit trail still verifies (real processes, real HTTP, the pass's own kind of database)."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

CSRF = "k" * 32  # any token works when the cookie and the header carry the same one
SETUP = """
from django.test import Client
from exitentry.accounts.models import Role, User
from exitentry.registry.models import Person
for n in range(4):  # one applicant a client: a person has one open draft of a procedure at a time
    person = Person.objects.create(
        surname="Kill", given_names=f"Test {n}", sex="F", birth_date="1990-01-01", nationality="DEU"
    )
    user = User.objects.create_user(f"kill.test{n}", password="kill-2026!", role=Role.APPLICANT, person=person)
    client = Client()
    client.force_login(user)
    print(client.cookies["sessionid"].value, person.pk)
"""
COUNT = """
from exitentry.cases.models import Case
import json
print(json.dumps(sorted(Case.objects.values_list("pk", flat=True))))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _exitentry(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "exitentry.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


@pytest.fixture
def server_env(tmp_path: Path):
    env = {
        **os.environ,
        "EXITENTRY_DATA_DIR": str(tmp_path / "data"),
        "EXITENTRY_DEBUG": "1",
        "EXITENTRY_ANON_RATE": "100000/m",
        "EXITENTRY_LOG_LEVEL": "WARNING",
    }
    env.pop("EXITENTRY_AUDIT_KEY", None)  # the server keeps its own generated key, as a deployment would
    database = None
    if connection.vendor == "postgresql":
        import psycopg

        base = os.environ["EXITENTRY_DATABASE_URL"]
        database = f"exitentry_kill_{os.getpid()}"
        with psycopg.connect(base, autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{database}"')
            pg.execute(f'CREATE DATABASE "{database}"')
        env["EXITENTRY_DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + database
    else:
        env.pop("EXITENTRY_DATABASE_URL", None)
    yield env
    if database is not None:
        with psycopg.connect(os.environ["EXITENTRY_DATABASE_URL"], autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_a_server_killed_mid_write_keeps_every_answered_write_and_a_trail_that_verifies(server_env) -> None:
    assert _exitentry(server_env, "manage", "migrate", "--noinput").returncode == 0
    made = _exitentry(server_env, "manage", "shell", "-c", SETUP)
    assert made.returncode == 0, made.stderr
    logins = [line.split() for line in made.stdout.strip().splitlines()[-4:]]
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "exitentry.wsgi:application",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
        ],
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic() + 120  # gunicorn imports the application slowly on a loaded machine
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            break
        except OSError:
            assert time.monotonic() < started, "the server did not start within 120 s"
            time.sleep(0.1)
    answered: list[int] = []
    statuses: dict[int | str, int] = {}
    stop = threading.Event()

    def client(session: str, person_id: str) -> None:
        """Start a draft (the write counted), then withdraw it, so that the person may start the next."""
        body = json.dumps(
            {"procedure": "rp-personal-affairs", "person_id": int(person_id), "facts": {}}
        ).encode()
        cookie = f"sessionid={session}; csrftoken={CSRF}"
        while not stop.is_set():
            request = urllib.request.Request(
                f"{base}/api/v1/cases",
                data=body,
                method="POST",
                headers={"Content-Type": "application/json", "Cookie": cookie, "X-CSRFToken": CSRF},
            )
            try:
                with urllib.request.urlopen(request, timeout=5) as r:
                    status, answer = r.status, json.loads(r.read())
            except urllib.error.HTTPError as exc:
                status, answer = exc.code, None
            except (OSError, http.client.HTTPException):  # the server is gone, or went mid-answer
                status, answer = "no answer", None
            statuses[status] = statuses.get(status, 0) + 1
            if isinstance(status, int) and 200 <= status < 300:
                answered.append(answer["id"])
                withdraw = urllib.request.Request(
                    f"{base}/en/my/{answer['id']}/withdraw/",
                    data=f"csrfmiddlewaretoken={CSRF}".encode(),
                    method="POST",
                    headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
                )
                with contextlib.suppress(OSError, http.client.HTTPException):  # the server may be gone
                    urllib.request.urlopen(withdraw, timeout=5).close()

    threads = [threading.Thread(target=client, args=login) for login in logins]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60  # a loaded machine serves slowly: kill once the load has really written
    while len(answered) <= 20 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # and while writes are in flight
    os.killpg(server.pid, signal.SIGKILL)  # the master and its workers, mid-request
    server.wait()
    stop.set()
    for t in threads:
        t.join()

    print(f"kill -9 under load: {statuses}, {len(answered)} answered 2xx")
    assert len(answered) > 20, statuses  # the load really wrote
    stored = _exitentry(server_env, "manage", "shell", "-c", COUNT)
    assert stored.returncode == 0, stored.stderr
    assert set(answered) <= set(json.loads(stored.stdout.strip().splitlines()[-1]))
    assert not [s for s in statuses if isinstance(s, int) and s >= 500], statuses
    verified = _exitentry(server_env, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
