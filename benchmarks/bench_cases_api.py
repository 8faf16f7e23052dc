"""Latency and throughput of the case endpoints on a million cases: ``python -m benchmarks.bench_cases_api``.

1. Creates the PostgreSQL database ``exitentry_bench`` (``--pg`` for another server), migrates it, and
   fills it with ``benchmarks.cases_data`` up to ``--cases`` (kept between runs).
2. Serves the real application with gunicorn (``--workers`` sync workers, DEBUG off) on 127.0.0.1.
3. Drives each endpoint with wrk (Debian's package; installed with apt-get when missing and root):
   ``--connections`` concurrent keep-alive clients for ``--seconds``, signed in by a session cookie:
   the officer's queue, a random case's detail (each read appends an audit entry), and an applicant's
   "my applications"; then again with one client alone (the request's own latency, no queue). wrk
   reports the latency percentiles and requests per second; non-2xx answers are counted and fail the run.

Numbers and the command are recorded in docs/performance.md; nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import machine
from benchmarks.serving import DEFAULT_PG, ROOT, app_env, django_json, gunicorn, migrated_database


def _ensure_wrk() -> str:
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


def _prepare(pg: str, cases: int, env: dict[str, str]) -> None:
    migrated_database(pg, "exitentry_bench", env)
    subprocess.run(
        [sys.executable, "-m", "benchmarks.cases_data", "--cases", str(cases)], env=env, check=True, cwd=ROOT
    )


SESSIONS = """
import json
from benchmarks.signin import session_key as session
from exitentry.cases import access
from exitentry.accounts.models import User

officer = User.objects.get(username="officer-reception-hall-0")
applicant = User.objects.filter(role="applicant", person__cases__isnull=False).order_by("pk").first()
ids = list(access.cases_for(officer).values_list("pk", flat=True).order_by("?")[:10000])
print(json.dumps({"officer": session(officer), "applicant": session(applicant), "case_ids": ids}))
"""


def _sessions(env: dict[str, str]) -> dict:
    return django_json(env, SESSIONS)


def _wrk(wrk: str, url: str, cookie: str, connections: int, seconds: int, script: str | None) -> dict:
    cmd = [
        wrk,
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-H",
        f"Cookie: sessionid={cookie}",
    ]
    if script:
        cmd += ["-s", script]
    out = subprocess.run([*cmd, url], check=True, capture_output=True, text=True).stdout

    def ms(label: str) -> float:
        m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "p50_ms": ms("50%"),
        "p99_ms": ms("99%"),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server URL without database")
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn sync workers (cores + 1 measured best)"
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--port", type=int, default=8901)
    args = parser.parse_args(argv)
    wrk = _ensure_wrk()
    data_dir = tempfile.mkdtemp(prefix="exitentry-bench-")
    env = app_env(args.pg, "exitentry_bench", data_dir)
    _prepare(args.pg, args.cases, env)
    sessions = _sessions(env)
    script = Path(data_dir) / "detail.lua"
    script.write_text(
        "local ids = {" + ",".join(map(str, sessions["case_ids"])) + "}\n"
        "request = function()\n"
        "  return wrk.format('GET', '/api/v1/cases/' .. ids[math.random(#ids)])\n"
        "end\n"
    )
    with gunicorn(env, args.port, args.workers, data_dir) as base:
        runs = {
            "officer queue (GET /api/v1/queue)": (f"{base}/api/v1/queue", sessions["officer"], None),
            "case detail (GET /api/v1/cases/{id}, audited)": (
                f"{base}/api/v1/cases/0",
                sessions["officer"],
                str(script),
            ),
            "my applications (GET /api/v1/cases)": (f"{base}/api/v1/cases", sessions["applicant"], None),
        }
        print(
            f"{machine()}; {args.cases:,} cases; gunicorn {args.workers} sync workers; wrk {args.connections} connections, {args.seconds} s"
        )
        print(f"{'endpoint':<50} {'clients':>8} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'non-2xx':>8}")
        failed = False
        for name, (url, cookie, lua) in runs.items():
            _wrk(wrk, url, cookie, args.connections, 3, lua)  # warm-up
            # Then one client alone: its latency is the request's own time, with no queue in front of it.
            for clients in (args.connections, 1):
                r = _wrk(wrk, url, cookie, clients, args.seconds, lua)
                failed |= r["non_2xx"] > 0
                print(
                    f"{name:<50} {clients:>8} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['rps']:>8.0f} {r['non_2xx']:>8}"
                )
        if failed:
            sys.exit("some answers were not 2xx")
    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
