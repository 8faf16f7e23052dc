"""What the HTTP benchmarks share: a PostgreSQL database of their own, the environment the application runs
in (DEBUG off), and the real application served by gunicorn on 127.0.0.1."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432"


def app_env(pg: str, database: str, data_dir: str) -> dict[str, str]:
    return dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="exitentry.settings",
        EXITENTRY_DATABASE_URL=f"{pg}/{database}",
        EXITENTRY_SECRET_KEY="benchmark-only-" + "x" * 40,
        EXITENTRY_AUDIT_KEY="bench:" + "x" * 40,
        EXITENTRY_DEBUG="0",
        EXITENTRY_HTTPS="0",  # served plain on 127.0.0.1: no redirect to https, no Secure-only cookies
        EXITENTRY_DATA_DIR=data_dir,
        EXITENTRY_LOG_LEVEL="WARNING",
    )


def migrated_database(pg: str, database: str, env: dict[str, str]) -> None:
    """Create ``database`` when it is missing (it is kept between runs) and migrate it."""
    import psycopg

    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            conn.execute(f'CREATE DATABASE "{database}"')
    subprocess.run([BIN / "exitentry", "manage", "migrate", "-v0"], env=env, check=True)


def python_json(env: dict[str, str], *args: str) -> dict:
    """Run ``python ARGS`` in a process of its own, in the checkout; the JSON of its last line."""
    import json

    out = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def django_json(env: dict[str, str], code: str) -> dict:
    """Run ``code`` after ``django.setup()`` in a process of its own; the JSON of its last line."""
    return python_json(env, "-c", "import django; django.setup()\n" + code)


def wrk_path() -> str:
    """wrk, Debian's HTTP load generator: installed with apt-get when missing and root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, capture_output=True)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update"], check=True, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, capture_output=True)
        return shutil.which("wrk") or sys.exit("wrk could not be installed")
    sys.exit("wrk is missing: apt-get install wrk")


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], port: int, workers: int, cwd: str, options: list[str] | None = None
) -> Iterator[str]:
    """Serve the application with ``workers`` workers (sync, unless ``options`` say otherwise: gunicorn's
    own command-line options); yields the base URL once /healthz answers."""
    server = subprocess.Popen(
        [
            BIN / "gunicorn",
            "exitentry.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            *(options or []),
        ],
        env=env,
        cwd=cwd,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urlopen(f"{base}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
